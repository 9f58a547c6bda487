"""The pre-commit hooks, run by the real `pre-commit try-repo` against a temporary git repository.

`pre-commit try-repo PATH` clones the hook repository at HEAD; when PATH has uncommitted changes
it commits the *staged and tracked* changes into a shadow clone, but untracked files (a new
`.pre-commit-hooks.yaml` before its first commit, new modules) are left out. So the test does not
point try-repo at the checkout itself: it snapshots what the hooks need from the working tree
(pyproject.toml, README.md, .pre-commit-hooks.yaml, src/, rules/) into a fresh git repository and
commits it. That behaves the same in a working copy with uncommitted work and in CI's fresh clone.
pre-commit then builds twilint into its own virtualenv (pip, from PyPI), as it would for a user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, write_tree

pytestmark = pytest.mark.slow

HANDLER = """\
exports.handler = (context, event, callback) => {
  callback(null, { auth: event.request.headers.Authorization });
};
"""
TWILINT_TOML = 'select = ["parse-error", "lowercase-header-access", "unpinned-runtime-handler"]\n'


def _env(tmp: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "PRE_COMMIT_HOME": str(tmp / "pre-commit-home"), "NO_COLOR": "1",
    })
    env.pop("FORCE_COLOR", None)
    env.pop("VIRTUAL_ENV", None)
    return env


def _git(cwd: Path, env: dict, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def tools():
    if shutil.which("git") is None:
        pytest.skip("git is not on PATH")
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def hook_repo(tools, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hookrepo")
    repo = tmp / "twilint"
    repo.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(REPO / name, repo / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("src", "rules"):
        shutil.copytree(REPO / name, repo / name, ignore=ignore)
    env = _env(tmp)
    _git(repo, env, "init", "-q")
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", "snapshot")
    return repo


def _try_repo(hook_repo: Path, hook: str, cwd: Path, *args: str):
    env = _env(cwd.parent)
    r = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, *args],
                       cwd=cwd, env=env, capture_output=True, timeout=900)
    return r, r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")


@pytest.fixture
def target(tools, tmp_path) -> Path:
    """A repository with two projects: a Twilio app and an AWS Lambda one, committed."""
    root = tmp_path / "target"
    write_tree(root, {
        "README.md": "# mono\n",
        "app/package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1", "twilio": "^5.0.0"}}\n',
        "app/twilint.toml": TWILINT_TOML,
        "lambda/package.json": '{"dependencies": {"aws-lambda": "1.0.0"}}\n',
        "lambda/twilint.toml": TWILINT_TOML,
    })
    env = _env(tmp_path)
    _git(root, env, "init", "-q")
    _git(root, env, "add", "-A")
    _git(root, env, "commit", "-q", "-m", "init")
    return root


def test_check_hook_checks_each_staged_file_in_its_project(hook_repo, target):
    write_tree(target, {"app/functions/hook.js": HANDLER, "lambda/functions/hook.js": HANDLER,
                        "notes.md": "Authorization\n"})
    _git(target, _env(target.parent), "add", "app/functions/hook.js", "lambda/functions/hook.js", "notes.md")
    r, text = _try_repo(hook_repo, "twilint", target)
    assert r.returncode == 1, text
    assert "twilint" in text and "Failed" in text
    # the Twilio project's function is flagged; the same code in the Lambda project is not a
    # Twilio handler; package.json was read for context but is not staged, so not reported
    assert "app/functions/hook.js:2:48: error[lowercase-header-access]" in text, text
    assert "lambda/functions/hook.js" not in text
    assert "unpinned-runtime-handler" not in text
    assert "2 files checked" in text


def test_check_hook_passes_on_clean_staged_files(hook_repo, target):
    write_tree(target, {"app/functions/ok.js": HANDLER.replace("Authorization", "authorization")})
    _git(target, _env(target.parent), "add", "app/functions/ok.js")
    r, text = _try_repo(hook_repo, "twilint", target)
    assert r.returncode == 0, text
    assert "Passed" in text


def test_fix_hook_applies_only_safe_fixes(hook_repo, target):
    write_tree(target, {
        "app/functions/hook.js": HANDLER,
        # a file: spec can only be pinned by an unsafe fix: the hook must leave it alone
        "app/package.json": '{"dependencies": {"@twilio/runtime-handler": "file:../rh", "twilio": "^5.0.0"}}\n',
    })
    _git(target, _env(target.parent), "add", "app/functions/hook.js", "app/package.json")
    before_pj = (target / "app/package.json").read_text()
    r, text = _try_repo(hook_repo, "twilint-fix", target)
    assert r.returncode == 1, text  # files were modified (and a finding remains)
    assert "files were modified by this hook" in text
    fixed = (target / "app/functions/hook.js").read_text()
    assert fixed == HANDLER.replace("headers.Authorization", "headers.authorization")
    assert (target / "app/package.json").read_text() == before_pj
    assert "unpinned-runtime-handler" in text and "--unsafe-fixes" in text
    # a second run: nothing left to fix in hook.js
    _git(target, _env(target.parent), "add", "app/functions/hook.js")
    r, text = _try_repo(hook_repo, "twilint-fix", target)
    assert "files were modified by this hook" not in text
    assert (target / "app/functions/hook.js").read_text() == fixed
