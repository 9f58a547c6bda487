"""# legacy-config

## What it does

Flags a `.twilio-functions` file at a project root: the configuration file of old Serverless
Toolkit versions, which current versions ignore.

## Why

"In previous versions of the Serverless Toolkit you might have found a .twilio-functions file ...
We deprecated this file in new versions." [002:2479-2480]. Migrate with
`npx -p twilio-run twilio-upgrade-config`, which "will convert your .twilio-functions file into a
.twiliodeployinfo file"; custom settings must be copied into `.twilioserverlessrc` by hand
[002:2482-2483]. twilio-run warns "Legacy Configuration Detected" and asks before deploying
(platform-notes §1.2).

## Example

```json
{ "serviceSid": "ZS0123456789abcdef0123456789abcdef" }
```

## Use instead

```json
{ "runtime": "node22", "serviceSid": "ZS0123456789abcdef0123456789abcdef" }
```

(in `.twilioserverlessrc`, with no `.twilio-functions` left)

## Fix safety

No fix: the migration is a command. `twilint migrate legacy-config` writes the deploy state into
`.twiliodeployinfo`, moves settings that map to current keys into `.twilioserverlessrc` and reports
the rest (see the README, "Migrations"); twilio-run's own `npx -p twilio-run twilio-upgrade-config`
(https://twil.io/serverlessv3) converts the deploy state only.
"""

from __future__ import annotations

from twilint.model import Rule, Severity

NAME = "legacy-config"


class LegacyConfig(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "A deprecated .twilio-functions file: current Toolkit versions ignore it"
    fixable = None
    file_kinds = frozenset({"legacy-config"})
    example_path = ".twilio-functions"
    example_good_path = ".twilioserverlessrc"  # for the docs test: the migrated config

    def check_file(self, ctx, file):
        if file.role != "project":
            return ()
        ctx.report(file, 0, 0,
                   ".twilio-functions is ignored by current Serverless Toolkit versions: run "
                   "`twilint migrate legacy-config` (or `npx -p twilio-run twilio-upgrade-config`, then move "
                   "custom settings into .twilioserverlessrc by hand)")
        return ()


RULE = LegacyConfig()
