"""# config-path-not-found

## What it does

Flags a `functionsFolder`, `assetsFolder` (error) or `env` (warning) in the Serverless Toolkit
config, in any scope, that names a path that does not exist. Paths inside build output (`dist/`,
`build/`, `out/`...) are not checked, since a build creates them, and neither is an env file git
ignores (it is meant to live only where you deploy from).

## Why

`functionsFolder` and `assetsFolder` name the folders the Toolkit uploads [002:2309] [002:2351]:
a wrong path deploys no Functions or no Assets. `env` is the "Path to .env file for environment
variables that should be installed" [002:2330]; per-environment files are the documented pattern
[002:2441] [002:3064].

## Example

```json
{
  "runtime": "node22",
  "functionsFolder": "src/funcs",
}
```

## Use instead

```json
{
  "runtime": "node22",
  // no functionsFolder: the default, functions/ (or src/)
}
```

## Fix safety

No fix: twilint cannot know which path you meant.
"""

from __future__ import annotations

import os
from pathlib import Path

from twilint.model import Rule, Severity

NAME = "config-path-not-found"


def git_ignored(path: Path) -> bool:
    from twilint.serverless import _git

    parent = path.parent
    while not os.path.isdir(parent) and parent != parent.parent:
        parent = parent.parent
    res = _git(parent, "check-ignore", "-q", "--", str(path))
    return res is not None and res.returncode == 0


class ConfigPathNotFound(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "functionsFolder, assetsFolder or env in the Toolkit config names a path that does not exist"
    fixable = None
    file_kinds = frozenset()
    example_path = ".twilioserverlessrc"

    def check_project(self, ctx, project):
        from twilint.project import BUILD_DIRS
        from twilint.serverless import effective_config, scopes

        eff = effective_config(project)
        if eff is None:
            return ()
        file, cfg, label = eff
        for scope, obj in scopes(cfg):
            for key in ("functionsFolder", "assetsFolder", "env"):
                v = obj.get(key)
                if v is None or v.kind != "string" or not v.data:
                    continue
                rel = v.data
                path = Path(os.path.normpath(project.root / rel))
                if os.path.exists(path):  # (never raises: a name too long to exist does not)
                    continue
                if any(part in BUILD_DIRS for part in Path(rel).parts):
                    continue
                if key == "env":
                    if git_ignored(path):
                        continue
                    ctx.report(file, v.start, v.end,
                               f"`env` ({scope}) names `{rel}`, which does not exist: deploys with this scope fail to load it",
                               severity=Severity.WARNING)
                else:
                    what = "Functions" if key == "functionsFolder" else "Assets"
                    ctx.report(file, v.start, v.end,
                               f"`{key}` ({scope}) names `{rel}`, which does not exist: no {what} would be deployed")
        return ()


RULE = ConfigPathNotFound()
