"""# duplicate-path

## What it does

Flags two files that deploy to the same path: `functions/example.js` and
`functions/example.protected.js` (both `/example`), `functions/a.private.js` and `functions/a.js`,
or two Assets such as `assets/logo.png` and `assets/logo.private.png` (both `/logo.png`). The
finding is on every file after the first, naming the other.

## Why

"The path for each function is relative to the root directory with the .js strapped away."
[002:2043]; marking a Function protected "will not influence the path of the Function. Meaning a
file functions/example.js and functions/example.protected.js will both result in a path of
/example" [002:2061]. Assets keep their extension and the `.private.` annotation "will be removed
during upload" [002:2066]. Two files cannot both own a path: one of them is not what callers get.

## Example

```js
// functions/example.protected.js, next to functions/example.js
exports.handler = (context, event, callback) => callback(null, 'protected');
```

## Use instead

```js
// functions/example-protected.protected.js
exports.handler = (context, event, callback) => callback(null, 'protected');
```

## Fix safety

No fix: delete or rename one of the files.
"""

from __future__ import annotations

from twilint.analysis.deploy_paths import asset_entries, function_entries
from twilint.model import Rule, Severity

NAME = "duplicate-path"


class DuplicatePath(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "Two files deploy to the same Function or Asset path (x.js and x.protected.js)"
    fixable = None
    file_kinds = frozenset()
    example_path = "functions/example.protected.js"
    example_good_path = "functions/example-protected.protected.js"
    example_files = {"functions/example.js": "exports.handler = (context, event, callback) => callback(null, 'public');\n"}

    def check_project(self, ctx, project):
        if not project.is_twilio:
            return ()
        groups: dict[tuple, list] = {}
        for e in function_entries(project) or ():
            lang = "ts" if e.rel.endswith(".ts") else "js"
            groups.setdefault(("Function", lang, e.key), []).append(e)
        for e in asset_entries(project) or ():
            groups.setdefault(("Asset", "", e.key), []).append(e)
        for (what, _, key), entries in groups.items():
            if len(entries) < 2:
                continue
            entries = sorted(entries, key=lambda e: e.rel)
            first = entries[0]
            shown = key if what == "Asset" else "/" + key
            for e in entries[1:]:
                f = project.files.get(e.path)
                if f is None:
                    continue
                ctx.report(f, 0, 0, f"`{e.rel}` and `{first.rel}` both deploy to the {what} path `{shown}`: "
                                    "only one of them can be served there")
        return ()


RULE = DuplicatePath()
