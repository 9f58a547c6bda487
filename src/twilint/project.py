"""Projects and their files: discovery, roles, and sources parsed once and shared."""

from __future__ import annotations

import functools
import os
import stat
from functools import cached_property
from pathlib import Path

from twilint.config import Config, ConfigError, load_toml, from_mapping
from twilint.records import field, record
from twilint.sources.text import BOMS, DecodeError, LineIndex, TextInfo, decode

TYPE_CHECKING = False  # (typing is not imported at run time; see twilint.model)
if TYPE_CHECKING:  # pragma: no cover  (twilint.sources.values is imported when a file is parsed)
    from twilint.sources.values import Value, ValueSyntaxError

# Folders never entered while discovering (build output is handled separately, see below).
SKIP_DIRS = {
    "node_modules", ".git", ".hg", ".svn", "bower_components", ".venv", "venv", "__pycache__",
    ".cache", ".pytest_cache", ".idea", ".vscode", ".twilint_cache", ".yarn", ".pnpm-store",
}
BUILD_DIRS = {
    "dist", "build", "out", ".build", "coverage", ".next", ".nuxt", ".serverless", ".netlify",
    ".vercel", ".turbo", ".output", "tmp", ".tmp",
}

# cosmiconfig('twilioserverless') search order; package.json only counts when it has the key.
SERVERLESS_CONFIG_NAMES = (
    ".twilioserverlessrc",
    ".twilioserverlessrc.json",
    ".twilioserverlessrc.yaml",
    ".twilioserverlessrc.yml",
    ".twilioserverlessrc.js",
    ".twilioserverlessrc.cjs",
    "twilioserverless.config.js",
    "twilioserverless.config.cjs",
)
LOCKFILES = ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml")
ROOT_FILES = {
    "package.json": "package.json",
    ".twiliodeployinfo": "deployinfo",
    ".twilio-functions": "legacy-config",
    ".nvmrc": "nvmrc",
    **{n: "lockfile" for n in LOCKFILES},
    **{n: "serverless-config" for n in SERVERLESS_CONFIG_NAMES},
}
SCRIPT_KINDS = {".js": "js", ".cjs": "js", ".mjs": "js", ".jsx": "js", ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "ts"}
MAX_FILE_BYTES = 2 * 1024 * 1024
MINIFIED_LINE = 5000

# Dependencies that say "this is a Twilio Functions project".
TWILIO_STRONG_DEPS = {
    "@twilio/runtime-handler", "twilio-run", "@twilio-labs/serverless-runtime-types",
    "@twilio-labs/plugin-serverless", "twilio-flex-token-validator",
}
# Dependencies of other serverless platforms (Lambda-style handlers).
OTHER_PLATFORM_DEPS = {
    "netlify-lambda", "@netlify/functions", "netlify-cli", "aws-lambda", "@types/aws-lambda",
    "serverless", "@vercel/node", "@architect/functions", "claudia", "aws-serverless-express",
}
OTHER_PLATFORM_FILES = ("netlify.toml", "serverless.yml", "serverless.yaml", "vercel.json", "template.yaml", "samconfig.toml")


# ``SourceFile.plain_json``: "ask the Value parse". _JSON_MAX_DEPTH is the nesting limit of the
# Value parse of strict JSON (``twilint.sources.jsonvalues.MAX_DEPTH``; a test keeps them equal).
DEFER = object()
_JSON_MAX_DEPTH = 400
DEPENDENCY_FIELDS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")


class InputError(Exception):
    """A file could not be read at all (permission, loop, not a file)."""


def within(path: Path | str, root: Path | str) -> bool:
    """True when ``path``, with every symbolic link resolved, is ``root`` or inside it (``root``
    resolved too). twilint reads and writes nothing outside a project's root: a symlink that
    leaves the project is reported (``io-error``), never followed."""
    real = _realpath_file(os.fspath(path))
    base = _realpath_dir(os.path.abspath(root))
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


@functools.lru_cache(maxsize=4096)
def _realpath_dir(path: str) -> str:
    # Folders (absolute paths) are resolved once a run: ``discover`` clears this cache. A folder
    # that is not a symbolic link resolves to its resolved parent plus its name, so sibling
    # folders share the look-ups of their ancestors (os.path.realpath lstats every component).
    head, tail = os.path.split(path)
    if not tail or not head or tail in (".", "..") or not os.path.isabs(path):
        return os.path.realpath(path)
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return os.path.realpath(path)
    except OSError:
        pass  # (as os.path.realpath: a missing component is kept as it is)
    return os.path.join(_realpath_dir(head), tail)


def _realpath_file(path: str) -> str:
    """``os.path.realpath``, resolving the parent folder from the cache: one lstat for a file
    that is not itself a symbolic link."""
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return os.path.realpath(path)
    except OSError:
        return os.path.realpath(path)
    head, tail = os.path.split(path)
    if not tail or tail in (".", ".."):
        return os.path.realpath(path)
    return os.path.join(_realpath_dir(os.path.abspath(head or ".")), tail)


def _within_plain(path: str, root: Path | str) -> bool:
    """:func:`within` for a file known not to be a symbolic link itself (its folders may be)."""
    head, tail = os.path.split(path)
    if not tail or tail in (".", ".."):
        return within(path, root)
    real_head, base, base_prefix = _resolved_pair(head, os.fspath(root))
    real = os.path.join(real_head, tail)
    return real == base or real.startswith(base_prefix)


@functools.lru_cache(maxsize=4096)
def _resolved_pair(head: str, root: str) -> tuple[str, str, str]:
    """(the resolved folder ``head``, the resolved ``root``, that plus a separator), for
    :func:`_within_plain`; cleared with ``_realpath_dir`` at each discovery."""
    base = _realpath_dir(os.path.abspath(root))
    return _realpath_dir(os.path.abspath(head or ".")), base, base.rstrip(os.sep) + os.sep


# Temporary files of `--fix` (``fixes.write_atomic``): `.<name>.<pid>-<random>.twilint-tmp`.
# A run killed mid-write leaves one behind; discovery never checks them, and the next `--fix`
# removes those whose process is gone (``fixes.remove_stale_temp_files``).
TEMP_SUFFIX = ".twilint-tmp"


def file_kind(name: str) -> str | None:
    if name in ROOT_FILES:
        return ROOT_FILES[name]
    if name == ".env" or name.startswith(".env."):
        return "env"
    ext = os.path.splitext(name)[1].lower()
    return SCRIPT_KINDS.get(ext)


def deploy_script_kind(rel: str) -> str | None:
    """Files that may run a deploy (read for `--runtime` and Build API calls), by their path
    relative to the project root: "shell" (``*.sh``), "ci-workflow" (``.github/workflows/*.yml``,
    ``.gitlab-ci.yml``) and "python" (``*.py``). Only outside the functions and assets folders."""
    name = rel.rsplit("/", 1)[-1]
    if name.endswith((".sh", ".bash")):
        return "shell"
    if rel == ".gitlab-ci.yml" or (
        rel.startswith(".github/workflows/") and rel.count("/") == 2 and name.endswith((".yml", ".yaml"))
    ):
        return "ci-workflow"
    if name.endswith(".py") and "site-packages/" not in rel and "/lib/python" not in f"/{rel}":
        return "python"  # (not a virtualenv's library)
    return None


def _rel_of(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form ("." for the root itself), or the file's name
    when it is not inside ``root``."""
    sp, sr = os.fspath(path), os.fspath(root)
    if sp.startswith("/") and sr.startswith("/"):  # absolute (normalised by pathlib): compare strings
        rel = _rel_str(sp, sr)
        return rel if rel is not None else path.name
    return path.relative_to(root).as_posix() if root in path.parents or path == root else path.name


def _rel_str(sp: str, sr: str) -> str | None:
    """The relative path of ``sp`` under ``sr`` ("." when equal), None when outside; both absolute
    and normalised."""
    if sp == sr:
        return "."
    prefix = sr if sr.endswith("/") else sr + "/"
    return sp[len(prefix):] if sp.startswith(prefix) else None


def _under(sp: str, sd: str) -> bool:
    """``sd`` is a strict ancestor of ``sp`` (absolute, normalised path strings)."""
    return sp.startswith(sd if sd.endswith("/") else sd + "/") and sp != sd


def visibility_of(name: str) -> str:
    stem = name.rsplit("/", 1)[-1]
    if ".protected." in stem:
        return "protected"
    if ".private." in stem:
        return "private"
    return "public"


def read_file_in(path: str, root: Path | str) -> bytes:
    """The bytes of the file at ``path``, read as twilint reads every file of the project at
    ``root``: a regular file (never a FIFO or a device, which could block), inside the project
    with every symbolic link resolved, of at most MAX_FILE_BYTES. Raises InputError (why it is
    not read) or OSError."""
    st = os.lstat(path)
    link = stat.S_ISLNK(st.st_mode)
    if link:
        st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise InputError("not a regular file" if not stat.S_ISDIR(st.st_mode) else "a folder, not a file")
    if not (within(path, root) if link else _within_plain(path, root)):
        raise InputError("a symbolic link to a file outside the project; not read")
    size = st.st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; skipped")
    fd = os.open(path, os.O_RDONLY)
    try:
        raw = os.read(fd, size + 1)
        if len(raw) != size:  # the file changed size since the stat (or a short read): read to the end
            parts = [raw]
            while chunk := os.read(fd, 1 << 16):
                parts.append(chunk)
            raw = b"".join(parts)
    finally:
        os.close(fd)
    return raw


class SourceFile:
    """One file of a project. Read, decoded and parsed lazily, at most once."""

    def __init__(self, path: Path, project: "Project", kind: str, role: str, data: bytes | None = None,
                 rel: str | None = None):
        self.path = path
        self.project = project
        self.kind = kind
        self.role = role  # function | asset | project | other
        # (discovery passes ``rel``, which it has already computed from the path strings)
        self.rel = rel if rel is not None else _rel_of(path, project.root)
        self.visibility = visibility_of(self.rel)
        self._data = data
        self._info: TextInfo | None = None
        self.read_error: str | None = None
        self.decode_error: DecodeError | None = None
        self._raw: bytes | None = None

    def __repr__(self) -> str:
        return f"SourceFile({self.rel!r}, kind={self.kind}, role={self.role})"

    # -- reading ---------------------------------------------------------------------------
    def _read(self) -> None:
        """Read the raw bytes (or set ``read_error``); decoding is left to :meth:`_load`."""
        if self.is_read:
            return
        try:
            raw = read_file_in(os.fspath(self.path), self.project.root)
        except InputError as exc:
            self.read_error = str(exc)
            return
        except OSError as exc:
            self.read_error = f"cannot read file: {exc.strerror or exc}"
            return
        self._raw = raw

    def _load(self) -> None:
        if self._data is not None or self.read_error or self.decode_error:
            return
        self._read()
        raw = self._raw
        if raw is None:
            return
        try:
            self._data, self._info = decode(raw)
        except DecodeError as exc:
            self.decode_error = exc

    @property
    def is_read(self) -> bool:
        """Were the file's bytes read already (or found unreadable, or given)?"""
        return self._raw is not None or self._data is not None or bool(self.read_error)

    def content_key(self) -> tuple[bytes, bytes]:
        """What the file's results depend on, for the result cache: its bytes as read (decoding
        them is a function of these bytes), or why it cannot be read. Does not decode."""
        self._read()
        if self.read_error:
            return b"E", self.read_error.encode()
        raw = self._raw if self._raw is not None else self._data
        return b"R", raw if raw is not None else b""

    @property
    def ok(self) -> bool:
        self._load()
        return self._data is not None

    @property
    def data(self) -> bytes:
        self._load()
        return self._data if self._data is not None else b""

    @property
    def raw(self) -> bytes:
        self._load()
        return self._raw if self._raw is not None else self.data

    @property
    def text_info(self) -> TextInfo:
        self._load()
        if self._info is None:
            from twilint.sources.text import detect_newline

            self._info = TextInfo(newline=detect_newline(self.data))
        return self._info

    @cached_property
    def text(self) -> str:
        return self.data.decode("utf-8")

    @cached_property
    def lines(self) -> LineIndex:
        if self._data is None and self._raw is not None:
            return LineIndex(self._raw)
        return LineIndex(self.data)

    def set_content(self, raw: bytes) -> None:
        """Use ``raw`` as the file's content instead of reading it from disk (stdin)."""
        self._raw = raw
        self._data = self._info = None
        self.read_error = self.decode_error = None
        self.__dict__.pop("_plain_json", None)
        try:
            self._data, self._info = decode(raw)
        except DecodeError as exc:
            self.decode_error = exc

    _KEEP = frozenset({"path", "project", "kind", "role", "rel", "visibility", "_data", "_info", "read_error",
                       "decode_error", "_raw", "lines", "is_minified", "_plain_json"})

    def release(self) -> None:
        """Drop parse trees and rule caches (they are rebuilt if asked for again); keep the
        bytes and the line index that reports need."""
        for key in [k for k in self.__dict__ if k not in self._KEEP]:
            del self.__dict__[key]

    def with_data(self, data: bytes) -> "SourceFile":
        """The same file with new contents (used while fixing)."""
        f = SourceFile(self.path, self.project, self.kind, self.role, data)
        f._info = self.text_info
        return f

    # -- parsing ---------------------------------------------------------------------------
    @cached_property
    def js(self):
        """The tree-sitter tree of a JS/TS file (None when the file cannot be read)."""
        if not self.ok or self.kind not in ("js", "ts"):
            return None
        from twilint.sources.js import SCRIPT_EXTENSIONS, parse_script

        lang = SCRIPT_EXTENSIONS.get(self.path.suffix.lower(), "javascript")
        return parse_script(self.data, lang)

    @cached_property
    def value(self) -> Value | None:
        """The parsed data of a JSON/JSON5/YAML/JS config file, or None if it does not parse."""
        from twilint.sources.values import ValueSyntaxError

        try:
            return self._parse_value()
        except ValueSyntaxError:
            return None

    @cached_property
    def value_error(self) -> ValueSyntaxError | None:
        from twilint.sources.values import ValueSyntaxError

        try:
            self._parse_value()
        except ValueSyntaxError as exc:
            return exc
        return None

    def _parse_value(self) -> Value | None:
        from twilint.sources.values import ValueSyntaxError

        cache = self.__dict__.setdefault("_value_cache", {})
        if "v" in cache:
            if isinstance(cache["v"], ValueSyntaxError):
                raise cache["v"]
            return cache["v"]
        try:
            v = self._parse_value_uncached()
        except ValueSyntaxError as exc:
            cache["v"] = exc
            raise
        except RecursionError:
            exc = ValueSyntaxError("nested too deeply", 0)
            cache["v"] = exc
            raise exc from None
        cache["v"] = v
        return v

    def _parse_value_uncached(self) -> Value | None:
        if not self.ok:
            return None
        name = self.path.name
        data = self.data
        if self.kind in ("package.json", "deployinfo", "legacy-config") or name.endswith(".json") and self.kind == "lockfile":
            if self.kind == "legacy-config":
                from twilint.sources.json5 import parse_json5

                return parse_json5(data)
            from twilint.sources.jsonvalues import parse_json

            return parse_json(data)
        if self.kind == "serverless-config":
            if name.endswith((".yaml", ".yml")):
                from twilint.sources.yaml_values import parse_yaml

                return parse_yaml(data)
            if name.endswith((".js", ".cjs")):
                from twilint.sources.jsconfig import parse_js_config

                return parse_js_config(data)
            from twilint.sources.json5 import parse_json5

            return parse_json5(data)
        if self.kind == "lockfile" and name.endswith(".yaml"):
            from twilint.sources.yaml_values import parse_yaml

            return parse_yaml(data)
        return None

    def plain_json(self):
        """``package.json`` as plain Python data from the C ``json`` module: much cheaper than
        :attr:`value` (tree-sitter-json plus a :class:`Value` tree) for callers that need no byte
        spans (discovery reads dependency names and two folder names). Only used when it gives
        exactly what :attr:`value` gives: None when the file cannot be read or is not strict JSON
        (``value`` is None then too), and ``DEFER`` when only the Value parse can tell (nesting
        that may pass its depth limit, or NaN/Infinity, which Python's ``json`` accepts and the
        Value parse does not turn into values)."""
        cache = self.__dict__
        if "_plain_json" in cache:
            return cache["_plain_json"]
        out = DEFER
        if self.kind == "package.json":
            if not self.ok:
                out = None
            else:
                data = self.data
                if data.count(b"{") + data.count(b"[") <= _JSON_MAX_DEPTH:
                    import json

                    try:
                        out = json.loads(data.decode("utf-8"))
                    except (ValueError, RecursionError):
                        out = None
                    else:
                        if b"NaN" in data or b"Infinity" in data:
                            out = DEFER
        cache["_plain_json"] = out
        return out

    @cached_property
    def env(self):
        if not self.ok or self.kind != "env":
            return None
        from twilint.sources.dotenv import parse_env

        return parse_env(self.data)

    @cached_property
    def suppressions(self):
        from twilint.suppress import Suppressions

        return Suppressions.for_file(self)

    @cached_property
    def is_minified(self) -> bool:
        if self.path.name.endswith((".min.js", ".bundle.js")):
            return True
        data = self.data
        if len(data) < MINIFIED_LINE:
            return False
        longest = max((len(line) for line in data.split(b"\n")), default=0)
        lines = data.count(b"\n") + 1
        return longest > MINIFIED_LINE and len(data) / lines > 200


@record
class Project:
    root: Path
    config: Config
    functions_dirs: list[Path] = field(default_factory=list)
    assets_dirs: list[Path] = field(default_factory=list)
    files: dict[Path, SourceFile] = field(default_factory=dict)
    # The Serverless Toolkit config file, if any (also package.json#twilioserverless).
    serverless_config_file: SourceFile | None = None
    # True when the deployed functionsFolder is build output and twilint lints the sources.
    bundled: bool = False
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    # The files to report on: walked or named on the command line. Other files (package.json
    # when only a function was named, say) are read for context only.
    targets: set[Path] = field(default_factory=set)
    config_error: ConfigError | None = None
    # Temporary files an interrupted `--fix` left behind (see TEMP_SUFFIX).
    temp_files: list[Path] = field(default_factory=list)

    # -- files -----------------------------------------------------------------------------
    def file(self, name: str) -> SourceFile | None:
        """The project's file at ``name`` (relative to the root), if it has one."""
        paths = self.__dict__.get("_named")
        if paths is None:
            paths = self.__dict__["_named"] = {}
        path = paths.get(name)
        if path is None:
            path = paths[name] = self.root / name  # (a Path costs more than the look-up: made once)
        return self.files.get(path)

    @property
    def package_json(self) -> SourceFile | None:
        return self.file("package.json")

    def lockfiles(self) -> list[SourceFile]:
        return [f for n in LOCKFILES if (f := self.file(n)) is not None]

    def replace(self, new: SourceFile) -> None:
        self.files[new.path] = new
        cfg = self.serverless_config_file
        if cfg is not None and cfg.path == new.path:
            self.serverless_config_file = new

    # -- package.json ----------------------------------------------------------------------
    def dependencies(self, field_name: str = "dependencies") -> Value | None:
        pj = self.package_json
        if pj is None or pj.value is None:
            return None
        deps = pj.value.get(field_name)
        return deps if deps is not None and deps.kind == "object" else None

    def dependency_names(self) -> set[str]:
        names: set[str] = set()
        pj = self.package_json
        plain = pj.plain_json() if pj is not None else None
        if plain is not DEFER:  # (the same names as the Value parse gives, for much less)
            if isinstance(plain, dict):
                for f in DEPENDENCY_FIELDS:
                    d = plain.get(f)
                    if isinstance(d, dict):
                        names.update(d)
            return names
        for f in DEPENDENCY_FIELDS:
            d = self.dependencies(f)
            if d is not None:
                names.update(d.keys())
        return names

    # -- serverless config -----------------------------------------------------------------
    @property
    def serverless_config(self) -> Value | None:
        f = self.serverless_config_file
        if f is None:
            return None
        if f.kind == "package.json":
            return f.value.get("twilioserverless") if f.value is not None else None
        return f.value

    # -- what kind of project --------------------------------------------------------------
    @cached_property
    def twilio_evidence(self) -> str:
        """"strong", "weak", "none" or "other-platform"."""
        if self.serverless_config_file is not None or (self.root / ".twiliodeployinfo").exists() or (
            self.root / ".twilio-functions"
        ).exists():
            return "strong"
        deps = self.dependency_names()
        if deps & TWILIO_STRONG_DEPS:
            return "strong"
        if deps & OTHER_PLATFORM_DEPS or any((self.root / n).exists() for n in OTHER_PLATFORM_FILES):
            return "other-platform"
        if "twilio" in deps:
            return "weak"
        # Twilio globals in the function code are evidence too.
        for f in self.files.values():
            if f.role == "function" and f.kind in ("js", "ts") and f.ok:
                d = f.data
                if b"Runtime." in d or b"Twilio." in d or b"getTwilioClient" in d:
                    return "weak"
        return "none"

    @property
    def is_twilio(self) -> bool:
        """A Twilio Functions project: strong evidence, or weak evidence (a `twilio` dependency,
        Twilio globals) plus a functions folder. A web app that only uses the `twilio` library is
        not one."""
        ev = self.twilio_evidence
        if ev != "weak":
            return ev == "strong"
        # (asked for every file by many rules: whether a functions folder exists is looked up
        # once for each list of them, not with a stat a call)
        dirs = tuple(self.functions_dirs)
        got = self.__dict__.get("_functions_dir_exists")
        if got is None or got[0] != dirs:
            got = self.__dict__["_functions_dir_exists"] = (dirs, any(os.path.isdir(d) for d in dirs))
        return got[1]

    def is_function_file(self, f: SourceFile) -> bool:
        return f.role == "function" and f.kind in ("js", "ts")


# -- discovery ------------------------------------------------------------------------------


def is_project_root(d: Path | str, names: "set[str] | frozenset[str] | None" = None) -> bool:
    try:
        names = names if names is not None else set(os.listdir(d))
    except OSError:
        return False
    if "package.json" in names:
        return True
    return any(n in names for n in SERVERLESS_CONFIG_NAMES)


def _listdir(d: str) -> "frozenset[str] | None":
    try:
        return frozenset(os.listdir(d))
    except OSError:
        return None


def _enclosing_root(d: str, names_of) -> str | None:
    """The nearest folder at or above the folder ``d`` (an absolute, normalised path string)
    that is a project root; else the nearest one with a ``functions`` folder (not named ``src``);
    None inside ``node_modules``. ``names_of(folder)``: its entry names, None if unreadable."""
    fallback = None
    cand = d
    while True:
        name = os.path.basename(cand)
        if name == "node_modules":
            return None
        names = names_of(cand)
        if names is not None and is_project_root(cand, names):
            return cand
        if fallback is None and name != "src" and (names is None or "functions" in names) \
                and os.path.isdir(os.path.join(cand, "functions")):
            fallback = cand
        parent = os.path.dirname(cand)
        if parent == cand:
            return fallback
        cand = parent


def find_enclosing_root(path: Path) -> Path | None:
    """The nearest folder at or above ``path`` that is a project root."""
    if not path.is_absolute():
        d = path if os.path.isdir(path) else path.parent
        fallback = None
        for cand in (d, *d.parents):
            if cand.name == "node_modules":
                return None
            if is_project_root(cand):
                return cand
            if fallback is None and os.path.isdir(cand / "functions") and cand.name not in ("src",):
                fallback = cand
        return fallback
    sp = os.fspath(path)
    root = _enclosing_root(sp if os.path.isdir(sp) else os.path.dirname(sp), _listdir)
    return Path(root) if root is not None else None


def load_project_config(root: Path, names: "frozenset[str] | None" = None,
                        package_json: "SourceFile | None" = None) -> tuple[Config, ConfigError | None]:
    """``names``: the entries of ``root`` when already listed (a name that is not there needs no
    look-up); ``package_json``: the project's package.json, read already (or to be read) by
    discovery, so that it is not read twice."""
    if (names is None or "twilint.toml" in names) and (toml := root / "twilint.toml").is_file():
        if not within(toml, root):
            return Config(), ConfigError(toml, 1, 1, "twilint.toml is a symbolic link out of the project; not read")
        try:
            return load_toml(toml), None
        except ConfigError as exc:
            return Config(), exc
    if names is not None and "package.json" not in names:
        return Config(), None
    pj = os.path.join(os.fspath(root), "package.json")
    if package_json is not None or (os.path.isfile(pj) and within(pj, root)):
        try:
            if package_json is not None:  # (read as SourceFile reads: a regular file in the project)
                tag, raw = package_json.content_key()  # (not decoded: only a few have the key)
                if tag != b"R":
                    raw = b""  # (it cannot be read)
            else:
                with open(pj, "rb") as fh:
                    raw = fh.read()
            if b'"twilint"' in raw:
                import json

                text = raw.decode("utf-8-sig")
                data = json.loads(text)
                if isinstance(data, dict) and "twilint" in data:
                    return from_mapping(data["twilint"], root / "package.json", text), None
        except ConfigError as exc:
            return Config(), exc
        except (OSError, ValueError, RecursionError):
            pass  # package.json problems are reported by the parse-error rule
    return Config(), None


# The kind a name in a project's root folder is read as there (None: not read), by name.
_ROOT_KIND: "dict[str, str | None]" = {}
_FN_DEFAULTS = ("functions", "src/functions")  # (and `src` in a Serverless Toolkit project)
_NO_PROJECT = "not in a Twilio Functions project (no package.json, Serverless Toolkit config or functions folder above it)"


def _in_skipped_dir(part: str) -> str:
    return f"in a `{part}` folder, which twilint never checks"


def _checked_kind(kind: str | None, role: str, rel: str) -> str | None:
    """The kind a discovered file is checked as (``kind``: from its name), or None when twilint
    does not check it: a non-script Asset is an `asset`, a deploy script at the root or
    elsewhere has its own kind, and scripts outside the functions and assets folders (tests,
    tooling) are not deployed code."""
    if kind is None:
        if role == "asset":
            return "asset"
        if role in ("project", "other"):
            return deploy_script_kind(rel)
        return None
    if role == "other" and kind in ("js", "ts"):
        return None
    return kind


class Discovery:
    """Finds projects and their files under the given paths.

    Paths are handled as strings internally (``pathlib`` costs several times more per operation,
    and discovery makes a few for every file); each file's ``Path`` is made once, for its
    :class:`SourceFile`. Folder listings and enclosing roots are remembered for the run.
    """

    def __init__(self, extra_config: Config | None = None, respect_excludes: bool = True):
        self.projects: dict[Path, Project] = {}
        self.missing: list[Path] = []
        # files named on the command line that are not checked, with why (reported as skipped)
        self.not_checked: list[tuple[Path, str]] = []
        self.respect_excludes = respect_excludes
        self._names: dict[str, frozenset[str] | None] = {}  # folder -> its entry names (None: unreadable)
        self._roots: dict[str, str | None] = {}  # folder -> its enclosing project root
        self._by_root: dict[str, Project] = {}  # str(root) -> project
        self._paths: dict[int, dict[str, Path]] = {}  # id(project) -> {str(path): path} of its files
        self._cwd: str | None = None

    def _names_of(self, d: str) -> "frozenset[str] | None":
        try:
            return self._names[d]
        except KeyError:
            names = self._names[d] = _listdir(d)
            return names

    def _root_of(self, d: str) -> str | None:
        try:
            return self._roots[d]
        except KeyError:
            root = self._roots[d] = _enclosing_root(d, self._names_of)
            return root

    def project_for(self, root: Path) -> Project:
        return self._project_at(os.fspath(root), root)

    def _project_at(self, sroot: str, root: Path | None = None) -> Project:
        p = self._by_root.get(sroot)
        if p is None:
            root = root if root is not None else Path(sroot)
            p = self.projects.get(root)
            if p is None:
                p = Project(root=root, config=Config())
                self._paths[id(p)] = {}
                self._setup(p)  # (reads no config of twilint's)
                p.config, p.config_error = load_project_config(
                    root, self._names_of(sroot) if os.path.isabs(sroot) else None, p.package_json)
                self.projects[root] = p
            self._by_root[sroot] = p
        return p

    def _known(self, p: Project) -> dict[str, Path]:
        known = self._paths.get(id(p))
        if known is None or len(known) != len(p.files):  # (files added behind discovery's back)
            known = self._paths[id(p)] = {os.fspath(k): k for k in p.files}
        return known

    # -- layout ----------------------------------------------------------------------------
    def _setup(self, p: Project) -> None:
        root = p.root
        sroot = os.fspath(root)
        names_set = self._names_of(sroot) if os.path.isabs(sroot) else _listdir(sroot)
        named = p.__dict__.setdefault("_named", {})  # (``Project.file``'s Paths of root files)
        # Serverless Toolkit config (cosmiconfig order: package.json first when it has the key).
        spj = os.path.join(sroot, "package.json")
        if os.path.lexists(spj):
            # (not a regular file, or a link out of the project: SourceFile reports it)
            f = self._add(p, root / "package.json", "package.json", "project", "package.json")
            named["package.json"] = f.path
            # the file counts as the config when it is read and parses with the key
            tag, raw = f.content_key()  # (the bytes, not decoded: most package.json lack the key)
            if tag == b"R" and b'"twilioserverless"' in raw and f.ok:
                plain = f.plain_json()
                if plain is not DEFER:
                    has = isinstance(plain, dict) and "twilioserverless" in plain
                else:
                    has = f.value is not None and f.value.get("twilioserverless") is not None
                if has:
                    p.serverless_config_file = f
        names = sorted(names_set) if names_set is not None else []
        root_kind = _ROOT_KIND
        for n in names:
            try:
                kind = root_kind[n]
            except KeyError:
                kind = file_kind(n) or deploy_script_kind(n)
                if kind in ("js", "ts") or n == "package.json":
                    kind = None
                if len(root_kind) < 4096:
                    root_kind[n] = kind
            if kind is None:
                continue
            spath = os.path.join(sroot, n)
            if os.path.isdir(spath) and n not in SERVERLESS_CONFIG_NAMES:
                continue  # (a folder named like a config file is reported as unreadable)
            named[n] = self._add(p, root / n, kind, "project", n).path
        # CI workflows are context for project rules (a deploy step's `--runtime`).
        if ".github" in names:
            swf = os.path.join(sroot, ".github", "workflows")
            try:
                wf = sorted(os.listdir(swf))
            except OSError:
                wf = []
            for n in wf:
                if deploy_script_kind(f".github/workflows/{n}") and os.path.isfile(os.path.join(swf, n)):
                    self._add(p, root / ".github" / "workflows" / n, "ci-workflow", "other")
        if p.serverless_config_file is None:
            known = self._known(p)
            for n in SERVERLESS_CONFIG_NAMES:
                if names_set is not None and n not in names_set:
                    continue  # (root files come from the root's listing)
                f = p.files.get(known[s]) if (s := os.path.join(sroot, n)) in known else None
                if f is not None:
                    p.serverless_config_file = f
                    break
        fn_folder, as_folder = _folder_keys(p)
        # twilio-run falls back to `src` (and `static`) when there is no `functions` (`assets`)
        # folder; in a web app with a `twilio` dependency, `src` is the app's own source, so that
        # fallback only applies when the project is clearly a Toolkit project.
        # (whether it is one is only asked when neither `functions` nor `src/functions` is
        # there, and `src` is, or when the config names a folder)
        fn_dirs = self._pick_dirs(p, None, _FN_DEFAULTS, names_set) if not fn_folder else []
        if not fn_dirs and (fn_folder or names_set is None or "src" in names_set):
            toolkit = p.serverless_config_file is not None or (
                _may_name(p.package_json, TWILIO_STRONG_DEPS) and bool(p.dependency_names() & TWILIO_STRONG_DEPS))
            fn_defaults = _FN_DEFAULTS + ("src",) if toolkit else _FN_DEFAULTS
            if fn_folder or toolkit:
                fn_dirs = self._pick_dirs(p, fn_folder, fn_defaults, names_set)
        p.functions_dirs = fn_dirs
        p.assets_dirs = self._pick_dirs(p, as_folder, ("assets", "src/assets", "static"), names_set)
        # 'src' is only the functions folder when the project has no other; never both.
        if p.functions_dirs and p.functions_dirs[0].name == "src":
            p.assets_dirs = [d for d in p.assets_dirs if root / "src" not in d.parents]

    def _pick_dirs(self, p: Project, configured: str | None, defaults: tuple[str, ...],
                   names: "frozenset[str] | None" = None) -> list[Path]:
        root = p.root
        if configured:
            if "\0" in configured:  # (no folder can be named so: config-path-not-found says it)
                p.skipped.append((root, "the Toolkit config names a folder with a NUL character; not read"))
                return []
            cdir = (root / configured).resolve() if not os.path.isabs(configured) else Path(configured)
            if not within(cdir, root):
                # `functionsFolder: '../../etc'`: twilint reads nothing outside the project.
                p.skipped.append((cdir, "the Toolkit config names a folder outside the project; not read"))
                return []
            rel_parts = Path(configured).parts
            in_build = any(part in BUILD_DIRS for part in rel_parts)
            if in_build:
                # The deployed folder is build output: lint the sources instead.
                p.bundled = True
                src = [root / d for d in defaults if (root / d).is_dir() and root / d != cdir]
                if src:
                    return src[:1]
            return [cdir]  # (there or not: a missing configured folder is the rules' to report)
        sroot = os.fspath(root)
        for d in defaults:
            if names is not None and d.split("/", 1)[0] not in names:
                continue  # (not in the root's listing: not a folder)
            if os.path.isdir(os.path.join(sroot, d)):
                return [root / d]
        return []

    def _add(self, p: Project, path: Path, kind: str, role: str, rel: str | None = None) -> SourceFile:
        """Add ``path`` (its path relative to the root: ``rel``, when the caller has it) to
        ``p``, for context (not as a target)."""
        f = p.files.get(path)
        if f is None:
            f = SourceFile(path, p, kind, role, rel=rel)
            p.files[path] = f
            self._known(p)[os.fspath(path)] = path
        return f

    # -- walking ---------------------------------------------------------------------------
    def add_path(self, path: Path | str) -> None:
        spath = os.fspath(path)
        if not os.path.isabs(spath):  # (os.path.abspath, with the working folder asked once)
            if self._cwd is None:
                self._cwd = os.getcwd()
            spath = os.path.join(self._cwd, spath)
        path = Path(os.path.normpath(spath))
        spath = os.fspath(path)  # (pathlib's normal form)
        try:
            st = os.lstat(spath)
        except (OSError, ValueError):
            self.missing.append(path)
            return
        if stat.S_ISDIR(st.st_mode) or stat.S_ISLNK(st.st_mode) and os.path.isdir(spath):
            root = self._root_of(spath)
            if root is not None and (root == spath or _under(spath, root)):
                self._walk_project_tree(spath, root)
            else:
                self._walk_project_tree(spath, None)
        else:
            why = self.add_file(path, is_dir=False)
            if why is not None:
                self.not_checked.append((path, why))

    def add_file(self, path: Path, is_dir: bool | None = None) -> str | None:
        """Add the file ``path`` to its project as a target. Returns why it is not checked when
        it is not added (None when it is, or when the project lists it as skipped)."""
        spath = os.fspath(path)
        if not os.path.isabs(spath):
            root_path = find_enclosing_root(path)
            if root_path is None:
                return _NO_PROJECT
            return self._add_file_in(self.project_for(root_path), path, path.relative_to(root_path).as_posix())
        if is_dir is None:
            is_dir = os.path.isdir(spath)
        root = self._root_of(spath if is_dir else os.path.dirname(spath))
        if root is None:
            # (a loose script with no project: nothing platform-specific to check)
            skip = [part for part in spath.split("/")[:-1] if part in SKIP_DIRS]
            return _in_skipped_dir(skip[0]) if skip else _NO_PROJECT
        return self._add_file_in(self._project_at(root), path, _rel_str(spath, root))

    def _add_file_in(self, p: Project, path: Path, rel: str) -> str | None:
        parts = rel.split("/")[:-1] if rel != "." else []
        skip = [part for part in parts if part in SKIP_DIRS]
        if skip:
            return _in_skipped_dir(skip[0])
        build = [part for part in parts if part in BUILD_DIRS]
        if build and not self._is_configured_dir(p, path.parent):
            return f"in build output (`{build[0]}`); twilint checks the sources"
        if self.respect_excludes and p.config.excluded(rel):
            p.skipped.append((path, "excluded by config"))
            return None
        if self._classify_and_add(p, path, rel=rel):
            return None
        if file_kind(path.name) in ("js", "ts"):
            where = os.path.relpath(p.root, self._cwd or os.getcwd())
            return f"not in a functions or assets folder of the project at `{where}`, so not deployed code"
        return "not a kind of file twilint checks"

    @staticmethod
    def _dir_role(p: Project, sdir: str, sroot: str) -> str:
        """The role of the files directly in the folder ``sdir`` (absolute, normalised) of ``p``:
        inside a functions folder, an assets folder, the root, or elsewhere."""
        for d in p.functions_dirs:
            sd = os.fspath(d)
            if sd == sdir or _under(sdir, sd):
                return "function"
        for d in p.assets_dirs:
            sd = os.fspath(d)
            if sd == sdir or _under(sdir, sd):
                return "asset"
        return "project" if sdir == sroot else "other"

    def _classify_and_add(self, p: Project, path: Path | None, spath: str | None = None, name: str | None = None,
                          rel: str | None = None, parent: Path | None = None, role: str | None = None) -> bool:
        """Add the file ``path`` (given as a string ``spath`` by the walk, which makes the
        ``Path`` only for files it adds, from ``parent``, the Path of its folder, whose files
        have the role ``role``) to ``p`` with its kind and role, as a target. False when twilint
        does not check such a file."""
        known = self._known(p)
        if spath is None:
            spath = os.fspath(path)
        have = known.get(spath)
        if have is not None:
            p.targets.add(have)
            return True
        sroot = os.fspath(p.root)
        if not (spath.startswith("/") and sroot.startswith("/")):
            return self._classify_and_add_paths(p, path)
        if name is None:
            name = os.path.basename(spath)
        kind = file_kind(name)
        if role is None:
            role = self._dir_role(p, os.path.dirname(spath), sroot)
        if rel is None:
            rel = _rel_str(spath, sroot)
        kind = _checked_kind(kind, role, rel)
        if kind is None:
            return False
        if path is None:
            path = parent.joinpath(name) if parent is not None else Path(spath)
        f = SourceFile(path, p, kind, role, rel=rel)
        p.files[path] = f
        known[spath] = path
        p.targets.add(path)
        return True

    def _classify_and_add_paths(self, p: Project, path: Path) -> bool:
        """:meth:`_classify_and_add` for relative paths (a project made by hand with a relative root)."""
        kind = file_kind(path.name)
        in_fn = any(d == path.parent or d in path.parents for d in p.functions_dirs)
        in_as = any(d == path.parent or d in path.parents for d in p.assets_dirs)
        if in_fn:
            role = "function"
        elif in_as:
            role = "asset"
        elif path.parent == p.root:
            role = "project"
        else:
            role = "other"
        kind = _checked_kind(kind, role, path.relative_to(p.root).as_posix())
        if kind is None:
            return False
        f = SourceFile(path, p, kind, role)
        p.files[path] = f
        self._known(p)[os.fspath(path)] = path
        p.targets.add(path)
        return True

    def _walk_project_tree(self, start: str, root: str | None) -> None:
        current = self._project_at(root) if root is not None else None
        stack: list[tuple[str, Project | None]] = [(start, current)]
        seen: set[tuple[int, int]] = set()
        respect = self.respect_excludes
        while stack:
            d, proj = stack.pop()
            try:
                st = os.stat(d)
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen:
                continue
            seen.add(key)
            try:
                entries = list(os.scandir(d))
            except OSError as exc:
                if proj is not None:
                    proj.skipped.append((Path(d), f"cannot read folder: {exc.strerror or exc}"))
                continue
            names = frozenset(e.name for e in entries)
            self._names.setdefault(d, names)
            if proj is None or d != os.fspath(proj.root) and is_project_root(d, names):
                if is_project_root(d, names) or (proj is None and "functions" in names):
                    proj = self._project_at(d)
            sroot = prefix = ""
            dpath = None  # the folder's Path, made for its first file added
            role = None  # the role of the files in this folder
            if proj is not None:
                sroot = os.fspath(proj.root)
                prefix = sroot if sroot.endswith("/") else sroot + "/"
                rel = d[len(prefix):] if d != sroot else ""
                if rel and respect and proj.config.excluded(rel):
                    proj.skipped.append((Path(d), "excluded by config"))
                    continue
                if d.startswith("/") and sroot.startswith("/"):
                    role = self._dir_role(proj, d, sroot)
            for e in sorted(entries, key=lambda e: e.name):
                try:
                    is_dir = e.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                epath = e.path
                if is_dir:
                    if proj is not None and (have := self._known(proj).get(epath)) is not None:
                        proj.targets.add(have)  # a folder named package.json: reported
                        continue
                    name = e.name
                    if name in SKIP_DIRS:
                        continue
                    if name in BUILD_DIRS and not self._is_configured_dir(proj, epath):
                        continue
                    stack.append((epath, proj))
                    continue
                if proj is None:
                    continue
                name = e.name
                if name.endswith(TEMP_SUFFIX) and name.startswith("."):
                    proj.temp_files.append(Path(epath))  # never checked; see TEMP_SUFFIX
                    continue
                rel = epath[len(prefix):]
                if respect and proj.config.exclude and proj.config.excluded(rel):
                    proj.skipped.append((Path(epath), "excluded by config"))
                    continue
                if dpath is None:
                    dpath = Path(d)
                self._classify_and_add(proj, None, epath, name, rel, dpath, role)

    def add_stdin(self, path: Path, raw: bytes) -> SourceFile | None:
        """Check ``raw`` as the content of ``path`` (which need not exist) in the context of the
        project containing it. None when that path is not something twilint checks (no project,
        an unknown kind of file, excluded by config)."""
        path = Path(os.path.abspath(path))
        self.add_file(path)
        root = find_enclosing_root(path)
        p = self.projects.get(root) if root is not None else None
        if p is None or path not in p.targets:
            return None
        old = p.files[path]
        f = SourceFile(path, p, old.kind, old.role)
        f.set_content(raw)
        p.files[path] = f
        if p.serverless_config_file is old:
            p.serverless_config_file = f
        return f

    def _is_configured_dir(self, proj: Project | None, d: "Path | str") -> bool:
        """Is the folder ``d`` a configured functions or assets folder, or one of their
        ancestors? (An absolute path is compared as a normalised string.)"""
        if proj is None or proj.bundled:
            return False
        sd = os.fspath(d)
        if not sd.startswith("/"):
            d = Path(sd)
            return any(x == d or d in x.parents for x in proj.functions_dirs + proj.assets_dirs)
        for x in proj.functions_dirs + proj.assets_dirs:
            sx = os.fspath(x)
            if sx == sd or _under(sx, sd):
                return True
        return False


def _may_name(f: SourceFile | None, names) -> bool:
    """Could the file ``f`` name one of ``names``? False only when its bytes hold none of them
    (nor an escape, nor another encoding than UTF-8, which could spell one otherwise): then
    it need not be parsed to know."""
    if f is None:
        return False
    tag, raw = f.content_key()
    if tag != b"R" or b"\\" in raw or raw.startswith(_OTHER_BOMS):
        return True
    return any(n.encode() in raw for n in names)


_OTHER_BOMS = tuple(bom for bom, encoding in BOMS if encoding != "utf-8")


def _str_key(cfg: Value | None, key: str) -> str | None:
    if cfg is None or cfg.kind != "object":
        return None
    v = cfg.get(key)
    return v.data if v is not None and v.kind == "string" and v.data else None


def _folder_keys(p: Project) -> tuple[str | None, str | None]:
    """``functionsFolder`` and ``assetsFolder`` of the project's Toolkit config (non-empty
    strings, else None)."""
    f = p.serverless_config_file
    if f is not None and f.kind == "package.json":
        plain = f.plain_json()
        if plain is not DEFER:
            cfg = plain.get("twilioserverless") if isinstance(plain, dict) else None

            def key(name: str) -> str | None:
                v = cfg.get(name) if isinstance(cfg, dict) else None
                return v if isinstance(v, str) and v else None

            return key("functionsFolder"), key("assetsFolder")
    cfg = p.serverless_config
    return _str_key(cfg, "functionsFolder"), _str_key(cfg, "assetsFolder")


def discover(paths: list[Path | str], respect_excludes: bool = True) -> Discovery:
    _realpath_dir.cache_clear()
    _resolved_pair.cache_clear()
    d = Discovery(respect_excludes=respect_excludes)
    for p in paths:
        d.add_path(p)
    return d
