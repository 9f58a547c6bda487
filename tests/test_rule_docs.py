"""Every rule's docs: the sections, a seed citation, and examples that really behave as documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import lint, write_tree
from twilint.rules import all_rules

SECTIONS = ["## What it does", "## Why", "## Example", "## Use instead", "## Fix safety"]
CITATION = re.compile(r"\[00[0-4]:\d+(-\d+)?\]")
RULES = sorted(all_rules())


def blocks(docs: str, heading: str) -> str:
    part = docs.split(heading, 1)[1].split("\n## ", 1)[0]
    m = re.search(r"```\w*\n(.*?)```", part, re.S)
    assert m, f"no code block under {heading}"
    return m.group(1)


@pytest.mark.parametrize("name", RULES)
def test_docs_have_every_section_and_a_citation(name):
    rule = all_rules()[name]
    assert rule.docs.startswith(f"# {name}\n")
    for s in SECTIONS:
        assert s in rule.docs, f"{name}: missing {s}"
    assert CITATION.search(rule.docs.split("## Why", 1)[1]), f"{name}: the Why section cites no seed line"
    assert rule.summary and rule.severity
    assert rule.fixable in (None, "safe", "unsafe")
    if rule.fixable is None:
        assert "No fix" in rule.docs.split("## Fix safety", 1)[1]


def _project(tmp_path: Path, rule, code: str, good: bool = False) -> Path:
    # `example_good_path`: where the Use-instead example goes (default `example_path`), for a
    # rule about a file that should not exist; `example_git`: commit the project to git.
    path = getattr(rule, "example_good_path", rule.example_path) if good else rule.example_path
    files = {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1", "twilio": "^5.0.3"}}',
        # extra context files a rule's examples need (e.g. a package.json with devDependencies)
        **getattr(rule, "example_files", {}),
        path: code,
    }
    root = write_tree(tmp_path, files)
    if getattr(rule, "example_git", False):
        import subprocess

        git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
        subprocess.run([*git, "init", "-q", str(root)], check=True)
        subprocess.run([*git, "-C", str(root), "add", "-A"], check=True)
        subprocess.run([*git, "-C", str(root), "commit", "-qm", "example"], check=True)
    return root


@pytest.mark.parametrize("name", RULES)
def test_bad_example_is_flagged_and_good_example_is_clean(tmp_path, name):
    rule = all_rules()[name]
    bad = _project(tmp_path / "bad", rule, blocks(rule.docs, "## Example"))
    good = _project(tmp_path / "good", rule, blocks(rule.docs, "## Use instead"), good=True)
    r_bad, _ = lint([bad], select=[name])
    r_good, _ = lint([good], select=[name])
    assert [d for d in r_bad.diagnostics if d.rule == name], f"{name}: the bad example is not flagged"
    assert [d for d in r_good.diagnostics if d.rule == name] == [], f"{name}: the good example is flagged"


@pytest.mark.parametrize("name", [n for n in RULES if all_rules()[n].fixable])
def test_fixing_the_bad_example_gives_a_clean_file(tmp_path, name):
    rule = all_rules()[name]
    root = _project(tmp_path, rule, blocks(rule.docs, "## Example"))
    lint([root], select=[name], mode="fix", unsafe=True)
    result, _ = lint([root], select=[name])
    assert [d for d in result.diagnostics if d.fix is not None] == []
