"""YAML -> :class:`~twilint.sources.values.Value` trees, using PyYAML's parser.

PyYAML (libyaml via ``CSafeLoader`` when available, the pure-Python ``SafeLoader`` otherwise)
turns the text into *events*; this module composes them into ``Value`` trees itself instead of
calling ``yaml.compose``: the C composer recurses on the C stack and crashes the interpreter on
deeply nested input, the Python one raises ``RecursionError``. Composing from events is iterative
and lets us bound nesting depth and alias expansion.

Only the first document of a stream is read. Scalars are typed like ``yaml.safe_load`` does
(YAML 1.1 core schema: ``yes``/``no`` are booleans, ``0x1F`` is an int, ``~`` is null ...);
timestamps are kept as strings (their source text) and scalars with an unknown explicit tag
(``!Ref x``) become ``UNKNOWN`` values. Aliases are followed (the anchored ``Value`` is shared),
with the total size of the expanded tree capped so alias bombs are rejected. Merge keys (``<<``)
are kept as ordinary members named ``"<<"``.

PyYAML marks are character indexes; every offset produced here is a UTF-8 byte offset.
"""

from __future__ import annotations

from itertools import accumulate

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from .values import (
    ARRAY,
    BOOL,
    NULL,
    NUMBER,
    OBJECT,
    STRING,
    UNKNOWN,
    Member,
    Value,
    ValueSyntaxError,
)

__all__ = ["parse_yaml", "MAX_DEPTH", "MAX_NODES"]

#: Deepest nesting of mappings/sequences accepted.
MAX_DEPTH = 500
#: Cap on the number of values in the tree with every alias expanded (alias-bomb guard).
MAX_NODES = 100_000

_DEFAULT_LOADER = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_NULL = _TAG + "null"
_BOOL = _TAG + "bool"
_INT = _TAG + "int"
_FLOAT = _TAG + "float"


def parse_yaml(data: bytes) -> Value:
    """Parse the first YAML document in ``data``; raise :class:`ValueSyntaxError` if invalid.

    An empty stream (or one holding only comments) yields a ``NULL`` value spanning 0..0.
    """
    return _parse(data, _DEFAULT_LOADER)


def _utf8_len(ch: str) -> int:
    o = ord(ch)
    return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4


class _Builder:
    def __init__(self, text: str, loader_cls: type):
        self.text = text
        self.loader_cls = loader_cls
        self.offsets: list[int] | None = None
        if not text.isascii():
            self.offsets = list(accumulate(map(_utf8_len, text), initial=0))
        self.loader = None  # created in build(): the pure-Python reader may raise at once
        self.total = 0  # values in the fully expanded tree
        # anchor -> (value, expanded size, height, scalar text or None); None while the
        # anchored collection is still open
        self.anchors: dict[str, tuple[Value, int, int, str | None] | None] = {}

    def bo(self, index: int) -> int:
        index = max(0, min(index, len(self.text)))
        return index if self.offsets is None else self.offsets[index]

    def count(self, n: int, index: int) -> None:
        self.total += n
        if self.total > MAX_NODES:
            raise ValueSyntaxError(
                f"document too large (more than {MAX_NODES} values once aliases are expanded)",
                self.bo(index),
            )

    # -- scalars -------------------------------------------------------------------------
    def skip_properties(self, index: int, limit: int) -> int:
        """Index of a node's content, skipping its ``&anchor`` / ``!tag`` and what follows."""
        text = self.text
        i = index
        for _ in range(2):  # at most one anchor and one tag
            if i >= limit or text[i] not in "&!":
                break
            if text.startswith("!<", i):
                close = text.find(">", i, limit)
                i = limit if close < 0 else close + 1
            while i < limit and text[i] not in " \t\r\n":
                i += 1
            while i < limit:
                ch = text[i]
                if ch in " \t\r\n":
                    i += 1
                elif ch == "#":
                    while i < limit and text[i] not in "\r\n":
                        i += 1
                else:
                    break
        return min(i, limit)

    def scalar(self, ev: ScalarEvent) -> Value:
        start_index = ev.start_mark.index
        end_index = ev.end_mark.index
        if ev.anchor is not None or ev.tag is not None:
            # the event's start mark is at the node's properties; spans cover the content
            start_index = self.skip_properties(start_index, end_index)
        style = ev.style
        if style in ("|", ">"):
            # block scalars' end mark includes trailing blank lines; trim them
            text = self.text
            while end_index > start_index and text[end_index - 1] in " \t\r\n":
                end_index -= 1
        start = self.bo(start_index)
        end = self.bo(end_index)
        quote = style if style in ("'", '"') else ""
        tag = ev.tag
        raw = ev.value
        if tag is None or tag == "!":
            tag = self.loader.resolve(ScalarNode, raw, ev.implicit)
        if tag == _STR:
            return Value(STRING, start, end, data=raw, quote=quote)
        if tag == _NULL:
            return Value(NULL, start, end, data=None)
        node = ScalarNode(tag, raw, ev.start_mark, ev.end_mark, style)
        try:
            if tag == _BOOL:
                return Value(BOOL, start, end, data=bool(self.loader.construct_yaml_bool(node)))
            if tag == _INT:
                return Value(NUMBER, start, end, data=self.loader.construct_yaml_int(node))
            if tag == _FLOAT:
                return Value(NUMBER, start, end, data=self.loader.construct_yaml_float(node))
        except (ValueError, KeyError, TypeError, OverflowError, IndexError):
            # e.g. "0x_" matches the int pattern but has no digits, "!!int abc"; keep the text
            return Value(STRING, start, end, data=raw, quote=quote)
        if tag.startswith(_TAG):
            # timestamps, binary, the merge key "<<", "=" ...: keep the source text
            return Value(STRING, start, end, data=raw, quote=quote)
        # an explicit tag the safe loader does not know (!Ref, !!python/...)
        return Value(UNKNOWN, start, end, data=None, quote=quote)

    # -- document ------------------------------------------------------------------------
    def build(self) -> Value:
        try:
            loader = self.loader = self.loader_cls(self.text)
            # skip StreamStart; an empty stream has no document at all
            loader.get_event()
            if loader.check_event(StreamEndEvent):
                return Value(NULL, 0, 0, data=None)
            loader.get_event()  # DocumentStart
            root = self.compose()
            ev = loader.get_event()
            if not isinstance(ev, DocumentEndEvent):  # pragma: no cover - parser guarantees it
                raise ValueSyntaxError("expected the end of the document", self.bo(ev.start_mark.index))
            # Make the parser look at what follows the document, so trailing garbage such as
            # "a: 1\n]" is reported; a following document ("---") is ignored.
            loader.peek_event()
            return root
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            index = mark.index if mark is not None else 0
            message = exc.problem or "invalid YAML"
            if exc.context:
                message = f"{exc.context}: {message}"
            raise ValueSyntaxError(message, self.bo(index)) from None
        except yaml.reader.ReaderError as exc:
            # libyaml reports a byte offset into the UTF-8 text, PyYAML a character index
            pos = exc.position
            if not _is_c_loader(self.loader_cls):
                pos = self.bo(pos)
            reason = exc.reason if isinstance(exc.reason, str) else "invalid character"
            raise ValueSyntaxError(f"{reason}: character not allowed in YAML", pos) from None
        except yaml.YAMLError as exc:
            raise ValueSyntaxError(str(exc) or "invalid YAML", 0) from None
        finally:
            if self.loader is not None:
                self.loader.dispose()

    def compose(self) -> Value:
        """Compose the next node (iteratively) from the event stream."""
        loader = self.loader
        # stack entries: [collection Value, expanded size, anchor, pending key or None,
        #                 flow style?, height of the tallest child, end of the last child's
        #                 text (an alias's own text, not the anchored node's)]
        stack: list[list] = []
        while True:
            ev = loader.get_event()
            size = 1
            height = 0
            text_start = text_end = -1  # where an alias's own text is (byte offsets)
            raw = None  # a scalar's text, used to name non-string keys
            if isinstance(ev, ScalarEvent):
                value = self.scalar(ev)
                raw = ev.value
                self.count(1, ev.start_mark.index)
                if ev.anchor is not None:
                    self.anchors[ev.anchor] = (value, 1, 0, raw)
            elif isinstance(ev, AliasEvent):
                target = self.anchors.get(ev.anchor, False)
                if target is False:
                    raise ValueSyntaxError(
                        f"found undefined alias {ev.anchor!r}", self.bo(ev.start_mark.index)
                    )
                if target is None:
                    raise ValueSyntaxError(
                        f"recursive alias {ev.anchor!r}", self.bo(ev.start_mark.index)
                    )
                value, size, height, raw = target
                text_start = self.bo(ev.start_mark.index)
                text_end = self.bo(ev.end_mark.index)
                self.count(size, ev.start_mark.index)
                if len(stack) + height > MAX_DEPTH:
                    raise ValueSyntaxError(
                        f"nesting too deep (more than {MAX_DEPTH} levels)",
                        self.bo(ev.start_mark.index),
                    )
            elif isinstance(ev, CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise ValueSyntaxError(
                        f"nesting too deep (more than {MAX_DEPTH} levels)",
                        self.bo(ev.start_mark.index),
                    )
                self.count(1, ev.start_mark.index)
                # the start event's end mark is just past '[' / '{' for flow collections and at
                # the first entry for block ones (its start mark may be at &anchor / !tag)
                flow = bool(ev.flow_style)
                start = self.bo(ev.end_mark.index - 1 if flow else ev.end_mark.index)
                if isinstance(ev, MappingStartEvent):
                    members: list[Member] = []
                    coll = Value(OBJECT, start, start, data=members, members=members)
                else:
                    coll = Value(ARRAY, start, start, data=[])
                if ev.anchor is not None:
                    self.anchors[ev.anchor] = None
                # flow collections end at their closing bracket; block ones at their last child
                stack.append([coll, 1, ev.anchor, None, flow, 0, start])
                continue
            elif isinstance(ev, (MappingEndEvent, SequenceEndEvent)):
                coll, size, anchor, _key, flow, child_height, last_end = stack.pop()
                height = child_height + 1
                coll.end = self.bo(ev.end_mark.index) if flow else last_end
                value = coll
                if anchor is not None:
                    self.anchors[anchor] = (coll, size, height, None)
            else:  # pragma: no cover - the parser only produces node events here
                raise ValueSyntaxError("unexpected YAML event", self.bo(ev.start_mark.index))

            # attach the finished value to its parent
            if not stack:
                return value
            entry = stack[-1]
            entry[1] += size
            if height > entry[5]:
                entry[5] = height
            if text_end < 0:
                text_start, text_end = value.start, value.end
            if text_end > entry[6]:
                entry[6] = text_end
            parent: Value = entry[0]
            if parent.kind == ARRAY:
                parent.data.append(value)
            elif entry[3] is None:
                # a key (for an alias key, the span of the alias); its value comes next
                entry[3] = (value, raw, text_start, text_end)
            else:
                key, key_raw, key_start, key_end = entry[3]
                entry[3] = None
                if key_raw is None:
                    # complex keys ("? [a, b]") cannot be represented; the member is dropped
                    continue
                name = key.data if key.kind == STRING else key_raw
                parent.members.append(Member(name, key_start, key_end, value))


def _is_c_loader(loader_cls: type) -> bool:
    c_parser = getattr(getattr(yaml, "cyaml", None), "CParser", None)
    return c_parser is not None and issubclass(loader_cls, c_parser)


def _parse(data: bytes, loader_cls: type) -> Value:
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueSyntaxError("invalid UTF-8 byte sequence", exc.start) from None
    return _Builder(text, loader_cls).build()
