"""Result cache and parallel checking for `twilint check`.

**Cache.** One entry per project, keyed by a hash of everything its diagnostics can depend on:
twilint's own code and platform data (the bytes of the package's `.py` files and the catalogue,
so an upgrade or a local edit invalidates it), the selected rules and their severities, the
facts overrides, and the path, kind, role and **content** of every file of the project (targets
and context: `package.json`, lockfiles, env files, Toolkit config, scripts, functions, assets),
plus npm's `node_modules/.package-lock.json` (what is installed). Contents, never timestamps, so
the cache survives fresh CI checkouts; any change to a file of the project, `package.json`
included, re-checks that project. Used only by `twilint check` without fixes.

Location: `--cache-dir`, else `$TWILINT_CACHE_DIR`, else `.twilint_cache` in the working folder
(with a `.gitignore` of `*` inside, as ruff does). `--no-cache` turns it off.

**Parallel.** Projects are checked in worker processes (fork) when a run has enough files to pay
for it (``PARALLEL_MIN_FILES``); a big project is split into slices of its files plus one unit for
its project rules, so a single project uses every core too. Workers send back diagnostics in the
same compact form the cache stores, so the parent never parses or keeps a tree; the parts of a
project are joined in the order a serial run produces.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from twilint.model import Diagnostic, Edit, Fix, NewFile, Severity

CACHE_VERSION = 1
PARALLEL_MIN_FILES = 50  # below this, forking workers costs more than it saves (measured: 80 files in 20 projects, 0.30 s -> 0.27 s)
SHARD_MIN_FILES = 64  # a project with this many target files is split into slices across workers


class Settings:
    enabled: bool = False
    directory: Path | None = None
    jobs: int = 1


SETTINGS = Settings()


def configure(enabled: bool, directory: Path | None = None, jobs: int | None = None) -> None:
    SETTINGS.enabled = enabled
    SETTINGS.directory = directory or Path(os.environ.get("TWILINT_CACHE_DIR") or ".twilint_cache")
    SETTINGS.jobs = max(1, jobs if jobs else (os.cpu_count() or 1))


# -- serialisation ----------------------------------------------------------------------------


def dump(diags: list[Diagnostic]) -> list:
    out = []
    for d in diags:
        fix = None
        if d.fix is not None:
            f = d.fix
            fix = [
                f.description, f.safety, f.reason,
                [[e.start, e.end, e.text.decode("utf-8", "surrogateescape")] for e in f.edits],
                [str(f.create.path), f.create.text.decode("utf-8", "surrogateescape")] if f.create is not None else None,
            ]
        out.append([d.rule, d.message, str(d.file.path), d.start, d.end, int(d.severity),
                    d.line, d.column, d.end_line, d.end_column, fix])
    return out


def load(data: list, project) -> list[Diagnostic] | None:
    out = []
    for rule, message, path, start, end, sev, line, col, eline, ecol, fix in data:
        file = project.files.get(Path(path))
        if file is None:
            return None  # the project changed shape: not this entry
        f = None
        if fix is not None:
            desc, safety, reason, edits, create = fix
            f = Fix(
                [Edit(s, e, t.encode("utf-8", "surrogateescape")) for s, e, t in edits], desc, safety, reason,
                NewFile(Path(create[0]), create[1].encode("utf-8", "surrogateescape")) if create else None,
            )
        d = Diagnostic(rule, message, file, start, end, Severity(sev), f)
        d.line, d.column, d.end_line, d.end_column = line, col, eline, ecol
        out.append(d)
    return out


# -- keys --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of twilint's own code and data: any change to either invalidates every entry."""
    from twilint import __version__
    from twilint.facts import catalogue_dir

    h = hashlib.blake2b(digest_size=16)
    h.update(f"{CACHE_VERSION}:{__version__}".encode())
    pkg = Path(__file__).resolve().parent
    for root in (pkg, catalogue_dir()):
        for p in sorted(root.rglob("*")):
            if p.suffix in (".py", ".toml", ".json") and "__pycache__" not in p.parts:
                h.update(p.relative_to(root).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def project_key(project, rules, facts) -> str | None:
    h = hashlib.blake2b(digest_size=20)
    h.update(code_fingerprint().encode())
    h.update(json.dumps([(r.name, int(s)) for r, s in rules]).encode())
    h.update(repr(sorted((project.config.platform or {}).items())).encode())
    h.update(repr((facts.default_runtime, facts.default_handler)).encode())
    h.update(str(project.root).encode())
    for path in sorted(project.files):
        f = project.files[path]
        h.update(f"\0{f.rel}\0{f.kind}\0{f.role}\0{path in project.targets}\0".encode())
        raw = f.raw if f.ok else (f.read_error or str(f.decode_error)).encode()
        h.update(hashlib.blake2b(raw, digest_size=16).digest())
    installed = project.root / "node_modules" / ".package-lock.json"
    try:
        h.update(installed.read_bytes())
    except OSError:
        h.update(b"-")
    for name, why in project.skipped:
        h.update(f"{name}:{why}".encode())
    return h.hexdigest()


def _entry(key: str) -> Path:
    return SETTINGS.directory / key[:2] / f"{key}.json"


def get(key: str, project) -> list[Diagnostic] | None:
    try:
        data = json.loads(_entry(key).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    try:
        diags = load(data["d"], project)
        if diags is not None:
            known = {(str(p), w) for p, w in project.skipped}
            project.skipped.extend((Path(p), w) for p, w in data["s"] if (p, w) not in known)
        return diags
    except (KeyError, TypeError, ValueError):
        return None


def put(key: str, diags: list[Diagnostic], skipped: list) -> None:
    """Best effort: a cache that cannot be written is not an error."""
    directory = SETTINGS.directory
    try:
        first = not directory.exists()
        path = _entry(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        if first:
            (directory / ".gitignore").write_text("# created by twilint\n*\n")
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"d": dump(diags), "s": [[str(p), w] for p, w in skipped]}), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


# -- parallel ----------------------------------------------------------------------------------

_WORK: list = []  # (project, rules, facts) of each project a worker may check
_UNITS: list = []  # (index into _WORK, target paths or None for all, run the project rules?, weight)


def _work(u: int):
    from twilint.engine import check_project_uncached

    i, files, with_project_rules, _ = _UNITS[u]
    project, rules, facts = _WORK[i]
    try:
        before = len(project.skipped)
        diags = check_project_uncached(project, rules, facts, files, with_project_rules)
        data = {"d": dump(diags), "s": [[str(p), w] for p, w in project.skipped[before:]]}
        if SETTINGS.enabled and files is None:
            put(project_key(project, rules, facts), diags, project.skipped)
        return u, data, None
    except Exception as exc:  # the parent checks this project itself
        return u, None, f"{type(exc).__name__}: {exc}"
    finally:
        if files is None:
            _WORK[i] = None  # let this worker free the project's trees


def _units(misses: list, jobs: int) -> list:
    """Work units: a project, or, for a project of at least SHARD_MIN_FILES targets, slices of
    its target files (in the project's file order) and one unit for its project rules, so that
    one big project also uses every core."""
    units = []
    for i, (project, _, _) in enumerate(misses):
        targets = [p for p in project.files if p in project.targets]
        if jobs < 2 or len(targets) < SHARD_MIN_FILES:
            units.append((i, None, True, len(targets)))
            continue
        k = max(2, min(2 * jobs, len(targets) // (SHARD_MIN_FILES // 2)))
        size = -(-len(targets) // k)
        for start in range(0, len(targets), size):
            units.append((i, frozenset(targets[start:start + size]), False, size))
        # the project rules may read every file again (module analysis): weigh them as a slice
        units.append((i, frozenset(), True, size))
    return units


def prefetch(items: list) -> dict:
    """Check ``items`` ((project, rules, facts), ...) ahead of the run. Cache hits are loaded
    here; the misses are checked in worker processes when that pays. Returns
    {project root: list of Diagnostic} for the projects it could do."""
    global _WORK, _UNITS
    out: dict = {}
    misses = []
    for project, rules, facts in items:
        if SETTINGS.enabled:
            hit = get(project_key(project, rules, facts), project)
            if hit is not None:
                out[project.root] = hit
                continue
        misses.append((project, rules, facts))
    jobs = SETTINGS.jobs
    total = sum(len(p.targets) for p, _, _ in misses)
    units = _units(misses, jobs)
    if jobs < 2 or len(units) < 2 or total < PARALLEL_MIN_FILES:
        return out
    import multiprocessing as mp

    try:
        ctx = mp.get_context("fork")
    except ValueError:
        return out
    parts: dict[int, dict[int, dict | None]] = {}  # project index -> unit -> worker data
    for u, unit in enumerate(units):
        parts.setdefault(unit[0], {})[u] = None
    order = sorted(range(len(units)), key=lambda u: -units[u][3])  # biggest first
    _WORK, _UNITS = misses, units
    try:
        with ctx.Pool(min(jobs, len(units))) as pool:
            for u, data, err in pool.imap_unordered(_work, order, chunksize=1):
                if data is not None:
                    parts[units[u][0]][u] = data
    except OSError:
        return out
    finally:
        _WORK, _UNITS = [], []
    for i, got in parts.items():
        if any(d is None for d in got.values()):
            continue  # a unit failed: the parent checks the whole project itself
        project, rules, facts = misses[i]
        diags: list[Diagnostic] = []
        skipped = []
        for u in sorted(got):  # the units of a project are in file order, project rules last
            part = load(got[u]["d"], project)
            if part is None:
                break
            diags.extend(part)
            skipped.extend((Path(p), w) for p, w in got[u]["s"])
        else:
            project.skipped.extend(skipped)
            out[project.root] = diags
            if SETTINGS.enabled and len(got) > 1:
                put(project_key(project, rules, facts), diags, project.skipped)
    return out
