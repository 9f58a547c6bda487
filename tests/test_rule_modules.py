"""The module and dependency rules (issue 5) on the fixture projects under fixtures/modules."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_fixture, expected_annotations, found_annotations, lint, write_tree

BASE = FIXTURES / "modules"
RULES = {
    "esm-require", "esm-syntax", "undeclared-dependency", "dev-dependency-in-function",
    "native-dependency", "builtin-shadow", "deprecated-node-api",
}
CODE_SUFFIXES = (".js", ".ts")

# Findings outside JS/TS files (package.json, config): fixture -> {(path, line, rule, severity)}
PACKAGE_FINDINGS = {
    "declared": {
        ("package.json", 6, "esm-require", "error"),  # got >=11
        ("package.json", 7, "esm-require", "error"),  # inquirer latest
        ("package.json", 9, "esm-require", "error"),  # node-fetch ^3.3.2
        ("package.json", 11, "esm-require", "error"),  # fetch3 npm:node-fetch@^3
    },
    "n9-node-fetch-v2": set(),
    "node22": {("package.json", 5, "esm-require", "warning")},
    "node20": {("package.json", 5, "esm-require", "error")},
    "installed": {
        ("package.json", 8, "esm-require", "error"),  # node-fetch ^3.0.0 installed 3.3.2
        ("package.json", 12, "native-dependency", "error"),  # gypfile: true
        ("package.json", 13, "native-dependency", "error"),  # binding.gyp
        ("package.json", 14, "native-dependency", "error"),  # install: node-gyp rebuild
        ("package.json", 15, "native-dependency", "error"),  # bcrypt (installed, node-pre-gyp)
    },
    "deps": [  # a list: two findings share a line
        ("package.json", 4, "undeclared-dependency", "error"),  # @scope/dynamic (import())
        ("package.json", 4, "undeclared-dependency", "warning"),  # form-data, hoisted (S6)
        ("package.json", 4, "undeclared-dependency", "warning"),  # lodash: hoisted + "default" claim
        ("package.json", 4, "undeclared-dependency", "error"),  # uuid
        ("package.json", 10, "dev-dependency-in-function", "error"),  # axios
    ],
    "ts-compiled": {("package.json", 6, "esm-require", "error")},
    "bundled": set(),
    "bundled-esm-output": {(".twilioserverlessrc", 2, "esm-syntax", "error")},
    "esm-syntax": set(),
    "deprecated-api": set(),
    "native-shadow": {
        ("package.json", 5, "native-dependency", "error"),  # bcrypt (table)
        ("package.json", 6, "builtin-shadow", "warning"),  # crypto
        ("package.json", 7, "builtin-shadow", "warning"),  # punycode
        ("package.json", 8, "native-dependency", "error"),  # sharp (table)
    },
    "not-twilio": set(),
}
LOCK_FORMATS = ["npm-v1", "npm-v3", "yarn-v1", "yarn-berry", "pnpm-v5", "pnpm-v6", "pnpm-v9"]
for fmt in LOCK_FORMATS:
    PACKAGE_FINDINGS[f"lock-{fmt}"] = {
        ("package.json", 3, "undeclared-dependency", "warning"),  # form-data: transitive in the lockfile
        ("package.json", 5, "esm-require", "error"),  # fetch3 -> node-fetch 3.3.2
        ("package.json", 6, "esm-require", "error"),  # got * -> 12.6.1
    }


def test_every_fixture_is_in_the_table():
    assert {p.name for p in BASE.iterdir() if p.is_dir()} == set(PACKAGE_FINDINGS)


def _code_only(counter: Counter) -> Counter:
    return Counter({k: v for k, v in counter.items() if k[0].endswith(CODE_SUFFIXES)})


@pytest.mark.parametrize("name", sorted(PACKAGE_FINDINGS))
def test_fixture_code_findings_match_annotations(name):
    root = BASE / name
    result, _ = lint([root], select=sorted(RULES))
    internal = [d for d in result.diagnostics if d.rule == "internal-error"]
    assert internal == []
    found = _code_only(found_annotations(result, root, RULES))
    expected = expected_annotations(root)
    expected = Counter({k: v for k, v in expected.items() if "node_modules" not in k[0]})
    assert found == expected


@pytest.mark.parametrize("name", sorted(PACKAGE_FINDINGS))
def test_fixture_package_findings(name):
    root = BASE / name
    result, _ = lint([root], select=sorted(RULES))
    got = sorted(
        (Path(d.path).resolve().relative_to(root.resolve()).as_posix(), d.line, d.rule, d.severity.label)
        for d in result.diagnostics
        if d.rule in RULES and not str(d.path).endswith(CODE_SUFFIXES)
    )
    assert got == sorted(PACKAGE_FINDINGS[name])


def test_positives_really_exist():
    total = sum(sum(expected_annotations(BASE / n).values()) for n in PACKAGE_FINDINGS)
    assert total >= 35


# -- severities and messages ------------------------------------------------------------------


def _diags(root, rule):
    result, _ = lint([root], select=[rule])
    return [d for d in result.diagnostics if d.rule == rule]


def test_runtime_decides_the_esm_require_severity():
    for name, sev in (("node22", "warning"), ("node20", "error"), ("declared", "error")):
        ds = [d for d in _diags(BASE / name, "esm-require") if d.path.suffix == ".js"]
        assert ds and {d.severity.label for d in ds} == {sev}, name
    (warn,) = [d for d in _diags(BASE / "node22", "esm-require") if d.path.suffix == ".js"]
    assert "22.14.0" in warn.message and "`.default`" in warn.message and "§3.3" in warn.message
    (err,) = [d for d in _diags(BASE / "node20", "esm-require") if d.path.suffix == ".js"]
    assert "node20" in err.message and "20.18.3" in err.message


def test_lockfile_version_beats_a_declared_range_that_admits_esm():
    # node-fetch is declared ">=2" (admits 3.x) but every lockfile resolved 2.7.0: not flagged
    for fmt in LOCK_FORMATS:
        ds = _diags(BASE / f"lock-{fmt}", "esm-require")
        assert not any("node-fetch" in d.message and "fetch3" not in d.message for d in ds), fmt
        assert any("got" in d.message and "12.6.1" in d.message for d in ds), fmt


def test_undeclared_site_reports_when_only_a_function_is_named():
    root = BASE / "deps"
    result, _ = lint([root / "functions" / "uses.js"], select=["undeclared-dependency", "dev-dependency-in-function"])
    got = sorted((d.rule, d.line, d.fix is None) for d in result.diagnostics)
    assert got == [
        ("dev-dependency-in-function", 6, True),
        ("undeclared-dependency", 3, True),
        ("undeclared-dependency", 4, True),
        ("undeclared-dependency", 5, True),
        ("undeclared-dependency", 20, True),
    ]


def test_suppressed_require_site_is_not_reported_on_package_json():
    ds = _diags(BASE / "deps", "undeclared-dependency")
    assert not any("vendored-only" in d.message for d in ds)


def test_not_a_twilio_project_is_left_alone():
    result, _ = lint([BASE / "not-twilio"], select=sorted(RULES))
    assert result.diagnostics == []


# -- fixes --------------------------------------------------------------------------------------


def _reparse(path: Path):
    json.loads(path.read_text("utf-8"))


def test_esm_require_pin_fix_changes_only_the_value(tmp_path):
    root = copy_fixture("modules/node20", tmp_path)
    pj = root / "package.json"
    before = pj.read_bytes()
    result, _ = lint([root], select=["esm-require"], mode="fix")
    assert pj.read_bytes() == before  # unsafe: not applied without --unsafe-fixes
    lint([root], select=["esm-require"], mode="fix", unsafe=True)
    after = pj.read_bytes()
    assert after == before.replace(b'"^3.3.2"', b'"^2.7.0"')
    _reparse(pj)
    assert (root / "functions" / "hello.js").read_bytes() == (BASE / "node20" / "functions" / "hello.js").read_bytes()
    assert _diags(root, "esm-require") == []
    lint([root], select=["esm-require"], mode="fix", unsafe=True)
    assert pj.read_bytes() == after


def test_esm_require_pin_fix_keeps_an_alias(tmp_path):
    root = copy_fixture("modules/declared", tmp_path)
    lint([root], select=["esm-require"], mode="fix", unsafe=True)
    data = json.loads((root / "package.json").read_text())["dependencies"]
    assert data["fetch3"] == "npm:node-fetch@^2.7.0"
    assert data["node-fetch"] == "^2.7.0" and data["got"] == "^11.8.6" and data["inquirer"] == "^8.2.7"
    assert data["ora"] == "github:sindresorhus/ora"
    assert _diags(root, "esm-require") == []


def test_esm_require_dynamic_import_fix_snapshot(tmp_path):
    code = (
        "const got = require('got');\n"
        "const other = 1;\n"
        "\n"
        "exports.handler = async function (context, event, callback) {\n"
        "    const body = await got('https://example.com').json();\n"
        "    return callback(null, [body, other]);\n"
        "};\n"
    )
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}\n',
        "functions/a.js": code,
    })
    lint([root], select=["esm-require"], mode="fix", unsafe=True)
    fixed = (root / "functions" / "a.js").read_text()
    assert fixed == (
        "const other = 1;\n"
        "\n"
        "exports.handler = async function (context, event, callback) {\n"
        "    const { default: got } = await import('got');\n"
        "    const body = await got('https://example.com').json();\n"
        "    return callback(null, [body, other]);\n"
        "};\n"
    )
    assert _diags(root, "esm-require") == []
    lint([root], select=["esm-require"], mode="fix", unsafe=True)
    assert (root / "functions" / "a.js").read_text() == fixed


def test_esm_require_dynamic_import_fix_needs_handler_only_use(tmp_path):
    code = (
        "const got = require('got');\n"
        "const client = got.extend({});\n"
        "exports.handler = async (context, event, callback) => callback(null, await client('x'));\n"
    )
    root = write_tree(tmp_path / "p", {"package.json": '{"dependencies": {"twilio": "^5.0.0"}}', "functions/a.js": code})
    (d,) = _diags(root, "esm-require")
    assert d.fix is None and "await import()" in d.message


def test_undeclared_fix_adds_the_locked_version_keeping_format(tmp_path):
    root = copy_fixture("modules/deps", tmp_path)
    pj = root / "package.json"
    before = pj.read_text()
    lint([root], select=["undeclared-dependency"], mode="fix")
    after = pj.read_text()
    # form-data and lodash (versions from package-lock.json) are added in sorted position with
    # the file's 4-space indent; uuid and @scope/dynamic have no known version: no fix
    assert after == before.replace(
        '        "@sendgrid/mail": "^8.1.0",\n',
        '        "@sendgrid/mail": "^8.1.0",\n        "form-data": "^4.0.0",\n        "lodash": "^4.17.21",\n',
    )
    _reparse(pj)
    left = _diags(root, "undeclared-dependency")
    assert sorted(d.message.split("`")[1] for d in left) == ["@scope/dynamic", "uuid"]
    assert all(d.fix is None for d in left)
    lint([root], select=["undeclared-dependency"], mode="fix")
    assert pj.read_text() == after


def test_undeclared_fix_creates_dependencies_when_missing(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{\n\t"name": "p",\n\t"devDependencies": {\n\t\t"twilio-run": "^4.0.0"\n\t}\n}\n',
        "node_modules/qs/package.json": '{"name": "qs", "version": "6.12.1"}',
        "functions/a.js": "const qs = require('qs');\nexports.handler = (c, e, cb) => cb(null, qs);\n",
    })
    lint([root], select=["undeclared-dependency"], mode="fix")
    text = (root / "package.json").read_text()
    assert text == (
        '{\n\t"name": "p",\n\t"devDependencies": {\n\t\t"twilio-run": "^4.0.0"\n\t},\n'
        '\t"dependencies": {\n\t\t"qs": "^6.12.1"\n\t}\n}\n'
    )
    assert _diags(root, "undeclared-dependency") == []


def test_dev_dependency_move_fix(tmp_path):
    root = copy_fixture("modules/deps", tmp_path)
    pj = root / "package.json"
    before = pj.read_text()
    lint([root], select=["dev-dependency-in-function"], mode="fix")
    after = pj.read_text()
    assert after == before.replace('        "axios": "^1.7.0",\n', "").replace(
        '        "@sendgrid/mail": "^8.1.0",\n', '        "@sendgrid/mail": "^8.1.0",\n        "axios": "^1.7.0",\n'
    )
    _reparse(pj)
    assert after.endswith("}\n")
    assert _diags(root, "dev-dependency-in-function") == []
    lint([root], select=["dev-dependency-in-function"], mode="fix")
    assert pj.read_text() == after


def test_dev_dependency_move_of_the_last_entry_keeps_crlf(tmp_path):
    pkg = '{\r\n  "dependencies": {\r\n    "twilio": "^5.0.0"\r\n  },\r\n  "devDependencies": {\r\n    "zod": "^3.0.0"\r\n  }\r\n}\r\n'
    root = write_tree(tmp_path / "p", {
        "package.json": pkg.encode(),
        "functions/a.js": "const z = require('zod');\nexports.handler = (c, e, cb) => cb(null, z);\n",
    })
    lint([root], select=["dev-dependency-in-function"], mode="fix")
    assert (root / "package.json").read_bytes() == (
        b'{\r\n  "dependencies": {\r\n    "twilio": "^5.0.0",\r\n    "zod": "^3.0.0"\r\n  },\r\n'
        b'  "devDependencies": {}\r\n}\r\n'
    )
