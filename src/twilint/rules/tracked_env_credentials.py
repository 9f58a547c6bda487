"""# tracked-env-credentials

## What it does

Flags an env file (`.env`, `.env.*`) that git tracks and that holds a real-looking `ACCOUNT_SID`
(`AC` + 32 hex) or `AUTH_TOKEN` (32 hex). Placeholders (`ACxxxxxxxx...`, empty values) are fine.
The message names the key, never the value.

## Why

"You should never check a .env file that contains your credentials into your version control
system" [002:3191]. The toolkit reads ACCOUNT_SID and AUTH_TOKEN from `.env` for local
development [002:2016]; in CI, use an API key and secret instead [002:3221] [002:3226].

## Example

```sh
ACCOUNT_SID=AC0123456789abcdef0123456789abcdef
AUTH_TOKEN=0123456789abcdef0123456789abcdef
```

(committed to git)

## Use instead

```sh
ACCOUNT_SID=
AUTH_TOKEN=
```

## Fix safety

No fix: rotate the token (it is in the git history), then untrack the file with
`git rm --cached` and list it in `.gitignore`.
"""

from __future__ import annotations

import re

from twilint.model import Rule, Severity

NAME = "tracked-env-credentials"
PATTERNS = {"ACCOUNT_SID": re.compile(r"^AC[0-9a-fA-F]{32}$"), "AUTH_TOKEN": re.compile(r"^[0-9a-fA-F]{32}$")}


class TrackedEnvCredentials(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "ACCOUNT_SID / AUTH_TOKEN values in an env file that git tracks"
    fixable = None
    file_kinds = frozenset({"env"})
    example_path = ".env"
    example_git = True  # for the docs test: the example project is committed to git

    def check_file(self, ctx, file):
        from twilint.serverless import git_tracked

        env = file.env
        if env is None:
            return ()
        hits = [e for e in env.entries if e.key in PATTERNS and e.value and PATTERNS[e.key].match(e.value.strip())]
        if not hits or not git_tracked(file.path):
            return ()
        for e in hits:
            ctx.report(file, e.key_start, e.key_end,
                       f"`{e.key}` holds a real credential in {file.rel}, which git tracks: rotate it, untrack the file "
                       f"(`git rm --cached {file.rel}`) and add it to .gitignore")
        return ()


RULE = TrackedEnvCredentials()
