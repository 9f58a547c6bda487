"""Strict JSON (package.json, lockfiles, .twiliodeployinfo) parsed with tree-sitter-json.

tree-sitter gives the byte spans; Python's ``json`` module is the judge of strictness (npm reads
package.json with ``JSON.parse``, which rejects comments and trailing commas that tree-sitter-json
tolerates).
"""

from __future__ import annotations

import json

from twilint.sources import values as V
from twilint.sources.values import Value, ValueSyntaxError

_PARSER = None
MAX_DEPTH = 400


def _parser():
    global _PARSER
    if _PARSER is None:
        import tree_sitter as ts

        from twilint.sources.submodules import submodule

        _PARSER = ts.Parser(ts.Language(submodule("tree_sitter_json", "_binding").language()))
    return _PARSER


def _char_to_byte(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8"))


def parse_json(data: bytes) -> Value:
    """Parse strict JSON into a :class:`Value` tree with byte spans."""
    text = data.decode("utf-8")
    try:
        json.loads(text)
    except RecursionError:
        raise ValueSyntaxError("JSON nested too deeply", 0) from None
    except json.JSONDecodeError as exc:
        raise ValueSyntaxError(f"invalid JSON: {exc.msg}", _char_to_byte(text, exc.pos)) from None
    tree = _parser().parse(data)
    root = tree.root_node
    node = next((c for c in root.named_children if c.type != "comment"), None)
    if node is None:
        raise ValueSyntaxError("empty JSON document", 0)
    return _convert(node, 0)


def _convert(node, depth: int) -> Value:
    if depth > MAX_DEPTH:
        raise ValueSyntaxError("JSON nested too deeply", node.start_byte)
    t = node.type
    if t == "object":
        v = Value(V.OBJECT, node.start_byte, node.end_byte)
        for pair in node.named_children:
            if pair.type != "pair":
                continue
            key = pair.child_by_field_name("key")
            val = pair.child_by_field_name("value")
            if key is None or val is None:
                continue
            v.members.append(
                V.Member(_string(key), key.start_byte, key.end_byte, _convert(val, depth + 1))
            )
        return v
    if t == "array":
        items = [_convert(c, depth + 1) for c in node.named_children if c.type != "comment"]
        return Value(V.ARRAY, node.start_byte, node.end_byte, items)
    if t == "string":
        return Value(V.STRING, node.start_byte, node.end_byte, _string(node), quote='"')
    if t == "number":
        return Value(V.NUMBER, node.start_byte, node.end_byte, json.loads(node.text))
    if t == "true":
        return Value(V.BOOL, node.start_byte, node.end_byte, True)
    if t == "false":
        return Value(V.BOOL, node.start_byte, node.end_byte, False)
    if t == "null":
        return Value(V.NULL, node.start_byte, node.end_byte, None)
    return Value(V.UNKNOWN, node.start_byte, node.end_byte)


def _string(node) -> str:
    try:
        return json.loads(node.text.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return node.text.decode("utf-8", errors="replace").strip('"')
