"""Reporters: turn a :class:`RunResult` into text, JSON, SARIF, GitHub annotations, JUnit or GitLab
Code Quality JSON."""

from __future__ import annotations

from pathlib import Path

from twilint.model import SAFE, Diagnostic, Severity
from twilint.records import field, record


@record
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fixed: list[Diagnostic] = field(default_factory=list)  # diagnostics whose fix was applied
    refused: list[tuple[Path, str, str]] = field(default_factory=list)  # (path, rule, reason)
    changed_files: list[Path] = field(default_factory=list)
    # For each file in ``changed_files`` that a fix edited: the fix passes applied, in order, as
    # (the UTF-8 buffer the pass started from, its edits); see ``twilint.fixes.FixOutcome``.
    fix_passes: dict[Path, list] = field(default_factory=dict)
    diffs: list[tuple[Path, str]] = field(default_factory=list)  # --diff: (path, unified diff)
    # --diff: what --fix would write, as fixes.FixOutcome (``.new``) and fixes.Creation (``.file``)
    fix_outputs: list = field(default_factory=list)
    files_checked: int = 0
    projects: list = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    # files named on the command line that were not checked (also in ``skipped``): the text
    # report says so, as ESLint does for an ignored file it was given
    not_checked: list[tuple[Path, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # config and usage errors (exit 2)
    unsafe_fixes: bool = False
    mode: str = "check"  # check | fix | diff
    # --baseline: findings the baseline accepted (removed from ``diagnostics``) and its entries
    # that matched nothing although their file and rule were checked.
    baselined: list[Diagnostic] = field(default_factory=list)
    baseline_stale: list = field(default_factory=list)
    baseline_used: bool = False
    # The names of the rules that ran, per project root (for the baseline's stale count).
    active_rules: dict[Path, set[str]] = field(default_factory=dict)
    # --stdin-filename with --fix: the fixed content (None when nothing changed).
    stdin_output: bytes | None = None

    def counts(self) -> dict[str, int]:
        c = {"error": 0, "warning": 0, "info": 0}
        for d in self.diagnostics:
            c[d.severity.label] += 1
        return c

    def fixable(self, unsafe: bool) -> int:
        # ``twilint.fixes.applicable``, inlined: importing twilint.fixes (subprocess, shutil...)
        # costs a run that fixes nothing more than counting (a test keeps the two equal).
        return sum(1 for d in self.diagnostics if d.fix is not None and (d.fix.safety == SAFE or unsafe))

    def fixable_only_unsafe(self) -> int:
        return sum(1 for d in self.diagnostics if d.fix is not None and d.fix.safety != "safe")


def display_paths():
    """``twilint.engine.display_path`` for the many paths of one report: each path computed once,
    and a path under the working folder (most of them) straight from the strings, which is what
    ``os.path.relpath`` gives for normalised absolute paths. (The working folder does not change
    while a report is written.)"""
    import os

    from twilint.engine import display_path

    cwd = Path.cwd()
    scwd = os.fspath(cwd)
    prefix = scwd if scwd.endswith("/") else scwd + "/"
    simple = os.path.isabs(scwd) and os.path.normpath(scwd) == scwd
    memo: dict = {}

    def show(path) -> str:
        got = memo.get(path)
        if got is None:
            s = os.fspath(path)
            if simple and s.startswith(prefix) and len(s) > len(prefix) and os.path.normpath(s) == s:
                got = s[len(prefix):]
            else:
                got = display_path(path, cwd)
            memo[path] = got
        return got

    return show


def fail_level(name: str) -> Severity:
    return Severity.parse(name)
