"""`twilint migrate classic SOURCE --out DIR`: a Functions (Classic) export -> a Toolkit project.

Input: a folder of Classic Function sources as copied out of the Console (one ``.js`` file per
Function, its path derived from the file's relative path), with an optional manifest
(``classic-manifest.json``, ``.yaml`` or ``.yml`` in SOURCE, or ``--manifest FILE``; the format
is documented in ``docs/migrate-classic.md``). Output, in DIR: ``functions/<path>.js`` (or
``.protected.js``), ``assets/`` (``.private.`` where code reads an Asset through
``Runtime.getAssets()``), ``package.json``, ``.env``, ``.env.example``, ``.gitignore`` and
``.twilioserverlessrc``.

Code is copied byte for byte; then twilint's safe fixes run on the produced project (``--no-fix``
skips them), and every finding left, like the hard-coded URLs, phone numbers, Studio Flow SIDs and
public webhook handlers this recipe looks for, is listed as needing a person.

The whole project is built and checked in a scratch folder first, so ``--diff`` and
``--dry-run`` show exactly what a write would create; nothing is written when the input is
refused (a path escaping the output folder, two sources for one Function path, a non-empty output
folder without ``--force``).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path, PurePosixPath

import click

from twilint.migrate.base import Plan, display, execute
from twilint.records import field, record

MANIFEST_NAMES = ("classic-manifest.json", "classic-manifest.yaml", "classic-manifest.yml")
ASSETS_FOLDER = "assets"  # where a manifest-less export keeps its Classic Assets
SKIP = {"node_modules", ".git", ".hg", ".svn", ".twilint_cache"}
SEGMENT = re.compile(r"^[A-Za-z0-9_~.\-]+$")
VISIBILITIES = ("public", "protected", "private")
MANIFEST_KEYS = {"name", "domain", "functions", "assets", "dependencies", "environment"}
FUNCTION_KEYS = {"source", "path", "checkSignature"}
ASSET_KEYS = {"source", "path", "visibility"}
# What in copied code points at the old Service, a phone number, or a Studio Flow.
# (a host name is at most 253 characters: unbounded, a long run of letters took quadratic time)
TWIL_IO_URL = re.compile(r"(?:https?://)?[A-Za-z0-9][A-Za-z0-9.\-]{0,252}\.twil\.io(?:/[^\s'\"`<>)]*)?")
E164 = re.compile(r"(?<![\w+])\+[1-9]\d{7,14}(?!\d)")
FLOW_SID = re.compile(r"\bFW[0-9a-fA-F]{32}\b")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Refused(Exception):
    """Input the recipe will not migrate; the message says where and why."""


@record
class FunctionSpec:
    source: str  # POSIX path relative to SOURCE
    path: str  # the Function path, "/sms/reply"
    protected: bool = False
    where: str = ""  # manifest location, for messages

    @property
    def out_rel(self) -> str:
        return f"functions{self.path}{'.protected' if self.protected else ''}.js"


@record
class AssetSpec:
    source: str
    path: str  # the Asset path, "/names.json"
    visibility: str | None = None  # None: decided from the code
    where: str = ""

    def out_rel(self, visibility: str) -> str:
        head, _, base = self.path.rpartition("/")
        if visibility != "public":
            stem, dot, ext = base.partition(".")
            base = f"{stem}.{visibility}.{ext}" if dot else f"{stem}.{visibility}"
        return f"assets{head}/{base}"


@record
class Export:
    """A Classic export, read and validated."""

    source: Path
    manifest: Path | None = None
    name: str | None = None
    domain: str | None = None
    functions: list[FunctionSpec] = field(default_factory=list)
    assets: list[AssetSpec] = field(default_factory=list)
    dependencies: dict[str, str | None] = field(default_factory=dict)
    environment: dict[str, str | None] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)  # source files that are neither


# -- the manifest -------------------------------------------------------------------------------


class _Manifest:
    """The parsed manifest with `file:line:col` locations for messages."""

    def __init__(self, path: Path):
        from twilint.sources.text import DecodeError, LineIndex, decode
        from twilint.sources.values import ValueSyntaxError

        self.path = path
        try:
            data, _ = decode(path.read_bytes())
        except OSError as exc:
            raise Refused(f"{display(path)}: cannot read the manifest: {exc.strerror or exc}") from exc
        except DecodeError as exc:
            raise Refused(f"{display(path)}: {exc}") from exc
        self.lines = LineIndex(data)
        try:
            if path.suffix.lower() in (".yaml", ".yml"):
                from twilint.sources.yaml_values import parse_yaml

                self.root = parse_yaml(data)
            else:
                from twilint.sources.json5 import parse_json5

                self.root = parse_json5(data)
        except ValueSyntaxError as exc:
            raise Refused(f"{self.at(exc.offset)}: the manifest does not parse: {exc.message}") from exc
        except RecursionError as exc:
            raise Refused(f"{display(path)}: the manifest is nested too deeply") from exc
        if self.root is None or self.root.kind != "object":
            raise Refused(f"{self.at(0)}: the manifest must be an object (see docs/migrate-classic.md)")

    def at(self, offset: int) -> str:
        line, col = self.lines.line_col(offset)
        return f"{display(self.path)}:{line}:{col}"

    def fail(self, value, message: str):
        raise Refused(f"{self.at(value.start)}: {message}")

    def string(self, value, what: str) -> str:
        if value.kind != "string" or not value.data:
            self.fail(value, f"{what} must be a non-empty string")
        return value.data

    def check_keys(self, obj, allowed: set[str], what: str) -> None:
        for m in obj.members:
            if m.key not in allowed:
                raise Refused(f"{self.at(m.key_start)}: unknown key `{m.key}` in {what} "
                              f"(expected: {', '.join(sorted(allowed))})")


def find_manifest(source: Path) -> Path | None:
    found = [source / n for n in MANIFEST_NAMES if os.path.isfile(source / n)]
    if len(found) > 1:
        raise Refused(f"{display(source)}: several manifests ({', '.join(p.name for p in found)}): keep one")
    return found[0] if found else None


def _safe_source(source: Path, rel: str, where: str) -> str:
    """``rel`` as a POSIX path inside ``source``; refuses absolute paths, `..` and symlinks out."""
    if "\\" in rel or rel.startswith("/") or re.match(r"^[A-Za-z]:", rel) or os.path.isabs(rel):
        raise Refused(f"{where}: `{rel}` is an absolute path: sources are relative to {display(source)}")
    parts = PurePosixPath(rel).parts
    if any(p == ".." for p in parts):
        raise Refused(f"{where}: `{rel}` escapes the source folder (`..`)")
    full = source / rel
    if not os.path.isfile(full):
        raise Refused(f"{where}: `{rel}` is not a file in {display(source)}")
    real, base = os.path.realpath(full), os.path.realpath(source)
    if os.path.commonpath([real, base]) != base:
        raise Refused(f"{where}: `{rel}` is a link to a file outside {display(source)}")
    return PurePosixPath(*parts).as_posix()


def _safe_path(raw: str, where: str, kind: str) -> str:
    """A Function or Asset path: "/" + segments of letters, digits and `_~.-`; no `..`."""
    path = raw if raw.startswith("/") else "/" + raw
    if "\\" in raw or re.match(r"^[A-Za-z]:", raw):
        raise Refused(f"{where}: {kind} path `{raw}` is not a URL path")
    segments = path[1:].split("/")
    if any(s == ".." for s in segments):
        raise Refused(f"{where}: {kind} path `{raw}` escapes the output folder (`..`)")
    if raw.startswith("//") or any(s in ("", ".") for s in segments):
        raise Refused(f"{where}: {kind} path `{raw}` has an empty or `.` segment")
    bad = [s for s in segments if not SEGMENT.match(s)]
    if bad:
        raise Refused(f"{where}: {kind} path `{raw}`: `{bad[0]}` may only use letters, digits and `_~.-`")
    if kind == "Function" and re.search(r"\.(protected|private)$", segments[-1]):
        raise Refused(f"{where}: Function path `{raw}` ends in a visibility marker; use checkSignature")
    return path


def read_export(source: Path, manifest_path: Path | None, out: Path) -> Export:
    exp = Export(source=source)
    manifest_path = manifest_path or find_manifest(source)
    exp.manifest = manifest_path
    files = _source_files(source, out, manifest_path)
    if manifest_path is None:
        _without_manifest(exp, files)
    else:
        _with_manifest(exp, _Manifest(manifest_path), files)
    _check_clashes(exp)
    return exp


def _source_files(source: Path, out: Path, manifest: Path | None) -> list[str]:
    out_real = os.path.realpath(out)
    found = []
    for dirpath, dirnames, filenames in os.walk(source):
        d = Path(dirpath)
        dirnames[:] = sorted(n for n in dirnames if n not in SKIP and os.path.realpath(d / n) != out_real)
        for n in sorted(filenames):
            p = d / n
            if manifest is not None and p == manifest:
                continue
            found.append(p.relative_to(source).as_posix())
    return found


def _without_manifest(exp: Export, files: list[str]) -> None:
    for rel in files:
        where = display(exp.source / rel)
        if rel.startswith(ASSETS_FOLDER + "/"):
            _safe_source(exp.source, rel, where)
            exp.assets.append(AssetSpec(rel, _safe_path(rel[len(ASSETS_FOLDER):], where, "Asset"), None, where))
        elif rel.endswith(".js"):
            _safe_source(exp.source, rel, where)
            stem = rel[:-3]
            protected = stem.endswith(".protected")
            if protected:
                stem = stem[: -len(".protected")]
            exp.functions.append(FunctionSpec(rel, _safe_path(stem, where, "Function"), protected, where))
        else:
            exp.left_out.append(rel)


def _with_manifest(exp: Export, m: _Manifest, files: list[str]) -> None:
    root = m.root
    m.check_keys(root, MANIFEST_KEYS, "the manifest")
    if (v := root.get("name")) is not None:
        exp.name = m.string(v, "`name`")
    if (v := root.get("domain")) is not None:
        exp.domain = m.string(v, "`domain`").removeprefix("https://").removeprefix("http://").rstrip("/")
    fns = root.get("functions")
    if fns is None:
        # no list: every .js file outside assets/ is a Function, as without a manifest
        _without_manifest(exp, [f for f in files if f.endswith(".js") and not f.startswith(ASSETS_FOLDER + "/")])
    else:
        if fns.kind != "array":
            m.fail(fns, "`functions` must be a list")
        for item in fns.elements:
            where = m.at(item.start)
            if item.kind == "string":
                src = _safe_source(exp.source, item.data, where)
                exp.functions.append(FunctionSpec(src, _safe_path(src[:-3] if src.endswith(".js") else src, where, "Function"),
                                                  False, where))
                continue
            if item.kind != "object":
                m.fail(item, "a Function is a source path or an object with `source`, `path`, `checkSignature`")
            m.check_keys(item, FUNCTION_KEYS, "a Function")
            src_v = item.get("source")
            if src_v is None:
                m.fail(item, "a Function needs `source` (its file, relative to the export)")
            src = _safe_source(exp.source, m.string(src_v, "`source`"), m.at(src_v.start))
            path_v = item.get("path")
            raw_path = m.string(path_v, "`path`") if path_v is not None else (src[:-3] if src.endswith(".js") else src)
            path = _safe_path(raw_path, m.at((path_v or src_v).start), "Function")
            sig = item.get("checkSignature")
            if sig is not None and sig.kind != "bool":
                m.fail(sig, "`checkSignature` must be true or false")
            exp.functions.append(FunctionSpec(src, path, bool(sig and sig.data), where))
    assets = root.get("assets")
    if assets is None:
        for rel in files:
            if rel.startswith(ASSETS_FOLDER + "/"):
                where = display(exp.source / rel)
                _safe_source(exp.source, rel, where)
                exp.assets.append(AssetSpec(rel, _safe_path(rel[len(ASSETS_FOLDER):], where, "Asset"), None, where))
    else:
        if assets.kind != "array":
            m.fail(assets, "`assets` must be a list")
        for item in assets.elements:
            where = m.at(item.start)
            if item.kind == "string":
                src = _safe_source(exp.source, item.data, where)
                default = src[len(ASSETS_FOLDER):] if src.startswith(ASSETS_FOLDER + "/") else src
                exp.assets.append(AssetSpec(src, _safe_path(default, where, "Asset"), None, where))
                continue
            if item.kind != "object":
                m.fail(item, "an Asset is a source path or an object with `source`, `path`, `visibility`")
            m.check_keys(item, ASSET_KEYS, "an Asset")
            src_v = item.get("source")
            if src_v is None:
                m.fail(item, "an Asset needs `source` (its file, relative to the export)")
            src = _safe_source(exp.source, m.string(src_v, "`source`"), m.at(src_v.start))
            path_v = item.get("path")
            default = src[len(ASSETS_FOLDER):] if src.startswith(ASSETS_FOLDER + "/") else src
            path = _safe_path(m.string(path_v, "`path`") if path_v is not None else default,
                              m.at((path_v or src_v).start), "Asset")
            vis = item.get("visibility")
            visibility = None
            if vis is not None:
                visibility = m.string(vis, "`visibility`")
                if visibility not in VISIBILITIES:
                    m.fail(vis, f"`visibility` must be one of {', '.join(VISIBILITIES)}")
            exp.assets.append(AssetSpec(src, path, visibility, where))
    exp.dependencies = _name_map(m, root.get("dependencies"), "dependencies", "version", _check_package)
    exp.environment = _name_map(m, root.get("environment"), "environment", "value", _check_env_name)
    used = {f.source for f in exp.functions} | {a.source for a in exp.assets}
    exp.left_out = [f for f in files if f not in used]


def _check_package(name: str) -> bool:
    from twilint.analysis.modules import parse_specifier

    spec = parse_specifier(name)
    return spec.category == "package" and spec.package == name


def _check_env_name(name: str) -> bool:
    return bool(ENV_NAME.match(name))


def _name_map(m: _Manifest, value, what: str, inner: str, check) -> dict[str, str | None]:
    """``{name: x}`` / ``{name: null}`` / ``[name, {name, <inner>}]`` -> {name: x or None}."""
    out: dict[str, str | None] = {}
    if value is None:
        return out
    entries = []
    if value.kind == "object":
        entries = [(mm.key, mm.key_start, mm.value) for mm in value.members]
    elif value.kind == "array":
        for item in value.elements:
            if item.kind == "string":
                entries.append((item.data, item.start, None))
            elif item.kind == "object" and (n := item.get("name")) is not None:
                m.check_keys(item, {"name", inner}, f"an entry of `{what}`")
                entries.append((m.string(n, "`name`"), n.start, item.get(inner)))
            else:
                m.fail(item, f"an entry of `{what}` is a name or an object with `name` and `{inner}`")
    else:
        m.fail(value, f"`{what}` must be an object or a list")
    for name, start, v in entries:
        if not check(name):
            raise Refused(f"{m.at(start)}: `{name}` is not a valid {'package' if what == 'dependencies' else 'variable'} name")
        if name in out:
            raise Refused(f"{m.at(start)}: `{name}` is listed twice in `{what}`")
        if v is None or v.kind == "null":
            out[name] = None
        elif v.kind in ("string", "number", "bool"):
            out[name] = v.data if v.kind == "string" else json.dumps(v.data)
        else:
            m.fail(v, f"the {inner} of `{name}` must be a string")
    return out


def _check_clashes(exp: Export) -> None:
    seen: dict[str, tuple[str, str]] = {}
    folded: dict[str, tuple[str, str]] = {}
    for kind, path, src, where in (
        [("Function", f.path, f.source, f.where) for f in exp.functions]
        + [("Asset", a.path, a.source, a.where) for a in exp.assets]
    ):
        if path in seen:
            other_src, other_kind = seen[path]
            what = f"the {kind} path" if other_kind == kind else "the same path (a Function and an Asset)"
            raise Refused(f"{where}: `{src}` and `{other_src}` both map to {what} `{path}`: "
                          "give one of them another path")
        low = f"{kind}:{path.lower()}"
        if low in folded:
            raise Refused(f"{where}: `{src}` ({path}) and `{folded[low][0]}` ({folded[low][1]}) differ only in "
                          "letter case: they cannot both be written on a case-insensitive file system")
        seen[path] = (src, kind)
        folded[low] = (src, path)


# -- building the project -------------------------------------------------------------------------


def service_name(raw: str) -> str:
    """A Service name: "fewer than 50 characters, ... letters, numbers, and dashes" [002:1228];
    lower case, as package.json names must be."""
    name = re.sub(r"[^a-z0-9]+", "-", raw.lower()).strip("-")[:49].strip("-")
    return name or "classic-functions"


def _env_line(name: str, value: str | None) -> tuple[str, bool]:
    """``NAME=value`` for .env; (line, ok). A value dotenv would not read back is left out."""
    from twilint.sources.dotenv import parse_env

    if value is None or value == "":
        return f"{name}=", True
    candidates = [value]
    if not re.fullmatch(r"[A-Za-z0-9_./:@+,\-]*", value):
        candidates = ["'" + value + "'", '"' + value + '"'] if "\n" not in value else ['"' + value.replace("\n", "\\n") + '"']
    for c in candidates:
        env = parse_env(f"{name}={c}\n".encode())
        e = env.get(name)
        if not env.problems and e is not None and e.value == value and "#" not in c[:1]:
            return f"{name}={c}", True
    return f"{name}=", False


def _walk_nodes(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


@record
class CodeFacts:
    """What the copied code says: packages, private Asset keys, webhook shape, repoint spots."""

    packages: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # name -> (rel, line) sites
    asset_keys: dict[str, list[str]] = field(default_factory=dict)  # "/names.json" -> sites
    webhooks: dict[str, list[str]] = field(default_factory=dict)  # out rel -> reasons
    repoint: list[str] = field(default_factory=list)


def analyse(project_root: Path) -> CodeFacts:
    """Read the staged project (functions only so far) with twilint's own analyses."""
    from twilint.analysis.handler import twilio_handlers
    from twilint.analysis.modules import required_packages
    from twilint.analysis.paths import PathTracker
    from twilint.analysis.responses import runtime_key_uses
    from twilint.facts import _load
    from twilint.project import discover
    from twilint.sources.js import node_text, string_value

    facts = CodeFacts()
    disc = discover([project_root])
    project = disc.projects.get(project_root)
    if project is None:
        return facts
    for name, refs in required_packages(project).items():
        facts.packages[name] = [(r.file.rel, r.line) for r in refs]
    params = _load("security.toml")["webhook_params"]
    webhook_keys = set(params["anchor"]) | set(params["others"])
    for f in sorted(project.files.values(), key=lambda f: f.rel):
        if f.role != "function" or f.kind != "js" or f.js is None or f.js.has_error:
            continue
        for use in runtime_key_uses(f, "getAssets"):
            if use.key:
                key = use.key if use.key.startswith("/") else "/" + use.key
                key = re.sub(r"\.private\.", ".", key)
                facts.asset_keys.setdefault(key, []).append(f"{f.rel}:{use.key_node.start_point[0] + 1}")
        reasons = []
        read: set[str] = set()
        for h in twilio_handlers(f):
            if len(h.params) < 2:
                continue
            for acc in PathTracker({}).run(h.function, h.params, {1: "event"}):
                if acc.kind == "event" and not acc.write and acc.key in webhook_keys:
                    read.add(acc.key)
        if read:
            reasons.append("reads " + ", ".join(f"event.{k}" for k in sorted(read)))
        for n in _walk_nodes(f.js.root):
            if n.type == "new_expression":
                ctor = n.child_by_field_name("constructor")
                text = node_text(ctor) if ctor is not None else ""
                if re.search(r"\btwiml\.\w*Response$", text, re.I):
                    reasons.append(f"builds TwiML ({text.rsplit('.', 1)[-1]})")
                    break
        if reasons:
            facts.webhooks[f.rel] = reasons
        for n in _walk_nodes(f.js.root):
            if n.type not in ("string", "template_string"):
                continue
            text = string_value(n) if n.type == "string" else node_text(n)
            if not text:
                continue
            where = f"{f.rel}:{n.start_point[0] + 1}"
            for u in TWIL_IO_URL.findall(text) if ".twil.io" in text else ():
                what = "Asset URL" if "/assets/" in u else "Functions URL"
                facts.repoint.append(f"{where}: a hard-coded {what} `{u}`: point it at the new Service's domain "
                                     "(or a relative path within the Service) [002:16176]")
            for num in E164.findall(text):
                facts.repoint.append(f"{where}: hard-coded phone number `{num}`: if this number's webhook points "
                                     "at the Classic Function, repoint it to the new URL [002:17076]; consider "
                                     "an environment variable")
            for sid in FLOW_SID.findall(text):
                facts.repoint.append(f"{where}: Studio Flow `{sid}`: update any widget that calls the Classic "
                                     "Function URL to the new one [002:17235]")
    return facts


@record
class Built:
    files: dict[str, bytes]  # out rel -> contents
    descriptions: dict[str, str]
    needs_person: list[str]
    notes: list[str]


def build(exp: Export, out: Path, name: str | None, fix: bool) -> Built:
    from twilint.facts import _load, environment_names, load_facts

    facts = load_facts()
    classic = _load("classic.toml")
    files: dict[str, bytes] = {}
    desc: dict[str, str] = {}
    needs: list[str] = []
    notes: list[str] = []
    rc = json.dumps({"runtime": facts.default_runtime}, indent=2) + "\n"
    base_pkg = {"@twilio/runtime-handler": facts.default_handler, "twilio": classic["twilio"]["version"]}

    for f in exp.functions:
        files[f.out_rel] = (exp.source / f.source).read_bytes()
        desc[f.out_rel] = f"Function {f.path} from {f.source}" + (" (signature checked: protected)" if f.protected else "")
    with tempfile.TemporaryDirectory(prefix="twilint-classic-") as tmp:
        stage = Path(tmp) / "stage"
        # script Assets staged as private, so the packages they load count too
        scripts = {AssetSpec(a.source, a.path).out_rel("private"): (exp.source / a.source).read_bytes()
                   for a in exp.assets if a.path.endswith(".js")}
        _write_tree(stage, {**files, **scripts, "package.json": _package_json("stage", base_pkg).encode(),
                            ".twilioserverlessrc": rc.encode()})
        code = analyse(stage)

    # Assets: private where code reads them through Runtime.getAssets()
    private_rels = set()
    for a in exp.assets:
        read_by = code.asset_keys.get(a.path)
        vis = a.visibility
        if read_by:
            if vis in ("public", "protected"):
                notes.append(f"Asset {a.path} is {vis} in the manifest but {read_by[0]} reads it through "
                             "Runtime.getAssets(), which only returns private Assets [002:4112]: made it private")
                needs.append(f"Asset {a.path} is now private, so it has no URL any more; if browsers load it too, "
                             "keep a public copy under another name")
            vis = "private"
        vis = vis or "public"
        rel = a.out_rel(vis)
        if vis == "private":
            private_rels.add(rel)
        files[rel] = (exp.source / a.source).read_bytes()
        desc[rel] = f"{vis} Asset {a.path} from {a.source}" + (f" (read by {read_by[0]})" if read_by else "")
    for key, sites in code.asset_keys.items():
        if not any(a.path == key for a in exp.assets):
            needs.append(f"{sites[0]}: Runtime.getAssets() key `{key}` names no Asset of the export: re-upload "
                         f"that Asset(Classic) as assets/{key.lstrip('/').replace('.', '.private.', 1) if '.' in key else key.lstrip('/') + '.private'} [002:17082]")

    # Dependencies: the manifest's, plus everything the code loads, plus twilio
    deps: dict[str, str] = dict(base_pkg)
    for pkg, version in exp.dependencies.items():
        if pkg == "@twilio/runtime-handler":
            if version not in (None, facts.default_handler):
                notes.append(f"@twilio/runtime-handler {version} from the manifest replaced by {facts.default_handler}: "
                             "Classic never used the handler [002:5609]; the platform accepts only exact listed versions")
            continue
        if version is None:
            deps[pkg] = "*"
            needs.append(f"dependency {pkg}: the manifest gives no version, declared as \"*\": pin the version Classic used")
        else:
            deps[pkg] = version
    implicit = set(classic["implicit"]["packages"])
    loaded = {}
    for pkg, sites in code.packages.items():
        # Functions, and script Assets that end up private (public ones run in browsers)
        kept = [f"{rel}:{line}" for rel, line in sites if rel.startswith("functions/") or rel in private_rels]
        if kept:
            loaded[pkg] = kept
    for pkg, sites in sorted(loaded.items()):
        if pkg in deps:
            continue
        deps[pkg] = "*"
        why = " (Classic made it available without a Dependencies entry [002:15387])" if pkg in implicit else ""
        needs.append(f"dependency {pkg}: loaded at {sites[0]} but not in the export's dependencies{why}; "
                     "declared as \"*\": pin the version Classic used")
    if "twilio" not in exp.dependencies:
        notes.append(f"declared twilio {deps['twilio']} (what a new Toolkit project pins); Classic supplied its own "
                     "version: check the helper-library changes if the code relied on an older one")
    unused = sorted(p for p in exp.dependencies if p not in loaded and p not in base_pkg)
    if unused:
        notes.append("declared although no Function loads them: " + ", ".join(unused))
    if len([d for d in deps if d not in base_pkg]) > 20:
        notes.append("more than 20 npm modules: Classic's cap [002:5650]; Services allow 100 [002:5649]")

    svc = service_name(name or exp.name or out.name)
    files["package.json"] = _package_json(svc, deps).encode()
    desc["package.json"] = f"Service {svc}: {len(deps)} dependencies, runtime-handler {facts.default_handler}"

    # Environment: names always, values only when given; never the platform's own names
    env = environment_names()
    platform_set = {e["key"] for e in env["name"]} | set(env["credentials"]["keys"])
    lines, example = [], []
    missing = []
    for key, value in exp.environment.items():
        if key in platform_set:
            notes.append(f"environment variable {key} left out: the platform sets it (context.{key})")
            continue
        line, ok = _env_line(key, value)
        if not ok:
            needs.append(f".env: the value of {key} cannot be written as a .env line: set it by hand")
        if value in (None, "") or not ok:
            missing.append(key)
        lines.append(line)
        example.append(f"{key}=")
    header = "# Environment variables of the Classic Service (values only where the export gave them)\n"
    files[".env"] = (header + "".join(x + "\n" for x in lines)).encode()
    desc[".env"] = f"{len(lines)} variable names" + (f", {len(lines) - len(missing)} with values" if lines else "")
    files[".env.example"] = ("# The variables this Service needs; copy to .env and fill in\n"
                             + "".join(x + "\n" for x in example)).encode()
    desc[".env.example"] = "variable names only, to commit"
    if missing:
        needs.append(".env: set the values of " + ", ".join(missing) + " (the export gave none)")
    files[".gitignore"] = b".env\n.twiliodeployinfo\nnode_modules\n"
    desc[".gitignore"] = ".env, .twiliodeployinfo, node_modules"
    files[".twilioserverlessrc"] = rc.encode()
    desc[".twilioserverlessrc"] = f"\"runtime\": \"{facts.default_runtime}\""

    # Public webhook-shaped handlers
    for f in exp.functions:
        reasons = code.webhooks.get(f.out_rel)
        if reasons and not f.protected:
            stem = f.path.rsplit("/", 1)[-1]
            needs.append(f"{f.out_rel}: looks like a Twilio webhook ({'; '.join(reasons)}) and becomes a public "
                         f"Function [002:2060]: if Classic checked the Twilio signature, set checkSignature: true in "
                         f"the manifest (or rename it {stem}.protected.js) [002:8401]")
    needs.extend(code.repoint)

    # The normal fixes, then what is left for a person
    with tempfile.TemporaryDirectory(prefix="twilint-classic-") as tmp:
        stage = Path(tmp) / (out.name or "project")
        _write_tree(stage, files)
        remaining, fixed = _lint(stage, fix)
        for rel in list(files):
            files[rel] = (stage / rel).read_bytes()
        for p in sorted(stage.rglob("*")):
            rel = p.relative_to(stage).as_posix()
            if os.path.isfile(p) and rel not in files:
                files[rel] = p.read_bytes()  # created by a fix
                desc[rel] = "created by a twilint fix"
    for rel, rule, what in fixed:
        notes.append(f"{rel}: applied the {rule} fix: {what}")
        if rel in desc and "twilint fixes" not in desc[rel]:
            desc[rel] += " + twilint fixes"
    for rel, line, rule, sev, message in remaining:
        if rule == "unprotected-webhook" and rel in code.webhooks:
            continue  # said above, with the manifest's way out
        needs.append(f"{rel}:{line}: {sev} {rule}: {message}")

    if exp.left_out:
        needs.append("not migrated (neither a Function nor an Asset of the export): " + ", ".join(exp.left_out))
    old = f"https://{exp.domain}" if exp.domain else "the Classic domain"
    paths = ", ".join(f.path for f in exp.functions) or "(none)"
    needs.append(f"after the first deploy, repoint phone numbers, Studio Flows and other webhooks from {old} to "
                 f"the new Service's URLs ({paths}) [002:17076][002:17235]")
    notes.append(f"first deploy: `twilio serverless:deploy --runtime {facts.default_runtime}` [002:17201]")
    return Built(files, desc, needs, notes)


def _package_json(name: str, deps: dict[str, str]) -> str:
    ordered = dict(sorted(deps.items()))
    pkg = {
        "name": name,
        "version": "1.0.0",
        "private": True,
        "scripts": {"start": "twilio-run", "deploy": "twilio-run deploy"},
        "dependencies": ordered,
    }
    return json.dumps(pkg, indent=2) + "\n"


def _write_tree(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


def _lint(stage: Path, fix: bool):
    """Run `twilint check` (with --fix unless ``fix`` is off) on the staged project:
    (remaining findings, applied fixes) as (rel, line, rule, severity, message) / (rel, rule, what)."""
    from twilint.runner import Options, run

    result, _ = run([stage], Options(mode="fix" if fix else "check"))
    remaining = []
    for d in sorted(result.diagnostics, key=lambda d: d.sort_key()):
        remaining.append((d.file.rel, d.line, d.rule, d.severity.label, d.message))
    fixed = [(d.file.rel, d.rule, d.fix.description if d.fix else "") for d in result.fixed]
    return remaining, fixed


# -- the command ---------------------------------------------------------------------------------


def plan_for(source: Path, out: Path, manifest: Path | None, name: str | None, force: bool, fix: bool) -> Plan:
    plan = Plan(project=out, recipe="classic", source="Functions (Classic)", target="Serverless Toolkit project")
    try:
        if not os.path.isdir(source):
            raise Refused(f"{display(source)}: not a folder")
        if os.path.exists(out) and not os.path.isdir(out):
            raise Refused(f"{display(out)}: exists and is not a folder")
        if os.path.isdir(out) and not force:
            entries = [e for e in os.listdir(out) if e != ".git"]
            if entries:
                raise Refused(f"{display(out)}: the output folder is not empty ({len(entries)} entries): "
                              "choose an empty one, or pass --force to write into it")
        exp = read_export(source, manifest, out)
        if not exp.functions:
            raise Refused(f"{display(source)}: no Functions found (no .js files, or an empty `functions` list)")
        built = build(exp, out, name, fix)
    except Refused as exc:
        plan.errors.append(str(exc))
        return plan
    out_real = Path(os.path.realpath(out)) if out.exists() else None
    for rel in sorted(built.files):
        path = out / rel
        if out_real is not None:
            # never write through a link that leads out of the output folder
            real = os.path.realpath(path)
            if os.path.commonpath([real, str(out_real)]) != str(out_real):
                plan.errors.append(f"{display(path)}: is a link out of the output folder; nothing written")
                plan.changes.clear()
                return plan
        if os.path.isfile(path):
            plan.edit(path, path.read_bytes(), built.files[rel], built.descriptions.get(rel, "replaced (--force)"))
        elif os.path.exists(path):
            plan.errors.append(f"{display(path)}: exists and is not a file")
            plan.changes.clear()
            return plan
        else:
            plan.create(path, built.files[rel], built.descriptions.get(rel, ""))
    plan.needs_person.extend(built.needs_person)
    plan.notes.extend(built.notes)
    return plan


@click.command("classic")
@click.argument("source", type=click.Path(path_type=Path, file_okay=False))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="The folder to create the Serverless Toolkit project in (empty, unless --force)")
@click.option("--manifest", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="The export's manifest (default: classic-manifest.json/.yaml/.yml in SOURCE)")
@click.option("--name", help="The Service name (package.json name; default: the manifest's `name`, else the output folder's name)")
@click.option("--force", is_flag=True, help="Write into a non-empty output folder (files of the project are replaced)")
@click.option("--no-fix", "no_fix", is_flag=True, help="Copy the code byte for byte and apply no twilint fixes")
@click.option("--diff", "mode", flag_value="diff", help="Print the files as diffs from /dev/null; write nothing")
@click.option("--check", "mode", flag_value="check", help="Write nothing; exit 1 if there is anything to create")
@click.option("--dry-run", "mode", flag_value="dry-run", help="List the files it would create; write nothing")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write a report: JSON, or Markdown (.md) or HTML (.html)")
@click.option("--quiet", is_flag=True, help="No summary table")
def COMMAND(source, out, manifest, name, force, no_fix, mode, report, quiet):
    """Turn a Functions (Classic) export into a Serverless Toolkit project (docs/migrate-classic.md)."""
    import sys

    source, out = Path(os.path.abspath(source)), Path(os.path.abspath(out))
    plan = plan_for(source, out, Path(os.path.abspath(manifest)) if manifest else None, name, force, not no_fix)
    mode = mode or "write"
    if quiet:
        for e in plan.errors:  # execute() prints errors with the summary, which --quiet leaves out
            click.echo(f"error: {e}", err=True)
    if mode == "dry-run":
        for c in plan.changes:
            click.echo(f"{'create' if c.kind == 'create' else 'replace'} {display(c.path)}: {c.description}")
        code = execute([plan], "check", report, quiet)
        sys.exit(0 if code == 1 else code)
    sys.exit(execute([plan], mode, report, quiet))


__all__ = ["COMMAND", "plan_for", "read_export", "Refused", "service_name"]
