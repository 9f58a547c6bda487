"""GitLab Code Quality JSON (``--format gitlab``): a JSON array of issues for the merge request
widget (``artifacts: reports: codequality``).

Each issue has ``description`` (the message), ``check_name`` (the rule), ``fingerprint`` (the
shared fingerprint, :mod:`twilint.fingerprint`, so GitLab can tell new findings from old ones
across pipelines), ``severity`` and ``location`` (``path`` relative to the working folder, which
should be the repository root, and ``lines.begin``/``lines.end``).

Severity mapping: ``error`` (fails the deploy, build or run) -> ``critical``; ``warning`` (a
likely bug) -> ``major``; ``info`` (advice) -> ``info``; ``io-error``/``internal-error`` ->
``blocker``.
"""

from __future__ import annotations

import json

from twilint.engine import INTERNAL_ERROR, IO_ERROR
from twilint.report import RunResult

SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def to_list(result: RunResult) -> list[dict]:
    import os

    from twilint.fingerprint import fingerprints, posix_relpath

    cwd = os.getcwd()
    diags = sorted(result.diagnostics, key=lambda d: d.sort_key())
    fps = fingerprints(diags, lambda d: posix_relpath(d.path, cwd))
    out = []
    for d in diags:
        sev = "blocker" if d.rule in (IO_ERROR, INTERNAL_ERROR) else SEVERITY[d.severity.label]
        out.append({
            "type": "issue",
            "description": d.message,
            "check_name": d.rule,
            "fingerprint": fps[id(d)],
            "severity": sev,
            "categories": ["Bug Risk"],
            "location": {"path": posix_relpath(d.path, cwd), "lines": {"begin": d.line, "end": d.end_line}},
        })
    return out


def render(result: RunResult, out) -> None:
    # one write: json.dump writes every token separately (a system call each, unbuffered)
    out.write(json.dumps(to_list(result), indent=2, ensure_ascii=False) + "\n")
