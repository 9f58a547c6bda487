"""What a project's lockfile resolved a package to.

Supports package-lock.json / npm-shrinkwrap.json v1-v3, yarn.lock v1 (classic) and berry
(v2+, YAML with ``__metadata``), and pnpm-lock.yaml (v5-v9).

:func:`locked_package` answers "what version of ``name`` does ``require(name)`` from the project
root get": the top-level install. For a dependency the project declares, that is the entry the
declared spec resolved to; for one it does not declare, it is a transitive package that the lockfile
hoists (npm, yarn) or lists (pnpm), reported with ``direct=False``. npm aliases
(``"fetch2": "npm:node-fetch@^2"``) give the real package name in ``real_name``.
"""

from __future__ import annotations

import functools
import re

from twilint.records import record

LOCK_FIELDS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")


@record(frozen=True)
class Locked:
    name: str  # the name code requires (the node_modules folder name)
    version: str  # the resolved version of the installed package
    real_name: str  # the registry package installed under ``name`` (differs for npm: aliases)
    lockfile: object  # the lockfile SourceFile
    direct: bool  # the lockfile lists it as a dependency of the project root

    @property
    def format(self) -> str:
        return _format_name(self.lockfile)


def resolved_version(project, name: str) -> tuple[str, object] | None:
    """(version, lockfile SourceFile) of the top-level install of ``name``, or None."""
    lp = locked_package(project, name)
    return (lp.version, lp.lockfile) if lp is not None else None


def locked_package(project, name: str) -> Locked | None:
    """The top-level install of ``name`` according to the first lockfile that knows it."""
    for lf in project.lockfiles():
        if not lf.ok:
            continue
        try:
            found = _lookup(lf, project, name)
        except (AttributeError, TypeError, ValueError, IndexError):
            found = None
        if found is not None:
            return found
    return None


def _format_name(lf) -> str:
    name = lf.path.name
    if name == "yarn.lock":
        return "yarn-berry" if _yarn_entries(lf)[0] else "yarn-v1"
    if name == "pnpm-lock.yaml":
        return "pnpm"
    root = lf.value
    v = root.get("lockfileVersion") if root is not None else None
    return f"npm-v{v.data}" if v is not None and v.kind == "number" else "npm"


def _lookup(lf, project, name: str) -> Locked | None:
    fname = lf.path.name
    if fname in ("package-lock.json", "npm-shrinkwrap.json"):
        return _npm(lf, name)
    if fname == "yarn.lock":
        return _yarn(lf, project, name)
    if fname == "pnpm-lock.yaml":
        return _pnpm(lf, name)
    return None


def _str(v) -> str | None:
    if v is None:
        return None
    if v.kind == "string":
        return v.data
    if v.kind == "number":
        return str(v.data)
    return None


def _declared_spec(project, name: str) -> str | None:
    for field in LOCK_FIELDS:
        deps = project.dependencies(field)
        v = deps.get(name) if deps is not None else None
        if v is not None and v.kind == "string":
            return v.data
    return None


def _split_alias(spec: str) -> tuple[str, str] | None:
    """``npm:node-fetch@^2`` -> ("node-fetch", "^2")."""
    if not spec.startswith("npm:"):
        return None
    rest = spec[4:]
    at = rest.find("@", 1)
    if at < 0:
        return rest, ""
    return rest[:at], rest[at + 1 :]


# -- npm ------------------------------------------------------------------------------------


def _npm(lf, name: str) -> Locked | None:
    root = lf.value
    if root is None or root.kind != "object":
        return None
    pkgs = root.get("packages")
    if pkgs is not None and pkgs.kind == "object":  # lockfileVersion 2 and 3
        entry = pkgs.get(f"node_modules/{name}")
        seen = 0
        while entry is not None and entry.kind == "object" and _is_true(entry.get("link")) and seen < 5:
            target = _str(entry.get("resolved"))
            entry = pkgs.get(target) if target is not None else None
            seen += 1
        if entry is not None and entry.kind == "object":
            version = _str(entry.get("version"))
            if version:
                real = _str(entry.get("name")) or name
                top = pkgs.get("")
                direct = False
                if top is not None:
                    direct = any(
                        (d := top.get(f)) is not None and d.get(name) is not None for f in LOCK_FIELDS
                    )
                return Locked(name, version, real, lf, direct)
    deps = root.get("dependencies")  # lockfileVersion 1
    if deps is not None and deps.kind == "object":
        entry = deps.get(name)
        if entry is not None and entry.kind == "object":
            version = _str(entry.get("version"))
            if version:
                real = name
                alias = _split_alias(version)
                if alias is not None:
                    real, version = alias
                # v1 does not mark root dependencies; transitive ones carry no "requires" link
                # from the root, so "direct" is the package.json's call.
                project_declares = _declared_spec(lf.project, name) is not None
                return Locked(name, version, real, lf, project_declares)
    return None


def _is_true(v) -> bool:
    return v is not None and v.kind == "bool" and v.data is True


# -- yarn -----------------------------------------------------------------------------------

_YARN_FIELD = re.compile(r'^\s+("?)([^"\s:]+)\1:?\s+(.*?)\s*$')


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    return s


def _yarn_entries(lf) -> tuple[bool, list[tuple[list[tuple[str, str]], dict[str, str]]]]:
    """(is_berry, [(descriptors as (name, range), top-level fields)]) of a yarn.lock, cached."""
    cache = lf.__dict__.setdefault("_twilint_yarn", {})
    if "entries" in cache:
        return cache["entries"]
    text = lf.text
    berry = bool(re.search(r"^__metadata:\s*$", text, re.M))
    entries: list[tuple[list[tuple[str, str]], dict[str, str]]] = []
    current: dict[str, str] | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = None
            header = line.rstrip()
            if not header.endswith(":") or header.startswith("__metadata"):
                continue
            descriptors = []
            for part in header[:-1].split(","):
                d = _unquote(part)
                at = d.find("@", 1)
                if at <= 0:
                    continue
                descriptors.append((d[:at], d[at + 1 :]))
            if descriptors:
                current = {}
                entries.append((descriptors, current))
            continue
        if current is None:
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent != 2:
            continue
        m = _YARN_FIELD.match(line)
        if m and m.group(3):
            current[m.group(2)] = _unquote(m.group(3))
    cache["entries"] = (berry, entries)
    return cache["entries"]


def _yarn(lf, project, name: str) -> Locked | None:
    berry, entries = _yarn_entries(lf)
    declared = _declared_spec(project, name)
    candidates = []
    for descriptors, fields in entries:
        ranges = [r for n, r in descriptors if n == name]
        if not ranges or "version" not in fields:
            continue
        if berry and any(r.startswith("workspace:") for r in ranges):
            continue  # the project itself
        real = name
        resolution = fields.get("resolution")
        if resolution:
            at = resolution.find("@", 1)
            if at > 0:
                real = resolution[:at]
        else:
            for r in ranges:
                alias = _split_alias(r)
                if alias is not None:
                    real = alias[0]
        if declared is not None:
            wanted = {declared}
            if not declared.startswith(("npm:", "workspace:", "patch:", "portal:", "link:", "file:")):
                wanted.add(f"npm:{declared}")
            if any(r in wanted for r in ranges):
                return Locked(name, fields["version"], real, lf, True)
        candidates.append((fields["version"], real))
    if not candidates:
        return None
    # Not declared (or no block for the declared spec): the hoisted copy is unknown; take the
    # highest version, which is what a fresh flat install usually hoists.
    from twilint import npmrange

    best = max(candidates, key=lambda c: _sort_key(npmrange, c[0]))
    return Locked(name, best[0], best[1], lf, declared is not None)


def _sort_key(npmrange, version: str):
    return functools.cmp_to_key(lambda a, b: _safe_compare(npmrange, a, b))(version)


def _safe_compare(npmrange, a: str, b: str) -> int:
    try:
        return npmrange.compare(a, b)
    except ValueError:
        return (a > b) - (a < b)


# -- pnpm -----------------------------------------------------------------------------------

_PNPM_KEY_V5 = re.compile(r"^/?((?:@[^/]+/)?[^/@]+)/([^/_(]+)")
_PNPM_KEY_V6 = re.compile(r"^/?((?:@[^/@]+/)?[^/@(]+)@([^(_]+)")


def _pnpm_version(raw: str, name: str) -> tuple[str, str]:
    """A pnpm ``version`` field -> (real name, version). Handles peer suffixes and aliases."""
    raw = raw.split("(", 1)[0]
    if raw[:1].isdigit():
        return name, raw.split("_", 1)[0]
    for pat in (_PNPM_KEY_V6, _PNPM_KEY_V5):
        m = pat.match(raw)
        if m:
            return m.group(1), m.group(2).split("_", 1)[0]
    return name, raw


def _pnpm(lf, name: str) -> Locked | None:
    root = lf.value
    if root is None or root.kind != "object":
        return None
    candidates = []
    importers = root.get("importers")
    if importers is not None:
        dot = importers.get(".")
        if dot is not None:
            candidates.append(dot)
    candidates.append(root)
    for c in candidates:
        for field in LOCK_FIELDS:
            deps = c.get(field)
            if deps is None or deps.kind != "object":
                continue
            entry = deps.get(name)
            if entry is None:
                continue
            if entry.kind == "object":
                entry = entry.get("version")
            raw = _str(entry)
            if raw:
                if raw.startswith(("link:", "file:", "workspace:")):
                    return None
                real, version = _pnpm_version(raw, name)
                return Locked(name, version, real, lf, True)
    # Not a direct dependency: a package of the graph (pnpm does not hoist it to the root
    # node_modules, but npm, which the platform deploys with, would).
    pkgs = root.get("packages")
    best = None
    if pkgs is not None and pkgs.kind == "object":
        from twilint import npmrange

        for key in pkgs.keys():
            for pat in (_PNPM_KEY_V6, _PNPM_KEY_V5):
                m = pat.match(key)
                if m and m.group(1) == name:
                    v = m.group(2).split("_", 1)[0]
                    if npmrange.valid(v) and (best is None or npmrange.compare(v, best) > 0):
                        best = v
                    break
    if best is not None:
        return Locked(name, best, name, lf, False)
    return None
