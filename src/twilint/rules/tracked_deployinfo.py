"""# tracked-deployinfo

## What it does

Flags a `.twiliodeployinfo` that git tracks. It records the Service and Build each developer last
deployed to, per account, and belongs in `.gitignore`.

## Why

"By default, this file is included into your .gitignore since it should not be relevant for other
people using the same codebase." [002:2477]; "If you do share Twilio accounts/credentials, you
should instead configure the different serviceSid values in the configuration file." [002:2477].

## Example

```json
{
  "AC0123456789abcdef0123456789abcdef:us1": {
    "serviceSid": "ZS0123456789abcdef0123456789abcdef",
    "latestBuild": "ZB0123456789abcdef0123456789abcdef"
  }
}
```

(committed to git)

## Use instead

```json
{ "runtime": "node22" }
```

(`.twilioserverlessrc`, committed; `.twiliodeployinfo` listed in `.gitignore` and removed with
`git rm --cached .twiliodeployinfo`)

## Fix safety

No fix: untracking a file is a git operation (`git rm --cached`), not a file edit.
"""

from __future__ import annotations

from twilint.model import Rule, Severity

NAME = "tracked-deployinfo"


class TrackedDeployinfo(Rule):
    name = NAME
    severity = Severity.INFO
    summary = ".twiliodeployinfo is tracked by git; it belongs in .gitignore"
    fixable = None
    file_kinds = frozenset({"deployinfo"})
    example_path = ".twiliodeployinfo"
    example_good_path = ".twilioserverlessrc"
    example_git = True  # for the docs test: the example project is committed to git

    def check_file(self, ctx, file):
        from twilint.serverless import git_tracked

        if file.role != "project" or not git_tracked(file.path):
            return ()
        ctx.report(file, 0, 0, ".twiliodeployinfo is tracked by git: add it to .gitignore and run "
                               "`git rm --cached .twiliodeployinfo` (share serviceSid through .twilioserverlessrc instead)")
        return ()


RULE = TrackedDeployinfo()
