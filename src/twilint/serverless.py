"""What a project tells the Serverless Toolkit: its config scopes, the runtimes it asks for (in
config, npm scripts, shell scripts, CI workflows and Python deploy scripts), the env files a deploy
uploads, and whether git tracks a file. Shared by the platform and configuration rules.

Values of env files are secrets: nothing here returns or formats one except for size checks.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

from twilint.project import SERVERLESS_CONFIG_NAMES, Project, SourceFile
from twilint.records import record
from twilint.sources.values import Value

RUNTIME_ID = re.compile(r"^node\d+$")
# `--runtime node16`, `--runtime=node16`, `--runtime 'node16'`; a `$VAR` value is not a runtime.
_RUNTIME_FLAG = re.compile(rb"""(?<![\w-])--runtime(?:=|[ \t]+)(['"]?)([A-Za-z][A-Za-z0-9_.\-]*)\1(?![\w.\-])""")
_ENV_FLAG = re.compile(rb"""(?<![\w-])--env(?:=|[ \t]+)(['"]?)([A-Za-z0-9_./\-][A-Za-z0-9_./\-]*)\1(?![\w.\-])""")
_LOAD_SYSTEM_ENV_FLAG = re.compile(rb"(?<![\w-])--load-system-env\b")


# -- config ----------------------------------------------------------------------------------


def config_candidates(project: Project) -> list[tuple[SourceFile, str]]:
    """Every Toolkit config present, in cosmiconfig's search order: (file, label)."""
    out = []
    pj = project.package_json
    if pj is not None and pj.value is not None and pj.value.get("twilioserverless") is not None:
        out.append((pj, "package.json#twilioserverless"))
    for n in SERVERLESS_CONFIG_NAMES:
        f = project.file(n)
        if f is not None:
            out.append((f, n))
    return out


def effective_config(project: Project) -> tuple[SourceFile, Value, str] | None:
    """The config file the Toolkit reads (the first in search order) and its object."""
    f = project.serverless_config_file
    if f is None:
        return None
    f = project.files.get(f.path, f)  # the current contents while fixing
    value = f.value.get("twilioserverless") if f.kind == "package.json" and f.value is not None else f.value
    if value is None or value.kind != "object":
        return None
    label = "package.json#twilioserverless" if f.kind == "package.json" else f.path.name
    return f, value, label


def scopes(cfg: Value) -> list[tuple[str, Value]]:
    """The config objects that apply to some deploy: the top level, then every
    ``commands.X``, ``environments.X`` and ``projects.X`` (twilio-run's readSpecializedConfig)."""
    out = [("top level", cfg)]
    for scope in ("commands", "environments", "projects"):
        table = cfg.get(scope)
        if table is None or table.kind != "object":
            continue
        for key, obj in table.items():
            if obj.kind == "object":
                out.append((f"{scope}.{key}" if key else f"{scope}[\"\"]", obj))
    return out


def string_inner_span(file: SourceFile, value: Value) -> tuple[int, int] | None:
    """The byte span of a string value's text without its quotes, when the bytes are the text
    itself (no escapes), so a fix can splice it."""
    if value.kind != "string":
        return None
    start, end = value.start, value.end
    if value.quote:
        start, end = start + 1, end - 1
    if file.data[start:end] != value.data.encode("utf-8"):
        return None
    return start, end


# -- runtimes ----------------------------------------------------------------------------------


@record
class RuntimeSetting:
    file: SourceFile
    start: int  # the runtime text as written (no quotes)
    end: int
    runtime: str
    where: str  # for messages: "`runtime` (environments.prod) in .twilioserverlessrc"
    origin: str  # config | npm-script | shell | ci-workflow | python
    fixable: bool = True


def config_runtimes(project: Project) -> list[RuntimeSetting]:
    eff = effective_config(project)
    if eff is None:
        return []
    f, cfg, label = eff
    out = []
    for scope, obj in scopes(cfg):
        v = obj.get("runtime")
        if v is None or v.kind != "string":
            continue
        span = string_inner_span(f, v)
        start, end = span if span else (v.start, v.end)
        out.append(RuntimeSetting(f, start, end, v.data, f"`runtime` ({scope}) in {label}", "config", span is not None))
    return out


def _flag_matches(data: bytes, start: int, end: int, pattern) -> list[re.Match]:
    return list(pattern.finditer(data, start, end))


def _comment_free_line(data: bytes, pos: int) -> bool:
    """False when ``pos`` follows a `#` comment start on its line (shell, YAML, Python)."""
    line_start = data.rfind(b"\n", 0, pos) + 1
    before = data[line_start:pos]
    stripped = before.lstrip()
    if stripped.startswith(b"#"):
        return False
    return b" #" not in before and b"\t#" not in before


def npm_scripts(project: Project) -> list[tuple[str, Value]]:
    pj = project.package_json
    if pj is None or pj.value is None or pj.value.kind != "object":
        return []
    scripts = pj.value.get("scripts")
    if scripts is None or scripts.kind != "object":
        return []
    return [(k, v) for k, v in scripts.items() if v.kind == "string"]


def _text_files(project: Project, kinds: tuple[str, ...]) -> list[SourceFile]:
    return [f for f in project.files.values() if f.kind in kinds and f.ok]


def script_runtimes(project: Project) -> list[RuntimeSetting]:
    out: list[RuntimeSetting] = []
    pj = project.package_json
    for name, v in npm_scripts(project):
        for m in _flag_matches(pj.data, v.start, v.end, _RUNTIME_FLAG):
            out.append(RuntimeSetting(pj, m.start(2), m.end(2), m.group(2).decode(),
                                      f"`--runtime` in the `{name}` script of package.json", "npm-script"))
    for f in _text_files(project, ("shell", "ci-workflow")):
        data = f.data
        for m in _RUNTIME_FLAG.finditer(data):
            if not _comment_free_line(data, m.start()):
                continue
            what = "shell script" if f.kind == "shell" else "CI workflow"
            out.append(RuntimeSetting(f, m.start(2), m.end(2), m.group(2).decode(),
                                      f"`--runtime` in the {what} {f.rel}", f.kind))
    for f in _text_files(project, ("python",)):
        out.extend(python_runtimes(f))
    return out


def all_runtimes(project: Project) -> list[RuntimeSetting]:
    return config_runtimes(project) + script_runtimes(project)


def python_runtimes(file: SourceFile) -> list[RuntimeSetting]:
    """``runtime='node16'`` passed to a Serverless Build create call (twilio-python
    ``...builds.create(runtime=...)``) or ``{"Runtime": "node16"}`` in a file that calls the
    Build API over HTTP. Needs libcst (the optional ``[python]`` extra); without it, nothing."""
    try:
        import libcst  # noqa: F401  (the optional [python] extra)
    except ImportError:
        return []
    return [RuntimeSetting(file, start, end, value, f"{what} in {file.rel}", "python")
            for start, end, value, what in _python_runtimes(file.data)]


@functools.lru_cache(maxsize=64)
def _python_runtimes(data: bytes) -> tuple[tuple[int, int, str, str], ...]:
    if b"untime" not in data or (b"builds" not in data.lower()):
        return ()
    try:
        import libcst as cst
        from libcst.metadata import ByteSpanPositionProvider, MetadataWrapper
    except ImportError:
        return ()
    try:
        wrapper = MetadataWrapper(cst.parse_module(data))
    except Exception:  # a Python syntax error: not ours to report
        return ()
    spans = wrapper.resolve(ByteSpanPositionProvider)
    found: list[tuple[object, str]] = []
    http_build = b"/Builds" in data

    def callee_chain(node) -> list[str]:
        names = []
        while True:
            if isinstance(node, cst.Attribute):
                names.append(node.attr.value)
                node = node.value
            elif isinstance(node, cst.Call):
                node = node.func
            elif isinstance(node, cst.Name):
                names.append(node.value)
                break
            else:
                break
        return names[::-1]

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node) -> None:
            chain = callee_chain(node.func)
            if len(chain) >= 2 and chain[-2:] == ["builds", "create"]:
                for arg in node.args:
                    if arg.keyword is not None and arg.keyword.value == "runtime":
                        found.append((arg.value, "`runtime=` in a Build API call"))

        def visit_DictElement(self, node) -> None:
            if http_build and isinstance(node.key, cst.SimpleString) and node.key.evaluated_value == "Runtime":
                found.append((node.value, "`Runtime` in a Build API request"))

    wrapper.visit(Visitor())
    out = []
    for node, what in found:
        if not isinstance(node, cst.SimpleString):
            continue
        value = node.evaluated_value
        if not isinstance(value, str):
            continue
        span = spans[node]
        start, end = span.start, span.start + span.length
        raw = data[start:end]
        at = raw.find(value.encode("utf-8"))
        if at == -1 or not value:
            continue
        out.append((start + at, start + at + len(value.encode("utf-8")), value, what))
    return tuple(out)


# -- env files ---------------------------------------------------------------------------------


@record
class EnvRef:
    rel: str  # as written (normalised POSIX, relative to the project root)
    path: Path
    where: str  # "the default .env", "`env` (environments.prod) in .twilioserverlessrc", ...
    file: SourceFile | None  # None when the file does not exist


def deploy_env_files(project: Project) -> list[EnvRef]:
    """The env files a deploy may upload: the default ``.env``, every ``env`` in a config scope,
    and every ``--env`` in package.json scripts. One entry per path (the first reason)."""
    refs: list[tuple[str, str]] = [(".env", "the default .env")]
    eff = effective_config(project)
    if eff is not None:
        _, cfg, label = eff
        for scope, obj in scopes(cfg):
            v = obj.get("env")
            if v is not None and v.kind == "string" and v.data:
                refs.append((v.data, f"`env` ({scope}) in {label}"))
    pj = project.package_json
    for name, v in npm_scripts(project):
        for m in _ENV_FLAG.finditer(pj.data, v.start, v.end):
            refs.append((m.group(2).decode(), f"`--env` in the `{name}` script"))
    out: list[EnvRef] = []
    seen: set[Path] = set()
    for rel, where in refs:
        path = Path(os.path.normpath(project.root / rel))
        if path in seen:
            continue
        seen.add(path)
        f = project.files.get(path)
        if f is None and os.path.isfile(path):
            f = SourceFile(path, project, "env", "other")
        if f is not None and not f.ok:
            f = None
        out.append(EnvRef(rel, path, where, f))
    return out


def uses_load_system_env(project: Project) -> bool:
    eff = effective_config(project)
    if eff is not None:
        for _, obj in scopes(eff[1]):
            v = obj.get("loadSystemEnv")
            if v is not None and v.kind == "bool" and v.data:
                return True
    pj = project.package_json
    return any(_LOAD_SYSTEM_ENV_FLAG.search(pj.data, v.start, v.end) for _, v in npm_scripts(project))


def uploaded_variables(env) -> dict[str, str]:
    """What twilio-run uploads from an env file: the last value of each key, without empty
    values and without ACCOUNT_SID / AUTH_TOKEN (filterEnvVariablesForDeploy)."""
    out: dict[str, str] = {}
    for e in env.entries:
        out[e.key] = e.value or ""
    return {k: v for k, v in out.items() if v and k not in ("ACCOUNT_SID", "AUTH_TOKEN")}


def json_size(variables: dict[str, str]) -> int:
    """Bytes of ``JSON.stringify(variables)`` (UTF-8)."""
    return len(json.dumps(variables, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


# -- git ---------------------------------------------------------------------------------------


# A repository's own config can name commands git runs (core.fsmonitor runs one on every index
# read): twilint must never run project-supplied code, so those are switched off, and git must
# not write (no optional index refresh).
_GIT_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "core.untrackedCache=false")


def _git(root: Path, *args: str) -> subprocess.CompletedProcess | None:
    import os
    import subprocess  # (only here: most runs never ask git)

    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0")
    try:
        return subprocess.run(["git", *_GIT_SAFE, "-C", str(root), *args], capture_output=True, timeout=20,
                              env=env, stdin=subprocess.DEVNULL)
    except (OSError, ValueError, subprocess.TimeoutExpired):  # (ValueError: a NUL in a path from a config)
        return None


def git_tracked(path: Path) -> bool | None:
    """True when git tracks ``path``, False when it does not, None when there is no git
    repository (or no git)."""
    root = path.parent
    res = _git(root, "rev-parse", "--is-inside-work-tree")
    if res is None or res.returncode != 0 or res.stdout.strip() != b"true":
        return None
    res = _git(root, "ls-files", "--error-unmatch", "--", path.name)
    if res is None:
        return None
    return res.returncode == 0


def deploys_functions(project: Project) -> bool:
    """A Twilio project that is not Assets-only: it has function files, or it has neither
    functions nor assets yet but says it is a Toolkit project (config, twilio-run, handler...)."""
    if not project.is_twilio:
        return False
    if project_has_function_files(project):
        return True
    return not any(os.path.isdir(d) for d in project.assets_dirs) and project.twilio_evidence == "strong"


def project_has_function_files(project: Project) -> bool:
    return any(f.role == "function" and f.kind in ("js", "ts") for f in project.files.values()) or any(
        os.path.isdir(d) and any(True for _ in d.rglob("*.js")) for d in project.functions_dirs
    )


# -- edits ---------------------------------------------------------------------------------------


def insert_first_member(data: bytes, obj: Value, member: str):
    """An Edit that makes ``member`` (``"key": value`` text, no comma) the first member of the
    JSON/JSON5/JS object ``obj``, matching the indentation of its first member; None when the
    layout is too unusual to edit safely."""
    from twilint.model import Edit

    if obj.kind != "object" or data[obj.start:obj.start + 1] != b"{":
        return None
    if obj.members:
        first = obj.members[0]
        line_start = data.rfind(b"\n", 0, first.key_start) + 1
        before = data[line_start:first.key_start]
        if not before.strip() and line_start > obj.start:
            return Edit.replace(obj.start + 1, obj.start + 1, f"\n{before.decode()}{member},")
        return Edit.replace(first.key_start, first.key_start, f"{member}, ")
    inner = data[obj.start + 1:obj.end - 1]
    if inner.strip():
        return None  # only comments inside: leave it alone
    line_start = data.rfind(b"\n", 0, obj.start) + 1
    indent = re.match(rb"[ \t]*", data[line_start:obj.start]).group(0).decode()
    if b"\n" in inner:
        return Edit.replace(obj.start + 1, obj.start + 1, f"\n{indent}  {member}")
    return Edit.replace(obj.start + 1, obj.end - 1, f"\n{indent}  {member}\n{indent}")
