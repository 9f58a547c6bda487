"""The rules reference (docs/rules/*.md + index) is generated from the registry and up to date."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import REPO, run_cli


def test_generated_docs_are_up_to_date():
    r = subprocess.run([sys.executable, "-m", "twilint.docs", "--check"], capture_output=True, cwd=REPO)
    assert r.returncode == 0, r.stdout.decode() + "\nrun `python -m twilint.docs`"


def test_one_page_per_rule_and_an_index():
    from twilint.rules import all_rules

    rules_dir = REPO / "docs" / "rules"
    index = (rules_dir / "README.md").read_text("utf-8")
    for name, rule in all_rules().items():
        page = (rules_dir / f"{name}.md").read_text("utf-8")
        assert f"# {name}\n" in page and "## Why" in page and "## Fix safety" in page
        assert f"Severity: **{rule.severity.label}**" in page
        assert f"[`{name}`]({name}.md)" in index
    assert sorted(p.stem for p in rules_dir.glob("*.md") if p.name != "README.md") == sorted(all_rules())


def test_twilint_rule_prints_the_same_page():
    from twilint.rules import all_rules

    name = next(iter(all_rules()))
    r = run_cli("rule", name)  # not a TTY: plain Markdown
    page = (REPO / "docs" / "rules" / f"{name}.md").read_text("utf-8")
    assert r.returncode == 0
    assert page.endswith(r.stdout.decode()) and r.stdout.decode().startswith(f"# {name}\n")


def test_check_flags_stale_and_edited_pages(tmp_path):
    from twilint import docs

    shutil.copy(REPO / "README.md", tmp_path / "README.md")
    assert docs.out_of_date(tmp_path)  # no pages yet
    for path, content in docs.generated_files(tmp_path).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
    assert docs.out_of_date(tmp_path) == []
    (tmp_path / "docs/rules/removed-rule.md").write_text("# removed-rule\n")
    assert docs.out_of_date(tmp_path) == [tmp_path / "docs/rules/removed-rule.md"]
    page = tmp_path / "docs/rules/parse-error.md"
    page.write_text(page.read_text() + "hand edit\n")
    assert page in docs.out_of_date(tmp_path)
