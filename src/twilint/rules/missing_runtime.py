"""# missing-runtime

## What it does

Flags a Functions project that sets no runtime anywhere: no `runtime` in any scope of the
Serverless Toolkit config, no `--runtime` in a `package.json` script, shell script or CI
workflow, and no runtime in a Python deploy script. Projects with no function files (an
Assets-only Service uses the default runtime whatever you pass [002:17142]) are not flagged.

The diagnostic is on the Toolkit config when there is one, else on `package.json`.

## Why

"if you are not specifying a runtime when creating a Build the API will use the runtime you used
for the last successful Build." [002:17243]; the docs advise "especially defining a default
runtime in the .twilioserverlessrc file." [002:17246]. Once that last runtime is retired, the
deploy fails with Error 82007 "Unsupported Runtime" (platform-notes §1.7), and twilio-run sends
no runtime unless you set one [002:17242-17246].

## Example

```json
// .twilioserverlessrc
{
  "commands": {},
  "environments": {},
}
```

## Use instead

```json
// .twilioserverlessrc
{
  "runtime": "node22",
  "commands": {},
  "environments": {},
}
```

## Fix safety

Unsafe: it adds `"runtime": "node22"` (the configured target, `default-runtime` under
`[platform]`) as the first key of the config the Toolkit reads, keeping comments, quotes and
indentation (JSON5, JSON, YAML, a static `.js` config, or `package.json#twilioserverless`), or
creates `.twilioserverlessrc` when the project has no config. Deploys then use node22 instead of
the last build's runtime, and a new Node.js major can break your dependencies [002:17151].
"""

from __future__ import annotations

import re

from twilint.model import UNSAFE, Edit, Fix, NewFile, Rule, Severity

NAME = "missing-runtime"
REASON = "deploys switch from the last build's runtime to this one; a new Node.js major can break dependencies [002:17151]"


class MissingRuntime(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "No runtime set anywhere: the Build API reuses the last build's, which fails once it is retired (82007)"
    fixable = UNSAFE
    file_kinds = frozenset()
    example_path = ".twilioserverlessrc"

    def check_project(self, ctx, project):
        from twilint.serverless import all_runtimes, deploys_functions

        if not deploys_functions(project):
            return ()
        cfg_file = project.serverless_config_file
        cfg = None
        if cfg_file is not None:
            cfg_file = project.files.get(cfg_file.path, cfg_file)  # current contents while fixing
            if cfg_file.value_error is not None or cfg_file.value is None:
                return ()  # parse-error reports it
            cfg = cfg_file.value.get("twilioserverless") if cfg_file.kind == "package.json" else cfg_file.value
            if cfg is None or not (cfg.kind == "object" or cfg_file.kind == "serverless-config" and cfg.kind == "null"):
                return ()
        if all_runtimes(project):
            return ()
        target = ctx.facts.default_runtime
        message = (f"no runtime is set (config, scripts or CI): the Build API reuses the last build's runtime "
                   f"and fails with 82007 once it is retired; set `\"runtime\": \"{target}\"`")
        if cfg_file is not None:
            fix = self._insert_fix(cfg_file, cfg, target)
            start = cfg.start if cfg.kind == "object" else 0
            ctx.report(cfg_file, start, start + (1 if cfg.kind == "object" else 0), message, fix)
            return ()
        pj = project.package_json
        if pj is None or pj.value is None:
            return ()
        text = f'{{\n  "runtime": "{target}"\n}}\n'.encode()
        fix = Fix([], f"Create .twilioserverlessrc with `\"runtime\": \"{target}\"`", UNSAFE, REASON,
                  create=NewFile(project.root / ".twilioserverlessrc", text))
        ctx.report(pj, pj.value.start, pj.value.start + 1, message, fix)
        return ()

    def _insert_fix(self, file, cfg, target) -> Fix | None:
        data = file.data
        name = file.path.name
        description = f"Add `runtime: {target}`"
        existing = cfg.get("runtime") if cfg.kind == "object" else None
        if existing is not None:  # `runtime: null` (or another non-string): set it
            if existing.kind in ("null", "bool", "number"):
                q = "" if name.endswith((".yml", ".yaml")) else '"'
                return Fix([Edit.replace(existing.start, existing.end, f"{q}{target}{q}")], description, UNSAFE, REASON)
            return None
        yaml = name.endswith((".yml", ".yaml"))
        if yaml and (cfg.kind == "null" or (cfg.kind == "object" and data[cfg.start:cfg.start + 1] != b"{")):
            if cfg.kind == "object" and cfg.members:
                first = cfg.members[0]
                line_start = data.rfind(b"\n", 0, first.key_start) + 1
                indent = data[line_start:first.key_start]
                if indent.strip():
                    return None
                edit = Edit.replace(line_start, line_start, f"{indent.decode()}runtime: {target}\n")
            else:
                sep = "" if not data or data.endswith(b"\n") else "\n"
                edit = Edit.replace(len(data), len(data), f"{sep}runtime: {target}\n")
            return Fix([edit], description, UNSAFE, REASON)
        from twilint.serverless import insert_first_member

        if cfg.kind != "object":
            return None
        strict_json = file.kind == "package.json"
        body = data[cfg.start:cfg.end]
        quote = "'" if not strict_json and re.search(rb":\s*'", body) and not re.search(rb':\s*"', body) else '"'
        key = '"runtime"'
        if cfg.members and not strict_json:
            q = data[cfg.members[0].key_start:cfg.members[0].key_start + 1]
            key = f"{q.decode()}runtime{q.decode()}" if q in (b'"', b"'") else "runtime"
        edit = insert_first_member(data, cfg, f"{key}: {quote}{target}{quote}")
        return Fix([edit], description, UNSAFE, REASON) if edit is not None else None


RULE = MissingRuntime()
