"""The `twilint` command line. Imports stay lazy: a pre-commit run on one file must start fast.

The commands are click commands, built on first use (:func:`cli`). Importing click costs more
than a warm `twilint check` spends on anything else, so :func:`main` first tries
:func:`_fast_check_args`: a plain `twilint check ...` command line made only of the options
below, spelled exactly, with values click would accept as they are, runs without click. Anything
else (help, a misspelt or unusual option, a value click would reject or report on, shell
completion) goes to click, which then prints what it always printed.
"""

from __future__ import annotations

import functools
import gc
import os
import sys

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


def _echo_err(message: str) -> None:
    import click

    click.echo(message, err=True)


FORMATS = ["text", "json", "sarif", "github", "junit", "gitlab"]


def console() -> None:
    """The console script (`twilint = twilint.cli:console`): :func:`main`, and for a plain
    check, an exit that skips tearing the interpreter down. Freeing every module and object one
    by one costs a cold run ~5 ms (2%) for nothing: output is flushed first, every file twilint
    writes is closed by then, and twilint registers no exit handler. Anything else (a fix, other
    commands, an error) exits the usual way.

    It first defers ``urllib.parse`` until something uses it (see :mod:`twilint._deferred`)."""
    from twilint import _deferred

    _deferred.defer()
    try:
        code = main()
    except SystemExit as exc:
        code = exc.code
    if _FAST_EXIT:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass  # (a closed pipe: the usual exit reports it as it always did)
        else:
            os._exit(code or 0)
    sys.exit(code)


_FAST_EXIT = False  # set by a plain `check` (no --fix, no --diff) on the fast path that exits with a number


def main(*args, **kwargs):
    """The command line (what :func:`console` runs)."""
    # A run makes many small objects (tree nodes, findings) and frees them with their project,
    # by reference counting: a collection of the young generation every 700 allocations is 2%
    # of a cold run for nothing (mypy sets the same thresholds, for the same reason).
    gc.set_threshold(200_000, 30, 30)
    if not args and not kwargs:
        fast = _fast_check_args(sys.argv[1:])
        if fast is not None:
            return _run_fast(fast)
    return cli()(*args, **kwargs)


class _UseClick(Exception):
    """The `check` command line is not one the fast path takes: click parses it."""


# `twilint check` options: long name -> (parameter, kind); kinds: flag, value, multiple, path,
# choice:<values>, jobs. Must list exactly what `cli()` declares (a test compares them).
_CHECK_OPTIONS = {
    "--fix": ("fix", "flag"),
    "--unsafe-fixes": ("unsafe_fixes", "flag"),
    "--diff": ("diff_mode", "flag"),
    "--select": ("select", "multiple"),
    "--ignore": ("ignore", "multiple"),
    "--format": ("fmt", "choice:" + ",".join(FORMATS)),
    "--output-file": ("output_file", "path"),
    "-o": ("output_file", "path"),
    "--fail-on": ("fail_on", "choice:error,warning,info"),
    "--quiet": ("quiet", "flag"),
    "-q": ("quiet", "flag"),
    "--statistics": ("statistics", "flag"),
    "--exit-zero": ("exit_zero", "flag"),
    "--no-color": ("no_color", "flag"),
    "--no-cache": ("no_cache", "flag"),
    "--cache-dir": ("cache_dir", "path"),
    "--jobs": ("jobs", "jobs"),
    "-j": ("jobs", "jobs"),
    "--baseline": ("baseline_file", "path"),
    "--write-baseline": ("write_baseline_file", "path"),
    "--stdin-filename": ("stdin_filename", "path"),
}
_CHECK_DEFAULTS = {
    "fix": False, "unsafe_fixes": False, "diff_mode": False, "select": (), "ignore": (), "fmt": "text",
    "output_file": None, "fail_on": None, "quiet": False, "statistics": False, "exit_zero": False,
    "no_color": False, "no_cache": False, "cache_dir": None, "jobs": 0, "baseline_file": None,
    "write_baseline_file": None, "stdin_filename": None,
}


def _click_path(value: str, make=None):
    """What ``click.Path(path_type=Path)`` makes of ``value`` (``make(value)``: the paths to
    check stay strings, which discovery takes as they are), or _UseClick where click would
    report an error (an existing path that cannot be read)."""
    if make is None:
        from pathlib import Path as make
    try:
        if os.access(value, os.R_OK):
            return make(value)  # (there and readable: one system call for the usual case)
        os.stat(value)
    except (OSError, ValueError):
        return make(value)
    raise _UseClick  # (there but not readable)


def _fast_check_args(argv: list[str]) -> dict | None:
    """The keyword arguments of :func:`check` for ``argv`` (``check`` and its arguments), or
    None when click must parse it."""
    if not argv or argv[0] != "check" or any(k.endswith("_COMPLETE") for k in os.environ):
        return None
    values = dict(_CHECK_DEFAULTS)
    raw: dict[str, str] = {}
    multiple: dict[str, list[str]] = {}
    paths: list[str] = []
    args = argv[1:]
    i = 0
    try:
        while i < len(args):
            tok = args[i]
            i += 1
            if tok == "--":
                paths.extend(args[i:])
                break
            if tok == "-" or not tok.startswith("-"):
                paths.append(tok)
                continue
            if tok.startswith("--"):
                name, eq, attached = tok.partition("=")
            elif tok[:2] in ("-j", "-o") and len(tok) > 2:
                name, eq, attached = tok[:2], "=", tok[2:]  # `-j2`: a short option and its value
            else:
                name, eq, attached = tok, "", ""
            spec = _CHECK_OPTIONS.get(name)
            if spec is None:
                return None  # help, an unknown option, clustered short options: click
            dest, kind = spec
            if kind == "flag":
                if eq:
                    return None
                values[dest] = True
                continue
            if eq:
                value = attached
            else:
                if i >= len(args) or args[i].startswith("-"):
                    return None
                value = args[i]
                i += 1
            if kind == "multiple":
                multiple.setdefault(dest, []).append(value)
            else:
                raw[dest] = (kind, value)
        for dest, got in multiple.items():
            values[dest] = tuple(got)
        for dest, (kind, value) in raw.items():  # (click converts the last value given)
            if kind == "path":
                values[dest] = _click_path(value)
            elif kind == "jobs":
                if not (value.isascii() and value.isdigit()):
                    return None
                values[dest] = int(value)
            else:
                if value not in kind.removeprefix("choice:").split(","):
                    return None
                values[dest] = value
        values["paths"] = tuple(_click_path(p, str) for p in paths)
    except _UseClick:
        return None
    if values["fix"] and values["diff_mode"]:
        return None  # usage errors are click's to print
    dash = [p for p in values["paths"] if str(p) == "-"]
    if dash or (values["stdin_filename"] is not None and not values["paths"]):
        if values["stdin_filename"] is None or len(dash) != len(values["paths"]) or len(dash) > 1:
            return None
    elif values["stdin_filename"] is not None:
        return None
    return values


def _run_fast(values: dict):
    """Run `check` as click's standalone mode would: an interrupt prints "Aborted!" and exits 1,
    a closed pipe exits 1 quietly."""
    global _FAST_EXIT
    try:
        check(**values)
    except SystemExit as exc:
        _FAST_EXIT = not values["fix"] and not values["diff_mode"] and isinstance(exc.code, int)
        raise
    except (EOFError, KeyboardInterrupt):
        import click

        click.echo(file=sys.stderr)
        click.echo("Aborted!", file=sys.stderr)
        sys.exit(1)
    except OSError as exc:
        import errno

        if exc.errno != errno.EPIPE:
            raise
        try:
            from click.utils import _PacifyFlushWrapper as pacify
        except ImportError:  # pragma: no cover  (what click does: later flushes ignore the closed pipe)
            pacify = _Pacified
        sys.stdout = pacify(sys.stdout)
        sys.stderr = pacify(sys.stderr)
        sys.exit(1)
    sys.exit(0)


class _Pacified:
    """A stream whose ``flush`` ignores a closed pipe."""

    def __init__(self, wrapped):
        self.wrapped = wrapped

    def flush(self) -> None:
        import errno

        try:
            self.wrapped.flush()
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise

    def __getattr__(self, name):
        return getattr(self.wrapped, name)


def check(paths, fix, unsafe_fixes, diff_mode, select, ignore, fmt, output_file, fail_on, quiet, statistics,
          exit_zero, no_color, no_cache, cache_dir, jobs, baseline_file, write_baseline_file, stdin_filename):
    """Check PATHS (default: the current folder) and report problems.

    \b
    Exit codes: 0 no findings at or above the failing severity, 1 findings
    (or, with --diff, changes to make), 2 usage or config error, unreadable
    file, or internal error.
    """
    from twilint.runner import Options, UsageError, exit_code, run

    # What is loaded by now (modules, classes, functions) lives as long as the process: keep
    # the collector from scanning it again and again while discovery allocates.
    gc.freeze()
    if fix and diff_mode:
        import click

        raise click.UsageError("--fix and --diff cannot be used together")
    mode = "fix" if fix else "diff" if diff_mode else "check"
    stdin = None
    dash = [p for p in paths if str(p) == "-"]
    if dash or (stdin_filename is not None and not paths):
        import click

        if stdin_filename is None:
            raise click.UsageError("reading from stdin (`-`) needs --stdin-filename PATH")
        if len(dash) != len(paths) or len(dash) > 1:
            raise click.UsageError("`-` (stdin) cannot be combined with other paths")
        stdin = (stdin_filename, sys.stdin.buffer.read())
        paths = ()
    elif stdin_filename is not None:
        import click

        raise click.UsageError("--stdin-filename needs the path `-` (or no paths)")
    opts = Options(
        select=_split(select) or None,
        ignore=_split(ignore),
        mode=mode,
        unsafe_fixes=unsafe_fixes,
        stdin=stdin,
    )
    from twilint import cache

    # the cache holds check results only: fixing, diffs and stdin always run the rules
    cache.configure(enabled=mode == "check" and stdin is None and not no_cache, directory=cache_dir, jobs=jobs)
    try:
        result, diffs = run(list(paths) or ([] if stdin else ["."]), opts)
    except UsageError as exc:
        _echo_err(f"twilint: error: {exc}")
        sys.exit(EXIT_USAGE)

    if baseline_file is not None or write_baseline_file is not None:
        from twilint import baseline as bl

        try:
            if write_baseline_file is not None:
                n = bl.write(write_baseline_file, result.diagnostics)
                _echo_err(f"twilint: wrote {n} finding{'s' if n != 1 else ''} to {write_baseline_file}")
            # a freshly written baseline holds every finding, so it is the one to apply
            bl.apply(result, bl.load(write_baseline_file or baseline_file))
        except bl.BaselineError as exc:
            _echo_err(f"twilint: error: {exc}")
            sys.exit(EXIT_USAGE)
        result.baseline_used = True

    report_stream = sys.stdout
    if stdin is not None and mode == "fix":
        # As ruff does: the (fixed) content on stdout, the report on stderr.
        sys.stdout.buffer.write(result.stdin_output if result.stdin_output is not None else stdin[1])
        sys.stdout.flush()
        report_stream = sys.stderr
    if diffs and fmt == "text":
        sys.stdout.write("".join(diffs))
        sys.stdout.flush()
    code = exit_code(result, fail_on, exit_zero, diffs)
    from twilint import engine

    engine.print_timing(sys.stderr)
    if fmt == "gitlab":
        for err in result.errors:  # Code Quality has no place for them
            _echo_err(f"twilint: error: {err}")

    if output_file is not None:
        try:
            with open(output_file, "w", encoding="utf-8") as fh:
                _render(result, fmt, fh, False, quiet, statistics)
        except OSError as exc:
            _echo_err(f"twilint: error: cannot write {output_file}: {exc.strerror or exc}")
            sys.exit(EXIT_USAGE)
    elif diff_mode and fmt == "text":
        from twilint.report.text import render_diff_summary

        render_diff_summary(result, sys.stderr)
    else:
        _render(result, fmt, report_stream, _use_color(no_color, report_stream), quiet, statistics)
    sys.exit(code)


def _render(result, fmt, stream, color, quiet, statistics) -> None:
    if fmt == "text":
        from twilint.report.text import render

        render(result, stream, color, quiet, statistics)
        return
    import importlib

    module = {"json": "jsonout"}.get(fmt, fmt)
    importlib.import_module(f"twilint.report.{module}").render(result, stream)


def _group() -> None:
    """twilint: lint and fix Twilio Functions (Serverless Toolkit) projects."""


def migrate():
    """Migrate projects: each recipe writes by default; --diff and --check write nothing."""


def rules_cmd(fmt):
    """List every rule: name, severity, fixable, summary."""
    import click

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


def rule_cmd(name, fmt):
    """Show the documentation of rule NAME."""
    import click

    from twilint.rules import all_rules

    rules = all_rules()
    rule = rules.get(name)
    if rule is None:
        click.echo(f"twilint: error: unknown rule {name!r} (see `twilint rules`)", err=True)
        sys.exit(EXIT_USAGE)
    from twilint.docs import rule_page, rule_url

    if fmt == "json":
        import json

        click.echo(json.dumps({"name": rule.name, "severity": rule.severity.label, "fixable": rule.fixable,
                               "summary": rule.summary, "fileKinds": sorted(rule.file_kinds),
                               "url": rule_url(rule.name), "docs": rule.docs}, indent=2))
        return
    page = rule_page(rule)  # the same text as docs/rules/NAME.md
    if fmt == "markdown" or not sys.stdout.isatty():
        click.echo(page, nl=False)
        return
    from rich.console import Console
    from rich.markdown import Markdown

    Console(no_color=bool(os.environ.get("NO_COLOR"))).print(Markdown(page))


def _decorate(f, *decorators):
    """``f`` decorated as if the decorators were written above it, in this order."""
    for d in reversed(decorators):
        f = d(f)
    return f


@functools.lru_cache(maxsize=None)
def cli():
    """The click group of every command (built once, on first use)."""
    from pathlib import Path

    import click

    class _RecipeGroup(click.Group):
        """`twilint migrate <recipe>`: recipes are listed without importing them (start-up stays fast)."""

        def list_commands(self, ctx):
            from twilint.migrate import recipe_names

            return recipe_names()

        def get_command(self, ctx, name):
            from twilint.migrate import load_recipe

            return load_recipe(name)

    group = _decorate(
        _group,
        click.group("main", context_settings={"help_option_names": ["-h", "--help"]}),
        click.version_option(__version__, "--version", prog_name="twilint", message="%(prog)s %(version)s"),
    )
    _decorate(
        check,
        group.command("check"),
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--fix", is_flag=True, help="Apply safe fixes and write the files."),
        click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes (with --fix or --diff)."),
        click.option("--diff", "diff_mode", is_flag=True, help="Print the fixes as a unified diff; write nothing."),
        click.option("--select", multiple=True, metavar="RULES", help="Only these rules (comma-separated, repeatable)."),
        click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules (comma-separated, repeatable)."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
                     help="Report format: text, json, sarif (SARIF 2.1.0), github (workflow annotations), "
                          "junit (JUnit XML), gitlab (Code Quality JSON)."),
        click.option("--output-file", "-o", type=click.Path(path_type=Path), help="Write the report to a file."),
        click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
                     help="Lowest severity that makes the exit code 1 (default: error, or the config's fail-on)."),
        click.option("--quiet", "-q", is_flag=True, help="Print diagnostics only: no code frames, no summary."),
        click.option("--statistics", is_flag=True, help="Print counts per rule instead of each diagnostic."),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (2 still means an error)."),
        click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is respected too)."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the result cache."),
        click.option("--cache-dir", type=click.Path(path_type=Path), default=None,
                     help="Where the cache lives (default: $TWILINT_CACHE_DIR, else .twilint_cache)."),
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
                     help="Worker processes for many projects (default 0: one per CPU)."),
        click.option("--baseline", "baseline_file", type=click.Path(path_type=Path), metavar="FILE",
                     help="Hide the findings recorded in FILE (see --write-baseline); only new ones count."),
        click.option("--write-baseline", "write_baseline_file", type=click.Path(path_type=Path), metavar="FILE",
                     help="Record every current finding in FILE (JSON), then report as if with --baseline FILE."),
        click.option("--stdin-filename", type=click.Path(path_type=Path), metavar="PATH",
                     help="Read the file from stdin (path `-`) and check it as PATH, in the context of the "
                          "project containing PATH. With --fix the fixed content goes to stdout and the report "
                          "to stderr."),
    )
    _decorate(migrate, group.group("migrate", cls=_RecipeGroup))
    _decorate(
        rules_cmd,
        group.command("rules"),
        click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True),
    )
    _decorate(
        rule_cmd,
        group.command("rule"),
        click.argument("name"),
        click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
                     show_default=True),
    )
    return group


if __name__ == "__main__":  # pragma: no cover
    main()
