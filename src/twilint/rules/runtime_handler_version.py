"""# runtime-handler-version

## What it does

Checks an exact `@twilio/runtime-handler` version in `dependencies` against the platform's facts
(`rules/platform/runtime-handler.toml`):

- a version deploys have been rejected for (`2.0.3`, `2.1.0`: Error 20001): error;
- a version the platform's list does not have (`1.0.0`, `2.0.2`, `9.9.9`): warning;
- too old for a runtime the project deploys to (node24 builds fail below `1.2.0`): error;
- too old for features the functions use: `event.request` (incoming headers and cookies) and
  `Twilio.Response#setCookie`/`removeCookie` need `1.2.0`: error.

Ranges and tags are left to `unpinned-runtime-handler`. Extend or override the lists with
`runtime-handler-versions` / `runtime-handler-rejected` under `[platform]` in your twilint config.

## Why

The platform installs its own build of the handler, "different from
https://www.npmjs.com/package/@twilio/runtime-handler which is used for local development"
[002:4970-4971], and accepts only the versions on its list [002:4978-5011]; npm's `2.0.3` and
`2.1.0` were rejected at deploy with Error 20001 (platform-notes §2.5). Headers and cookies
"are only available when your Function is running @twilio/runtime-handler version 1.2.0 or later"
[002:5814] [002:6326]. On node24 "If your service specifies a version below 1.2.0, your build will
fail" (platform-notes §2.4).

## Example

```json
{
  "dependencies": {
    "@twilio/runtime-handler": "2.1.0",
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

Unsafe: the fix replaces the version string with the platform's default handler (`2.0.1`,
[002:4980-4981]; `default-runtime-handler` under `[platform]`) when that satisfies every
requirement found. It changes the handler you run locally and leaves the lockfile to update with
`npm install`. No fix when the default does not meet the requirements.
"""

from __future__ import annotations

import functools
import re

from twilint.model import UNSAFE, Edit, Fix, Rule, Severity

NAME = "runtime-handler-version"
PACKAGE = "@twilio/runtime-handler"
_COOKIE_CALL = re.compile(rb"\.\s*(setCookie|removeCookie)\s*\(")
_PLAIN = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def _cmp(a: str, b: str) -> int:
    """semver's ``Version.parse(a).compare(Version.parse(b))``; ValueError for an invalid
    version. Two plain ``X.Y.Z`` versions (the catalogue's, and nearly every pin) compare as
    numbers without importing semver (8 ms: it loads argparse and inspect)."""
    pa, pb = _PLAIN.fullmatch(a), _PLAIN.fullmatch(b)
    if pa is not None and pb is not None:
        ta, tb = tuple(map(int, pa.groups())), tuple(map(int, pb.groups()))
        return (ta > tb) - (ta < tb)
    import semver

    return semver.Version.parse(a).compare(semver.Version.parse(b))


_key = functools.cmp_to_key(_cmp)  # (orders versions as semver.Version does)


def feature_uses(project, features=("event.request", "setCookie")) -> list[tuple[str, str]]:
    """(feature, file rel) for `event.request` and cookie calls in the project's functions (only
    the ``features`` asked for: a file is parsed only to look for ``event.request``, and only
    when its bytes can name it)."""
    from twilint.analysis.handler import twilio_handlers
    from twilint.analysis.paths import handler_accesses
    from twilint.model import may_name

    out = []
    for f in list(project.files.values()):
        if not project.is_function_file(f) or not f.ok:
            continue
        data = f.data
        if "event.request" not in features or not may_name(data, (b"request",)):
            handlers = ()
        else:
            handlers = twilio_handlers(f)
        for h in handlers:
            if len(h.params) < 2:
                continue
            accesses = handler_accesses(f, h, {}, {1: "event"})
            if any(a.kind == "event" and a.key == "request" and not a.write for a in accesses):
                out.append(("event.request", f.rel))
                break
        if "setCookie" in features and _COOKIE_CALL.search(data):
            out.append(("setCookie", f.rel))
    return out


class RuntimeHandlerVersion(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "@twilio/runtime-handler is a version the platform rejects or does not list, or too old for the runtime or code"
    fixable = UNSAFE
    file_kinds = frozenset({"package.json"})
    example_path = "package.json"

    def check_file(self, ctx, file):
        from twilint import npmrange
        from twilint.serverless import all_runtimes

        if file.role != "project" or file.value is None or file.value.kind != "object":
            return ()
        deps = file.value.get("dependencies")
        value = deps.get(PACKAGE) if deps is not None and deps.kind == "object" else None
        if value is None or value.kind != "string" or not npmrange.is_exact_version(value.data):
            return ()
        version = value.data
        facts = ctx.facts
        problems: list[tuple[Severity, str]] = []
        minimum = "0.0.0"
        hv = facts.handler_versions.get(version)
        if hv is not None and hv.rejected:
            problems.append((Severity.ERROR, f"deploys pinning `{version}` are rejected (Error 20001: no matching version)"))
        elif hv is None or not hv.accepted:
            problems.append((Severity.WARNING, f"`{version}` is not in the platform's list of handler versions (npm and the platform differ)"))
        project = file.project
        seen_rt = set()
        for s in all_runtimes(project):
            rt = facts.runtime(s.runtime)
            if rt is None or rt.build_fails_below_handler is None or s.runtime in seen_rt:
                continue
            seen_rt.add(s.runtime)
            if _safe_cmp(version, rt.build_fails_below_handler) < 0:
                problems.append((Severity.ERROR, f"{s.runtime} builds fail with a handler below {rt.build_fails_below_handler} ({s.where})"))
                minimum = max(minimum, rt.build_fails_below_handler, key=_key)
        # only features this version is too old for can be reported: look for those alone
        wanted = tuple(f for f, need in facts.handler_features.items() if need and _safe_cmp(version, need) < 0)
        uses = feature_uses(project, wanted) if wanted else []
        for feature, rel in uses:
            need = facts.handler_features.get(feature)
            if need and _safe_cmp(version, need) < 0:
                label = "`event.request` (headers, cookies)" if feature == "event.request" else "`setCookie`/`removeCookie`"
                problems.append((Severity.ERROR, f"{rel} uses {label}, which needs {need} or later"))
                minimum = max(minimum, need, key=_key)
        if not problems:
            return ()
        severity = max(s for s, _ in problems)
        message = f"`{PACKAGE}` `{version}`: " + "; ".join(m for _, m in problems)
        target = facts.default_handler
        fix = None
        if target != version and facts.handler_accepted(target) and _safe_cmp(target, minimum) >= 0:
            quote = value.quote or '"'
            fix = Fix([Edit.replace(value.start, value.end, f"{quote}{target}{quote}")], f"Pin to `{target}`", UNSAFE,
                      "changes the handler version you run locally; run `npm install` to update the lockfile")
        ctx.report(file, value.start, value.end, message, fix, severity)
        return ()


def _safe_cmp(a: str, b: str) -> int:
    try:
        return _cmp(a, b)
    except ValueError:
        return 0


RULE = RuntimeHandlerVersion()
