from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import lint, write_tree
from twilint import fixes
from twilint.model import SAFE, Edit, Fix, Rule, Severity
from twilint.sources.text import decode

HANDLER = "exports.handler = (c, event, cb) => {\r\n  cb(null, event.request.headers.Authorization);\r\n};\r\n"


class ReplaceRule(Rule):
    """A test rule: replaces the first occurrence of ``needle`` with ``replacement``."""

    name = "test-replace"
    severity = Severity.ERROR
    summary = "test"
    fixable = SAFE
    file_kinds = frozenset({"js"})

    def __init__(self, needle: bytes, replacement: str):
        self.needle = needle
        self.replacement = replacement

    def check_file(self, ctx, file):
        i = file.data.find(self.needle)
        if i != -1:
            fix = Fix([Edit.replace(i, i + len(self.needle), self.replacement)], "replace", SAFE)
            ctx.report(file, i, i + len(self.needle), "found", fix)
        return ()


@pytest.fixture
def extra_rule(monkeypatch):
    from twilint import rules

    def install(rule):
        registry = dict(rules.all_rules())
        registry[rule.name] = rule
        monkeypatch.setattr(rules, "_RULES", registry)
        return rule

    return install


def test_apply_edits_back_to_front_and_newlines():
    data = b"a\r\nb\r\nc"
    out = fixes.apply_edits(data, [Edit.replace(0, 1, "X\nY"), Edit.replace(6, 7, "Z")], b"\r\n")
    assert out == b"X\r\nY\r\nb\r\nZ"


def test_overlapping_fixes_wait_for_the_next_pass():
    class D:
        def __init__(self, s, e, rule):
            self.fix = Fix([Edit(s, e, b"")], "x")
            self.rule = rule

    a, b, c = D(0, 5, "a"), D(3, 8, "b"), D(8, 9, "c")
    assert fixes.choose([b, a, c]) == [a, c]


def test_fix_that_breaks_syntax_is_refused_and_reported(tmp_path, extra_rule):
    extra_rule(ReplaceRule(b"cb(null", "cb((null"))
    root = write_tree(tmp_path / "p", {"package.json": '{"dependencies":{"twilio-run":"1"}}', "functions/a.js": HANDLER})
    before = (root / "functions/a.js").read_bytes()
    result, _ = lint([root], select=["test-replace"], mode="fix")
    assert (root / "functions/a.js").read_bytes() == before
    assert [(r, "syntax error" in why) for _, r, why in result.refused] == [("test-replace", True)]


def test_strict_check_catches_what_tree_sitter_accepts(tmp_path, extra_rule):
    # tree-sitter parses `await` in a non-async function; V8 / esprima do not.
    extra_rule(ReplaceRule(b"cb(null, 1)", "await cb(null, 2)"))
    code = "exports.handler = function (c, event, cb) {\n  cb(null, 1);\n};\n"
    root = write_tree(tmp_path / "p", {"package.json": '{"dependencies":{"twilio-run":"1"}}', "functions/a.js": code})
    result, _ = lint([root], select=["test-replace"], mode="fix")
    assert (root / "functions/a.js").read_text() == code
    (refusal,) = result.refused
    assert refusal[1] == "test-replace" and "strict check" in refusal[2]


@pytest.mark.parametrize("checker", ["node", "esprima"])
def test_strict_validate_both_checkers(monkeypatch, checker):
    if checker == "esprima":
        monkeypatch.setenv("TWILINT_NO_NODE", "1")
    elif not fixes.shutil.which("node"):
        pytest.skip("node is not on PATH")
    ok = b"exports.handler = async () => { await 1; };\n"
    bad = b"exports.handler = () => { await 1; };\n"
    dup = b"let a = 1; let a = 2;\n"
    esm = b"import x from 'y';\nexport const handler = () => x;\n"
    esm_bad = b"import x from 'y';\nexport const handler = () => { let z = 1; let z = 2; };\n"
    hashbang = b"#!/usr/bin/env node\nconsole.log(1);\n"
    res = fixes.strict_validate([(ok, bad, False), (ok, dup, False), (ok, ok, False), (esm, esm, True),
                                 (esm, esm_bad, True), (hashbang, hashbang, False), (bad, bad, False)])
    assert [r is not None for r in res] == [True, True, False, False, True, False, False]


def test_fix_that_changes_nothing_writes_nothing(tmp_path, extra_rule):
    extra_rule(ReplaceRule(b"cb(null", "cb(null"))
    root = write_tree(tmp_path / "p", {"package.json": '{"dependencies":{"twilio-run":"1"}}', "functions/a.js": HANDLER})
    before = (root / "functions/a.js").read_bytes()
    result, _ = lint([root], select=["test-replace"], mode="fix")
    assert (root / "functions/a.js").read_bytes() == before
    assert result.changed_files == [] and result.fixed == []


def test_growing_fix_does_not_converge_and_is_refused(tmp_path, extra_rule):
    extra_rule(ReplaceRule(b"cb(null", "cb(null, 0) || cb(null"))
    root = write_tree(tmp_path / "p", {"package.json": '{"dependencies":{"twilio-run":"1"}}', "functions/a.js": HANDLER})
    before = (root / "functions/a.js").read_bytes()
    result, _ = lint([root], select=["test-replace"], mode="fix")
    assert (root / "functions/a.js").read_bytes() == before
    assert any("did not converge" in why for _, _, why in result.refused)


@pytest.mark.parametrize(
    "raw",
    [
        HANDLER.encode(),  # CRLF
        b"\xef\xbb\xbf" + HANDLER.encode(),  # UTF-8 BOM + CRLF
        b"\xff\xfe" + HANDLER.replace("\r\n", "\n").encode("utf-16-le"),  # UTF-16 LE with BOM
        b"\xfe\xff" + HANDLER.encode("utf-16-be"),
        b"// caf\xc3\xa9 \xf0\x9f\x98\x80\n" + HANDLER.replace("\r\n", "\n").encode(),  # non-ASCII before the edit
    ],
)
def test_fix_keeps_encoding_bom_line_endings_and_mode(tmp_path, raw):
    root = write_tree(tmp_path / "p", {"package.json": '{"dependencies":{"twilio-run":"1"}}', "functions/a.js": raw})
    target = root / "functions/a.js"
    os.chmod(target, 0o640)
    result, _ = lint([root], select=["lowercase-header-access"], mode="fix")
    assert result.fixed and result.diagnostics == []
    after = target.read_bytes()
    data_before, info_before = decode(raw)
    data_after, info_after = decode(after)
    assert (info_after.bom, info_after.encoding, info_after.newline) == (info_before.bom, info_before.encoding, info_before.newline)
    assert data_after == data_before.replace(b"Authorization", b"authorization")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert not [p for p in target.parent.iterdir() if "twilint-tmp" in p.name]


def test_fix_through_symlink_keeps_the_link(tmp_path):
    root = write_tree(tmp_path / "p", {"package.json": '{"dependencies":{"twilio-run":"1"}}', "real/a.js": HANDLER})
    (root / "functions").mkdir()
    os.symlink(root / "real/a.js", root / "functions/a.js")
    lint([root], select=["lowercase-header-access"], mode="fix")
    assert (root / "functions/a.js").is_symlink()
    assert b"authorization" in (root / "real/a.js").read_bytes()


def test_write_atomic_leaves_old_file_when_rename_fails(tmp_path, monkeypatch):
    p = tmp_path / "a.js"
    p.write_bytes(b"old")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fixes.os, "replace", boom)
    _, info = decode(b"old")
    with pytest.raises(OSError):
        fixes.write_atomic(p, b"new", info)
    assert p.read_bytes() == b"old"
    assert [x.name for x in tmp_path.iterdir()] == ["a.js"]


def test_diff_writes_nothing(tmp_path):
    root = write_tree(tmp_path / "p", {"package.json": '{"dependencies":{"twilio-run":"1"}}', "functions/a.js": HANDLER})
    before = (root / "functions/a.js").read_bytes()
    result, diffs = lint([root], select=["lowercase-header-access"], mode="diff")
    assert (root / "functions/a.js").read_bytes() == before
    (d,) = diffs
    assert "-  cb(null, event.request.headers.Authorization);" in d
    assert "+  cb(null, event.request.headers.authorization);" in d


# -- issue 10: killed runs, temporary files, where fixes may write ----------------------------------

KILL_FILES = 240


def _kill_tree(root: Path) -> Path:
    """A large project: every function has a safe fix, in every encoding and line-ending style."""
    files: dict[str, bytes] = {"package.json": b'{"dependencies":{"twilio-run":"1"}}'}
    for i in range(KILL_FILES):
        code = HANDLER.replace("Authorization", f"X-Header-{i}")
        raw = [code.encode(), b"\xef\xbb\xbf" + code.encode(), b"\xff\xfe" + code.encode("utf-16-le"),
               code.replace("\r\n", "\n").encode()][i % 4]
        files[f"functions/f{i:03}.js"] = raw
    write_tree(root, files)
    for i in range(0, KILL_FILES, 3):
        os.chmod(root / f"functions/f{i:03}.js", 0o600)
    return root


def _temp_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.name.endswith(".twilint-tmp"))


def test_a_killed_fix_run_leaves_every_file_old_or_new(tmp_path):
    """SIGKILL `twilint check --fix` at random points: each file is byte-identical to its old or
    its fixed version, its mode is kept, and the next run removes the temporary files a killed
    run left and finishes the job."""
    import random
    import signal
    import subprocess
    import time

    from conftest import run_cli, twilint_exe

    ref = _kill_tree(tmp_path / "ref")
    old = {p.name: p.read_bytes() for p in (ref / "functions").iterdir()}
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (ref / "functions").iterdir()}
    t0 = time.monotonic()
    assert run_cli("check", "--fix", str(ref)).returncode == 0
    full = time.monotonic() - t0
    new = {p.name: p.read_bytes() for p in (ref / "functions").iterdir()}
    assert all(new[n] != old[n] for n in old)
    rng = random.Random(10)
    env = dict(os.environ, NO_COLOR="1")
    partial_runs = 0
    for run in range(6):
        root = _kill_tree(tmp_path / f"run{run}")
        proc = subprocess.Popen([*twilint_exe(), "check", "--fix", str(root)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if run % 2 == 0:
            time.sleep(rng.uniform(0.1, full))
        else:
            # wait for the first write, then kill somewhere among the writes
            deadline = time.monotonic() + full * 3 + 10
            fdir = root / "functions"
            while time.monotonic() < deadline and proc.poll() is None:
                if any(e.name.endswith(".twilint-tmp") for e in os.scandir(fdir)):
                    break
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.02))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        states = set()
        for p in (root / "functions").iterdir():
            if p.name.endswith(".twilint-tmp"):
                continue
            data = p.read_bytes()
            assert data in (old[p.name], new[p.name]), f"run {run}: {p.name} is neither old nor new"
            states.add(data == new[p.name])
            assert stat.S_IMODE(p.stat().st_mode) == modes[p.name]
        partial_runs += states == {True, False}
        # a check run neither reads nor removes the leftovers; the next --fix removes them
        leftovers = _temp_files(root)
        check = run_cli("check", "--format", "json", str(root))
        assert check.returncode in (0, 1)
        assert all(p.exists() for p in leftovers)
        r = run_cli("check", "--fix", str(root))
        assert r.returncode == 0, r.stdout.decode() + r.stderr.decode()
        assert _temp_files(root) == []
        assert {p.name: p.read_bytes() for p in (root / "functions").iterdir()} == new
    print(f"\n[atomic] 6 killed runs, {partial_runs} killed between the first and the last write")


def test_temporary_files_of_a_live_process_are_left_alone(tmp_path):
    root = write_tree(tmp_path / "p", {"package.json": '{"dependencies":{"twilio-run":"1"}}', "functions/a.js": HANDLER})
    live = root / "functions" / f".a.js.{os.getppid()}-abc123.twilint-tmp"  # the parent runs
    dead = root / "functions" / ".a.js.999999999-abc123.twilint-tmp"  # no such process
    foreign = root / "functions" / ".a.js.twilint-tmp"  # not named like ours
    for p in (live, dead, foreign):
        p.write_bytes(b"exports.handler = (c, event, cb) => cb(null, event.request.headers.Leftover);\n")
    result, _ = lint([root], select=["lowercase-header-access"])
    assert {p.name for p, _ in result.skipped} >= {live.name, dead.name, foreign.name}
    assert all("Leftover" not in d.message for d in result.diagnostics)  # never checked
    lint([root], select=["lowercase-header-access"], mode="fix")
    assert live.exists() and foreign.exists() and not dead.exists()


def test_a_fix_into_node_modules_is_refused(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies":{"twilio-run":"1"}}',
        "node_modules/pkg/handler.js": HANDLER,
    })
    (root / "functions").mkdir()
    os.symlink(root / "node_modules/pkg/handler.js", root / "functions/a.js")
    before = (root / "node_modules/pkg/handler.js").read_bytes()
    for mode in ("fix", "diff"):
        result, diffs = lint([root], select=["lowercase-header-access"], mode=mode, unsafe=True)
        assert (root / "node_modules/pkg/handler.js").read_bytes() == before
        assert diffs == [] and result.changed_files == []
        (refusal,) = result.refused
        assert refusal[1] == "lowercase-header-access" and "node_modules" in refusal[2]
    # and the same project named inside node_modules: still nothing written there
    inner = write_tree(root / "node_modules/dep", {"package.json": '{"dependencies":{"twilio-run":"1"}}',
                                                   "functions/b.js": HANDLER})
    result, _ = lint([inner], select=["lowercase-header-access"], mode="fix")
    assert (inner / "functions/b.js").read_bytes() == HANDLER.encode()
    assert result.refused and all("node_modules" in why for _, _, why in result.refused)


def test_fix_passes_are_recorded_and_touch_only_their_edits(tmp_path):
    """The runner exposes every applied pass (``RunResult.fix_passes``) for the diff check."""
    from fuzzing import unchanged_outside_edits

    root = write_tree(tmp_path / "p", {"package.json": '{"dependencies":{"twilio-run":"1"}}', "functions/a.js": HANDLER})
    result, _ = lint([root], select=["lowercase-header-access"], mode="fix")
    (path,) = result.changed_files
    (passes,) = [result.fix_passes[path]]
    data, edits = passes[0]
    assert data == HANDLER.encode() and len(edits) == 1
    after = (root / "functions/a.js").read_bytes()
    assert unchanged_outside_edits(data, edits, after, b"\r\n") is None
    assert unchanged_outside_edits(data, edits, after.replace(b"exports", b"Exports"), b"\r\n") is not None
