"""Machine output. The shape is documented in docs/json-output.md and pinned by the JSON Schema
``check-result.schema.json`` beside this module (``schemaVersion`` 1)."""

from __future__ import annotations

import json

from twilint import __version__
from twilint.engine import display_path
from twilint.report import RunResult, display_paths

SCHEMA_VERSION = 1


def diagnostic_dict(d, fingerprint: str | None = None, show=display_path) -> dict:
    out = {
        "rule": d.rule,
        "severity": d.severity.label,
        "message": d.message,
        "path": show(d.path),
        "line": d.line,
        "column": d.column,
        "endLine": d.end_line,
        "endColumn": d.end_column,
        "startByte": d.start,
        "endByte": d.end,
        "fix": None,
    }
    if fingerprint is not None:
        out["fingerprint"] = fingerprint
    if d.fix is not None:
        out["fix"] = {
            "description": d.fix.description,
            "safety": d.fix.safety,
            "reason": d.fix.reason,
            "edits": [
                {"startByte": e.start, "endByte": e.end, "content": e.text.decode("utf-8", errors="replace")}
                for e in d.fix.edits
            ],
        }
    return out


def to_dict(result: RunResult) -> dict:
    from twilint.fingerprint import cwd_fingerprints

    counts = result.counts()
    diags = sorted(result.diagnostics, key=lambda d: d.sort_key())
    fps = cwd_fingerprints(diags)
    display_path = display_paths()  # (remembered, for this report)
    doc = {
        "schemaVersion": SCHEMA_VERSION,
        "tool": {"name": "twilint", "version": __version__},
        "mode": result.mode,
        "diagnostics": [diagnostic_dict(d, fps[id(d)], display_path) for d in diags],
        "fixed": [
            {"rule": d.rule, "path": display_path(d.path), "line": d.line, "column": d.column, "message": d.message}
            for d in result.fixed
        ],
        "fixRefused": [
            {"path": display_path(p), "rule": r, "reason": reason} for p, r, reason in result.refused
        ],
        "changedFiles": [display_path(p) for p in result.changed_files],
        "diffs": [{"path": display_path(p), "diff": d} for p, d in result.diffs],
        "projects": [
            {
                "root": display_path(p.root),
                "functionsDirs": [display_path(d) for d in p.functions_dirs],
                "assetsDirs": [display_path(d) for d in p.assets_dirs],
                "twilio": p.twilio_evidence,
            }
            for p in result.projects
        ],
        "skipped": [{"path": display_path(p), "reason": why} for p, why in result.skipped],
        "errors": list(result.errors),
        "summary": {
            "files": result.files_checked,
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
            "fixed": len(result.fixed),
            "fixable": result.fixable(False),
            "fixableUnsafe": result.fixable(True) - result.fixable(False),
        },
    }
    if result.baseline_used:
        doc["summary"]["baselined"] = len(result.baselined)
        doc["summary"]["baselineStale"] = len(result.baseline_stale)
    return doc


def render(result: RunResult, out) -> None:
    # one write: json.dump writes every token separately (a system call each, unbuffered)
    out.write(json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n")
