"""# dev-dependency-in-function

## What it does

Flags a package that a function or private JS asset loads but that `package.json` lists only in
`devDependencies`. It works in local development (`npm install` installs dev dependencies) and
fails after the deploy, which installs `dependencies` only.

When `package.json` is being checked, the finding is on the `devDependencies` entry; when only
function files are checked, it is at each `require()`. In a bundled project with a bundler in
`devDependencies` it is a warning, since the bundler may inline the package.

## Why

"Dependencies that are installed locally but are not under dependencies, like anything installed
as devDependencies, might be available during local development but will not be available during
deployment." [002:2004]

## Example

```js
const axios = require('axios');

exports.handler = async (context, event, callback) => {
  const { data } = await axios.get('https://example.com');
  return callback(null, data);
};
```

## Use instead

```js
exports.handler = async (context, event, callback) => {
  const data = await (await fetch('https://example.com')).json();
  return callback(null, data);
};
```

## Fix safety

The fix moves the entry, spec unchanged, from `devDependencies` to `dependencies` (sorted insert
when the object is sorted; indentation, key order and the final newline kept). It is **safe**: the
same version range is installed, now also at deploy.
"""

from __future__ import annotations

from twilint import model
from twilint.analysis import modules as M
from twilint.analysis.package_edits import add_dependency, remove_member
from twilint.model import SAFE, Fix, Rule, Severity

NAME = "dev-dependency-in-function"


class DevDependencyInFunction(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "A package the functions load is only in devDependencies, which the deploy does not install"
    fixable = SAFE
    file_kinds = frozenset()
    example_files = {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1", "twilio": "^5.0.3"}, '
        '"devDependencies": {"axios": "^1.7.0", "twilio-run": "^4.0.0"}}',
    }

    def check_project(self, ctx, project):
        if not project.is_twilio or not _may_load_dev_only(project):
            return ()
        pj = M.package_json_target(project)
        severity = Severity.WARNING if project.bundled and M.has_bundler(project) else Severity.ERROR
        note = "; the bundler may inline it" if severity == Severity.WARNING else ""
        for name, refs in M.required_packages(project, targets_only=pj is None).items():
            fields = [d.field for d in M.declarations(project, name)]
            if "dependencies" in fields or "devDependencies" not in fields:
                continue
            if pj is not None:
                active = [r for r in refs if M.site_active(r, NAME)]
                if not active:
                    continue
                dev = pj.value.get("devDependencies")
                member = dev.member(name)
                fix = None
                if member.value.kind == "string":
                    add = add_dependency(pj, "dependencies", name, member.value.data)
                    if add is not None:
                        remove = remove_member(pj.data, dev, member)
                        fix = Fix([remove, add], f"Move `{name}` to dependencies", SAFE)
                ctx.report(
                    pj, member.key_start, member.value.end,
                    f"`{name}` is loaded by {M.describe_sites(active)} but is only in `devDependencies`, "
                    f"which the deploy does not install{note}",
                    fix, severity,
                )
            else:
                for ref in refs:
                    if ref.file.path in project.targets:
                        ctx.report(
                            ref.file, ref.spec_node.start_byte, ref.spec_node.end_byte,
                            f"`{name}` is only in package.json `devDependencies`, which the deploy does not install{note}",
                            None, severity,
                        )
        return ()


def _may_load_dev_only(project) -> bool:
    """False when no package that only ``devDependencies`` declares can be loaded by the deployed
    code: none is declared, or no function or private asset names one in its bytes (read, not
    parsed; an escape sequence could spell a name, so such a file counts as naming them all)."""
    dev = project.dependencies("devDependencies")
    if dev is None:
        return False
    if not model.PREFILTERS:
        return True
    dev_only = [n for n in dev.keys() if "dependencies" not in {d.field for d in M.declarations(project, n)}]
    if not dev_only:
        return False
    needles = [n.encode() for n in dev_only]
    for f in project.files.values():
        if f.kind not in ("js", "ts") or not (f.role == "function" or (f.role == "asset" and f.visibility == "private")):
            continue
        if model.may_name(f.data, needles):
            return True
    return False


RULE = DevDependencyInFunction()
