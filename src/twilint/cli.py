"""The `twilint` command line. Imports stay lazy: a pre-commit run on one file must start fast."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from twilint import __version__

EXIT_USAGE = 2


def _use_color(no_color: bool, stream) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _split(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="twilint", message="%(prog)s %(version)s")
def main() -> None:
    """twilint: lint and fix Twilio Functions (Serverless Toolkit) projects."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fix", is_flag=True, help="Apply safe fixes and write the files.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes (with --fix or --diff).")
@click.option("--diff", "diff_mode", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules (comma-separated, repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output-file", "-o", type=click.Path(path_type=Path), help="Write the report to a file.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: error, or the config's fail-on).")
@click.option("--quiet", "-q", is_flag=True, help="Print diagnostics only: no code frames, no summary.")
@click.option("--statistics", is_flag=True, help="Print counts per rule instead of each diagnostic.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (2 still means an error).")
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is respected too).")
def check(paths, fix, unsafe_fixes, diff_mode, select, ignore, fmt, output_file, fail_on, quiet, statistics,
          exit_zero, no_color):
    """Check PATHS (default: the current folder) and report problems.

    \b
    Exit codes: 0 no findings at or above the failing severity, 1 findings
    (or, with --diff, changes to make), 2 usage or config error, unreadable
    file, or internal error.
    """
    from twilint.runner import Options, UsageError, exit_code, run

    if fix and diff_mode:
        raise click.UsageError("--fix and --diff cannot be used together")
    mode = "fix" if fix else "diff" if diff_mode else "check"
    opts = Options(
        select=_split(select) or None,
        ignore=_split(ignore),
        mode=mode,
        unsafe_fixes=unsafe_fixes,
    )
    try:
        result, diffs = run(list(paths) or [Path(".")], opts)
    except UsageError as exc:
        click.echo(f"twilint: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)

    if diffs and fmt == "text":
        sys.stdout.write("".join(diffs))
        sys.stdout.flush()
    code = exit_code(result, fail_on, exit_zero, diffs)

    if output_file is not None:
        try:
            with open(output_file, "w", encoding="utf-8") as fh:
                _render(result, fmt, fh, False, quiet, statistics)
        except OSError as exc:
            click.echo(f"twilint: error: cannot write {output_file}: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_USAGE)
    elif diff_mode and fmt == "text":
        from twilint.report.text import render_diff_summary

        render_diff_summary(result, sys.stderr)
    else:
        _render(result, fmt, sys.stdout, _use_color(no_color, sys.stdout), quiet, statistics)
    sys.exit(code)


def _render(result, fmt, stream, color, quiet, statistics) -> None:
    if fmt == "json":
        from twilint.report.jsonout import render

        render(result, stream)
    else:
        from twilint.report.text import render

        render(result, stream, color, quiet, statistics)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_cmd(fmt):
    """List every rule: name, severity, fixable, summary."""
    from twilint.rules import all_rules

    rules = all_rules()
    if fmt == "json":
        import json

        click.echo(json.dumps([
            {"name": r.name, "severity": r.severity.label, "fixable": r.fixable, "summary": r.summary}
            for r in rules.values()
        ], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, box=None, pad_edge=False)
    table.add_column("rule", style="cyan", no_wrap=True)
    table.add_column("severity")
    table.add_column("fix")
    table.add_column("summary")
    for r in rules.values():
        table.add_row(r.name, r.severity.label, r.fixable or "-", r.summary)
    Console(no_color=bool(os.environ.get("NO_COLOR")), highlight=False).print(table)


@main.command("rule")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
def rule_cmd(name, fmt):
    """Show the documentation of rule NAME."""
    from twilint.rules import all_rules

    rules = all_rules()
    rule = rules.get(name)
    if rule is None:
        click.echo(f"twilint: error: unknown rule {name!r} (see `twilint rules`)", err=True)
        sys.exit(EXIT_USAGE)
    if fmt == "json":
        import json

        click.echo(json.dumps({"name": rule.name, "severity": rule.severity.label, "fixable": rule.fixable,
                               "summary": rule.summary, "docs": rule.docs}, indent=2))
        return
    if fmt == "markdown" or not sys.stdout.isatty():
        click.echo(rule.docs)
        return
    from rich.console import Console
    from rich.markdown import Markdown

    Console(no_color=bool(os.environ.get("NO_COLOR"))).print(Markdown(rule.docs))


if __name__ == "__main__":  # pragma: no cover
    main()
