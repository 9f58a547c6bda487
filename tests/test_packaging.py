"""The wheel installs into a fresh virtualenv and runs outside the checkout, with the platform facts
data (rules/platform/*.toml, shipped as twilint/_catalogue) inside it. Dependencies come from PyPI.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO

pytestmark = pytest.mark.slow


def _run(cmd, cwd, env=None, timeout=600):
    e = dict(os.environ)
    e.pop("VIRTUAL_ENV", None)
    e.pop("PYTHONPATH", None)
    e["NO_COLOR"] = "1"
    e.pop("FORCE_COLOR", None)
    if env:
        e.update(env)
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, env=e, capture_output=True, timeout=timeout)
    return r, r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, REPO]
    if importlib.util.find_spec("hatchling") is not None:
        cmd.insert(4, "--no-build-isolation")  # the build backend is already here: no download
    r, text = _run(cmd, cwd=dist)
    assert r.returncode == 0, text
    wheels = list(dist.glob("twilint-*.whl"))
    assert len(wheels) == 1, text
    return wheels[0]


def _check_example(twilint: Path, where: Path) -> None:
    project = where / "example"
    shutil.copytree(FIXTURES / "example", project)
    r, text = _run([twilint, "--version"], cwd=where)
    assert r.returncode == 0 and text.startswith("twilint "), text
    r, text = _run([twilint, "check", "--select", "lowercase-header-access,unpinned-runtime-handler",
                    "--format", "json", "example"], cwd=where)
    assert r.returncode == 1, text
    import json

    doc = json.loads(r.stdout)
    rules = sorted(d["rule"] for d in doc["diagnostics"])
    # unpinned-runtime-handler's fix pins to the default version from the facts data
    assert rules == ["lowercase-header-access", "lowercase-header-access", "unpinned-runtime-handler"], text
    pin = next(d for d in doc["diagnostics"] if d["rule"] == "unpinned-runtime-handler")
    assert pin["fix"]["edits"][0]["content"].strip('"') == "2.0.1"
    assert doc["errors"] == []


def test_wheel_holds_the_package_and_the_facts_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for toml in (REPO / "rules" / "platform").glob("*.toml"):
        assert f"twilint/_catalogue/platform/{toml.name}" in names
    assert "twilint/report/check-result.schema.json" in names
    assert "twilint/cli.py" in names and "twilint/rules/lowercase_header_access.py" in names
    assert not any(n.startswith(("tests/", "fixtures/")) for n in names)
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "twilint = twilint.cli:console" in zipfile.ZipFile(wheel).read(entry).decode()


def test_wheel_installs_into_a_fresh_venv_and_runs_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    r, text = _run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    assert r.returncode == 0, text
    r, text = _run([_bin(venv, "python"), "-m", "pip", "install", "-q", wheel], cwd=tmp_path)
    assert r.returncode == 0, text
    # the installed package, not the checkout, and its catalogue is the packaged one
    r, text = _run([_bin(venv, "python"), "-c",
                    "import twilint, twilint.facts as f; print(twilint.__file__); print(f.catalogue_dir())"],
                   cwd=tmp_path)
    pkg, cat = text.split()[:2]
    assert str(REPO) not in pkg and cat.endswith(os.path.join("twilint", "_catalogue")), text
    _check_example(_bin(venv, "twilint"), tmp_path)


def test_pipx_install(tmp_path):
    if shutil.which("pipx") is None and importlib.util.find_spec("pipx") is None:
        pytest.skip("pipx is not installed (pip install pipx); `pipx install .` is documented in the README")
    env = {"PIPX_HOME": str(tmp_path / "pipx-home"), "PIPX_BIN_DIR": str(tmp_path / "bin"),
           "PIPX_MAN_DIR": str(tmp_path / "man"), "PIPX_DEFAULT_PYTHON": sys.executable}
    cmd = [sys.executable, "-m", "pipx"] if importlib.util.find_spec("pipx") else ["pipx"]
    r, text = _run([*cmd, "install", REPO], cwd=tmp_path, env=env)
    assert r.returncode == 0, text
    _check_example(tmp_path / "bin" / "twilint", tmp_path)
