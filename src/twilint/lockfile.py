"""What a project's lockfile resolved a direct dependency to.

Supports package-lock.json / npm-shrinkwrap.json v1-v3, yarn.lock v1 and berry, and
pnpm-lock.yaml (v5-v9).
"""

from __future__ import annotations

import re


def resolved_version(project, name: str) -> tuple[str, object] | None:
    """(version, lockfile SourceFile) of the top-level install of ``name``, or None."""
    for lf in project.lockfiles():
        if not lf.ok:
            continue
        fname = lf.path.name
        try:
            if fname in ("package-lock.json", "npm-shrinkwrap.json"):
                v = _npm(lf, name)
            elif fname == "yarn.lock":
                v = _yarn(lf, name, project)
            elif fname == "pnpm-lock.yaml":
                v = _pnpm(lf, name)
            else:
                v = None
        except (AttributeError, TypeError, ValueError):
            v = None
        if v:
            return v, lf
    return None


def _npm(lf, name: str) -> str | None:
    root = lf.value
    if root is None:
        return None
    pkgs = root.get("packages")
    if pkgs is not None:
        entry = pkgs.get(f"node_modules/{name}")
        if entry is not None:
            v = entry.get("version")
            if v is not None and v.kind == "string":
                return v.data
    deps = root.get("dependencies")
    if deps is not None:
        entry = deps.get(name)
        if entry is not None:
            v = entry.get("version")
            if v is not None and v.kind == "string":
                return v.data
    return None


def _yarn(lf, name: str, project) -> str | None:
    """yarn.lock: find the block whose descriptors include the declared range."""
    text = lf.text
    declared = None
    for field in ("dependencies", "devDependencies"):
        deps = project.dependencies(field)
        if deps is not None and deps.get(name) is not None and deps.get(name).kind == "string":
            declared = deps.get(name).data
            break
    blocks = re.split(r"\n(?=\S)", text)
    fallback = None
    for block in blocks:
        header, _, body = block.partition("\n")
        descriptors = [d.strip().strip('"') for d in header.rstrip(":").split(",")]
        names = []
        for d in descriptors:
            at = d.rfind("@")
            if at <= 0:
                continue
            names.append((d[:at], d[at + 1 :]))
        if not any(n == name for n, _ in names):
            continue
        m = re.search(r'^\s+version:?\s+"?([^"\s]+)"?', body, re.M)
        if not m:
            continue
        ranges = {r.removeprefix("npm:") for n, r in names if n == name}
        if declared is None or declared in ranges:
            return m.group(1)
        fallback = fallback or m.group(1)
    return fallback


def _pnpm(lf, name: str) -> str | None:
    root = lf.value
    if root is None:
        return None
    candidates = []
    importers = root.get("importers")
    if importers is not None:
        dot = importers.get(".")
        if dot is not None:
            candidates.append(dot)
    candidates.append(root)
    for c in candidates:
        for field in ("dependencies", "devDependencies", "optionalDependencies"):
            deps = c.get(field)
            if deps is None:
                continue
            entry = deps.get(name)
            if entry is None:
                continue
            if entry.kind == "object":
                entry = entry.get("version")
            if entry is not None and entry.kind in ("string", "number"):
                v = str(entry.data)
                return v.split("(", 1)[0].split("_", 1)[0]
    return None
