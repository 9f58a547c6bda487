"""Platform facts, loaded once from the catalogue under the top-level ``rules/`` folder.

In a wheel the catalogue ships as ``twilint/_catalogue``; in a checkout it is read from
``<repo>/rules``. Users extend or override the allow-lists with the ``[platform]`` table of their
twilint config.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path


def catalogue_dir() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "_catalogue"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "rules"


@functools.lru_cache(maxsize=None)
def _load(name: str) -> dict:
    path = catalogue_dir() / "platform" / name
    with open(path, "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Runtime:
    id: str
    node: str
    status: str
    source: str
    retired: str | None = None
    min_runtime_handler: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class HandlerVersion:
    version: str
    accepted: bool
    on_npm: bool
    source: str
    note: str | None = None


@dataclass
class Facts:
    runtimes: dict[str, Runtime]
    default_runtime: str
    handler_versions: dict[str, HandlerVersion]
    default_handler: str
    handler_features: dict[str, str] = field(default_factory=dict)

    def handler_accepted(self, version: str) -> bool:
        hv = self.handler_versions.get(version)
        return bool(hv and hv.accepted)

    def accepted_handler_versions(self) -> list[str]:
        return [v for v, hv in self.handler_versions.items() if hv.accepted]

    def with_overrides(self, platform: dict | None) -> "Facts":
        """Apply a config ``[platform]`` table: ``runtime-handler-versions`` (extra accepted
        versions), ``runtime-handler-rejected`` (versions to treat as rejected) and
        ``default-runtime-handler``."""
        if not platform:
            return self
        versions = dict(self.handler_versions)
        for v in platform.get("runtime-handler-versions", []):
            old = versions.get(v)
            versions[v] = HandlerVersion(v, True, old.on_npm if old else True, "twilint config")
        for v in platform.get("runtime-handler-rejected", []):
            old = versions.get(v)
            versions[v] = HandlerVersion(v, False, old.on_npm if old else True, "twilint config")
        default = platform.get("default-runtime-handler", self.default_handler)
        return Facts(self.runtimes, self.default_runtime, versions, default, self.handler_features)


@functools.lru_cache(maxsize=None)
def load_facts() -> Facts:
    rt = _load("runtimes.toml")
    rh = _load("runtime-handler.toml")
    runtimes = {
        r["id"]: Runtime(
            r["id"], r["node"], r["status"], r["source"], r.get("retired"),
            r.get("min_runtime_handler"), r.get("note"),
        )
        for r in rt["runtime"]
    }
    versions = {
        v["version"]: HandlerVersion(v["version"], v["accepted"], v["on_npm"], v["source"], v.get("note"))
        for v in rh["version"]
    }
    features = {k: v["min"] for k, v in rh.get("features", {}).items()}
    return Facts(runtimes, rt["default"], versions, rh["default"], features)
