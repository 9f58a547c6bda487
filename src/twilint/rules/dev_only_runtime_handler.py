"""# dev-only-runtime-handler

## What it does

Flags `@twilio/runtime-handler` declared only in `devDependencies` of a Functions project's
`package.json`. (Other packages the functions load from `devDependencies` are
`dev-dependency-in-function`'s business.)

## Why

Only "the dependencies field of your package.json" is installed at deploy [002:2000], and
"anything installed as devDependencies ... will not be available during deployment" [002:2004].
twilio-run stops the deploy with "Wrongly configured @twilio/runtime-handler declaration: ... The
@twilio/runtime-handler has to be defined in the "dependencies" field" (platform-notes §1.1).

## Example

```json
{
  "dependencies": { "twilio": "^5.0.3" },
  "devDependencies": { "@twilio/runtime-handler": "2.0.1" }
}
```

## Use instead

```json
{
  "dependencies": { "twilio": "^5.0.3", "@twilio/runtime-handler": "2.0.1" }
}
```

## Fix safety

No fix: moving an entry between sections of `package.json` is `npm install --save-exact
@twilio/runtime-handler@VERSION`'s job (it also updates the lockfile).
"""

from __future__ import annotations

from twilint.model import Rule, Severity

NAME = "dev-only-runtime-handler"
HANDLER = "@twilio/runtime-handler"


class DevOnlyRuntimeHandler(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "@twilio/runtime-handler only in devDependencies: twilio-run refuses to deploy"
    fixable = None
    file_kinds = frozenset({"package.json"})
    example_path = "package.json"

    def check_file(self, ctx, file):
        project = file.project
        if file.role != "project" or file.value is None or file.value.kind != "object" or not project.is_twilio:
            return ()
        deps = file.value.get("dependencies")
        dev = file.value.get("devDependencies")
        if dev is None or dev.kind != "object":
            return ()
        declared = set(deps.keys()) if deps is not None and deps.kind == "object" else set()
        m = dev.member(HANDLER)
        if m is not None and HANDLER not in declared:
            ctx.report(file, m.key_start, m.key_end,
                       f"`{HANDLER}` is only in devDependencies: twilio-run refuses to deploy (\"Wrongly configured "
                       f"@twilio/runtime-handler declaration\"); move it to dependencies")
        return ()


RULE = DevOnlyRuntimeHandler()
