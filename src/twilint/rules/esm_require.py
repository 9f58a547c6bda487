"""# esm-require

## What it does

Flags `require()` of a package that is ESM-only in the version the project gets: a
`node_modules/<pkg>/package.json` with `"type": "module"` and no `require` export condition (or
`.mjs` entry points), else a lockfile version, else a declared range that admits an ESM-only major
from the table in `rules/platform/esm-only.toml` (node-fetch 3, got 12, p-retry 5, chalk 5,
nanoid 4, inquirer 9, ...; each verified from the package's own package.json on npm). A range
like `^2.6.7` never admits node-fetch 3 and is fine; `>=2`, `*` and `latest` are not. In TypeScript
and compiled sources a static `import` counts too, since the compiler turns it into `require()`.

Not flagged: dynamic `import()`, `import('...')` inside comments and JSDoc types, packages with a
`require` export condition (nanoid 3), and CommonJS majors of the listed packages.

The finding is reported at each `require()`; when the package is declared and has a CommonJS
major, a second finding on its `package.json` entry carries the fix that pins that major.

Severity depends on the runtime the project deploys to (`runtime` in `.twilioserverlessrc`): an
error on node20 and older or when no runtime is set; a warning on node22 (Node 22.14, see below)
and node24, which can `require()` an ES module that has no top-level await. Even there
`require()` returns the module namespace, so `const fetch = require('node-fetch')` is not a
function: the default export is at `.default`.

## Why

Functions run as CommonJS: "At the moment, Functions only support CJS, but many packages such as
p-retry that you might want to use are now only exported as ESM." [002:7803]. Requiring one fails:
"Error [ERR_REQUIRE_ESM]: Must use import to load ES Module ... require() of ES modules is not
supported." [002:7756-7767]; "V5 and newer versions of p-retry are exported as ES Modules"
[002:10664-10665]. Node 20.19+ and 22.12+ enable `require(esm)` by default, but whether the
platform's node22 build allows it is unverified (platform-notes §3.3), hence only a warning there.

## Example

```js
const got = require('got');

exports.handler = async (context, event, callback) => {
  const body = await got('https://example.com').json();
  return callback(null, body);
};
```

## Use instead

```js
exports.handler = async (context, event, callback) => {
  const { default: got } = await import('got');
  const body = await got('https://example.com').json();
  return callback(null, body);
};
```

## Fix safety

Two fixes, both **unsafe**:

- On the `package.json` entry (preferred, and what function-templates itself did, platform-notes
  §3.3 and §4.3): pin the last CommonJS major, e.g. `"node-fetch": "^3.3.2"` -> `"^2.7.0"`. Unsafe:
  it downgrades to a major with a different API, and "pinning to an older version ... opens you up
  to vulnerabilities" [002:7803].
- At the `require()`, only when no CommonJS major can be pinned: move
  `const x = require('x')` into the async handler as `const { default: x } = await import('x')`
  [002:7840], when `x` is used only inside that handler. Unsafe: the module now loads on each
  invocation, and its default export may not be what `require()` returned.
"""

from __future__ import annotations

from twilint.analysis import modules as M
from twilint.model import UNSAFE, Edit, Fix, Rule, Severity

NAME = "esm-require"


class EsmRequire(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "require() of an ESM-only package fails with ERR_REQUIRE_ESM (Functions are CommonJS)"
    fixable = UNSAFE
    file_kinds = frozenset()

    def check_project(self, ctx, project):
        if not project.is_twilio:
            return ()
        rid, node = M.runtime_node_version(project, ctx.facts)
        supported = M.require_esm_supported(node)
        pj = M.package_json_target(project)
        by_package: dict[str, list] = {}
        verdicts = {}
        for ref in M.project_refs(project, targets_only=pj is None):
            if ref.spec.category != "package" or ref.package in M.PLATFORM_PROVIDED:
                continue
            if not M.loads_with_require(ref):
                continue
            key = (ref.package, ref.spec.subpath)
            if key not in verdicts:
                verdicts[key] = M.esm_verdict(project, ref.package, ref.spec.subpath)
            v = verdicts[key]
            if v.esm is not True:
                continue
            by_package.setdefault(ref.package, []).append((ref, v))

        severity = Severity.WARNING if supported else Severity.ERROR
        runtime_note = _runtime_note(rid, node, supported)
        for package, items in by_package.items():
            verdict = items[0][1]
            pin = _pin_fix(project, package, verdict)
            for ref, v in items:
                if ref.file.path not in project.targets:
                    continue
                how = "imports" if ref.kind in ("import", "export-from") else "requires"
                compiled = " (compiled to require())" if ref.kind in ("import", "export-from") else ""
                msg = f"`{ref.specifier}` is ESM-only: {v.detail}; this {how} it{compiled}, {runtime_note}"
                if pin is not None:
                    msg += f"; pin `{pin[1]}` (the last CommonJS major) in package.json"
                    fix = None
                else:
                    fix = _import_fix(ref)
                    if fix is None:
                        msg += "; load it with `await import()` inside the async handler"
                start, end = (ref.node.start_byte, ref.node.end_byte) if ref.kind == "require" else (ref.spec_node.start_byte, ref.spec_node.end_byte)
                ctx.report(ref.file, start, end, msg, fix, severity)
            if pin is not None and pj is not None:
                active = [r for r, _ in items if M.site_active(r, NAME)]
                if not active:
                    continue
                decl = verdict.declaration
                value = decl.value
                fix = Fix(
                    [Edit.replace(value.start, value.end, f'"{pin[0]}"')],
                    f"Pin `{package}` to `{pin[1]}`, its last CommonJS major",
                    UNSAFE,
                    f"downgrades {decl.real_name} to an older major with a different API that may no longer get fixes [002:7803]",
                )
                msg = (
                    f"`{package}` `{decl.spec}` is ESM-only ({verdict.detail}) but {M.describe_sites(active)} "
                    f"loads it with require(), {runtime_note}; pin `{pin[1]}`, the last CommonJS major"
                )
                ctx.report(pj, value.start, value.end, msg, fix, severity)
        return ()


def _runtime_note(rid, node, supported) -> str:
    if supported:
        return (
            f"which throws ERR_REQUIRE_ESM before Node 22.12; {rid} runs Node {node}, which can require() "
            "an ES module without top-level await (unverified on the platform, platform-notes §3.3), and "
            "require() then returns the module namespace (the default export is at `.default`)"
        )
    if rid is None:
        return "which throws ERR_REQUIRE_ESM on Functions (the project sets no `runtime`, so it may deploy to a runtime without require(esm))"
    if node is None:
        return f"which throws ERR_REQUIRE_ESM on Functions (runtime `{rid}` is unknown)"
    return f"which throws ERR_REQUIRE_ESM on {rid} (Node {node} cannot require() ES modules)"


def _pin_fix(project, package, verdict) -> tuple[str, str] | None:
    """(new spec text, the pinned range) when the declared entry can pin a CommonJS major."""
    decl = verdict.declaration
    entry = verdict.entry
    if decl is None or entry is None or entry.pin is None or decl.value.kind != "string":
        return None
    if decl.kind in ("exact", "range", "tag", "empty"):
        return entry.pin, entry.pin
    if decl.kind == "alias":
        return f"npm:{decl.real_name}@{entry.pin}", entry.pin
    return None


# -- the await import() rewrite --------------------------------------------------------------


def _import_fix(ref) -> Fix | None:
    from twilint.analysis.handler import twilio_handlers

    if ref.kind != "require":
        return None
    call = ref.node
    decl = call.parent
    if decl is None or decl.type != "variable_declarator":
        return None
    value = decl.child_by_field_name("value")
    if value is None or value.id != call.id:
        return None
    name_node = decl.child_by_field_name("name")
    stmt = decl.parent
    if stmt is None or stmt.type not in ("lexical_declaration", "variable_declaration"):
        return None
    if len([c for c in stmt.named_children if c.type == "variable_declarator"]) != 1:
        return None
    keyword = stmt.children[0].text.decode()
    src = ref.spec_node.text.decode()
    if name_node.type == "identifier":
        names = [name_node.text.decode()]
        new_decl = f"{keyword} {{ default: {names[0]} }} = await import({src});"
    elif name_node.type == "object_pattern" and all(
        c.type == "shorthand_property_identifier_pattern" for c in name_node.named_children
    ):
        names = [c.text.decode() for c in name_node.named_children]
        new_decl = f"{keyword} {name_node.text.decode()} = await import({src});"
    else:
        return None
    file = ref.file
    if ref.function is not None:
        # Already inside a function: rewrite in place when that function is async.
        if not _is_async(ref.function):
            return None
        return Fix(
            [Edit.replace(stmt.start_byte, stmt.end_byte, new_decl if stmt.text.decode().endswith(";") else new_decl[:-1])],
            f"Load `{ref.specifier}` with `await import()`",
            UNSAFE,
            "the default export of an ES module may differ from what require() returned",
        )
    if stmt.parent is None or stmt.parent.type != "program":
        return None
    handlers = [h for h in twilio_handlers(file) if h.is_async]
    if len(handlers) != 1:
        return None
    fn = handlers[0].function
    body = fn.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return None
    # Every use of the bound names must be inside the handler.
    for ident in _identifiers(file.js.root, set(names)):
        if name_node.start_byte <= ident.start_byte < name_node.end_byte:
            continue
        if not (body.start_byte <= ident.start_byte < body.end_byte):
            return None
    data = file.data
    line_start = data.rfind(b"\n", 0, stmt.start_byte) + 1
    line_end = data.find(b"\n", stmt.end_byte)
    line_end = len(data) if line_end < 0 else line_end + 1
    whole_lines = not data[line_start : stmt.start_byte].strip() and not data[stmt.end_byte : line_end].strip()
    if whole_lines:
        end = line_end
        nxt = data.find(b"\n", end)
        prev_blank = line_start == 0 or not data[data.rfind(b"\n", 0, line_start - 1) + 1 : line_start].strip()
        if nxt >= 0 and not data[end:nxt].strip() and prev_blank:
            end = nxt + 1  # and the blank line that separated it from the code below
        delete = Edit.replace(line_start, end, "")
    else:
        delete = Edit.replace(stmt.start_byte, stmt.end_byte, "")
    stmts = [c for c in body.named_children if c.type != "comment"]
    if stmts:
        indent = _indent_of(data, stmts[0].start_byte)
    else:
        indent = _indent_of(data, fn.start_byte) + "  "
    brace = body.start_byte + 1
    insert = Edit.replace(brace, brace, "\n" + indent + new_decl)
    return Fix(
        [delete, insert],
        f"Load `{ref.specifier}` with `await import()` inside the handler",
        UNSAFE,
        "the module now loads on each invocation, and its default export may differ from what require() returned",
    )


def _is_async(fn) -> bool:
    for c in fn.children:
        if c.type == "async":
            return True
        if c.type in ("(", "formal_parameters", "identifier", "statement_block", "=>"):
            break
    return False


def _identifiers(root, names: set[str]):
    stack = [root]
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "shorthand_property_identifier") and n.text.decode() in names:
            yield n
        stack.extend(n.children)


def _indent_of(data: bytes, offset: int) -> str:
    start = data.rfind(b"\n", 0, offset) + 1
    i = start
    while i < offset and data[i : i + 1] in (b" ", b"\t"):
        i += 1
    return data[start:i].decode()


RULE = EsmRequire()
