"""The peer linters: pinned npm packages in a cache folder, with the configs from parsers.md §5.

The install lives in ``<cache>/peers-<hash>``, where the hash covers the pins and the two config
files, so changing either gives a fresh folder and an unchanged one is reused as is.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

# Exact versions (looked up with `npm view <name> version`). Change them here only.
PINS = {
    "eslint": "10.15.0",
    "eslint-plugin-promise": "7.3.0",
    "eslint-plugin-n": "18.5.0",
    "oxlint": "1.94.0",
}

ESLINT_RULES = [
    "promise/catch-or-return", "promise/always-return", "promise/no-callback-in-promise",
    "n/no-deprecated-api", "n/callback-return", "n/handle-callback-err",
    "require-await", "no-unused-vars",
]
# oxlint has no n/no-deprecated-api; its plugin for eslint-plugin-n rules is called "node".
OXLINT_RULES = [
    "promise/catch-or-return", "promise/always-return", "promise/no-callback-in-promise",
    "node/callback-return", "node/handle-callback-err",
    "require-await", "no-unused-vars",
]

ESLINT_CONFIG = """\
// Written by twilint's benchmarks/peers.py: the rules of parsers.md section 5.
const promise = require('eslint-plugin-promise');
const n = require('eslint-plugin-n');
module.exports = [{
  files: ['**/*.js'],
  plugins: { promise, n },
  languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' },
  rules: {
%s
  },
}];
""" % "\n".join(f"    '{r}': 'error'," for r in ESLINT_RULES)

OXLINT_CONFIG = json.dumps({
    "plugins": ["promise", "node"],
    "categories": {"correctness": "off"},
    "rules": {r: "error" for r in OXLINT_RULES},
}, indent=2) + "\n"


class PeerError(Exception):
    pass


@dataclass
class Peers:
    folder: Path
    eslint: Path
    oxlint: Path
    eslint_config: Path
    oxlint_config: Path
    versions: dict = field(default_factory=dict)

    def eslint_cmd(self, files: list[str], fmt: str | None = None) -> list[str]:
        cmd = [str(self.eslint), "--config", str(self.eslint_config)]
        if fmt:
            cmd += ["--format", fmt]
        return cmd + files

    def oxlint_cmd(self, files: list[str], fmt: str | None = None) -> list[str]:
        cmd = [str(self.oxlint), "--config", str(self.oxlint_config)]
        if fmt:
            cmd += ["--format", fmt]
        return cmd + files


def pins_hash() -> str:
    h = hashlib.sha256()
    h.update(json.dumps(PINS, sort_keys=True).encode())
    h.update(ESLINT_CONFIG.encode())
    h.update(OXLINT_CONFIG.encode())
    return h.hexdigest()[:12]


def default_cache() -> Path:
    env = os.environ.get("TWILINT_BENCH_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "twilint-bench"


def _version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr).strip() else "?"


def ensure(cache: Path, log=print) -> Peers:
    """Installs the pinned peers into the cache on first use; returns where they are."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        raise PeerError("node and npm must be on PATH to benchmark ESLint and oxlint")
    folder = cache / f"peers-{pins_hash()}"
    done = folder / ".installed"
    if not done.is_file():
        log(f"installing peers into {folder} (npm install, once)")
        tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        pkg = {"name": "twilint-bench-peers", "private": True, "description": "peer linters for twilint's benchmarks",
               "dependencies": dict(PINS)}
        (tmp / "package.json").write_text(json.dumps(pkg, indent=2) + "\n", encoding="utf-8")
        proc = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--save-exact"],
                              cwd=tmp, capture_output=True, text=True)
        if proc.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            raise PeerError(f"npm install failed ({proc.returncode}):\n{proc.stderr.strip()[-2000:]}")
        _write_configs(tmp)
        (tmp / ".installed").write_text(json.dumps(PINS) + "\n", encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)
    _write_configs(folder)
    peers = Peers(
        folder=folder,
        eslint=folder / "node_modules" / ".bin" / "eslint",
        oxlint=folder / "node_modules" / ".bin" / "oxlint",
        eslint_config=folder / "eslint.config.js",
        oxlint_config=folder / ".oxlintrc.json",
    )
    for p in (peers.eslint, peers.oxlint):
        if not p.exists():
            raise PeerError(f"{p} is missing; delete {folder} to reinstall")
    installed = {}
    for name in PINS:
        meta = folder / "node_modules" / name / "package.json"
        try:
            installed[name] = json.loads(meta.read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            installed[name] = "?"
    peers.versions = {
        "node": _version([node, "--version"]),
        "npm": _version([npm, "--version"]),
        **installed,
    }
    return peers


def _write_configs(folder: Path) -> None:
    for name, text in (("eslint.config.js", ESLINT_CONFIG), (".oxlintrc.json", OXLINT_CONFIG)):
        p = folder / name
        if not p.is_file() or p.read_text(encoding="utf-8") != text:
            p.write_text(text, encoding="utf-8")
