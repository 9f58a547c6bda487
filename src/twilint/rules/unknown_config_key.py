"""# unknown-config-key

## What it does

Flags a key of the Serverless Toolkit config (every format, every scope: top level, `commands`,
`environments`, `projects`) that twilio-run does not read: a misspelling (`functionsFolderName`,
`service-sid`, `ServiceSid`), a deprecated key (`functionsEnv`, `projectName`), a scope table nested
where it has no effect, or a `commands` entry that is a near-miss of a command (`deplyo`). The
message suggests the right key when there is one. The known keys are data
(`rules/platform/serverless-config.toml`).

## Why

The config takes the camelCase form of every CLI flag [002:2292] (the reference listing is
[002:2306-2417]); anything else is silently ignored. The Toolkit's own docs show
`functionsFolderName`, which twilio-run never reads (platform-notes §1.8, serverless-toolkit#465),
so the functions folder silently stays the default.

## Example

```json
{
  "runtime": "node22",
  "functionsFolderName": "dist/functions",
}
```

## Use instead

```json
{
  "runtime": "node22",
  "functionsFolder": "dist/functions",
}
```

## Fix safety

Unsafe: when the right key is certain (a known misspelling, a deprecated key, the kebab-case or
wrong-case form of a key) and not already set in the same object, the fix renames the key, keeping
its quotes and everything else. The setting then takes effect, which changes what the Toolkit does.
"""

from __future__ import annotations

import re

from twilint.model import UNSAFE, Edit, Fix, Rule, Severity


def _close_matches(word, choices, n, cutoff):
    import difflib  # (only for a misspelt key)

    return difflib.get_close_matches(word, choices, n=n, cutoff=cutoff)


NAME = "unknown-config-key"


def _camel(key: str) -> str:
    parts = re.split(r"[-_]+", key)
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


class UnknownConfigKey(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "A Serverless Toolkit config key twilio-run ignores (misspelled, deprecated or misplaced)"
    fixable = UNSAFE
    file_kinds = frozenset()
    example_path = ".twilioserverlessrc"

    def check_project(self, ctx, project):
        from twilint.facts import serverless_config_keys
        from twilint.serverless import effective_config

        eff = effective_config(project)
        if eff is None:
            return ()
        file, cfg, label = eff
        data = serverless_config_keys()
        known = set(data["keys"])
        scope_names = set(data["scopes"])
        self._object(ctx, file, cfg, "the top level", known | scope_names, known, data)
        for scope in ("commands", "environments", "projects"):
            table = cfg.get(scope)
            if table is None or table.kind != "object":
                continue
            for m in table.members:
                if scope == "commands" and m.key not in data["commands"]:
                    close = _close_matches(m.key, data["commands"], n=1, cutoff=0.75)
                    if close:
                        self._report(ctx, file, m, table, f"`commands.{m.key}` is not a command; did you mean `{close[0]}`?",
                                     close[0])
                        continue
                if m.value.kind == "object":
                    self._object(ctx, file, m.value, f"{scope}.{m.key}", known, known, data)
        return ()

    def _object(self, ctx, file, obj, where, allowed, known, data):
        for m in obj.members:
            key = m.key
            if key in allowed or key.startswith("$"):
                continue
            if key in data["scopes"]:
                self._report(ctx, file, m, obj, f"`{key}` in {where} is ignored: scopes only work at the top level", None)
                continue
            target, certain, why = None, False, "is not a config key and is ignored"
            if key in data["misspelled"]:
                target, certain = data["misspelled"][key]["use"], True
            elif key in data["deprecated"]:
                target, certain, why = data["deprecated"][key]["use"], True, "is deprecated"
            elif _camel(key) in known:
                target, certain = _camel(key), True
            else:
                lower = {k.lower(): k for k in known}
                if key.lower() in lower:
                    target, certain = lower[key.lower()], True
                else:
                    close = _close_matches(key, sorted(known), n=1, cutoff=0.8)
                    target = close[0] if close else None
            hint = f"; use `{target}`" if certain else (f"; did you mean `{target}`?" if target else "")
            self._report(ctx, file, m, obj, f"`{key}` in {where} {why}{hint}", target if certain else None)

    def _report(self, ctx, file, member, obj, message, rename):
        fix = None
        if rename and obj.get(rename) is None:
            raw = file.data[member.key_start:member.key_end]
            q = raw[:1] if raw[:1] in (b'"', b"'") else b""
            inner = raw[len(q):len(raw) - len(q)]
            if inner == member.key.encode("utf-8"):
                fix = Fix([Edit.replace(member.key_start + len(q), member.key_end - len(q), rename)],
                          f"Rename to `{rename}`", UNSAFE, "the setting starts to take effect")
        ctx.report(file, member.key_start, member.key_end, message, fix)


RULE = UnknownConfigKey()
