"""# reserved-env-name

## What it does

Flags a variable the platform sets itself (`PATH`, `DOMAIN_NAME`, `SERVICE_SID`,
`ENVIRONMENT_SID`) defined with a value in an env file a deploy uploads: the file's value replaces
the platform's. (An empty value is not uploaded and is not flagged.) The names are data
(`rules/platform/environment.toml`).

## Why

DOMAIN_NAME and PATH "are automatically set both during local development and in your deployed
environment unless they are overridden by a value in your .env file" [002:2015]; SERVICE_SID and
ENVIRONMENT_SID are populated when deployed "unless you overrode the values using the .env file
with your own custom values" [002:2017].

## Example

```sh
DOMAIN_NAME=example.com
GREETING=Ahoy
```

## Use instead

```sh
PUBLIC_DOMAIN=example.com
GREETING=Ahoy
```

## Fix safety

No fix: renaming the variable means changing the code that reads it.
"""

from __future__ import annotations

from twilint.model import Rule, Severity

NAME = "reserved-env-name"


class ReservedEnvName(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "An env file overrides a variable the platform sets (PATH, DOMAIN_NAME, SERVICE_SID, ENVIRONMENT_SID)"
    fixable = None
    file_kinds = frozenset({"env"})
    example_path = ".env"

    def check_file(self, ctx, file):
        from twilint.facts import environment_names
        from twilint.rules.oversized_env_var import is_deploy_env

        env = file.env
        if env is None or is_deploy_env(file) is None:
            return ()
        names = {n["key"]: n for n in environment_names()["name"]}
        for e in env.entries:
            if e.key in names and e.value:
                ctx.report(file, e.key_start, e.key_end,
                           f"`{e.key}` is {names[e.key]['why']}: rename your variable")
        return ()


RULE = ReservedEnvName()
