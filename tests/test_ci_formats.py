"""--format sarif | github | junit | gitlab: real CLI output, validated against each format's rules."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import REPO, copy_fixture, run_cli, write_tree

SARIF_SCHEMA = REPO.parent / "shared" / "data" / "sarif-schema-2.1.0.json"
PJ_RANGE = '{"dependencies": {"@twilio/runtime-handler": "^2.0.1"}}'
PJ_OK = '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}'
# Other rules come and go; the counts below are about these two.
SEL = ("--select", "lowercase-header-access,unpinned-runtime-handler")


ODD = "exports.handler = (c, e, cb) => cb(null, e.request.headers['X-100%'])\n"
ODD_COL = ODD.index("'X-100%'") + 1
BOM = b"\xef\xbb\xbfexports.handler = (c, e, cb) => cb(null, e.request.headers.Caf\xc3\xa9);\n"


def _sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the official SARIF 2.1.0 schema is not at {SARIF_SCHEMA} (../shared/data/ from the repo root)")
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _project(tmp_path):
    """The example project plus a file whose path and message need escaping, a BOM file and a
    config error in a second project."""
    root = copy_fixture("example", tmp_path)
    write_tree(root, {"functions/odd,name:x.js": ODD, "functions/bom.js": BOM})
    return root


def test_sarif_validates_against_the_official_schema(tmp_path):
    validator = _sarif_validator()
    root = _project(tmp_path)
    r = run_cli("check", *SEL, "--format", "sarif", ".", cwd=root)
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "twilint" and driver["version"] and driver["informationUri"].startswith("https://")
    from twilint.rules import all_rules

    ids = [r["id"] for r in driver["rules"]]
    assert set(all_rules()) <= set(ids) and {"io-error", "internal-error"} <= set(ids)
    lha = driver["rules"][ids.index("lowercase-header-access")]
    assert lha["shortDescription"]["text"] and lha["fullDescription"]["text"].startswith("Flags a read")
    assert "## Why" in lha["help"]["markdown"] and lha["helpUri"].endswith("/rules/lowercase-header-access")
    assert lha["defaultConfiguration"]["level"] == "error"
    assert run["columnKind"] == "unicodeCodePoints"

    results = run["results"]
    assert len(results) == 5
    for res in results:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not loc["artifactLocation"]["uri"].startswith(("/", "file:"))
        assert re.fullmatch(r"[0-9a-f]{32}", res["partialFingerprints"]["twilint/v1"])
    by_uri = {res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: res for res in results}
    odd = by_uri["functions/odd%2Cname%3Ax.js"]
    col = ODD.index("'X-100%'") + 1
    assert odd["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1, "startColumn": col, "endLine": 1, "endColumn": col + len("'X-100%'")}
    # a fix: line/column always; byte offsets only where they are the file's own bytes (no BOM)
    repl = odd["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert repl["insertedContent"]["text"] == "'x-100%'"
    assert repl["deletedRegion"]["byteOffset"] == col - 1 and repl["deletedRegion"]["byteLength"] == 8
    assert odd["fixes"][0]["properties"]["safety"] == "safe"
    bom = by_uri["functions/bom.js"]["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
    bcol = BOM.decode("utf-8-sig").index("Caf\u00e9") + 1
    assert "byteOffset" not in bom and bom["startColumn"] == bcol and bom["endColumn"] == bcol + 4
    # the fix applies: splice the replacement at the byte offset
    data = (root / "functions/odd,name:x.js").read_bytes()
    d = repl["deletedRegion"]
    assert data[d["byteOffset"]:d["byteOffset"] + d["byteLength"]] == b"'X-100%'"
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_fingerprints_are_stable_when_lines_move_and_config_errors_are_notifications(tmp_path):
    validator = _sarif_validator()
    root = copy_fixture("example", tmp_path)

    def fps():
        doc = json.loads(run_cli("check", *SEL, "--format", "sarif", ".", cwd=root).stdout)
        return doc, sorted(r["partialFingerprints"]["twilint/v1"] for r in doc["runs"][0]["results"])

    _, before = fps()
    f = root / "functions/webhook.protected.js"
    f.write_text("// added\n\n" + f.read_text().replace("  ", "    "))  # moved and re-indented
    _, after = fps()
    assert before == after and len(set(before)) == 3
    (root / "twilint.toml").write_text('select = ["no-such-rule"]\n')
    doc, _ = fps()
    assert not list(validator.iter_errors(doc))
    inv = doc["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert "no-such-rule" in inv["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_with_no_findings_validates(tmp_path):
    validator = _sarif_validator()
    root = write_tree(tmp_path / "p", {"package.json": PJ_OK, "functions/a.js": "exports.handler = () => {};\n"})
    r = run_cli("check", *SEL, "--format", "sarif", str(root))
    assert r.returncode == 0
    doc = json.loads(r.stdout)
    assert not list(validator.iter_errors(doc)) and doc["runs"][0]["results"] == []


# -- GitHub workflow commands ---------------------------------------------------------------------

_COMMAND = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def _unescape(text: str, prop: bool) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    for a, b in pairs:
        text = text.replace(a, b)
    return text


def _parse_github(text: str):
    out = []
    for line in text.splitlines():
        if not line.startswith("::"):
            continue
        m = _COMMAND.match(line)
        assert m, line
        props = {}
        if m.group(2):
            for part in m.group(2).split(","):
                k, _, v = part.partition("=")
                assert k in ("file", "line", "col", "endLine", "endColumn", "title"), part
                assert ":" not in v and "," not in v
                props[k] = _unescape(v, True)
        assert "\n" not in m.group(3) and "\r" not in m.group(3)
        out.append((m.group(1), props, _unescape(m.group(3), False)))
    return out


def test_github_annotations_escape_properties_and_data(tmp_path):
    root = _project(tmp_path)
    write_tree(root, {"package.json": '{"devDependencies": {"@twilio/runtime-handler": "^2.0.1"}}'})
    r = run_cli("check", *SEL, "--format", "github", ".", cwd=root)
    assert r.returncode == 1
    text = r.stdout.decode()
    cmds = _parse_github(text)
    assert len(cmds) == 5
    levels = {p["file"]: (lvl, p, msg) for lvl, p, msg in cmds}
    lvl, props, msg = levels["functions/odd,name:x.js"]
    col = ODD.index("'X-100%'") + 1
    assert lvl == "error" and props["line"] == "1" and props["col"] == str(col) and props["endColumn"] == str(col + 8)
    assert props["title"] == "twilint (lowercase-header-access)"
    assert "`X-100%`" in msg and "\nFix (safe, --fix): " in msg
    assert "file=functions/odd%2Cname%3Ax.js," in text and "X-100%25" in text
    assert levels["package.json"][0] == "warning"  # devDependencies: a warning
    assert text.rstrip().splitlines()[-1].startswith("Found 5 problems")


def test_github_escape_functions():
    from twilint.report.github import escape_data, escape_property

    assert escape_data("50%\r\nnext: a,b") == "50%25%0D%0Anext: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    # other control characters are shown, not sent to the log viewer
    assert escape_data("a\x1b]0;t\x07\tb\x9b") == "a\u241b]0;t\u2407\tb\ufffd"


# -- JUnit ----------------------------------------------------------------------------------------


def test_junit_one_suite_per_file_and_failures_for_errors(tmp_path):
    root = _project(tmp_path)
    r = run_cli("check", *SEL, "--format", "junit", ".", cwd=root)
    assert r.returncode == 1
    assert r.stdout.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    tree = ET.fromstring(r.stdout)
    assert tree.tag == "testsuites"
    suites = tree.findall("testsuite")
    names = [s.get("name") for s in suites]
    assert len(names) == len(set(names)) and "functions/hello.js" in names and "package.json" in names
    total = {"tests": 0, "failures": 0, "errors": 0}
    for s in suites:
        cases = s.findall("testcase")
        assert int(s.get("tests")) == len(cases) >= 1
        assert int(s.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(s.get("errors")) == sum(1 for c in cases if c.find("error") is not None)
        for c in cases:
            assert c.get("name") and c.get("classname")
        for k in total:
            total[k] += int(s.get(k))
    for k, v in total.items():
        assert int(tree.get(k)) == v
    assert total["failures"] == 5 and total["errors"] == 0
    hello = suites[names.index("functions/hello.js")].findall("testcase")
    assert len(hello) == 1 and hello[0].get("name") == "twilint" and list(hello[0]) == []
    odd = suites[names.index("functions/odd,name:x.js")].find("testcase")
    assert odd.get("name") == f"lowercase-header-access at 1:{ODD_COL}"
    fail = odd.find("failure")
    assert fail.get("type") == "lowercase-header-access" and "X-100%" in fail.get("message")
    assert fail.text.startswith(f"functions/odd,name:x.js:1:{ODD_COL}: error[lowercase-header-access]")


def test_junit_config_errors_and_info_levels(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ_RANGE,
        "twilint.toml": '[severity]\nunpinned-runtime-handler = "info"\n',
        "functions/a.js": "exports.handler = () => {};\n",
    })
    bad = write_tree(tmp_path / "q", {"package.json": PJ_OK, "twilint.toml": "nope = 1\n"})
    r = run_cli("check", *SEL, "--format", "junit", str(root), str(bad))
    assert r.returncode == 2
    tree = ET.fromstring(r.stdout)
    suites = {s.get("name"): s for s in tree.findall("testsuite")}
    assert suites["twilint"].find("testcase/error").get("type") == "config-error"
    pj = next(s for n, s in suites.items() if n.endswith("package.json"))
    case = pj.find("testcase")
    assert case.find("failure") is None and "unpinned-runtime-handler" in case.find("system-out").text


# -- GitLab Code Quality --------------------------------------------------------------------------

# The fields GitLab's Code Quality report format documents as required
# (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format).
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": "^[^/]"},
                    "lines": {"type": "object", "required": ["begin"],
                              "properties": {"begin": {"type": "integer", "minimum": 1}}},
                },
            },
        },
    },
}


def test_gitlab_code_quality(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    root = _project(tmp_path)
    write_tree(root, {"package.json": '{"devDependencies": {"@twilio/runtime-handler": "^2.0.1"}}'})
    r = run_cli("check", *SEL, "--format", "gitlab", ".", cwd=root)
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, GITLAB_SCHEMA)
    assert len(doc) == 5 and len({i["fingerprint"] for i in doc}) == 5
    sev = {i["location"]["path"]: i["severity"] for i in doc}
    assert sev["package.json"] == "major" and sev["functions/bom.js"] == "critical"
    hdr = next(i for i in doc if i["location"]["path"] == "functions/odd,name:x.js")
    assert hdr["check_name"] == "lowercase-header-access" and hdr["location"]["lines"]["begin"] == 1
    # the same fingerprint as SARIF
    sarif = json.loads(run_cli("check", *SEL, "--format", "sarif", ".", cwd=root).stdout)
    assert sorted(i["fingerprint"] for i in doc) == sorted(
        x["partialFingerprints"]["twilint/v1"] for x in sarif["runs"][0]["results"])
    r = run_cli("check", *SEL, "--format", "gitlab", str(tmp_path / "nothing-here"))
    assert r.returncode == 2 and json.loads(r.stdout) == [] and b"no such file" in r.stderr


def test_output_file_works_for_every_format(tmp_path):
    root = copy_fixture("example", tmp_path)
    for fmt in ("sarif", "github", "junit", "gitlab"):
        out = tmp_path / f"report.{fmt}"
        r = run_cli("check", "--format", fmt, "-o", str(out), ".", cwd=root)
        assert r.returncode == 1 and r.stdout == b"" and out.stat().st_size > 100, fmt
