"""# oversized-env-var

## What it does

Measures the env files a deploy uploads (the default `.env`, every `env` the Toolkit config
selects in any scope, every `--env` in `package.json` scripts) as the platform does: the variables
twilio-run uploads (empty values and `ACCOUNT_SID`/`AUTH_TOKEN` are dropped, as its
`filterEnvVariablesForDeploy` does), then

- a value over 450 bytes: error (the limit for the Serverless Toolkit and API);
- all of them, JSON-encoded (`JSON.stringify`), over 3,072 bytes (~3 KB, Error 82006): error;
- the same over 2,560 bytes: warning, since the platform adds its own variables to that budget.

Messages give keys and sizes, never values. The limits are data (`rules/platform/limits.toml`).

## Why

"450 bytes if set using the Serverless Toolkit or the Serverless API" and "a maximum limit of
approximately 3kb on the combined size of your Environment Variables after they have been JSON
encoded" [002:5243-5244]; "If any Environment Variable exceeds the individual limit or all
Variables combined exceed the maximum limit, then your deployments will fail" [002:5247]. Near
the limit, SERVICE_SID and ENVIRONMENT_SID are dropped [002:5236]. Store big values in a private
Asset instead [002:5249]. (platform-notes §0.5 marks the 450-byte figure unverified outside these
docs.)

## Example

```sh
# description: a key that is far too long for an environment variable
SIGNING_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
```

## Use instead

```sh
# description: the key lives in a private Asset (assets/signing-key.private.pem)
SIGNING_KEY_ASSET=/signing-key.pem
```

## Fix safety

No fix: moving a value into a private Asset changes the code that reads it.
"""

from __future__ import annotations

from twilint.model import Rule, Severity

NAME = "oversized-env-var"


def is_deploy_env(file) -> str | None:
    """Why ``file`` is uploaded by a deploy, or None."""
    from twilint.serverless import deploy_env_files

    for ref in deploy_env_files(file.project):
        if ref.path == file.path:
            return ref.where
    return None


class OversizedEnvVar(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "An env value over 450 bytes, or all values over ~3 KB JSON-encoded (82006): the deploy fails"
    fixable = None
    file_kinds = frozenset({"env"})
    example_path = ".env"

    def check_file(self, ctx, file):
        from twilint.serverless import json_size, uploaded_variables

        env = file.env
        if env is None or is_deploy_env(file) is None:
            return ()
        facts = ctx.facts
        per_var = facts.limit("env-value-bytes")
        total_max = facts.limit("env-total-bytes")
        warn_at = facts.limit("env-total-warn-bytes")
        uploaded = uploaded_variables(env)
        last = {e.key: e for e in env.entries}
        for key, value in uploaded.items():
            size = len(value.encode("utf-8"))
            if size > per_var:
                e = last[key]
                ctx.report(file, e.key_start, e.key_end,
                           f"`{key}` is {size:,} bytes; a variable deployed with the Toolkit can be at most {per_var} bytes: "
                           f"store it in a private Asset and read it with Runtime.getAssets()")
        if not uploaded:
            return ()
        total = json_size(uploaded)
        if total <= warn_at:
            return ()
        largest = sorted(uploaded, key=lambda k: -len(uploaded[k].encode("utf-8")))[:3]
        top = ", ".join(f"`{k}` ({len(uploaded[k].encode('utf-8')):,} bytes)" for k in largest)
        anchor = last[largest[0]]
        if total > total_max:
            ctx.report(file, anchor.key_start, anchor.key_end,
                       f"the {len(uploaded)} uploaded variables JSON-encode to {total:,} bytes, over the ~3 KB limit "
                       f"({total_max:,}; Error 82006): the deploy fails; largest: {top}")
        else:
            ctx.report(file, anchor.key_start, anchor.key_end,
                       f"the {len(uploaded)} uploaded variables JSON-encode to {total:,} bytes, near the ~3 KB limit "
                       f"({total_max:,}) that the platform's own variables share; largest: {top}",
                       severity=Severity.WARNING)
        return ()


RULE = OversizedEnvVar()
