"""Result cache and parallel checking for `twilint check`.

**Cache.** One entry per project, keyed by a hash of everything its diagnostics can depend on:
twilint's own code and platform data (the bytes of the package's `.py` files and the catalogue,
so an upgrade or a local edit invalidates it), the selected rules and their severities, the
facts overrides, and the path, kind, role and **content** of every file of the project (targets
and context: `package.json`, lockfiles, env files, Toolkit config, scripts, functions, assets),
plus npm's `node_modules/.package-lock.json` (what is installed). Contents, never timestamps, so
the cache survives fresh CI checkouts; any change to a file of the project, `package.json`
included, re-checks that project. Used only by `twilint check` without fixes.

A warm run must cost little more than looking at the project files: the code fingerprint and the
catalogue defaults are remembered in the cache folder (``code-state``, checked against the
stat of every file they cover), so are the digests of the project files (``file-state``, see
:func:`file_digest`), the cache's files are read without ``json`` (see :func:`_pack`), keys are
computed from the rules' manifest and :class:`KeyFacts` (no rule module, no catalogue parse),
and a project's key once a run.

Location: `--cache-dir`, else `$TWILINT_CACHE_DIR`, else `.twilint_cache` in the working folder
(with a `.gitignore` of `*` inside, as ruff does). `--no-cache` turns it off.

**Parallel.** Projects are checked in several processes (the parent and forks of it) when a run
has enough files to pay for it (``PARALLEL_MIN_FILES``); a big project is split into slices of its
files plus one unit for its project rules, so a single project uses every core too. Forked workers
send back diagnostics in the same compact form the cache stores; the parts of a project are
joined in the order a serial run produces (see :func:`_run_units`).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from stat import S_ISREG

from twilint import __version__
from twilint.model import Diagnostic, Edit, Fix, NewFile, Severity

from twilint._ownfiles import blake2b, write_best_effort

CACHE_VERSION = 4
PARALLEL_MIN_FILES = 50  # below this, forking workers costs more than it saves (measured: 80 files in 20 projects, 0.30 s -> 0.27 s)
SHARD_MIN_FILES = 64  # a project with this many target files is split into slices across workers


class Settings:
    enabled: bool = False
    directory: Path | None = None
    jobs: int = 1


SETTINGS = Settings()


def configure(enabled: bool, directory: Path | None = None, jobs: int | None = None) -> None:
    global _STATES, _STATES_CHANGED
    _STATES, _STATES_CHANGED = None, False  # (the remembered file digests of this directory)
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


_SEVERITIES = {int(s): s for s in Severity}


def load(data: list, project) -> list[Diagnostic] | None:
    out = []
    files = project.files
    by_name = {}  # str(path) -> file: one dict look-up a diagnostic, no Path made
    for k, f in files.items():
        by_name[os.fspath(k)] = f
    sev_of = _SEVERITIES
    for rule, message, path, start, end, sev, line, col, eline, ecol, fix in data:
        file = by_name.get(path)
        if file is None:
            file = files.get(Path(path))  # (a path spelled differently)
            if file is None:
                return None  # the project changed shape: not this entry
        f = None
        if fix is not None:
            desc, safety, reason, edits, create = fix
            f = Fix(
                [Edit(s, e, t.encode("utf-8", "surrogateescape")) for s, e, t in edits], desc, safety, reason,
                NewFile(Path(create[0]), create[1].encode("utf-8", "surrogateescape")) if create else None,
            )
        out.append(Diagnostic(rule, message, file, start, end, sev_of.get(sev) or Severity(sev), f, line, col, eline, ecol))
    return out


# -- keys --------------------------------------------------------------------------------------


def _catalogue_dir(pkg: str) -> str:
    """``twilint.facts.catalogue_dir()`` (a test keeps them equal), without importing
    twilint.facts and tomllib, which a run served from the cache does not need."""
    packaged = os.path.join(pkg, "_catalogue")
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(os.path.dirname(pkg)), "rules")


def _code_files() -> list[tuple[str, str]]:
    """(label, absolute path) of twilint's own code and data: the package's ``.py``, ``.toml``
    and ``.json`` files and the catalogue's, outside ``__pycache__``; sorted."""
    pkg = os.path.dirname(os.path.realpath(__file__))
    out = []
    seen = set()
    for n, root in enumerate((pkg, _catalogue_dir(pkg))):
        stack = [(root, "")]
        while stack:
            d, rel = stack.pop()
            try:
                st = os.stat(d)
                if (st.st_dev, st.st_ino) in seen:
                    continue  # (a link back up)
                seen.add((st.st_dev, st.st_ino))
                entries = list(os.scandir(d))
            except OSError:
                continue
            for e in entries:
                if e.name == "__pycache__":
                    continue
                name = f"{rel}{e.name}"
                if e.is_dir():
                    stack.append((e.path, name + "/"))
                elif e.name.endswith((".py", ".toml", ".json")):
                    out.append((f"{n}:{name}", e.path))
    out.sort()
    return out


def code_fingerprint() -> str:
    """A hash of twilint's own code and data (the bytes of every file of :func:`_code_files`):
    any change to either invalidates every entry."""
    return _code_state()[0]


@functools.lru_cache(maxsize=1)
def _code_state() -> tuple[str, tuple[str, str]]:
    """(:func:`code_fingerprint`, the catalogue's (default runtime, default runtime-handler)).

    Hashing ~100 files (and parsing the catalogue) costs more than a warm run has to spend, so
    both are remembered in the cache folder with the (size, mtime, ctime, inode) of each file
    the hash covers, and recomputed when any of those differ (an edit always changes the ctime,
    which nothing can set back). The key stays a hash of contents: the stat only says whether
    the remembered hash is still the hash of these files.
    """
    files = _code_files()
    stamp = blake2b(f"{CACHE_VERSION}:{__version__}".encode(), digest_size=16)
    for label, path in files:
        try:
            st = os.stat(path)
            stamp.update(f"{label}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0{st.st_dev}\n".encode())
        except OSError:
            stamp.update(f"{label}\0-\n".encode())
    stamp_hex = stamp.hexdigest()
    memo = os.path.join(os.fspath(SETTINGS.directory), "code-state") if SETTINGS.directory else None
    if memo is not None:
        try:
            with open(memo, "rb") as fh:
                got = _unpack(fh.read(), "code")
            if got is not None and len(got) == 5 and got[1] == stamp_hex:
                return got[2], (got[3], got[4])
        except OSError:
            pass
    h = blake2b(digest_size=16)
    h.update(f"{CACHE_VERSION}:{__version__}".encode())
    for label, path in files:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            data = None
        h.update(f"{label}\0{len(data) if data is not None else -1}\0".encode())
        h.update(data or b"")
    fp = h.hexdigest()
    from twilint.facts import load_facts

    facts = load_facts()
    defaults = (facts.default_runtime, facts.default_handler)
    if memo is not None:
        packed = _pack("code", [stamp_hex, fp, *defaults])
        if packed is not None:
            _write_atomic(memo, packed)
    return fp, defaults


class KeyFacts:
    """The part of a project's facts its cache key reads (:func:`project_key`), computed without
    loading the catalogue: its defaults (remembered with the code fingerprint) with the
    ``default-runtime`` and ``default-runtime-handler`` overrides applied as
    ``Facts.with_overrides`` applies them (a test keeps the two equal)."""

    __slots__ = ("default_runtime", "default_handler")

    def __init__(self, *platforms: dict | None):
        runtime, handler = _code_state()[1]
        for platform in platforms:
            if platform:
                handler = platform.get("default-runtime-handler", handler)
                runtime = platform.get("default-runtime", runtime)
        self.default_runtime = runtime
        self.default_handler = handler


def _write_atomic(path: str, data: bytes) -> None:
    """Best effort (a cache that cannot be written is not an error). A cache folder it creates
    gets a ``.gitignore`` of ``*``, as ruff's does."""
    root = os.fspath(SETTINGS.directory)
    if not os.path.isdir(root):
        write_best_effort(os.path.join(root, ".gitignore"), b"# created by twilint\n*\n")
    write_best_effort(path, data)


_RULES_SIG_BYTES: dict = {}


def project_key(project, rules, facts) -> str | None:
    """The key of ``project``'s entry: a hash of everything its diagnostics depend on (see the
    module docstring). Computed once a run for a project (the inputs do not change while it is
    checked; what checking adds to ``project.skipped`` is part of the result, stored in the
    entry), so a lookup and the store after checking agree."""
    rules_sig = tuple((r.name, int(s)) for r, s in rules)
    sig = (rules_sig, facts.default_runtime, facts.default_handler, id(project.files), len(project.files))
    memo = project.__dict__.get("_cache_key")
    if memo is not None and memo[0] == sig:
        return memo[1]
    rules_bytes = _RULES_SIG_BYTES.get(rules_sig)
    if rules_bytes is None:
        rules_bytes = _RULES_SIG_BYTES[rules_sig] = "".join(f"{n}\0{s}\0" for n, s in rules_sig).encode()
    h = blake2b(digest_size=20)
    h.update(code_fingerprint().encode())
    h.update(rules_bytes)
    h.update(repr(sorted((project.config.platform or {}).items())).encode())
    h.update(repr((facts.default_runtime, facts.default_handler)).encode())
    root = os.fspath(project.root)
    h.update(root.encode())
    targets = project.targets
    parts = [f"\0{name}\0{f.rel}\0{f.kind}\0{f.role}\0{path in targets}\0{file_digest(f)}\0"
             for name, path, f in sorted((os.fspath(p), p, f) for p, f in project.files.items())]
    parts.append(_installed_digest(os.path.join(root, "node_modules", ".package-lock.json")))
    parts.extend(f"\0{name}:{why}" for name, why in project.skipped)
    h.update("".join(parts).encode())
    key = h.hexdigest()
    project.__dict__["_cache_key"] = (sig, key)
    return key


# -- file digests -----------------------------------------------------------------------------

# A key covers the contents of every file of a project, so a warm run would read and hash every
# file. Instead the digest of each file is remembered with its (size, mtime, ctime, inode,
# device) in the cache folder (``file-state``), and reused while a file's stat is the one
# recorded: what git's index does. The key is still a hash of contents; the stat only says the
# remembered digest is still the digest of these bytes. Any write to a file changes its ctime,
# which nothing can set back, and a file written in the last RACY_SECONDS is never remembered
# (git's "racy" rule: a write in the same clock tick as the read could leave the stat as it was).
RACY_SECONDS = 2.0
_STATES: dict | None = None  # str(path) -> "size mtime_ns ctime_ns inode device digest"
_STATES_CHANGED = False
_MAX_STATES = 200_000


def _states() -> dict:
    global _STATES
    if _STATES is None:
        _STATES = {}
        if SETTINGS.directory is not None:
            try:
                with open(os.path.join(os.fspath(SETTINGS.directory), "file-state"), "rb") as fh:
                    got = _unpack(fh.read(), "files")
                if got is not None and len(got) % 2 == 1:  # (the tag, then path and state pairs)
                    _STATES = dict(zip(got[1::2], got[2::2]))
            except OSError:
                pass
    return _STATES


def _stat_of(st) -> str:
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino} {st.st_dev}"


def _digest(content: bytes) -> str:
    return blake2b(content, digest_size=16).hexdigest()


def _remember(path: str, st, digest: str) -> None:
    """Record ``digest`` for the file at ``path`` as it was when ``st`` was taken (before its
    bytes were read), unless it was written too recently to be told apart from a later write."""
    global _STATES_CHANGED
    import time

    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_SECONDS * 1e9:
        return
    states = _states()
    if len(states) >= _MAX_STATES:
        states.clear()
    states[path] = f"{_stat_of(st)} {digest}"
    _STATES_CHANGED = True


def _recalled(path: str):
    """(the remembered digest or None, the file's lstat or None; "-" and None when there is no
    such file)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "-", None
    except (OSError, ValueError):
        return None, None
    if not S_ISREG(st.st_mode):
        return None, None  # (links and the like: read as SourceFile reads them)
    got = _states().get(path)
    if got is not None:
        state, _, digest = got.rpartition(" ")
        if state == _stat_of(st) and digest:
            return digest, st
    return None, st


def file_digest(f) -> str:
    """What a project's key takes of one of its files: a digest of its bytes as read ("R"), or
    its read error ("E")."""
    path = os.fspath(f.path)
    st = None
    if not f.is_read:
        digest, st = _recalled(path)
        if digest is not None and digest != "-":
            return digest
    tag, content = f.content_key()
    if tag != b"R":
        return tag.decode() + _digest(content)  # (a read error: nothing to remember)
    return _digest_read(path, st, "R", content)


def _installed_digest(path: str) -> str:
    """npm's record of the installed packages (``node_modules/.package-lock.json``), as
    :func:`file_digest` takes a file: what is installed is part of every key of the project."""
    digest, st = _recalled(path)
    if digest is not None:
        return digest
    try:
        with open(path, "rb") as fh:
            content = fh.read()
    except OSError:
        return "-"
    return _digest_read(path, st, "I", content)


def _digest_read(path: str, st, tag: str, content: bytes) -> str:
    """The digest of ``content``, just read from ``path``, remembered with ``st`` (its stat
    before the read) when it is the whole file that stat describes."""
    digest = tag + _digest(content)
    if st is not None and len(content) == st.st_size:
        _remember(path, st, digest)
    return digest


def save_file_states() -> None:
    """Write the remembered digests back (best effort), when this run added any."""
    global _STATES_CHANGED
    if not _STATES_CHANGED or _STATES is None or SETTINGS.directory is None:
        return
    _STATES_CHANGED = False
    fields = []
    for item in _STATES.items():
        fields += item
    packed = _pack("files", fields)
    if packed is not None:  # (no path holds a NUL)
        _write_atomic(os.path.join(os.fspath(SETTINGS.directory), "file-state"), packed)


def _entry(key: str) -> str:
    return os.path.join(os.fspath(SETTINGS.directory), key[:2], f"{key}.entry")


def get(key: str, project) -> list[Diagnostic] | None:
    try:
        with open(_entry(key), "rb") as fh:
            fields = _unpack(fh.read(), "entry")
    except OSError:
        return None
    if fields is None:
        return None
    try:
        data, skipped = _entry_data(fields)
        diags = load(data, project)
        if diags is not None:
            known = {(str(p), w) for p, w in project.skipped}
            project.skipped.extend((Path(p), w) for p, w in skipped if (p, w) not in known)
        return diags
    except (IndexError, TypeError, ValueError):
        return None


def put(key: str, diags: list[Diagnostic], skipped: list) -> None:
    """Best effort: a cache that cannot be written is not an error (nor is a result holding a
    NUL character, which is not cached)."""
    packed = _pack("entry", _entry_fields(dump(diags), [(str(p), w) for p, w in skipped]))
    if packed is not None:
        _write_atomic(_entry(key), packed)


# -- on-disk form ------------------------------------------------------------------------------
# The cache's files (entries, ``file-state``, ``code-state``) are lists of strings joined by NUL,
# the first one naming the kind of file and CACHE_VERSION: a warm run reads them with a split, and
# without ``json`` (whose import is ~1.2 ms of its start-up). No string may hold a NUL: no path
# can, and a result whose text does is not cached. The UTF-8 keeps lone surrogates (file names
# that are not UTF-8), so every string reads back as it was written.


def _pack(kind: str, fields: list[str]) -> bytes | None:
    """``fields`` as the bytes of a cache file of this ``kind``; None when one of them holds a
    NUL."""
    text = f"{kind} {CACHE_VERSION}\0" + "\0".join(fields)
    if text.count("\0") != len(fields):
        return None
    return text.encode("utf-8", "surrogatepass")


def _unpack(data: bytes, kind: str) -> list[str] | None:
    """The strings of a cache file of this ``kind`` and version; None for anything else."""
    try:
        fields = data.decode("utf-8", "surrogatepass").split("\0")
    except UnicodeDecodeError:
        return None
    return fields if fields[0] == f"{kind} {CACHE_VERSION}" else None


def _entry_fields(data: list, skipped: list) -> list[str]:
    """An entry's strings (after its kind): :func:`dump`'s diagnostics, then the skipped
    (path, why) pairs. An optional string is "" when absent, else "=" and the string."""
    out = [str(len(data))]
    for rule, message, path, start, end, sev, line, col, eline, ecol, fix in data:
        out += (rule, message, path, str(start), str(end), str(sev), str(line), str(col), str(eline), str(ecol))
        if fix is None:
            out.append("")
            continue
        desc, safety, reason, edits, create = fix
        out += ("fix", desc, safety, "" if reason is None else "=" + reason, str(len(edits)))
        for edit_start, edit_end, text in edits:
            out += (str(edit_start), str(edit_end), text)
        out += ("",) if create is None else ("=" + create[0], create[1])
    out.append(str(len(skipped)))
    for path, why in skipped:
        out += (path, why)
    return out


def _entry_data(f: list[str]) -> tuple[list, list]:
    """(:func:`dump`'s diagnostics, the skipped pairs) from an entry's strings (its kind
    first, then :func:`_entry_fields`'); IndexError or ValueError when they are not such a list."""
    data = []
    i = 2
    for _ in range(int(f[1])):
        rule, message, path, start, end, sev, line, col, eline, ecol, has_fix = f[i:i + 11]
        i += 11
        fix = None
        if has_fix:
            if has_fix != "fix":
                raise ValueError(has_fix)
            desc, safety, reason, n = f[i:i + 4]
            i += 4
            edits = []
            for _ in range(int(n)):
                edits.append([int(f[i]), int(f[i + 1]), f[i + 2]])
                i += 3
            create = f[i]
            i += 1
            if create:
                create = [create[1:], f[i]]
                i += 1
            fix = [desc, safety, reason[1:] if reason else None, edits, create or None]
        data.append([rule, message, path, int(start), int(end), int(sev), int(line), int(col), int(eline),
                     int(ecol), fix])
    skipped = []
    for _ in range(int(f[i])):
        skipped.append((f[i + 1], f[i + 2]))
        i += 2
    if i + 1 != len(f):
        raise ValueError("trailing fields")
    return data, skipped


# -- parallel ----------------------------------------------------------------------------------

_WORK: list = []  # (project, rules, facts) of each project a worker may check
_UNITS: list = []  # (index into _WORK, target paths or None for all, run the project rules?, weight)
QUEUE_MAX_UNITS = 1024  # units handed out through the queue pipe (4 bytes each: 4 KB, under any pipe's buffer)


def _work(u: int):
    from twilint.engine import check_project_uncached
    from twilint.rules import real_rules

    i, files, with_project_rules, _ = _UNITS[u]
    project, rules, facts = _WORK[i]
    before = len(project.skipped)
    try:
        # a run that starts from the rules' manifest hands the workers its entries: each process
        # imports the rule modules itself, in parallel, instead of the parent before forking
        rules = real_rules(rules)
        if callable(facts):
            facts = facts()
        diags = check_project_uncached(project, rules, facts, files, with_project_rules)
        data = {"d": dump(diags), "s": [[str(p), w] for p, w in project.skipped[before:]]}
        if SETTINGS.enabled and files is None:
            put(project_key(project, rules, facts), diags, project.skipped)
        return u, data
    except Exception:  # (None: the parent checks this project itself, and reports what goes wrong)
        return u, None
    finally:
        # what checking added to skipped travels in the unit's data (joined by the parent)
        del project.skipped[before:]


def _next_unit(queue: int | None, share: list[int] | None) -> int | None:
    """The next unit of this process, or None when there is none left: from its ``share`` when
    the units were dealt out, else from the ``queue`` pipe. Every index was written there (4
    bytes each) before any process started reading, so each read takes one whole index."""
    if share is not None:
        return share.pop(0) if share else None
    got = os.read(queue, 4)
    return int.from_bytes(got, "little") if len(got) == 4 else None


def _run_units(order: list[int], jobs: int) -> dict[int, dict | None]:
    """Check the units ``order`` (biggest first) in this process and ``jobs - 1`` forked
    children; {unit: data} for the units that came back.

    The parent is one of the workers: it forks as soon as discovery is done (the children
    inherit the projects, so nothing is sent to them), and each process takes the next unit
    from a shared queue, a pipe holding every unit's index, so a long unit never holds up the
    rest. No rule module needs to be imported before the fork: every process imports them as
    it starts (the same time, in parallel). A child sends back its units' data (the cache's
    compact form, marshalled) when the queue is empty, then exits without running anything else
    (``os._exit``: no buffered output of the parent is flushed twice). A unit a child did not
    send back is missing from the answer, and its project is checked by the parent later."""
    import marshal

    results: dict[int, dict | None] = {}
    if len(order) > QUEUE_MAX_UNITS:  # (a pipe could not hold them all: deal them out in turn)
        shares = [order[k::jobs] for k in range(jobs)]
        queue = None
    else:
        shares = None
        queue, w = os.pipe()
        pending = memoryview(b"".join(u.to_bytes(4, "little") for u in order))
        while pending:  # (fits the pipe's buffer: written before anyone reads)
            pending = pending[os.write(w, pending):]
        os.close(w)
    children = []  # (pid, read end of its result pipe)
    try:
        for k in range(1, jobs):
            r, w = os.pipe()
            try:
                pid = os.fork()
            except OSError:
                os.close(r)
                os.close(w)
                break
            if pid == 0:  # pragma: no cover  (the child; coverage does not follow a fork)
                code = 1
                try:
                    os.close(r)
                    mine = []
                    share = shares[k] if shares is not None else None
                    while (u := _next_unit(queue, share)) is not None:
                        mine.append(_work(u))
                    payload = memoryview(marshal.dumps(mine))
                    while payload:
                        payload = payload[os.write(w, payload):]
                    code = 0
                finally:
                    os._exit(code)
            os.close(w)
            children.append((pid, r))
        share = shares[0] if shares is not None else None
        while (u := _next_unit(queue, share)) is not None:
            u, data = _work(u)
            results[u] = data
    finally:
        if queue is not None:
            os.close(queue)
        for pid, r in children:
            chunks = []
            try:
                while True:
                    chunk = os.read(r, 1 << 16)
                    if not chunk:
                        break
                    chunks.append(chunk)
            finally:
                os.close(r)
                os.waitpid(pid, 0)
            try:
                for u, data in marshal.loads(b"".join(chunks)):
                    results[u] = data
            except (EOFError, ValueError, TypeError):
                pass  # the child died: its units are checked by the parent later
    return results


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
        k = max(2, min(4 * jobs, len(targets) // (SHARD_MIN_FILES // 2)))
        size = -(-len(targets) // k)
        for start in range(0, len(targets), size):
            units.append((i, frozenset(targets[start:start + size]), False, size))
        # The project rules parse every deployed file again (the module analysis) and run on
        # top: the longest unit (measured on a 1,000-file project: 0.43 s, a slice of 250 files
        # 0.26-0.36 s), so it is weighed as the whole project and started first.
        units.append((i, frozenset(), True, len(targets)))
    return units


def prefetch(items: list) -> dict:
    """Check ``items`` ((project, rules, facts), ...: projects the cache does not hold) ahead of
    the run, in worker processes, when that pays. ``rules`` may be the manifest's entries and
    ``facts`` a function returning the facts: both are loaded by the processes that check.
    Returns {project root: list of Diagnostic} for the projects it could do."""
    global _WORK, _UNITS
    out: dict = {}
    misses = list(items)
    jobs = SETTINGS.jobs
    total = sum(len(p.targets) for p, _, _ in misses)
    units = _units(misses, jobs)
    if jobs < 2 or len(units) < 2 or total < PARALLEL_MIN_FILES:
        return out
    if not hasattr(os, "fork"):
        return out
    parts: dict[int, dict[int, dict | None]] = {}  # project index -> unit -> worker data
    for u, unit in enumerate(units):
        parts.setdefault(unit[0], {})[u] = None
    order = sorted(range(len(units)), key=lambda u: -units[u][3])  # biggest first
    _WORK, _UNITS = misses, units
    try:
        done = _run_units(order, min(jobs, len(units)))
    finally:
        _WORK, _UNITS = [], []
    for u, data in done.items():
        if data is not None:
            parts[units[u][0]][u] = data
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
                put(project_key(project, rules, facts() if callable(facts) else facts), diags, project.skipped)
    return out
