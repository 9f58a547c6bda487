"""Scope-aware tracking of property paths through a function body.

A rule says which "kinds" of value it follows and how property steps turn one kind into another,
for example ``event --request--> request --headers--> headers``. Starting from kinds bound to the
function's parameters, the tracker follows aliases (``const h = event.request.headers``),
destructuring (``const { request: { headers } } = event``), optional chaining and bracket access,
respects shadowing (a nested function's own ``event`` parameter is another value), and records
every access to a property of a tracked value.
"""

from __future__ import annotations

from dataclasses import dataclass

from twilint.sources.js import node_text, string_value, unwrap_parens

FUNCTION_TYPES = {
    "function_expression", "function", "arrow_function", "function_declaration",
    "generator_function", "generator_function_declaration", "method_definition",
}
TS_WRAPPERS = {"as_expression", "satisfies_expression", "non_null_expression", "type_assertion"}


@dataclass
class Access:
    kind: str  # kind of the value whose property is read
    key: str | None  # the static property name, None when computed
    key_node: object  # the node holding the key (property_identifier, string, pattern key...)
    node: object  # the whole access
    via: str  # "member" | "subscript" | "pattern" | "in" | "has-own"
    shorthand: bool = False  # `{ Key }` in a destructuring pattern
    write: bool = False  # assigned to or deleted, not read


class _Scope:
    __slots__ = ("vars", "parent")

    def __init__(self, parent: "_Scope | None"):
        self.vars: dict[str, str | None] = {}
        self.parent = parent

    def lookup(self, name: str) -> str | None:
        s = self
        while s is not None:
            if name in s.vars:
                return s.vars[name]
            s = s.parent
        return None

    def assign(self, name: str, kind: str | None) -> None:
        s = self
        while s is not None:
            if name in s.vars:
                s.vars[name] = kind
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


class PathTracker:
    def __init__(self, steps: dict[tuple[str, str], str], callables: frozenset[str] = frozenset(),
                 rest_kinds: dict[str, str] | None = None):
        self.steps = steps
        # what `...rest` of a tracked object becomes (default: the same kind)
        self.rest_kinds = rest_kinds or {}
        # kinds whose `.bind(...)` result is an alias (a bound callback is still the callback)
        self.callables = callables
        self.accesses: list[Access] = []
        # every identifier (or shorthand property) that refers to a tracked value: (kind, node)
        self.refs: list[tuple[str, object]] = []

    # -- entry -----------------------------------------------------------------------------
    def run(self, fn, params: list, roots: dict[int, str]) -> list[Access]:
        scope = _Scope(None)
        for i, p in enumerate(params):
            self._bind(p, roots.get(i), scope)
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

    # -- resolution ------------------------------------------------------------------------
    def resolve(self, node, scope: _Scope) -> str | None:
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
            return self.steps.get((k, static_key(node.child_by_field_name("property")) or ""))
        if t == "subscript_expression":
            k = self.resolve(node.child_by_field_name("object"), scope)
            if k is None:
                return None
            key = static_key(node.child_by_field_name("index"))
            return self.steps.get((k, key)) if key is not None else None
        if t == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and node_text(op) in ("||", "??"):
                return self.resolve(node.child_by_field_name("left"), scope)
            return None
        if t in TS_WRAPPERS and node.named_children:
            return self.resolve(node.named_children[0], scope)
        if t == "call_expression" and self.callables:
            fn = unwrap_parens(node.child_by_field_name("function"))
            if fn is not None and fn.type == "member_expression" and static_key(fn.child_by_field_name("property")) == "bind":
                k = self.resolve(fn.child_by_field_name("object"), scope)
                if k in self.callables:
                    return k
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

    def _hoist_block(self, block, scope: _Scope) -> None:
        for stmt in block.named_children:
            t = stmt.type
            if t in ("lexical_declaration", "variable_declaration"):
                for d in stmt.named_children:
                    if d.type == "variable_declarator":
                        names: list[str] = []
                        self._names(d.child_by_field_name("name"), names)
                        for n in names:
                            scope.vars.setdefault(n, None)
            elif t in ("function_declaration", "generator_function_declaration", "class_declaration"):
                name = stmt.child_by_field_name("name")
                if name is not None:
                    scope.vars[node_text(name)] = None

    def _hoist_function(self, body, scope: _Scope) -> None:
        """`var` declarations anywhere in the function (not in nested functions or classes)."""
        from twilint.sources.js import typed

        owner = body.parent
        for c in typed(body, "variable_declaration"):
            p = c.parent
            while p is not None and p.id != owner.id and p.type not in FUNCTION_TYPES and p.type not in ("class_declaration", "class"):
                p = p.parent
            if p is None or p.id != owner.id:
                continue  # it belongs to a nested function or class
            for d in c.named_children:
                if d.type == "variable_declarator":
                    names: list[str] = []
                    self._names(d.child_by_field_name("name"), names)
                    for nm in names:
                        scope.vars.setdefault(nm, None)

    def _bind(self, pattern, kind: str | None, scope: _Scope, assign: bool = False) -> None:
        """Bind the names of ``pattern`` to the value of ``kind``; record destructured keys."""
        if pattern is None:
            return
        t = pattern.type
        if t == "identifier":
            name = node_text(pattern)
            if assign:
                scope.assign(name, kind)
            else:
                scope.vars[name] = kind
        elif t == "object_pattern":
            for c in pattern.named_children:
                ct = c.type
                if ct == "shorthand_property_identifier_pattern":
                    key = node_text(c)
                    if kind is not None:
                        self.accesses.append(Access(kind, key, c, c, "pattern", shorthand=True))
                    self._set(key, self.steps.get((kind, key)) if kind else None, scope, assign)
                elif ct == "pair_pattern":
                    keyn = c.child_by_field_name("key")
                    key = static_key(keyn)
                    if keyn is not None and keyn.type == "computed_property_name":
                        self._walk(keyn, scope)
                    if kind is not None:
                        self.accesses.append(Access(kind, key, keyn, c, "pattern"))
                    sub = self.steps.get((kind, key)) if kind and key is not None else None
                    self._bind(c.child_by_field_name("value"), sub, scope, assign)
                elif ct == "object_assignment_pattern":
                    left = c.child_by_field_name("left")
                    right = c.child_by_field_name("right")
                    if right is not None:
                        self._walk(right, scope)
                    if left is not None and left.type == "shorthand_property_identifier_pattern":
                        key = node_text(left)
                        if kind is not None:
                            self.accesses.append(Access(kind, key, left, c, "pattern", shorthand=True))
                        self._set(key, self.steps.get((kind, key)) if kind else None, scope, assign)
                    else:
                        self._bind(left, None, scope, assign)
                elif ct == "rest_pattern":
                    inner = c.named_children[0] if c.named_children else None
                    self._bind(inner, self.rest_kinds.get(kind, kind) if kind else None, scope, assign)
        elif t == "array_pattern":
            for c in pattern.named_children:
                self._bind(c, None, scope, assign)
        elif t in ("assignment_pattern", "object_assignment_pattern"):
            right = pattern.child_by_field_name("right")
            if right is not None:
                self._walk(right, scope)
            self._bind(pattern.child_by_field_name("left"), kind, scope, assign)
        elif t == "rest_pattern":
            inner = pattern.named_children[0] if pattern.named_children else None
            self._bind(inner, None, scope, assign)
        elif t in ("member_expression", "subscript_expression"):
            self._walk_write(pattern, scope)

    def _set(self, name: str, kind: str | None, scope: _Scope, assign: bool) -> None:
        if assign:
            scope.assign(name, kind)
        else:
            scope.vars[name] = kind

    # -- walking ---------------------------------------------------------------------------
    def _walk(self, node, scope: _Scope) -> None:
        t = node.type
        if t in FUNCTION_TYPES:
            inner = _Scope(scope)
            if t in ("function_expression", "function") :
                name = node.child_by_field_name("name")
                if name is not None:
                    inner.vars[node_text(name)] = None
            from twilint.analysis.handler import _params

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
            kind = None
            if value is not None:
                self._walk(value, scope)
                kind = self.resolve(value, scope)
            self._bind(node.child_by_field_name("name"), kind, scope)
            return
        if t == "assignment_expression":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if right is not None:
                self._walk(right, scope)
            kind = self.resolve(right, scope) if right is not None else None
            if left is not None:
                if left.type in ("identifier", "object_pattern", "array_pattern"):
                    self._bind(left, kind, scope, assign=True)
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
        args = call.child_by_field_name("arguments")
        if fn is None or args is None:
            return
        argv = [a for a in args.named_children if a.type != "comment"]
        if fn.type != "member_expression":
            return
        prop = static_key(fn.child_by_field_name("property"))
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
