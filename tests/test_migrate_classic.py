"""`twilint migrate classic`: a Functions (Classic) export -> a Serverless Toolkit project."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, lint, run_cli, write_tree
from twilint.migrate.classic import plan_for

CLASSIC = FIXTURES / "migrate-classic"


def migrate(tmp_path: Path, name: str, *args: str, out: str = "out"):
    dst = tmp_path / out
    r = run_cli("migrate", "classic", str(CLASSIC / name), "--out", str(dst), *args, cwd=tmp_path)
    return r, dst


def files_of(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def errors_of(result) -> list:
    return [d for d in result.diagnostics if d.severity.label == "error"]


def test_with_manifest_produces_a_toolkit_project(tmp_path):
    r, out = migrate(tmp_path, "with-manifest")
    assert r.returncode == 0, r.stderr.decode()
    assert files_of(out) == {
        ".env", ".env.example", ".gitignore", ".twilioserverlessrc", "package.json",
        "functions/hello.js", "functions/greet.js", "functions/names.js", "functions/shout.js",
        "functions/sms/reply.protected.js",  # checkSignature: true
        "assets/names.private.json",  # read through Runtime.getAssets()
        "assets/style.css",
    }
    src = CLASSIC / "with-manifest"
    for fn, orig in [("hello.js", "hello.js"), ("sms/reply.protected.js", "sms/reply.js"), ("shout.js", "shout.js")]:
        assert (out / "functions" / fn).read_bytes() == (src / orig).read_bytes()  # byte for byte
    pkg = json.loads((out / "package.json").read_text())
    assert pkg["name"] == "ahoy"
    assert pkg["dependencies"] == {"@twilio/runtime-handler": "2.0.1", "lodash": "^4.17.21", "twilio": "5.0.3"}
    assert json.loads((out / ".twilioserverlessrc").read_text()) == {"runtime": "node22"}
    env = (out / ".env").read_text().splitlines()
    assert "GREETING=Ahoy" in env and "API_KEY=" in env
    example = [x for x in (out / ".env.example").read_text().splitlines() if not x.startswith("#")]
    assert example == ["GREETING=", "API_KEY="]
    assert (out / ".gitignore").read_text().split() == [".env", ".twiliodeployinfo", "node_modules"]
    err = r.stderr.decode()
    assert "set the values of API_KEY" in err and "https://ahoy-1234.twil.io" in err
    assert "Ahoy" not in err.replace("ahoy", "")  # env values are never printed


@pytest.mark.parametrize("name", ["with-manifest", "no-manifest", "yaml-manifest"])
def test_produced_project_passes_twilint_check(tmp_path, name):
    r, out = migrate(tmp_path, name)
    assert r.returncode == 0, r.stderr.decode()
    result, _ = lint([out])
    assert errors_of(result) == []
    assert not result.errors
    c = run_cli("check", str(out))
    assert c.returncode == 0, c.stdout.decode()


def test_second_run_changes_nothing(tmp_path):
    r, out = migrate(tmp_path, "no-manifest")
    assert r.returncode == 0
    plan = plan_for(CLASSIC / "no-manifest", out, None, None, force=True, fix=True)
    assert plan.errors == [] and plan.changes == []
    r2, _ = migrate(tmp_path, "no-manifest", "--force", "--check")
    assert r2.returncode == 0


def test_without_manifest_flags_what_needs_a_person(tmp_path):
    r, out = migrate(tmp_path, "no-manifest", "--report", str(tmp_path / "report.json"))
    assert r.returncode == 0, r.stderr.decode()
    assert files_of(out) >= {"functions/voice/incoming.js", "functions/notify.js", "functions/menu.js",
                             "assets/menu.private.json", "assets/welcome.mp3"}
    pkg = json.loads((out / "package.json").read_text())
    assert pkg["name"] == "out"
    assert pkg["dependencies"]["lodash"] == "*"  # loaded, no version known: declared, to pin
    assert pkg["dependencies"]["twilio"] == "5.0.3" and pkg["dependencies"]["@twilio/runtime-handler"] == "2.0.1"
    # the normal safe fixes ran: the getAssets key got its leading slash
    assert b"Runtime.getAssets()['/menu.json']" in (out / "functions/menu.js").read_bytes()
    report = json.loads((tmp_path / "report.json").read_text())
    needs = report["projects"][0]["needsPerson"]
    text = "\n".join(needs)
    assert "functions/voice/incoming.js: looks like a Twilio webhook" in text
    assert "https://ahoy-1234.twil.io/assets/welcome.mp3" in text and "Asset URL" in text
    assert "https://ahoy-1234.twil.io/menu" in text
    assert "+15095550100" in text
    assert "FW0123456789abcdef0123456789abcdef" in text
    assert "hardcoded-credential" in text
    assert "dependency lodash" in text
    assert "README.txt" in text
    assert any("repoint phone numbers, Studio Flows" in n for n in needs)
    notes = "\n".join(report["projects"][0]["notes"])
    assert "runtime-asset-key" in notes


def test_no_fix_copies_code_byte_for_byte(tmp_path):
    r, out = migrate(tmp_path, "no-manifest", "--no-fix")
    assert r.returncode == 0
    for rel in ("menu.js", "notify.js", "voice/incoming.js"):
        assert (out / "functions" / rel).read_bytes() == (CLASSIC / "no-manifest" / rel).read_bytes()


def test_yaml_manifest(tmp_path):
    r, out = migrate(tmp_path, "yaml-manifest")
    assert r.returncode == 0, r.stderr.decode()
    assert "assets/help/faq.protected.txt" in files_of(out)
    assert json.loads((out / "package.json").read_text())["name"] == "support-line-classic"
    env = (out / ".env").read_text()
    assert "SUPPORT_EMAIL=\n" in env and "LANGUAGE=en-US\n" in env


def test_clash_is_refused_and_nothing_is_written(tmp_path):
    r, out = migrate(tmp_path, "clash")
    assert r.returncode == 2
    err = r.stderr.decode()
    assert "both map to the Function path `/sms/reply`" in " ".join(err.split())
    assert "classic-manifest.yaml:5:5" in err
    assert not out.exists()


def test_path_escape_is_refused(tmp_path):
    r, out = migrate(tmp_path, "path-escape")
    assert r.returncode == 2
    assert "escapes the output folder" in r.stderr.decode()
    assert not out.exists() and not (tmp_path / "hello.js").exists()


@pytest.mark.parametrize("entry,message", [
    ({"source": "../outside.js"}, "escapes the source folder"),
    ({"source": "/etc/passwd"}, "is an absolute path"),
    ({"source": "a.js", "path": "/x/../../../evil"}, "escapes the output folder"),
    ({"source": "a.js", "path": "C:\\evil"}, "is not a URL path"),
    ({"source": "a.js", "path": "/x.protected"}, "visibility marker"),
    ({"source": "a.js", "checkSignature": "yes"}, "must be true or false"),
    ({"source": "a.js", "extra": 1}, "unknown key `extra`"),
    ({"path": "/a"}, "needs `source`"),
])
def test_manifest_entries_are_validated(tmp_path, entry, message):
    src = write_tree(tmp_path / "export", {"a.js": "exports.handler = (c, e, cb) => cb(null, 1);\n",
                                           "classic-manifest.json": json.dumps({"functions": [entry]})})
    (tmp_path / "outside.js").write_text("exports.handler = (c, e, cb) => cb(null, 2);\n")
    plan = plan_for(src, tmp_path / "out", None, None, False, True)
    assert plan.changes == []
    assert len(plan.errors) == 1 and message in plan.errors[0], plan.errors


def test_symlink_out_of_the_export_is_refused(tmp_path):
    (tmp_path / "secret.js").write_text("exports.handler = (c, e, cb) => cb(null, 'x');\n")
    src = tmp_path / "export"
    src.mkdir()
    os.symlink(tmp_path / "secret.js", src / "leak.js")
    plan = plan_for(src, tmp_path / "out", None, None, False, True)
    assert plan.changes == [] and "outside" in plan.errors[0]


def test_asset_clash_and_case_clash(tmp_path):
    src = write_tree(tmp_path / "export", {
        "Hello.js": "exports.handler = (c, e, cb) => cb(null, 1);\n",
        "hello.js": "exports.handler = (c, e, cb) => cb(null, 2);\n",
    })
    plan = plan_for(src, tmp_path / "out", None, None, False, True)
    assert "differ only in letter case" in plan.errors[0]
    src2 = write_tree(tmp_path / "export2", {
        "a.js": "exports.handler = (c, e, cb) => cb(null, 1);\n",
        "x.txt": "x", "y.txt": "y",
        "classic-manifest.json": json.dumps({"assets": [{"source": "x.txt", "path": "/doc.txt"},
                                                        {"source": "y.txt", "path": "/doc.txt"}]}),
    })
    plan = plan_for(src2, tmp_path / "out", None, None, False, True)
    assert "both map to the Asset path `/doc.txt`" in plan.errors[0]


def test_non_empty_output_needs_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    r, _ = migrate(tmp_path, "with-manifest")
    assert r.returncode == 2 and "not empty" in r.stderr.decode() and "--force" in r.stderr.decode()
    assert files_of(out) == {"notes.txt"}
    r, _ = migrate(tmp_path, "with-manifest", "--force")
    assert r.returncode == 0 and (out / "notes.txt").read_text() == "mine"
    assert (out / "functions/hello.js").is_file()


def test_dry_run_diff_and_check_write_nothing(tmp_path):
    r, out = migrate(tmp_path, "with-manifest", "--dry-run")
    assert r.returncode == 0 and not out.exists()
    listed = r.stdout.decode().splitlines()
    assert any(x.startswith("create ") and "functions/sms/reply.protected.js" in x for x in listed)
    assert len(listed) == 12
    r, out = migrate(tmp_path, "with-manifest", "--diff")
    assert r.returncode == 1 and not out.exists()
    assert "--- /dev/null" in r.stdout.decode() and "+++ b/out/assets/names.private.json" in r.stdout.decode()
    r, out = migrate(tmp_path, "with-manifest", "--check")
    assert r.returncode == 1 and not out.exists()


def test_env_values_that_need_quoting(tmp_path):
    src = write_tree(tmp_path / "export", {
        "a.js": "exports.handler = (c, e, cb) => cb(null, c.A + c.B + c.C);\n",
        "classic-manifest.yaml": "environment:\n  A: 'two words # not a comment'\n  B: \"line1\\nline2\"\n"
                                 "  C: 12\n  PATH: /x\n  ACCOUNT_SID: AC0123456789abcdef0123456789abcdef\n",
    })
    plan = plan_for(src, tmp_path / "out", None, None, False, True)
    assert plan.errors == []
    env = next(c.new for c in plan.changes if c.path.name == ".env")
    from twilint.sources.dotenv import parse_env

    parsed = {e.key: e.value for e in parse_env(env).entries}
    assert parsed == {"A": "two words # not a comment", "B": "line1\nline2", "C": "12"}
    assert any("PATH left out" in n for n in plan.notes) and any("ACCOUNT_SID left out" in n for n in plan.notes)


@pytest.mark.slow
@pytest.mark.npm
def test_end_to_end_with_the_local_runtime(tmp_path):
    """The produced project runs on the real twilio-run dev server and answers as on Classic."""
    from twilio_dev import call, install_twilio_run, serve

    exe = install_twilio_run()
    r, out = migrate(tmp_path, "with-manifest")
    assert r.returncode == 0, r.stderr.decode()
    result, _ = lint([out])
    assert errors_of(result) == []
    project = tmp_path / "served"
    shutil.copytree(out, project)
    with serve(exe, project, probe="/hello") as base:
        assert call(base, "hello") == (200, "Hello from Classic")
        assert call(base, "greet?name=Ada") == (200, "Ahoy, Ada")  # value from .env
        status, body = call(base, "names")  # a private Asset read through Runtime.getAssets()
        assert status == 200 and json.loads(body) == {"names": ["Ada", "Grace"]}
        assert call(base, "shout?text=hi") == (200, "HI")  # lodash, declared
        assert call(base, "style.css") == (200, "body { color: red; }\n")  # public Asset
        assert call(base, "names.json")[0] == 403  # private: no URL
        status, body = call(base, "sms/reply?From=%2B15095550100&Body=hi")  # protected; not enforced locally
        assert status == 200 and "<Message>Thanks +15095550100, we got: hi</Message>" in body


def test_packages_of_private_script_assets_are_declared(tmp_path):
    src = write_tree(tmp_path / "export", {
        "use.js": "exports.handler = (c, e, cb) => cb(null, require(Runtime.getAssets()['/helper.js'].path)());\n",
        "assets/helper.js": "const dayjs = require('dayjs');\nmodule.exports = () => dayjs().year();\n",
        "assets/app.js": "const React = require('react');\n",  # public: runs in browsers
    })
    plan = plan_for(src, tmp_path / "out", None, None, False, True)
    assert plan.errors == []
    names = {c.path.relative_to(tmp_path / "out").as_posix(): c for c in plan.changes}
    assert "assets/helper.private.js" in names and "assets/app.js" in names
    deps = json.loads(names["package.json"].new)["dependencies"]
    assert deps.get("dayjs") == "*" and "react" not in deps
    assert any("dependency dayjs: loaded at assets/helper.private.js:1" in n for n in plan.needs_person)
