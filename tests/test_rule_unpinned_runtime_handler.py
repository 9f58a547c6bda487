from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_fixture, lint

RULE = "unpinned-runtime-handler"
BASE = FIXTURES / "runtime-handler"

# fixture -> (severity, pinned version, fix safety) ; None = no diagnostic
CASES = {
    "caret": ("error", "2.0.1", "safe"),
    "tilde": ("error", "2.0.1", "unsafe"),  # 2.0.1 is outside ~1.2.0
    "latest": ("error", "2.0.1", "safe"),
    "star": ("error", "2.0.1", "safe"),
    "x-range": ("error", "2.0.1", "safe"),
    "partial": ("error", "2.0.1", "unsafe"),
    "gte": ("error", "2.0.1", "safe"),
    "outside-range": ("error", "2.0.1", "unsafe"),
    "workspace": ("error", "2.0.1", "unsafe"),
    "git": ("error", "2.0.1", "unsafe"),
    "not-string": ("error", None, None),
    "dev-only": ("warning", "2.0.1", "safe"),
    "single-quote-free": ("error", "2.0.1", "unsafe"),
    "lock-npm": ("error", "1.3.0", "safe"),  # what package-lock.json v3 resolved
    "lock-npm-v1": ("error", "1.2.5", "safe"),  # lockfile v1
    "lock-rejected": ("error", "2.0.1", "safe"),  # lock says 2.0.3, which the platform rejects
    "lock-yarn": ("error", "1.2.4", "safe"),
    "lock-pnpm": ("error", "1.1.3", "safe"),
    "crlf-bom": ("error", "2.0.1", "safe"),
    "exact": None,
    "exact-prerelease": None,
    "missing": None,
    "exact-in-deps-range-in-dev": None,
    "other-package-ranges": None,
}


def test_every_fixture_is_in_the_table():
    assert {p.name for p in BASE.iterdir() if p.is_dir()} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture(name):
    expected = CASES[name]
    result, _ = lint([BASE / name], select=[RULE])
    diags = [d for d in result.diagnostics if d.rule == RULE]
    if expected is None:
        assert diags == []
        return
    severity, version, safety = expected
    assert len(diags) == 1
    d = diags[0]
    assert d.severity.label == severity
    spec_text = d.file.data[d.start:d.end]
    assert spec_text.startswith(b'"') or spec_text[:1].isdigit()  # the span is the value
    if version is None:
        assert d.fix is None
        return
    assert d.fix.safety == safety
    assert (d.fix.reason is None) == (safety == "safe")
    (edit,) = d.fix.edits
    assert (edit.start, edit.end) == (d.start, d.end)  # only the value's bytes
    assert edit.text == f'"{version}"'.encode()


def test_fix_edits_only_the_value_and_keeps_crlf_and_bom(tmp_path):
    root = copy_fixture("runtime-handler/crlf-bom", tmp_path)
    before = (root / "package.json").read_bytes()
    result, _ = lint([root], select=[RULE], mode="fix")
    after = (root / "package.json").read_bytes()
    assert after == before.replace(b'"^2.0.1"', b'"2.0.1"')
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\r\n") == before.count(b"\r\n")
    assert result.diagnostics == []
    # a second run changes nothing
    lint([root], select=[RULE], mode="fix")
    assert (root / "package.json").read_bytes() == after


def test_unsafe_fix_needs_the_flag(tmp_path):
    root = copy_fixture("runtime-handler/outside-range", tmp_path)
    before = (root / "package.json").read_bytes()
    lint([root], select=[RULE], mode="fix")
    assert (root / "package.json").read_bytes() == before
    lint([root], select=[RULE], mode="fix", unsafe=True)
    data = json.loads((root / "package.json").read_text())
    assert data["dependencies"]["@twilio/runtime-handler"] == "2.0.1"


def test_lockfile_pin_and_reparse(tmp_path):
    root = copy_fixture("runtime-handler/lock-yarn", tmp_path)
    lint([root], select=[RULE], mode="fix")
    data = json.loads((root / "package.json").read_text())
    assert data["dependencies"]["@twilio/runtime-handler"] == "1.2.4"


def test_platform_allow_list_is_configurable(tmp_path):
    # A user says the platform now accepts 2.0.3: the lockfile's version becomes the pin.
    root = copy_fixture("runtime-handler/lock-rejected", tmp_path)
    (root / "twilint.toml").write_text('[platform]\nruntime-handler-versions = ["2.0.3"]\n')
    result, _ = lint([root], select=[RULE])
    (d,) = result.diagnostics
    assert d.fix.edits[0].text == b'"2.0.3"'
