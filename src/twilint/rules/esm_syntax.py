"""# esm-syntax

## What it does

Flags static `import` / `export` statements and `import.meta` in a deployed `.js` function or
private `.js` asset. Those files are loaded as CommonJS, where this syntax does not parse.

TypeScript sources are not flagged: they compile to CommonJS. When `functionsFolder` points at
build output (`dist/functions`, `out/functions`: a compiled or bundled project), twilint checks
the sources, and this rule looks at the compiled `.js` files in that folder instead, when they
exist, and reports ESM left in them on the config's `functionsFolder`.

Dynamic `import()` is fine and is not flagged.

## Why

"At the moment, Functions only support CJS" [002:7803], and p-retry's page says "Functions
currently do not support the necessary import syntax" [002:10664-10665]. Only `.js` files are
deployed as Functions (platform-notes §1.4); TypeScript compiles ahead of time with
`"module": "commonjs"` [002:2782].

## Example

```js
import twilio from 'twilio';

export const handler = (context, event, callback) => {
  callback(null, 'ok');
};
```

## Use instead

```js
const twilio = require('twilio');

exports.handler = (context, event, callback) => {
  callback(null, 'ok');
};
```

## Fix safety

No fix: converting between module systems changes how names bind (live bindings, default
interop, hoisting), so it is left to the author.
"""

from __future__ import annotations

import os

from twilint.model import Rule, Severity
from twilint.sources.js import typed

NAME = "esm-syntax"


def esm_statements(root):
    """Top-level import/export statements and ``import.meta`` uses in a tree."""
    out = []
    for c in root.named_children:
        if c.type == "import_statement":
            out.append((c, "`import` statement"))
        elif c.type == "export_statement":
            out.append((c, "`export` statement"))
    out.extend((n, "`import.meta`") for n in typed(root, "meta_property") if n.text.startswith(b"import"))
    return sorted(out, key=lambda x: x[0].start_byte)


class EsmSyntax(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "Static import/export in a deployed .js Function: Functions load as CommonJS"
    fixable = None
    file_kinds = frozenset({"js"})
    triggers = (b"import", b"export")

    def check_file(self, ctx, file):
        project = file.project
        if project.bundled or not project.is_twilio or file.path.suffix != ".js":
            return ()
        if not (file.role == "function" or (file.role == "asset" and file.visibility == "private")):
            return ()
        js = file.js
        if js is None or js.problems:
            return ()
        for node, what in esm_statements(js.root):
            ctx.report(
                file, node.start_byte, node.end_byte,
                f"{what} in a deployed .js file: Functions load as CommonJS, so it is a syntax error "
                "at deploy; use require()/exports, or `await import()` inside the handler",
            )
        return ()

    def check_project(self, ctx, project):
        """Compiled output of a bundled project: ESM left in it fails the same way."""
        if not project.bundled or not project.is_twilio:
            return ()
        cfg_file = project.serverless_config_file
        cfg = project.serverless_config
        if cfg_file is None or cfg is None or cfg.kind != "object":
            return ()
        v = cfg.get("functionsFolder")
        if v is None or v.kind != "string" or not v.data or "\0" in v.data:
            return ()
        from twilint.project import InputError, read_file_in, within

        out_dir = (project.root / v.data).resolve()
        if not os.path.isdir(out_dir) or not within(out_dir, project.root):
            return ()  # (twilint reads nothing outside the project)
        from twilint.sources.js import parse_script

        found = []
        for dirpath, dirnames, filenames in os.walk(out_dir):
            dirnames[:] = sorted(d for d in dirnames if d != "node_modules")
            for fn in sorted(filenames):
                if not fn.endswith(".js") or fn.endswith(".min.js"):
                    continue
                path = os.path.join(dirpath, fn)
                try:  # (as every project file is read: a regular file in the project, never a FIFO)
                    data = read_file_in(path, project.root)
                except (InputError, OSError):
                    continue
                if b"import" not in data and b"export" not in data:
                    continue
                tree = parse_script(data, "javascript")
                if tree.problems:
                    continue
                if esm_statements(tree.root):
                    found.append(os.path.relpath(path, project.root))
            if len(found) > 20:
                break
        if found:
            more = f" and {len(found) - 1} more" if len(found) > 1 else ""
            span_file = cfg_file
            ctx.report(
                span_file, v.start, v.end,
                f"the compiled output in `{v.data}` still uses ESM syntax ({found[0]}{more}): "
                "compile to CommonJS (\"module\": \"commonjs\", or the bundler's `format: 'cjs'`)",
            )
        return ()


RULE = EsmSyntax()
