"""Module resolution for deployed code: what each ``require``/``import`` loads, and whether it can.

For every ``require('x')``, ``require('x/sub')``, static ``import``, ``export ... from``, TypeScript
``import x = require('x')`` and dynamic ``import('x')`` in a project's functions and private JS
assets (found in the tree-sitter tree, so comments, JSDoc ``import('...')`` types and strings never
count), this module gives:

- the specifier's category: a Node builtin (with or without ``node:``), a relative or absolute
  path, or a package (scoped names and subpaths split: ``@scope/pkg/sub`` -> ``@scope/pkg``,
  ``./sub``);
- the package's declaration in ``package.json`` (:func:`declaration`: the field, the spec and its
  kind, ``npm:`` aliases resolved to the real package);
- the version the lockfile resolved (:mod:`twilint.lockfile`);
- the installed ``node_modules/<pkg>/package.json`` (:func:`installed`: ``type``, ``exports``
  resolved with the ``require``/``node``/``default`` conditions, ``main``, ``engines``, native
  build markers);
- whether ``require()`` of it loads an ES module (:func:`esm_verdict`), from the installed package
  when it is there and matches the declared range, else from the lockfile version, else from the
  declared range against the ESM-only table in ``rules/platform/esm-only.toml``.

``require(Runtime.getFunctions()['x'].path)`` and other computed arguments are not module
references of a package and are skipped.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

from twilint import npmrange
from twilint.records import record
from twilint.sources.js import string_value

# Node's `require('module').builtinModules` (Node 20-24), without the `_`-prefixed internals
# (`_http_agent`, ... still resolve, so they are listed separately).
BUILTINS = frozenset(
    """assert assert/strict async_hooks buffer child_process cluster console constants crypto
    dgram diagnostics_channel dns dns/promises domain events fs fs/promises http http2 https
    inspector inspector/promises module net os path path/posix path/win32 perf_hooks process
    punycode querystring readline readline/promises repl stream stream/consumers stream/promises
    stream/web string_decoder sys timers timers/promises tls trace_events tty url util util/types
    v8 vm wasi worker_threads zlib""".split()
)
LEGACY_INTERNALS = frozenset(
    """_http_agent _http_client _http_common _http_incoming _http_outgoing _http_server
    _stream_duplex _stream_passthrough _stream_readable _stream_transform _stream_wrap
    _stream_writable _tls_common _tls_wrap""".split()
)
# Builtins that exist only with the `node:` scheme: a bare `require('test')` loads the npm package.
PREFIX_ONLY_BUILTINS = frozenset({"test", "test/reporters", "sqlite", "sea", "quic"})
# Part of every build: "The default version of the Twilio SDK and Runtime handler are a part of all
# Builds." [002:5605]
PLATFORM_PROVIDED = frozenset({"twilio", "@twilio/runtime-handler"})
# Bundlers that inline dependencies into the deployed output.
BUNDLERS = frozenset({
    "esbuild", "webpack", "rollup", "parcel", "@vercel/ncc", "tsup", "vite", "@rollup/plugin-node-resolve",
    "rspack", "@rspack/core", "bun",
})
DEP_FIELDS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")

_PKG_NAME = re.compile(r"^(?:@[a-z0-9][\w.~-]*/)?[a-z0-9_~.-][\w.~-]*$", re.I)


# -- specifiers -----------------------------------------------------------------------------


@record(frozen=True)
class Specifier:
    text: str
    category: str  # builtin | relative | absolute | package | url | invalid
    package: str | None = None  # "@scope/pkg" for packages
    subpath: str = "."  # "." or "./sub/path"
    builtin: str | None = None  # the builtin's name without "node:"


@lru_cache(maxsize=4096)
def parse_specifier(text: str) -> Specifier:
    if text.startswith("node:"):
        name = text[5:]
        base = name.split("/", 1)[0]
        if name in BUILTINS or name in PREFIX_ONLY_BUILTINS or base in BUILTINS:
            return Specifier(text, "builtin", builtin=name)
        return Specifier(text, "invalid")
    if text.startswith(("./", "../")) or text in (".", ".."):
        return Specifier(text, "relative")
    if text.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", text):
        return Specifier(text, "absolute")
    if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I):
        return Specifier(text, "url")
    if text in BUILTINS or text in LEGACY_INTERNALS:
        return Specifier(text, "builtin", builtin=text)
    parts = text.split("/")
    if text.startswith("@"):
        if len(parts) < 2 or not parts[1]:
            return Specifier(text, "invalid")
        name, rest = "/".join(parts[:2]), parts[2:]
    else:
        name, rest = parts[0], parts[1:]
    if not _PKG_NAME.match(name):
        return Specifier(text, "invalid")
    subpath = "./" + "/".join(rest) if rest else "."
    if subpath == "./":
        subpath = "."  # `require('punycode/')`: the package's main
    return Specifier(text, "package", package=name, subpath=subpath)


def deploy_dependencies(file):
    """The `dependencies` object of ``file`` when it is the package.json of a Twilio project
    (what the deploy installs), else None."""
    project = file.project
    if file.role != "project" or file is not project.package_json or not project.is_twilio:
        return None
    root = file.value
    deps = root.get("dependencies") if root is not None and root.kind == "object" else None
    return deps if deps is not None and deps.kind == "object" else None


def is_builtin_name(name: str) -> bool:
    """Does a bare ``require(name)`` load a Node builtin (so an npm package of that name is shadowed)?"""
    return name in BUILTINS or name in LEGACY_INTERNALS


# -- references in code ---------------------------------------------------------------------


@record
class ModuleRef:
    file: object  # SourceFile
    node: object  # the call_expression / import_statement / export_statement
    spec_node: object  # the string literal
    spec: Specifier
    kind: str  # require | import | export-from | import-require | dynamic-import
    type_only: bool = False
    function: object | None = None  # the innermost enclosing function node, None at module scope

    @property
    def specifier(self) -> str:
        return self.spec.text

    @property
    def package(self) -> str | None:
        return self.spec.package

    @property
    def line(self) -> int:
        return self.file.lines.line_col(self.node.start_byte)[0]


_FUNCTIONS = {
    "function_expression", "function", "arrow_function", "function_declaration", "method_definition",
    "generator_function", "generator_function_declaration",
}


def module_refs(file) -> list[ModuleRef]:
    """Every static module reference in a JS/TS file (computed once per file)."""
    cache = file.__dict__.setdefault("_twilint_module_refs", {})
    if "refs" in cache:
        return cache["refs"]
    refs: list[ModuleRef] = []
    js = file.js if file.kind in ("js", "ts") else None
    if js is not None:
        _collect(file, js.root, refs)
        if file.kind == "ts":
            _mark_elided_imports(js.root, refs)
    cache["refs"] = refs
    return refs


def _enclosing_fn(node):
    p = node.parent
    while p is not None and p.type not in _FUNCTIONS:
        p = p.parent
    return p


def _collect(file, root, refs: list[ModuleRef]) -> None:
    """Module references from the file's node index (no second walk of the tree)."""
    js = file.js
    found = []
    if b"require" in file.data or b"import" in file.data:
        for node in js.nodes("call_expression"):
            callee = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            if callee is None or args is None:
                continue
            kind = None
            if callee.type == "identifier" and callee.text == b"require":
                kind = "require"
            elif callee.type == "import":
                kind = "dynamic-import"
            if kind is not None:
                real = [a for a in args.named_children if a.type != "comment"]
                if real:
                    value = string_value(real[0])
                    if value is not None:
                        found.append(ModuleRef(file, node, real[0], parse_specifier(value), kind, False, _enclosing_fn(node)))
    for t in ("import_statement", "export_statement"):
        for node in js.nodes(t):
            src = node.child_by_field_name("source")
            type_only = any(c.type == "type" for c in node.children)
            if src is not None:
                value = string_value(src)
                if value is not None:
                    kind = "import" if t == "import_statement" else "export-from"
                    found.append(ModuleRef(file, node, src, parse_specifier(value), kind, type_only, _enclosing_fn(node)))
            elif t == "import_statement":
                for c in node.named_children:
                    if c.type == "import_require_clause":
                        s = c.child_by_field_name("source")
                        value = string_value(s) if s is not None else None
                        if value is not None:
                            found.append(ModuleRef(file, node, s, parse_specifier(value), "import-require", type_only, _enclosing_fn(node)))
    found.sort(key=lambda r: r.node.start_byte)
    refs.extend(found)
    refs.sort(key=lambda r: r.node.start_byte)


def _mark_elided_imports(root, refs: list[ModuleRef]) -> None:
    """TypeScript drops an import whose bindings are only used as types: mark it type-only.

    A side-effect import (``import 'x'``) and one with any binding used as a value stay.
    """
    imports = [r for r in refs if r.kind == "import" and not r.type_only]
    if not imports:
        return
    bound: dict[int, set[str]] = {}
    for r in imports:
        names = set()
        for clause in r.node.named_children:
            if clause.type != "import_clause":
                continue
            stack = [clause]
            while stack:
                n = stack.pop()
                if n.type == "import_specifier":
                    al = n.child_by_field_name("alias") or n.child_by_field_name("name")
                    if al is not None and not any(c.type == "type" for c in n.children):
                        names.add(al.text.decode())
                    continue
                if n.type == "identifier":
                    names.add(n.text.decode())
                stack.extend(n.named_children)
        if names:
            bound[id(r)] = names
    if not bound:
        return
    all_names = set().union(*bound.values())
    used: set[str] = set()
    stack = [root]
    while stack:
        n = stack.pop()
        if n.type == "import_statement":
            continue
        if n.type in ("identifier", "shorthand_property_identifier") and n.text.decode() in all_names:
            used.add(n.text.decode())
        stack.extend(n.children)
    for r in imports:
        names = bound.get(id(r))
        if names is not None and not (names & used):
            r.type_only = True


def deployed_code_files(project, within=None) -> list:
    """The files whose module references matter: functions and private JS/TS assets (those of
    ``within``, a set of paths, if given)."""
    out = []
    for f in project.files.values():
        if f.kind not in ("js", "ts") or (within is not None and f.path not in within) or not f.ok:
            continue
        if f.role == "function" or (f.role == "asset" and f.visibility == "private"):
            if f.is_minified or f.js is None or f.js.problems:  # (a bundle is never parsed)
                continue
            out.append(f)
    return sorted(out, key=lambda f: f.rel)


def project_refs(project, targets_only: bool = False) -> list[ModuleRef]:
    """Module references of the deployed code; with ``targets_only``, of the files being reported
    on only (the rules that report at each site when package.json is not among the targets pass
    it, so a one-file run does not parse the whole project)."""
    files = deployed_code_files(project, project.targets if targets_only else None)
    return [ref for f in files for ref in module_refs(f)]


def has_bundler(project) -> bool:
    return bool(project.dependency_names() & BUNDLERS)


@lru_cache(maxsize=256)
def _tsconfig_module(path: str, root: str, mtime: float) -> str | None:
    from twilint.project import InputError, read_file_in
    from twilint.sources.json5 import parse_json5
    from twilint.sources.values import ValueSyntaxError

    try:  # (as every project file is read: a regular file in the project, never a FIFO)
        v = parse_json5(read_file_in(path, root))
    except (InputError, OSError, ValueSyntaxError, RecursionError):
        return None
    m = v.path("compilerOptions", "module") if v is not None else None
    return m.data.lower() if m is not None and m.kind == "string" else None


def tsconfig_module(project) -> str | None:
    p = project.root / "tsconfig.json"
    try:
        return _tsconfig_module(str(p), os.fspath(project.root), p.stat().st_mtime)
    except (OSError, ValueError):
        return None


def loads_with_require(ref: ModuleRef) -> bool:
    """Does the reference become a ``require()`` of the package at run time?

    ``require()`` and TS ``import x = require()`` always do. A static ``import`` does in a
    TypeScript file or a compiled (``project.bundled``) source when the compiler emits CommonJS
    ("module": "commonjs" [002:2782]), unless a bundler inlines the package. ``import type`` is
    erased; dynamic ``import()`` never does.
    """
    if ref.kind in ("require", "import-require"):
        return True
    if ref.kind not in ("import", "export-from") or ref.type_only:
        return False
    project = ref.file.project
    if ref.file.kind != "ts" and not project.bundled:
        return False
    if has_bundler(project):
        return False
    module = tsconfig_module(project)
    if module is not None and (module.startswith("es") or module == "preserve"):
        return False
    return True


# -- declarations ---------------------------------------------------------------------------


@record
class Declaration:
    name: str  # the name code requires
    field: str  # dependencies | devDependencies | optionalDependencies | peerDependencies
    value: object  # the spec's Value
    member: object  # the Member (key span) in package.json
    spec: str | None  # None when the value is not a string
    kind: str  # npmrange.classify_spec kinds, or "invalid"
    real_name: str  # the registry package (differs for npm: aliases)
    range: str | None  # the registry range/version/tag, for alias and registry specs


def declarations(project, name: str) -> list[Declaration]:
    out = []
    for field_name in DEP_FIELDS:
        deps = project.dependencies(field_name)
        if deps is None:
            continue
        m = deps.member(name)
        if m is None:
            continue
        v = m.value
        spec = v.data if v.kind == "string" else None
        kind = npmrange.classify_spec(spec) if spec is not None else "invalid"
        real, rng = name, None
        if kind in ("exact", "range", "tag", "empty"):
            rng = spec
        elif kind == "alias":
            rest = spec.strip()[4:]
            at = rest.find("@", 1)
            real, rng = (rest[:at], rest[at + 1 :]) if at > 0 else (rest, "")
            if rng and npmrange.classify_spec(rng) not in ("exact", "range", "tag", "empty"):
                rng = None
        out.append(Declaration(name, field_name, v, m, spec, kind, real, rng))
    return out


def declaration(project, name: str) -> Declaration | None:
    """The declaration that decides what is installed: ``dependencies`` first."""
    ds = declarations(project, name)
    return ds[0] if ds else None


# -- installed packages ---------------------------------------------------------------------


@record
class InstalledPackage:
    name: str
    dir: Path
    data: dict
    project_root: Path

    @property
    def version(self) -> str | None:
        v = self.data.get("version")
        return v if isinstance(v, str) else None

    @property
    def type(self) -> str:
        t = self.data.get("type")
        return t if isinstance(t, str) else "commonjs"

    @property
    def exports(self):
        return self.data.get("exports")

    @property
    def main(self) -> str | None:
        m = self.data.get("main")
        return m if isinstance(m, str) and m else None

    @property
    def engines(self) -> dict:
        e = self.data.get("engines")
        return e if isinstance(e, dict) else {}

    @property
    def native_markers(self) -> list[str]:
        """Why the package builds a native add-on at install (empty when it does not)."""
        out = []
        if self.data.get("gypfile") is True:
            out.append("`gypfile: true` in its package.json")
        if os.path.isfile(self.dir / "binding.gyp"):
            out.append("a `binding.gyp`")
        scripts = self.data.get("scripts")
        if isinstance(scripts, dict):
            for key in ("preinstall", "install", "postinstall"):
                s = scripts.get(key)
                if isinstance(s, str) and re.search(r"node-gyp|prebuild-install|node-pre-gyp|cmake-js|napi-build", s):
                    out.append(f"an `{key}` script running `{s.strip()[:60]}`")
        return out

    def require_resolution(self, subpath: str = ".") -> tuple[str, str | None]:
        """How ``require()`` of ``subpath`` resolves: ("cjs" | "esm" | "no-require-condition" |
        "not-exported" | "unknown", target path relative to the package)."""
        exports = self.exports
        if exports is not None:
            return self._resolve_exports(exports, subpath)
        if subpath == ".":
            target = self.main or "index.js"
        else:
            target = subpath[2:]
        return self._module_type(_resolve_file(self.dir, target)), target

    def _resolve_exports(self, exports, subpath: str) -> tuple[str, str | None]:
        if isinstance(exports, (str, list)) or (isinstance(exports, dict) and not any(k.startswith(".") for k in exports)):
            mapping = {".": exports}
        elif isinstance(exports, dict):
            mapping = exports
        else:
            return "unknown", None
        entry = mapping.get(subpath)
        star = None
        if entry is None:
            best = None
            for key in mapping:
                if key.count("*") != 1:
                    continue
                pre, post = key.split("*")
                if subpath.startswith(pre) and subpath.endswith(post) and len(subpath) >= len(pre) + len(post):
                    if best is None or len(pre) > len(best[0]):
                        best = (pre, post, key)
            if best is not None:
                entry = mapping[best[2]]
                star = subpath[len(best[0]) : len(subpath) - len(best[1]) if best[1] else None]
        if entry is None:
            return "not-exported", None
        target = _conditional_target(entry, ("require", "node", "node-addons", "default"))
        if target is None:
            return "no-require-condition", None
        if star is not None:
            target = target.replace("*", star)
        return self._module_type(_resolve_file(self.dir, target)), target

    def _module_type(self, path: Path | None) -> str:
        if path is None:
            return "unknown"
        name = path.name
        if name.endswith(".mjs"):
            return "esm"
        if name.endswith((".cjs", ".json", ".node")):
            return "cjs"
        if name.endswith(".js") or "." not in name:
            return "esm" if _nearest_type(path.parent, self.dir) == "module" else "cjs"
        return "cjs"


def _conditional_target(entry, conditions: tuple[str, ...]) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, list):
        for e in entry:
            t = _conditional_target(e, conditions)
            if t is not None:
                return t
        return None
    if isinstance(entry, dict):
        for key, value in entry.items():
            if key in conditions:
                t = _conditional_target(value, conditions)
                if t is not None:
                    return t
        return None
    return None


def _resolve_file(pkg_dir: Path, target: str) -> Path | None:
    base = pkg_dir / target.removeprefix("./")
    for cand in (base, Path(str(base) + ".js"), Path(str(base) + ".json"), base / "index.js"):
        if os.path.isfile(cand):
            return cand
    # Not on disk (a trimmed fixture, a partial install): judge by the name.
    return base


def _nearest_type(d: Path, pkg_dir: Path) -> str:
    cur = d
    while True:
        pj = cur / "package.json"
        if os.path.isfile(pj):
            from twilint.project import within

            try:
                data = json.loads(pj.read_text("utf-8")) if within(pj, pkg_dir) else {}
            except (OSError, ValueError, RecursionError):
                data = {}
            t = data.get("type") if isinstance(data, dict) else None
            return t if isinstance(t, str) else "commonjs"
        if cur == pkg_dir or pkg_dir not in cur.parents:
            return "commonjs"
        cur = cur.parent


def installed(project, name: str) -> InstalledPackage | None:
    """``node_modules/<name>/package.json`` under the project root, when present."""
    cache = project.__dict__.setdefault("_twilint_installed", {})
    if name in cache:
        return cache[name]
    from twilint.project import InputError, read_file_in

    pkg_dir = project.root / "node_modules" / name
    result = None
    try:
        # (as every project file is read: a regular file, never a FIFO, and not through a link
        # out of the project, such as npm link or a workspace)
        data = json.loads(read_file_in(os.fspath(pkg_dir / "package.json"), project.root).decode("utf-8"))
        if isinstance(data, dict):
            result = InstalledPackage(name, pkg_dir, data, project.root)
    except (InputError, OSError, ValueError, RecursionError):  # (UnicodeDecodeError is a ValueError)
        result = None
    cache[name] = result
    return result


# -- the ESM-only table ---------------------------------------------------------------------


@record(frozen=True)
class EsmEntry:
    name: str
    esm_major: int
    cjs_version: str | None
    cjs_again: int | None
    verified: str
    source: str | None

    @property
    def esm_range(self) -> str:
        r = f">={self.esm_major}.0.0"
        if self.cjs_again is not None:
            r += f" <{self.cjs_again}.0.0"
        return r

    @property
    def pin(self) -> str | None:
        return f"^{self.cjs_version}" if self.cjs_version else None

    def version_is_esm(self, version: str) -> bool | None:
        v = npmrange.valid(version)  # (what parse_version accepts, without making a semver.Version)
        if v is None:
            return None
        major = int(v.split(".", 1)[0])
        return major >= self.esm_major and (self.cjs_again is None or major < self.cjs_again)


@lru_cache(maxsize=None)
def esm_only_table() -> dict[str, EsmEntry]:
    from twilint.facts import _load

    data = _load("esm-only.toml")
    return {
        p["name"]: EsmEntry(
            p["name"], int(p["esm_major"]), p.get("cjs_version"), p.get("cjs_again"),
            p.get("verified", ""), p.get("source"),
        )
        for p in data.get("package", [])
    }


@lru_cache(maxsize=None)
def native_table() -> dict[str, dict]:
    from twilint.facts import _load

    return {p["name"]: p for p in _load("native-packages.toml").get("package", [])}


def range_admits_esm(spec: str, entry: EsmEntry) -> bool:
    """Does the registry range ``spec`` admit a version of an ESM-only major?

    ``^2.6.7`` never admits 3.x; ``>=2`` does. npm's ``semver.intersects`` decides (checked
    against npm's own semver in tests/test_modules.py).
    """
    return npmrange.intersects(spec, entry.esm_range)


# -- the verdict ----------------------------------------------------------------------------


@record
class EsmVerdict:
    esm: bool | None  # True: require() loads an ES module; None: unknown
    source: str  # installed | lockfile | declared | latest | none
    detail: str  # human-readable evidence
    version: str | None = None
    entry: EsmEntry | None = None
    declaration: Declaration | None = None
    lock: object | None = None


def esm_verdict(project, package: str, subpath: str = ".") -> EsmVerdict:
    decl = declaration(project, package)
    real = decl.real_name if decl is not None else package
    entry = esm_only_table().get(real)
    declared_range = decl.range if decl is not None else None

    def admitted(version: str | None) -> bool:
        if version is None or decl is None:
            return True
        if declared_range is None or decl.kind in ("tag", "empty"):
            return True
        return npmrange.satisfies(version, declared_range)

    inst = installed(project, package)
    if inst is not None and admitted(inst.version):
        res, target = inst.require_resolution(subpath)
        where = f"node_modules/{package}/package.json"
        ver = f" {inst.version}" if inst.version else ""
        if res == "esm":
            why = "`type: \"module\"`" if inst.type == "module" else "an .mjs entry"
            return EsmVerdict(True, "installed", f"the installed {real}{ver} is ESM-only ({where}: {why}, `require` resolves to `{target}`)", inst.version, entry, decl)
        if res == "no-require-condition":
            return EsmVerdict(True, "installed", f"the installed {real}{ver} has no `require` or `default` export condition ({where})", inst.version, entry, decl)
        if res == "cjs":
            return EsmVerdict(False, "installed", f"the installed {real}{ver} loads with require() ({where})", inst.version, entry, decl)
        return EsmVerdict(None, "installed", f"{where}: `{subpath}` is not exported", inst.version, entry, decl)

    from twilint.lockfile import locked_package

    lock = locked_package(project, package)
    if lock is not None and admitted(lock.version):
        lentry = esm_only_table().get(lock.real_name) or entry
        if lentry is not None:
            is_esm = lentry.version_is_esm(lock.version)
            if is_esm is not None:
                state = "ESM-only" if is_esm else "CommonJS"
                return EsmVerdict(is_esm, "lockfile", f"{lock.lockfile.path.name} resolves {lock.real_name} to {lock.version}, {state} ({lock.real_name} is ESM-only from {lentry.esm_major}.0.0)", lock.version, lentry, decl, lock)
        return EsmVerdict(None, "lockfile", f"{lock.lockfile.path.name} resolves {lock.real_name} to {lock.version}", lock.version, lentry, decl, lock)

    if entry is None:
        return EsmVerdict(None, "none", "not in the ESM-only table", None, None, decl)
    if decl is not None:
        if decl.kind in ("tag", "empty"):
            tag = decl.spec.strip() or "*"
            return EsmVerdict(True, "declared", f"`{package}: \"{tag}\"` installs the newest {real}, ESM-only since {entry.esm_major}.0.0", None, entry, decl)
        if declared_range is not None and decl.kind in ("exact", "range", "alias"):
            if range_admits_esm(declared_range, entry):
                return EsmVerdict(True, "declared", f"the declared range `{decl.spec}` admits {real} {entry.esm_major}.x or later, which is ESM-only", None, entry, decl)
            return EsmVerdict(False, "declared", f"the declared range `{decl.spec}` stays below {real} {entry.esm_major}.0.0 (the first ESM-only major)", None, entry, decl)
        return EsmVerdict(None, "declared", f"`{decl.spec}` is a {decl.kind} spec", None, entry, decl)
    return EsmVerdict(True, "latest", f"{real} is not declared, and `npm install {real}` adds the newest major, ESM-only since {entry.esm_major}.0.0", None, entry, None)


# -- the runtime ------------------------------------------------------------------------------


def _project_runtime(project) -> str | None:
    """The ``runtime`` of the project's Serverless Toolkit config (None when not set)."""
    cfg = project.serverless_config
    if cfg is None or cfg.kind != "object":
        return None
    v = cfg.get("runtime")
    return v.data.strip() if v is not None and v.kind == "string" and v.data.strip() else None


def _version_tuple(text: str) -> tuple[int, ...] | None:
    parts = re.findall(r"\d+", text or "")
    return tuple(int(p) for p in parts[:3]) if parts else None


def runtime_node_version(project, facts) -> tuple[str | None, str | None]:
    """(runtime id from the config, the Node version the platform runs for it)."""
    rid = _project_runtime(project)
    if rid is None:
        return None, None
    rt = facts.runtimes.get(rid) if facts is not None else None
    if rt is not None:
        return rid, rt.node
    m = re.fullmatch(r"node(\d+)", rid)
    return rid, m.group(1) if m else None


def require_esm_supported(node_version: str | None) -> bool | None:
    """Node 20.19+, 22.12+ and 23+ load ES modules with require() (unless they use top-level
    await); None when the version is unknown."""
    t = _version_tuple(node_version or "")
    if t is None:
        return None
    t = t + (0,) * (3 - len(t))
    major = t[0]
    if major >= 23:
        return True
    if major == 22:
        return t >= (22, 12, 0)
    if major == 20:
        return t >= (20, 19, 0)
    return False


def node_major(project, facts) -> int:
    """The Node major the project deploys to: its configured runtime, else the platform default."""
    rid, node = runtime_node_version(project, facts)
    t = _version_tuple(node or "")
    if t:
        return t[0]
    default = facts.runtimes.get(facts.default_runtime) if facts is not None else None
    t = _version_tuple(default.node if default is not None else "22")
    return t[0] if t else 22


# -- reporting helpers ------------------------------------------------------------------------


def site_active(ref: ModuleRef, rule: str) -> bool:
    """Is the reference's line free of a suppression comment / per-file ignore for ``rule``?"""
    f = ref.file
    if rule in f.project.config.ignored_for(f.rel):
        return False
    return not f.suppressions.is_suppressed(rule, ref.line)


def describe_sites(refs: list[ModuleRef]) -> str:
    first = refs[0]
    text = f"{first.file.rel}:{first.line}"
    if len(refs) > 1:
        text += f" and {len(refs) - 1} more place{'s' if len(refs) > 2 else ''}"
    return text


def package_json_target(project):
    """The project's package.json when it is among the files being reported on."""
    pj = project.package_json
    if pj is None or pj.value is None or pj.value.kind != "object" or pj.path not in project.targets:
        return None
    return pj


def required_packages(project, targets_only: bool = False) -> dict[str, list[ModuleRef]]:
    """Packages the deployed code loads (require, import, import()), by name, with their sites
    (in the target files only with ``targets_only``, see :func:`project_refs`).

    Builtins, paths, the platform's own packages and TypeScript ``import type`` are left out.
    """
    own = None
    pj = project.package_json
    if pj is not None and pj.value is not None and pj.value.kind == "object":
        n = pj.value.get("name")
        own = n.data if n is not None and n.kind == "string" else None
    out: dict[str, list[ModuleRef]] = {}
    for ref in project_refs(project, targets_only):
        if ref.spec.category != "package" or ref.type_only:
            continue
        name = ref.package
        if name in PLATFORM_PROVIDED or name == own:
            continue
        out.setdefault(name, []).append(ref)
    return out
