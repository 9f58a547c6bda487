"""Start-up shortcuts that must not change what is loaded: the catalogue's compiled tables and
modules loaded without their package's __init__."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from twilint import facts


@pytest.fixture
def catalogue(tmp_path, monkeypatch):
    """A copy of the catalogue that the tests may edit, with writing allowed."""
    root = tmp_path / "catalogue"
    shutil.copytree(facts.catalogue_dir(), root, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(facts, "catalogue_dir", lambda: root)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    facts._platform_tables.cache_clear()
    yield root / "platform"
    facts._platform_tables.cache_clear()


def parsed(folder: Path) -> dict:
    return {p.name: tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.toml"))}


def test_compiled_catalogue_is_the_toml_and_follows_every_edit(catalogue):
    assert facts._platform_tables() == parsed(catalogue)
    (compiled,) = (catalogue / "__pycache__").glob("catalogue.*.json")
    assert json.loads(compiled.read_text()) == parsed(catalogue)
    # the next process reads the JSON: make it recognisable to prove it is read
    data = json.loads(compiled.read_text())
    data["limits.toml"]["marker"] = 1
    compiled.write_text(json.dumps(data))
    facts._platform_tables.cache_clear()
    assert facts._load("limits.toml")["marker"] == 1
    # an edit to any TOML file is seen at once; the stale compiled file is replaced
    with open(catalogue / "runtimes.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[extra]\nnote = "x"\n')
    facts._platform_tables.cache_clear()
    tables = facts._platform_tables()
    assert tables == parsed(catalogue) and tables["runtimes.toml"]["extra"] == {"note": "x"}
    assert [p.name for p in (catalogue / "__pycache__").glob("catalogue.*.json")] != [compiled.name]
    assert len(list((catalogue / "__pycache__").glob("catalogue.*.json"))) == 1
    # a new file is part of the key too
    (catalogue / "new.toml").write_text("a = 1\n")
    facts._platform_tables.cache_clear()
    assert facts._load("new.toml") == {"a": 1}


def test_compiled_catalogue_that_is_corrupt_or_unwritable_is_not_used(catalogue, monkeypatch):
    facts._platform_tables()
    (compiled,) = (catalogue / "__pycache__").glob("catalogue.*.json")
    compiled.write_text("{not json")
    facts._platform_tables.cache_clear()
    assert facts._platform_tables() == parsed(catalogue)
    shutil.rmtree(catalogue / "__pycache__")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # as Python: nothing written
    facts._platform_tables.cache_clear()
    assert facts._platform_tables() == parsed(catalogue)
    assert not (catalogue / "__pycache__").exists()


def test_submodule_loads_without_the_package_init_and_the_package_still_imports(tmp_path):
    code = r"""
import sys
from twilint.sources.submodules import submodule
parser = submodule("dotenv", "parser")
binding = submodule("tree_sitter_json", "_binding")
assert "dotenv" not in sys.modules and "tree_sitter_json" not in sys.modules
assert "dotenv.main" not in sys.modules and "importlib.resources" not in sys.modules
assert [b.key for b in parser.parse_stream(__import__("io").StringIO("A=1\nB=2\n"))] == ["A", "B"]
import tree_sitter
tree_sitter.Parser(tree_sitter.Language(binding.language())).parse(b"{}")
# the packages import as usual afterwards (with their own copy of the module)
import dotenv, dotenv.parser, tree_sitter_json
assert dotenv.dotenv_values(stream=__import__("io").StringIO("C=3\n")) == {"C": "3"}
assert tree_sitter.Language(tree_sitter_json.language()) == tree_sitter.Language(binding.language())
assert submodule("dotenv", "parser") is dotenv.parser  # (now the imported one)
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_submodule_falls_back_to_a_plain_import(tmp_path, monkeypatch):
    from twilint.sources.submodules import submodule

    pkg = tmp_path / "fakepkg_sub"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("RAN = True\n")
    (pkg / "alone.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        alone = submodule("fakepkg_sub", "alone")
        assert alone.VALUE == 1 and submodule("fakepkg_sub", "alone") is alone
        assert "fakepkg_sub" not in sys.modules and "fakepkg_sub.alone" not in sys.modules  # loaded alone
        with pytest.raises(ModuleNotFoundError):
            submodule("fakepkg_sub", "missing")  # not there: a plain import, which says so
        assert sys.modules["fakepkg_sub"].RAN  # (that import ran the package)
    finally:
        for name in [n for n in sys.modules if n.startswith("fakepkg_sub")]:
            del sys.modules[name]
        from twilint.sources import submodules

        submodules._LOADED.pop("fakepkg_sub.alone", None)


def test_own_files_are_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """twilint._ownfiles.write_best_effort (the cache's files, the compiled catalogue): the
    file appears in one rename; a write that fails reports it and leaves no temporary file."""
    import os

    from twilint._ownfiles import write_best_effort

    target = tmp_path / "a" / "b" / "state"
    assert write_best_effort(str(target), b"one") and target.read_bytes() == b"one"
    assert write_best_effort(str(target), b"two") and target.read_bytes() == b"two"
    blocked = tmp_path / "file"
    blocked.write_text("x")
    assert write_best_effort(str(blocked / "state"), b"x") is False  # (its folder is a file)
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (_ for _ in ()).throw(PermissionError(13, "denied")))
    assert write_best_effort(str(target), b"three") is False
    monkeypatch.setattr(os, "replace", real_replace)
    assert target.read_bytes() == b"two" and sorted(p.name for p in target.parent.iterdir()) == ["state"]
