"""# native-dependency

## What it does

Flags a package in `dependencies` that builds a native add-on: its installed
`node_modules/<pkg>/package.json` has `gypfile: true`, a `binding.gyp` sits next to it, or an
install script runs `node-gyp`, `node-gyp-build`, `prebuild-install`, `node-pre-gyp` or `cmake-js`;
or, when it is not installed, it is one of the well-known native packages listed in
`rules/platform/native-packages.toml` (bcrypt, sharp, canvas, sqlite3, argon2, ...; each with what
`npm view` showed). The message names a pure-JS alternative when the list has one.

## Why

"Native packages are not supported - Runtime does not provide a C/C++ compiler, which is required
to compile native add-on modules. This means modules that depend on node-gyp can not be used in
your Functions." [002:5646-5647]

## Example

```json
{
  "dependencies": {
    "@twilio/runtime-handler": "2.0.1",
    "bcrypt": "^5.1.1",
    "twilio": "^5.0.3"
  }
}
```

## Use instead

```json
{
  "dependencies": {
    "@twilio/runtime-handler": "2.0.1",
    "bcryptjs": "^2.4.3",
    "twilio": "^5.0.3"
  }
}
```

## Fix safety

No fix: a replacement package has its own API, so the code has to change with it.
"""

from __future__ import annotations

from twilint.analysis import modules as M
from twilint.model import Rule, Severity

NAME = "native-dependency"


class NativeDependency(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "A dependency builds a native add-on (node-gyp), which the Functions build cannot compile"
    fixable = None
    file_kinds = frozenset({"package.json"})
    example_path = "package.json"

    def check_file(self, ctx, file):
        deps = M.deploy_dependencies(file)
        if deps is None:
            return ()
        project = file.project
        table = M.native_table()
        for m in deps.members:
            name = m.key
            inst = M.installed(project, name)
            decl = M.declaration(project, name)
            real = decl.real_name if decl is not None else name
            evidence = None
            if inst is not None:
                markers = inst.native_markers
                if markers:
                    evidence = f"node_modules/{name} has " + " and ".join(markers)
            elif real in table:
                entry = table[real]
                evidence = f"{real} is a known native package ({entry.get('verified', '')})"
                if entry.get("note"):
                    evidence += f"; {entry['note']}"
            if evidence is None:
                continue
            alt = table.get(real, {}).get("alternative")
            hint = f"; use a pure-JS package such as `{alt}`" if alt else ""
            ctx.report(
                file, m.key_start, m.value.end,
                f"`{name}` builds a native add-on ({evidence}): the Functions build has no C/C++ compiler{hint}",
            )
        return ()


RULE = NativeDependency()
