"""twilint's own configuration: ``twilint.toml`` at a project root, or a ``"twilint"`` key in
``package.json``.

```toml
select = ["unpinned-runtime-handler"]       # default: every rule
ignore = ["lowercase-header-access"]
exclude = ["functions/vendor/**"]
fail-on = "error"                            # error | warning | info

[severity]
lowercase-header-access = "warning"          # error | warning | info | off

[per-file-ignores]
"functions/legacy/**" = ["lowercase-header-access"]

[platform]
runtime-handler-versions = ["2.1.3"]         # extra versions the platform accepts
runtime-handler-rejected = ["2.0.1"]
default-runtime-handler = "2.0.1"
runtimes-available = ["node26"]              # runtime ids the platform accepts (also -deprecated, -retired)
default-runtime = "node22"                   # what runtime fixes set
```
"""

from __future__ import annotations

import re
from pathlib import Path

from twilint.model import Severity
from twilint.records import field, record

KNOWN_KEYS = {"select", "ignore", "exclude", "severity", "per-file-ignores", "platform", "fail-on"}
PLATFORM_KEYS = {
    "runtime-handler-versions", "runtime-handler-rejected", "default-runtime-handler",
    "runtimes-available", "runtimes-deprecated", "runtimes-retired", "default-runtime",
}
_PLATFORM_STRING_KEYS = {"default-runtime-handler", "default-runtime"}


class ConfigError(Exception):
    """The config cannot be used. Reported as ``path:line:col: message`` with exit code 2."""

    def __init__(self, path: Path, line: int, col: int, message: str):
        super().__init__(f"{path}:{line}:{col}: {message}")
        self.path = path
        self.line = line
        self.col = col
        self.message = message


@record
class Config:
    path: Path | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # rule -> "error"|"warning"|"info"|"off"
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    platform: dict = field(default_factory=dict)
    fail_on: str | None = None

    def rule_enabled(self, name: str) -> bool:
        if self.select is not None and name not in self.select and "ALL" not in self.select:
            return False
        if name in self.ignore:
            return False
        return self.severity.get(name) != "off"

    def severity_for(self, name: str, default: Severity) -> Severity:
        s = self.severity.get(name)
        if s is None or s == "off":
            return default
        return Severity.parse(s)

    def ignored_for(self, rel: str) -> set[str]:
        out: set[str] = set()
        for pattern, names in self.per_file_ignores.items():
            if glob_match(pattern, rel):
                out.update(names)
        return out

    def excluded(self, rel: str) -> bool:
        return any(glob_match(p, rel) for p in self.exclude)


_GLOB_CACHE: dict[str, re.Pattern] = {}


def glob_match(pattern: str, rel: str) -> bool:
    """Match a project-relative POSIX path against a glob (``*``, ``?``, ``[..]``, ``**``).

    A pattern without ``/`` also matches the file's base name (as in .gitignore); a pattern that
    names a folder matches everything below it.
    """
    pat = _normalise(pattern)
    rx = _GLOB_CACHE.get(pat)
    if rx is None:
        rx = re.compile(_translate(pat))
        _GLOB_CACHE[pat] = rx
    if rx.fullmatch(rel):
        return True
    parts = rel.split("/")
    if "/" not in pat:
        # like .gitignore: a bare name matches a file or folder at any depth
        return any(rx.fullmatch(p) for p in parts)
    # a folder pattern matches everything inside it
    return any(rx.fullmatch("/".join(parts[:i])) for i in range(1, len(parts)))


def _normalise(pattern: str) -> str:
    p = pattern.strip()
    while p.startswith("./"):
        p = p[2:]
    return p.strip("/")


def _translate(pat: str) -> str:
    out = []
    i, n = 0, len(pat)
    while i < n:
        c = pat[i]
        if c == "*":
            if pat[i : i + 2] == "**":
                i += 2
                if pat[i : i + 1] == "/":
                    i += 1
                    out.append("(?:.*/)?")
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pat.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                body = pat[i + 1 : j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


# -- loading ----------------------------------------------------------------------------------


def _locate(text: str, needle: str) -> tuple[int, int]:
    """Best-effort line/col of ``needle`` in ``text`` (1-based) for messages."""
    idx = text.find(needle)
    if idx == -1:
        return 1, 1
    line = text.count("\n", 0, idx) + 1
    col = idx - (text.rfind("\n", 0, idx) + 1) + 1
    return line, col


def load_toml(path: Path) -> Config:
    import tomllib

    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise ConfigError(path, 1, 1, f"cannot read config: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(path, 1, 1, "config is not valid UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        if m:
            line, col = int(m.group(1)), int(m.group(2))
        else:  # "(at end of document)"
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
            line = max(line, 1)
            col = len(text.rsplit("\n", 1)[-1]) + 1 if not text.endswith("\n") else len(text.splitlines()[-1]) + 1 if text.strip() else 1
        msg = re.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", msg)
        raise ConfigError(path, line, col, f"invalid TOML: {msg}") from None
    except RecursionError:
        raise ConfigError(path, 1, 1, "invalid TOML: nested too deeply") from None
    return from_mapping(data, path, text)


def from_mapping(data: object, path: Path, text: str) -> Config:
    def fail(needle: str, message: str):
        line, col = _locate(text, needle)
        raise ConfigError(path, line, col, message)

    if not isinstance(data, dict):
        fail("twilint", "the twilint config must be a table/object")
    cfg = Config(path=path)
    for key in data:
        if key not in KNOWN_KEYS:
            fail(key, f"unknown config key {key!r} (known: {', '.join(sorted(KNOWN_KEYS))})")

    def str_list(key: str) -> list[str]:
        v = data.get(key, [])
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            fail(key, f"{key!r} must be a list of strings")
        return list(v)

    if "select" in data:
        cfg.select = str_list("select")
    cfg.ignore = str_list("ignore")
    cfg.exclude = str_list("exclude")
    if "fail-on" in data:
        v = data["fail-on"]
        if not isinstance(v, str) or v not in ("error", "warning", "info"):
            fail("fail-on", "'fail-on' must be one of error, warning, info")
        cfg.fail_on = v
    sev = data.get("severity", {})
    if not isinstance(sev, dict):
        fail("severity", "'severity' must be a table of rule = level")
    for rule, level in sev.items():
        if level not in ("error", "warning", "info", "off"):
            fail(str(rule), f"severity of {rule!r} must be error, warning, info or off, not {level!r}")
        cfg.severity[rule] = level
    pfi = data.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        fail("per-file-ignores", "'per-file-ignores' must be a table of glob = [rules]")
    for pattern, names in pfi.items():
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
            fail(pattern, f"per-file-ignores[{pattern!r}] must be a list of rule names")
        cfg.per_file_ignores[pattern] = list(names)
    plat = data.get("platform", {})
    if not isinstance(plat, dict):
        fail("platform", "'platform' must be a table")
    for key, value in plat.items():
        if key not in PLATFORM_KEYS:
            fail(key, f"unknown platform key {key!r} (known: {', '.join(sorted(PLATFORM_KEYS))})")
        if key in _PLATFORM_STRING_KEYS:
            if not isinstance(value, str):
                fail(key, f"{key!r} must be a {'runtime id' if key == 'default-runtime' else 'version'} string")
        elif not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            fail(key, f"{key!r} must be a list of {'runtime ids' if key.startswith('runtimes') else 'version strings'}")
    cfg.platform = dict(plat)
    return cfg


def validate_rule_names(cfg: Config, known: set[str]) -> None:
    """Unknown rule names in a config are an error (exit 2), as in ruff."""
    if cfg.path is None:
        return
    try:
        text = cfg.path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    names = list(cfg.select or []) + cfg.ignore + list(cfg.severity)
    for ns in cfg.per_file_ignores.values():
        names += ns
    for n in names:
        if n not in known and n != "ALL":
            line, col = _locate(text, n)
            raise ConfigError(cfg.path, line, col, f"unknown rule {n!r} (see `twilint rules`)")
