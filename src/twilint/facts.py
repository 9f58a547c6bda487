"""Platform facts, loaded once from the catalogue under the top-level ``rules/`` folder.

In a wheel the catalogue ships as ``twilint/_catalogue``; in a checkout it is read from
``<repo>/rules``. Users extend or override the allow-lists with the ``[platform]`` table of their
twilint config.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

from twilint.records import field, record


def catalogue_dir() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "_catalogue"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "rules"


def _load(name: str) -> dict:
    """The parsed ``rules/platform/<name>`` file of the catalogue."""
    return _platform_tables()[name]


@functools.lru_cache(maxsize=1)
def _platform_tables() -> dict[str, dict]:
    """Every ``rules/platform/*.toml`` file, parsed: {file name: table}.

    Importing tomllib and parsing the catalogue costs 8-12 ms, in every process of every run, so
    the parsed tables are kept as JSON next to the catalogue, in ``__pycache__`` as Python keeps
    bytecode (and not written when Python does not write bytecode either). The file's name holds
    a hash of the TOML files' names and bytes: it is read only while it is the parse of exactly
    these files; any edit makes a new one (the old one is removed). Nothing else is trusted:
    a cache that cannot be read or written means the TOML is parsed.
    """
    from twilint._ownfiles import blake2b

    folder = os.path.join(catalogue_dir(), "platform")
    names = sorted(n for n in os.listdir(folder) if n.endswith(".toml"))
    sources = {}
    h = blake2b(digest_size=16)
    for n in names:
        with open(os.path.join(folder, n), "rb") as fh:
            data = sources[n] = fh.read()
        h.update(b"%s\0%d\0" % (n.encode(), len(data)))
        h.update(data)
    cached = os.path.join(folder, "__pycache__", f"catalogue.{h.hexdigest()}.json")
    try:
        with open(cached, "rb") as fh:
            tables = json.loads(fh.read())
        if isinstance(tables, dict) and sorted(tables) == names:
            return tables
    except (OSError, ValueError):
        pass
    import tomllib

    tables = {n: tomllib.loads(data.decode("utf-8")) for n, data in sources.items()}
    if not sys.dont_write_bytecode:
        _write_compiled(cached, tables)
    return tables


def _write_compiled(path: str, tables: dict) -> None:
    """Best effort: an installed package may not be writable. The compiled tables of earlier
    catalogues are removed once this one is written."""
    from twilint._ownfiles import write_best_effort

    if not write_best_effort(path, json.dumps(tables).encode()):
        return
    folder = os.path.dirname(path)
    try:
        for n in os.listdir(folder):
            if n.startswith("catalogue.") and n.endswith(".json") and os.path.join(folder, n) != path:
                os.remove(os.path.join(folder, n))
    except OSError:
        pass


@record(frozen=True)
class Runtime:
    id: str
    node: str
    status: str
    source: str
    retired: str | None = None
    min_runtime_handler: str | None = None
    note: str | None = None
    upstream_eol: str | None = None
    build_fails_below_handler: str | None = None

    def state(self, today: str) -> str:
        """"retired", "deprecated" (retirement announced, or past upstream end of life) or
        "available", on ``today`` (ISO date)."""
        if self.status == "retired":
            return "retired" if not self.retired or self.retired <= today else "deprecated"
        if self.status == "deprecated":
            return "deprecated"
        if self.upstream_eol and self.upstream_eol <= today:
            return "deprecated"
        return "available"


@record(frozen=True)
class HandlerVersion:
    version: str
    accepted: bool
    on_npm: bool
    source: str
    note: str | None = None
    rejected: bool = False  # deploys pinning it failed (Error 20001)


@record(frozen=True)
class Limit:
    id: str
    value: int
    unit: str
    what: str
    source: str
    verified: bool = True


@record
class Facts:
    runtimes: dict[str, Runtime]
    default_runtime: str
    handler_versions: dict[str, HandlerVersion]
    default_handler: str
    handler_features: dict[str, str] = field(default_factory=dict)
    limits: dict[str, Limit] = field(default_factory=dict)

    def limit(self, name: str) -> int:
        return self.limits[name].value

    def runtime(self, runtime_id: str) -> Runtime | None:
        return self.runtimes.get(runtime_id)

    def handler_accepted(self, version: str) -> bool:
        hv = self.handler_versions.get(version)
        return bool(hv and hv.accepted)

    def accepted_handler_versions(self) -> list[str]:
        return [v for v, hv in self.handler_versions.items() if hv.accepted]

    def with_overrides(self, platform: dict | None) -> "Facts":
        """Apply a config ``[platform]`` table: ``runtime-handler-versions`` (extra accepted
        versions), ``runtime-handler-rejected`` (versions to treat as rejected) and
        ``default-runtime-handler``; for runtimes ``runtimes-available``, ``runtimes-deprecated``,
        ``runtimes-retired`` (ids such as ``node26``) and ``default-runtime`` (what fixes set)."""
        if not platform:
            return self
        versions = dict(self.handler_versions)
        for v in platform.get("runtime-handler-versions", []):
            old = versions.get(v)
            versions[v] = HandlerVersion(v, True, old.on_npm if old else True, "twilint config")
        for v in platform.get("runtime-handler-rejected", []):
            old = versions.get(v)
            versions[v] = HandlerVersion(v, False, old.on_npm if old else True, "twilint config", rejected=True)
        default = platform.get("default-runtime-handler", self.default_handler)
        runtimes = dict(self.runtimes)
        for key, status in (("runtimes-available", "available"), ("runtimes-deprecated", "deprecated"),
                            ("runtimes-retired", "retired")):
            for rid in platform.get(key, []):
                old = runtimes.get(rid)
                runtimes[rid] = Runtime(
                    rid, old.node if old else rid.removeprefix("node"), status, "twilint config",
                    min_runtime_handler=old.min_runtime_handler if old else None,
                    build_fails_below_handler=old.build_fails_below_handler if old else None,
                )
        default_runtime = platform.get("default-runtime", self.default_runtime)
        return Facts(runtimes, default_runtime, versions, default, self.handler_features, self.limits)


@functools.lru_cache(maxsize=None)
def load_facts() -> Facts:
    rt = _load("runtimes.toml")
    rh = _load("runtime-handler.toml")
    runtimes = {
        r["id"]: Runtime(
            r["id"], r["node"], r["status"], r["source"], r.get("retired"),
            r.get("min_runtime_handler"), r.get("note"), r.get("upstream_eol"),
            r.get("build_fails_below_handler"),
        )
        for r in rt["runtime"]
    }
    versions = {
        v["version"]: HandlerVersion(
            v["version"], v["accepted"], v["on_npm"], v["source"], v.get("note"), v.get("rejected", False)
        )
        for v in rh["version"]
    }
    features = {k: v["min"] for k, v in rh.get("features", {}).items()}
    limits = {
        x["id"]: Limit(x["id"], x["value"], x["unit"], x["what"], x["source"], x.get("verified", True))
        for x in _load("limits.toml")["limit"]
    }
    return Facts(runtimes, rt["default"], versions, rh["default"], features, limits)


def environment_names() -> dict:
    """rules/platform/environment.toml: platform-set env names, credentials, context defaults."""
    return _load("environment.toml")


def serverless_config_keys() -> dict:
    """rules/platform/serverless-config.toml: known, deprecated and misspelled config keys."""
    return _load("serverless-config.toml")
