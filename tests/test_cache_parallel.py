"""The result cache (content-keyed) and parallel checking give the same answers as a plain run."""

from __future__ import annotations

import json
import os
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


def test_corrupt_entry_is_ignored(tmp_path, monkeypatch):
    root = project(tmp_path / "p")
    cold, _ = run_in_process([root], monkeypatch, tmp_path)
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("{not json")
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
    assert list(other.rglob("*.json"))
    clean = tmp_path / "clean"
    clean.mkdir()
    run_cli("check", "--no-cache", str(root), cwd=clean)
    assert not (clean / ".twilint_cache").exists()
    # --fix never trusts the cache: it fixes, and the next check sees the fixed files
    run_cli("check", "--fix", str(root), cwd=tmp_path)
    r3 = run_cli("check", str(root), cwd=tmp_path)
    assert b"lowercase-header-access" not in r3.stdout


def test_parallel_matches_serial(tmp_path, monkeypatch):
    roots = []
    for i in range(4):
        files = {"package.json": '{"dependencies": {"@twilio/runtime-handler": "^2.0.1"}}',
                 ".twilioserverlessrc": '{ "runtime": "node18" }\n'}
        for j in range(90):
            files[f"functions/f{j}.js"] = HANDLER if j % 3 == 0 else HANDLER.replace("Authorization", "authorization")
        roots.append(write_tree(tmp_path / f"p{i}", files))
    serial, _ = run_in_process(roots, monkeypatch, tmp_path, enabled=False, jobs=1)
    parallel, calls = run_in_process(roots, monkeypatch, tmp_path, enabled=False, jobs=2)
    assert parallel == serial and len(serial) > 100
    assert calls == []  # every project was checked by a worker process


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

    def ordered(jobs, enabled=False):
        cache.configure(enabled=enabled, directory=tmp_path / "cache", jobs=jobs)
        calls = []
        real = engine.check_project_uncached
        monkeypatch.setattr(engine, "check_project_uncached", lambda *a: calls.append(a[0].root) or real(*a))
        try:
            result, _ = run([root], Options(select=["ALL"]))
        finally:
            monkeypatch.setattr(engine, "check_project_uncached", real)
            cache.configure(enabled=False)
        rows = [(Path(d.path).name, d.line, d.column, d.rule, d.message) for d in result.diagnostics]
        return rows, sorted((p.name, w) for p, w in result.skipped), calls

    serial, serial_skipped, calls = ordered(1)
    assert calls == [root]
    rules = {r[3] for r in serial}
    assert {"lowercase-header-access", "missing-runtime", "dev-dependency-in-function"} <= rules
    assert ("lib.min.js", "minified bundle") in serial_skipped
    units = cache._units([(engine_project(root), None, None)], 2)
    assert len(units) >= 3 and units[-1][2] and not any(u[2] for u in units[:-1])
    parallel, parallel_skipped, calls = ordered(2)
    assert calls == []  # the parent checked nothing itself
    assert parallel == serial and parallel_skipped == serial_skipped
    # the parent writes the joined result to the cache, and a warm run reads it back
    ordered(2, enabled=True)
    assert len(list((tmp_path / "cache").glob("*/*.json"))) == 1  # one entry: the whole project
    warm, warm_skipped, calls = ordered(2, enabled=True)
    assert calls == [] and warm == serial and warm_skipped == serial_skipped


def engine_project(root: Path):
    from twilint.project import discover

    return next(iter(discover([root]).projects.values()))
