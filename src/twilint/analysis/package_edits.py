"""Byte-range edits of ``package.json`` that keep its formatting.

Indentation (spaces or tabs, any width), key order, the final newline and the line endings stay
as they were: an insert copies the indentation of its neighbours and goes where npm would put it
(dependencies are kept sorted by name when they already are), a removal takes exactly the member
and one separating comma.
"""

from __future__ import annotations

import json

from twilint.model import Edit


def _line_indent(data: bytes, offset: int) -> str:
    start = data.rfind(b"\n", 0, offset) + 1
    i = start
    while i < offset and data[i : i + 1] in (b" ", b"\t"):
        i += 1
    return data[start:i].decode("ascii", "replace")


def _indent_unit(data: bytes, root) -> str:
    """The file's indentation step (from the root object's first member), default two spaces."""
    if root.members:
        first = root.members[0]
        ind = _line_indent(data, first.key_start)
        if data.rfind(b"\n", root.start, first.key_start) >= 0 and ind:
            return ind
    return "  "


def _pair(name: str, spec: str) -> str:
    return f"{json.dumps(name)}: {json.dumps(spec)}"


def _is_sorted(keys: list[str]) -> bool:
    return all(a.lower() <= b.lower() for a, b in zip(keys, keys[1:]))


def insert_member(data: bytes, obj, name: str, value_text: str, unit: str, sort: bool = True) -> Edit:
    """Insert ``"name": <value_text>`` into the JSON object ``obj``."""
    pair = f"{json.dumps(name)}: {value_text}"
    multiline = data.find(b"\n", obj.start, obj.end) >= 0
    if not obj.members:
        outer = _line_indent(data, obj.start)
        inner = outer + unit
        return Edit.replace(obj.start, obj.end, "{\n" + inner + pair + "\n" + outer + "}")
    keys = obj.keys()
    members = obj.members
    target = None
    if sort and _is_sorted(keys):
        for m in members:
            if m.key.lower() > name.lower():
                target = m
                break
    if target is not None:
        if multiline:
            sep = ",\n" + _line_indent(data, target.key_start)
        else:
            sep = ", "
        return Edit.replace(target.key_start, target.key_start, pair + sep)
    last = members[-1]
    if multiline:
        sep = ",\n" + _line_indent(data, last.key_start)
    else:
        sep = ", "
    return Edit.replace(last.value.end, last.value.end, sep + pair)


def add_dependency(file, field: str, name: str, spec: str) -> Edit | None:
    """Add ``name: spec`` to ``field`` (creating the field when it is missing)."""
    root = file.value
    if root is None or root.kind != "object":
        return None
    data = file.data
    unit = _indent_unit(data, root)
    deps = root.get(field)
    if deps is not None:
        if deps.kind != "object":
            return None
        return insert_member(data, deps, name, json.dumps(spec), unit)
    outer = _line_indent(data, root.members[0].key_start) if root.members else ""
    block = "{\n" + outer + unit + _pair(name, spec) + "\n" + outer + "}"
    if not data[root.start : root.end].count(b"\n"):
        block = "{ " + _pair(name, spec) + " }"
    return insert_member(data, root, field, block, unit, sort=False)


def remove_member(data: bytes, obj, member) -> Edit:
    """Remove ``member`` from ``obj`` with one separating comma."""
    members = obj.members
    i = next(k for k, m in enumerate(members) if m is member)
    if len(members) == 1:
        return Edit.replace(obj.start + 1, obj.end - 1, "")
    if i < len(members) - 1:
        return Edit.replace(member.key_start, members[i + 1].key_start, "")
    return Edit.replace(members[i - 1].value.end, member.value.end, "")
