"""# deprecated-runtime

## What it does

Flags a Node.js runtime the platform no longer deploys to, or soon will not, wherever a deploy
takes it from:

- `runtime` in the Serverless Toolkit config the Toolkit reads (`.twilioserverlessrc` as JSON5,
  `.twilioserverlessrc.json`/`.yml`/`.yaml`, a static `.twilioserverlessrc.js`/`.cjs` or
  `twilioserverless.config.js`, `package.json#twilioserverless`), at the top level and in every
  `commands`, `environments` and `projects` scope;
- `--runtime nodeNN` / `--runtime=nodeNN` in `package.json` scripts, shell scripts (`*.sh`) and CI
  workflows (`.github/workflows/*.yml`, `.gitlab-ci.yml`) of the project;
- `runtime='nodeNN'` passed to a Serverless Build create call in a Python deploy script
  (twilio-python's `...builds.create(runtime=...)`, or `"Runtime"` in a request to the Builds
  endpoint); read with libcst, the optional `[python]` extra, and skipped without it.

A retired runtime (node8 to node18) is an error. A runtime past its upstream end of life or
announced for retirement (node20) is a warning. A value that is not a runtime id at all (`22`,
`nodejs22`, `node21`) is an error. The runtimes are data (`rules/platform/runtimes.toml`);
extend them with `runtimes-available`, `runtimes-deprecated` and `runtimes-retired` under
`[platform]` in your twilint config.

## Why

Node.js 18: "any new deployments must be made on Node.js v20 or v22; you will not be able to
create any new deployments using Node.js v18." [002:17141]. The available runtimes are node18,
node20 and node22 [002:7919-7936], node24 since 2026-07-08 (platform-notes §3); node10 and node12
were rejected with "unsupported runtime" (Error 20001). twilio-run sends `runtime` to the Build
API unchecked (platform-notes §1.7), so the failure shows only at deploy time.

## Example

```json
{
  // JSON5: comments are fine
  "runtime": "node18",
  "environments": {
    "prod": { "runtime": 'node16', },
  },
}
```

## Use instead

```json
{
  // JSON5: comments are fine
  "runtime": "node22",
  "environments": {
    "prod": { "runtime": 'node22', },
  },
}
```

## Fix safety

Unsafe: the fix replaces only the runtime text with the configured target (`node22`, the
platform default; set `default-runtime` under `[platform]`), keeping quotes, comments and
formatting. A new Node.js major can break your dependencies: "a possible area of impact is your
Service's NPM dependencies" [002:17151]; deploy to a separate environment and test first
[002:17198-17201].
"""

from __future__ import annotations

import time

from twilint.model import UNSAFE, Edit, Fix, Rule, Severity

NAME = "deprecated-runtime"


def today() -> str:
    return time.strftime("%Y-%m-%d")  # (the local date, as date.today(); datetime costs 2 ms to import)


class DeprecatedRuntime(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "A retired or end-of-life Node.js runtime in the config, a deploy script or CI: deploys fail"
    fixable = UNSAFE
    file_kinds = frozenset()
    example_path = ".twilioserverlessrc"

    def check_project(self, ctx, project):
        from twilint.serverless import RUNTIME_ID, all_runtimes

        facts = ctx.facts
        target = facts.default_runtime
        now = today()
        newest = max((int(r[4:]) for r in facts.runtimes if RUNTIME_ID.match(r)), default=0)
        for s in all_runtimes(project):
            rid = s.runtime
            rt = facts.runtime(rid)
            if rt is not None:
                state = rt.state(now)
                if state == "available":
                    continue
                if state == "retired":
                    when = f" on {rt.retired}" if rt.retired else ""
                    message = f"{s.where} is `{rid}`, retired{when}: deploys to it fail; use `{target}`"
                    severity = Severity.ERROR
                else:
                    why = f"past Node.js end of life ({rt.upstream_eol})" if rt.upstream_eol and rt.status == "available" \
                        else f"deprecated{f', retired on {rt.retired}' if rt.retired else ''}"
                    message = f"{s.where} is `{rid}`, {why}: move to `{target}`"
                    severity = Severity.WARNING
            elif RUNTIME_ID.match(rid) and int(rid[4:]) > newest:
                continue  # newer than the data knows: maybe a new runtime (add it under [platform])
            else:
                message = f"{s.where} is `{rid}`, which is not a runtime the platform knows (ids look like `{target}`)"
                severity = Severity.ERROR
            fix = None
            if s.fixable and rid != target:
                fix = Fix([Edit.replace(s.start, s.end, target)], f"Use `{target}`", UNSAFE,
                          "a new Node.js major can break your dependencies [002:17151]; deploy to a test environment first")
            ctx.report(s.file, s.start, s.end, message, fix, severity)
        return ()


RULE = DeprecatedRuntime()
