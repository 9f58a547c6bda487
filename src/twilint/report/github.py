"""GitHub Actions workflow commands (``--format github``): each diagnostic becomes an annotation on
the pull request.

    ::error file=functions/a.js,line=2,col=34,endLine=2,endColumn=49,title=twilint (lowercase-header-access)::message

Severity ``error`` -> ``::error``, ``warning`` -> ``::warning``, ``info`` -> ``::notice``. Paths are
relative to the working folder (run twilint from the repository root, as Actions does by default).
Escaping follows the runner's rules: in the message (data) ``%``, CR and LF become ``%25``,
``%0D`` and ``%0A``; in property values ``:`` and ``,`` are escaped too (``%3A``, ``%2C``); other
control characters are shown as symbols (``␛``), as in the text report. Config
errors become ``::error::`` lines without a file. The plain summary line ends the output.
"""

from __future__ import annotations

from twilint.engine import display_path
from twilint.report import RunResult
from twilint.report.text import printable

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """The runner's escaping, after the other control characters are made visible, as the text
    report does (an escape sequence in a message would drive the log viewer)."""
    lines = text.replace("%", "%25").replace("\r", "%0D").split("\n")
    return "%0A".join(printable(line) for line in lines)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d) -> str:
    props = [
        ("file", display_path(d.path).replace("\\", "/")),
        ("line", str(d.line)),
        ("col", str(d.column)),
        ("endLine", str(d.end_line)),
        ("endColumn", str(d.end_column)),
        ("title", f"twilint ({d.rule})"),
    ]
    message = d.message
    if d.fix is not None:
        how = "--fix" if d.fix.safety == "safe" else "--fix --unsafe-fixes"
        message += f"\nFix ({d.fix.safety}, {how}): {d.fix.description}"
        if d.fix.reason:
            message += f"; unsafe because {d.fix.reason}"
    prop_text = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS[d.severity.label]} {prop_text}::{escape_data(message)}"


def render(result: RunResult, out) -> None:
    from twilint.report.text import _summary_plain

    lines = []  # written at once (a system call a line when the stream is unbuffered)
    for err in result.errors:
        lines.append(f"::error title={escape_property('twilint')}::{escape_data(err)}\n")
    for d in sorted(result.diagnostics, key=lambda d: d.sort_key()):
        lines.append(annotation(d) + "\n")
    for path, rule, reason in result.refused:
        lines.append(f"::warning file={escape_property(display_path(path))},title={escape_property(f'twilint ({rule})')}"
                     f"::{escape_data('fix not applied: ' + reason)}\n")
    lines.append(_summary_plain(result) + "\n")
    out.write("".join(lines))
