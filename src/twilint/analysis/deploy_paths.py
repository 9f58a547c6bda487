"""What a deploy uploads, read from disk: every Function and Asset with its path and visibility.

The Serverless Toolkit turns every ``.js`` file under the functions folder into a Function at its
path relative to that folder, with ``.js`` and a ``.protected``/``.private`` marker removed
[002:2043-2061] (TypeScript sources map the same way once compiled), and every file under the
assets folder into an Asset at ``/`` + its relative path, with the ``.private.``/``.protected.``
marker removed [002:2066]. ``Runtime.getFunctions()`` keys are the Function paths without the
leading slash [002:4299]; ``Runtime.getAssets()`` keys are the private Asset paths [002:4112-4115].

This walks the folders on disk rather than ``project.files``, so a check of one named file still
sees the whole project.
"""

from __future__ import annotations

import os
from pathlib import Path

from twilint.project import BUILD_DIRS, SKIP_DIRS
from twilint.records import record

FUNCTION_EXTS = (".js", ".ts")
MAX_ENTRIES = 20000


@record(frozen=True)
class Entry:
    key: str  # Function: 'sms/reply'; Asset: '/names.json'
    rel: str  # path relative to the project root (POSIX)
    visibility: str  # public | protected | private
    path: Path


def strip_marker(name: str) -> tuple[str, str]:
    """('a.private.json' -> ('a.json', 'private')); the first marker in the file name."""
    parts = name.split(".")
    for i, p in enumerate(parts[1:], start=1):
        if p in ("private", "protected"):
            return ".".join(parts[:i] + parts[i + 1:]), p
    return name, "public"


def _walk(d: Path):
    count = 0
    for dirpath, dirnames, filenames in os.walk(d):
        dirnames[:] = sorted(n for n in dirnames if n not in SKIP_DIRS)
        for f in sorted(filenames):
            count += 1
            if count > MAX_ENTRIES:
                return
            yield Path(dirpath) / f


def function_entries(project) -> list[Entry] | None:
    """Every Function the project deploys; None when no functions folder exists."""
    cache = project.__dict__.setdefault("_deploy_paths", {})
    if "functions" in cache:
        return cache["functions"]
    dirs = [d for d in project.functions_dirs if os.path.isdir(d)]
    out: list[Entry] | None = None
    if dirs:
        out = []
        for d in dirs:
            for p in _walk(d):
                name = p.name
                if not name.endswith(FUNCTION_EXTS) or name.endswith(".d.ts") or name.endswith((".min.js", ".test.js", ".spec.js", ".test.ts", ".spec.ts")):
                    continue
                rel_in = p.relative_to(d).as_posix()
                stem = rel_in[: -len(os.path.splitext(rel_in)[1])]
                head, _, base = stem.rpartition("/")
                visibility = "public"
                if base.endswith(".protected"):
                    base, visibility = base[: -len(".protected")], "protected"
                elif base.endswith(".private"):
                    base, visibility = base[: -len(".private")], "private"
                key = f"{head}/{base}" if head else base
                out.append(Entry(key, p.relative_to(project.root).as_posix(), visibility, p))
    cache["functions"] = out
    return out


def asset_entries(project) -> list[Entry] | None:
    """Every Asset the project deploys; None when no assets folder exists, or when it is build
    output (generated, so not in the checkout)."""
    cache = project.__dict__.setdefault("_deploy_paths", {})
    if "assets" in cache:
        return cache["assets"]
    dirs = [d for d in project.assets_dirs if os.path.isdir(d)]
    out: list[Entry] | None = None
    if dirs and not any(part in BUILD_DIRS for d in dirs for part in _rel_parts(d, project.root)):
        out = []
        for d in dirs:
            for p in _walk(d):
                rel_in = p.relative_to(d).as_posix()
                head, _, base = rel_in.rpartition("/")
                base, visibility = strip_marker(base)
                key = "/" + (f"{head}/{base}" if head else base)
                out.append(Entry(key, p.relative_to(project.root).as_posix(), visibility, p))
    cache["assets"] = out
    return out


def _rel_parts(d: Path, root: Path) -> tuple[str, ...]:
    try:
        return d.relative_to(root).parts
    except ValueError:
        return d.parts
