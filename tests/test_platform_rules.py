"""Issue 4: runtimes, runtime-handler, Toolkit config, env files (fixtures/platform/ + small trees)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_fixture, found_annotations, lint, run_cli, write_tree

BASE = FIXTURES / "platform"
_EXPECT = re.compile(r"(?://|#)\s*expect:\s*([\w\-, ]+)")
PJ = '{"dependencies": {"@twilio/runtime-handler": "2.0.1", "twilio": "^5.0.3"}}\n'
HANDLER = "exports.handler = function (context, event, callback) {\n  callback(null, 'ok');\n};\n"
RC = '{ "runtime": "node22" }\n'


def annotations(root: Path) -> Counter:
    """`expect:` comments in every file of a fixture (config files included)."""
    out: Counter = Counter()
    for p in sorted(root.rglob("*")):
        if not p.is_file():
            continue
        for i, line in enumerate(p.read_text("utf-8", errors="replace").splitlines(), start=1):
            m = _EXPECT.search(line)
            if m:
                for rule in m.group(1).split(","):
                    if rule.strip():
                        out[(p.relative_to(root).as_posix(), i, rule.strip())] += 1
    return out


def diags(result, rule):
    return [d for d in result.diagnostics if d.rule == rule]


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                    "-C", str(root), *args], check=True, capture_output=True)


# -- deprecated-runtime ------------------------------------------------------------------------

ANNOTATED = ["runtime-json5", "runtime-yaml", "runtime-js", "runtime-scripts", "env-files"]
PLATFORM_RULES = {"deprecated-runtime", "missing-runtime", "oversized-env-var", "reserved-env-name", "pem-key-in-env",
                  "env-key-too-long", "unknown-config-key", "malformed-sid", "config-path-not-found"}


@pytest.mark.parametrize("name", ANNOTATED)
def test_annotated_fixtures(name):
    root = BASE / name
    result, _ = lint([root])
    expected = annotations(root)
    # findings on lines that cannot hold a comment (JSON, inside a multi-line quoted value)
    expected.update({
        "runtime-scripts": [("package.json", 4, "deprecated-runtime")],
        "env-files": [(".env", 9, "pem-key-in-env")],
    }.get(name, []))
    assert found_annotations(result, root, PLATFORM_RULES) == expected


def test_package_json_twilioserverless_scopes():
    result, _ = lint([BASE / "runtime-pkg"], select=["deprecated-runtime"])
    got = sorted((d.line, d.severity.label, d.file.data[d.start:d.end].decode()) for d in result.diagnostics)
    assert got == [(8, "error", "node18"), (11, "warning", "node20")]


def test_package_json_script_positions():
    result, _ = lint([BASE / "runtime-scripts"], select=["deprecated-runtime"])
    pj = [d for d in result.diagnostics if d.file.path.name == "package.json"]
    assert [(d.line, d.file.data[d.start:d.end]) for d in pj] == [(4, b"node16")]


def test_severities():
    result, _ = lint([BASE / "runtime-json5"], select=["deprecated-runtime"])
    by_text = {d.file.data[d.start:d.end].decode(): d.severity.label for d in result.diagnostics}
    assert by_text == {"node18": "error", "node16": "error", "node20": "warning", "nodejs22": "error", "node14": "error"}
    assert all(d.fix.safety == "unsafe" and d.fix.reason for d in result.diagnostics)


@pytest.mark.parametrize("name,config", [
    ("runtime-json5", ".twilioserverlessrc"),
    ("runtime-yaml", ".twilioserverlessrc.yml"),
    ("runtime-js", ".twilioserverlessrc.js"),
    ("runtime-pkg", "package.json"),
])
def test_fix_splices_only_the_runtime_text(tmp_path, name, config):
    root = copy_fixture(f"platform/{name}", tmp_path)
    before = (root / config).read_bytes()
    lint([root], select=["deprecated-runtime"], mode="fix", unsafe=True)
    after = (root / config).read_bytes()
    # every retired/deprecated id became node22; nothing else changed (comments, quotes, commas)
    expected = re.sub(rb"(?<=['\"` ])(node1[0-9]|node20|nodejs22)(?=['\"`\s,])", b"node22", before)
    expected_lines = [
        line if b"runtime" in line and b"//" not in line.split(b"runtime")[0] and not line.lstrip().startswith(b"#")
        else old
        for line, old in zip(expected.split(b"\n"), before.split(b"\n"))
    ]
    assert after == b"\n".join(expected_lines)
    # re-parses, and a second run changes nothing
    result, _ = lint([root], select=["deprecated-runtime", "parse-error"])
    assert diags(result, "parse-error") == [] and diags(result, "deprecated-runtime") == []
    lint([root], select=["deprecated-runtime"], mode="fix", unsafe=True)
    assert (root / config).read_bytes() == after


def test_fix_in_scripts_ci_and_python(tmp_path):
    root = copy_fixture("platform/runtime-scripts", tmp_path)
    files = ["package.json", "deploy.sh", ".github/workflows/deploy.yml", ".gitlab-ci.yml", "scripts/deploy.py"]
    before = {f: (root / f).read_text() for f in files}
    result, _ = lint([root], select=["deprecated-runtime"], mode="fix", unsafe=True)
    after = {f: (root / f).read_text() for f in files}
    assert after["package.json"] == before["package.json"].replace("--runtime node16", "--runtime node22")
    assert after["deploy.sh"] == before["deploy.sh"].replace("'node18'", "'node22'")
    assert after[".gitlab-ci.yml"] == before[".gitlab-ci.yml"].replace("node18 #", "node22 #")
    assert after["scripts/deploy.py"] == before["scripts/deploy.py"].replace(
        'runtime="node16"', 'runtime="node22"').replace('"Runtime": "node18"', '"Runtime": "node22"')
    assert "node-version: 18" in after[".github/workflows/deploy.yml"]  # setup-node is not a runtime
    result, _ = lint([root], select=["deprecated-runtime"])
    assert result.diagnostics == []


def test_safe_fixes_leave_the_runtime_alone(tmp_path):
    root = copy_fixture("platform/runtime-json5", tmp_path)
    before = (root / ".twilioserverlessrc").read_bytes()
    lint([root], select=["deprecated-runtime"], mode="fix")
    assert (root / ".twilioserverlessrc").read_bytes() == before


def test_platform_config_extends_runtimes(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ, "functions/a.js": HANDLER,
        ".twilioserverlessrc": '{ "runtime": "node20", "environments": { "x": { "runtime": "node23" } } }',
        "twilint.toml": '[platform]\nruntimes-available = ["node20", "node23"]\ndefault-runtime = "node24"\n',
    })
    result, _ = lint([root], select=["deprecated-runtime"])
    assert result.diagnostics == []
    (root / "twilint.toml").write_text('[platform]\nruntimes-retired = ["node22"]\ndefault-runtime = "node24"\n')
    (root / ".twilioserverlessrc").write_text('{ "runtime": "node22" }')
    result, _ = lint([root], select=["deprecated-runtime"])
    (d,) = result.diagnostics
    assert d.severity.label == "error" and d.fix.edits[0].text == b"node24"


def test_python_scripts_without_libcst(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "libcst", None)  # `import libcst` raises ImportError
    result, _ = lint([BASE / "runtime-scripts"], select=["deprecated-runtime"])
    assert not [d for d in result.diagnostics if d.file.path.suffix == ".py"]
    assert not [d for d in result.diagnostics if d.rule == "internal-error"]
    assert len(result.diagnostics) == 4  # package.json, deploy.sh, two CI files


def test_discovery_lists_deploy_scripts_only_outside_functions_and_assets(tmp_path):
    from twilint.project import discover

    root = write_tree(tmp_path / "p", {
        "package.json": PJ, "functions/a.js": HANDLER, "functions/x.sh": "echo\n", "assets/y.py": "x = 1\n",
        "deploy.sh": "echo\n", "tools/deploy.py": "x = 1\n", ".github/workflows/ci.yml": "on: push\n",
        ".github/other.yml": "x: 1\n", ".gitlab-ci.yml": "x: 1\n", "node_modules/p/s.sh": "echo\n",
    })
    (project,) = discover([root]).projects.values()
    kinds = {f.rel: (f.kind, f.role) for f in project.files.values()}
    assert kinds["deploy.sh"] == ("shell", "project")
    assert kinds["tools/deploy.py"] == ("python", "other")
    assert kinds[".github/workflows/ci.yml"] == ("ci-workflow", "other")
    assert kinds[".gitlab-ci.yml"] == ("ci-workflow", "project")
    assert kinds["assets/y.py"] == ("asset", "asset")
    assert "functions/x.sh" not in kinds and ".github/other.yml" not in kinds and "node_modules/p/s.sh" not in kinds


def test_named_package_json_still_sees_root_deploy_scripts(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ, "functions/a.js": HANDLER,
        ".github/workflows/d.yml": "jobs:\n  d:\n    steps:\n      - run: twilio-run deploy --runtime node22\n",
    })
    result, _ = lint([root / "package.json"], select=["missing-runtime"])
    assert result.diagnostics == []


# -- missing-runtime ---------------------------------------------------------------------------


def test_missing_runtime_creates_the_config(tmp_path):
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": HANDLER})
    result, _ = lint([root], select=["missing-runtime"])
    (d,) = result.diagnostics
    assert d.file.path.name == "package.json" and d.fix.create is not None and d.fix.safety == "unsafe"
    # check and diff write nothing
    result, diffs = lint([root], select=["missing-runtime"], mode="diff", unsafe=True)
    assert not (root / ".twilioserverlessrc").exists()
    assert diffs and diffs[0].startswith("--- /dev/null\n+++ ") and '+  "runtime": "node22"' in diffs[0]
    # safe fixes only: nothing
    lint([root], select=["missing-runtime"], mode="fix")
    assert not (root / ".twilioserverlessrc").exists()
    result, _ = lint([root], select=["missing-runtime"], mode="fix", unsafe=True)
    created = root / ".twilioserverlessrc"
    assert created.read_text() == '{\n  "runtime": "node22"\n}\n'
    assert result.diagnostics == [] and [d.rule for d in result.fixed] == ["missing-runtime"]
    assert (created.stat().st_mode & 0o777) == (0o666 & ~_umask())
    result, _ = lint([root], select=["missing-runtime", "parse-error", "deprecated-runtime"], mode="fix", unsafe=True)
    assert created.read_text() == '{\n  "runtime": "node22"\n}\n' and result.diagnostics == [] and not result.fixed


def _umask() -> int:
    import os

    m = os.umask(0)
    os.umask(m)
    return m


def test_creation_refused_when_the_file_appears(tmp_path):
    from twilint.engine import Selection, check_project, facts_for, relint_file
    from twilint.fixes import plan_creations
    from twilint.project import discover
    from twilint.rules import all_rules

    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": HANDLER})
    (project,) = discover([root]).projects.values()
    rules = Selection(["missing-runtime"]).rules_for(project, all_rules())
    facts = facts_for(project)
    ds = check_project(project, rules, facts)
    (root / ".twilioserverlessrc").write_text("{}\n")  # someone created it meanwhile
    planned, refused = plan_creations(project, ds, True, lambda f: relint_file(f, rules, facts))
    assert planned == [] and "already exists" in refused[0][2]
    assert (root / ".twilioserverlessrc").read_text() == "{}\n"


@pytest.mark.parametrize("name,before,after", [
    (".twilioserverlessrc",
     "// keep me\n{\n  // the commands\n  'commands': {},\n  environments: {},\n}\n",
     "// keep me\n{\n  'runtime': \"node22\",\n  // the commands\n  'commands': {},\n  environments: {},\n}\n"),
    (".twilioserverlessrc",
     "{\n    functionsFolder: 'src',\n}\n",
     "{\n    runtime: 'node22',\n    functionsFolder: 'src',\n}\n"),
    (".twilioserverlessrc", "{}\n", '{\n  "runtime": "node22"\n}\n'),
    (".twilioserverlessrc", "{\n  runtime: null, // later\n}\n", '{\n  runtime: "node22", // later\n}\n'),
    (".twilioserverlessrc.yml", "# config\ncommands: {}\n", "# config\nruntime: node22\ncommands: {}\n"),
    (".twilioserverlessrc.yml", "# nothing yet\n", "# nothing yet\nruntime: node22\n"),
    (".twilioserverlessrc.js", "// cfg\nmodule.exports = {\n  commands: {},\n};\n",
     "// cfg\nmodule.exports = {\n  runtime: \"node22\",\n  commands: {},\n};\n"),
])
def test_missing_runtime_edits_keep_the_format(tmp_path, name, before, after):
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": HANDLER, name: before})
    lint([root], select=["missing-runtime"], mode="fix", unsafe=True)
    assert (root / name).read_text() == after
    result, _ = lint([root], select=["missing-runtime", "parse-error"])
    assert result.diagnostics == []


def test_missing_runtime_in_package_json_config(tmp_path):
    pj = '{\n  "dependencies": { "@twilio/runtime-handler": "2.0.1" },\n  "twilioserverless": {\n    "commands": {}\n  }\n}\n'
    root = write_tree(tmp_path / "p", {"package.json": pj, "functions/a.js": HANDLER})
    lint([root], select=["missing-runtime"], mode="fix", unsafe=True)
    assert (root / "package.json").read_text() == pj.replace('{\n    "commands"', '{\n    "runtime": "node22",\n    "commands"')
    assert not (root / ".twilioserverlessrc").exists()


@pytest.mark.parametrize("files", [
    {".twilioserverlessrc": '{ "environments": { "prod": { "runtime": "node22" } } }'},
    {".twilioserverlessrc.yml": "commands:\n  deploy:\n    runtime: node22\n"},
    {"deploy.sh": "twilio-run deploy --runtime node22\n"},
    {".gitlab-ci.yml": "d:\n  script:\n    - twilio-run deploy --runtime=node22\n"},
    {"scripts/deploy.py": "c.serverless.v1.services('ZS').builds.create(runtime='node22')\n"},
    {"functions/a.js": None, "assets/index.html": "<p>assets only</p>"},  # Assets-only service
])
def test_missing_runtime_negatives(tmp_path, files):
    tree = {"package.json": PJ, "functions/a.js": HANDLER, **files}
    root = write_tree(tmp_path / "p", {k: v for k, v in tree.items() if v is not None})
    result, _ = lint([root], select=["missing-runtime"])
    assert result.diagnostics == []


def test_missing_runtime_not_for_other_projects(tmp_path):
    root = write_tree(tmp_path / "p", {"package.json": '{"dependencies": {"express": "^4"}}', "src/app.js": "x\n"})
    result, _ = lint([root], select=["missing-runtime", "missing-runtime-handler"])
    assert result.diagnostics == []


# -- runtime-handler ---------------------------------------------------------------------------

EVENT_REQUEST = "exports.handler = (context, event, callback) => callback(null, event.request.headers.host);\n"


@pytest.mark.parametrize("version,files,severity,fix", [
    ("2.0.3", {}, "error", "2.0.1"),
    ("2.1.0", {}, "error", "2.0.1"),
    ("2.0.2", {}, "warning", "2.0.1"),
    ("9.9.9", {}, "warning", "2.0.1"),
    ("1.1.3", {"functions/a.js": EVENT_REQUEST}, "error", "2.0.1"),
    # `request` spelled with an escape: the byte pre-filter must still read the file
    ("1.1.3", {"functions/a.js": "exports.handler = (c, event, cb) => cb(null, event['\\x72equest'].headers.host);\n"}, "error", "2.0.1"),
    ("1.1.3", {"functions/a.js": "exports.handler = (c, e, cb) => { const r = new Twilio.Response(); r.setCookie('a', 'b'); cb(null, r); };\n"}, "error", "2.0.1"),
    ("1.1.3", {".twilioserverlessrc": '{ "runtime": "node24" }'}, "error", "2.0.1"),
    ("1.2.0", {".twilioserverlessrc": '{ "runtime": "node24" }', "functions/a.js": EVENT_REQUEST}, None, None),  # auto-upgraded
    ("1.1.3", {}, None, None),
    ("2.0.1", {"functions/a.js": EVENT_REQUEST}, None, None),
    ("2.1.2", {".twilioserverlessrc": '{ "runtime": "node24" }'}, None, None),
    ("^2.0.3", {}, None, None),  # a range: unpinned-runtime-handler's business
])
def test_runtime_handler_version(tmp_path, version, files, severity, fix):
    tree = {"package.json": '{"dependencies": {"@twilio/runtime-handler": "%s"}}' % version,
            "functions/a.js": HANDLER, **files}
    root = write_tree(tmp_path / "p", tree)
    result, _ = lint([root], select=["runtime-handler-version"])
    if severity is None:
        assert result.diagnostics == []
        return
    (d,) = result.diagnostics
    assert d.severity.label == severity
    assert d.fix.safety == "unsafe" and d.fix.edits[0].text == f'"{fix}"'.encode()


def test_rejected_list_is_configurable(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.3"}}', "functions/a.js": HANDLER,
        "twilint.toml": '[platform]\nruntime-handler-versions = ["2.0.3"]\n',
    })
    result, _ = lint([root], select=["runtime-handler-version"])
    assert result.diagnostics == []


@pytest.mark.parametrize("pj,expected", [
    ('{"dependencies": {"twilio": "^5"}}', '{"dependencies": {"@twilio/runtime-handler": "2.0.1", "twilio": "^5"}}'),
    ('{\n  "name": "x",\n  "dependencies": {\n    "twilio": "^5"\n  }\n}\n',
     '{\n  "name": "x",\n  "dependencies": {\n    "@twilio/runtime-handler": "2.0.1",\n    "twilio": "^5"\n  }\n}\n'),
    ('{\n  "name": "x",\n  "dependencies": {},\n  "devDependencies": { "twilio-run": "^4" }\n}\n',
     '{\n  "name": "x",\n  "dependencies": {\n    "@twilio/runtime-handler": "2.0.1"\n  },\n  "devDependencies": { "twilio-run": "^4" }\n}\n'),
])
def test_missing_runtime_handler(tmp_path, pj, expected):
    root = write_tree(tmp_path / "p", {"package.json": pj, "functions/a.js": HANDLER})
    result, _ = lint([root], select=["missing-runtime-handler"])
    (d,) = result.diagnostics
    assert d.severity.label == "info"
    lint([root], select=["missing-runtime-handler"], mode="fix", unsafe=True)
    assert (root / "package.json").read_text() == expected
    result, _ = lint([root], select=["missing-runtime-handler", "parse-error"])
    assert result.diagnostics == []


def test_dev_only_runtime_handler(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{"devDependencies": {"@twilio/runtime-handler": "2.0.1"}}', "functions/a.js": HANDLER})
    result, _ = lint([root], select=["dev-only-runtime-handler", "missing-runtime-handler"])
    assert [(d.rule, d.severity.label) for d in result.diagnostics] == [("dev-only-runtime-handler", "error")]


def test_too_many_dependencies(tmp_path):
    deps = ", ".join(f'"p{i}": "1.0.0"' for i in range(101))
    pj = '{"dependencies": {%s}, "devDependencies": {"twilio-run": "^4"}}'
    root = write_tree(tmp_path / "p", {"package.json": pj % deps, "functions/a.js": HANDLER})
    result, _ = lint([root], select=["too-many-dependencies"])
    assert len(result.diagnostics) == 1 and "101 npm modules" in result.diagnostics[0].message
    deps = ", ".join(f'"p{i}": "1.0.0"' for i in range(100))
    (root / "package.json").write_text(pj % deps)
    assert lint([root], select=["too-many-dependencies"])[0].diagnostics == []


# -- config files ------------------------------------------------------------------------------

SID = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize("config,expected", [
    ('{ runtime: "node22", functionsFolderName: "dist", }', [("unknown-config-key", "functionsFolderName", "functionsFolder")]),
    ("runtime: node22\nservice-sid: ZS%s\n" % SID, [("unknown-config-key", "service-sid", "serviceSid")]),
    ('{ "runtime": "node22", "functionsEnv": "dev" }', [("unknown-config-key", "functionsEnv", "environment")]),
    ('{ "runtime": "node22", "ServiceName": "x" }', [("unknown-config-key", "ServiceName", "serviceName")]),
    ('{ "runtime": "node22", "pkgJson": true }', [("unknown-config-key", "pkgJson", None)]),
    ('{ "runtime": "node22", "commands": { "deplyo": { "force": true } } }', [("unknown-config-key", "deplyo", "deploy")]),
    ('{ "runtime": "node22", "environments": { "prod": { "commands": {} } } }', [("unknown-config-key", "commands", None)]),
    ('{ "runtime": "node22", "environments": { "prod": { "serviceSid": "ZS1" } } }', [("malformed-sid", '"ZS1"', None)]),
    ('{ "runtime": "node22", "projects": { "AC123": { "env": ".env" } } }', [("malformed-sid", '"AC123"', None)]),
    ('{ "runtime": "node22", "functionsFolder": "nope" }', [("config-path-not-found", '"nope"', None)]),
    ('{ "runtime": "node22", "assetsFolder": "dist/assets", "functionsFolder": "functions" }', []),
    ('{ "runtime": "node22", "environments": { "prod": { "env": ".env.missing" } } }', [("config-path-not-found", '".env.missing"', None)]),
    ('{ "runtime": "node22", "commands": { "deploy": { "loadSystemEnv": true } } }', [("load-system-env-without-env", "true", None)]),
    ('{ "runtime": "node22", "env": ".env", "commands": { "deploy": { "loadSystemEnv": true } } }', []),
    ('{ "$schema": "x", "runtime": "node22", "logLevel": "debug", "commands": { "deploy": { "serviceSid": "ZS%s" } }, '
     '"projects": { "AC%s:ie1": { "serviceSid": "ZS%s" } } }' % (SID, SID, SID), []),
])
def test_config_rules(tmp_path, config, expected):
    name = ".twilioserverlessrc.yml" if config.startswith("runtime:") else ".twilioserverlessrc"
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": HANDLER, ".env": "A=1\n", name: config})
    rules = ["unknown-config-key", "malformed-sid", "config-path-not-found", "load-system-env-without-env"]
    result, _ = lint([root], select=rules)
    got = []
    for d in result.diagnostics:
        text = d.file.data[d.start:d.end].decode().strip("\"'")
        rename = d.fix.edits[0].text.decode() if d.fix else None
        got.append((d.rule, text if d.rule == "unknown-config-key" else d.file.data[d.start:d.end].decode(), rename))
    assert got == [(r, t, f) for r, t, f in expected]


def test_unknown_key_fix_keeps_quotes_and_comments(tmp_path):
    before = "// cfg\n{\n  'functionsFolderName': 'src', // where\n  runtime: 'node22',\n}\n"
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": HANDLER, ".twilioserverlessrc": before})
    lint([root], select=["unknown-config-key"], mode="fix", unsafe=True)
    assert (root / ".twilioserverlessrc").read_text() == before.replace("'functionsFolderName'", "'functionsFolder'")


def test_env_path_ignored_by_git_is_fine(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ, "functions/a.js": HANDLER, ".gitignore": ".env.prod\n",
        ".twilioserverlessrc": '{ "runtime": "node22", "environments": { "*": { "env": ".env.prod" } } }'})
    git(root, "init", "-q")
    result, _ = lint([root], select=["config-path-not-found"])
    assert result.diagnostics == []


def test_multiple_config_files(tmp_path):
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": HANDLER,
                                       ".twilioserverlessrc": RC, ".twilioserverlessrc.yml": "runtime: node18\n"})
    result, _ = lint([root], select=["multiple-config-files", "deprecated-runtime"])
    (d,) = result.diagnostics  # the ignored YAML's node18 is not deployed: not deprecated-runtime's
    assert d.rule == "multiple-config-files" and d.file.path.name == ".twilioserverlessrc.yml"


def test_legacy_config(tmp_path):
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": HANDLER, ".twilioserverlessrc": RC,
                                       ".twilio-functions": '{"serviceSid": "ZS%s"}' % SID})
    result, _ = lint([root], select=["legacy-config"])
    assert [d.severity.label for d in result.diagnostics] == ["warning"]
    assert "twilio-upgrade-config" in result.diagnostics[0].message


@pytest.mark.parametrize("content,count", [
    ('{"AC%s:us1": {"serviceSid": "ZS%s", "latestBuild": "ZB%s"}}' % (SID, SID, SID), 0),
    ('{"AC%s": {"serviceSid": "ZS%s"}}' % (SID, SID), 0),
    ('{"AC%s": {"serviceSid": "ZB%s", "latestBuild": "ZS%s"}}' % (SID, SID, SID), 2),
    ('{"me": {"serviceSid": "ZS%s"}}' % SID, 1),
    ('{"AC%s": "ZS%s"}' % (SID, SID), 1),
])
def test_invalid_deployinfo(tmp_path, content, count):
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": HANDLER, ".twiliodeployinfo": content})
    result, _ = lint([root], select=["invalid-deployinfo"])
    assert len(result.diagnostics) == count


def test_tracked_files(tmp_path):
    creds = "ACCOUNT_SID=AC%s\nAUTH_TOKEN=%s\n" % (SID, SID)
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": HANDLER, ".env": creds,
                                       ".env.example": "ACCOUNT_SID=ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nAUTH_TOKEN=\n",
                                       ".twiliodeployinfo": '{"AC%s": {"serviceSid": "ZS%s"}}' % (SID, SID)})
    rules = ["tracked-env-credentials", "tracked-deployinfo"]
    assert lint([root], select=rules)[0].diagnostics == []  # no git repository
    git(root, "init", "-q")
    assert lint([root], select=rules)[0].diagnostics == []  # untracked
    git(root, "add", "-A")
    result, _ = lint([root], select=rules)
    got = sorted((d.rule, d.file.path.name, d.severity.label) for d in result.diagnostics)
    assert got == [("tracked-deployinfo", ".twiliodeployinfo", "info"),
                   ("tracked-env-credentials", ".env", "error"), ("tracked-env-credentials", ".env", "error")]
    assert not any(SID in d.message for d in result.diagnostics)


# -- env files ---------------------------------------------------------------------------------


def test_env_values_never_leak(tmp_path):
    # Messages and the JSON report carry keys and sizes only. (The text report's code frames
    # quote source lines, .env lines included: see the issue-4 notes; `--quiet` drops frames.)
    root = copy_fixture("platform/env-files", tmp_path)
    for args in (("--format", "json"), ("--quiet",)):
        r = run_cli("check", *args, "--select",
                    "oversized-env-var,pem-key-in-env,reserved-env-name,env-key-too-long,undefined-context-var", str(root))
        output = r.stdout + r.stderr
        assert b"oversized-env-var" in output
        assert b"S3CRET" not in output and b"/usr/local/bin" not in output


def test_env_sizes_match_json_stringify():
    from twilint.serverless import json_size, uploaded_variables
    from twilint.sources.dotenv import parse_env

    env = parse_env(b'ACCOUNT_SID=AC1\r\nAUTH_TOKEN=t\r\nexport A="x\ny"\r\nB=\r\nC=\xc3\xa9 # c\r\nC=\xc3\xa9\xc3\xa9\r\n')
    up = uploaded_variables(env)
    assert up == {"A": "x\ny", "C": "\u00e9\u00e9"}
    assert json_size(up) == len('{"A":"x\\ny","C":"\u00e9\u00e9"}'.encode())


def test_oversized_only_for_uploaded_files(tmp_path):
    big = "V=" + "x" * 451 + "\n"
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": HANDLER, ".twilioserverlessrc": RC,
                                       ".env.example": big, ".env.local": big, "env/.env.ci": big})
    assert lint([root], select=["oversized-env-var"])[0].diagnostics == []
    pj = '{"scripts": {"deploy": "twilio-run deploy --env env/.env.ci"}, "dependencies": {"@twilio/runtime-handler": "2.0.1"}}'
    (root / "package.json").write_text(pj)
    result, _ = lint([root], select=["oversized-env-var"])
    assert [d.file.rel for d in result.diagnostics] == ["env/.env.ci"]


@pytest.mark.parametrize("code,env,flagged", [
    ("callback(null, context.GREETING);", "GREETING=hi\n", []),
    ("callback(null, context.GREETING);", "OTHER=1\n", ["GREETING"]),
    ("const { API_KEY, DOMAIN_NAME } = context; callback(null, API_KEY);", "X=1\n", ["API_KEY"]),
    ("callback(null, context.OPTIONAL || 'x');", "X=1\n", []),
    ("if (context.FEATURE) {} callback(null, context.getTwilioClient());", "X=1\n", []),
    ("callback(null, context.SERVICE_SID + context.TWILIO_REGION + context.PATH);", "X=1\n", []),
    ("callback(null, context.helperValue);", "X=1\n", []),
    ("callback(null, context.GREETING);", None, []),  # no env file in the checkout
])
def test_undefined_context_var(tmp_path, code, env, flagged):
    fn = "exports.handler = function (context, event, callback) {\n  %s\n};\n" % code
    files = {"package.json": PJ, "functions/a.js": fn, ".twilioserverlessrc": RC}
    if env is not None:
        files[".env"] = env
    root = write_tree(tmp_path / "p", files)
    result, _ = lint([root], select=["undefined-context-var"])
    assert [d.file.data[d.start:d.end].decode() for d in result.diagnostics] == flagged


def test_undefined_context_var_uses_every_selected_env_file(tmp_path):
    fn = "exports.handler = (context, event, callback) => callback(null, context.PROD_ONLY);\n"
    rc = '{ "runtime": "node22", "environments": { "*": { "env": ".env.prod" } } }'
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": fn, ".twilioserverlessrc": rc,
                                       ".env": "A=1\n", ".env.prod": "PROD_ONLY=1\n"})
    assert lint([root], select=["undefined-context-var"])[0].diagnostics == []
    (root / ".env.prod").unlink()  # missing from the checkout: say nothing
    assert lint([root], select=["undefined-context-var"])[0].diagnostics == []


def test_runtime_handler_version_compares_as_semver_does():
    """The plain-version shortcut of runtime-handler-version's comparison gives semver's answer
    (and its ValueError) for every pair, and orders versions as semver.Version does."""
    import functools

    import semver

    from twilint.rules import runtime_handler_version as rhv

    versions = ["0.0.0", "1.2.3", "1.10.0", "1.9.9", "2.0.1", "2.0.10", "10.0.0", "1.2.3-beta.1", "1.2.3-beta.2",
                "1.2.3-alpha", "1.2.3+build.5", "1.2.3-rc.1+b", "01.2.3", "v1.2.3", "1.2", " 1.2.3", "1.2.3 ",
                "=1.2.3", "1.2.x", "", "１.2.3"]

    def reference(a, b):
        return semver.Version.parse(a).compare(semver.Version.parse(b))

    for a in versions:
        for b in versions:
            try:
                want = reference(a, b)
            except ValueError:
                with pytest.raises(ValueError):
                    rhv._cmp(a, b)
                continue
            assert rhv._cmp(a, b) == want, (a, b)
    valid = [v for v in versions if semver.Version.is_valid(v)]
    assert len(valid) >= 10
    assert sorted(valid, key=rhv._key) == sorted(valid, key=functools.cmp_to_key(reference))
