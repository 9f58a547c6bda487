"""twilint check --stdin-filename PATH - : editors send the buffer, twilint uses the project on disk."""

from __future__ import annotations

import json

from conftest import run_cli, write_tree

HANDLER_BAD = "exports.handler = (c, event, cb) => {\n  cb(null, event.request.headers.Authorization);\n};\n"
HANDLER_OK = HANDLER_BAD.replace("Authorization", "authorization")
SEL = ("--select", "parse-error,lowercase-header-access,unpinned-runtime-handler")


def out(r) -> str:
    return r.stdout.decode() + r.stderr.decode()


def _project(tmp_path, pj='{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}'):
    return write_tree(tmp_path / "p", {"package.json": pj, "functions/exists.js": HANDLER_OK})


def test_stdin_is_checked_as_the_named_file_which_need_not_exist(tmp_path):
    root = _project(tmp_path)
    r = run_cli("check", *SEL, "--stdin-filename", "functions/x.js", "-", cwd=root, input=HANDLER_BAD.encode())
    assert r.returncode == 1
    assert "functions/x.js:2:34: error[lowercase-header-access]" in out(r)
    assert "1 file checked" in out(r)
    assert not (root / "functions/x.js").exists()


def test_stdin_content_wins_over_the_file_on_disk(tmp_path):
    root = _project(tmp_path)
    r = run_cli("check", *SEL, "--format", "json", "--stdin-filename", "functions/exists.js", "-",
                cwd=root, input=HANDLER_BAD.encode())
    doc = json.loads(r.stdout)
    assert [(d["path"], d["line"]) for d in doc["diagnostics"]] == [("functions/exists.js", 2)]
    assert (root / "functions/exists.js").read_text() == HANDLER_OK


def test_stdin_uses_the_projects_context(tmp_path):
    # a Lambda project: the same code is not a Twilio handler, so nothing is reported
    lam = write_tree(tmp_path / "lambda", {"package.json": '{"dependencies": {"aws-lambda": "1.0.0"}}'})
    r = run_cli("check", *SEL, "--stdin-filename", "functions/x.js", "-", cwd=lam, input=HANDLER_BAD.encode())
    assert r.returncode == 0, out(r)
    # the project's config applies (per-file-ignores), found from a path in another folder
    root = _project(tmp_path)
    (root / "twilint.toml").write_text('[per-file-ignores]\n"functions/legacy/**" = ["lowercase-header-access"]\n')
    r = run_cli("check", *SEL, "--stdin-filename", str(root / "functions/legacy/x.js"), "-", cwd=tmp_path,
                input=HANDLER_BAD.encode())
    assert r.returncode == 0, out(r)
    r = run_cli("check", *SEL, "--stdin-filename", str(root / "functions/x.js"), "-", cwd=tmp_path,
                input=HANDLER_BAD.encode())
    assert r.returncode == 1 and "p/functions/x.js:2:34" in out(r)


def test_stdin_package_json(tmp_path):
    root = _project(tmp_path)
    r = run_cli("check", *SEL, "--stdin-filename", "package.json", "-", cwd=root,
                input=b'{"dependencies": {"@twilio/runtime-handler": "^2.0.1"}}')
    assert r.returncode == 1 and "package.json:1:46: error[unpinned-runtime-handler]" in out(r)


def test_stdin_fix_prints_the_fixed_content_and_writes_nothing(tmp_path):
    root = _project(tmp_path)
    r = run_cli("check", *SEL, "--fix", "--stdin-filename", "functions/exists.js", "-", cwd=root,
                input=HANDLER_BAD.replace("\n", "\r\n").encode())
    assert r.returncode == 0, out(r)
    assert r.stdout == HANDLER_OK.replace("\n", "\r\n").encode()  # line endings kept
    assert "Fixed 1 problem" in r.stderr.decode()
    assert (root / "functions/exists.js").read_text() == HANDLER_OK
    # nothing to fix: the input comes back unchanged
    r = run_cli("check", *SEL, "--fix", "--stdin-filename", "functions/x.js", "-", cwd=root, input=b"// hi\n")
    assert r.returncode == 0 and r.stdout == b"// hi\n"
    # a file twilint does not check: unchanged too
    r = run_cli("check", *SEL, "--fix", "--stdin-filename", "README.md", "-", cwd=root, input=b"# x\n")
    assert r.returncode == 0 and r.stdout == b"# x\n"


def test_stdin_diff_and_syntax_errors(tmp_path):
    root = _project(tmp_path)
    r = run_cli("check", *SEL, "--diff", "--stdin-filename", "functions/x.js", "-", cwd=root, input=HANDLER_BAD.encode())
    assert r.returncode == 1 and "+++ b/functions/x.js" in r.stdout.decode()
    r = run_cli("check", *SEL, "--stdin-filename", "functions/x.js", "-", cwd=root, input=b"exports.handler = (;\n")
    assert r.returncode == 1 and "functions/x.js:1:" in out(r) and "parse-error" in out(r)
    r = run_cli("check", *SEL, "--stdin-filename", "functions/x.js", "-", cwd=root, input=b"\x00\x01")
    assert r.returncode == 1 and "binary file" in out(r)


def test_stdin_usage_errors(tmp_path):
    root = _project(tmp_path)
    r = run_cli("check", "-", cwd=root, input=b"")
    assert r.returncode == 2 and "--stdin-filename" in out(r)
    r = run_cli("check", "--stdin-filename", "functions/x.js", "-", "functions", cwd=root, input=b"")
    assert r.returncode == 2 and "cannot be combined" in out(r)
    r = run_cli("check", "--stdin-filename", "functions/x.js", "functions", cwd=root, input=b"")
    assert r.returncode == 2
    # --stdin-filename alone reads stdin too
    r = run_cli("check", *SEL, "--stdin-filename", "functions/x.js", cwd=root, input=HANDLER_BAD.encode())
    assert r.returncode == 1 and "functions/x.js:2:34" in out(r)


def test_stdin_fix_never_touches_the_disk_even_with_every_rule_and_unsafe_fixes(tmp_path):
    # no runtime configured, a range: some rules' fixes edit package.json or create config files
    root = write_tree(tmp_path / "p", {"package.json": '{"dependencies": {"@twilio/runtime-handler": "^2.0.1"}}',
                                       "functions/a.js": HANDLER_BAD})
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    for name, content in (("package.json", (root / "package.json").read_bytes()), ("functions/a.js", HANDLER_BAD.encode())):
        r = run_cli("check", "--fix", "--unsafe-fixes", "--stdin-filename", name, "-", cwd=root, input=content)
        assert r.returncode in (0, 1), out(r)
        assert "Traceback" not in out(r)
        assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
