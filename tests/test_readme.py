from __future__ import annotations

import re

from conftest import REPO
from twilint.docs import render_readme

README = (REPO / "README.md").read_text()


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    install_run, tests = blocks[0].strip(), blocks[1].strip()
    assert "pip install" in install_run and "twilint check fixtures/example" in install_run
    assert "pip install" in tests and "pytest" in tests
    ci = (REPO / ".ci" / "run").read_text()
    assert tests in ci


def test_rules_table_is_generated_from_the_registry():
    from twilint.rules import all_rules

    assert render_readme(README) == README, "run `python -m twilint.docs`"
    for name in all_rules():
        assert f"| `{name}` |" in README
