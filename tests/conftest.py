from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import settings as _hypothesis_settings

# Timing varies a lot on a loaded 2-core CI machine: no per-example deadlines (the example
# counts stay as each test sets them).
_hypothesis_settings.register_profile("twilint", deadline=None)
_hypothesis_settings.load_profile("twilint")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
_EXPECT = re.compile(r"(?://|#)\s*expect:\s*([\w\-, ]+)")


def twilint_exe() -> list[str]:
    exe = Path(sys.executable).with_name("twilint")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-m", "twilint"]


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: bytes | None = None):
    """Run the real `twilint` console script in a subprocess."""
    e = dict(os.environ)
    e.pop("FORCE_COLOR", None)
    e["NO_COLOR"] = "1"
    if env:
        e.update(env)
    return subprocess.run(
        [*twilint_exe(), *args], cwd=cwd, env=e, capture_output=True, input=input, timeout=120
    )


def copy_fixture(name: str, tmp_path: Path) -> Path:
    dst = tmp_path / Path(name).name
    shutil.copytree(FIXTURES / name, dst, symlinks=True)
    return dst


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8", newline="")
    return root


def expected_annotations(root: Path) -> Counter:
    """`// expect: rule[, rule]` trailing comments: (relative path, line, rule) counted."""
    out: Counter = Counter()
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.suffix not in (".js", ".ts", ".cjs", ".mjs", ".env", ".yml", ".yaml") and not p.name.startswith(".env"):
            continue
        for i, line in enumerate(p.read_text("utf-8", errors="replace").splitlines(), start=1):
            m = _EXPECT.search(line)
            if m:
                for rule in m.group(1).split(","):
                    if rule.strip():
                        out[(p.relative_to(root).as_posix(), i, rule.strip())] += 1
    return out


def lint(paths, select=None, mode="check", unsafe=False):
    from twilint.runner import Options, run

    return run([Path(p) for p in paths], Options(select=select, mode=mode, unsafe_fixes=unsafe))


def found_annotations(result, root: Path, rules: set[str] | None = None) -> Counter:
    out: Counter = Counter()
    for d in result.diagnostics:
        if rules is not None and d.rule not in rules:
            continue
        out[(Path(d.path).resolve().relative_to(root.resolve()).as_posix(), d.line, d.rule)] += 1
    return out


@pytest.fixture
def chdir_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path
