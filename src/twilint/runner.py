"""One `twilint check` run: discovery, rules, fixes, validation and writes."""

from __future__ import annotations

from pathlib import Path

from twilint.config import ConfigError, validate_rule_names
from twilint.engine import INTERNAL_ERROR, IO_ERROR, Selection, check_project, facts_for, relint_file
from twilint.model import Severity
from twilint.records import field, record
from twilint.report import RunResult


class UsageError(Exception):
    pass


@record
class Options:
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    mode: str = "check"  # check | fix | diff
    unsafe_fixes: bool = False
    # --stdin-filename: (the path the content stands for, the raw bytes read from stdin)
    stdin: tuple[Path, bytes] | None = None
    # Extra `[platform]` facts overrides, applied on top of each project's own (migrations use
    # this to set the target runtime, `default-runtime`, without touching the user's config).
    platform: dict | None = None


def run(paths: list[Path | str], opts: Options) -> tuple[RunResult, list[str]]:
    """Returns the result and, in diff mode, the unified diffs."""
    from twilint import cache
    from twilint.project import discover
    from twilint.rules import all_rules, manifest_rules, real_registry

    # A check starts from the rules' manifest (no rule module imported): a run served from the
    # cache needs no rule, and the worker processes of a parallel run import the rules
    # themselves, in parallel. The rules are loaded as soon as a project is checked here.
    registry = None
    if opts.mode == "check" and opts.stdin is None:
        registry = manifest_rules()
    if registry is None:
        registry = all_rules()
    for name in (opts.select or []) + opts.ignore:
        if name not in registry and name != "ALL":
            raise UsageError(f"unknown rule {name!r} (see `twilint rules`)")
    selection = _Selection(opts.select, opts.ignore)
    result = RunResult(mode=opts.mode, unsafe_fixes=opts.unsafe_fixes)
    disc = discover(paths)
    stdin_path = None
    if opts.stdin is not None:
        stdin_file = disc.add_stdin(opts.stdin[0], opts.stdin[1])
        stdin_path = stdin_file.path if stdin_file is not None else None
    for m in disc.missing:
        result.errors.append(f"{m}: no such file or directory")
    result.not_checked.extend(disc.not_checked)
    result.skipped.extend(disc.not_checked)
    diffs: list[str] = []
    pending = []  # (project, outcome)
    creations = []  # fixes.Creation: files a fix creates
    project_diags: dict[Path, list] = {}
    cached: dict[Path, list] = {}  # project root -> its diagnostics, from the cache
    if opts.mode == "check" and opts.stdin is None and disc.projects:
        todo = [p for p in disc.projects.values() if p.config_error is None]
        if cache.SETTINGS.enabled:
            # cache hits first: their keys need the rules' names and severities and two facts,
            # neither the rule modules nor the catalogue
            misses = []
            for p in todo:
                key = cache.project_key(p, selection.rules_for(p, registry),
                                        cache.KeyFacts(p.config.platform, opts.platform))
                hit = cache.get(key, p)
                if hit is not None:
                    cached[p.root] = hit
                else:
                    misses.append(p)
            todo = misses
        if todo:
            # check the projects in worker processes first (twilint.cache.prefetch decides if it
            # pays); the processes that check a project load its rules and facts
            from functools import partial

            from twilint.engine import prefetch

            prefetch([(p, selection.rules_for(p, registry), partial(_facts, p, opts)) for p in todo])
    for project in disc.projects.values():
        result.projects.append(project)
        err = project.config_error
        if err is None:
            try:
                validate_rule_names(project.config, set(registry))
            except ConfigError as exc:
                err = exc
        if err is not None:
            result.errors.append(f"{err.path}:{err.line}:{err.col}: {err.message}")
            continue
        rules = selection.rules_for(project, registry)
        result.active_rules[project.root] = {r.name for r, _ in rules}
        diags = cached.pop(project.root, None)
        if diags is None:
            registry = real_registry(registry)
            rules = selection.rules_for(project, registry)
            facts = _facts(project, opts)
            diags = check_project(project, rules, facts)
        project_diags[project.root] = diags
        if opts.mode in ("fix", "diff"):
            from twilint.fixes import applicable, fix_file

            files = []
            for d in diags:
                if applicable(d, opts.unsafe_fixes) and d.fix.edits and d.file not in files:
                    files.append(d.file)
            for f in files:
                outcome = fix_file(f, lambda sf: relint_file(sf, rules, facts), opts.unsafe_fixes)
                for rule, reason in outcome.refused:
                    result.refused.append((f.path, rule, reason))
                if outcome.changed:
                    pending.append((project, outcome))
            if any(d.fix is not None and d.fix.create is not None for d in diags):
                from twilint.fixes import plan_creations

                planned, refused = plan_creations(
                    project, diags, opts.unsafe_fixes, lambda sf: relint_file(sf, rules, facts)
                )
                creations.extend(planned)
                for path, rule, reason in refused:
                    result.refused.append((path, rule, reason))
        result.files_checked += len(project.targets)
        result.skipped.extend(project.skipped)
        if project.temp_files:
            _temp_files(project, opts, result)

    if pending:
        _strict_check(pending, result)
    changed_projects = set()
    for project, outcome in pending:
        if outcome.new is None:
            continue
        f = outcome.file
        if f.path != stdin_path:
            from twilint.fixes import write_refusal

            why = write_refusal(f.path, project.root)
            if why is not None:  # into node_modules, or out of the project through a link
                for r in sorted({d.rule for d in outcome.applied}):
                    result.refused.append((f.path, r, why))
                continue
        if opts.mode == "diff":
            result.fix_outputs.append(outcome)
            diffs.append(unified_diff(f, outcome.new))
            result.diffs.append((f.path, diffs[-1]))
            result.fixed.extend(outcome.applied)
            result.changed_files.append(f.path)
            result.fix_passes[f.path] = outcome.passes
            continue
        if f.path == stdin_path:
            # stdin: nothing is written; the CLI prints the fixed content.
            from twilint.sources.text import encode

            result.stdin_output = encode(outcome.new.data, f.text_info)
            project.replace(outcome.new)
            result.fixed.extend(outcome.applied)
            result.changed_files.append(f.path)
            changed_projects.add(project.root)
            continue
        from twilint.fixes import write_atomic

        try:
            write_atomic(f.path, outcome.new.data, f.text_info)
        except OSError as exc:
            result.refused.append((f.path, "*", f"could not write the fixed file: {exc.strerror or exc}"))
            continue
        project.replace(outcome.new)
        result.fixed.extend(outcome.applied)
        result.changed_files.append(f.path)
        result.fix_passes[f.path] = outcome.passes
        changed_projects.add(project.root)

    for c in creations:
        new = c.file
        if opts.stdin is not None and opts.mode == "fix":
            # stdin: nothing is written to disk, and a created file has nowhere else to go
            for d in c.applied:
                result.refused.append((new.path, d.rule, "files are not created when checking stdin"))
            continue
        from twilint.fixes import write_refusal

        why = write_refusal(new.path, c.project.root)
        if why is not None:
            for d in c.applied:
                result.refused.append((new.path, d.rule, why))
            continue
        if opts.mode == "diff":
            result.fix_outputs.append(c)
            diffs.append(creation_diff(new))
            result.diffs.append((new.path, diffs[-1]))
            result.fixed.extend(c.applied)
            result.changed_files.append(new.path)
            continue
        from twilint.fixes import adopt_created, create_atomic

        try:
            create_atomic(new.path, new.data)
        except OSError as exc:
            reason = "the file to create already exists; nothing written" if isinstance(exc, FileExistsError) \
                else f"could not write the fixed file: {exc.strerror or exc}"
            for d in c.applied:
                result.refused.append((new.path, d.rule, reason))
            continue
        adopt_created(c)
        result.fixed.extend(c.applied)
        result.changed_files.append(new.path)
        changed_projects.add(c.project.root)

    if cache.SETTINGS.enabled:
        cache.save_file_states()
    for project in result.projects:
        if project.root not in project_diags:
            continue
        if project.root in changed_projects:
            rules = selection.rules_for(project, registry)
            project_diags[project.root] = check_project(project, rules, _facts(project, opts))
        result.diagnostics.extend(project_diags[project.root])
    return result, diffs


class _Selection(Selection):
    """:class:`Selection` remembering its answer for each registry and config settings (every
    field of the config but its path): most projects of a run share them, and the answer is
    worked out over every rule, twice a project."""

    def __init__(self, select, ignore):
        super().__init__(select, ignore)
        self._memo: dict = {}

    def rules_for(self, project, registry):
        cfg = project.config
        key = (id(registry), repr([v for k, v in vars(cfg).items() if k != "path"]))
        got = self._memo.get(key)
        if got is None:
            got = self._memo[key] = (registry, super().rules_for(project, registry))
        return list(got[1])


def _facts(project, opts: Options):
    facts = facts_for(project)
    return facts.with_overrides(opts.platform) if opts.platform else facts


def _temp_files(project, opts: Options, result: RunResult) -> None:
    """Temporary files a killed `--fix` left (never checked): `--fix` removes those whose process
    is gone; other modes list them as skipped."""
    left = project.temp_files
    if opts.mode == "fix" and opts.stdin is None:
        from twilint.fixes import remove_stale_temp_files

        removed = set(remove_stale_temp_files(left))
        left = [p for p in left if p not in removed]
    for p in left:
        result.skipped.append((p, "temporary file of an interrupted `twilint check --fix`; the next --fix removes it"))


def _strict_check(pending, result: RunResult) -> None:
    from twilint.fixes import strict_checker_name, strict_validate

    idx = [i for i, (_, o) in enumerate(pending) if o.file.kind == "js"]
    pairs = [
        (pending[i][1].file.data, pending[i][1].new.data, pending[i][1].file.path.suffix == ".mjs")
        for i in idx
    ]
    errors = strict_validate(pairs)
    checker = strict_checker_name()
    for i, err in zip(idx, errors):
        if err:
            outcome = pending[i][1]
            rules = sorted({d.rule for d in outcome.applied})
            for r in rules:
                result.refused.append((outcome.file.path, r, f"the fixed file fails the strict check ({checker}): {err}; nothing written"))
            outcome.new = None
            outcome.applied = []


def unified_diff(old, new) -> str:
    import difflib

    from twilint.engine import display_path

    name = display_path(old.path)
    a = _diff_text(old).splitlines(keepends=True)
    b = _diff_text(new).splitlines(keepends=True)
    old_name, new_name = (name, name) if name.startswith("/") else (f"a/{name}", f"b/{name}")
    lines = difflib.unified_diff(a, b, fromfile=old_name, tofile=new_name)
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _diff_text(f) -> str:
    """A file's text as diffs show it: in `.env` files every value (and every line that is not
    KEY=VALUE, which may hold one) is masked as `****`; values are secrets."""
    if f.kind != "env" or f.env is None:
        return f.data.decode("utf-8")
    data = f.data
    spans = [(e.value_start, e.value_end) for e in f.env.entries if e.value_end > e.value_start]
    spans += [(p.start, p.end - (2 if data[:p.end].endswith(b"\r\n") else 1 if data[:p.end].endswith((b"\n", b"\r")) else 0))
              for p in f.env.problems]
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out += [data[pos:start], b"****" + b"\n" * data[start:end].count(b"\n")]
        pos = end
    out.append(data[pos:])
    return b"".join(out).decode("utf-8")


def creation_diff(new) -> str:
    """A unified diff that creates ``new`` (from /dev/null)."""
    import difflib

    from twilint.engine import display_path

    name = display_path(new.path)
    b = _diff_text(new).splitlines(keepends=True)
    lines = difflib.unified_diff([], b, fromfile="/dev/null", tofile=name if name.startswith("/") else f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def exit_code(result: RunResult, fail_on: str | None, exit_zero: bool, diffs: list[str]) -> int:
    if result.errors or any(d.rule in (IO_ERROR, INTERNAL_ERROR) for d in result.diagnostics):
        return 2
    if any("could not write" in reason for _, _, reason in result.refused):
        return 2
    if exit_zero:
        return 0
    if result.mode == "diff" and diffs:
        return 1
    for d in result.diagnostics:
        level = fail_on or d.file.project.config.fail_on or "error"
        if d.severity >= Severity.parse(level):
            return 1
    return 0
