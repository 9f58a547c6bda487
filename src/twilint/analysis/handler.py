"""Finding the Twilio handler in a function file.

Forms: ``exports.handler = fn``, ``module.exports.handler = fn``, ``exports['handler'] = fn``,
``module.exports = { handler }`` / ``{ handler: fn }`` / ``{ handler() {} }``,
``export const handler = fn`` / ``export function handler`` / ``export { handler }`` (TS and
bundled sources), a name bound to a function elsewhere in the file, and wrappers whose function
argument is the handler (``exports.handler = Validator(async (context, event, callback) => ...)``).
Parameters are identified by position: context, event, callback.
"""

from __future__ import annotations

from twilint.records import record
from twilint.sources.js import node_text, string_value, unwrap_parens

FUNCTION_TYPES = {
    "function_expression", "function", "arrow_function", "function_declaration",
    "generator_function", "generator_function_declaration", "method_definition",
}
MAX_WRAPPER_DEPTH = 6


@record
class Handler:
    function: object  # the function node
    export: object  # the node that exports it
    params: list  # parameter pattern nodes by position (identifier, object_pattern, ...)
    is_async: bool
    wrapped: bool

    def param(self, i: int):
        return self.params[i] if i < len(self.params) else None

    def param_name(self, i: int) -> str | None:
        p = self.param(i)
        if p is not None and p.type == "identifier":
            return node_text(p)
        return None


def _params(fn) -> list:
    if fn.type == "arrow_function":
        single = fn.child_by_field_name("parameter")
        if single is not None:
            return [single]
    plist = fn.child_by_field_name("parameters")
    if plist is None:
        return []
    out = []
    for c in plist.named_children:
        t = c.type
        if t == "comment":
            continue
        if t in ("required_parameter", "optional_parameter"):  # TypeScript
            pat = c.child_by_field_name("pattern")
            out.append(pat if pat is not None else c)
        else:
            out.append(c)
    return out


def _is_async(fn) -> bool:
    for c in fn.children:
        if c.type == "async":
            return True
        if c.type in ("(", "formal_parameters", "identifier", "statement_block", "=>"):
            break
    return False


def _member_chain(node) -> list[str] | None:
    """``module.exports.handler`` -> ['module', 'exports', 'handler']; None if not a plain chain."""
    parts: list[str] = []
    node = unwrap_parens(node)
    while node is not None:
        t = node.type
        if t == "member_expression":
            prop = node.child_by_field_name("property")
            parts.append(node_text(prop))
            node = unwrap_parens(node.child_by_field_name("object"))
        elif t == "subscript_expression":
            idx = node.child_by_field_name("index")
            s = string_value(idx) if idx is not None else None
            if s is None:
                return None
            parts.append(s)
            node = unwrap_parens(node.child_by_field_name("object"))
        elif t == "identifier":
            parts.append(node_text(node))
            return list(reversed(parts))
        else:
            return None
    return None


class _TopLevel:
    """Top-level bindings of a program: name -> value/declaration node (read at the first use:
    most handlers are exported as a function expression and never look a name up)."""

    def __init__(self, root):
        self._root = root
        self._bindings: dict[str, object] | None = None

    @property
    def bindings(self) -> dict[str, object]:
        if self._bindings is None:
            self._bindings = self._collect(self._root)
        return self._bindings

    def _collect(self, root) -> dict[str, object]:
        bindings: dict[str, object] = {}
        for stmt in root.named_children:
            decl = stmt
            if stmt.type == "export_statement":
                decl = stmt.child_by_field_name("declaration") or stmt
            t = decl.type
            if t in ("function_declaration", "generator_function_declaration"):
                name = decl.child_by_field_name("name")
                if name is not None:
                    bindings[node_text(name)] = decl
            elif t in ("lexical_declaration", "variable_declaration"):
                for d in decl.named_children:
                    if d.type != "variable_declarator":
                        continue
                    name = d.child_by_field_name("name")
                    value = d.child_by_field_name("value")
                    if name is not None and name.type == "identifier" and value is not None:
                        bindings[node_text(name)] = value
        return bindings


def _resolve_function(node, top: _TopLevel, depth: int = 0):
    """The function a handler expression denotes: (function node, wrapped?) or (None, False)."""
    node = unwrap_parens(node)
    if node is None or depth > MAX_WRAPPER_DEPTH:
        return None, False
    t = node.type
    if t in FUNCTION_TYPES:
        return node, False
    if t in ("identifier", "shorthand_property_identifier"):
        target = top.bindings.get(node_text(node))
        if target is not None and target is not node:
            return _resolve_function(target, top, depth + 1)
        return None, False
    if t in ("as_expression", "satisfies_expression", "non_null_expression", "type_assertion"):
        inner = node.named_children[0] if node.named_children else None
        return _resolve_function(inner, top, depth + 1)
    if t == "call_expression":
        args = node.child_by_field_name("arguments")
        if args is None:
            return None, False
        for a in args.named_children:
            a = unwrap_parens(a)
            if a.type in FUNCTION_TYPES:
                return a, True
        for a in args.named_children:
            fn, _ = _resolve_function(a, top, depth + 1)
            if fn is not None:
                return fn, True
    return None, False


def find_handlers(js) -> list[Handler]:
    root = js.root
    top = _TopLevel(root)
    found: list[Handler] = []

    def add(value, export_node):
        fn, wrapped = _resolve_function(value, top)
        if fn is not None and not any(h.function.id == fn.id for h in found):
            found.append(Handler(fn, export_node, _params(fn), _is_async(fn), wrapped))

    for stmt in root.named_children:
        t = stmt.type
        if t == "expression_statement":
            expr = unwrap_parens(stmt.named_children[0]) if stmt.named_children else None
            if expr is None or expr.type != "assignment_expression":
                continue
            left = expr.child_by_field_name("left")
            right = expr.child_by_field_name("right")
            chain = _member_chain(left)
            if chain in (["exports", "handler"], ["module", "exports", "handler"]):
                add(right, expr)
            elif chain == ["module", "exports"]:
                obj = unwrap_parens(right)
                if obj is not None and obj.type == "identifier":
                    obj = top.bindings.get(node_text(obj), obj)
                if obj is not None and obj.type == "object":
                    for prop in obj.named_children:
                        if prop.type == "pair":
                            key = prop.child_by_field_name("key")
                            kname = string_value(key) if key.type == "string" else node_text(key)
                            if kname == "handler":
                                add(prop.child_by_field_name("value"), expr)
                        elif prop.type == "shorthand_property_identifier" and node_text(prop) == "handler":
                            add(prop, expr)
                        elif prop.type == "method_definition":
                            name = prop.child_by_field_name("name")
                            if name is not None and node_text(name) == "handler":
                                add(prop, expr)
        elif t == "export_statement":
            decl = stmt.child_by_field_name("declaration")
            if decl is not None:
                if decl.type in ("function_declaration", "generator_function_declaration"):
                    name = decl.child_by_field_name("name")
                    if name is not None and node_text(name) == "handler":
                        add(decl, stmt)
                elif decl.type in ("lexical_declaration", "variable_declaration"):
                    for d in decl.named_children:
                        if d.type == "variable_declarator":
                            name = d.child_by_field_name("name")
                            if name is not None and node_text(name) == "handler":
                                add(d.child_by_field_name("value"), stmt)
            else:
                for clause in stmt.named_children:
                    if clause.type != "export_clause":
                        continue
                    for spec in clause.named_children:
                        if spec.type != "export_specifier":
                            continue
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias")
                        exported = node_text(alias) if alias is not None else (node_text(name) if name is not None else "")
                        if exported == "handler" and name is not None:
                            add(name, stmt)
    return found


LAMBDA_FIRST = {"event", "evt", "e", "req", "request"}
LAMBDA_SECOND = {"context", "ctx"}


def looks_like_lambda(h: Handler) -> bool:
    """``(event, context, callback)``: the AWS Lambda / Netlify argument order."""
    return h.param_name(0) in LAMBDA_FIRST and h.param_name(1) in LAMBDA_SECOND


def twilio_handlers(file) -> list[Handler]:
    """The Twilio handlers of a function file of a Twilio project (empty otherwise)."""
    project = file.project
    if not project.is_function_file(file) or not project.is_twilio:
        return []
    cached = file.__dict__.get("_twilio_handlers")
    if cached is not None:  # every handler rule asks; found once per parse (release() drops it)
        return cached
    js = file.js
    if js is None or js.has_error:
        return []
    handlers = find_handlers(js)
    if project.twilio_evidence != "strong":
        handlers = [h for h in handlers if not looks_like_lambda(h)]
    file.__dict__["_twilio_handlers"] = handlers
    return handlers
