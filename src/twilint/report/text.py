"""Human output: ``path:line:col: severity[rule] message``, a code frame and a summary."""

from __future__ import annotations

import re

from twilint.engine import display_path
from twilint.model import Severity
from twilint.report import RunResult, display_paths

SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
_LABEL = {s: s.label for s in Severity}  # (Severity.label, without the enum's name look-up)

# Control characters other than tab (C0, DEL, C1) in what is printed: file names, config values
# and source lines come from the repository, and an escape sequence in one must not drive the
# terminal (retitle it, recolour it, move the cursor). Each becomes one visible character (the
# Unicode control pictures, else U+FFFD), so the caret under a code frame still lines up.
_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_VISIBLE = {**{i: 0x2400 + i for i in range(32) if i != 9}, 0x7F: 0x2421, **{i: 0xFFFD for i in range(0x80, 0xA0)}}


def printable(text: str) -> str:
    """``text`` with its control characters (but tab) shown, not obeyed."""
    return text.translate(_VISIBLE) if _CONTROLS.search(text) else text


class _Lines:
    """Writes lines made of plain and styled parts: through rich when colour is on, straight to
    the stream otherwise (no rich import on that path: pre-commit and CI logs are not terminals).
    Plain lines are written in blocks (:meth:`flush`): a line at a time is a system call a line
    when the stream is unbuffered (``PYTHONUNBUFFERED``, some CI runners)."""

    BLOCK = 1 << 16  # characters

    def __init__(self, out, color: bool):
        self.out = out
        self.console = None
        self.pending: list[str] = []
        self.size = 0
        if color:
            from rich.console import Console

            self.console = Console(file=out, color_system="auto", highlight=False, soft_wrap=True,
                                   force_terminal=True, width=200)

    def line(self, *parts) -> None:
        """``parts``: strings, and (text, style) pairs."""
        if self.console is None:
            text = printable("".join([p if isinstance(p, str) else p[0] for p in parts]))
            text = (text.expandtabs(8) if "\t" in text else text) + "\n"  # as rich does
            self.pending.append(text)
            self.size += len(text)
            if self.size >= self.BLOCK:
                self.flush()
            return
        from rich.text import Text

        self.console.print(Text.assemble(*[printable(p) if isinstance(p, str) else (printable(p[0]), p[1])
                                           for p in parts]))

    def flush(self) -> None:
        if self.pending:
            self.out.write("".join(self.pending))
            self.pending.clear()
            self.size = 0


def render(result: RunResult, out, color: bool, quiet: bool, statistics: bool, show_frames: bool = True) -> None:
    diags = sorted(result.diagnostics, key=lambda d: d.sort_key())
    if not diags and not result.refused and not result.errors and (quiet or not statistics) and result.mode != "fix":
        if not quiet:
            for path, why in _not_checked_lines(result):
                out.write(printable(f"{display_path(path)}: not checked: {why}") + "\n")
            out.write(_summary_plain(result) + "\n")
        return
    w = _Lines(out, color)
    try:
        for err in result.errors:
            w.line((err, "bold red"))
        if statistics:
            _statistics(w, result)
        else:
            show = display_paths()
            memo: dict = {}
            for d in diags:
                if quiet and d.severity.label == "info":
                    continue
                _diagnostic(w, d, show_frames and not quiet, show, memo)
        for path, rule, reason in result.refused:
            w.line((f"{display_path(path)}: ", "bold"), ("fix not applied ", "bold red"), (f"[{rule}]", "dim"), f" {reason}")
        if not quiet:
            for path, why in _not_checked_lines(result):
                w.line((f"{display_path(path)}: ", "bold"), ("not checked: ", "dim"), why)
            w.line((_summary_plain(result), "bold"))
    finally:
        w.flush()


def _not_checked_lines(result: RunResult) -> list:
    """Named files that were not checked, each with why, when the run checked no file at all
    (so "0 files checked" is explained). Otherwise the summary only counts them: a pre-commit
    hook passes every staged script, tests and tooling included, and a line for each would be
    noise (ESLint's per-file "File ignored" warnings are a known complaint)."""
    return result.not_checked if result.files_checked == 0 else []


def render_diff_summary(result: RunResult, out) -> None:
    for path, rule, reason in result.refused:
        out.write(printable(f"{display_path(path)}: fix not applied [{rule}] {reason}") + "\n")
    for err in result.errors:
        out.write(printable(err) + "\n")
    out.write(_summary_plain(result) + "\n")


class _SplitLines:
    """``LineIndex.line_text`` and ``line_count`` of a decoded (valid UTF-8) buffer, from one
    ``bytes.split``: what code frames need, for much less than a full LineIndex when the file
    has none yet (results from the cache). A test keeps the two equal."""

    __slots__ = ("rows",)

    def __init__(self, data: bytes):
        self.rows = data.split(b"\n")

    @property
    def line_count(self) -> int:
        return len(self.rows)

    def line_text(self, line: int) -> str:
        if line < 1 or line > len(self.rows):
            return ""
        return self.rows[line - 1].decode("utf-8", errors="replace").rstrip("\r\n")


def _frame_lines(file, memo: dict | None):
    lines = file.__dict__.get("lines")  # (the file's LineIndex, when something made it already)
    if lines is not None or memo is None:
        return lines if lines is not None else file.lines
    lines = memo.get(file)
    if lines is None:
        lines = memo[file] = _SplitLines(file.data)
    return lines


def _diagnostic(w: _Lines, d, frame: bool, show=display_path, memo: dict | None = None) -> None:
    sev = _LABEL[d.severity]
    w.line((f"{show(d.path)}:{d.line}:{d.column}", "bold"), ": ", (sev, SEVERITY_STYLE[sev]),
           (f"[{d.rule}]", "cyan"), " ", d.message)
    if not frame or not d.file.ok:
        return
    if d.file.kind == "env":
        # env values are secrets: show the line with its value masked, no neighbours
        w.line((f"> {d.line} | ", "dim"), mask_secrets(mask_env_line(_frame_lines(d.file, memo).line_text(d.line))))
        return
    lines = _frame_lines(d.file, memo)
    width = len(str(d.line + 1))
    for ln in range(max(1, d.line - 1), min(lines.line_count, d.line + 1) + 1):
        text = mask_secrets(lines.line_text(ln))
        marker = ">" if ln == d.line else " "
        w.line((f"{marker} {ln:>{width}} | ", "dim"), text)
        if ln == d.line:
            line_text = lines.line_text(ln)
            start = d.column - 1
            end = d.end_column - 1 if d.end_line == d.line else len(line_text)
            end = max(end, start + 1)
            head = line_text[:start]
            pad = "".join("\t" if ch == "\t" else " " for ch in head) if "\t" in head else " " * len(head)
            w.line((f"  {' ' * width} | ", "dim"), pad, ("^" * (end - start), SEVERITY_STYLE[sev]))
    if d.fix is not None:
        how = "--fix" if d.fix.safety == "safe" else "--unsafe-fixes"
        note = f"  help: {d.fix.description} ({d.fix.safety} fix, {how})"
        if d.fix.reason:
            note += f"; unsafe because {d.fix.reason}"
        w.line((note, "green" if d.fix.safety == "safe" else "yellow"))


# Credential-looking text in code frames: Twilio SIDs and 32-hex tokens, PEM bodies (40+ base64
# characters), and long random-looking tokens (letters and at least three digits, no spaces). Masked to the same width so
# the caret under the line still points at the right column.
_SECRETISH = re.compile(
    r"(?<![A-Za-z0-9_])(?:[A-Z]{2}[0-9a-fA-F]{32}|[0-9a-fA-F]{32}|[A-Za-z0-9+/=]{40,}|(?=[A-Za-z0-9_+/=\-]*[0-9][A-Za-z0-9_+/=\-]*[0-9]"
    r"[A-Za-z0-9_+/=\-]*[0-9])(?=[A-Za-z0-9_+/=\-]*[A-Za-z][A-Za-z0-9_+/=\-]*[A-Za-z])[A-Za-z0-9_+/=\-]{20,})(?![A-Za-z0-9_])"
)


def mask_secrets(line: str) -> str:
    """``line`` with anything that looks like a credential replaced by `*` of the same length."""
    if len(line) < 20:
        return line  # (every alternative of the pattern is 20 characters or more)
    return _SECRETISH.sub(lambda m: "*" * len(m.group(0)), line)


def mask_env_line(line: str) -> str:
    """`KEY=value` -> `KEY=****`; comments stay; anything else (a multi-line value) is masked."""
    stripped = line.lstrip()
    if not stripped or stripped.startswith("#"):
        return line
    key, eq, value = line.partition("=")
    if not eq:
        return "****"
    return f"{key}={'****' if value.strip() else ''}"


def _statistics(w: _Lines, result: RunResult) -> None:
    by_rule: dict[str, list] = {}
    for d in result.diagnostics:
        by_rule.setdefault(d.rule, []).append(d)
    for rule, ds in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        fixable = any(x.fix is not None and x.fix.safety == "safe" for x in ds)
        w.line((f"{len(ds):>5}", "bold"), "  ", (rule, "cyan"), "  ", ("[*] fixable" if fixable else ""))


def _summary_plain(result: RunResult) -> str:
    c = result.counts()
    total = sum(c.values())
    parts = [f"{c[k]} {k}{'s' if c[k] != 1 else ''}" for k in ("error", "warning", "info") if c[k]]
    files = f"{result.files_checked} file{'s' if result.files_checked != 1 else ''}"
    if result.mode == "diff":
        fixed = len(result.fixed)
        n = len(result.changed_files)
        line = f"Would fix {fixed} problem{'s' if fixed != 1 else ''} in {n} file{'s' if n != 1 else ''}."
        if total - fixed > 0:
            line += f" {total - fixed} would remain."
        return line
    if result.mode == "fix" and result.fixed:
        fixed = len(result.fixed)
        line = f"Fixed {fixed} problem{'s' if fixed != 1 else ''} in {len(result.changed_files)} file{'s' if len(result.changed_files) != 1 else ''}; "
        line += f"{total} remaining" + (f" ({', '.join(parts)})" if parts else "") + f" in {files} checked."
    elif total == 0 and result.mode == "fix":
        line = f"No fixes to apply; all checks passed ({files} checked)."
    elif total == 0:
        line = f"All checks passed ({files} checked)."
    else:
        line = f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) in {files} checked."
    if result.not_checked and result.files_checked:
        n = len(result.not_checked)
        line += f" {n} named file{'s' if n != 1 else ''} not checked (not deployed code; --format json lists why)."
    if result.errors:
        n = len(result.errors)
        line = f"{n} error{'s' if n != 1 else ''} stopped twilint from checking everything (exit code 2). " + line
    safe = result.fixable(False)
    unsafe_only = result.fixable(True) - safe
    if result.mode != "fix" and safe:
        line += f" {safe} fixable with --fix."
    if unsafe_only and not (result.mode == "fix" and result.unsafe_fixes):
        line += f" {unsafe_only} more with --unsafe-fixes."
    if result.baseline_used:
        b = len(result.baselined)
        line += f" {b} baselined finding{'s' if b != 1 else ''} not shown."
        stale = len(result.baseline_stale)
        if stale:
            line += (f" {stale} baseline entr{'ies' if stale != 1 else 'y'} no longer match"
                     f"{'es' if stale == 1 else ''} (fixed?); prune with --write-baseline.")
    return line
