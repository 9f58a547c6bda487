"""What every migration recipe shares: plans, dry runs, atomic writes, progress, summary, reports.

A recipe turns each project into a :class:`Plan`: a list of :class:`Change` (new contents for a
file, a new file, or a deletion) plus the items that need a person. :func:`execute` then applies
the plans in one of three modes:

- ``write`` (default): writes every change atomically (existing files keep their encoding, BOM,
  line endings and mode through :func:`twilint.fixes.write_atomic`; new files are created with
  :func:`twilint.fixes.create_atomic`, which never replaces a file);
- ``diff``: prints unified diffs and writes nothing;
- ``check``: writes nothing, exits 1 when any project still needs migrating (for CI).

Running a recipe twice changes nothing the second time: a recipe must produce an empty plan for a
project it already migrated (the tests check this for every recipe).
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

from twilint.records import field, record

EXIT_OK, EXIT_NEEDS, EXIT_ERROR = 0, 1, 2


@record
class Change:
    path: Path
    new: bytes | None  # UTF-8 contents; None deletes the file
    description: str
    old: bytes | None = None  # None: the file does not exist yet (a creation)
    text_info: object = None  # twilint.sources.text.TextInfo of the existing file, to keep its form

    @property
    def kind(self) -> str:
        if self.new is None:
            return "delete"
        return "create" if self.old is None else "edit"


@record
class Plan:
    project: Path
    recipe: str
    source: str = ""  # what it migrates from (e.g. "node18"), for the summary
    target: str = ""  # what it migrates to
    changes: list[Change] = field(default_factory=list)
    needs_person: list[str] = field(default_factory=list)  # follow-ups a human must do
    errors: list[str] = field(default_factory=list)  # path:line:col: message; the project is skipped
    notes: list[str] = field(default_factory=list)  # informational (e.g. the deploy command to verify)

    @property
    def pending(self) -> bool:
        return bool(self.changes)

    def edit(self, path: Path, old: bytes, new: bytes, description: str, text_info=None) -> None:
        if old != new:
            self.changes.append(Change(path, new, description, old, text_info))

    def create(self, path: Path, new: bytes, description: str) -> None:
        self.changes.append(Change(path, new, description, None))

    def delete(self, path: Path, old: bytes, description: str) -> None:
        self.changes.append(Change(path, None, description, old))


def display(path: Path) -> str:
    from twilint.engine import display_path

    return display_path(path)


def unified(change: Change) -> str:
    name = display(change.path)
    a = (change.old or b"").decode("utf-8", "replace").splitlines(keepends=True)
    b = (change.new or b"").decode("utf-8", "replace").splitlines(keepends=True)
    old_name = "/dev/null" if change.old is None else (name if name.startswith("/") else f"a/{name}")
    new_name = "/dev/null" if change.new is None else (name if name.startswith("/") else f"b/{name}")
    out = []
    for line in difflib.unified_diff(a, b, fromfile=old_name, tofile=new_name):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def apply_change(change: Change) -> None:
    from twilint.fixes import create_atomic, write_atomic
    from twilint.sources.text import TextInfo

    real = Path(os.path.realpath(change.path))
    if "node_modules" in real.parts:
        raise OSError(f"refusing to write into node_modules: {change.path}")
    if change.new is None:
        os.unlink(change.path)
    elif change.old is None:
        change.path.parent.mkdir(parents=True, exist_ok=True)
        create_atomic(change.path, change.new)
    else:
        current = change.path.read_bytes()
        info = change.text_info or TextInfo()
        from twilint.sources.text import encode

        if current != encode(change.old, info) and current != change.old:
            raise OSError(f"{change.path} changed while migrating; nothing written")
        write_atomic(change.path, change.new, info)


def execute(plans: list[Plan], mode: str, report: Path | None = None, quiet: bool = False,
            out=None, err=None) -> int:
    """Apply ``plans``; print diffs (``diff``), a summary table and the follow-ups; write the
    report. Returns the exit code: 2 if any project had errors or a write failed, else 1 when
    ``check`` finds work left (or ``diff`` has changes), else 0."""
    import sys

    out = out or sys.stdout
    err = err or sys.stderr
    failures: list[str] = []
    if mode == "diff":
        for p in plans:
            for c in p.changes:
                out.write(unified(c))
    elif mode == "write":
        for p in _progress(plans, quiet, err):
            for c in p.changes:
                try:
                    apply_change(c)
                except OSError as exc:
                    failures.append(f"{display(c.path)}: {exc.strerror or exc}")
    if not quiet:
        _summary(plans, mode, err)
    for f in failures:
        err.write(f"twilint: error: {f}\n")
    if report is not None:
        write_report(plans, mode, report, failures)
    if failures or any(p.errors for p in plans):
        return EXIT_ERROR
    if mode in ("check", "diff") and any(p.pending for p in plans):
        return EXIT_NEEDS
    return EXIT_OK


def _progress(plans: list[Plan], quiet: bool, err):
    if quiet or len(plans) < 2 or not getattr(err, "isatty", lambda: False)():
        yield from plans
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("migrating", total=len(plans))
        for p in plans:
            yield p
            progress.advance(task)


def _summary(plans: list[Plan], mode: str, err) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=err, no_color=bool(os.environ.get("NO_COLOR")) or not getattr(err, "isatty", lambda: False)(),
                      highlight=False, width=160)
    verb = {"write": "changed", "diff": "would change", "check": "to change"}[mode]
    table = Table(box=None, pad_edge=False)
    for col in ("project", "from", "to", f"files {verb}", "needs a person"):
        table.add_column(col)
    for p in plans:
        table.add_row(display(p.project), p.source or "-", p.target or "-", str(len(p.changes)),
                      str(len(p.needs_person)) if not p.errors else f"error: {len(p.errors)}")
    console.print(table)
    for p in plans:
        for e in p.errors:
            console.print(f"error: {e}", markup=False)
        for n in p.needs_person:
            console.print(f"{display(p.project)}: needs a person: {n}", markup=False)
        for n in p.notes:
            console.print(f"{display(p.project)}: {n}", markup=False)


def report_dict(plans: list[Plan], mode: str, failures: list[str]) -> dict:
    from twilint import __version__

    return {
        "schemaVersion": 1,
        "tool": {"name": "twilint", "version": __version__},
        "mode": mode,
        "projects": [
            {
                "project": display(p.project),
                "recipe": p.recipe,
                "from": p.source,
                "to": p.target,
                "changes": [{"path": display(c.path), "kind": c.kind, "description": c.description} for c in p.changes],
                "needsPerson": list(p.needs_person),
                "errors": list(p.errors),
                "notes": list(p.notes),
            }
            for p in plans
        ],
        "failures": failures,
    }


def write_report(plans: list[Plan], mode: str, path: Path, failures: list[str]) -> None:
    """JSON by default; Markdown for ``.md``; HTML for ``.html``/``.htm``."""
    data = report_dict(plans, mode, failures)
    suffix = path.suffix.lower()
    if suffix == ".md":
        text = _markdown(data)
    elif suffix in (".html", ".htm"):
        text = _html(data)
    else:
        text = json.dumps(data, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")


def _markdown(data: dict) -> str:
    lines = [f"# twilint migrate ({data['mode']})", "", "| project | from | to | files | needs a person |", "|---|---|---|---|---|"]
    for p in data["projects"]:
        lines.append(f"| {p['project']} | {p['from'] or '-'} | {p['to'] or '-'} | {len(p['changes'])} | {len(p['needsPerson'])} |")
    for p in data["projects"]:
        if p["changes"] or p["needsPerson"] or p["errors"] or p["notes"]:
            lines += ["", f"## {p['project']}", ""]
            lines += [f"- {c['kind']} `{c['path']}`: {c['description']}" for c in p["changes"]]
            lines += [f"- **needs a person:** {n}" for n in p["needsPerson"]]
            lines += [f"- **error:** {e}" for e in p["errors"]]
            lines += [f"- note: {n}" for n in p["notes"]]
    return "\n".join(lines) + "\n"


def _html(data: dict) -> str:
    from html import escape

    rows = "".join(
        f"<tr><td>{escape(p['project'])}</td><td>{escape(p['from'] or '-')}</td><td>{escape(p['to'] or '-')}</td>"
        f"<td>{len(p['changes'])}</td><td>{len(p['needsPerson'])}</td></tr>"
        for p in data["projects"]
    )
    details = ""
    for p in data["projects"]:
        items = [f"<li>{escape(c['kind'])} <code>{escape(c['path'])}</code>: {escape(c['description'])}</li>" for c in p["changes"]]
        items += [f"<li><strong>needs a person:</strong> {escape(n)}</li>" for n in p["needsPerson"]]
        items += [f"<li><strong>error:</strong> {escape(e)}</li>" for e in p["errors"]]
        items += [f"<li>note: {escape(n)}</li>" for n in p["notes"]]
        if items:
            details += f"<h2>{escape(p['project'])}</h2><ul>{''.join(items)}</ul>"
    return (
        "<!doctype html><meta charset=utf-8><title>twilint migrate</title>"
        f"<h1>twilint migrate ({escape(data['mode'])})</h1>"
        "<table border=1><tr><th>project</th><th>from</th><th>to</th><th>files</th><th>needs a person</th></tr>"
        f"{rows}</table>{details}\n"
    )
