"""--write-baseline / --baseline: fingerprints, not counts."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli, write_tree

PJ = '{"dependencies": {"@twilio/runtime-handler": "^2.0.1", "twilio": "^5.0.0"}}'
SEL = ("--select", "lowercase-header-access,unpinned-runtime-handler")
HANDLER = """\
exports.handler = (context, event, callback) => {
  const type = event.request.headers['Content-Type'];
  const auth = event.request.headers.Authorization;
  callback(null, { type, auth });
};
"""


def out(r) -> str:
    return r.stdout.decode() + r.stderr.decode()


@pytest.fixture
def project(tmp_path):
    root = write_tree(tmp_path / "repo", {"package.json": PJ, "functions/a.js": HANDLER, "functions/b.js": HANDLER})
    r = run_cli("check", *SEL, "--write-baseline", ".twilint-baseline.json", cwd=root)
    assert r.returncode == 0, out(r)
    assert "wrote 5 findings to .twilint-baseline.json" in out(r)
    assert "5 baselined findings not shown" in out(r)
    return root


def check(root, *args):
    r = run_cli("check", *SEL, "--baseline", ".twilint-baseline.json", "--format", "json", *args, cwd=root)
    return r.returncode, json.loads(r.stdout)


def test_file_format(project):
    doc = json.loads((project / ".twilint-baseline.json").read_text())
    assert doc["twilintBaseline"] == 1 and doc["tool"]["name"] == "twilint"
    entries = doc["findings"]
    assert len(entries) == 5 and len({e["fingerprint"] for e in entries}) == 5
    assert [(e["path"], e["line"], e["rule"]) for e in entries][:3] == [
        ("functions/a.js", 2, "lowercase-header-access"), ("functions/a.js", 3, "lowercase-header-access"),
        ("functions/b.js", 2, "lowercase-header-access")]
    # identical code in two files: different fingerprints (the path is part of it)
    a = {e["fingerprint"] for e in entries if e["path"] == "functions/a.js"}
    b = {e["fingerprint"] for e in entries if e["path"] == "functions/b.js"}
    assert not a & b
    # re-writing an unchanged baseline changes nothing (no timestamps, sorted)
    before = (project / ".twilint-baseline.json").read_bytes()
    run_cli("check", *SEL, "--write-baseline", ".twilint-baseline.json", cwd=project)
    assert (project / ".twilint-baseline.json").read_bytes() == before


def test_unchanged_code_passes(project):
    code, doc = check(project)
    assert code == 0 and doc["diagnostics"] == []
    assert doc["summary"]["baselined"] == 5 and doc["summary"]["baselineStale"] == 0


def test_moved_finding_stays_baselined(project):
    f = project / "functions/a.js"
    # lines inserted above, the handler re-indented and reformatted
    f.write_text("// a new header comment\n'use strict';\n\nconst x = 1;\n\n" + HANDLER.replace("  ", "    "))
    code, doc = check(project)
    assert code == 0, doc["diagnostics"]
    assert doc["summary"]["baselined"] == 5


def test_new_finding_of_the_same_rule_in_the_same_file_fails(project):
    f = project / "functions/a.js"
    f.write_text(HANDLER.replace("  callback(", "  const id = event.request.headers['X-Id'];\n  callback("))
    code, doc = check(project)
    assert code == 1
    assert [(d["path"], d["line"]) for d in doc["diagnostics"]] == [("functions/a.js", 4)]
    assert "X-Id" in doc["diagnostics"][0]["message"]


def test_a_duplicate_of_a_baselined_line_is_new(project):
    # the same text again in the same function: the count grows, so it is a new finding
    f = project / "functions/a.js"
    f.write_text(HANDLER.replace("  callback(", "  const again = event.request.headers.Authorization;\n  callback("))
    code, doc = check(project)
    assert code == 1 and len(doc["diagnostics"]) == 1


def test_fix_one_add_another_is_not_hidden(project):
    # the stylelint/eslint count-baseline hole: one fixed, another added, same rule and file
    f = project / "functions/a.js"
    f.write_text(HANDLER.replace("headers.Authorization", "headers.authorization").replace(
        "  callback(", "  const id = event.request.headers['X-Id'];\n  callback("))
    code, doc = check(project)
    assert code == 1 and len(doc["diagnostics"]) == 1
    assert doc["summary"]["baselineStale"] == 1


def test_fixed_finding_is_reported_stale(project):
    f = project / "functions/a.js"
    f.write_text(HANDLER.replace("['Content-Type']", "['content-type']"))
    code, doc = check(project)
    assert code == 0 and doc["summary"]["baselined"] == 4 and doc["summary"]["baselineStale"] == 1
    r = run_cli("check", *SEL, "--baseline", ".twilint-baseline.json", cwd=project)
    assert "1 baseline entry no longer matches" in out(r) and "--write-baseline" in out(r)


def test_entries_for_files_not_checked_are_not_stale(project):
    # pre-commit passes only staged files: b.js's entries are not stale when only a.js is checked
    code, doc = check(project, "functions/a.js")
    assert code == 0 and doc["summary"]["baselined"] == 2 and doc["summary"]["baselineStale"] == 0
    # nor entries of a rule that did not run
    r = run_cli("check", "--select", "lowercase-header-access", "--baseline", ".twilint-baseline.json",
                "--format", "json", cwd=project)
    assert json.loads(r.stdout)["summary"]["baselineStale"] == 0


def test_baseline_works_from_another_folder(project, tmp_path):
    r = run_cli("check", *SEL, "--baseline", str(project / ".twilint-baseline.json"), str(project), cwd=tmp_path)
    assert r.returncode == 0, out(r)
    r = run_cli("check", *SEL, "--baseline", "../.twilint-baseline.json", ".", cwd=project / "functions")
    assert r.returncode == 0, out(r)


def test_every_format_respects_the_baseline(project):
    f = project / "functions/a.js"
    f.write_text(HANDLER.replace("  callback(", "  const id = event.request.headers['X-Id'];\n  callback("))
    for fmt, needle in (("sarif", '"ruleId"'), ("github", "::error "), ("gitlab", '"check_name"'),
                        ("junit", "<failure")):
        r = run_cli("check", *SEL, "--baseline", ".twilint-baseline.json", "--format", fmt, cwd=project)
        assert r.returncode == 1 and r.stdout.decode().count(needle) == 1, fmt


def test_bad_baseline_files_are_usage_errors(project):
    r = run_cli("check", "--baseline", "missing.json", cwd=project)
    assert r.returncode == 2 and "no such file" in out(r) and "--write-baseline" in out(r)
    (project / "bad.json").write_text("{")
    r = run_cli("check", "--baseline", "bad.json", cwd=project)
    assert r.returncode == 2 and "not valid JSON" in out(r)
    (project / "v9.json").write_text('{"twilintBaseline": 9, "findings": []}')
    r = run_cli("check", "--baseline", "v9.json", cwd=project)
    assert r.returncode == 2 and "version 9 is not supported" in out(r)
    (project / "other.json").write_text('{"findings": []}')
    r = run_cli("check", "--baseline", "other.json", cwd=project)
    assert r.returncode == 2 and "not a twilint baseline" in out(r)


def test_env_values_are_not_hashed():
    """A .env finding's fingerprint depends on the variable name, never its value."""
    from pathlib import Path

    from twilint.fingerprint import base_key
    from twilint.model import Diagnostic, Severity
    from twilint.project import Discovery

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = write_tree(Path(tmp), {"package.json": PJ, ".env": "API_KEY=s3cret-value\n"})
        disc = Discovery()
        disc.add_path(root)
        project = next(iter(disc.projects.values()))
        env = project.file(".env")
        entry = env.env.entries[0]
        d = Diagnostic("some-rule", "msg", env, entry.value_start, entry.value_end, Severity.ERROR, line=1, column=9)
        key = base_key(d, ".env")
        assert "s3cret" not in key and "API_KEY" in key
