"""Issue 6: requests and responses, Runtime helpers, context and security rules.

Fixtures: fixtures/{requests,runtime-helpers,context,security}/ (positives with `// expect:`
annotations, tricky negatives, and fix snapshots in positives-fixed/).
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_fixture, expected_annotations, found_annotations, lint, run_cli, write_tree

REQUESTS = ["restricted-header", "header-multivalue", "cookie-case", "cookie-attributes", "non-string-header-value",
            "unsupported-cors-method", "invalid-mime-type", "response-content-type"]
RUNTIME = ["runtime-asset-key", "runtime-function-key"]
CONTEXT = ["twilio-prefixed-context-var", "process-env-in-function", "unguarded-service-sid"]
SECURITY = ["hardcoded-credential", "unprotected-webhook", "public-secret-asset", "duplicate-path"]
ALL = REQUESTS + RUNTIME + CONTEXT + SECURITY
PJ = '{"dependencies": {"@twilio/runtime-handler": "2.0.1", "twilio": "^5.0.3"}}'

# Findings on files that cannot hold `// expect:` comments (JSON, HTML, text, binary).
SECURITY_TABLE = Counter({
    ("assets/config.json", 1, "public-secret-asset"): 1,
    ("assets/google-credentials.json", 1, "public-secret-asset"): 1,
    ("assets/oauth.json", 1, "public-secret-asset"): 1,
    ("assets/server.key", 1, "public-secret-asset"): 1,
    ("assets/signing.pem", 1, "public-secret-asset"): 1,
    ("assets/index.html", 2, "hardcoded-credential"): 1,
    ("assets/notes.txt", 2, "hardcoded-credential"): 1,
    ("assets/logo.private.png", 1, "duplicate-path"): 1,
})


@pytest.mark.parametrize("area", ["requests", "runtime-helpers", "context", "security"])
def test_positives_match_annotations_exactly(area):
    root = FIXTURES / area / "positives"
    result, _ = lint([root], select=ALL)
    expected = expected_annotations(root)
    if area == "security":
        expected += SECURITY_TABLE
    found = found_annotations(result, root)
    assert found == expected
    # every rule of the area has positives
    rules = {"requests": REQUESTS, "runtime-helpers": RUNTIME, "context": CONTEXT, "security": SECURITY}[area]
    assert {r for (_, _, r) in found} == set(rules)
    assert not [d for d in result.diagnostics if d.rule in ("internal-error", "parse-error")]


@pytest.mark.parametrize("area", ["requests", "runtime-helpers", "context", "security"])
def test_tricky_negatives_are_clean(area):
    root = FIXTURES / area / "negatives"
    result, _ = lint([root], select=ALL)
    assert [(Path(d.path).name, d.line, d.rule, d.message) for d in result.diagnostics] == []


def test_rules_do_nothing_outside_a_twilio_project(tmp_path):
    # The same code in a Netlify site (Lambda-style functions folder) is not Twilio code.
    for area in ("requests", "runtime-helpers", "context", "security"):
        root = tmp_path / area
        shutil.copytree(FIXTURES / area / "positives", root)
        (root / "package.json").write_text('{"dependencies": {"netlify-lambda": "^2.0.0"}}')
        (root / "netlify.toml").write_text("[build]\n")
        result, _ = lint([root], select=ALL)
        assert [(d.rule, Path(d.path).name) for d in result.diagnostics] == [], area


def test_binary_assets_are_not_parse_errors(tmp_path):
    # Rules that read Assets must not make images count as undecodable text.
    root = write_tree(tmp_path / "p", {
        "package.json": PJ,
        "assets/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
        "assets/sound.mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb",
        "functions/a.js": "exports.handler = (c, e, cb) => cb(null, 'ok');\n",
    })
    result, _ = lint([root], select=ALL)
    assert result.diagnostics == []
    result, _ = lint([root])
    assert [d for d in result.diagnostics if d.rule == "parse-error"] == []


# -- fixes ----------------------------------------------------------------------------------


def _check_fixed(root: Path, snapshot_dir: Path, names: list[str], unsafe: bool):
    from twilint.sources.js import parse_script

    for n in names:
        fixed = (root / "functions" / n).read_bytes()
        assert fixed == (snapshot_dir / n).read_bytes(), n
        assert not parse_script(fixed, "javascript").has_error, n
    before = {p: p.read_bytes() for p in (root / "functions").rglob("*.js")}
    result2, _ = lint([root], select=ALL, mode="fix", unsafe=unsafe)
    assert result2.fixed == []
    assert {p: p.read_bytes() for p in (root / "functions").rglob("*.js")} == before


def test_requests_fix_snapshot_reparse_and_idempotent(tmp_path):
    root = copy_fixture("requests/positives", tmp_path)
    result, _ = lint([root], select=ALL, mode="fix")
    _check_fixed(root, FIXTURES / "requests" / "positives-fixed", ["cookies.js", "responses.js"], unsafe=False)
    # what remains has no fix: cookie-case (unsafe), objects, an unknown media type, chained
    # declarations and TwiML with a non-XML type
    left = Counter(d.rule for d in result.diagnostics)
    assert left == Counter({"restricted-header": 9, "header-multivalue": 4, "cookie-case": 4,
                            "non-string-header-value": 4, "invalid-mime-type": 1, "response-content-type": 2,
                            "unsupported-cors-method": 1})
    assert all(d.fix is None or d.fix.safety == "unsafe" for d in result.diagnostics)


def test_runtime_fix_snapshot_reparse_and_idempotent(tmp_path):
    root = copy_fixture("runtime-helpers/positives", tmp_path)
    result, _ = lint([root], select=ALL, mode="fix")
    _check_fixed(root, FIXTURES / "runtime-helpers" / "positives-fixed", ["keys.js"], unsafe=False)
    remaining = sorted((d.line, d.rule) for d in result.diagnostics)
    # ambiguous extension, public and protected Assets, missing Asset, missing Function
    assert remaining == [(7, "runtime-asset-key"), (8, "runtime-asset-key"), (9, "runtime-asset-key"),
                         (10, "runtime-asset-key"), (24, "runtime-function-key")]


def test_context_unsafe_fix_snapshot_reparse_and_idempotent(tmp_path):
    root = copy_fixture("context/positives", tmp_path)
    lint([root], select=ALL, mode="fix", unsafe=True)
    _check_fixed(root, FIXTURES / "context" / "positives-fixed", ["context.js"], unsafe=True)


def test_context_fixes_are_unsafe_only(tmp_path):
    root = copy_fixture("context/positives", tmp_path)
    before = (root / "functions" / "context.js").read_bytes()
    lint([root], select=ALL, mode="fix")
    assert (root / "functions" / "context.js").read_bytes() == before


def test_cookie_case_fix_is_unsafe_and_keeps_binding(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ,
        "functions/a.js": (
            "exports.handler = (c, e, cb) => {\n"
            "  const { sessionid } = e.request.cookies;\n"
            "  const r = new Twilio.Response();\n"
            "  r.setCookie('sessionId', 'x');\n"
            "  return cb(null, sessionid ? r : 'no');\n"
            "};\n"),
    })
    lint([root], select=["cookie-case"], mode="fix")
    assert "{ sessionid }" in (root / "functions/a.js").read_text()
    lint([root], select=["cookie-case"], mode="fix", unsafe=True)
    assert "{ sessionId: sessionid }" in (root / "functions/a.js").read_text()


def test_response_content_type_fix_keeps_crlf_and_indent(tmp_path):
    src = ("exports.handler = (c, e, cb) => {\r\n"
           "    const res = new Twilio.Response(); // reply\r\n"
           "    res.setBody({ ok: true });\r\n"
           "    return cb(null, res);\r\n"
           "};\r\n")
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": src})
    lint([root], select=["response-content-type"], mode="fix")
    assert (root / "functions/a.js").read_bytes() == (
        b"exports.handler = (c, e, cb) => {\r\n"
        b"    const res = new Twilio.Response(); // reply\r\n"
        b"    res.appendHeader('Content-Type', 'application/json');\r\n"
        b"    res.setBody({ ok: true });\r\n"
        b"    return cb(null, res);\r\n"
        b"};\r\n")


def test_response_content_type_no_fix_for_mixed_bodies(tmp_path):
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": (
        "exports.handler = (c, e, cb) => {\n"
        "  const res = new Twilio.Response();\n"
        "  if (e.ok) res.setBody({ ok: true }); else res.setBody('plain');\n"
        "  return cb(null, res);\n"
        "};\n")})
    result, _ = lint([root], select=["response-content-type"])
    assert [(d.line, d.fix) for d in result.diagnostics] == [(3, None)]


# -- Runtime helpers ------------------------------------------------------------------------


def test_runtime_keys_resolve_when_only_one_file_is_named(tmp_path):
    # pre-commit passes only the changed file: the Assets and Functions still come from disk
    root = copy_fixture("runtime-helpers/negatives", tmp_path)
    result, _ = lint([root / "functions" / "keys.js"], select=RUNTIME)
    assert result.diagnostics == []
    root = copy_fixture("runtime-helpers/positives", tmp_path / "pos")
    result, _ = lint([root / "functions" / "keys.js"], select=RUNTIME)
    assert len(result.diagnostics) == 20


def test_runtime_asset_key_not_reported_missing_without_assets_folder(tmp_path):
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": (
        "exports.handler = (c, e, cb) => cb(null, Runtime.getAssets()['/uploaded-elsewhere.json'].path);\n")})
    result, _ = lint([root], select=RUNTIME)
    assert result.diagnostics == []


def test_runtime_keys_follow_functions_and_assets_folders_from_config(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ,
        ".twilioserverlessrc": "{ functionsFolder: 'handlers', assetsFolder: 'public' }\n",
        "public/data.private.json": "{}\n",
        "handlers/util.private.js": "exports.x = 1;\n",
        "handlers/a.js": ("exports.handler = (c, e, cb) => cb(null, [\n"
                          "  Runtime.getAssets()['/data.json'].path,\n"
                          "  Runtime.getFunctions()['util'].path,\n"
                          "  Runtime.getFunctions()['a'].path,\n"
                          "]);\n"),
    })
    result, _ = lint([root], select=RUNTIME)
    assert result.diagnostics == []


# -- context --------------------------------------------------------------------------------


def test_context_rules_quiet_when_the_deploy_env_file_is_missing(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ,
        ".twilioserverlessrc": '{ "env": ".env.prod" }\n',
        "functions/a.js": "exports.handler = (c, e, cb) => cb(null, c.TWILIO_ACCOUNT_SID);\n",
    })
    result, _ = lint([root], select=["twilio-prefixed-context-var"])
    assert result.diagnostics == []


def test_service_sid_defined_in_env_is_not_flagged(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ,
        ".env": "SERVICE_SID=ZS00000000000000000000000000000000\n",
        "functions/a.js": "exports.handler = (c, e, cb) => cb(null, c.SERVICE_SID.length);\n",
    })
    result, _ = lint([root], select=["unguarded-service-sid"])
    assert result.diagnostics == []


# -- security -------------------------------------------------------------------------------


SECRET_VALUES = [
    "AC3f9d2e8a7b6c5d4e3f2a1b0c9d8e7f6a", "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49", "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    "Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1Ji0Hg9Fe", "Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56", "f0e1d2c3b4a5968778695a4b3c2d1e0f",
    "MIIEowIBAAKCAQEA", "AC0a1b2c3d4e5f60718293a4b5c6d7e8f9", "0a9b8c7d6e5f40312a3b4c5d6e7f8091",
    "AC1234abcd5678ef901234abcd5678ef90", "hunter2-but-longer", "MHcCAQEEI",
]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "gitlab"])
def test_secret_values_never_appear_in_messages(fmt):
    root = FIXTURES / "security" / "positives"
    result, _ = lint([root], select=SECURITY)
    assert result.diagnostics
    for d in result.diagnostics:
        for v in SECRET_VALUES:
            assert v not in d.message
    # the reports a user sees: the machine formats carry no value at all; text output's code
    # frames quote the source line (a report/ concern), so only its diagnostic lines are checked
    r = run_cli("check", str(root), "--select", ",".join(SECURITY), "--format", fmt, "--quiet")
    out = r.stdout.decode()
    assert "hard-coded credential" in out
    if fmt == "text":
        lines = [ln for ln in out.splitlines() if "hard-coded credential" in ln]
        for ln in lines:
            assert not any(v in ln for v in SECRET_VALUES)
    else:
        assert not any(v in out for v in SECRET_VALUES)


def test_duplicate_path_reports_each_later_file(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ,
        "functions/a.js": "exports.handler = (c, e, cb) => cb();\n",
        "functions/a.protected.js": "exports.handler = (c, e, cb) => cb();\n",
        "functions/a.private.js": "exports.x = 1;\n",
        "functions/b/index.js": "exports.handler = (c, e, cb) => cb();\n",
        "functions/b.js": "exports.handler = (c, e, cb) => cb();\n",
    })
    result, _ = lint([root], select=["duplicate-path"])
    assert sorted(Path(d.path).name for d in result.diagnostics) == ["a.private.js", "a.protected.js"]


def test_unprotected_webhook_suggests_protected_name(tmp_path):
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/sms/incoming.js": (
        "exports.handler = (c, e, cb) => cb(null, `${e.From} ${e.MessageSid}`);\n")})
    result, _ = lint([root], select=["unprotected-webhook"])
    assert len(result.diagnostics) == 1 and "incoming.protected.js" in result.diagnostics[0].message


def test_response_content_type_ignores_a_nested_parameter_of_the_same_name(tmp_path):
    root = write_tree(tmp_path / "p", {"package.json": PJ, "functions/a.js": (
        "exports.handler = (c, e, cb) => {\n"
        "  const response = new Twilio.Response();\n"
        "  const toJson = (response) => response.setBody({ ok: true });\n"
        "  response.setBody('ok');\n"
        "  return cb(null, response);\n"
        "};\n")})
    result, _ = lint([root], select=["response-content-type"])
    assert result.diagnostics == []
