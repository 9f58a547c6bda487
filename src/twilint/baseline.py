"""Baselines: accept today's findings, fail only on new ones.

The file (``twilint check --write-baseline FILE``) is JSON, versioned by ``twilintBaseline``::

    {
      "twilintBaseline": 1,
      "tool": {"name": "twilint", "version": "0.1.0"},
      "findings": [
        {"fingerprint": "3f0c...", "rule": "lowercase-header-access",
         "path": "functions/a.js", "line": 2, "message": "..."}
      ]
    }

Only ``fingerprint`` is used for matching (see :mod:`twilint.fingerprint`; paths are hashed
relative to the baseline file's folder, so the file works from any working folder). ``rule``,
``path``, ``line`` and ``message`` are there for people reading diffs of the file, and ``rule`` and
``path`` decide which entries a run could have matched (for the stale count). Entries are sorted
and the file holds no timestamps, so re-writing an unchanged baseline changes nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from twilint import __version__
from twilint.engine import INTERNAL_ERROR, IO_ERROR
from twilint.fingerprint import fingerprints, posix_relpath
from twilint.records import field, record

FORMAT_VERSION = 1
NEVER_BASELINED = (IO_ERROR, INTERNAL_ERROR)


class BaselineError(Exception):
    pass


@record
class Entry:
    fingerprint: str
    rule: str
    path: str
    line: int = 0
    message: str = ""


@record
class Baseline:
    path: Path
    entries: list[Entry] = field(default_factory=list)

    @property
    def base(self) -> Path:
        return Path(os.path.abspath(self.path)).parent


def _fingerprints(diags, base: Path) -> dict[int, str]:
    return fingerprints(diags, lambda d: posix_relpath(d.path, base))


def load(path: Path) -> Baseline:
    try:
        text = Path(path).read_text("utf-8")
    except FileNotFoundError:
        raise BaselineError(f"baseline {path}: no such file (create it with --write-baseline)") from None
    except OSError as exc:
        raise BaselineError(f"baseline {path}: cannot read: {exc.strerror or exc}") from None
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise BaselineError(f"baseline {path}: not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or "twilintBaseline" not in doc:
        raise BaselineError(f"baseline {path}: not a twilint baseline (no \"twilintBaseline\" key)")
    if doc["twilintBaseline"] != FORMAT_VERSION:
        raise BaselineError(
            f"baseline {path}: format version {doc['twilintBaseline']!r} is not supported "
            f"(this twilint reads version {FORMAT_VERSION}); re-create it with --write-baseline"
        )
    entries = []
    for i, item in enumerate(doc.get("findings") or []):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise BaselineError(f"baseline {path}: findings[{i}] has no \"fingerprint\" string")
        entries.append(Entry(item["fingerprint"], str(item.get("rule", "")), str(item.get("path", "")),
                             int(item.get("line") or 0), str(item.get("message", ""))))
    return Baseline(Path(path), entries)


def write(path: Path, diagnostics) -> int:
    """Write every finding (except io-error and internal-error) to ``path``; returns the count."""
    base = Path(os.path.abspath(path)).parent
    diags = [d for d in diagnostics if d.rule not in NEVER_BASELINED]
    fps = _fingerprints(diags, base)
    entries = sorted(
        ({"fingerprint": fps[id(d)], "rule": d.rule, "path": posix_relpath(d.path, base), "line": d.line,
          "message": d.message} for d in diags),
        key=lambda e: (e["path"], e["line"], e["rule"], e["fingerprint"]),
    )
    doc = {"twilintBaseline": FORMAT_VERSION, "tool": {"name": "twilint", "version": __version__},
           "findings": entries}
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    tmp = Path(str(path) + ".tmp")
    try:
        tmp.write_text(text, "utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return len(entries)


def apply(result, baseline: Baseline) -> None:
    """Drop baselined findings from ``result.diagnostics``; count them and the stale entries.

    An entry is stale when the run checked its file with its rule enabled and nothing matched it
    (the finding was fixed or changed beyond recognition). Entries for files or rules the run did
    not look at (pre-commit passing only the staged files, ``--select``) are not stale.
    """
    base = baseline.base
    known = {e.fingerprint: e for e in baseline.entries}
    candidates = [d for d in result.diagnostics if d.rule not in NEVER_BASELINED]
    fps = _fingerprints(candidates, base)
    matched: set[str] = set()
    kept = []
    for d in result.diagnostics:
        fp = fps.get(id(d))
        if fp is not None and fp in known and fp not in matched:
            matched.add(fp)
            result.baselined.append(d)
            continue
        kept.append(d)
    result.diagnostics = kept
    checked: dict[str, set[str]] = {}
    for project in result.projects:
        rules = result.active_rules.get(project.root)
        if rules is None:
            continue
        for target in project.targets:
            checked[posix_relpath(target, base)] = rules
    result.baseline_stale = [
        e for e in baseline.entries
        if e.fingerprint not in matched and e.rule in checked.get(e.path, ())
    ]
