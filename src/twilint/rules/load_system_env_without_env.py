"""# load-system-env-without-env

## What it does

Flags `loadSystemEnv: true` in the Serverless Toolkit config (any scope) when no scope sets `env`
and no `package.json` script passes `--env`, and a script with `--load-system-env` but no `--env`.

## Why

`loadSystemEnv` "Needs to be used with --env explicitly specified." [002:2369]; "you have to
specify a "template .env file" through the env option" [002:3188]. twilio-run stops with "If you
are using --load-system-env you'll also have to supply a --env flag." (platform-notes §1.5).

## Example

```json
{
  "runtime": "node22",
  "commands": { "deploy": { "loadSystemEnv": true } },
}
```

## Use instead

```json
{
  "runtime": "node22",
  "commands": { "deploy": { "loadSystemEnv": true, "env": ".env.example" } },
}
```

## Fix safety

No fix: the template file lists the keys to load, and only you know them.
"""

from __future__ import annotations

import re

from twilint.model import Rule, Severity

NAME = "load-system-env-without-env"
_LSE = re.compile(rb"(?<![\w-])--load-system-env\b")
_ENV = re.compile(rb"(?<![\w-])--env[= \t]")


class LoadSystemEnvWithoutEnv(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "loadSystemEnv without an env template file: twilio-run refuses to run"
    fixable = None
    file_kinds = frozenset()
    example_path = ".twilioserverlessrc"

    def check_project(self, ctx, project):
        from twilint.serverless import effective_config, npm_scripts, scopes

        scripts = npm_scripts(project)
        pj = project.package_json
        script_env = any(_ENV.search(pj.data, v.start, v.end) for _, v in scripts)
        eff = effective_config(project)
        config_env = False
        flagged = []
        if eff is not None:
            file, cfg, label = eff
            for scope, obj in scopes(cfg):
                env = obj.get("env")
                if env is not None and env.kind == "string" and env.data:
                    config_env = True
                v = obj.get("loadSystemEnv")
                if v is not None and v.kind == "bool" and v.data:
                    flagged.append((file, v, scope))
            if not config_env and not script_env:
                for file, v, scope in flagged:
                    ctx.report(file, v.start, v.end,
                               f"`loadSystemEnv` ({scope}) needs an `env` template file, and no scope sets `env`: twilio-run stops")
        for name, v in scripts:
            m = _LSE.search(pj.data, v.start, v.end)
            if m and not _ENV.search(pj.data, v.start, v.end) and not config_env:
                ctx.report(pj, m.start(), m.end(), f"the `{name}` script passes `--load-system-env` without `--env`: twilio-run stops")
        return ()


RULE = LoadSystemEnvWithoutEnv()
