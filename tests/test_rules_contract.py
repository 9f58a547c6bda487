"""Handler-contract rules: positives and tricky negatives (platform-notes §4.4/§4.5), fixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, copy_fixture, expected_annotations, found_annotations, lint, write_tree

RULES = {
    "callback-before-await", "missing-catch", "callback-not-called", "code-after-callback",
    "await-in-sync-handler", "event-spread-leaks-request",
}
BASE = FIXTURES / "contract"


def test_positives_match_annotations_exactly():
    root = BASE / "positives"
    result, _ = lint([root], select=sorted(RULES))
    expected = expected_annotations(root)
    assert {rule for (_, _, rule) in expected} == RULES  # every rule has positives
    assert found_annotations(result, root, RULES) == expected


def test_negatives_are_clean():
    root = BASE / "negatives"
    result, _ = lint([root], select=sorted(RULES))
    found = [(Path(d.path).name, d.line, d.rule, d.message) for d in result.diagnostics]
    assert found == []
    assert len(list((root / "functions").glob("*.js"))) >= 15


def test_lambda_style_project_is_not_analysed(tmp_path):
    code = (
        "exports.handler = async (event, context, callback) => {\n"
        "  fetch('https://example.com');\n"
        "  callback(null, { statusCode: 200 });\n"
        "};\n"
    )
    root = write_tree(tmp_path / "site", {
        "package.json": '{"devDependencies": {"netlify-cli": "^17.0.0"}}',
        "functions/hello.js": code,
    })
    result, _ = lint([root], select=sorted(RULES))
    assert result.diagnostics == []
    # the same code in a Twilio project is analysed (the negative is not an accident)
    twilio = write_tree(tmp_path / "tw", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}',
        "functions/hello.js": code.replace("(event, context, callback)", "(context, event, callback)"),
    })
    result, _ = lint([twilio], select=sorted(RULES))
    assert [d.rule for d in result.diagnostics] == ["callback-before-await"]


def _fix(tmp_path, name, rule, unsafe=False):
    root = copy_fixture("contract/positives", tmp_path)
    for p in (root / "functions").iterdir():
        if p.name != name:
            p.unlink()
    result, _ = lint([root], select=[rule], mode="fix", unsafe=unsafe)
    return root / "functions" / name, result


def _assert_idempotent_and_parses(path: Path, rule: str, unsafe: bool):
    from twilint import fixes
    from twilint.sources.js import parse_script

    data = path.read_bytes()
    assert not parse_script(data, "javascript").has_error
    assert fixes.strict_validate([(data, data, False)]) == [None]
    result, _ = lint([path.parent.parent], select=[rule], mode="fix", unsafe=unsafe)
    assert result.fixed == [] and path.read_bytes() == data


def test_await_in_sync_handler_fix(tmp_path):
    path, result = _fix(tmp_path, "aish.js", "await-in-sync-handler")
    assert path.read_text().startswith("exports.handler = async function (context, event, callback) {")
    assert result.diagnostics == []
    _assert_idempotent_and_parses(path, "await-in-sync-handler", False)


def test_await_in_sync_arrow_fix(tmp_path):
    path, _ = _fix(tmp_path, "aish-arrow.js", "await-in-sync-handler")
    assert "exports.handler = async (context, event, callback) => {" in path.read_text()
    _assert_idempotent_and_parses(path, "await-in-sync-handler", False)


def test_code_after_callback_safe_fix(tmp_path):
    path, result = _fix(tmp_path, "cac.js", "code-after-callback")
    assert "    return callback(null, 'empty');\n" in path.read_text()
    assert result.diagnostics == []
    _assert_idempotent_and_parses(path, "code-after-callback", False)


def test_code_after_callback_unsafe_fix_needs_the_flag(tmp_path):
    path, result = _fix(tmp_path, "cac-same-block.js", "code-after-callback")
    before = (BASE / "positives/functions/cac-same-block.js").read_text()
    assert path.read_text() == before
    (d,) = result.diagnostics
    assert d.fix.safety == "unsafe" and "would no longer run" in d.fix.reason
    path, result = _fix(tmp_path / "u", "cac-same-block.js", "code-after-callback", unsafe=True)
    assert "      return callback(null, message.sid);\n" in path.read_text()
    _assert_idempotent_and_parses(path, "code-after-callback", True)


def test_missing_catch_fix_appends_catch(tmp_path):
    path, result = _fix(tmp_path, "mc-sync-then.js", "missing-catch")
    assert ".catch(" not in path.read_text()  # unsafe: not applied by --fix
    path, result = _fix(tmp_path / "u", "mc-sync-then.js", "missing-catch", unsafe=True)
    assert path.read_text().rstrip().endswith(
        ".then((message) => callback(null, message.sid)).catch((err) => callback(err));\n};"
    )
    assert result.diagnostics == []
    _assert_idempotent_and_parses(path, "missing-catch", True)


def test_missing_catch_try_return_fix_adds_await(tmp_path):
    path, result = _fix(tmp_path, "mc-try-return.js", "missing-catch", unsafe=True)
    assert "    return await handler(ctx, event, callback);" in path.read_text()
    _assert_idempotent_and_parses(path, "missing-catch", True)


def test_messages_say_what_happens(tmp_path):
    result, _ = lint([BASE / "positives"], select=sorted(RULES))
    by_rule = {}
    for d in result.diagnostics:
        by_rule.setdefault(d.rule, []).append(d.message)
    assert any("10-second limit" in m for m in by_rule["missing-catch"])
    assert any("pending" in m and "line 3" in m for m in by_rule["callback-before-await"])
    assert any("called again" in m for m in by_rule["code-after-callback"])
    assert any("SyntaxError" in m for m in by_rule["await-in-sync-handler"])
