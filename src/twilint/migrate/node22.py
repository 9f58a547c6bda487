"""`twilint migrate node22 [PATHS...] [--to node22|node24]`: move Functions projects to a new Node.js runtime.

Per project, following the docs' upgrade path [002:17125-17246]:

1. the runtime, set explicitly: every config scope that names one, `--runtime` in package.json
   scripts, shell scripts, CI workflows and Python deploy scripts (the `deprecated-runtime` fix,
   run with every older runtime marked deprecated), and `runtime` at the top level of the Toolkit
   config (`missing-runtime`'s insertion; a Toolkit-shaped `.twilioserverlessrc` when the project
   has none), because "especially defining a default runtime in the .twilioserverlessrc file"
   [002:17246] is what keeps later deploys on it;
2. `@twilio/runtime-handler` pinned to a version the platform accepts for the target (the fixes of
   `unpinned-runtime-handler`, `runtime-handler-version` and `missing-runtime-handler`, then at
   least the platform's default `2.0.1` [002:4980-4981]); node24 needs 2.1.2, which is not on npm,
   so that is a follow-up for a person (platform-notes §2.4, §2.5);
3. `engines.node` and `.nvmrc`, where present, made consistent with the target;
4. the dependencies checked on the migrated project (`esm-require`, `native-dependency`,
   `deprecated-node-api`, and installed or locked packages whose `engines.node` excludes the
   target), each reported with what to do; safe fixes among them are applied;
5. the deploy command that verifies the result in a separate environment first [002:17198-17201].

Everything goes through :mod:`twilint.migrate.base` (write, ``--diff``, ``--check``, reports).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import click

RECIPE = "node22"
# Rules whose fixes do steps 1 and 2 (run by the engine: re-parse, fixed point, strict check).
FIX_RULES = ["deprecated-runtime", "unpinned-runtime-handler", "runtime-handler-version", "missing-runtime-handler"]
# Checked on the migrated project: what remains needs a person.
MODULE_RULES = ["esm-require", "native-dependency", "deprecated-node-api"]
POST_RULES = FIX_RULES + ["missing-runtime", "dev-only-runtime-handler"] + MODULE_RULES
HANDLER = "@twilio/runtime-handler"
TARGETS = ("node22", "node24")
# nvm's LTS aliases (lts/<codename>), by Node major.
LTS_CODENAMES = {"argon": 4, "boron": 6, "carbon": 8, "dubnium": 10, "erbium": 12, "fermium": 14,
                 "gallium": 16, "hydrogen": 18, "iron": 20, "jod": 22, "krypton": 24}
_VAR_RUNTIME = re.compile(rb"""(?<![\w-])--runtime(?:=|[ \t]+)['"]?(\$\{?\{?\s*[\w.]+\s*\}?\}?)""")
_SIMPLE_NODE_RANGE = re.compile(r"^(\^|~|>=|=)?(v?)(\d+)((?:\.(?:\d+|x|X|\*)){0,2})$")
_NVM_VERSION = re.compile(r"^(v?)(\d+)((?:\.\d+){0,2})$")


def _major(runtime: str) -> int | None:
    m = re.fullmatch(r"node(\d+)", runtime or "")
    return int(m.group(1)) if m else None


def _full_version(node: str) -> str:
    parts = (re.findall(r"\d+", node) + ["0", "0"])[:3]
    return ".".join(parts)


def migration_overrides(target: str) -> dict:
    """The `[platform]` facts overrides for the run: fixes set ``target``, and every runtime older
    than it counts as deprecated (so `deprecated-runtime` moves node20 and node22 too)."""
    from twilint.facts import load_facts

    major = _major(target)
    older = [rid for rid, rt in load_facts().runtimes.items()
             if (m := _major(rid)) is not None and m < major and rt.status != "retired"]
    return {"default-runtime": target, "runtimes-deprecated": older}


# -- the command -----------------------------------------------------------------------------


@click.command(RECIPE)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--to", "target", type=click.Choice(TARGETS), default="node22", show_default=True,
              help="The runtime to move to.")
@click.option("--diff", "diff", is_flag=True, help="Print the changes as a unified diff; write nothing.")
@click.option("--check", "check", is_flag=True, help="Write nothing; exit 1 when a project still needs migrating.")
@click.option("--report", "report", type=click.Path(path_type=Path, dir_okay=False),
              help="Write a report: JSON, or Markdown (.md) or HTML (.html) for people.")
@click.option("--quiet", is_flag=True, help="No progress bar, summary table or follow-ups; the exit code only.")
def COMMAND(paths, target, diff, check, report, quiet):
    """Move Functions projects to a newer Node.js runtime (node22 by default, or --to node24).

    Sets the runtime in the Toolkit config (created if missing), scripts, CI and Python deploy
    scripts; pins @twilio/runtime-handler to a version the platform accepts; updates engines.node
    and .nvmrc; checks the dependencies for the target Node; prints the deploy command that
    verifies the result in a separate environment first. Writes by default; --diff and --check
    write nothing. Running it twice changes nothing the second time.
    """
    import sys

    from twilint.migrate.base import EXIT_ERROR, execute

    if diff and check:
        click.echo("twilint: error: --diff and --check cannot be combined", err=True)
        sys.exit(EXIT_ERROR)
    mode = "diff" if diff else "check" if check else "write"
    try:
        plans, errors = build_plans(list(paths) or [Path(".")], target)
    except Exception as exc:  # pragma: no cover - a bug must still exit 2 with a message
        click.echo(f"twilint: error: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    for e in errors:
        click.echo(f"twilint: error: {e}", err=True)
    if not plans and not quiet and not errors:
        click.echo("twilint: no Twilio Functions project found", err=True)
    code = execute(plans, mode, report, quiet)
    sys.exit(EXIT_ERROR if errors else code)


# -- planning --------------------------------------------------------------------------------


def build_plans(paths: list[Path], target: str):
    """One :class:`Plan` per Functions project under ``paths`` (and the errors that belong to no
    project, such as a path that does not exist)."""
    from twilint.project import find_enclosing_root
    from twilint.runner import Options, run

    # a migration is about whole projects: a file named on the command line stands for its project
    paths = [(find_enclosing_root(p.absolute()) or p.parent) if os.path.isfile(p) else p for p in paths]
    overrides = migration_overrides(target)
    result, _ = run(paths, Options(select=FIX_RULES, mode="diff", unsafe_fixes=True, platform=overrides))
    outputs: dict[Path, list] = {}
    for o in result.fix_outputs:
        project = o.file.project if hasattr(o, "new") else o.project
        outputs.setdefault(project.root, []).append(o)
    refused: dict[Path, list] = {}  # project root -> (path, rule, reason)
    roots = sorted((p.root for p in result.projects), key=lambda r: len(r.parts), reverse=True)
    for path, rule, reason in result.refused:
        owner = next((r for r in roots if r in path.parents), None)
        if owner is not None:
            refused.setdefault(owner, []).append((path, rule, reason))
    config_errors = {p.root for p in result.projects if p.config_error is not None}
    plans = []
    for project in result.projects:
        if project.config_error is None and not project.is_twilio:
            continue
        plans.append(plan_project(project, target, overrides, outputs.get(project.root, []),
                                  refused.get(project.root, [])))
    errors = [e for e in result.errors if not any(e.startswith(str(r)) for r in config_errors)]
    return plans, errors


class _State:
    """The project as the migration leaves it, in memory: the engine's fixes first, then ours."""

    def __init__(self, project, plan):
        self.project = project
        self.plan = plan
        self.original = dict(project.files)
        self.why: dict[Path, list[str]] = {}

    def note(self, path: Path, text: str) -> None:
        lst = self.why.setdefault(path, [])
        if text not in lst:
            lst.append(text)

    def edit(self, file, edits, description: str) -> bool:
        """Apply ``edits`` to ``file`` (its current contents) when the result still parses."""
        from twilint.fixes import apply_edits, regressed

        if not edits:
            return False
        data = apply_edits(file.data, edits, file.text_info.newline)
        if data == file.data:
            return False
        new = file.with_data(data)
        problem = regressed(file, new)
        if problem is not None:
            self.plan.needs_person.append(f"{file.rel}: could not {description[0].lower()}{description[1:]}: {problem}")
            return False
        self.project.replace(new)
        self.note(file.path, description)
        return True

    def create(self, path: Path, kind: str, text: str, description: str):
        from twilint.fixes import Creation, adopt_created
        from twilint.project import SourceFile

        new = SourceFile(path, self.project, kind, "project" if path.parent == self.project.root else "other",
                         text.encode("utf-8"))
        if new.value_error is not None:  # pragma: no cover - our own template
            raise AssertionError(f"{path}: {new.value_error}")
        adopt_created(Creation(self.project, new))
        self.note(path, description)
        return new

    def finish(self) -> None:
        for path, f in self.project.files.items():
            old = self.original.get(path)
            why = "; ".join(self.why.get(path, [])) or "updated"
            if old is None:
                self.plan.create(path, f.data, why)
            elif f.data != old.data:
                self.plan.edit(path, old.data, f.data, why, old.text_info)


def plan_project(project, target: str, overrides: dict, outputs: list, refused: list):
    from twilint.engine import facts_for
    from twilint.migrate.base import Plan
    from twilint.serverless import all_runtimes

    plan = Plan(project.root, RECIPE, target=target)
    if project.config_error is not None:
        e = project.config_error
        plan.errors.append(f"{e.path}:{e.line}:{e.col}: {e.message}")
        return plan
    broken = _unreadable(project)
    if broken:
        plan.errors.extend(broken)
        return plan
    plan.source = _describe_from(sorted({s.runtime for s in all_runtimes(project)}, key=_runtime_key))
    facts = facts_for(project).with_overrides(overrides)
    state = _State(project, plan)

    # 1-2: what the rules' fixes do (validated by the engine)
    for o in outputs:
        if hasattr(o, "new"):
            project.replace(o.new)
            path = o.file.path
        else:
            from twilint.fixes import adopt_created

            adopt_created(o)
            path = o.file.path
        for d in o.applied:
            state.note(path, d.fix.description)
    for path, rule, reason in refused:
        plan.needs_person.append(f"{path.relative_to(project.root).as_posix()}: {rule}: {reason}")

    effective = _effective_target(project, target, facts, plan)
    plan.target = effective
    rt = facts.runtime(effective)
    node = _full_version(rt.node if rt is not None else effective.removeprefix("node"))

    _ensure_config_runtime(state, effective)
    _pin_handler(state, facts, effective)
    _update_engines(state, effective, node)
    _update_nvmrc(state, effective, rt.node if rt is not None else node)
    _variable_runtimes(state, effective)
    _python_without_libcst(state)

    # 4: the dependencies and code, checked on the migrated project
    _post_check(state, facts, effective)
    _engines_of_dependencies(state, effective, node)

    state.finish()
    if plan.changes:
        major = _major(effective)
        alt = (f" (with twilio-run: `npx twilio-run deploy --runtime {effective} --environment verify-{major}`)"
               if _uses_twilio_run(project) else "")
        plan.notes.append(
            f"verify in a separate environment before production: "
            f"`twilio serverless:deploy --runtime {effective} --environment verify-{major}`{alt} [002:17198-17201]"
        )
        plan.notes.extend(_ci_node_notes(project, effective))
        if project.lockfiles():
            plan.notes.append("run `npm install` to update the lockfile for the new pins")
    return plan


def _uses_twilio_run(project) -> bool:
    from twilint.serverless import npm_scripts

    return "twilio-run" in project.dependency_names() or any(
        b"twilio-run" in project.package_json.data[v.start:v.end] for _, v in npm_scripts(project))


_CI_NODE = re.compile(rb"""(?m)^[ \t-]*(?:node-version:[ \t]*['"]?(\d+)|image:[ \t]*['"]?node:(\d+))""")


def _ci_node_notes(project, target: str) -> list[str]:
    """CI jobs that run the Toolkit on an older Node (setup-node, a node:NN image): not the deploy
    runtime, so left alone, but worth a look."""
    out = []
    major = _major(target)
    for f in project.files.values():
        if f.kind != "ci-workflow" or not f.ok:
            continue
        for m in _CI_NODE.finditer(f.data):
            v = int(m.group(1) or m.group(2))
            if v < major:
                line = f.lines.line_col(m.start(1) if m.group(1) else m.start(2))[0]
                out.append(f"{f.rel}:{line} runs the CI job on Node {v} (not the deploy runtime, left as is); "
                           f"consider Node {major} to match {target}")
    return out


def _describe_from(runtimes: list[str]) -> str:
    if not runtimes:
        return "unset"
    return ", ".join(runtimes) if len(runtimes) <= 3 else ", ".join(runtimes[:3]) + f" +{len(runtimes) - 3}"


def _runtime_key(rid: str):
    m = _major(rid)
    return (0, m, rid) if m is not None else (1, 0, rid)


def _unreadable(project) -> list[str]:
    """Files the migration must read that do not parse: the project is skipped."""
    out = []
    files = [project.package_json, project.serverless_config_file]
    for f in files:
        if f is None:
            continue
        if not f.ok:
            out.append(f"{f.rel}: {f.read_error or 'cannot be decoded'}")
        elif f.value_error is not None:
            line, col = f.lines.line_col(f.value_error.offset)
            out.append(f"{f.path}:{line}:{col}: {f.value_error.message} (nothing migrated in this project)")
    return list(dict.fromkeys(out))


def _effective_target(project, target: str, facts, plan) -> str:
    """The target, unless the config already deploys to a newer runtime (kept as it is)."""
    from twilint.serverless import effective_config

    eff = effective_config(project)
    if eff is None:
        return target
    v = eff[1].get("runtime")
    if v is None or v.kind != "string":
        return target
    m, t = _major(v.data), _major(target)
    if m is not None and t is not None and m > t and (facts.runtime(v.data) is not None):
        plan.notes.append(f"the project already deploys to {v.data}, newer than {target}: left on {v.data}")
        return v.data
    return target


# -- step 1: the runtime at the top of the Toolkit config -----------------------------------------

TOOLKIT_RC = """\
// Serverless Toolkit configuration (JSON5), read by `twilio serverless:*` and twilio-run.
// Every CLI flag can be set here in lowerCamelCase (--service-sid -> "serviceSid").
{
  "commands": {},
  "environments": {},
  "projects": {},
  // The version of Node.js to deploy the build to
  "runtime": "{target}",
}
"""


def _ensure_config_runtime(state: _State, target: str) -> None:
    from twilint.rules.missing_runtime import RULE as MISSING_RUNTIME
    from twilint.serverless import deploys_functions, effective_config

    project = state.project
    if not deploys_functions(project):
        return  # an Assets-only Service deploys with the default runtime whatever you pass [002:17142]
    cfg_file = project.serverless_config_file
    if cfg_file is None:
        path = project.root / ".twilioserverlessrc"
        if os.path.exists(path):  # a config twilint does not read as the Toolkit's (not a regular file, ...)
            state.plan.needs_person.append(f".twilioserverlessrc: set `\"runtime\": \"{target}\"` by hand")
            return
        state.create(path, "serverless-config", TOOLKIT_RC.replace("{target}", target),
                     f"Create .twilioserverlessrc with `\"runtime\": \"{target}\"` (the Toolkit's default layout)")
        return
    eff = effective_config(project)
    if eff is None:
        state.plan.needs_person.append(
            f"{cfg_file.rel}: twilint cannot edit this config (not a static object): set `runtime: {target}` at its top level")
        return
    f, cfg, _ = eff
    top = cfg.get("runtime")
    if top is not None and top.kind == "string":
        return  # a string runtime: deprecated-runtime's fix already moved it (or it is newer)
    fix = MISSING_RUNTIME._insert_fix(f, cfg, target)
    if fix is None:
        state.plan.needs_person.append(f"{f.rel}: add `runtime: {target}` at the top level by hand (unusual layout)")
        return
    state.edit(f, fix.edits, f"Set `runtime: {target}` at the top level")


# -- step 2: @twilio/runtime-handler ----------------------------------------------------------


def _cmp(a: str, b: str) -> int:
    from twilint import npmrange

    try:
        return npmrange.compare(a, b)
    except Exception:
        return 0


def _pin_handler(state: _State, facts, target: str) -> None:
    """At least the platform's default handler; for a runtime that names a minimum (node24:
    2.1.2), the lowest accepted version on npm that meets it, else a follow-up for a person."""
    from twilint import npmrange
    from twilint.serverless import string_inner_span

    project = state.project
    pj = project.package_json
    if pj is None or pj.value is None or pj.value.kind != "object":
        return
    deps = pj.value.get("dependencies")
    value = deps.get(HANDLER) if deps is not None and deps.kind == "object" else None
    if value is None or value.kind != "string" or not npmrange.is_exact_version(value.data):
        return  # missing or a range the rules could not pin: the post-check reports it
    current = value.data
    rt = facts.runtime(target)
    required = rt.min_runtime_handler if rt is not None else None
    default = facts.default_handler
    accepted_current = facts.handler_accepted(current)
    pin = current
    if not accepted_current or _cmp(current, default) < 0:
        pin = default if facts.handler_accepted(default) else current
    if required and _cmp(pin, required) < 0:
        on_npm = sorted((v for v, hv in facts.handler_versions.items()
                         if hv.accepted and hv.on_npm and _cmp(v, required) >= 0), key=_semver_key)
        if on_npm:
            pin = on_npm[0]
        else:
            fails_below = rt.build_fails_below_handler
            state.plan.needs_person.append(
                f"package.json: {target} needs `{HANDLER}` {required} or later, which is not on npm, so pinning it "
                f"makes `npm install` fail; the pin is `{pin}`, which the platform accepts and, for a version "
                f"between {fails_below or '1.2.0'} and {required}, upgrades to {required} when it deploys to {target} "
                f"(Twilio changelog 2026-07-08, platform-notes §2.4). Do not pin npm's latest (2.1.0): deploys pinning it "
                f"are rejected with Error 20001 (platform-notes §2.5). Pin {required} once it is on npm; until then, on "
                f"Node {_major(target)} install with `npm install --legacy-peer-deps` (twilio-run 5.0.1 declares engines "
                f"only up to Node 22)")
    else:
        hv = facts.handler_versions.get(pin)
        if hv is not None and not hv.on_npm:
            state.plan.needs_person.append(
                f"package.json: `{HANDLER}` `{pin}` is accepted by the platform but is not on npm: local "
                f"`npm install` fails until it is published (platform-notes §2.1, §2.5)")
    _handler_major_note(state, pin)
    if pin == current:
        return
    span = string_inner_span(pj, value)
    if span is None:
        state.plan.needs_person.append(f"package.json: pin `{HANDLER}` to `{pin}` by hand")
        return
    from twilint.model import Edit

    state.edit(pj, [Edit.replace(span[0], span[1], pin)],
               f"Pin `{HANDLER}` to `{pin}` (accepted by the platform for {target})")


def _handler_major_note(state: _State, pin: str) -> None:
    """A handler that moves from 1.x to 2.x also moves the Twilio SDK it provides to 4.x."""
    from twilint import npmrange

    pj = state.original.get(state.project.root / "package.json")
    deps = pj.value.get("dependencies") if pj is not None and pj.value is not None and pj.value.kind == "object" else None
    value = deps.get(HANDLER) if deps is not None and deps.kind == "object" else None
    if value is None or value.kind != "string":
        return
    before = value.data if npmrange.is_exact_version(value.data) else npmrange.min_version(value.data)
    if not before or not npmrange.valid(before) or not npmrange.valid(pin):
        return
    old_major, new_major = int(npmrange.valid(before).split(".")[0]), int(npmrange.valid(pin).split(".")[0])
    if old_major < 2 <= new_major:
        state.plan.needs_person.append(
            f"package.json: `{HANDLER}` moves from {value.data} to {pin}: 2.0.0 moved the Twilio SDK it provides "
            f"(context.getTwilioClient()) from 3.x to 4.23.0 and needs Node 18 or later locally (its CHANGELOG, "
            f"platform-notes §2.2); test the Functions that call Twilio APIs")


def _semver_key(v: str):
    import functools

    from twilint import npmrange

    return functools.cmp_to_key(npmrange.compare)(v)


# -- step 3: engines.node and .nvmrc ------------------------------------------------------------


def bump_node_range(spec: str, major: int, node: str) -> str | None:
    """``spec`` (an ``engines.node`` range) made to admit Node ``node`` (the target's version),
    keeping its style; None when it already does."""
    from twilint import npmrange

    text = spec.strip()
    if text and npmrange.valid_range(text) is not None and npmrange.satisfies(node, text):
        return None
    m = _SIMPLE_NODE_RANGE.match(text)
    if m:
        op, v, _, rest = m.group(1) or "", m.group(2), m.group(3), m.group(4)
        parts = [p for p in rest.split(".") if p]
        if op in ("", "=") and len(parts) == 2 and all(p.isdigit() for p in parts):
            return f"{op}{v}{node}"
        new_rest = "".join("." + (p if not p.isdigit() else "0") for p in parts)
        return f"{op}{v}{major}{new_rest}"
    alternatives = [a.strip() for a in text.split("||")]
    if len(alternatives) > 1 and all(_SIMPLE_NODE_RANGE.match(a) for a in alternatives):
        last = _SIMPLE_NODE_RANGE.match(alternatives[-1])
        op, v, rest = last.group(1) or "", last.group(2), last.group(4)
        new_rest = "".join("." + (p if not p.isdigit() else "0") for p in rest.split(".") if p)
        sep = " || " if " || " in spec else "||"
        return f"{text}{sep}{op}{v}{major}{new_rest}"
    return f"{major}.x"


def _update_engines(state: _State, target: str, node: str) -> None:
    from twilint.model import Edit
    from twilint.serverless import string_inner_span

    pj = state.project.package_json
    if pj is None or pj.value is None or pj.value.kind != "object":
        return
    engines = pj.value.get("engines")
    v = engines.get("node") if engines is not None and engines.kind == "object" else None
    if v is None or v.kind != "string":
        return
    new = bump_node_range(v.data, _major(target), node)
    if new is None:
        return
    span = string_inner_span(pj, v)
    if span is None:
        state.plan.needs_person.append(f"package.json: set `engines.node` to admit Node {node} by hand")
        return
    state.edit(pj, [Edit.replace(span[0], span[1], new)], f"Set `engines.node` to `{new}` for {target}")


def bump_nvmrc(text: str, major: int, node: str) -> str | None:
    """The new first line of an ``.nvmrc`` for the target; None to leave it (already the target
    or newer, or a floating alias such as ``lts/*`` or ``node``)."""
    from twilint import npmrange

    line = text.strip()
    m = _NVM_VERSION.match(line)
    if m:
        if int(m.group(2)) >= major:
            return None
        depth = len([p for p in m.group(3).split(".") if p])
        parts = node.split(".")
        return m.group(1) + ".".join(parts[: depth + 1] + ["0"] * (depth + 1 - len(parts)))
    low = line.lower()
    if low.startswith("lts/") and low[4:] in LTS_CODENAMES:
        if LTS_CODENAMES[low[4:]] >= major:
            return None
        name = next((n for n, mj in LTS_CODENAMES.items() if mj == major), None)
        return f"lts/{name}" if name else str(major)
    if low in ("node", "stable", "lts/*", "latest", "current") or low.startswith("lts/-"):
        return None
    if line and npmrange.valid_range(line) is not None:
        return None if npmrange.satisfies(node, line) else str(major)
    return ""  # unknown: a person decides


def _update_nvmrc(state: _State, target: str, node_text: str) -> None:
    from twilint.model import Edit

    f = state.project.file(".nvmrc")
    if f is None or not f.ok:
        return
    data = f.data
    first_end = data.find(b"\n")
    first_end = len(data) if first_end == -1 else first_end
    first = data[:first_end].decode("utf-8", "replace")
    stripped = first.strip().rstrip("\r")
    node = _full_version(node_text)
    new = bump_nvmrc(stripped, _major(target), node)
    if new is None:
        return
    if new == "":
        state.plan.needs_person.append(f".nvmrc: `{stripped}` is not a version twilint understands: set it to {_major(target)}")
        return
    start = data.find(stripped.encode("utf-8"))
    state.edit(f, [Edit.replace(start, start + len(stripped.encode("utf-8")), new)],
               f"Set .nvmrc to `{new}` for {target}")


# -- what the rules cannot see ---------------------------------------------------------------------


def _variable_runtimes(state: _State, target: str) -> None:
    """`--runtime $RUNTIME` (a variable) in scripts and CI: a person checks where it is set."""
    from twilint.serverless import npm_scripts

    project = state.project
    hits = []
    pj = project.package_json
    for name, v in npm_scripts(project):
        for m in _VAR_RUNTIME.finditer(pj.data, v.start, v.end):
            hits.append(f"package.json (script `{name}`): `--runtime {m.group(1).decode()}`")
    for f in project.files.values():
        if f.kind in ("shell", "ci-workflow") and f.ok:
            for m in _VAR_RUNTIME.finditer(f.data):
                line = f.data.rfind(b"\n", 0, m.start()) + 1
                if f.data[line:m.start()].lstrip().startswith(b"#"):
                    continue
                hits.append(f"{f.rel}:{f.lines.line_col(m.start())[0]}: `--runtime {m.group(1).decode()}`")
    for h in hits:
        state.plan.needs_person.append(f"{h} takes the runtime from a variable: make sure it is `{target}`")


def _python_without_libcst(state: _State) -> None:
    try:
        import libcst  # noqa: F401
        return
    except ImportError:
        pass
    for f in state.project.files.values():
        if f.kind == "python" and f.ok and b"untime" in f.data and b"uild" in f.data:
            state.plan.needs_person.append(
                f"{f.rel}: Python deploy scripts are migrated with libcst; install `twilint[python]` and run again")


# -- step 4: the dependencies, on the migrated project ----------------------------------------------


def _post_check(state: _State, facts, target: str) -> None:
    """Run the platform and module rules on the migrated project; apply their safe fixes; what
    remains needs a person."""
    from twilint.engine import check_project, relint_file
    from twilint.fixes import applicable, fix_file, strict_validate
    from twilint.rules import all_rules

    project = state.project
    registry = all_rules()
    rules = [(registry[n], registry[n].severity) for n in POST_RULES
             if n in registry and project.config.severity.get(n) != "off"]
    diags = check_project(project, rules, facts)
    safe = [d for d in diags if applicable(d, False) and d.fix.edits and d.rule in MODULE_RULES]
    changed = False
    for f in dict.fromkeys(d.file for d in safe):
        outcome = fix_file(f, lambda sf: relint_file(sf, rules, facts), False)
        if outcome.new is None:
            continue
        if f.kind == "js" and strict_validate([(f.data, outcome.new.data, f.path.suffix == ".mjs")])[0]:
            continue
        project.replace(outcome.new)
        for d in outcome.applied:
            state.note(f.path, d.fix.description)
        changed = True
    if changed:
        diags = check_project(project, rules, facts)
    for d in diags:
        state.plan.needs_person.append(f"{d.file.rel}:{d.line}:{d.column}: {d.rule}: {d.message}")


def _engines_of_dependencies(state: _State, target: str, node: str) -> None:
    """Dependencies whose own ``engines.node`` (installed, else package-lock.json) excludes the
    target Node version."""
    import json

    from twilint import npmrange
    from twilint.analysis import modules as M

    project = state.project
    deps = project.dependencies("dependencies")
    if deps is None:
        return
    locked = {}
    lock = project.file("package-lock.json")
    if lock is not None and lock.ok:
        try:
            locked = json.loads(lock.data).get("packages", {}) or {}
        except (ValueError, AttributeError, RecursionError):  # (lockfile problems are the lint rules' to report)
            locked = {}
    for name in deps.keys():
        inst = M.installed(project, name)
        if inst is not None:
            spec, version, where = inst.engines.get("node"), inst.version, "installed"
        else:
            entry = locked.get(f"node_modules/{name}") if isinstance(locked, dict) else None
            if not isinstance(entry, dict):
                continue
            eng = entry.get("engines")
            spec = eng.get("node") if isinstance(eng, dict) else None
            version, where = entry.get("version"), "locked"
        if not isinstance(spec, str) or npmrange.valid_range(spec) is None or npmrange.satisfies(node, spec):
            continue
        state.plan.needs_person.append(
            f"package.json: `{name}` {version or ''} ({where}) declares `engines.node` `{spec}`, which excludes "
            f"Node {node} ({target}): upgrade it to a version that supports Node {_major(target)} [002:17151]")
