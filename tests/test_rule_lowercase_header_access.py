from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, copy_fixture, expected_annotations, found_annotations, lint, write_tree

RULE = "lowercase-header-access"


def test_positives_match_annotations_exactly():
    root = FIXTURES / "headers" / "positives"
    result, _ = lint([root], select=[RULE])
    expected = expected_annotations(root)
    assert sum(expected.values()) >= 20  # the fixture really has positives
    assert found_annotations(result, root, {RULE}) == expected


@pytest.mark.parametrize("name", ["negatives", "lambda-project", "no-evidence"])
def test_tricky_negatives_are_clean(name):
    root = FIXTURES / "headers" / name
    result, _ = lint([root], select=[RULE])
    assert [d for d in result.diagnostics if d.rule == RULE] == []
    # the negatives really contain uppercase header-looking keys, so the rule had work to do
    text = "".join(p.read_text() for p in root.rglob("*.js"))
    assert "headers['" in text or "headers." in text


def test_lambda_project_same_code_is_flagged_in_a_twilio_project(tmp_path):
    # The same file that is a negative in a Netlify site is a positive in a Twilio project:
    # proves the negative comes from project detection, not from the code.
    src = (FIXTURES / "headers" / "lambda-project" / "functions" / "same-order.js").read_text()
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"twilio-run": "^4.0.0"}}',
        "functions/same-order.js": src,
    })
    result, _ = lint([root], select=[RULE])
    assert [(d.rule, d.line) for d in result.diagnostics] == [(RULE, 3)]


def test_fix_output_matches_snapshot_reparses_and_is_idempotent(tmp_path):
    root = copy_fixture("headers/positives", tmp_path)
    result, _ = lint([root], select=[RULE], mode="fix")
    fixed_forms = (root / "functions" / "forms.js").read_text()
    expected = (FIXTURES / "headers" / "positives-fixed" / "forms.js").read_text()
    assert fixed_forms == expected
    # all that remains is the key with an escape sequence, which has no fix
    remaining = [(Path(d.path).name, d.line) for d in result.diagnostics]
    assert remaining == [("forms.js", 21)]
    # every fixed file still parses and a second run changes nothing
    from twilint.sources.js import parse_script

    for p in (root / "functions").iterdir():
        lang = "typescript" if p.suffix == ".ts" else "javascript"
        assert not parse_script(p.read_bytes(), lang).has_error, p
    before = {p: p.read_bytes() for p in (root / "functions").iterdir()}
    result2, _ = lint([root], select=[RULE], mode="fix")
    assert result2.fixed == []
    assert {p: p.read_bytes() for p in (root / "functions").iterdir()} == before


def test_fix_keeps_shorthand_binding_name(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}',
        "functions/a.js": "exports.handler = (c, e, cb) => { const { Authorization } = e.request.headers; cb(null, Authorization); };\n",
    })
    lint([root], select=[RULE], mode="fix")
    assert "const { authorization: Authorization } = e.request.headers;" in (root / "functions/a.js").read_text()


def test_only_functions_folder_files_are_handlers(tmp_path):
    code = "exports.handler = (c, event, cb) => cb(null, event.request.headers.Authorization);\n"
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}',
        "functions/a.js": code,
        "scripts/b.js": code,  # tooling, not deployed
        "assets/c.private.js": code,  # an asset is not a Function
    })
    result, _ = lint([root], select=[RULE])
    assert [Path(d.path).name for d in result.diagnostics] == ["a.js"]


def test_functions_folder_from_config_is_followed(tmp_path):
    code = "exports.handler = (c, event, cb) => cb(null, event.request.headers.Authorization);\n"
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}',
        ".twilioserverlessrc": "{ functionsFolder: 'handlers', }\n",
        "handlers/a.js": code,
        "functions/old.js": code,  # not the functions folder any more
    })
    result, _ = lint([root], select=[RULE])
    assert [Path(d.path).name for d in result.diagnostics] == ["a.js"]
