"""JavaScript and TypeScript parsed once with tree-sitter and shared by all rules."""

from __future__ import annotations

import weakref
from bisect import bisect_left

from twilint.records import field, record

_LANGS: dict[str, object] = {}
_PARSERS: dict[str, object] = {}

JS_EXTENSIONS = {".js": "javascript", ".cjs": "javascript", ".mjs": "javascript", ".jsx": "javascript"}
TS_EXTENSIONS = {".ts": "typescript", ".cts": "typescript", ".mts": "typescript", ".tsx": "tsx"}
SCRIPT_EXTENSIONS = {**JS_EXTENSIONS, **TS_EXTENSIONS}


def language(name: str):
    lang = _LANGS.get(name)
    if lang is None:
        import tree_sitter as ts

        from twilint.sources.submodules import submodule

        if name == "javascript":
            lang = ts.Language(submodule("tree_sitter_javascript", "_binding").language())
        elif name == "typescript":
            lang = ts.Language(submodule("tree_sitter_typescript", "_binding").language_typescript())
        elif name == "tsx":
            lang = ts.Language(submodule("tree_sitter_typescript", "_binding").language_tsx())
        else:  # pragma: no cover - programming error
            raise ValueError(name)
        _LANGS[name] = lang
    return lang


def parser(name: str):
    p = _PARSERS.get(name)
    if p is None:
        import tree_sitter as ts

        p = ts.Parser(language(name))
        _PARSERS[name] = p
    return p


@record(slots=True)
class SyntaxProblem:
    offset: int
    end: int
    message: str


@record
class JsTree:
    """A parsed script: the tree, its comments and its syntax problems."""

    lang: str
    data: bytes
    tree: object
    comments: list = field(default_factory=list)
    problems: list[SyntaxProblem] = field(default_factory=list)
    # every named node by type, in document order: built by the one walk in parse_script, so
    # rules look nodes up instead of walking the tree again
    by_type: dict = field(default_factory=dict)

    @property
    def root(self):
        return self.tree.root_node

    def nodes(self, node_type: str, within=None) -> list:
        """Named nodes of ``node_type`` (inside ``within``'s byte range if given), in order."""
        found = self.by_type.get(node_type, ())
        if within is None or not found:
            return list(found)
        cache = self.__dict__.get("_start_cache")
        starts = cache.get(node_type) if cache is not None else None
        if starts is None:
            starts = self._starts(node_type)
        end = within.end_byte
        lo = bisect_left(starts, within.start_byte)
        hi = bisect_left(starts, end, lo)
        if lo == hi:
            return []
        return [n for n in found[lo:hi] if n.end_byte <= end]

    def nodes_of(self, node_types, within=None) -> list:
        """Named nodes of any of ``node_types`` (inside ``within`` if given), in document order:
        by start, the outer of two nodes that start together first (as a walk meets them)."""
        found = [n for t in node_types for n in self.nodes(t, within)]
        if len(node_types) > 1:
            found.sort(key=lambda n: (n.start_byte, -n.end_byte))
        return found

    def _starts(self, node_type: str) -> list[int]:
        cache = self.__dict__.setdefault("_start_cache", {})
        s = cache.get(node_type)
        if s is None:
            s = cache[node_type] = [n.start_byte for n in self.by_type[node_type]]
        return s

    def spelled(self, name: str, node_types, within=None) -> list:
        """Nodes of ``node_types`` (leaves such as identifiers) whose source text is exactly
        ``name``, inside ``within`` if given, in document order. Found by searching the bytes
        for ``name`` and asking the tree what is there: no pass over every identifier."""
        needle = name.encode("utf-8", "surrogatepass")
        if not needle:
            return []
        data = self.data
        lo, hi = (within.start_byte, within.end_byte) if within is not None else (0, len(data))
        root = self.tree.root_node
        size = len(needle)
        out = []
        for i in offsets(data, needle, lo, hi):
            node = root.descendant_for_byte_range(i, i + size)
            if node is not None and node.type in node_types and node.is_named \
                    and node.start_byte == i and node.end_byte == i + size:
                out.append(node)
        return out

    @property
    def has_error(self) -> bool:
        return bool(self.problems)

    def mentions(self, *needles: bytes) -> bool:
        """Can the source name any of ``needles``? (``twilint.model.may_name`` on its bytes: a
        C-speed pre-filter for analyses that look for a name.)"""
        from twilint.model import may_name

        return may_name(self.data, needles)

    def mentions_pattern(self, pattern) -> bool:
        """:meth:`mentions` for a bytes regular expression."""
        from twilint import model

        return not model.PREFILTERS or pattern.search(self.data) is not None or model.has_escapes(self.data)


def offsets(data: bytes, needle: bytes, lo: int = 0, hi: int | None = None) -> list[int]:
    """Sorted start offsets of every occurrence of ``needle`` in ``data[lo:hi]``."""
    if hi is None:
        hi = len(data)
    out = []
    i = data.find(needle, lo, hi)
    while i != -1:
        out.append(i)
        i = data.find(needle, i + 1, hi)
    return out


def walk(node):
    """Every named node under ``node`` (pre-order), comments included as nodes of their own.

    A TreeCursor walk: about three times cheaper than recursing through ``named_children``."""
    cursor = node.walk()
    while True:
        n = cursor.node
        if n.is_named:
            yield n
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return


_TREES: "weakref.WeakValueDictionary[int, JsTree]" = weakref.WeakValueDictionary()


def tree_of(node) -> "JsTree | None":
    """The JsTree a node belongs to (so helpers given only a node can use its index)."""
    root = node
    while True:
        p = root.parent
        if p is None:
            break
        root = p
    js = _TREES.get(root.id)
    return js if js is not None and js.tree.root_node.id == root.id else None


def typed(node, node_type: str) -> list:
    """Named nodes of ``node_type`` inside ``node`` (``node`` included), from the index."""
    js = tree_of(node)
    if js is None:
        return [n for n in walk(node) if n.type == node_type]
    found = js.nodes(node_type, node if node.parent is not None else None)
    if node.parent is not None and node.type == node_type and all(n.id != node.id for n in found[:1]):
        found.insert(0, node)
    return found


def spelled(node, name: str, node_types) -> list:
    """Nodes of ``node_types`` (identifiers and such leaves) inside ``node`` whose source text
    is exactly ``name``, in document order (:meth:`JsTree.spelled`)."""
    js = tree_of(node)
    if js is None:
        needle = name.encode("utf-8", "surrogatepass")
        return sorted((n for t in node_types for n in typed(node, t) if n.text == needle), key=lambda n: n.start_byte)
    return js.spelled(name, node_types, node if node.parent is not None else None)


def parse_script(data: bytes, lang: str) -> JsTree:
    tree = parser(lang).parse(data)
    js = JsTree(lang, data, tree)
    root = tree.root_node
    _TREES[root.id] = js
    comments = js.comments
    # One cursor walk collects comments and syntax problems (0.26 µs a node).
    cursor = root.walk()
    has_error = root.has_error
    problems = js.problems
    index = js.by_type
    while True:
        node = cursor.node
        t = node.type
        if node.is_named:
            bucket = index.get(t)
            if bucket is None:
                index[t] = [node]
            else:
                bucket.append(node)
        if t == "comment" or t == "html_comment":
            comments.append(node)
        descend = True
        if has_error and (node.is_error or node.is_missing):
            problems.append(_problem(node))
            descend = False
        if descend and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return js


def _problem(node) -> SyntaxProblem:
    if node.is_missing:
        return SyntaxProblem(node.start_byte, node.end_byte, f"syntax error: missing '{node.type}'")
    text = node.text[:30].decode("utf-8", errors="replace").splitlines()
    snippet = text[0] if text else ""
    if snippet:
        return SyntaxProblem(node.start_byte, node.end_byte, f"syntax error: unexpected `{snippet}`")
    return SyntaxProblem(node.start_byte, node.end_byte, "syntax error")


def node_text(node) -> str:
    return node.text.decode("utf-8", errors="replace")


def string_value(node) -> str | None:
    """The value of a string literal or a template literal with no substitutions.

    Returns None for anything else, and for strings whose escapes it cannot decode.
    """
    if node.type not in ("string", "template_string"):
        return None
    parts = []
    for c in node.named_children:
        if c.type == "string_fragment":
            parts.append(node_text(c))
        elif c.type == "escape_sequence":
            decoded = _unescape(node_text(c))
            if decoded is None:
                return None
            parts.append(decoded)
        else:  # a template substitution, or something tree-sitter did not expect
            return None
    return "".join(parts)


_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unescape(esc: str) -> str | None:
    if len(esc) < 2:
        return None
    c = esc[1]
    if c in _SIMPLE_ESCAPES and len(esc) == 2:
        return _SIMPLE_ESCAPES[c]
    if c in "\r\n\u2028\u2029":
        return ""
    try:
        if c == "x" and len(esc) == 4:
            return chr(int(esc[2:], 16))
        if c == "u":
            if esc[2:3] == "{":
                return chr(int(esc[3:-1], 16))
            return chr(int(esc[2:6], 16))
    except ValueError:
        return None
    if len(esc) == 2:
        return c
    return None


def unwrap_parens(node):
    while node is not None and node.type == "parenthesized_expression":
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) != 1:
            return node
        node = inner[0]
    return node
