"""# runtime-function-key

## What it does

Resolves every static key read on `Runtime.getFunctions()` (directly, through a variable or by
destructuring) against the Functions the project really deploys, and flags:

- a key with a leading slash (`'/sms/reply'`) or the `.js` extension (`'sms/reply.js'`), or a
  `.protected`/`.private` marker (`'auth.private'`);
- a key naming no Function of the project;
- `.filePath` read on an entry (the property is `.path`);
- `Runtime.getFunction()`, a typo in the docs' method list, which does not exist.

Keys are checked in Functions and private script Assets; keys computed at run time are skipped.

## Why

"a Function such as sms/reply.js will be returned with a key of "sms/reply". ... do not include
characters such as a leading slash or the .js extension in the key", for example
`Runtime.getFunctions()["sms/reply"].path` [002:4299-4300]; "The path for each function is
relative to the root directory with the .js strapped away." [002:2043], and `.protected.js`
"will not influence the path of the Function" [002:2061]. The method is `getFunctions()`
[002:4054] [002:4262]; `getFunction()` at [002:4062] is a typo (seed-facts §10 D-7). A wrong key
gives `undefined`, and `require(undefined.path)` throws.

## Example

```js
exports.handler = (context, event, callback) => {
  const { greet } = require(Runtime.getFunctions()['/helpers.js'].path);
  return callback(null, greet());
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const { greet } = require(Runtime.getFunctions()['helpers'].path);
  return callback(null, greet());
};
```

## Fix safety

Safe when the corrected key names a Function of the project: the slash, extension and marker are
removed, `.filePath` becomes `.path` and `getFunction(` becomes `getFunctions(`. The original key
or method can match nothing, so only reads that were `undefined` (or threw) change. No fix for a
key that names no Function.
"""

from __future__ import annotations

from twilint.analysis.deploy_paths import function_entries
from twilint.analysis.responses import runtime_calls, runtime_key_uses, server_code
from twilint.model import SAFE, Edit, Fix, Rule, Severity
from twilint.rules.runtime_asset_key import filepath_findings, key_fix

NAME = "runtime-function-key"


class RuntimeFunctionKey(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "A Runtime.getFunctions() key with a slash or .js, or naming no Function; getFunction()"
    fixable = SAFE
    file_kinds = frozenset({"js", "ts"})
    triggers = (b"Runtime",)  # findings are on Runtime.getFunction(s)()
    example_files = {"functions/helpers.private.js": "exports.greet = () => 'Ahoy';\n"}

    def check_file(self, ctx, file):
        if not server_code(file):
            return ()
        for call in runtime_calls(file, "getFunction"):
            prop = call.child_by_field_name("function").child_by_field_name("property")
            ctx.report(file, prop.start_byte, prop.end_byte,
                       "`Runtime.getFunction()` does not exist: the method is `getFunctions()`",
                       Fix([Edit.replace(prop.start_byte, prop.end_byte, "getFunctions")], "Use getFunctions()", SAFE))
        uses = runtime_key_uses(file, "getFunctions")
        if not uses:
            return ()
        entries = function_entries(file.project)
        keys = {e.key for e in entries or ()}
        for use in uses:
            filepath_findings(ctx, file, use, "Runtime.getFunctions()")
            key = use.key
            if key is None or entries is None or key in keys:
                continue
            if key in ("hasOwnProperty", "toString", "constructor", "length") or key.startswith("__"):
                continue
            norm, problems = key, []
            if norm.startswith("/"):
                norm = norm.lstrip("/")
                problems.append("no leading `/`")
            for ext in (".js", ".ts"):
                if norm.endswith(ext):
                    norm = norm[: -len(ext)]
                    problems.append(f"no `{ext}`")
            for marker in (".protected", ".private"):
                if norm.endswith(marker):
                    norm = norm[: -len(marker)]
                    problems.append(f"no `{marker}`")
            if problems and norm in keys:
                ctx.report(file, use.key_node.start_byte, use.key_node.end_byte,
                           f"Runtime.getFunctions() keys have {', '.join(problems)}: `{key}` is undefined; use `{norm}`",
                           key_fix(use, norm, f"Use `{norm}`"))
                continue
            ctx.report(file, use.key_node.start_byte, use.key_node.end_byte,
                       f"Runtime.getFunctions() key `{key}` names no Function of this project: it is undefined")
        return ()


RULE = RuntimeFunctionKey()
