"""Issue 10: secrets never leak, project code never runs, nothing outside the project is read or
written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import lint, run_cli, write_tree
from twilint.model import SAFE, Edit, Fix, Rule, Severity

FORMATS = ["text", "json", "sarif", "github", "junit", "gitlab"]

# Seeded secrets: each must never appear in any output.
SECRET_TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"  # an auth token
SECRET_SID = "AC" + "1b2c3d4e5f60718293a4b5c6d7e8f901"
SECRET_API = "sk_live_Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1"
SECRET_PEM_BODY = "MIIEowIBAAKCAQEAsecretpembodyQWERTYUIOPasdfghjkl"
SECRET_BIG = "bigsecret-" + "x1y2z3" * 90  # over 450 bytes: oversized-env-var
SECRET_PATH = "/opt/secret-path-value"
SECRET_MULTI = "second-line-secret-4242"
SECRET_IN_CODE = "5a4b3c2d1e0f99887766554433221100"  # a token written into a function
SECRETS = [SECRET_TOKEN, SECRET_SID, SECRET_API, SECRET_PEM_BODY, SECRET_BIG[:40], SECRET_PATH, SECRET_MULTI,
           SECRET_IN_CODE, SECRET_SID[2:], SECRET_TOKEN[:16], SECRET_IN_CODE[:16]]

ENV = (
    f"ACCOUNT_SID={SECRET_SID}\n"
    f"AUTH_TOKEN={SECRET_TOKEN}\n"
    f"API_SECRET='{SECRET_API}'\n"
    f'PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\n{SECRET_PEM_BODY}\n-----END RSA PRIVATE KEY-----"\n'
    f"BIG_VALUE={SECRET_BIG}\n"
    f"PATH={SECRET_PATH}\n"
    f'MULTI="first\n{SECRET_MULTI}=x"\n'
    f"not a valid line {SECRET_TOKEN}\n"
    f"{'K' * 130}={SECRET_TOKEN}\n"
    "Upper_Case_Key=1\n"
)
FUNCTION = (
    "const twilio = require('twilio');\n"
    f"const authToken = '{SECRET_IN_CODE}';\n"
    f"const accountSid = '{SECRET_SID}';\n"
    "\n\n\n\n"
    "exports.handler = (context, event, callback) => {\n"
    "  const client = twilio(accountSid, authToken);\n"
    "  console.log(process.env.AUTH_TOKEN, context.TWILIO_AUTH_TOKEN);\n"
    "  callback(null, event.request.headers.Authorization);\n"
    "};\n"
)


class EnvKeyCase(Rule):
    """A test rule with a fix on a .env file: upper-cases a key (to exercise .env diffs)."""

    name = "test-env-key-case"
    severity = Severity.WARNING
    summary = "test"
    fixable = SAFE
    file_kinds = frozenset({"env"})

    def check_file(self, ctx, file):
        for e in file.env.entries:
            if e.key != e.key.upper():
                ctx.report(file, e.key_start, e.key_end, "key is not upper case",
                           Fix([Edit.replace(e.key_start, e.key_end, e.key.upper())], "upper-case it", SAFE))
        return ()


@pytest.fixture
def secret_project(tmp_path, monkeypatch):
    from twilint import rules

    registry = dict(rules.all_rules())
    registry[EnvKeyCase.name] = EnvKeyCase()
    monkeypatch.setattr(rules, "_RULES", registry)
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1", "twilio": "^5.0.3"}}',
        ".env": ENV,
        ".env.prod": ENV,
        "functions/leaky.js": FUNCTION,
        "assets/credentials.json": json.dumps({"token": SECRET_TOKEN}),
    })
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", str(root)], check=True)
    subprocess.run([*git, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(root), "commit", "-qm", "x"], check=True)
    monkeypatch.chdir(tmp_path)
    return root


def _assert_no_secret(text: str, where: str) -> None:
    for s in SECRETS:
        assert s not in text, f"{where} shows a secret ({s[:6]}...)"


@pytest.mark.parametrize("mode", ["check", "diff", "fix"])
def test_no_secret_in_any_report_format(secret_project, mode, tmp_path):
    import io

    from twilint.cli import _render
    from twilint.runner import Options, run

    for fmt in FORMATS:
        for quiet, statistics in ((False, False), (True, False), (False, True)):
            root = secret_project
            result, diffs = run([root], Options(select=["ALL"], mode=mode, unsafe_fixes=True))
            assert {d.rule for d in result.diagnostics} | {d.rule for d in result.fixed} >= {
                "hardcoded-credential", "tracked-env-credentials", "oversized-env-var", "pem-key-in-env",
                "reserved-env-name", "env-key-too-long", "parse-error"}
            buf = io.StringIO()
            _render(result, fmt, buf, False, quiet, statistics)
            _assert_no_secret(buf.getvalue(), f"--format {fmt} ({mode})")
            _assert_no_secret("".join(diffs), f"--diff ({mode})")
            if mode == "fix":
                subprocess.run(["git", "-C", str(root), "checkout", "-q", "--", "."], check=True)
    if mode == "diff":
        (d,) = [x for p, x in result.diffs if p.name == ".env"][:1]
        assert "+Upper_Case_Key" not in d and "+UPPER_CASE_KEY=" in d  # the change is shown, values are not


def test_no_secret_through_the_console_script_and_in_baselines(secret_project, tmp_path):
    root = secret_project
    for fmt in FORMATS:
        r = run_cli("check", "--format", fmt, str(root), cwd=tmp_path)
        _assert_no_secret(r.stdout.decode() + r.stderr.decode(), f"twilint check --format {fmt}")
    r = run_cli("check", "--diff", "--unsafe-fixes", str(root), cwd=tmp_path)
    _assert_no_secret(r.stdout.decode() + r.stderr.decode(), "twilint check --diff")
    baseline = tmp_path / "baseline.json"
    r = run_cli("check", "--write-baseline", str(baseline), str(root), cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    _assert_no_secret(baseline.read_text(), "the baseline file")
    _assert_no_secret(r.stdout.decode() + r.stderr.decode(), "twilint check --write-baseline")


# -- never execute project code ------------------------------------------------------------------


def _marker_js(marker: Path) -> str:
    return f"require('fs').writeFileSync({json.dumps(str(marker))}, 'ran');\n"


def test_project_code_is_never_executed(tmp_path, monkeypatch):
    """Config files in JS, package scripts, handlers and the strict check's node process: all
    parsed or compiled, never run, whatever twilint does (check, --fix, --unsafe-fixes, --diff)."""
    marker = tmp_path / "MARKER"
    side = _marker_js(marker)
    root = write_tree(tmp_path / "p", {
        "package.json": json.dumps({
            "dependencies": {"@twilio/runtime-handler": "2.0.1", "twilio": "^5.0.3"},
            "scripts": {"preinstall": f"touch {marker}", "deploy": f"touch {marker} && twilio-run deploy",
                        "prepare": f"touch {marker}", "postinstall": f"node -e \"{side.strip()}\""},
        }),
        ".twilioserverlessrc.js": side + "module.exports = { runtime: 'node18', functionsFolder: 'functions' };\n",
        "twilioserverless.config.js": side + "module.exports = { runtime: 'node18' };\n",
        "functions/hello.js": side + (
            "exports.handler = function (context, event, callback) {\n"
            "  callback(null, event.request.headers.Authorization);\n};\n"),
        "functions/module.mjs": f"import fs from 'fs';\nfs.writeFileSync({json.dumps(str(marker))}, 'ran');\n"
                                "export const handler = (c, event, cb) => cb(null, event.request.headers.Host);\n",
        "functions/top-level.js": side + "(async () => { await 1; })();\nexports.handler = (c, e, cb) => cb(null, e.request.headers.X);\n",
        "node_modules/twilio/package.json": json.dumps({"name": "twilio", "version": "5.0.3",
                                                        "scripts": {"install": f"touch {marker}"}}),
        "node_modules/twilio/index.js": side,
        ".nvmrc": "18\n",
        ".env": "AUTH_TOKEN=0123456789abcdef0123456789abcdef\n",
        "deploy.sh": f"touch {marker}\ntwilio-run deploy --runtime node18\n",
    })
    # a git repository whose config would run commands if git ran them
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", ".env"], check=True)
    with open(root / ".git" / "config", "a") as fh:
        fh.write(f"[core]\n\tfsmonitor = touch {marker}\n\thooksPath = hooks\n"
                 f"[alias]\n\tls-files = !touch {marker}\n")
    subprocess.run(["git", "-C", str(root), "ls-files"], capture_output=True)
    assert marker.exists(), "git itself runs core.fsmonitor: the trap works"
    marker.unlink()
    popens: list[tuple] = []
    collecting = {"on": True}

    def hook(event, args):
        if event == "subprocess.Popen" and collecting["on"]:
            popens.append(tuple(str(a) for a in (args[1] or [])))

    sys.addaudithook(hook)
    monkeypatch.chdir(tmp_path)
    for mode, unsafe in (("check", False), ("fix", False), ("fix", True), ("diff", True)):
        result, _ = lint([root], mode=mode, unsafe=unsafe)
        assert not marker.exists(), f"project code ran during {mode}"
    collecting["on"] = False
    assert result is not None
    for args in (["check", str(root)], ["check", "--fix", "--unsafe-fixes", str(root)]):
        run_cli(*args, cwd=tmp_path)
        assert not marker.exists(), f"project code ran during twilint {' '.join(args)}"
    # twilint only ever starts node (the strict check) and git (is .env tracked?)
    programs = {Path(a[0]).name for a in popens if a}
    assert programs <= {"node", "git"}, programs
    assert "node" in programs, "the strict check never ran"
    assert "git" in programs, "git was never asked (tracked-env-credentials)"


def test_strict_check_compiles_without_running(tmp_path):
    from twilint.fixes import shutil as _sh, strict_validate

    if not _sh.which("node"):
        pytest.skip("node is not on PATH")
    marker = tmp_path / "MARKER"
    code = _marker_js(marker).encode()
    esm = f"import fs from 'fs';\nfs.writeFileSync({json.dumps(str(marker))}, 'ran');\nexport default 1;\n".encode()
    assert strict_validate([(code, code + b"// x\n", False), (esm, esm + b"// x\n", True)]) == [None, None]
    assert not marker.exists()


# -- paths ----------------------------------------------------------------------------------------

_OPENED: list[tuple[str, str]] = []
_AUDIT = {"on": False}


def _audit(event, args):
    if not _AUDIT["on"]:
        return
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _OPENED.append(("open", os.fsdecode(args[0])))
    elif event in ("os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
        _OPENED.append(("list", os.fsdecode(args[0])))


sys.addaudithook(_audit)


def _reads_under(tmp: Path, fn) -> list[tuple[str, str]]:
    _OPENED.clear()
    _AUDIT["on"] = True
    try:
        fn()
    finally:
        _AUDIT["on"] = False
    out = []
    for kind, p in _OPENED:
        real = os.path.realpath(p if os.path.isabs(p) else os.path.join(os.getcwd(), p))
        if real.startswith(str(tmp.resolve()) + os.sep):
            out.append((kind, real))
    return out


def test_nothing_outside_the_project_is_read(tmp_path, monkeypatch):
    outside = write_tree(tmp_path / "outside", {
        "secret.js": "exports.handler = (c, event, cb) => cb(null, event.request.headers.Outside);\n",
        "functions/x.js": "exports.handler = (c, event, cb) => cb(null, event.request.headers.Outside);\n",
        "out/functions/y.js": "export const handler = 1;\n",
        "package.json": "{}",
        ".env": "OUTSIDE=1\n",
        "node_modules/linked/package.json": '{"name": "linked", "type": "module"}',
    })
    root = write_tree(tmp_path / "work" / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1", "twilio": "^5.0.3", "linked": "1.0.0"}}',
        "functions/ok.js": "const l = require('linked');\nexports.handler = (c, event, cb) => cb(null, event.request.headers.Inside);\n",
    })
    os.symlink(outside / "secret.js", root / "functions" / "linked.js")
    os.symlink(outside / ".env", root / ".env")
    os.symlink(outside / "functions", root / "functions" / "dir")
    (root / "node_modules").mkdir()
    os.symlink(outside / "node_modules" / "linked", root / "node_modules" / "linked")
    monkeypatch.chdir(tmp_path)

    # a second project whose Toolkit config names folders outside it
    other = write_tree(tmp_path / "work" / "q", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}',
        ".twilioserverlessrc": '{"functionsFolder": "../../outside/functions", "assetsFolder": "../../outside/out"}',
    })
    results = []
    reads = _reads_under(tmp_path, lambda: results.append(lint([root, other], mode="fix", unsafe=True)[0]))
    inside = (str(root.resolve()), str(other.resolve()))
    bad = [r for r in reads if not any(r[1] == i or r[1].startswith(i + os.sep) for i in inside)]
    assert bad == [], bad
    (result,) = results
    rels = {(Path(d.path).relative_to(root).as_posix(), d.rule) for d in result.diagnostics}
    assert ("functions/linked.js", "io-error") in rels and (".env", "io-error") in rels
    assert not [d for d in result.diagnostics if "Outside" in d.message or d.rule == "internal-error"]
    assert (root / "functions" / "ok.js").read_text().count("headers.inside") == 1  # the project itself is fixed
    assert any("outside the project" in why for _, why in result.skipped)
    # the outside tree is untouched
    assert (outside / "secret.js").read_text().endswith("headers.Outside);\n")


def test_a_config_folder_outside_the_project_is_not_used(tmp_path):
    write_tree(tmp_path / "etc", {"functions/x.js": "exports.handler = (c, e, cb) => cb(null, e.request.headers.Etc);\n"})
    for folder in ("../etc/functions", "../../etc", str(tmp_path / "etc" / "functions"), "out/../../etc/functions"):
        root = write_tree(tmp_path / f"p{abs(hash(folder))}", {
            "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}',
            ".twilioserverlessrc": json.dumps({"functionsFolder": folder}),
        })
        result, _ = lint([root])
        assert not [d for d in result.diagnostics if "Etc" in d.message], folder
        assert not [d for d in result.diagnostics if d.rule == "internal-error"], folder
