"""SARIF 2.1.0 (``--format sarif``), for GitHub code scanning and other SARIF viewers.

- ``tool.driver.rules``: every registered rule (plus ``io-error`` and ``internal-error``), with its
  summary, the first paragraph of *What it does*, the rule page as help (text and Markdown), a
  ``helpUri`` and the default level; ``ruleIndex`` points into that list.
- Locations are relative to the working folder (``uriBaseId`` ``%SRCROOT%``, which
  ``originalUriBaseIds`` resolves to the working folder); columns count code points
  (``columnKind`` ``unicodeCodePoints``), end columns are exclusive, as SARIF wants.
- Fixes become SARIF ``fixes``; their safety and reason go in the fix's ``properties``.
- ``partialFingerprints["twilint/v1"]`` is the fingerprint baselines use
  (:mod:`twilint.fingerprint`), so a finding keeps its identity when lines move.
- Config and usage errors become ``toolExecutionNotifications``; ``executionSuccessful`` is false
  when there are any.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from twilint import __version__
from twilint.engine import INTERNAL_ERROR, IO_ERROR
from twilint.report import RunResult

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "twilint/v1"
SRCROOT = "%SRCROOT%"

_PSEUDO_RULES = {
    IO_ERROR: ("A file cannot be read (permissions, a symlink loop, not a regular file, too large)",
               "error"),
    INTERNAL_ERROR: ("A rule crashed on a file; please report it", "error"),
}


def _uri(path: Path, cwd: str) -> tuple[str, bool]:
    """A URI for ``path``: relative to the working folder when it is inside it."""
    from urllib.parse import quote

    rel = os.path.relpath(path, cwd)
    if rel == ".." or rel.startswith(".." + os.sep) or os.path.isabs(rel):
        return Path(os.path.abspath(path)).as_uri(), False
    return quote(rel.replace(os.sep, "/")), True


def _artifact_location(path: Path, cwd: str) -> dict:
    uri, relative = _uri(path, cwd)
    loc = {"uri": uri}
    if relative:
        loc["uriBaseId"] = SRCROOT
    return loc


def _descriptors() -> tuple[list[dict], dict[str, int]]:
    from twilint.docs import first_paragraph, rule_page, rule_url
    from twilint.rules import all_rules

    out: list[dict] = []
    for rule in all_rules().values():
        page = rule_page(rule)
        out.append({
            "id": rule.name,
            "name": "".join(w.capitalize() for w in rule.name.split("-")),
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": first_paragraph(rule)},
            "help": {"text": page, "markdown": page},
            "helpUri": rule_url(rule.name),
            "defaultConfiguration": {"level": LEVELS[rule.severity.label]},
            "properties": {"fixable": rule.fixable or "none", "tags": sorted(rule.file_kinds)},
        })
    for name, (summary, level) in _PSEUDO_RULES.items():
        out.append({
            "id": name,
            "name": "".join(w.capitalize() for w in name.split("-")),
            "shortDescription": {"text": summary},
            "fullDescription": {"text": summary},
            "defaultConfiguration": {"level": level},
        })
    return out, {d["id"]: i for i, d in enumerate(out)}


def _region(d) -> dict:
    return {"startLine": d.line, "startColumn": d.column, "endLine": d.end_line, "endColumn": d.end_column}


def _fix(d, cwd: str) -> dict | None:
    props = {"safety": d.fix.safety}
    if d.fix.reason:
        props["reason"] = d.fix.reason
    create = getattr(d.fix, "create", None)
    if create is not None:
        # A fix that creates a file: insert its whole text at the start of the (new) artifact.
        props["createsFile"] = True
        return {
            "description": {"text": d.fix.description},
            "artifactChanges": [{
                "artifactLocation": _artifact_location(Path(create.path), cwd),
                "replacements": [{
                    "deletedRegion": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1},
                    "insertedContent": {"text": create.text.decode("utf-8", errors="replace")},
                }],
            }],
            "properties": props,
        }
    if not d.fix.edits:
        return None
    f = d.file
    lines = f.lines
    plain_utf8 = f.text_info.encoding == "utf-8" and not f.text_info.bom
    replacements = []
    for e in d.fix.edits:
        sl, sc = lines.line_col(e.start)
        el, ec = lines.line_col(e.end)
        region = {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec}
        if plain_utf8:  # byte offsets are only the file's own when it is stored as plain UTF-8
            region["byteOffset"] = e.start
            region["byteLength"] = e.end - e.start
        replacements.append({"deletedRegion": region,
                             "insertedContent": {"text": e.text.decode("utf-8", errors="replace")}})
    return {
        "description": {"text": d.fix.description},
        "artifactChanges": [{"artifactLocation": _artifact_location(d.path, cwd), "replacements": replacements}],
        "properties": props,
    }


def to_dict(result: RunResult) -> dict:
    from twilint.fingerprint import fingerprints, posix_relpath

    cwd = os.getcwd()
    rules, index = _descriptors()
    diags = sorted(result.diagnostics, key=lambda d: d.sort_key())
    fps = fingerprints(diags, lambda d: posix_relpath(d.path, cwd))
    results = []
    for d in diags:
        res = {
            "ruleId": d.rule,
            "level": LEVELS[d.severity.label],
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": _artifact_location(d.path, cwd),
                "region": _region(d),
            }}],
            "partialFingerprints": {FINGERPRINT_KEY: fps[id(d)]},
        }
        if d.rule in index:
            res["ruleIndex"] = index[d.rule]
        fix = _fix(d, cwd) if d.fix is not None else None
        if fix is not None:
            res["fixes"] = [fix]
        results.append(res)
    notifications = [{"level": "error", "message": {"text": err}} for err in result.errors]
    invocation = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {"driver": {
            "name": "twilint",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": _homepage(),
            "rules": rules,
        }},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": Path(cwd).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if result.baseline_used:
        run["properties"] = {"baselined": len(result.baselined), "baselineStale": len(result.baseline_stale)}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _homepage() -> str:
    from twilint.docs import HOMEPAGE

    return HOMEPAGE


def render(result: RunResult, out) -> None:
    # one write: json.dump writes every token separately (a system call each, unbuffered)
    out.write(json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n")
