"""# multiple-config-files

## What it does

Flags Serverless Toolkit config files that are ignored because another one is read first:
`package.json#twilioserverless`, `.twilioserverlessrc`, `.twilioserverlessrc.json`, `.yaml`,
`.yml`, `.js`, `.cjs`, `twilioserverless.config.js` / `.cjs` (cosmiconfig's search order). Each
ignored file is reported, naming the one that wins.

## Why

The Toolkit loads "any configuration file from the root of your project by looking for
.twilioserverlessrc" and the alternatives [002:2283-2288], and only the first one found
(cosmiconfig search, platform-notes §1.8). Settings in the others, a `runtime` say, never apply.

## Example

```json
{
  "dependencies": { "@twilio/runtime-handler": "2.0.1" },
  "twilioserverless": { "runtime": "node18" }
}
```

(next to a `.twilioserverlessrc`)

## Use instead

```json
{
  "dependencies": { "@twilio/runtime-handler": "2.0.1" }
}
```

## Fix safety

No fix: which file holds what you meant is for you to decide; merge them into one.
"""

from __future__ import annotations

from twilint.model import Rule, Severity

NAME = "multiple-config-files"


class MultipleConfigFiles(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "Several Serverless Toolkit config files: only the first one found is read"
    fixable = None
    file_kinds = frozenset()
    example_path = "package.json"
    # for the docs test: the other config file of the example project
    example_files = {".twilioserverlessrc": '{ "runtime": "node22" }\n'}

    def check_project(self, ctx, project):
        from twilint.serverless import config_candidates

        found = config_candidates(project)
        if len(found) < 2:
            return ()
        winner = found[0][1]
        for f, label in found[1:]:
            if f.kind == "package.json":
                m = f.value.member("twilioserverless")
                start, end = m.key_start, m.key_end
            else:
                start, end = 0, 0
            ctx.report(f, start, end, f"{label} is ignored: the Toolkit reads {winner} first; keep one config file")
        return ()


RULE = MultipleConfigFiles()
