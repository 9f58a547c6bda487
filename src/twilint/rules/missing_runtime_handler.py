"""# missing-runtime-handler

## What it does

Flags a Functions project whose `package.json` declares no `@twilio/runtime-handler` at all
(neither `dependencies` nor `devDependencies`). twilio-run accepts this and the platform adds its
default, which can change under you. A handler declared only in `devDependencies` is
`dev-only-dependency`'s business.

## Why

"The Runtime Handler is a necessary dependency for any Twilio Function to be able to execute."
[002:4967]; without a pin "you might receive new Runtime Handler versions as we roll them out
gradually" [002:5020], and features such as `event.request` need 1.2.0 or later [002:5747].
twilio-run's check accepts a missing handler (platform-notes §1.1).

## Example

```json
{
  "dependencies": {
    "twilio": "^5.0.3"
  },
  "devDependencies": {
    "twilio-run": "^4.0.0"
  }
}
```

## Use instead

```json
{
  "dependencies": {
    "@twilio/runtime-handler": "2.0.1",
    "twilio": "^5.0.3"
  },
  "devDependencies": {
    "twilio-run": "^4.0.0"
  }
}
```

## Fix safety

Unsafe: it adds `"@twilio/runtime-handler": "2.0.1"` (the platform's default handler,
[002:4980-4981]) as the first entry of `dependencies`, keeping the file's formatting. The pin
stops the platform's gradual roll-out of newer handlers, and `npm install` installs it locally.
"""

from __future__ import annotations

from twilint.model import UNSAFE, Fix, Rule, Severity

NAME = "missing-runtime-handler"
PACKAGE = "@twilio/runtime-handler"


class MissingRuntimeHandler(Rule):
    name = NAME
    severity = Severity.INFO
    summary = "No @twilio/runtime-handler in package.json: the platform picks its default version"
    fixable = UNSAFE
    file_kinds = frozenset({"package.json"})
    example_path = "package.json"

    def check_file(self, ctx, file):
        from twilint.serverless import insert_first_member, deploys_functions

        project = file.project
        if file.role != "project" or file.value is None or file.value.kind != "object":
            return ()
        if not deploys_functions(project):
            return ()
        root = file.value
        for field in ("dependencies", "devDependencies"):
            obj = root.get(field)
            if obj is not None and obj.kind == "object" and obj.get(PACKAGE) is not None:
                return ()
        target = ctx.facts.default_handler
        deps = root.get("dependencies")
        if deps is not None and deps.kind == "object":
            edit = insert_first_member(file.data, deps, f'"{PACKAGE}": "{target}"')
            anchor = deps
        elif deps is None:
            edit = insert_first_member(file.data, root, f'"dependencies": {{ "{PACKAGE}": "{target}" }}')
            anchor = root
        else:
            return ()
        fix = Fix([edit], f"Add `{PACKAGE}` `{target}` to dependencies", UNSAFE,
                  "pins the handler: the platform stops rolling out newer defaults to this service") if edit else None
        start = root.member("dependencies").key_start if anchor is deps else root.start
        end = root.member("dependencies").key_end if anchor is deps else root.start + 1
        ctx.report(file, start, end,
                   f"no `{PACKAGE}` in package.json: the platform installs its default, which can change; "
                   f"pin `{target}` in dependencies", fix)
        return ()


RULE = MissingRuntimeHandler()
