from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, copy_fixture, run_cli, write_tree

PJ_OK = '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}'
HANDLER_BAD = "exports.handler = (c, event, cb) => {\n  cb(null, event.request.headers.Authorization);\n};\n"
HANDLER_OK = "exports.handler = (c, event, cb) => {\n  cb(null, event.request.headers.authorization);\n};\n"


def out(r) -> str:
    return r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")


def test_version():
    from twilint import __version__

    r = run_cli("--version")
    assert r.returncode == 0 and out(r).strip() == f"twilint {__version__}"


def test_exit_codes_0_1_2(tmp_path):
    clean = write_tree(tmp_path / "clean", {"package.json": PJ_OK, "functions/a.js": HANDLER_OK,
                                            ".twilioserverlessrc": '{ "runtime": "node22" }\n'})
    dirty = write_tree(tmp_path / "dirty", {"package.json": PJ_OK, "functions/a.js": HANDLER_BAD})
    r = run_cli("check", str(clean))
    assert r.returncode == 0, out(r)
    assert "All checks passed" in out(r)
    r = run_cli("check", str(dirty))
    assert r.returncode == 1
    assert "functions/a.js:2:34: error[lowercase-header-access]" in out(r)
    assert run_cli("check", str(dirty), "--exit-zero").returncode == 0
    r = run_cli("check", "--select", "no-such-rule", str(dirty))
    assert r.returncode == 2 and "unknown rule 'no-such-rule'" in out(r)
    r = run_cli("check", str(tmp_path / "missing"))
    assert r.returncode == 2 and "no such file or directory" in out(r)
    assert run_cli("check", "--bogus-flag").returncode == 2


def test_default_path_is_cwd_and_select_ignore(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "^2.0.1"}}',
        "functions/a.js": HANDLER_BAD,
        ".twilioserverlessrc": '{ "runtime": "node22" }\n',
    })
    r = run_cli("check", "--format", "json", cwd=root)
    rules = sorted(d["rule"] for d in json.loads(r.stdout)["diagnostics"])
    assert rules == ["lowercase-header-access", "unpinned-runtime-handler"]
    r = run_cli("check", "--format", "json", "--select", "unpinned-runtime-handler", cwd=root)
    assert [d["rule"] for d in json.loads(r.stdout)["diagnostics"]] == ["unpinned-runtime-handler"]
    r = run_cli("check", "--format", "json", "--ignore", "unpinned-runtime-handler,lowercase-header-access", cwd=root)
    assert json.loads(r.stdout)["diagnostics"] == [] and r.returncode == 0


def test_fail_on_warning(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{"devDependencies": {"@twilio/runtime-handler": "^2.0.1"}}',
    })
    only = ("--select", "unpinned-runtime-handler")
    r = run_cli("check", *only, str(root))
    assert r.returncode == 0 and "warning[unpinned-runtime-handler]" in out(r)
    assert run_cli("check", *only, "--fail-on", "warning", str(root)).returncode == 1
    (root / "twilint.toml").write_text('fail-on = "warning"\n')
    assert run_cli("check", *only, str(root)).returncode == 1


def test_json_output_validates_against_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO / "src/twilint/report/check-result.schema.json").read_text())
    root = copy_fixture("example", tmp_path)
    for args in (["check", "--format", "json"], ["check", "--format", "json", "--diff"],
                 ["check", "--format", "json", "--fix"], ["check", "--format", "json"]):
        r = run_cli(*args, str(root))
        doc = json.loads(r.stdout)
        jsonschema.validate(doc, schema)
        if "--diff" in args:
            assert len(doc["diffs"]) == 2 and all(x["diff"].startswith("--- ") for x in doc["diffs"])
    assert doc["summary"]["errors"] == 0 and doc["mode"] == "check"
    # the fixture's findings, before fixing, with fixes described
    root2 = copy_fixture("example", tmp_path / "again")
    doc = json.loads(run_cli("check", "--format", "json", str(root2)).stdout)
    jsonschema.validate(doc, schema)
    assert doc["summary"]["errors"] == 3 and doc["summary"]["fixable"] == 3
    d = next(x for x in doc["diagnostics"] if x["rule"] == "lowercase-header-access")
    assert d["fix"]["safety"] == "safe" and d["fix"]["edits"][0]["content"] == "'content-type'"


def test_output_file_quiet_statistics(tmp_path):
    root = copy_fixture("example", tmp_path)
    report = tmp_path / "report.json"
    r = run_cli("check", "--format", "json", "--output-file", str(report), str(root))
    assert r.returncode == 1 and r.stdout == b""
    assert json.loads(report.read_text())["summary"]["errors"] == 3
    r = run_cli("check", "--quiet", str(root))
    lines = out(r).strip().splitlines()
    assert len(lines) == 3 and all("error[" in line for line in lines)
    r = run_cli("check", "--statistics", str(root))
    text = out(r)
    assert "2  lowercase-header-access" in text and "1  unpinned-runtime-handler" in text


def test_colour_only_when_asked(tmp_path):
    root = copy_fixture("example", tmp_path)
    r = run_cli("check", str(root))
    assert b"\x1b[" not in r.stdout
    r = run_cli("check", str(root), env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert b"\x1b[" in r.stdout
    r = run_cli("check", "--no-color", str(root), env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert b"\x1b[" not in r.stdout


def test_diff_mode_prints_diff_and_exits_1(tmp_path):
    root = copy_fixture("example", tmp_path)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    r = run_cli("check", "--diff", str(root))
    assert r.returncode == 1
    assert r.stdout.decode().count("\n+++ ") == 2
    assert "Would fix 3 problems in 2 files." in r.stderr.decode()
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    r = run_cli("check", "--fix", str(root))
    assert r.returncode == 0 and "Fixed 3 problems in 2 files" in out(r)
    r = run_cli("check", "--diff", str(root))
    assert r.returncode == 0 and r.stdout == b""


def test_rules_and_rule(tmp_path):
    r = run_cli("rules")
    assert r.returncode == 0
    for name in ("unpinned-runtime-handler", "lowercase-header-access", "parse-error"):
        assert name in out(r)
    data = json.loads(run_cli("rules", "--format", "json").stdout)
    assert {"name": "lowercase-header-access", "severity": "error", "fixable": "safe"}.items() <= data[2].items() or any(
        d["name"] == "lowercase-header-access" and d["fixable"] == "safe" for d in data)
    r = run_cli("rule", "lowercase-header-access")
    assert r.returncode == 0 and "## Why" in out(r) and "[002:5817-5821]" in out(r)
    assert run_cli("rule", "nope").returncode == 2


# -- broken inputs: a clear message with path:line:col, no traceback, the rest still checked --


def test_broken_inputs_each_reported_and_others_still_checked(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ_OK,
        "functions/good.js": HANDLER_BAD,  # must still be reported
        "functions/broken.js": "exports.handler = (c, e, cb) => {\n  cb(null, 'x';\n};\n",
        "functions/binary.js": b"\x00\x01\x02garbage\xff",
        "functions/latin1.js": b"// caf\xe9\nexports.handler = () => {};\n",
        "functions/empty.js": "",
        "functions/unreadable.js": HANDLER_BAD,
        "other/package.json": '{"dependencies": {"@twilio/runtime-handler": "^2.0.1",}}',
        "wrongtype/package.json": '["not", "an", "object"]',
        "rc/package.json": PJ_OK,
        "rc/.twilioserverlessrc": "{ runtime: 'node22' oops }",
        "env/package.json": PJ_OK,
        "env/.env": "GOOD=1\nthis is not an assignment\n",
    })
    os.chmod(root / "functions/unreadable.js", 0)
    os.symlink(root / "functions/loop1.js", root / "functions/loop2.js")
    os.symlink(root / "functions/loop2.js", root / "functions/loop1.js")
    os.mkdir(root / "functions/dir.js")
    try:
        r = run_cli("check", str(tmp_path))
    finally:
        os.chmod(root / "functions/unreadable.js", 0o644)
    text = out(r)
    assert "Traceback" not in text
    assert r.returncode == 2  # unreadable files are input errors
    expect = [
        "functions/good.js:2:34: error[lowercase-header-access]",
        "functions/broken.js:2:",  # syntax error position
        "functions/binary.js:1:1: error[parse-error] cannot read as text: binary file",
        "functions/latin1.js:1:7: error[parse-error] cannot read as text: not valid UTF-8",
        "other/package.json:1:",
        "wrongtype/package.json",
        "rc/.twilioserverlessrc:1:",
        "env/.env:2:1: warning[parse-error]",
        "functions/loop1.js:1:1: error[io-error]",
    ]
    for e in expect:
        assert e in text, (e, text)
    if os.geteuid() != 0:  # root can read a 000 file
        assert "functions/unreadable.js:1:1: error[io-error] cannot read file: Permission denied" in text
    assert "empty.js" not in text


def test_package_json_of_the_wrong_type_is_not_a_crash(tmp_path):
    for content in ('["x"]', '"x"', "1", "null", '{"dependencies": ["@twilio/runtime-handler"]}',
                    '{"dependencies": {"@twilio/runtime-handler": null}}', '{"twilioserverless": 5}'):
        root = write_tree(tmp_path / str(abs(hash(content))), {"package.json": content, "functions/a.js": HANDLER_OK})
        r = run_cli("check", str(root))
        assert r.returncode in (0, 1), (content, out(r))
        assert "Traceback" not in out(r) and "internal-error" not in out(r)


def test_explicit_files_like_pre_commit(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "^2.0.1"}}',
        "functions/a.js": HANDLER_BAD,
        "functions/b.js": HANDLER_BAD,
        "README.md": "# hi",
    })
    r = run_cli("check", "functions/a.js", "README.md", cwd=root)
    text = out(r)
    assert "functions/a.js:2:34" in text
    assert "functions/b.js" not in text
    # package.json is loaded for context; its own diagnostics show when it is passed too
    assert "unpinned-runtime-handler" not in text
    r = run_cli("check", "functions/a.js", "package.json", cwd=root)
    assert "unpinned-runtime-handler" in out(r)


def test_module_entry_point(tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "twilint", "--version"], capture_output=True)
    assert r.returncode == 0 and r.stdout.startswith(b"twilint ")


def test_text_output_shows_control_characters_instead_of_obeying_them(tmp_path):
    """A file name, a config value or a source line holding an escape sequence must not drive
    the terminal: each control character is printed as one visible character (so the caret
    still lines up), with colour off and on."""
    esc = "\x1b]0;pwned\x07\x1b[31m"
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}',
        ".twilioserverlessrc": '{"runtime": "\\u001b]0;pwned\\u0007node99"}',
        f"functions/a{esc}.js": f"// {esc}\nexports.handler = (c, event, cb) => cb(null, /*{esc}*/ event.request.headers['X-Key']);\n",
    })
    for env in ({}, {"FORCE_COLOR": "1", "NO_COLOR": ""}):
        r = run_cli("check", str(root), env=env)
        out = r.stdout + r.stderr
        # (with colour on, rich's own escape sequences style the output: none of the file's)
        assert b"\x07" not in out and b"\x1b]" not in out and (env or b"\x1b" not in out), out
        text = r.stdout.decode()
        assert "\u241b]0;pwned\u2407" in text and "deprecated-runtime" in text and "lowercase-header-access" in text
    plain = run_cli("check", str(root)).stdout.decode().splitlines()
    frame = next(i for i, line in enumerate(plain) if line.startswith("> 2 |"))
    caret = plain[frame + 1]
    assert plain[frame][caret.index("^"):].startswith("'X-Key'")
