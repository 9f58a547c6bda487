"""# deprecated-node-api

## What it does

Flags calls of Node.js APIs that the Node version the project deploys to has deprecated or
removed: `new Buffer()` / `Buffer()`, `url.parse()` and `url.resolve()`, `require('punycode')`,
`util.isArray()` and the other `util.is*()` helpers, `util._extend()`, `crypto.createCipher()`,
and more, from the table in `rules/platform/node-deprecations.toml` (keyed by the Node major where
each deprecation stage starts, with its DEP code). Module bindings are followed
(`const { parse } = require('node:url')`, `import * as url from 'url'`, ...).

The Node version is the one of the `runtime` in `.twilioserverlessrc` (node22 runs Node 22.14.0),
else the platform's default runtime. The message says which stage the API has reached there
(documentation-only deprecation, runtime warning, or removed: the call throws). The node upgrade
migration uses the same table for the runtime it moves to.

## Why

Functions run on the Node version of their runtime ([002:7919-7936]); moving to a new runtime is
where these break: "While there are no syntax changes required for the upgrade from Node.js v18 to
v22, a possible area of impact is your Service's NPM dependencies." [002:17151], and removed APIs
throw at run time. The stages and versions come from the Node.js deprecations list (DEP codes in
the table).

## Example

```js
exports.handler = (context, event, callback) => {
  const payload = new Buffer(event.Body || '', 'utf8');
  callback(null, payload.toString('base64'));
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const payload = Buffer.from(event.Body || '', 'utf8');
  callback(null, payload.toString('base64'));
};
```

## Fix safety

No fix: most replacements differ in edge cases (`url.parse` accepts inputs `new URL` rejects,
`Buffer.from` and `new Buffer(number)` differ), so the author rewrites them.
"""

from __future__ import annotations

from twilint.analysis import modules as M
from twilint.analysis.node_apis import deprecated_uses
from twilint.model import Rule, Severity

NAME = "deprecated-node-api"
STAGES = {
    "doc": "is deprecated (documentation-only)",
    "runtime": "is deprecated and prints a runtime warning",
    "removed": "was removed: the call throws",
}


class DeprecatedNodeApi(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "A Node API the deployed Node version deprecates or removes (new Buffer(), url.parse(), punycode, ...)"
    fixable = None
    file_kinds = frozenset({"js", "ts"})

    def check_file(self, ctx, file):
        project = file.project
        if not project.is_twilio:
            return ()
        if not (file.role == "function" or (file.role == "asset" and file.visibility == "private")):
            return ()
        major = M.node_major(project, ctx.facts)
        rid, _ = M.runtime_node_version(project, ctx.facts)
        target = f"{rid} (Node {major})" if rid else f"Node {major}, the platform's default runtime"
        for use in deprecated_uses(file, major):
            a = use.api
            ctx.report(
                file, use.node.start_byte, use.node.end_byte,
                f"`{a.display}` {STAGES[use.stage]} on {target} ({a.describe(major)}); use {a.instead}",
            )
        return ()


RULE = DeprecatedNodeApi()
