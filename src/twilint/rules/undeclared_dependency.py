"""# undeclared-dependency

## What it does

Flags a package that a function or private JS asset loads (`require()`, `import`, `import()`,
subpaths included: `lodash/get` needs `lodash`) but that `package.json` does not list in
`dependencies`. Node builtins (with or without `node:`), relative paths,
`require(Runtime.getFunctions()[...].path)` and the packages the platform provides (`twilio`,
`@twilio/runtime-handler`) are fine. A package only in `devDependencies` is the
`dev-dependency-in-function` rule's; one only in `optionalDependencies` or `peerDependencies` is
flagged here (the deploy installs `dependencies` only).

It is a warning instead of an error when the package is installed anyway as a dependency of a
declared package (the lockfile or `node_modules` has it, hoisted): it works until that package
changes (platform-notes §4.4 S6). `lodash` is a warning too: a docs sample calls it a default
dependency [002:15387], the Dependencies page does not. In a bundled project with a bundler in
`devDependencies` it is a warning, since the bundler may inline the package.

When `package.json` is being checked, the finding is reported there, once per package, listing
where the code loads it (suppression comments on those lines are honoured). When only function
files are checked (`twilint check functions/x.js`, as pre-commit does), it is reported at each
`require()`.

## Why

"Anything that will be found in the dependencies field of your package.json in your project
directory will be available both for local development as well as installed in your deployed
project." [002:2000]; "Any dependency that is listed in the dependencies field in your
package.json will automatically be installed in your deployment." [002:2117]. Only twilio and the
runtime handler are part of every build [002:5605-5606]. function-templates shipped exactly this
bug (`require('uuid')` undeclared, platform-notes §4.3, #384).

## Example

```js
const { v4: uuid } = require('uuid');

exports.handler = (context, event, callback) => {
  callback(null, { id: uuid() });
};
```

## Use instead

```js
const crypto = require('node:crypto');

exports.handler = (context, event, callback) => {
  callback(null, { id: crypto.randomUUID() });
};
```

## Fix safety

The fix adds the package to `dependencies` as `^<version>`, where the version is the one the
lockfile resolved or `node_modules` holds, keeping the file's indentation and key order (sorted
insert when the object is sorted). It is **safe**: the project declares the version it already
runs. With no lockfile or installed copy there is no fix (twilint does not guess a version).
"""

from __future__ import annotations

from twilint.analysis import modules as M
from twilint.analysis.package_edits import add_dependency
from twilint.model import SAFE, Fix, Rule, Severity

NAME = "undeclared-dependency"


class UndeclaredDependency(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "A package the functions load is not in package.json `dependencies`, so the deploy does not install it"
    fixable = SAFE
    file_kinds = frozenset()

    def check_project(self, ctx, project):
        if not project.is_twilio:
            return ()
        pj = M.package_json_target(project)
        bundler = project.bundled and M.has_bundler(project)
        for name, refs in M.required_packages(project, targets_only=pj is None).items():
            decls = M.declarations(project, name)
            fields = [d.field for d in decls]
            if "dependencies" in fields or "devDependencies" in fields:
                continue
            from twilint.lockfile import locked_package

            lock = locked_package(project, name)
            inst = M.installed(project, name)
            version = inst.version if inst is not None and inst.version else (lock.version if lock is not None else None)
            severity = Severity.ERROR
            why = "the deploy installs only `dependencies`"
            if fields:
                why = f"it is only in `{fields[0]}`, and the deploy installs only `dependencies`"
            if inst is not None or lock is not None:
                severity = Severity.WARNING
                where = "node_modules" if inst is not None else lock.lockfile.path.name
                why += f"; it is installed now ({where}, {version}) only as a dependency of another package"
            if name == "lodash":
                severity = Severity.WARNING
                why += "; a docs sample calls lodash a default dependency [002:15387], but only twilio and @twilio/runtime-handler are documented as part of every build"
            if bundler:
                severity = Severity.WARNING
                why += "; the bundler may inline it"
            if pj is not None:
                active = [r for r in refs if M.site_active(r, NAME)]
                if not active:
                    continue
                root = pj.value
                anchor = root.member("dependencies")
                start, end = (anchor.key_start, anchor.key_end) if anchor is not None else (root.start, root.start + 1)
                fix = None
                if version and M.npmrange.valid(version):
                    edit = add_dependency(pj, "dependencies", name, f"^{version}")
                    if edit is not None:
                        fix = Fix([edit], f"Add `\"{name}\": \"^{version}\"` to dependencies", SAFE)
                msg = f"`{name}` is loaded by {M.describe_sites(active)} but not declared in `dependencies`: {why}"
                ctx.report(pj, start, end, msg, fix, severity)
            else:
                for ref in refs:
                    if ref.file.path in project.targets:
                        ctx.report(
                            ref.file, ref.spec_node.start_byte, ref.spec_node.end_byte,
                            f"`{name}` is not declared in package.json `dependencies`: {why}", None, severity,
                        )
        return ()


RULE = UndeclaredDependency()
