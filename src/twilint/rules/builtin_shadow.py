"""# builtin-shadow

## What it does

Flags a package in `dependencies` whose name is a Node builtin module (`crypto`, `fs`, `path`,
`punycode`, `events`, ...). `require('crypto')` always loads Node's builtin, never the package, so
the dependency is dead weight that is installed at each deploy and counts toward the npm module
limit; often it is a deprecated npm placeholder (the npm `crypto` package says so itself). Names
that are builtins only with the `node:` scheme (`test`, `sqlite`) are not flagged: a bare
`require('test')` does load the package. Nor is a package the code loads with a trailing slash or
a subpath (`require('punycode/')`), which bypasses the builtin.

## Why

Only the `dependencies` field is installed, and it is installed at every deploy [002:2000];
"Services are limited in the number of npm modules that may be installed" [002:5648-5649]. The
function-templates `mcp-server` template declares the `crypto` placeholder (platform-notes §4.2).

## Example

```json
{
  "dependencies": {
    "@twilio/runtime-handler": "2.0.1",
    "crypto": "^1.0.1",
    "twilio": "^5.0.3"
  }
}
```

## Use instead

```json
{
  "dependencies": {
    "@twilio/runtime-handler": "2.0.1",
    "twilio": "^5.0.3"
  }
}
```

## Fix safety

No fix: removing the entry is almost always right, but a package that is required with a trailing
slash (`require('punycode/')`, the userland punycode) is really used, so the author decides.
"""

from __future__ import annotations

from twilint.analysis import modules as M
from twilint.model import Rule, Severity

NAME = "builtin-shadow"


class BuiltinShadow(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "A dependency named like a Node builtin: require() loads the builtin, never the package"
    fixable = None
    file_kinds = frozenset({"package.json"})
    example_path = "package.json"

    def check_file(self, ctx, file):
        deps = M.deploy_dependencies(file)
        if deps is None:
            return ()
        project = file.project
        shadows = [m for m in deps.members if M.is_builtin_name(m.key)]
        if not shadows:
            return ()  # the common case: no need to read the project's code
        loaded = set(M.required_packages(project))  # `require('punycode/')` loads the package
        for m in shadows:
            if m.key in loaded:
                continue
            extra = ""
            if m.key == "punycode":
                extra = " (to use this package, require it as `punycode/`)"
            ctx.report(
                file, m.key_start, m.value.end,
                f"`{m.key}` is a Node builtin: `require('{m.key}')` loads the builtin, never this package{extra}; "
                "the dependency is only installed at each deploy and counts toward the module limit",
            )
        return ()


RULE = BuiltinShadow()
