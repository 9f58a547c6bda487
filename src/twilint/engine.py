"""Runs the rules over projects and turns their reports into positioned diagnostics."""

from __future__ import annotations

from pathlib import Path

from twilint import model
from twilint.model import Diagnostic, Rule, RuleContext, Severity
from twilint.project import Project, SourceFile
from twilint.records import field, record

IO_ERROR = "io-error"
INTERNAL_ERROR = "internal-error"

# TWILINT_TIMING=1: seconds spent in each rule, printed at the end of the run (like ESLint's TIMING)
import os as _os

TIMING: dict[str, float] | None = {} if _os.environ.get("TWILINT_TIMING") else None


@record
class Selection:
    """Which rules run: CLI ``--select``/``--ignore`` on top of each project's config."""

    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)

    def rules_for(self, project: Project, registry: dict[str, Rule]) -> list[tuple[Rule, Severity]]:
        cfg = project.config
        out = []
        for name, rule in registry.items():
            if self.select is not None:
                if name not in self.select and "ALL" not in self.select:
                    continue
            elif not cfg.rule_enabled(name):
                continue
            if name in self.ignore:
                continue
            if self.select is not None and cfg.severity.get(name) == "off":
                continue
            out.append((rule, cfg.severity_for(name, rule.severity)))
        return out


def locate(d: Diagnostic) -> Diagnostic:
    lines = d.file.lines
    d.line, d.column = lines.line_col(d.start)
    d.end_line, d.end_column = lines.line_col(max(d.end, d.start))
    return d


def io_diagnostic(file: SourceFile) -> Diagnostic | None:
    """A diagnostic for a file that cannot be read or decoded (reported whatever is selected)."""
    if file.ok:
        return None
    if file.read_error:
        d = Diagnostic(IO_ERROR, file.read_error, file, 0, 0, Severity.ERROR)
    elif file.decode_error is not None:
        e = file.decode_error
        d = Diagnostic("parse-error", f"cannot read as text: {e.message}", file, e.offset, e.offset, Severity.ERROR)
    else:  # pragma: no cover
        return None
    return locate(d)


def lint_file(file: SourceFile, rules: list[tuple[Rule, Severity]], facts) -> list[Diagnostic]:
    """Diagnostics of the file rules for one file (no project rules, no filtering)."""
    out: list[Diagnostic] = []
    for rule, sev in rules:
        if file.kind not in rule.file_kinds:
            continue
        if rule.triggers is not None and not model.may_name(file.data, rule.triggers):
            continue
        ctx = RuleContext(rule, sev, facts)
        if TIMING is not None:
            from time import perf_counter

            t0 = perf_counter()
        try:
            for _ in rule.check_file(ctx, file) or ():
                pass
        except RecursionError:
            out.append(Diagnostic(INTERNAL_ERROR, f"rule {rule.name} gave up: the file is nested too deeply", file, 0, 0, Severity.ERROR))
            continue
        except Exception as exc:  # a rule bug must not stop the other files
            out.append(_internal(rule, file, exc))
            continue
        finally:
            if TIMING is not None:
                TIMING[rule.name] = TIMING.get(rule.name, 0.0) + perf_counter() - t0
        out.extend(ctx.diagnostics)
    return out


def _internal(rule: Rule, file: SourceFile, exc: Exception) -> Diagnostic:
    import traceback

    where = traceback.extract_tb(exc.__traceback__)[-1]
    return Diagnostic(
        INTERNAL_ERROR,
        f"rule {rule.name} crashed ({type(exc).__name__}: {exc} at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}); "
        "please report this",
        file, 0, 0, Severity.ERROR,
    )


def lint_project_rules(project: Project, rules: list[tuple[Rule, Severity]], facts) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for rule, sev in rules:
        ctx = RuleContext(rule, sev, facts)
        if TIMING is not None:
            from time import perf_counter

            t0 = perf_counter()
        try:
            for _ in rule.check_project(ctx, project) or ():
                pass
        except Exception as exc:
            anchor = project.package_json or next(iter(project.files.values()), None)
            if anchor is not None:
                out.append(_internal(rule, anchor, exc))
            continue
        finally:
            if TIMING is not None:
                TIMING[rule.name] = TIMING.get(rule.name, 0.0) + perf_counter() - t0
        out.extend(ctx.diagnostics)
    return out


def filter_diagnostics(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Position diagnostics, then drop suppressed ones and per-file ignores."""
    out = []
    for d in diags:
        locate(d)
        f = d.file
        if d.rule in f.project.config.ignored_for(f.rel):
            continue
        if f.ok and f.suppressions.is_suppressed(d.rule, d.line):
            continue
        out.append(d)
    return out


def lintable(file: SourceFile) -> bool:
    if file.kind in ("js", "ts") and file.ok and file.is_minified:
        file.project.skipped.append((file.path, "minified bundle"))
        return False
    return True


_PREFETCHED: dict = {}


def prefetch(items: list) -> None:
    """Check several projects in worker processes ahead of the run (see twilint.cache)."""
    from twilint import cache

    _PREFETCHED.update(cache.prefetch(items))


def check_project(project: Project, rules: list[tuple[Rule, Severity]], facts) -> list[Diagnostic]:
    """The project's diagnostics: prefetched by a worker, from the cache, or computed here."""
    from twilint import cache

    ready = _PREFETCHED.pop(project.root, None)
    if ready is not None:
        return ready
    key = cache.project_key(project, rules, facts) if cache.SETTINGS.enabled else None
    if key is not None:
        hit = cache.get(key, project)
        if hit is not None:
            return hit
    diags = check_project_uncached(project, rules, facts)
    if key is not None:
        cache.put(key, diags, project.skipped)
    return diags


def check_project_uncached(project: Project, rules: list[tuple[Rule, Severity]], facts,
                           files: "set[Path] | None" = None, project_rules: bool = True) -> list[Diagnostic]:
    """The project's diagnostics, computed here. A worker checking part of a big project passes
    ``files`` (the target files to run the file rules on) and ``project_rules``; the parts,
    concatenated in file order with the project rules' part last, are the whole result."""
    diags: list[Diagnostic] = []
    kinds = set()
    for rule, _ in rules:
        kinds |= rule.file_kinds
    for file in list(project.files.values()):
        if file.path not in project.targets or file.kind not in kinds:
            continue  # not a target, or no selected rule reads this kind of file (assets, say)
        if files is not None and file.path not in files:
            continue
        if not file.ok:
            d = io_diagnostic(file)
            if d is not None:
                diags.append(d)
            continue
        if not lintable(file):
            continue
        diags.extend(lint_file(file, rules, facts))
    if project_rules:
        diags.extend(d for d in lint_project_rules(project, rules, facts) if d.file.path in project.targets)
    out = filter_diagnostics(diags)
    for file in project.files.values():
        file.release()  # trees and rule caches; the run keeps only what reports need
    return out


def facts_for(project: Project):
    from twilint.facts import load_facts

    return load_facts().with_overrides(project.config.platform)


def relint_file(file: SourceFile, rules: list[tuple[Rule, Severity]], facts) -> list[Diagnostic]:
    """All diagnostics that land on ``file`` (file rules + project rules), filtered."""
    diags = lint_file(file, rules, facts)
    diags.extend(d for d in lint_project_rules(file.project, rules, facts) if d.file.path == file.path)
    return filter_diagnostics(diags)


def print_timing(stream) -> None:
    if not TIMING:
        return
    total = sum(TIMING.values())
    stream.write(f"{'rule':<34} {'seconds':>8} {'share':>6}\n")
    for name, t in sorted(TIMING.items(), key=lambda kv: -kv[1])[:25]:
        stream.write(f"{name:<34} {t:8.3f} {100 * t / total if total else 0:5.1f}%\n")


def display_path(path: Path, cwd: Path | None = None) -> str:
    import os

    cwd = cwd or Path.cwd()
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith(".." + os.sep + "..") else rel
