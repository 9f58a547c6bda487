"""Issue 7: `twilint migrate node22` (and `--to node24`).

Fixture projects under fixtures/migrate/<case>/before are migrated in a temporary copy and
compared byte for byte with fixtures/migrate/<case>/after (regenerate those with
TWILINT_UPDATE_SNAPSHOTS=1 and review the diff). The end-to-end test serves a node18-era project
with the real twilio-run dev server before and after migrating it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, lint, run_cli, write_tree

BASE = FIXTURES / "migrate"
CASES = ["node14-json5", "node16-yaml", "node18-js", "node18-pkg", "node20-no-config", "node18-e2e"]
RUNTIME_RULES = {"deprecated-runtime", "missing-runtime", "runtime-handler-version", "unpinned-runtime-handler",
                 "missing-runtime-handler", "dev-only-runtime-handler"}
PJ = '{"dependencies": {"@twilio/runtime-handler": "2.0.1", "twilio": "^5.0.3"}}\n'
HANDLER = "exports.handler = function (context, event, callback) {\n  callback(null, 'ok');\n};\n"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def migrate(paths, target="node22", mode="write", report=None):
    """In-process run: (exit code, plans, stderr text, stdout text)."""
    from twilint.migrate.base import execute
    from twilint.migrate.node22 import build_plans

    plans, errors = build_plans([Path(p) for p in paths], target)
    out, err = io.StringIO(), io.StringIO()
    code = execute(plans, mode, report, False, out, err)
    return (2 if errors else code), plans, err.getvalue(), out.getvalue()


def copy_case(case: str, tmp_path: Path) -> Path:
    dst = tmp_path / case
    shutil.copytree(BASE / case / "before", dst, symlinks=True)
    return dst


# -- snapshots -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_migration_matches_the_snapshot(case, tmp_path):
    root = copy_case(case, tmp_path)
    code, plans, err, _ = migrate([root])
    assert code == 0, err
    (plan,) = plans
    assert plan.errors == [] and plan.changes
    expected = BASE / case / "after"
    if os.environ.get("TWILINT_UPDATE_SNAPSHOTS"):
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(root, expected, symlinks=True)
    assert tree(root) == tree(expected)


@pytest.mark.parametrize("case", CASES)
def test_migrated_projects_have_no_runtime_findings(case):
    result, _ = lint([BASE / case / "after"])
    assert not [d for d in result.diagnostics if d.rule in RUNTIME_RULES or d.rule in ("parse-error", "internal-error")]
    before, _ = lint([BASE / case / "before"])
    assert [d for d in before.diagnostics if d.rule in RUNTIME_RULES]  # there was something to migrate


def test_follow_ups_for_a_person(tmp_path):
    for case in CASES:
        copy_case(case, tmp_path)
    _, plans, _, _ = migrate([tmp_path], mode="check")
    people = {p.project.name: p.needs_person for p in plans}
    notes = {p.project.name: p.notes for p in plans}
    assert any("deprecated-node-api" in n and "new Buffer()" in n for n in people["node14-json5"])
    assert any("from 1.2.3 to 2.0.1" in n and "4.23.0" in n for n in people["node14-json5"])
    assert any("esm-require" in n and "node-fetch" in n for n in people["node16-yaml"])
    assert any("`legacy-lib` 1.4.0 (installed)" in n and ">=12 <17" in n for n in people["node16-yaml"])
    assert any("native-dependency" in n and "bcrypt" in n for n in people["node18-pkg"])
    assert people["node18-js"] == people["node20-no-config"] == people["node18-e2e"] == []
    # step 5: the docs' safe rollout, for every project that changes [002:17198-17201]
    for name, ns in notes.items():
        assert any("`twilio serverless:deploy --runtime node22 --environment verify-22`" in n for n in ns), name
    assert any(".github/workflows/deploy.yml:12 runs the CI job on Node 16" in n for n in notes["node16-yaml"])
    summary = {p.project.name: (p.source, p.target, len(p.changes)) for p in plans}
    assert summary["node16-yaml"] == ("node16, node18", "node22", 4)
    assert summary["node20-no-config"] == ("unset", "node22", 3)


# -- modes, idempotency, exit codes (the real console script) --------------------------------


def test_check_diff_write_and_idempotency(tmp_path):
    for case in CASES:
        copy_case(case, tmp_path)
    before = tree(tmp_path)
    r = run_cli("migrate", "node22", "--check", str(tmp_path))
    assert r.returncode == 1 and r.stdout == b"" and tree(tmp_path) == before
    r = run_cli("migrate", "node22", "--diff", str(tmp_path))
    assert r.returncode == 1 and tree(tmp_path) == before
    assert b"+++ b/" in r.stdout or b"+++ /" in r.stdout
    assert b"--- /dev/null" in r.stdout  # node20-no-config gets a .twilioserverlessrc
    r = run_cli("migrate", "node22", str(tmp_path))
    assert r.returncode == 0, r.stderr.decode()
    migrated = tree(tmp_path)
    assert migrated != before
    assert b"needs a person" in r.stderr and b"verify-22" in r.stderr
    # a second run changes nothing; --check passes; --diff is empty
    r = run_cli("migrate", "node22", str(tmp_path))
    assert r.returncode == 0 and tree(tmp_path) == migrated
    r = run_cli("migrate", "node22", "--check", str(tmp_path))
    assert r.returncode == 0
    r = run_cli("migrate", "node22", "--diff", "--quiet", str(tmp_path))
    assert r.returncode == 0 and r.stdout == b"" and r.stderr == b""


def test_usage(tmp_path):
    r = run_cli("migrate", "--help")
    assert r.returncode == 0 and b"node22" in r.stdout
    r = run_cli("migrate", "node22", "--diff", "--check", str(tmp_path))
    assert r.returncode == 2
    r = run_cli("migrate", "node22", "--to", "node20", str(tmp_path))
    assert r.returncode == 2
    r = run_cli("migrate", "node22", str(tmp_path / "missing"))
    assert r.returncode == 2 and b"no such file" in r.stderr


def test_reports(tmp_path):
    for case in ("node14-json5", "node20-no-config"):
        copy_case(case, tmp_path / "p")
    for name in ("r.json", "r.md", "r.html"):
        code, _, _, _ = migrate([tmp_path / "p"], mode="check", report=tmp_path / name)
        assert code == 1
    data = json.loads((tmp_path / "r.json").read_text())
    by = {Path(p["project"]).name: p for p in data["projects"]}
    assert by["node20-no-config"]["from"] == "unset" and by["node20-no-config"]["to"] == "node22"
    assert {c["kind"] for c in by["node20-no-config"]["changes"]} == {"edit", "create"}
    assert by["node14-json5"]["needsPerson"] and any("verify-22" in n for n in by["node14-json5"]["notes"])
    md = (tmp_path / "r.md").read_text()
    assert "| project | from | to |" in md and "needs a person" in md and "verify-22" in md
    html = (tmp_path / "r.html").read_text()
    assert "<table" in html and "node14-json5" in html and "verify-22" in html


def test_broken_project_is_an_error_and_the_others_still_migrate(tmp_path):
    write_tree(tmp_path / "bad", {"package.json": '{"dependencies": {', "functions/a.js": HANDLER,
                                  ".twilioserverlessrc": '{ "runtime": "node18" }'})
    good = copy_case("node18-js", tmp_path)
    before_bad = tree(tmp_path / "bad")
    code, plans, err, _ = migrate([tmp_path])
    assert code == 2
    bad = next(p for p in plans if p.project.name == "bad")
    assert bad.errors and not bad.changes and "package.json" in bad.errors[0]
    assert tree(tmp_path / "bad") == before_bad
    assert tree(good) == tree(BASE / "node18-js" / "after")


# -- the runtime-handler pin ---------------------------------------------------------------------


def test_node24_keeps_an_installable_handler_and_explains_why(tmp_path):
    root = copy_case("node18-e2e", tmp_path)
    code, (plan,), err, _ = migrate([root], target="node24")
    assert code == 0, err
    pj = json.loads((root / "package.json").read_text())
    assert pj["dependencies"]["@twilio/runtime-handler"] == "2.0.1"  # accepted, on npm, upgraded at deploy
    assert "node24" in (root / ".twilioserverlessrc").read_text() and (root / ".nvmrc").read_text() == "24\n"
    (note,) = [n for n in plan.needs_person if "2.1.2" in n]
    assert "not on npm" in note and "Error 20001" in note and "2.1.0" in note and "legacy-peer-deps" in note
    assert any("--runtime node24 --environment verify-24" in n for n in plan.notes)
    # never the npm-only version the platform rejects
    assert "2.1.0" not in (root / "package.json").read_text()
    result, _ = lint([root])
    assert not [d for d in result.diagnostics if d.rule in RUNTIME_RULES]
    # again: nothing to change, the follow-up stays
    code, (plan,), _, _ = migrate([root], target="node24", mode="check")
    assert code == 0 and not plan.changes and any("2.1.2" in n for n in plan.needs_person)


def test_node24_pins_an_accepted_npm_version_when_the_facts_have_one(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{\n  "dependencies": {\n    "@twilio/runtime-handler": "2.0.1"\n  }\n}\n',
        "functions/a.js": HANDLER, ".twilioserverlessrc": '{ "runtime": "node22" }\n',
        "twilint.toml": '[platform]\nruntime-handler-versions = ["2.1.3"]\n',
    })
    code, (plan,), err, _ = migrate([root], target="node24")
    assert code == 0, err
    assert json.loads((root / "package.json").read_text())["dependencies"]["@twilio/runtime-handler"] == "2.1.3"
    assert not [n for n in plan.needs_person if "2.1.2" in n]


def test_handler_already_newer_and_accepted_is_kept(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.1.2"}}\n', "functions/a.js": HANDLER,
        ".twilioserverlessrc": '{ "runtime": "node18" }\n',
    })
    code, (plan,), _, _ = migrate([root], target="node24")
    assert code == 0 and '"2.1.2"' in (root / "package.json").read_text()
    assert any("not on npm" in n for n in plan.needs_person)


def test_project_on_a_newer_runtime_is_not_downgraded(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ, "functions/a.js": HANDLER, ".nvmrc": "24\n",
        ".twilioserverlessrc": '{ "runtime": "node24", "environments": { "old": { "runtime": "node18" } } }\n',
    })
    code, (plan,), _, _ = migrate([root])
    assert code == 0 and plan.target == "node24"
    assert (root / ".twilioserverlessrc").read_text() == '{ "runtime": "node24", "environments": { "old": { "runtime": "node22" } } }\n'
    assert (root / ".nvmrc").read_text() == "24\n"
    assert any("newer than node22" in n for n in plan.notes)


# -- what rules cannot do ----------------------------------------------------------------------


def test_config_without_runtime_gets_one_at_the_top(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{\n  "scripts": { "deploy": "twilio-run deploy --runtime node18" },\n'
                        '  "dependencies": { "@twilio/runtime-handler": "2.0.1" }\n}\n',
        "functions/a.js": HANDLER,
        ".twilioserverlessrc.yml": "# config\nenvironments:\n  prod:\n    runtime: node16\n",
    })
    code, _, err, _ = migrate([root])
    assert code == 0, err
    assert (root / ".twilioserverlessrc.yml").read_text() == (
        "# config\nruntime: node22\nenvironments:\n  prod:\n    runtime: node22\n")
    assert "--runtime node22" in (root / "package.json").read_text()


def test_variable_runtime_and_python_without_libcst(tmp_path, monkeypatch):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ, "functions/a.js": HANDLER, ".twilioserverlessrc": '{ "runtime": "node18" }\n',
        "deploy.sh": 'npx twilio-run deploy --runtime "$RUNTIME"\n',
        "tools/deploy.py": 'client.serverless.v1.services("ZS").builds.create(runtime="node18")\n',
    })
    monkeypatch.setitem(sys.modules, "libcst", None)
    _, (plan,), _, _ = migrate([root], mode="check")
    assert any("deploy.sh:1" in n and "$RUNTIME" in n for n in plan.needs_person)
    assert any("tools/deploy.py" in n and "twilint[python]" in n for n in plan.needs_person)


def test_crlf_and_bom_are_kept(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": b'\xef\xbb\xbf{\r\n  "dependencies": {\r\n    "@twilio/runtime-handler": "2.0.3"\r\n  },\r\n'
                        b'  "engines": { "node": "18" }\r\n}\r\n',
        "functions/a.js": HANDLER, ".twilioserverlessrc": b'{\r\n  "runtime": "node18"\r\n}\r\n',
    })
    code, _, err, _ = migrate([root])
    assert code == 0, err
    assert (root / "package.json").read_bytes() == (
        b'\xef\xbb\xbf{\r\n  "dependencies": {\r\n    "@twilio/runtime-handler": "2.0.1"\r\n  },\r\n'
        b'  "engines": { "node": "22" }\r\n}\r\n')
    assert (root / ".twilioserverlessrc").read_bytes() == b'{\r\n  "runtime": "node22"\r\n}\r\n'


def test_assets_only_and_non_twilio_projects(tmp_path):
    write_tree(tmp_path / "web", {"package.json": '{"dependencies": {"react": "^18.0.0"}}', "src/index.js": "x\n"})
    write_tree(tmp_path / "assets-only", {"package.json": '{"dependencies": {"twilio": "^5.0.3"}}',
                                          ".twilioserverlessrc": "{}\n", "assets/a.txt": "a\n"})
    code, plans, _, _ = migrate([tmp_path], mode="check")
    assert code == 0 and [p.project.name for p in plans] == ["assets-only"] and not plans[0].changes


@pytest.mark.parametrize("spec,new", [
    ("14", "22"), ("18.x", "22.x"), ("^18.0.0", "^22.0.0"), ("~16.20", "~22.0"), ("=18.16.1", "=22.14.0"),
    (">=18", None), (">=14 <23", None), ("^20.x || ^22.x", None), ("^14 || ^16", "^14 || ^16 || ^22"),
    (">=14 <17", "22.x"), ("v18", "v22"), ("*", None),
])
def test_engines_node(spec, new):
    from twilint.migrate.node22 import bump_node_range

    assert bump_node_range(spec, 22, "22.14.0") == new


@pytest.mark.parametrize("text,new", [
    ("18", "22"), ("v18", "v22"), ("18.16", "22.14"), ("v18.16.1", "v22.14.0"), ("22", None), ("24", None),
    ("lts/hydrogen", "lts/jod"), ("lts/jod", None), ("lts/*", None), ("node", None), ("^20.x || ^22.x", None),
    ("^18", "22"), ("something", ""),
])
def test_nvmrc(text, new):
    from twilint.migrate.node22 import bump_nvmrc

    assert bump_nvmrc(text, 22, "22.14.0") == new


# -- many projects ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_many_projects_in_one_run(tmp_path):
    n = 0
    for i in range(20):
        for case in CASES:
            shutil.copytree(BASE / case / "before", tmp_path / f"{case}-{i:02d}", symlinks=True)
            n += 1
    t0 = time.perf_counter()
    code, plans, err, _ = migrate([tmp_path])
    elapsed = time.perf_counter() - t0
    assert code == 0, err
    assert len(plans) == n and all(p.changes for p in plans)
    for p in plans:
        case = p.project.name.rsplit("-", 1)[0]
        assert tree(p.project) == tree(BASE / case / "after")
    code, plans, _, _ = migrate([tmp_path], mode="check")
    assert code == 0 and not any(p.changes for p in plans)
    print(f"\nmigrated {n} projects in {elapsed:.1f} s ({elapsed / n * 1000:.0f} ms a project)")


# -- end to end: the real local runtime, before and after ------------------------------------------


def _npm_install(project: Path) -> None:
    r = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--ignore-scripts", "--loglevel=error"],
        cwd=project, capture_output=True, timeout=900,
    )
    assert r.returncode == 0, r.stderr.decode()[-2000:]


def _public_functions(project: Path) -> list[str]:
    out = []
    for p in sorted((project / "functions").rglob("*.js")):
        rel = p.relative_to(project / "functions").as_posix()
        if ".private." in rel or ".protected." in rel:
            continue
        out.append(rel[: -len(".js")])
    return out


def _call_all(base: str, names: list[str]) -> dict:
    from twilio_dev import call

    return {n: call(base, n + ("?Name=Ada" if n in ("greet", "json") else ""), headers={"User-Agent": "twilint-e2e"})
            for n in names}


@pytest.mark.slow
@pytest.mark.npm
def test_end_to_end_with_the_real_local_runtime(tmp_path):
    from twilio_dev import install_twilio_run, serve

    exe = install_twilio_run()
    project = tmp_path / "node18-e2e"
    shutil.copytree(BASE / "node18-e2e" / "before", project)
    names = _public_functions(project)
    assert names == ["agent", "created", "fail", "greet", "hello", "json", "motd", "voice"]

    # before: the project's own dependencies (handler 2.0.3, twilio 4.23.0), installed with npm
    _npm_install(project)
    with serve(exe, project, probe="/hello") as base:
        before = _call_all(base, names)
    shutil.rmtree(project / "node_modules")

    code, (plan,), err, _ = migrate([project])
    assert code == 0, err
    assert json.loads((project / "package.json").read_text())["dependencies"]["@twilio/runtime-handler"] == "2.0.1"

    # after: the migrated pins install from npm (no version the registry lacks) and serve the same
    _npm_install(project)
    installed = json.loads((project / "node_modules/@twilio/runtime-handler/package.json").read_text())
    assert installed["version"] == "2.0.1"
    with serve(exe, project, probe="/hello") as base:
        after = _call_all(base, names)

    assert before == after
    assert before["hello"] == (200, "Hello World!")
    assert before["greet"] == (200, "Hello, Ada!")
    assert before["created"] == (201, "created")
    assert json.loads(before["json"][1]) == {"ok": True, "items": [1, 2, 3], "name": "Ada"}
    assert json.loads(before["agent"][1]) == {"agent": "twilint-e2e"}
    assert before["motd"] == (200, "Migrations are boring when they work.")
    assert "<Say>Thanks for calling!</Say>" in before["voice"][1]
    assert before["fail"][0] == 500
