"""Calls of Node APIs that a Node major deprecates or removes (table: rules/platform/node-deprecations.toml).

Used by the deprecated-node-api rule and by the node upgrade migration: :func:`deprecated_uses`
gives every use in a file with the stage it has reached in a given Node major.

Module bindings are followed through ``const url = require('url')`` / ``require('node:url')``,
``const { parse: p } = require('url')``, ``import * as url from 'url'``, ``import url from 'url'``,
``import { parse } from 'url'`` and ``require('url').parse(...)`` directly.
"""

from __future__ import annotations

import re
from functools import lru_cache

from twilint.analysis.modules import module_refs
from twilint.records import record
from twilint.sources.js import node_text


@record(frozen=True)
class Api:
    id: str
    kind: str  # new | call | require | member
    display: str
    instead: str
    source: str
    name: str | None = None
    module: str | None = None
    member: str | None = None
    doc: int | None = None
    runtime: int | None = None
    removed: int | None = None

    def stage(self, major: int) -> str | None:
        """removed / runtime / doc: the furthest stage reached in ``major``; None if none."""
        if self.removed is not None and major >= self.removed:
            return "removed"
        if self.runtime is not None and major >= self.runtime:
            return "runtime"
        if self.doc is not None and major >= self.doc:
            return "doc"
        return None

    def describe(self, major: int) -> str:
        parts = []
        if self.doc is not None:
            parts.append(f"documentation-only deprecation since Node {self.doc}")
        if self.runtime is not None:
            parts.append(f"runtime deprecation warning since Node {self.runtime}")
        if self.removed is not None:
            parts.append(f"removed in Node {self.removed}")
        return f"{self.id}: " + ", ".join(parts)


@lru_cache(maxsize=None)
def api_table() -> tuple[Api, ...]:
    from twilint.facts import _load

    out = []
    for a in _load("node-deprecations.toml").get("api", []):
        members = a.get("members") or [a.get("member")]
        for member in members:
            out.append(Api(
                a["id"], a["kind"], a["display"].replace("{member}", member or ""), a["instead"], a["source"],
                a.get("name"), a.get("module"), member, a.get("doc"), a.get("runtime"), a.get("removed"),
            ))
    return tuple(out)


@record
class Use:
    api: Api
    node: object
    stage: str


def _module_of(ref) -> str | None:
    return ref.spec.builtin if ref.spec.category == "builtin" else None


def deprecated_uses(file, major: int) -> list[Use]:
    js = file.js
    if js is None or js.problems:
        return []
    table = [a for a in api_table() if a.stage(major) is not None]
    if not table or not _may_use(js, table):
        return []
    out: list[Use] = []
    # module bindings: local name -> module ; destructured: local name -> (module, member)
    mod_alias: dict[str, str] = {}
    member_alias: dict[str, tuple[str, str]] = {}
    require_calls = {}
    for ref in module_refs(file):
        mod = _module_of(ref)
        if mod is None:
            continue
        for a in table:
            if a.kind == "require" and a.module == mod:
                out.append(Use(a, ref.node, a.stage(major)))
        if ref.kind == "require":
            require_calls[ref.node.id] = mod
            parent = ref.node.parent
            if parent is not None and parent.type == "variable_declarator":
                name = parent.child_by_field_name("name")
                if name is not None and name.type == "identifier":
                    mod_alias[node_text(name)] = mod
                elif name is not None and name.type == "object_pattern":
                    for c in name.named_children:
                        if c.type == "shorthand_property_identifier_pattern":
                            member_alias[node_text(c)] = (mod, node_text(c))
                        elif c.type == "pair_pattern":
                            k, v = c.child_by_field_name("key"), c.child_by_field_name("value")
                            if k is not None and v is not None and v.type == "identifier":
                                member_alias[node_text(v)] = (mod, node_text(k).strip("'\""))
        elif ref.kind == "import":
            for clause in ref.node.named_children:
                if clause.type != "import_clause":
                    continue
                for c in clause.named_children:
                    if c.type == "identifier":
                        mod_alias[node_text(c)] = mod
                    elif c.type == "namespace_import":
                        ids = [x for x in c.named_children if x.type == "identifier"]
                        if ids:
                            mod_alias[node_text(ids[0])] = mod
                    elif c.type == "named_imports":
                        for spec in c.named_children:
                            if spec.type != "import_specifier":
                                continue
                            n = spec.child_by_field_name("name")
                            al = spec.child_by_field_name("alias")
                            if n is not None:
                                member_alias[node_text(al if al is not None else n)] = (mod, node_text(n))
    for n in js.nodes_of(("new_expression", "call_expression")):
        t = n.type
        callee = n.child_by_field_name("constructor" if t == "new_expression" else "function")
        if callee is not None:
            _match(callee, t, table, mod_alias, member_alias, require_calls, out, n, major)
    out.sort(key=lambda u: u.node.start_byte)
    return out


def _may_use(js, table) -> bool:
    """False when no API of ``table`` can be used in the script ``js``: a byte pre-filter
    (``JsTree.mentions_pattern``). Every use names the API (a global call or constructor) or its
    module (in a require/import string)."""
    needles = _needles(tuple(table))
    return needles is None or js.mentions_pattern(needles)


@lru_cache(maxsize=16)
def _needles(table: tuple) -> re.Pattern[bytes] | None:
    """One expression for every name or module in ``table`` (None: an API names neither). A
    module is named by a string that ends with it (`'url'`, `"node:url"`)."""
    words = set()
    for a in table:
        if a.kind in ("call", "new"):
            if a.name is None:
                return None
            words.add(re.escape(a.name.encode()))
        else:
            if a.module is None:
                return None
            words.add(re.escape(a.module.removeprefix("node:").encode()) + b"['\"`]")
    return re.compile(b"|".join(sorted(words)))


def _match(callee, t, table, mod_alias, member_alias, require_calls, out, node, major) -> None:
    if callee.type == "identifier":
        name = node_text(callee)
        kind = "new" if t == "new_expression" else "call"
        for a in table:
            if a.kind == kind and a.name == name:
                out.append(Use(a, node, a.stage(major)))
        if name in member_alias:
            mod, member = member_alias[name]
            for a in table:
                if a.kind == "member" and a.module == mod and a.member == member:
                    out.append(Use(a, node, a.stage(major)))
    elif callee.type == "member_expression":
        obj = callee.child_by_field_name("object")
        prop = callee.child_by_field_name("property")
        if obj is None or prop is None:
            return
        mod = None
        if obj.type == "identifier":
            mod = mod_alias.get(node_text(obj))
        elif obj.type == "call_expression":
            mod = require_calls.get(obj.id)
        if mod is None:
            return
        member = node_text(prop)
        for a in table:
            if a.kind == "member" and a.module == mod and a.member == member:
                out.append(Use(a, node, a.stage(major)))
