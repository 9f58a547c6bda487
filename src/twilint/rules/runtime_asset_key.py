"""# runtime-asset-key

## What it does

Resolves every static key read on `Runtime.getAssets()` (directly, through a variable that holds
it, or by destructuring) against the Assets the project really deploys, and flags:

- a key with no leading slash (`'names.json'` instead of `'/names.json'`);
- a key with the `.private.` marker (`'/names.private.json'`): it is removed at upload;
- a key with no extension (`'/names'`) when exactly one private Asset `names.<ext>` exists;
- a key naming a public or protected Asset: `getAssets()` only returns private ones;
- a key naming no Asset at all;
- `.filePath` read on an entry: the property is `.path`.

Keys are checked in Functions and private script Assets. Keys computed at run time are skipped,
and "no such Asset" is only reported when the project has an assets folder in the checkout (not
build output).

## Why

"getAssets() only returns private Assets." and "the leading / and extension must be part of the
key used to access the object returned by Runtime.getAssets()", for example
`Runtime.getAssets()['/names.json'].path` [002:4112-4116]; "the leading slash is necessary"
[002:16364]. "To mark an Asset as private, include .private. in the filename. ... the .private.
annotation will be removed during upload." [002:2066]. The entry's properties are `path` and
`open` [002:4121-4126]; the docs' `asset.filePath` comment [002:1458] is a doc bug (seed-facts
§10 D-8). A wrong key gives `undefined`, and `.path` on it throws.

## Example

```js
exports.handler = (context, event, callback) => {
  const names = JSON.parse(Runtime.getAssets()['names.private.json'].open());
  return callback(null, names);
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const names = JSON.parse(Runtime.getAssets()['/names.json'].open());
  return callback(null, names);
};
```

## Fix safety

Safe when exactly one private Asset matches the corrected key: the key is rewritten to it
(adding the slash, removing `.private.`, adding the extension), and `.filePath` becomes `.path`.
The original key can match nothing, so only reads that were `undefined` change. No fix for a
public or protected Asset (rename the file to `*.private.*` yourself), a missing Asset, several
candidates, or a string with escape sequences.
"""

from __future__ import annotations

import re

from twilint.analysis.deploy_paths import asset_entries, strip_marker
from twilint.analysis.responses import runtime_key_uses, server_code
from twilint.model import SAFE, Edit, Fix, Rule, Severity
from twilint.sources.js import node_text

NAME = "runtime-asset-key"
_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def key_fix(use, new_key: str, what: str):
    """Rewrite the key of a KeyUse to ``new_key`` (keeps the quote style)."""
    node = use.key_node
    if use.via == "subscript" and node.type == "string":
        if any(c.type == "escape_sequence" for c in node.named_children):
            return None
        q = node_text(node)[0]
        if q in new_key or "\\" in new_key:
            return None
        return Fix([Edit.replace(node.start_byte, node.end_byte, f"{q}{new_key}{q}")], what, SAFE)
    if use.via == "subscript" and node.type == "template_string":
        if "`" in new_key or "$" in new_key or "\\" in new_key:
            return None
        return Fix([Edit.replace(node.start_byte, node.end_byte, f"`{new_key}`")], what, SAFE)
    if use.via == "member":
        access = use.access
        obj = access.child_by_field_name("object")
        between = file_bytes(access)[obj.end_byte - access.start_byte:node.start_byte - access.start_byte]
        if b"?" in between or "'" in new_key:
            return None
        return Fix([Edit.replace(obj.end_byte, access.end_byte, f"['{new_key}']")], what, SAFE)
    if use.via == "pattern" and node.type == "string":
        if any(c.type == "escape_sequence" for c in node.named_children):
            return None
        q = node_text(node)[0]
        if q in new_key:
            return None
        return Fix([Edit.replace(node.start_byte, node.end_byte, f"{q}{new_key}{q}")], what, SAFE)
    return None


def file_bytes(node) -> bytes:
    return node.text


def filepath_findings(ctx, file, use, helper: str):
    for m in use.entry_members:
        if m.type != "member_expression":
            continue
        prop = m.child_by_field_name("property")
        if prop is not None and node_text(prop) == "filePath":
            ctx.report(file, prop.start_byte, prop.end_byte,
                       f"{helper} entries have `.path`, not `.filePath` (always undefined)",
                       Fix([Edit.replace(prop.start_byte, prop.end_byte, "path")], "Use `.path`", SAFE))


class RuntimeAssetKey(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "A Runtime.getAssets() key that names no private Asset (slash, .private., extension, visibility)"
    fixable = SAFE
    file_kinds = frozenset({"js", "ts"})
    triggers = (b"Runtime",)  # findings are on Runtime.getAssets()
    example_files = {"assets/names.private.json": '["Ahoy"]\n'}

    def check_file(self, ctx, file):
        if not server_code(file):
            return ()
        uses = runtime_key_uses(file, "getAssets")
        if not uses:
            return ()
        entries = asset_entries(file.project)
        private = {e.key: e for e in entries or () if e.visibility == "private"}
        others = {e.key: e for e in entries or () if e.visibility != "private"}
        for use in uses:
            filepath_findings(ctx, file, use, "Runtime.getAssets()")
            key = use.key
            if key is None or entries is None or key in private:
                continue
            if key in ("hasOwnProperty", "toString", "constructor", "length") or key.startswith("__"):
                continue
            self._check_key(ctx, file, use, key, private, others)
        return ()

    def _check_key(self, ctx, file, use, key, private, others):
        problems = []
        norm = key
        if not norm.startswith("/"):
            norm = "/" + norm
            problems.append("the leading `/` is missing")
        head, _, base = norm.rpartition("/")
        stripped, marker = strip_marker(base)
        if marker == "private":
            norm = f"{head}/{stripped}"
            problems.append("the `.private.` marker is removed at upload")
        target = None
        if norm in private:
            target = norm
        elif "." not in norm.rsplit("/", 1)[-1]:
            matches = sorted(k for k in private if k.rsplit(".", 1)[0] == norm and "." in k.rsplit("/", 1)[-1])
            if len(matches) == 1:
                target = matches[0]
                problems.append("the extension is part of the key")
            elif len(matches) > 1:
                ctx.report(file, use.key_node.start_byte, use.key_node.end_byte,
                           f"Runtime.getAssets() key `{key}` has no extension; it could be "
                           + " or ".join(f"`{m}`" for m in matches))
                return
        if target is not None:
            why = "; ".join(problems)
            ctx.report(file, use.key_node.start_byte, use.key_node.end_byte,
                       f"Runtime.getAssets() key `{key}` matches nothing ({why}): use `{target}`",
                       key_fix(use, target, f"Use `{target}`"))
            return
        other = others.get(norm) or others.get(key)
        if other is not None:
            ctx.report(file, use.key_node.start_byte, use.key_node.end_byte,
                       f"`{other.rel}` is a {other.visibility} Asset: Runtime.getAssets() only returns private "
                       f"Assets, so `{key}` is undefined; rename it to `{_private_name(other.rel)}`")
            return
        ctx.report(file, use.key_node.start_byte, use.key_node.end_byte,
                   f"Runtime.getAssets() key `{key}` names no private Asset of this project: it is undefined")


def _private_name(rel: str) -> str:
    head, _, base = rel.rpartition("/")
    stripped, _ = strip_marker(base)
    stem, dot, ext = stripped.partition(".")
    new = f"{stem}.private.{ext}" if dot else f"{stem}.private"
    return f"{head}/{new}" if head else new


RULE = RuntimeAssetKey()
