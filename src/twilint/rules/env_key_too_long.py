"""# env-key-too-long

## What it does

Flags a variable name over 128 characters in an env file a deploy uploads.

## Why

A Variable's key is at most 128 characters (Serverless API Variable resource, platform-notes
§0.5); the toolkit uploads every variable of the file [002:2116] and checks nothing
(platform-notes §1.5), so the deploy fails at the API. Keep names short and store large data in a
private Asset [002:5249].

## Example

```sh
THIS_IS_A_VARIABLE_NAME_THAT_GOES_ON_AND_ON_AND_ON_AND_ON_AND_ON_AND_ON_AND_ON_AND_ON_AND_ON_AND_ON_AND_ON_AND_ON_AND_ON_AND_ON_AND_ON=1
```

## Use instead

```sh
SHORT_NAME=1
```

## Fix safety

No fix: renaming the variable means changing the code that reads it.
"""

from __future__ import annotations

from twilint.model import Rule, Severity

NAME = "env-key-too-long"


class EnvKeyTooLong(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "An env variable name over 128 characters: the Variable API rejects it"
    fixable = None
    file_kinds = frozenset({"env"})
    example_path = ".env"

    def check_file(self, ctx, file):
        from twilint.rules.oversized_env_var import is_deploy_env

        env = file.env
        if env is None or is_deploy_env(file) is None:
            return ()
        limit = ctx.facts.limit("env-key-chars")
        for e in env.entries:
            if len(e.key) > limit and e.value:
                ctx.report(file, e.key_start, e.key_end,
                           f"the variable name is {len(e.key)} characters; the platform allows at most {limit}")
        return ()


RULE = EnvKeyTooLong()
