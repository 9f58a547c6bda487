"""# unpinned-runtime-handler

## What it does

Flags an `@twilio/runtime-handler` dependency in `package.json` that is not an exact version:
a range (`^2.0.1`, `~1.2.0`, `>=2`, `2.x`, `*`, `1.2`), a dist-tag (`latest`, `next`), an empty
string, or a non-registry spec (`workspace:`, `npm:` aliases, git, file and URL specs). An exact
version such as `2.0.1` or `1.2.0-rc.3` passes. The version in `dependencies` is an error; one
declared only in `devDependencies` is reported as a warning (the local dev server installs a
moving version, and `twilio-run` wants the handler in `dependencies`).

Whether an exact version is one the platform accepts is a different question, left to the
platform rules.

## Why

"The version of Runtime Handler must be exact, such as 1.2.1. Version ranges are not supported.
For example, attempting to use latest or ^1.0.1 will fail when attempting to deploy"
[002:5028-5029], and "The version of @twilio/runtime-handler must be defined as an explicit value
... Using version ranges, such as * and latest, will result in a Build failure." [002:5643].
`twilio-run` rejects a range before deploying too ("The @twilio/runtime-handler version has to be
an exact valid semver version", platform-notes §1.1).

## Example

```json
{
  "dependencies": {
    "@twilio/runtime-handler": "^2.0.1",
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

The fix replaces only the version string's bytes. It pins to the version the lockfile
(`package-lock.json`, `yarn.lock` or `pnpm-lock.yaml`) resolved when that version is one the
platform accepts, else to the platform's default handler version from the facts data (`2.0.1`,
[002:4980-4981]; extend the list with `[platform]` in your twilint config).

It is **safe** when the pinned version is one the declared range already admitted (`^2.0.1` ->
`2.0.1`, or a tag such as `latest`): the project keeps running a version it could already get.
It is **unsafe** (applied with `--unsafe-fixes`) when the pinned version is outside the declared
range (`^2.1.0` -> `2.0.1`: 2.1.0 is rejected by the platform, so the only accepted pin is a
downgrade) or when the spec is not a registry range (`workspace:`, git, file, URL, `npm:` alias);
the reason is shown with the fix.
"""

from __future__ import annotations

from twilint.model import SAFE, UNSAFE, Edit, Fix, Rule, Severity

NAME = "unpinned-runtime-handler"
PACKAGE = "@twilio/runtime-handler"


class UnpinnedRuntimeHandler(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "@twilio/runtime-handler must be an exact version: a range or tag fails the deploy"
    fixable = SAFE
    file_kinds = frozenset({"package.json"})
    example_path = "package.json"

    def check_file(self, ctx, file):
        if file.role != "project" or file.value is None or file.value.kind != "object":
            return ()
        root = file.value
        deps = root.get("dependencies")
        dev = root.get("devDependencies")
        in_deps = deps.get(PACKAGE) if deps is not None and deps.kind == "object" else None
        in_dev = dev.get(PACKAGE) if dev is not None and dev.kind == "object" else None
        if in_deps is not None:
            self._check(ctx, file, in_deps, "dependencies", Severity.ERROR)
        elif in_dev is not None:
            self._check(ctx, file, in_dev, "devDependencies", Severity.WARNING)
        return ()

    def _check(self, ctx, file, value, field, severity):
        from twilint import npmrange

        if value.kind != "string":
            ctx.report(file, value.start, value.end,
                       f"`{PACKAGE}` in {field} must be an exact version string", severity=severity)
            return
        spec = value.data
        if npmrange.is_exact_version(spec):
            return
        kind = npmrange.classify_spec(spec)
        what = {
            "range": "a version range", "tag": "a dist-tag", "empty": "an empty version",
            "alias": "an npm alias", "workspace": "a workspace spec", "git": "a git dependency",
            "file": "a local path", "url": "a URL", "link": "a link",
        }.get(kind, "not an exact version")
        if field == "dependencies":
            message = (
                f"`{PACKAGE}` is {what} (`{spec}`): the platform accepts only an exact version "
                f"such as `{ctx.facts.default_handler}`, anything else fails the deploy"
            )
        else:
            message = (
                f"`{PACKAGE}` is {what} (`{spec}`) in devDependencies: pin an exact version such as "
                f"`{ctx.facts.default_handler}` (and declare it in dependencies, which is what the deploy installs)"
            )
        ctx.report(file, value.start, value.end, message, self._fix(ctx, file, value, spec, kind), severity)

    def _fix(self, ctx, file, value, spec: str, kind: str) -> Fix | None:
        from twilint import npmrange
        from twilint.lockfile import resolved_version

        facts = ctx.facts
        target = None
        origin = ""
        locked = resolved_version(file.project, PACKAGE)
        if locked is not None:
            version, lf = locked
            if facts.handler_accepted(version):
                target, origin = version, f"the version {lf.path.name} resolved"
        if target is None:
            target, origin = facts.default_handler, "the platform's default version"
        quote = value.quote or '"'
        edit = Edit.replace(value.start, value.end, f"{quote}{target}{quote}")
        description = f"Pin to `{target}` ({origin})"
        if kind in ("range", "tag", "empty"):
            admitted = kind in ("tag", "empty") or npmrange.satisfies(target, spec)
            if admitted:
                return Fix([edit], description, SAFE)
            return Fix([edit], description, UNSAFE,
                       f"`{target}` is outside the declared range `{spec}`; the pin changes the version you run")
        return Fix([edit], description, UNSAFE,
                   f"replaces a {kind} spec with a registry version")


RULE = UnpinnedRuntimeHandler()
