"""Static reading of JavaScript/TypeScript config files (``.twilioserverlessrc.js`` ...).

The file is parsed with tree-sitter and **never executed**. The exported configuration is found
among the top-level statements:

* ``module.exports = <expr>`` (the last one wins),
* ``exports.key = <expr>`` / ``module.exports.key = <expr>`` (members added to the export),
* ``export default <expr>`` and ``export { name as default }``,

where ``<expr>`` may be an identifier naming a top-level ``const``/``let``/``var``. Literals
(objects, arrays, strings, template literals without substitutions, numbers, booleans, ``null``,
``undefined``) become :class:`~twilint.sources.values.Value` trees; anything that would need
evaluation (calls, ``process.env.X``, conditionals, ``${}`` templates...) becomes an ``UNKNOWN``
value spanning the expression. Identifiers that name a top-level variable initialised with a
literal are resolved, and the resulting value spans the literal in the declaration.
"""

from __future__ import annotations

import re

import tree_sitter

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

__all__ = ["parse_js_config", "MAX_DEPTH"]

#: Deepest nesting of object/array literals converted.
MAX_DEPTH = 500


# Wrappers that do not change the value of an expression.
_TRANSPARENT = frozenset(
    (
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
    )
)

_JS_ESCAPE = re.compile(
    r"\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([0-7]{1,3})|(\r\n|[\s\S]))"
)
_SIMPLE_ESCAPES = {
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\n": "",
    "\r": "",
    "\r\n": "",
    "\u2028": "",
    "\u2029": "",
}


def parse_js_config(data: bytes, typescript: bool = False) -> Value:
    """Statically extract the exported config object of a JS (or TS) config file.

    Raises :class:`ValueSyntaxError` if the file does not parse. A file that exports nothing
    recognisable yields an empty ``OBJECT`` value spanning 0..0.
    """
    data = bytes(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueSyntaxError("invalid UTF-8 byte sequence", exc.start) from None
    from twilint.sources.js import parser

    tree = parser("typescript" if typescript else "javascript").parse(data)
    root = tree.root_node
    if root.has_error:
        raise ValueSyntaxError("JavaScript syntax error", _first_error(root))
    try:
        return _Extractor(root).extract()
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the stack shallow
        raise ValueSyntaxError("nesting too deep", 0) from None


def _first_error(root: tree_sitter.Node) -> int:
    """Start byte of the first ERROR or MISSING node (in document order)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            return node.start_byte
        if node.has_error:
            stack.extend(reversed(node.children))
    return root.start_byte  # pragma: no cover - has_error implies such a node


def _decode_js_string(raw: str, template: bool = False) -> str:
    """Decode the escapes of the body of a JS string or template literal."""
    if template:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "\\" not in raw:
        return raw

    def repl(m: re.Match[str]) -> str:
        brace, u4, x2, octal, other = m.groups()
        if brace is not None:
            code = int(brace, 16)
            return chr(code) if code <= 0x10FFFF else "\ufffd"
        if u4 is not None:
            return chr(int(u4, 16))
        if x2 is not None:
            return chr(int(x2, 16))
        if octal is not None:
            if octal == "0":
                return "\0"
            # legacy octal escape: at most \377
            if int(octal, 8) > 0o377:
                return chr(int(octal[:2], 8)) + octal[2]
            return chr(int(octal, 8))
        return _SIMPLE_ESCAPES.get(other, other)

    result = _JS_ESCAPE.sub(repl, raw)
    if any("\ud800" <= c <= "\udfff" for c in result):
        result = result.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return result


def _number_value(text: str) -> int | float | None:
    t = text.replace("_", "")
    if t.endswith("n"):  # BigInt
        t = t[:-1]
    try:
        lower = t.lower()
        if lower.startswith(("0x", "0o", "0b")):
            return int(t, 0)
        if len(t) > 1 and t[0] == "0" and t.isdigit():
            # legacy octal (010 === 8) unless a digit 8/9 makes it decimal (089 === 89)
            return int(t, 8) if all(c in "01234567" for c in t) else int(t, 10)
        if any(c in t for c in ".eE"):
            return float(t)
        return int(t)
    except ValueError:
        try:
            return float(t)
        except ValueError:
            return None


def _number_key(value: int | float) -> str:
    """JavaScript's ToString for a numeric property key."""
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    return str(value)


class _Extractor:
    def __init__(self, root: tree_sitter.Node):
        self.root = root
        # top-level variable name -> initialiser node (None if declared without one)
        self.bindings: dict[str, tree_sitter.Node | None] = {}
        self.resolving: set[str] = set()
        for stmt in root.named_children:
            decl = stmt
            if stmt.type == "export_statement":
                decl = stmt.child_by_field_name("declaration")
                if decl is None:
                    continue
            if decl.type in ("lexical_declaration", "variable_declaration"):
                for declarator in decl.named_children:
                    if declarator.type != "variable_declarator":
                        continue
                    name = declarator.child_by_field_name("name")
                    if name is not None and name.type == "identifier":
                        self.bindings[_text(name)] = declarator.child_by_field_name("value")

    # -- finding the export ----------------------------------------------------------------
    def extract(self) -> Value:
        result: Value | None = None
        # members added with exports.x / module.exports.x when no object literal is exported
        loose: list[Member] = []
        loose_span: list[int] = []
        exports_alias_live = True  # `exports` still refers to the object module.exports holds

        def add_member(key_node: tree_sitter.Node, value_node: tree_sitter.Node, stmt) -> None:
            member = Member(
                _text(key_node), key_node.start_byte, key_node.end_byte, self.convert(value_node)
            )
            if result is not None and result.kind == OBJECT:
                result.members.append(member)
                return
            if result is not None:
                return  # module.exports is a non-object; property assignments are not tracked
            loose.append(member)
            if not loose_span:
                loose_span.extend((stmt.start_byte, stmt.end_byte))
            loose_span[1] = stmt.end_byte

        for stmt in self.root.named_children:
            if stmt.type == "expression_statement":
                expr = stmt.named_children[0] if stmt.named_children else None
                while expr is not None and expr.type == "parenthesized_expression":
                    expr = expr.named_children[0] if expr.named_children else None
                if expr is None or expr.type != "assignment_expression":
                    continue
                left = expr.child_by_field_name("left")
                right = expr.child_by_field_name("right")
                if left is None or right is None:
                    continue
                # module.exports = exports = { ... }
                while right.type == "assignment_expression" and right.child_by_field_name("right"):
                    right = right.child_by_field_name("right")
                if _is_module_exports(left):
                    result = self.convert(right)
                    exports_alias_live = False
                    loose.clear()
                    loose_span.clear()
                elif left.type == "member_expression":
                    obj = left.child_by_field_name("object")
                    prop = left.child_by_field_name("property")
                    if obj is None or prop is None or prop.type != "property_identifier":
                        continue
                    if _is_module_exports(obj) or (
                        exports_alias_live and obj.type == "identifier" and _text(obj) == "exports"
                    ):
                        add_member(prop, right, stmt)
            elif stmt.type == "export_statement":
                value = stmt.child_by_field_name("value")
                if value is not None and any(c.type == "default" for c in stmt.children):
                    result = self.convert(value)
                    continue
                for clause in stmt.named_children:
                    if clause.type != "export_clause":
                        continue
                    for spec in clause.named_children:
                        alias = spec.child_by_field_name("alias")
                        name = spec.child_by_field_name("name")
                        if alias is not None and name is not None and _text(alias) == "default":
                            result = self.convert(name)
        if result is None and loose:
            members = list(loose)
            return Value(OBJECT, loose_span[0], loose_span[1], data=members, members=members)
        if result is None:
            return Value(OBJECT, 0, 0, data=[], members=[])
        return result

    # -- literal conversion ---------------------------------------------------------------
    # ``convert`` recurses once per nesting level (object members and identifier resolution
    # are handled inline), so MAX_DEPTH bounds the Python stack use.
    def convert(self, node: tree_sitter.Node, depth: int = 0) -> Value:
        if depth > MAX_DEPTH:
            raise ValueSyntaxError(
                f"nesting too deep (more than {MAX_DEPTH} levels)", node.start_byte
            )
        resolved: list[str] = []
        try:
            while True:
                t = node.type
                if t in _TRANSPARENT:
                    inner = [c for c in node.named_children if c.type != "comment"]
                    if not inner:
                        break
                    node = inner[0]
                elif t in ("identifier", "shorthand_property_identifier"):
                    name = _text(node)
                    init = self.bindings.get(name)
                    if init is None or name in self.resolving:
                        if name not in self.bindings:
                            if name == "undefined":
                                return Value(NULL, node.start_byte, node.end_byte, data=None)
                            if name in ("Infinity", "NaN"):
                                return Value(
                                    NUMBER, node.start_byte, node.end_byte, data=float(name.lower())
                                )
                        return Value(UNKNOWN, node.start_byte, node.end_byte)
                    self.resolving.add(name)
                    resolved.append(name)
                    node = init
                else:
                    break
            return self._literal(node, depth)
        finally:
            for name in resolved:
                self.resolving.discard(name)

    def _literal(self, node: tree_sitter.Node, depth: int) -> Value:
        t = node.type
        start, end = node.start_byte, node.end_byte
        if t == "object":
            members: list[Member] = []
            for child in node.named_children:
                ct = child.type
                if ct == "pair":
                    key_node = child.child_by_field_name("key")
                    value_node = child.child_by_field_name("value")
                    key = self.key(key_node, depth) if key_node is not None else None
                    if key is None or value_node is None:
                        continue
                    value = self.convert(value_node, depth + 1)
                elif ct == "shorthand_property_identifier":
                    key = (_text(child), child.start_byte, child.end_byte)
                    value = self.convert(child, depth + 1)
                elif ct == "method_definition":
                    name_node = child.child_by_field_name("name")
                    key = self.key(name_node, depth) if name_node is not None else None
                    if key is None:
                        continue
                    value = Value(UNKNOWN, child.start_byte, child.end_byte)
                else:
                    continue  # spread elements, comments
                members.append(Member(key[0], key[1], key[2], value))
            return Value(OBJECT, start, end, data=members, members=members)
        if t == "array":
            elements: list[Value] = []
            after_comma = True  # a ',' here would be a hole
            for child in node.children:
                ct = child.type
                if ct == ",":
                    if after_comma:  # [1, , 2] has a hole, which reads as undefined
                        elements.append(Value(NULL, child.start_byte, child.start_byte))
                    after_comma = True
                elif ct in ("[", "]", "comment"):
                    continue
                else:
                    after_comma = False
                    if ct != "spread_element":
                        elements.append(self.convert(child, depth + 1))
            return Value(ARRAY, start, end, data=elements)
        if t == "string":
            raw = node.text.decode("utf-8")
            return Value(STRING, start, end, data=_decode_js_string(raw[1:-1]), quote=raw[0])
        if t == "template_string":
            if any(c.type == "template_substitution" for c in node.named_children):
                return Value(UNKNOWN, start, end)
            raw = node.text.decode("utf-8")
            return Value(STRING, start, end, data=_decode_js_string(raw[1:-1], True), quote="`")
        if t == "number":
            number = _number_value(_text(node))
            if number is None:
                return Value(UNKNOWN, start, end)
            return Value(NUMBER, start, end, data=number)
        if t == "true" or t == "false":
            return Value(BOOL, start, end, data=t == "true")
        if t == "null" or t == "undefined":
            return Value(NULL, start, end, data=None)
        if t == "unary_expression":
            op = node.child_by_field_name("operator")
            arg = node.child_by_field_name("argument")
            if op is not None and arg is not None and _text(op) in ("-", "+"):
                operand = self.convert(arg, depth + 1)
                if operand.kind == NUMBER:
                    number = operand.data
                    return Value(NUMBER, start, end, data=-number if _text(op) == "-" else number)
            return Value(UNKNOWN, start, end)
        return Value(UNKNOWN, start, end)

    def key(self, node: tree_sitter.Node, depth: int) -> tuple[str, int, int] | None:
        """(name, start, end) of a property key, or None if it is not statically known."""
        t = node.type
        if t == "computed_property_name":
            inner = [c for c in node.named_children if c.type != "comment"]
            if len(inner) != 1:
                return None
            node = inner[0]
            while node.type == "parenthesized_expression" and node.named_children:
                node = node.named_children[0]
            if node.type not in (
                "string",
                "template_string",
                "number",
                "unary_expression",
                "identifier",
            ):
                return None
            value = self.convert(node, depth + 1)
            if value.kind == STRING:
                return value.data, node.start_byte, node.end_byte
            if value.kind == NUMBER:
                return _number_key(value.data), node.start_byte, node.end_byte
            return None
        if t in ("property_identifier", "identifier", "private_property_identifier"):
            return _text(node), node.start_byte, node.end_byte
        if t == "string":
            raw = node.text.decode("utf-8")
            return _decode_js_string(raw[1:-1]), node.start_byte, node.end_byte
        if t == "number":
            number = _number_value(_text(node))
            if number is None:
                return None
            return _number_key(number), node.start_byte, node.end_byte
        return None


def _text(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8")


def _is_module_exports(node: tree_sitter.Node) -> bool:
    if node.type != "member_expression":
        return False
    obj = node.child_by_field_name("object")
    prop = node.child_by_field_name("property")
    return (
        obj is not None
        and prop is not None
        and obj.type == "identifier"
        and _text(obj) == "module"
        and _text(prop) == "exports"
    )
