"""The result cache (content-keyed) and parallel checking give the same answers as a plain run."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import run_cli, write_tree
from twilint import cache, engine

HANDLER = "exports.handler = (c, event, cb) => {\n  cb(null, event.request.headers.Authorization);\n};\n"


def project(root: Path, spec: str = "^2.0.1") -> Path:
    return write_tree(root, {
        "package.json": json.dumps({"dependencies": {"@twilio/runtime-handler": spec}}),
        ".twilioserverlessrc": '{ "runtime": "node22" }\n',
        "functions/a.js": HANDLER,
        "functions/b.js": HANDLER.replace("Authorization", "authorization"),
    })


def run_in_process(paths, monkeypatch, tmp_path, enabled=True, jobs=1):
    from twilint.runner import Options, run

    cache.configure(enabled=enabled, directory=tmp_path / "cache", jobs=jobs)
    calls = []
    real = engine.check_project_uncached
    monkeypatch.setattr(engine, "check_project_uncached", lambda *a: calls.append(a[0].root) or real(*a))
    result, _ = run([Path(p) for p in paths], Options())
    cache.configure(enabled=False)
    return sorted((Path(d.path).name, d.line, d.rule, d.message) for d in result.diagnostics), calls


def record_checks(monkeypatch, log: Path) -> None:
    """Make every process append "pid root" to ``log`` for each unit it checks (the worker
    processes are forks: a list in this process would not see theirs)."""
    real = engine.check_project_uncached

    def recording(project, *a, **k):
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()} {project.root}\n")
        return real(project, *a, **k)

    monkeypatch.setattr(engine, "check_project_uncached", recording)


def checks(log: Path) -> list[tuple[int, str]]:
    if not log.exists():
        return []
    out = [line.split(" ", 1) for line in log.read_text().splitlines()]
    log.unlink()
    return [(int(pid), root) for pid, root in out]


def test_warm_run_reuses_results_and_matches_cold(tmp_path, monkeypatch):
    root = project(tmp_path / "p")
    cold, calls = run_in_process([root], monkeypatch, tmp_path)
    assert calls == [root] and cold
    warm, calls = run_in_process([root], monkeypatch, tmp_path)
    assert calls == [] and warm == cold
    # timestamps do not matter, contents do (a fresh CI checkout has new mtimes)
    for p in root.rglob("*"):
        os.utime(p, (1, 1))
    again, calls = run_in_process([root], monkeypatch, tmp_path)
    assert calls == [] and again == cold


def test_package_json_change_invalidates(tmp_path, monkeypatch):
    root = project(tmp_path / "p")
    before, _ = run_in_process([root], monkeypatch, tmp_path)
    assert any(r == "unpinned-runtime-handler" for _, _, r, _ in before)
    (root / "package.json").write_text(json.dumps({"dependencies": {"@twilio/runtime-handler": "2.0.1"}}))
    after, calls = run_in_process([root], monkeypatch, tmp_path)
    assert calls == [root]
    assert not any(r == "unpinned-runtime-handler" for _, _, r, _ in after)


def test_function_change_and_new_file_invalidate(tmp_path, monkeypatch):
    root = project(tmp_path / "p")
    run_in_process([root], monkeypatch, tmp_path)
    (root / "functions/b.js").write_text(HANDLER)
    after, calls = run_in_process([root], monkeypatch, tmp_path)
    assert calls == [root] and sum(1 for n, *_ in after if n == "b.js") == 1
    (root / "functions/c.js").write_text(HANDLER)
    after, calls = run_in_process([root], monkeypatch, tmp_path)
    assert calls == [root] and any(n == "c.js" for n, *_ in after)


@pytest.mark.parametrize("spoil", [
    lambda data: b"{not an entry",
    lambda data: data[: len(data) // 2],  # cut short
    lambda data: data + b"\0x",  # a field too many
    lambda data: data.replace(b"entry ", b"entry 9", 1),  # another version
    lambda data: data.replace(b"\0", b"\0\xff", 1),  # not UTF-8
    lambda data: data.replace(b"\0", b"\0x", 2),  # a count that is not a number
])
def test_corrupt_entry_is_ignored(tmp_path, monkeypatch, spoil):
    root = project(tmp_path / "p")
    cold, _ = run_in_process([root], monkeypatch, tmp_path)
    (entry,) = (tmp_path / "cache").rglob("*.entry")
    entry.write_bytes(spoil(entry.read_bytes()))
    again, calls = run_in_process([root], monkeypatch, tmp_path)
    assert calls == [root] and again == cold


def test_cli_cache_dir_no_cache_and_fix_mode(tmp_path):
    root = project(tmp_path / "p")
    r = run_cli("check", str(root), cwd=tmp_path)
    assert (tmp_path / ".twilint_cache" / ".gitignore").read_text().strip().endswith("*")
    r2 = run_cli("check", str(root), cwd=tmp_path)
    assert r.stdout == r2.stdout and r.returncode == r2.returncode == 1
    other = tmp_path / "elsewhere"
    run_cli("check", "--cache-dir", str(other), str(root), cwd=tmp_path)
    assert list(other.rglob("*.entry"))
    clean = tmp_path / "clean"
    clean.mkdir()
    run_cli("check", "--no-cache", str(root), cwd=clean)
    assert not (clean / ".twilint_cache").exists()
    # --fix never trusts the cache: it fixes, and the next check sees the fixed files
    run_cli("check", "--fix", str(root), cwd=tmp_path)
    r3 = run_cli("check", str(root), cwd=tmp_path)
    assert b"lowercase-header-access" not in r3.stdout


def _four_projects(tmp_path: Path, size: int = 20) -> list[Path]:
    roots = []
    for i in range(4):
        files = {"package.json": '{"dependencies": {"@twilio/runtime-handler": "^2.0.1"}}',
                 ".twilioserverlessrc": '{ "runtime": "node18" }\n'}
        for j in range(size):
            files[f"functions/f{j}.js"] = HANDLER if j % 3 == 0 else HANDLER.replace("Authorization", "authorization")
        roots.append(write_tree(tmp_path / f"p{i}", files))
    return roots


def test_parallel_matches_serial(tmp_path, monkeypatch):
    roots = _four_projects(tmp_path, 90)
    serial, _ = run_in_process(roots, monkeypatch, tmp_path, enabled=False, jobs=1)
    log = tmp_path / "checks.log"
    record_checks(monkeypatch, log)
    parallel, _ = run_in_process(roots, monkeypatch, tmp_path, enabled=False, jobs=2)
    assert parallel == serial and len(serial) > 100
    done = checks(log)
    # two processes (this one and a fork) shared the units, each unit checked once: no project
    # was checked again after the parallel phase
    assert len({pid for pid, _ in done}) == 2 and os.getpid() in {pid for pid, _ in done}
    assert len(done) == len(cache._units([(engine_project(Path(r)), None, None) for r in roots], 2))


def test_units_dealt_out_without_the_queue_match_serial(tmp_path, monkeypatch):
    """More units than the queue pipe takes: each process gets every other unit instead."""
    roots = _four_projects(tmp_path)
    serial, _ = run_in_process(roots, monkeypatch, tmp_path, enabled=False, jobs=1)
    monkeypatch.setattr(cache, "QUEUE_MAX_UNITS", 1)
    log = tmp_path / "checks.log"
    record_checks(monkeypatch, log)
    parallel, _ = run_in_process(roots, monkeypatch, tmp_path, enabled=False, jobs=2)
    assert parallel == serial and serial
    done = checks(log)
    # dealt out in turn, biggest first (all the same size here): this process has the 1st and 3rd
    assert sorted(Path(r).name for pid, r in done if pid == os.getpid()) == ["p0", "p2"]
    assert sorted(Path(r).name for pid, r in done if pid != os.getpid()) == ["p1", "p3"]


def test_a_worker_that_dies_loses_nothing(tmp_path, monkeypatch):
    """A forked worker killed in the middle of a unit: the parent checks that unit's project
    itself after the parallel phase, and the result is the serial one."""
    roots = _four_projects(tmp_path)
    serial, _ = run_in_process(roots, monkeypatch, tmp_path, enabled=False, jobs=1)
    parent = os.getpid()
    real = cache._work
    taken = tmp_path / "taken"
    from_queue = []

    def dying(u):
        if os.getpid() != parent:
            taken.write_text(str(u))
            os._exit(3)
        if not from_queue:  # let the fork take a unit first
            for _ in range(1000):
                if taken.exists():
                    break
                time.sleep(0.01)
        from_queue.append(u)
        return real(u)

    monkeypatch.setattr(cache, "_work", dying)
    log = tmp_path / "checks.log"
    record_checks(monkeypatch, log)
    parallel, _ = run_in_process(roots, monkeypatch, tmp_path, enabled=False, jobs=2)
    assert parallel == serial and serial
    done = checks(log)
    # the parent checked the three units left in the queue, then the lost one's project
    assert len(from_queue) == 3 and int(taken.read_text()) not in from_queue
    assert {pid for pid, _ in done} == {parent} and len(done) == 4 and len({r for _, r in done}) == 4


def test_one_big_project_is_split_across_workers_and_matches_serial(tmp_path, monkeypatch):
    """A single project of SHARD_MIN_FILES or more targets is checked in slices plus a unit for
    its project rules; joined, the parts are the serial result in the serial order."""
    from twilint.runner import Options, run

    files = {"package.json": '{"dependencies": {"@twilio/runtime-handler": "^2.0.1"}, '
                             '"devDependencies": {"axios": "^1.7.0"}}',
             ".twilioserverlessrc": "{}\n",  # no runtime: a project-rule finding
             "assets/lib.min.js": "var a=1;" * 10,  # skipped as minified
             "functions/uses-axios.js": "const axios = require('axios');\n" + HANDLER}
    for j in range(cache.SHARD_MIN_FILES + 40):
        files[f"functions/f{j:03}.js"] = HANDLER if j % 3 == 0 else HANDLER.replace("Authorization", "authorization")
    root = write_tree(tmp_path / "big", files)

    log = tmp_path / "checks.log"

    def ordered(jobs, enabled=False):
        cache.configure(enabled=enabled, directory=tmp_path / "cache", jobs=jobs)
        real = engine.check_project_uncached
        record_checks(monkeypatch, log)
        try:
            result, _ = run([root], Options(select=["ALL"]))
        finally:
            monkeypatch.setattr(engine, "check_project_uncached", real)
            cache.configure(enabled=False)
        rows = [(Path(d.path).name, d.line, d.column, d.rule, d.message) for d in result.diagnostics]
        return rows, sorted((p.name, w) for p, w in result.skipped), checks(log)

    serial, serial_skipped, calls = ordered(1)
    assert calls == [(os.getpid(), str(root))]
    rules = {r[3] for r in serial}
    assert {"lowercase-header-access", "missing-runtime", "dev-dependency-in-function"} <= rules
    assert ("lib.min.js", "minified bundle") in serial_skipped
    units = cache._units([(engine_project(root), None, None)], 2)
    assert len(units) >= 3 and units[-1][2] and not any(u[2] for u in units[:-1])
    parallel, parallel_skipped, calls = ordered(2)
    # the units were shared by this process and a fork, each checked once: the project was not
    # checked again after the parallel phase
    assert len({pid for pid, _ in calls}) == 2 and len(calls) == len(units)
    assert parallel == serial and parallel_skipped == serial_skipped
    # the parent writes the joined result to the cache, and a warm run reads it back
    ordered(2, enabled=True)
    assert len(list((tmp_path / "cache").glob("*/*.entry"))) == 1  # one entry: the whole project
    warm, warm_skipped, calls = ordered(2, enabled=True)
    assert calls == [] and warm == serial and warm_skipped == serial_skipped


def file_states(cache_dir: Path) -> dict[str, str]:
    """The remembered file digests: path -> "size mtime ctime inode device digest"."""
    fields = cache._unpack((cache_dir / "file-state").read_bytes(), "files")
    assert fields is not None and len(fields) % 2 == 1
    return dict(zip(fields[1::2], fields[2::2]))


def engine_project(root: Path):
    from twilint.project import discover

    return next(iter(discover([root]).projects.values()))


# -- remembered file digests (file-state.json) ---------------------------------------------------


def _read_counter(monkeypatch) -> list[str]:
    from twilint.project import SourceFile

    reads = []
    real = SourceFile._read

    def counting(self):
        if not self.is_read:
            reads.append(self.path.name)
        return real(self)

    monkeypatch.setattr(SourceFile, "_read", counting)
    return reads


def test_warm_run_reads_no_file_whose_digest_it_remembers(tmp_path, monkeypatch):
    root = project(tmp_path / "p")
    for i in range(5):
        (root / "functions" / f"quiet{i}.js").write_text("exports.handler = (c, e, cb) => cb(null, 'ok');\n")
    monkeypatch.setattr(cache, "RACY_SECONDS", 0)  # (the files were written just now)
    cold, _ = run_in_process([root], monkeypatch, tmp_path)
    assert str(root / "functions" / "quiet0.js") in file_states(tmp_path / "cache")
    reads = _read_counter(monkeypatch)
    warm, calls = run_in_process([root], monkeypatch, tmp_path)
    assert calls == [] and warm == cold
    # only what discovery reads (package.json) and the files with findings (code frames)
    assert not any(name.startswith("quiet") for name in reads), reads
    assert "package.json" in reads


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path, monkeypatch):
    """A same-size edit with the modification time put back: the ctime changed, so the
    remembered digest is not used."""
    root = project(tmp_path / "p")
    monkeypatch.setattr(cache, "RACY_SECONDS", 0)
    before, _ = run_in_process([root], monkeypatch, tmp_path)
    assert sum(1 for n, *_ in before if n == "a.js") == 1
    a = root / "functions" / "a.js"
    st = a.stat()
    a.write_text(HANDLER.replace("Authorization", "authorization"))  # same size, no finding now
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (a.stat().st_size, a.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    after, calls = run_in_process([root], monkeypatch, tmp_path)
    assert calls == [root]
    assert not any(n == "a.js" for n, *_ in after)


def test_files_written_just_now_are_not_remembered_and_a_bad_state_file_is_ignored(tmp_path, monkeypatch):
    root = project(tmp_path / "p")
    cold, _ = run_in_process([root], monkeypatch, tmp_path)  # (RACY_SECONDS as shipped)
    state = tmp_path / "cache" / "file-state"
    assert not state.exists() or str(root / "functions" / "a.js") not in file_states(tmp_path / "cache")
    state.write_bytes(b"{not a state file")
    warm, calls = run_in_process([root], monkeypatch, tmp_path)
    assert calls == [] and warm == cold
    # a remembered digest that is wrong for the file's current stat is not used
    monkeypatch.setattr(cache, "RACY_SECONDS", 0)
    run_in_process([root], monkeypatch, tmp_path)
    states = file_states(tmp_path / "cache")
    a = str(root / "functions" / "a.js")
    size, rest = states[a].split(" ", 1)
    states[a] = f"{int(size) + 1} {rest.rsplit(' ', 1)[0]} R{'0' * 32}"  # another size, a wrong digest
    state.write_bytes(cache._pack("files", [x for item in states.items() for x in item]))
    again, calls = run_in_process([root], monkeypatch, tmp_path)
    assert calls == [] and again == cold
    # (and the digest is used when the size is right: the test above is not vacuous)
    states[a] = f"{size} {rest.rsplit(' ', 1)[0]} R{'0' * 32}"
    state.write_bytes(cache._pack("files", [x for item in states.items() for x in item]))
    wrong, calls = run_in_process([root], monkeypatch, tmp_path)
    assert calls == [root]  # another key: a miss, checked again (from the bytes as they are)
    assert wrong == cold


# -- the entries' form -----------------------------------------------------------------------------


def _odd_dump() -> tuple[list, list]:
    weird = ["", "a\nb\r\nc", "tab\there", "ünïcödé ✓ 😀", "lone \udcff surrogate", "=starts with =", "-", "fix"]
    data = []
    for i, text in enumerate(weird):
        fix = None
        if i % 3 == 1:
            fix = [text, "safe", None, [[0, 3, text], [5, 5, ""]], None]
        elif i % 3 == 2:
            fix = ["create", "unsafe", text, [], [f"/p/{text}.txt", text]]
        data.append([text or "rule", text, f"/p/f{i}.js", i, i + 1, i % 3 + 1, i + 1, 0, i + 2, 7, fix])
    skipped = [(f"/p/{t}", t) for t in weird]
    return data, skipped


def test_entry_strings_read_back_as_written():
    data, skipped = _odd_dump()
    packed = cache._pack("entry", cache._entry_fields(data, skipped))
    assert cache._entry_data(cache._unpack(packed, "entry")) == (data, skipped)
    assert cache._entry_data(cache._unpack(cache._pack("entry", cache._entry_fields([], [])), "entry")) == ([], [])


def test_every_fixture_result_reads_back_from_its_entry(tmp_path):
    """The diagnostics of every fixture project (fixes, file creations, unsafe reasons
    included) come back from their cache entries as the run made them."""
    from twilint.runner import Options, run

    roots = sorted(p for p in (Path(__file__).parent.parent / "fixtures").iterdir() if p.is_dir())
    result, _ = run(roots, Options())
    data = cache.dump(result.diagnostics)
    assert any(d[10] is not None for d in data) and any(d[10] is not None and d[10][2] for d in data)
    got, _ = cache._entry_data(cache._unpack(cache._pack("entry", cache._entry_fields(data, [])), "entry"))
    assert got == data


def test_a_result_holding_a_nul_is_not_cached(tmp_path, monkeypatch):
    data, _ = _odd_dump()
    data[3][1] = "a NUL \0 in a message"
    assert cache._pack("entry", cache._entry_fields(data, [])) is None
    # end to end: a project whose result holds a NUL is checked again each run, never cached
    root = project(tmp_path / "p")
    cold, _ = run_in_process([root], monkeypatch, tmp_path)
    assert list((tmp_path / "cache").rglob("*.entry"))
    shutil.rmtree(tmp_path / "cache")
    real_dump = cache.dump
    monkeypatch.setattr(cache, "dump", lambda diags: [[d[0], d[1] + "\0", *d[2:]] for d in real_dump(diags)])
    run_in_process([root], monkeypatch, tmp_path)
    assert not list((tmp_path / "cache").rglob("*.entry"))
    again, calls = run_in_process([root], monkeypatch, tmp_path)
    assert calls == [root] and again == cold
