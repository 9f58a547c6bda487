"""Scope-aware tracking of property paths through a function body.

One walk of a handler follows every value that comes from its parameters: aliases
(``const h = event.request.headers``), destructuring (``const { request: { headers } } = event``),
optional chaining and bracket access, shadowing (a nested function's own ``event`` parameter is
another value), and it records every access to a property of such a value. A tracked value is
named by its *path*: the index of the parameter it comes from, then the property keys read on
the way (``(1, "request", "headers")`` for ``event.request.headers``), with ``REST`` for a
``...rest`` copy and ``BIND`` for a ``.bind(...)`` result.

Rules then look at the walk through a :class:`PathView`: they say which "kinds" of value they
follow and how property steps turn one kind into another, for example
``event --request--> request --headers--> headers``, and the view maps each path to its kind (or
drops it). So every rule that tracks a handler's parameters shares the one walk
(:func:`handler_paths`), and gets the same accesses as a walk that followed only its own steps.
"""

from __future__ import annotations

import bisect

from twilint.analysis.handler import FUNCTION_TYPES, _params
from twilint.records import record
from twilint.sources.js import node_text, string_value, tree_of, typed, unwrap_parens

TS_WRAPPERS = {"as_expression", "satisfies_expression", "non_null_expression", "type_assertion"}
# Nodes whose walk binds names only in a scope of their own (see PathWalk._inert).
SCOPE_NODES = frozenset(FUNCTION_TYPES | {"statement_block", "class_body", "for_statement", "catch_clause"})


@record(slots=True, unsafe_hash=True)
class Access:  # treated as immutable (views share them); not frozen only so that building one is cheap
    kind: object  # kind of the value whose property is read (its path in PathWalk.accesses)
    key: str | None  # the static property name, None when computed
    key_node: object  # the node holding the key (property_identifier, string, pattern key...)
    node: object  # the whole access
    via: str  # "member" | "subscript" | "pattern" | "in" | "has-own"
    shorthand: bool = False  # `{ Key }` in a destructuring pattern
    write: bool = False  # assigned to or deleted, not read


class _Step:
    """A path step that is not a property read."""

    __slots__ = ("label",)

    def __init__(self, label: str):
        self.label = label

    def __repr__(self) -> str:
        return self.label


REST = _Step("...rest")  # `const { a, ...rest } = value`: what is left of the value
BIND = _Step(".bind()")  # `value.bind(...)`: a bound copy of a function


class _Scope:
    __slots__ = ("vars", "parent")

    def __init__(self, parent: "_Scope | None"):
        self.vars: dict[str, tuple | None] = {}
        self.parent = parent

    def lookup(self, name: str) -> tuple | None:
        s = self
        while s is not None:
            if name in s.vars:
                return s.vars[name]
            s = s.parent
        return None

    def assign(self, name: str, path: tuple | None) -> None:
        s = self
        while s is not None:
            if name in s.vars:
                s.vars[name] = path
                return
            s = s.parent


def static_key(node) -> str | None:
    """The static name of a property key / subscript index node."""
    node = unwrap_parens(node)
    if node is None:
        return None
    t = node.type
    if t in ("property_identifier", "identifier", "shorthand_property_identifier_pattern",
             "private_property_identifier"):
        return node_text(node)
    if t in ("string", "template_string"):
        return string_value(node)
    if t == "number":
        return node_text(node)
    if t == "computed_property_name":
        inner = node.named_children[0] if node.named_children else None
        return string_value(inner) if inner is not None and inner.type in ("string", "template_string") else None
    return None


# -- views ---------------------------------------------------------------------------------------


@record
class PathView:
    """A walk seen through one rule's kinds: the accesses and references of the values it follows."""

    accesses: list[Access]
    refs: list[tuple[str, object]]  # (kind, identifier or shorthand property that names the value)


def path_kind(path: tuple, steps: dict, roots: dict, callables: frozenset = frozenset(),
              rest_kinds: dict | None = None) -> str | None:
    """The kind a path has for a rule, or None when the rule does not follow it.

    ``roots`` gives the kind of each followed parameter (by index), ``steps`` maps
    ``(kind, key)`` to the kind of that property, ``rest_kinds`` what a ``...rest`` copy of a kind
    becomes (default: the same kind), and a ``.bind(...)`` copy keeps its kind if it is one of
    ``callables`` (a bound callback is still the callback).
    """
    kind = roots.get(path[0])
    for i in range(1, len(path)):
        if kind is None:
            return None
        step = path[i]
        if step is REST:
            kind = rest_kinds.get(kind, kind) if rest_kinds else kind
        elif step is BIND:
            kind = kind if kind in callables else None
        else:
            kind = steps.get((kind, step))
    return kind


def handler_paths(file, handler) -> "PathWalk":
    """The walk of ``handler`` (one of ``twilio_handlers(file)``), made once per parse of the file
    and shared by every rule that tracks the handler's parameters (``SourceFile.release`` drops
    it with the tree)."""
    cache = file.__dict__.setdefault("_handler_paths", {})
    walk = cache.get(handler.function.id)
    if walk is None:
        walk = cache[handler.function.id] = PathWalk(file.js)
        walk.run(handler.function, handler.params)
    return walk


def handler_accesses(file, handler, steps: dict, roots: dict) -> list[Access]:
    """Accesses to the properties of the values a rule follows in ``handler`` (see :func:`path_kind`)."""
    return handler_paths(file, handler).view(steps, roots).accesses


# `event.request` and `event.request.headers` of a handler (its second parameter)
HEADER_STEPS = {("event", "request"): "request", ("request", "headers"): "headers"}


def header_reads(file, handler):
    """Reads of an incoming header by a static name in ``handler``: `event.request.headers[...]`
    through aliases and destructuring; writes and method calls on the headers object
    (`headers.hasOwnProperty(...)`) are not header reads."""
    if len(handler.params) < 2:
        return
    for acc in handler_accesses(file, handler, HEADER_STEPS, {1: "event"}):
        if acc.kind != "headers" or acc.write or acc.key is None:
            continue
        if acc.via == "member" and is_callee(acc.node):
            continue
        yield acc


def context_reads(file, handler):
    """Reads of a variable by a static name on ``handler``'s `context` (its first parameter):
    `context.X`, `context['X']`, `const { X } = context`, through aliases; not writes."""
    if not handler.params:
        return
    for acc in handler_accesses(file, handler, {}, {0: "context"}):
        if acc.kind == "context" and not acc.write and acc.key is not None and \
                acc.via in ("member", "subscript", "pattern"):
            yield acc


def is_callee(node) -> bool:
    """``node`` is the function a call calls (`node(...)`)."""
    parent = node.parent
    if parent is None or parent.type != "call_expression":
        return False
    fn = parent.child_by_field_name("function")
    return fn is not None and fn.id == node.id


# -- the walk ------------------------------------------------------------------------------------


class PathTracker:
    """One function's accesses to the properties of the values one rule follows (its own walk;
    rules on a handler share one with :func:`handler_accesses`)."""

    def __init__(self, steps: dict[tuple[str, str], str], callables: frozenset[str] = frozenset(),
                 rest_kinds: dict[str, str] | None = None):
        self.steps = steps
        self.callables = callables
        self.rest_kinds = rest_kinds
        self.accesses: list[Access] = []
        self.refs: list[tuple[str, object]] = []

    def run(self, fn, params: list, roots: dict[int, str]) -> list[Access]:
        walk = PathWalk(tree_of(fn))
        walk.run(fn, params)
        view = walk.view(self.steps, roots, self.callables, self.rest_kinds)
        self.accesses, self.refs = view.accesses, view.refs
        return self.accesses


class PathWalk:
    """Walks a function once, following every value that comes from its parameters.

    Given the file's :class:`~twilint.sources.js.JsTree`, the walk skips subtrees that cannot
    name a tracked value (see :meth:`_inert`); without it, it visits every node.
    """

    def __init__(self, js=None):
        # every access to a property of a tracked value (Access.kind is the value's path)
        self.accesses: list[Access] = []
        # every identifier (or shorthand property) that refers to a tracked value: (path, node)
        self.refs: list[tuple[tuple, object]] = []
        self._js = js
        # raw bytes of every name ever bound to a tracked value, and the sorted offsets in the
        # function where one of them occurs (in any token, comment or string: a superset)
        self._tracked_names: set[bytes] = set()
        self._mentions: list[int] = []
        self._declarators: list[int] = []  # start offsets of the variable declarators
        self._views: dict = {}

    # -- entry -----------------------------------------------------------------------------
    def run(self, fn, params: list) -> list[Access]:
        """Walk ``fn``; parameter ``i`` is the tracked value with path ``(i,)``."""
        js = self._js
        if js is not None:
            self._span = (fn.start_byte, fn.end_byte)
            self._declarators = [d.start_byte for d in js.nodes("variable_declarator", fn)]
        scope = _Scope(None)
        for i, p in enumerate(params):
            self._bind(p, (i,), scope)
        body = fn.child_by_field_name("body")
        if body is not None:
            self._hoist_function(body, scope)
            if body.type == "statement_block":
                self._hoist_block(body, scope)
                for c in body.named_children:
                    self._walk(c, scope)
            else:  # expression-bodied arrow function
                self._walk(body, scope)
        return self.accesses

    # -- views ---------------------------------------------------------------------------------
    def view(self, steps: dict, roots: dict, callables: frozenset = frozenset(),
             rest_kinds: dict | None = None) -> PathView:
        """The accesses and references of the values a rule follows (see :func:`path_kind`),
        in the order of the walk. Views are cached, so callers must not change them."""
        # tuples of the items: equal keys mean equal arguments (a dict built in another order
        # only misses the cache)
        key = (tuple(steps.items()), tuple(roots.items()),
               callables if type(callables) is frozenset else frozenset(callables),
               tuple(rest_kinds.items()) if rest_kinds else ())
        view = self._views.get(key)
        if view is None:
            kinds: dict = {}
            accesses = []
            for a in self.accesses:
                p = a.kind
                k = kinds.get(p, kinds)
                if k is kinds:
                    k = kinds[p] = path_kind(p, steps, roots, callables, rest_kinds)
                if k is not None:
                    accesses.append(Access(k, a.key, a.key_node, a.node, a.via, a.shorthand, a.write))
            refs = []
            for p, n in self.refs:
                k = kinds.get(p, kinds)
                if k is kinds:
                    k = kinds[p] = path_kind(p, steps, roots, callables, rest_kinds)
                if k is not None:
                    refs.append((k, n))
            view = self._views[key] = PathView(accesses, refs)
        return view

    # -- skipping --------------------------------------------------------------------------
    def _track(self, name_node) -> None:
        """``name_node``'s name is now bound to a tracked value: note where it occurs. (Sources
        are valid UTF-8, so an identifier with the same name has the same bytes.)"""
        raw = name_node.text
        if raw in self._tracked_names:
            return
        self._tracked_names.add(raw)
        if self._js is None:
            return
        lo, hi = self._span
        data = self._js.data
        found = []
        i = data.find(raw, lo, hi)
        while i >= 0:
            found.append(i)
            i = data.find(raw, i + 1, hi)
        if found:
            self._mentions = sorted(self._mentions + found)

    def _inert(self, node) -> bool:
        """Would walking ``node`` change nothing? True when no name ever bound to a tracked value
        occurs in its bytes, and its walk cannot declare a name in the current scope.

        Why: the walk records an access or a reference only at an identifier whose binding is
        tracked, and a name becomes tracked only when bound to a parameter (before the walk) or
        to the result of ``resolve``, which is None unless the expression holds such an
        identifier. So inside ``node`` nothing is recorded and every name bound or assigned
        gets None. Assigning None to a name that was never tracked changes nothing, and names
        bound in a scope the walk of ``node`` opens (functions, blocks, class bodies, for and
        catch heads) go with that scope. That leaves a declarator binding a name in the current
        scope (``if (x) var y = 1``, a declaration in a switch case), which could shadow an
        outer name that a later assignment tracks: a node with a declarator in it is walked
        unless it opens its own scope.
        """
        start, end = node.start_byte, node.end_byte
        m = self._mentions
        i = bisect.bisect_left(m, start)
        if i < len(m) and m[i] < end:
            return False
        if node.type in SCOPE_NODES:
            return True
        d = self._declarators
        j = bisect.bisect_left(d, start)
        return not (j < len(d) and d[j] < end)

    # -- resolution ------------------------------------------------------------------------
    def resolve(self, node, scope: _Scope) -> tuple | None:
        """The path of the tracked value ``node`` evaluates to, or None."""
        node = unwrap_parens(node)
        if node is None:
            return None
        t = node.type
        if t == "identifier":
            return scope.lookup(node_text(node))
        if t == "member_expression":
            k = self.resolve(node.child_by_field_name("object"), scope)
            if k is None:
                return None
            return k + (static_key(node.child_by_field_name("property")) or "",)
        if t == "subscript_expression":
            k = self.resolve(node.child_by_field_name("object"), scope)
            if k is None:
                return None
            key = static_key(node.child_by_field_name("index"))
            return k + (key,) if key is not None else None
        if t == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and node_text(op) in ("||", "??"):
                return self.resolve(node.child_by_field_name("left"), scope)
            return None
        if t in TS_WRAPPERS and node.named_children:
            return self.resolve(node.named_children[0], scope)
        if t == "call_expression":
            fn = unwrap_parens(node.child_by_field_name("function"))
            if fn is not None and fn.type == "member_expression" and static_key(fn.child_by_field_name("property")) == "bind":
                k = self.resolve(fn.child_by_field_name("object"), scope)
                if k is not None:
                    return k + (BIND,)
        return None

    # -- declarations ----------------------------------------------------------------------
    def _names(self, pattern, out: list) -> None:
        if pattern is None:
            return
        t = pattern.type
        if t in ("identifier", "shorthand_property_identifier_pattern"):
            out.append(node_text(pattern))
        elif t == "pair_pattern":
            self._names(pattern.child_by_field_name("value"), out)
        elif t in ("object_assignment_pattern", "assignment_pattern"):
            self._names(pattern.child_by_field_name("left"), out)
        else:
            for c in pattern.named_children:
                if t == "object_pattern" or t == "array_pattern" or t == "rest_pattern":
                    self._names(c, out)

    def _declare(self, declaration, scope: _Scope) -> None:
        """The names a `const`/`let`/`var` declaration declares, untracked until assigned."""
        for d in declaration.named_children:
            if d.type == "variable_declarator":
                names: list[str] = []
                self._names(d.child_by_field_name("name"), names)
                for n in names:
                    scope.vars.setdefault(n, None)

    def _hoist_block(self, block, scope: _Scope) -> None:
        for stmt in block.named_children:
            t = stmt.type
            if t in ("lexical_declaration", "variable_declaration"):
                self._declare(stmt, scope)
            elif t in ("function_declaration", "generator_function_declaration", "class_declaration"):
                name = stmt.child_by_field_name("name")
                if name is not None:
                    scope.vars[node_text(name)] = None

    def _hoist_function(self, body, scope: _Scope) -> None:
        """`var` declarations anywhere in the function (not in nested functions or classes)."""
        owner = body.parent
        for c in typed(body, "variable_declaration"):
            p = c.parent
            while p is not None and p.id != owner.id and p.type not in FUNCTION_TYPES and p.type not in ("class_declaration", "class"):
                p = p.parent
            if p is None or p.id != owner.id:
                continue  # it belongs to a nested function or class
            self._declare(c, scope)

    def _bind(self, pattern, path: tuple | None, scope: _Scope, assign: bool = False) -> None:
        """Bind the names of ``pattern`` to the value at ``path`` (None: untracked); record destructured keys."""
        if pattern is None:
            return
        t = pattern.type
        if t == "identifier":
            self._set(pattern, path, scope, assign)
        elif t == "object_pattern":
            for c in pattern.named_children:
                ct = c.type
                if ct == "shorthand_property_identifier_pattern":
                    key = node_text(c)
                    if path is not None:
                        self.accesses.append(Access(path, key, c, c, "pattern", shorthand=True))
                    self._set(c, path + (key,) if path is not None else None, scope, assign)
                elif ct == "pair_pattern":
                    keyn = c.child_by_field_name("key")
                    key = static_key(keyn)
                    if keyn is not None and keyn.type == "computed_property_name":
                        self._walk(keyn, scope)
                    if path is not None:
                        self.accesses.append(Access(path, key, keyn, c, "pattern"))
                    sub = path + (key,) if path is not None and key is not None else None
                    self._bind(c.child_by_field_name("value"), sub, scope, assign)
                elif ct == "object_assignment_pattern":
                    left = c.child_by_field_name("left")
                    right = c.child_by_field_name("right")
                    if right is not None:
                        self._walk(right, scope)
                    if left is not None and left.type == "shorthand_property_identifier_pattern":
                        key = node_text(left)
                        if path is not None:
                            self.accesses.append(Access(path, key, left, c, "pattern", shorthand=True))
                        self._set(left, path + (key,) if path is not None else None, scope, assign)
                    else:
                        self._bind(left, None, scope, assign)
                elif ct == "rest_pattern":
                    inner = c.named_children[0] if c.named_children else None
                    self._bind(inner, path + (REST,) if path is not None else None, scope, assign)
        elif t == "array_pattern":
            for c in pattern.named_children:
                self._bind(c, None, scope, assign)
        elif t in ("assignment_pattern", "object_assignment_pattern"):
            right = pattern.child_by_field_name("right")
            if right is not None:
                self._walk(right, scope)
            self._bind(pattern.child_by_field_name("left"), path, scope, assign)
        elif t == "rest_pattern":
            inner = pattern.named_children[0] if pattern.named_children else None
            self._bind(inner, None, scope, assign)
        elif t in ("member_expression", "subscript_expression"):
            self._walk_write(pattern, scope)

    def _set(self, name_node, path: tuple | None, scope: _Scope, assign: bool) -> None:
        """Bind (or, with ``assign``, assign) the name ``name_node`` spells."""
        name = node_text(name_node)
        if path is not None:
            self._track(name_node)
        if assign:
            scope.assign(name, path)
        else:
            scope.vars[name] = path

    # -- walking ---------------------------------------------------------------------------
    def _walk(self, node, scope: _Scope) -> None:
        if self._js is not None and self._inert(node):
            return
        t = node.type
        if t in FUNCTION_TYPES:
            inner = _Scope(scope)
            if t in ("function_expression", "function"):
                name = node.child_by_field_name("name")
                if name is not None:
                    inner.vars[node_text(name)] = None
            for p in _params(node):
                self._bind(p, None, inner)
            body = node.child_by_field_name("body")
            if body is not None:
                self._hoist_function(body, inner)
                if body.type == "statement_block":
                    self._hoist_block(body, inner)
                    for c in body.named_children:
                        self._walk(c, inner)
                else:
                    self._walk(body, inner)
            return
        if t == "statement_block" or t == "class_body":
            inner = _Scope(scope)
            self._hoist_block(node, inner)
            for c in node.named_children:
                self._walk(c, inner)
            return
        if t in ("for_statement", "for_in_statement", "catch_clause"):
            inner = _Scope(scope)
            if t == "catch_clause":
                self._bind(node.child_by_field_name("parameter"), None, inner)
            elif t == "for_in_statement":
                left = node.child_by_field_name("left")
                right = node.child_by_field_name("right")
                if right is not None:
                    self._walk(right, scope)
                if left is not None:
                    self._bind(left, None, inner, assign=left.type in ("member_expression", "subscript_expression"))
                body = node.child_by_field_name("body")
                if body is not None:
                    self._walk(body, inner)
                return
            for c in node.named_children:
                self._walk(c, inner)
            return
        if t == "variable_declarator":
            value = node.child_by_field_name("value")
            path = None
            if value is not None:
                self._walk(value, scope)
                path = self.resolve(value, scope)
            self._bind(node.child_by_field_name("name"), path, scope)
            return
        if t == "assignment_expression":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if right is not None:
                self._walk(right, scope)
            path = self.resolve(right, scope) if right is not None else None
            if left is not None:
                if left.type in ("identifier", "object_pattern", "array_pattern"):
                    self._bind(left, path, scope, assign=True)
                else:
                    self._walk_write(left, scope)
            return
        if t == "augmented_assignment_expression":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is not None and left.type in ("member_expression", "subscript_expression"):
                self._walk_write(left, scope)
            if right is not None:
                self._walk(right, scope)
            return
        if t == "unary_expression":
            op = node.child_by_field_name("operator")
            arg = node.child_by_field_name("argument")
            if op is not None and node_text(op) == "delete" and arg is not None and arg.type in ("member_expression", "subscript_expression"):
                self._walk_write(arg, scope)
                return
        if t == "member_expression":
            obj = node.child_by_field_name("object")
            k = self.resolve(obj, scope)
            if k is not None:
                prop = node.child_by_field_name("property")
                self.accesses.append(Access(k, static_key(prop), prop, node, "member"))
            self._walk(obj, scope)
            return
        if t == "subscript_expression":
            obj = node.child_by_field_name("object")
            idx = node.child_by_field_name("index")
            k = self.resolve(obj, scope)
            if k is not None and idx is not None:
                self.accesses.append(Access(k, static_key(idx), idx, node, "subscript"))
            self._walk(obj, scope)
            if idx is not None:
                self._walk(idx, scope)
            return
        if t == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and node_text(op) == "in":
                left = node.child_by_field_name("left")
                right = node.child_by_field_name("right")
                k = self.resolve(right, scope)
                if k is not None and left is not None and left.type in ("string", "template_string"):
                    self.accesses.append(Access(k, static_key(left), left, node, "in"))
        if t == "call_expression":
            self._has_own(node, scope)
        if t == "identifier" or t == "shorthand_property_identifier":
            k = scope.lookup(node_text(node))
            if k is not None:
                self.refs.append((k, node))
            return
        for c in node.named_children:
            self._walk(c, scope)

    def _walk_write(self, target, scope: _Scope) -> None:
        """An assignment target or `delete` operand: record it as a write, walk what it reads."""
        obj = target.child_by_field_name("object")
        k = self.resolve(obj, scope)
        if target.type == "member_expression":
            prop = target.child_by_field_name("property")
            if k is not None:
                self.accesses.append(Access(k, static_key(prop), prop, target, "member", write=True))
        else:
            idx = target.child_by_field_name("index")
            if k is not None and idx is not None:
                self.accesses.append(Access(k, static_key(idx), idx, target, "subscript", write=True))
            if idx is not None:
                self._walk(idx, scope)
        if obj is not None:
            self._walk(obj, scope)

    def _has_own(self, call, scope: _Scope) -> None:
        fn = unwrap_parens(call.child_by_field_name("function"))
        if fn is None or fn.type != "member_expression":
            return
        prop = static_key(fn.child_by_field_name("property"))
        args = call.child_by_field_name("arguments")
        if prop not in ("hasOwnProperty", "hasOwn", "call") or args is None:
            return
        argv = [a for a in args.named_children if a.type != "comment"]
        obj = fn.child_by_field_name("object")
        target = key = None
        if prop == "hasOwnProperty" and len(argv) >= 1:
            target, key = obj, argv[0]
        elif prop == "hasOwn" and obj is not None and node_text(obj) == "Object" and len(argv) >= 2:
            target, key = argv[0], argv[1]
        elif prop == "call" and obj is not None and node_text(obj).endswith("hasOwnProperty") and len(argv) >= 2:
            target, key = argv[0], argv[1]
        if target is None or key is None or key.type not in ("string", "template_string"):
            return
        k = self.resolve(target, scope)
        if k is not None:
            self.accesses.append(Access(k, static_key(key), key, call, "has-own"))
