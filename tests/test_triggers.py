"""Byte pre-filters (``Rule.triggers`` and the analyses' own ``mentions`` checks) change no result.

Every fixture project and a synthetic fleet are checked twice, in-process on the real files: with
the pre-filters, and with them all switched off (``twilint.model.PREFILTERS``, which
``TWILINT_NO_TRIGGERS=1`` clears): the engine's ``Rule.triggers``, ``JsTree.mentions`` and the
analyses' own byte checks. The results must be identical.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, lint, write_tree
from twilint import model
from twilint.rules import all_rules

ALL = ["ALL"]


def _fixture_roots() -> list[Path]:
    # one run per fixture family: each is a folder of projects (nested projects are found); not
    # a hidden folder such as the `.twilint_cache` a run inside fixtures/ leaves (git ignores it)
    return sorted(p for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith("."))


def _findings(paths, monkeypatch, triggers: bool):
    monkeypatch.setattr(model, "PREFILTERS", triggers)
    result, _ = lint(paths, select=ALL)
    rows = []
    for d in result.diagnostics:
        fix = None
        if d.fix is not None:
            fix = (d.fix.safety, d.fix.description, tuple((e.start, e.end, e.text) for e in d.fix.edits))
        rows.append((str(d.path), d.rule, d.line, d.column, d.end_line, d.end_column, d.message, str(d.severity), fix))
    return sorted(rows), sorted(map(str, result.errors)), sorted(str(s) for s in result.skipped)


@pytest.mark.parametrize("root", _fixture_roots(), ids=lambda p: p.name)
def test_triggers_change_nothing_on_fixtures(root, monkeypatch):
    with_triggers = _findings([root], monkeypatch, True)
    without = _findings([root], monkeypatch, False)
    assert with_triggers == without


def test_triggers_change_nothing_on_a_synthetic_fleet(tmp_path, monkeypatch):
    out = tmp_path / "fleet"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "synth.py"), str(out), "--files", "300",
                    "--projects", "6", "--seed", "7"], check=True, capture_output=True)
    with_triggers = _findings([out], monkeypatch, True)
    without = _findings([out], monkeypatch, False)
    assert with_triggers[0], "the fleet has seeded mistakes"
    assert with_triggers == without


def test_every_rule_with_triggers_has_a_positive_fixture(monkeypatch):
    """The differential test above only proves something for rules that report somewhere."""
    monkeypatch.setattr(model, "PREFILTERS", True)
    result, _ = lint(_fixture_roots(), select=ALL)
    reported = {d.rule for d in result.diagnostics}
    with_triggers = {name for name, rule in all_rules().items() if rule.triggers is not None}
    assert with_triggers, "no rule declares triggers"
    assert with_triggers <= reported, sorted(with_triggers - reported)


def test_triggers_are_nonempty_byte_strings():
    for name, rule in all_rules().items():
        if rule.triggers is None:
            continue
        assert isinstance(rule.triggers, tuple) and rule.triggers, name
        assert all(isinstance(t, bytes) and t for t in rule.triggers), name


class _Counting:
    """Wraps a rule's check_file to count the files the engine hands it."""

    def __init__(self, rule):
        self.rule, self.calls = rule, []
        self.inner = rule.check_file

    def __call__(self, ctx, file):
        self.calls.append(file.path.name)
        return self.inner(ctx, file)


def test_engine_skips_a_file_without_triggers_unless_an_escape_could_spell_one(tmp_path, monkeypatch):
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}',
        "functions/plain.js": "exports.handler = (context, event, callback) => callback(null, 'ok');\n",
        "functions/names.js": "exports.handler = (context, event, callback) => {\n"
                              "  const a = Runtime.getAssets();\n  callback(null, a);\n};\n",
        "functions/escaped.js": "exports.handler = (context, event, callback) => callback(null, '\\x41');\n",
    })
    rule = all_rules()["runtime-asset-key"]
    assert rule.triggers == (b"Runtime",)
    counter = _Counting(rule)
    monkeypatch.setattr(rule, "check_file", counter)
    lint([root], select=["runtime-asset-key"])
    assert sorted(counter.calls) == ["escaped.js", "names.js"]
    counter.calls.clear()
    monkeypatch.setattr(model, "PREFILTERS", False)
    lint([root], select=["runtime-asset-key"])
    assert sorted(counter.calls) == ["escaped.js", "names.js", "plain.js"]


def test_dev_dependency_named_only_through_an_escape_is_still_found(tmp_path):
    """dev-dependency-in-function reads no code when no file names a devDependencies-only
    package; a file that spells one with an escape sequence must still be read."""
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}, '
                        '"devDependencies": {"axios": "^1.7.0"}}',
        "functions/a.js": "const http = require('\\x61xios');\n"
                          "exports.handler = async (context, event, callback) => {\n"
                          "  try { callback(null, (await http.get('https://x')).data); } catch (e) { callback(e); }\n"
                          "};\n",
        "functions/b.js": "exports.handler = (context, event, callback) => callback(null, 'ok');\n",
    })
    result, _ = lint([root / "functions" / "a.js"], select=["dev-dependency-in-function"])
    assert [(Path(d.path).name, d.rule) for d in result.diagnostics] == [("a.js", "dev-dependency-in-function")]
    result, _ = lint([root / "functions" / "b.js"], select=["dev-dependency-in-function"])
    assert result.diagnostics == []


def test_mentions_finds_names_and_is_conservative_about_escapes():
    from twilint.sources.js import parse_script

    js = parse_script(b"const r = Runtime.getAssets();\n", "javascript")
    assert js.mentions(b"Runtime") and not js.mentions(b"setCookie")
    escaped = parse_script(b"const k = '\\x73etCookie';\n", "javascript")
    assert escaped.mentions(b"setCookie")  # an escape could spell it: not skipped
    import re

    words = re.compile(rb"secret|token", re.I)
    assert parse_script(b"const TOKEN = 1;\n", "javascript").mentions_pattern(words)
    assert not parse_script(b"const a = 1;\n", "javascript").mentions_pattern(words)
    assert parse_script(b"const a = '\\u0074oken';\n", "javascript").mentions_pattern(words)


def test_unprotected_webhook_auth_words_in_non_ascii_or_escaped_code_still_count(tmp_path):
    """unprotected-webhook skips its walk when no auth word is in the file's bytes; a word spelled
    with an escape, or matched only by Unicode case folding (the long s), must still count."""
    handler = ("exports.handler = (context, event, callback) => {{\n"
               "  {check}\n"
               "  callback(null, `${{event.Body}} from ${{event.From}}`);\n"
               "}};\n")
    for name, check, expected in [
        ("plain.js", "const x = 1;", 1),
        ("escaped.js", "if (!event['\\x76alid']) return callback('no');", 0),
        ("folded.js", "const \u017fecret = context.X;", 0),
    ]:
        root = write_tree(tmp_path / name.removesuffix(".js"), {
            "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}',
            f"functions/{name}": handler.format(check=check),
        })
        result, _ = lint([root], select=["unprotected-webhook"])
        assert len(result.diagnostics) == expected, name


@pytest.mark.parametrize("code,may", [
    (b"const u = require('url'); u.parse(x);", True),
    (b"const { parse } = require(\"node:url\");", True),
    (b"import { parse } from 'url';", True),
    (b"const u = require(`url`);", True),
    (b"const b = new Buffer(10);", True),
    (b"const k = require('\\x75rl');", True),  # an escape could spell the module
    (b"fetch('https://example.com/url?curl=1');", False),  # `url` only inside other words
    (b"const utils = require('./utils');", False),
])
def test_deprecated_api_prefilter(code, may):
    from twilint.analysis.node_apis import _may_use, api_table
    from twilint.sources.js import parse_script

    table = [a for a in api_table() if a.stage(22) is not None]
    assert _may_use(parse_script(code, "javascript"), table) is may
