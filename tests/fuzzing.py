"""The mutation fuzzer behind tests/test_fuzz.py (issue 10), usable on its own for long runs:

    .venv/bin/python tests/fuzzing.py --examples 5000 [--seed N] [--fix | --migrate]

(or ``TWILINT_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py``).

One input = a copy of a fixture project (every project under ``fixtures/``) with one mutation
applied to one of its files (or to the tree: a file replaced by a folder, a FIFO, a symlink loop,
a symlink out of the project, an unreadable file), plus two sentinels: a clean sibling project
with a known finding and, in the mutated project, a function file with a known finding. twilint
runs over it in-process (``twilint.runner.run`` with every rule, then every report format and the
exit code, as the CLI does) and :func:`check_invariants` says what went wrong, if anything:

- no exception escapes (no traceback), no ``internal-error`` diagnostic (a rule crashed);
- the exit code is 0, 1 or 2; every report format renders (and the machine formats parse);
- every file twilint should check but cannot read or parse is named by an ``io-error`` or
  ``parse-error`` diagnostic with a line and column;
- every other file is still checked: both sentinels are reported.

With ``fix=True`` it also runs ``--fix --unsafe-fixes`` on the input and checks the fix
invariants (:func:`check_fix_invariants`). ``--migrate`` runs the migrations on the inputs
instead (:func:`fuzz_migrate`, :func:`check_migration`).
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import stat
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"

SENTINEL_NAME = "zz-twilint-sentinel.js"
SENTINEL_JS = (
    "exports.handler = function (context, event, callback) {\n"
    "  callback(null, event.request.headers['X-Sentinel']);\n"
    "};\n"
)
SENTINEL_PROJECT = {
    "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1", "twilio": "^5.0.0"}}\n',
    "functions/hello.js": SENTINEL_JS,
}
SENTINEL_RULE = "lowercase-header-access"
OUTSIDE_SECRET = "OUTSIDE-THE-PROJECT-7c1d"  # in the file a symlink points to, outside the project
FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")
CHECKED_KINDS = ("js", "ts", "package.json", "serverless-config", "env", "deployinfo", "legacy-config", "lockfile")


# -- the inputs --------------------------------------------------------------------------------


def fixture_projects() -> list[Path]:
    """Every fixture folder that is a project (outermost only, never inside node_modules)."""
    from twilint.project import is_project_root

    found: list[Path] = []
    for dirpath, dirnames, _ in os.walk(FIXTURES):
        d = Path(dirpath)
        dirnames[:] = sorted(n for n in dirnames if n != "node_modules")
        if d == FIXTURES:
            continue
        if is_project_root(d) or (d / "functions").is_dir():
            found.append(d)
            dirnames[:] = []
    return sorted(found)


def project_files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(n for n in dirnames if n != "node_modules")
        out.extend(Path(dirpath) / f for f in sorted(filenames))
    return out


def _kind(path: Path) -> str:
    n = path.name
    if n == "package.json":
        return "package.json"
    if n.startswith(".env"):
        return "env"
    if n.endswith((".yaml", ".yml")):
        return "yaml"
    if n.endswith((".json", ".json5")) or n in (".twilioserverlessrc", ".twiliodeployinfo", ".twilio-functions"):
        return "json"
    if n.endswith((".js", ".cjs", ".mjs", ".jsx", ".ts", ".cts", ".mts", ".tsx")):
        return "js"
    if n == "twilint.toml":
        return "toml"
    return "other"


# Deep nesting in each format (recursion limits). N is well over Python's default recursion limit.
N = 5000
DEEP = {
    "js": [
        b"module.exports.x = " + b"(" * N + b"1" + b")" * N + b";\n",
        b"const a = " + b"[" * N + b"]" * N + b";\n",
        b"const o = " + b"{a:" * N + b"1" + b"}" * N + b";\n",
        b"const f = " + b"x => " * N + b"1;\n",
        b"if (a) " * N + b"b();\n",
        b"const s = `${" * 2000 + b"1" + b"}`" * 2000 + b";\n",
        b"a" + b" + a" * (N * 4) + b";\n",
        b"(" * N,  # unbalanced
    ],
    "json": [b"[" * N + b"]" * N, b'{"a":' * N + b"1" + b"}" * N, b"[" * N],
    "package.json": [
        b'{"name": "x", "dependencies": {"twilio": "1"}, "deep": ' + b"[" * N + b"]" * N + b"}",
        b'{"twilint": ' + b"[" * N + b"]" * N + b"}",
        b'{"twilioserverless": ' + b'{"a":' * N + b"1" + b"}" * N + b"}",
        b'{"dependencies": ' + b"[" * N,
    ],
    "yaml": [b"a: " + b"[" * N + b"]" * N + b"\n", b"a:\n" + b"".join(b"  " * i + b"b:\n" for i in range(1, 2000)),
             b"- " * N + b"x\n", b"a: &a [" + b"*a, " * 50 + b"]\n"],
    "env": [b"A=" + b"${" * N + b"}" * N + b"\n"],
    "toml": [b"a = " + b"[" * N + b"]" * N + b"\n"],
}

WRONG_TYPES_PACKAGE_JSON = [
    b"[]", b'"x"', b"1", b"null", b"true", b"{}", b'{"dependencies": []}', b'{"dependencies": "x"}',
    b'{"dependencies": {"twilio": 1, "@twilio/runtime-handler": null}}', b'{"devDependencies": [1, 2]}',
    b'{"twilioserverless": "functions"}', b'{"twilioserverless": []}', b'{"twilint": []}',
    b'{"twilint": {"select": 3}}', b'{"twilint": {"severity": []}}', b'{"scripts": 5}',
    b'{"scripts": {"deploy": ["twilio-run", "deploy"]}}', b'{"engines": {"node": {}}}', b'{"engines": 22}',
    b'{"type": 1, "main": {}}', b'{"name": {}, "version": []}', b'{"dependencies": {"": "", "..": "../.."}}',
    b'{"dependencies": {"../../etc": "file:../../etc"}}', b'{"a": 1, "a": 2}', b'{"twilint": {"exclude": [1]}}',
    b'{"twilint": {"per-file-ignores": {"**": 3}}}', b'{"twilint": {"platform": {"runtimes-available": 1}}}',
    b'\xef\xbb\xbf{"dependencies": {"twilio": "1"}}', b'{"dependencies": {"twilio": "1"}} trailing',
    b'{"dependencies": {"x": "1",}}', b"// comment\n{}",
]

ODD_ENV = [
    b"export ACCOUNT_SID=AC123\n", b"KEY\n", b"=value\n", b'KEY="unterminated\n', b"KEY='a'b\n",
    b'KEY="multi\nline\nvalue"\n', b"KEY=${OTHER}\n", b"A=1\rB=2\r", b"\tKEY = spaced value \t\n",
    "KÉY=välue\n".encode(), b"DUP=1\nDUP=2\n", b"# only a comment", b"KEY=value # comment\n",
    b"KEY=\"a\\\"b\"\n", b"K" * 300 + b"=1\n", b"KEY=" + b"v" * 5000 + b"\n", b"\n\n\n", b"KEY=\\\n",
    b"export\n", b"export =\n", b"  # twilint-disable-next-line\nX=1\n", b"KEY='\n", b"KEY=\"\\u00e9\"\n",
    b"A=1\r\nB=2\n", b"\xef\xbb\xbfKEY=1\n", b"-----BEGIN RSA PRIVATE KEY-----\n", b"KEY=`backtick`\n",
]

JUNK_CONFIG = {
    "json": [b"{", b"}", b"{functionsFolder: }", b"{\"functionsFolder\": 1}", b"{\"functionsFolder\": \"../../etc\"}",
             b"{\"assetsFolder\": \"/etc\"}", b"{\"functionsFolder\": \"\"}", b"{\"projects\": []}",
             b"{\"env\": {}}", b"/* unterminated", b"{'a': 0x}", b"{\"runtime\": [\"node22\"]}",
             b"{\"functionsFolder\": \"out/../../../x\"}", b"{a: Infinity, b: NaN, c: -0x1F}", b"[]"],
    "yaml": [b"a: [", b"- - -", b"a: b: c", b"!!python/object:os.system ['touch x']", b"a: *undefined",
             b"functionsFolder: ../../etc\n", b"? [a, b]\n: c\n", b"%YAML 9.9\n---\n", b"a: 'b\n", b"\t- x"],
    "js": [b"module.exports = {", b"module.exports = 1 +", b"export default {functionsFolder: '../../etc'}",
           b"module.exports = require('fs').readFileSync('/etc/passwd')", b"module.exports = () => ({})",
           b"module.exports = {...x, functionsFolder: `../${y}`}", b"}}}}", b"module.exports = {a: /re/g, b: 1n}"],
    "toml": [b"select = [", b"select = 3", b"[severity]\nnope = \"error\"", b"exclude = [1]", b"fail-on = \"x\"",
             b"[per-file-ignores]\n\"**\" = 3", b"\x00", b"a = \"\\u00\"", b"[[x]]\n[x]"],
}


@dataclass
class Mutation:
    desc: str
    path: Path | None  # the file (or folder) it changed; None for tree-wide ones
    # True when the mutated path must be named by an io-error/parse-error diagnostic whatever the
    # oracle says (unreadable, not a file); False when the oracle decides.
    must_report: bool = False


def _rewrite(path: Path, data: bytes) -> None:
    if path.is_symlink() or not path.is_file():
        _remove(path)
    path.write_bytes(data)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _content_mutation(rng: random.Random, path: Path, outside: Path) -> Mutation:
    """Change the bytes of one file."""
    data = path.read_bytes() if path.is_file() else b""
    kind = _kind(path)
    choice = rng.choice([
        "truncate", "flip", "invalid-utf8", "nul", "long-line", "deep", "empty", "splice", "huge",
        "encoding", "kind-specific", "kind-specific",
    ])
    pos = rng.randint(0, len(data)) if data else 0
    if choice == "truncate":
        new = data[:pos]
    elif choice == "flip":
        b = bytearray(data or b"x")
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        new = bytes(b)
    elif choice == "invalid-utf8":
        new = data[:pos] + rng.choice([b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80"]) + data[pos:]
    elif choice == "nul":
        new = data[:pos] + b"\x00" + data[pos:]
    elif choice == "long-line":
        filler = rng.choice([b"a", b"// ", b"'", b"x+", b" "]) * rng.choice([6000, 200_000])
        new = data[:pos] + filler + data[pos:]
    elif choice == "deep":
        options = DEEP.get(kind) or DEEP["js"]
        chunk = rng.choice(options)
        new = chunk if rng.random() < 0.5 else data[:pos] + chunk + data[pos:]
    elif choice == "empty":
        new = b""
    elif choice == "splice":
        new = data[:pos] + data[rng.randint(0, len(data)):][: rng.randint(0, 200)] + data[pos:]
    elif choice == "huge":
        if kind in ("package.json", "json"):
            deps = ", ".join(f'"pkg-{i}": "^{i}.0.0"' for i in range(rng.choice([500, 40_000])))
            new = ('{"dependencies": {"@twilio/runtime-handler": "2.0.1", ' + deps + "}}").encode()
        else:
            new = (data or b"x") * max(1, (rng.choice([300_000, 2_200_000]) // max(1, len(data))))
    elif choice == "encoding":
        text = data.decode("utf-8", "replace")
        enc = rng.choice(["utf-16", "utf-16-be-nobom", "utf-8-sig", "crlf", "cr", "latin-1"])
        if enc == "utf-16":
            new = text.encode("utf-16")
        elif enc == "utf-16-be-nobom":
            new = text.encode("utf-16-be")
        elif enc == "utf-8-sig":
            new = text.encode("utf-8-sig")
        elif enc == "crlf":
            new = text.replace("\n", "\r\n").encode()
        elif enc == "cr":
            new = text.replace("\n", "\r").encode()
        else:
            new = (text + "\n// caf\u00e9\n").encode("latin-1", "replace")
        choice = f"encoding:{enc}"
    else:  # kind-specific junk
        if path.name == "package.json":
            new = rng.choice(WRONG_TYPES_PACKAGE_JSON)
        elif kind == "env":
            new = rng.choice(ODD_ENV) if rng.random() < 0.5 else data[:pos] + rng.choice(ODD_ENV) + data[pos:]
        elif kind in JUNK_CONFIG:
            new = rng.choice(JUNK_CONFIG[kind])
        else:
            new = data[:pos] + rng.choice([b"}", b"{", b"'", b"`", b"/*", b"<!--", b"#!x\n", b"\\u{110000}"]) + data[pos:]
    _rewrite(path, new)
    return Mutation(f"{choice} {path.name}", path)


def _tree_mutation(rng: random.Random, root: Path, path: Path, outside: Path) -> Mutation:
    """Change what a path is: a folder, a FIFO, a symlink loop or one leaving the project..."""
    choice = rng.choice(["directory", "unreadable", "symlink-loop", "symlink-outside", "dangling", "fifo",
                         "dir-loop", "package-json-dir"])
    if choice == "directory":
        _remove(path)
        path.mkdir()
        (path / "inner.js").write_bytes(SENTINEL_JS.encode())
        return Mutation(f"directory {path.name}", path, must_report=False)
    if choice == "unreadable":
        if not path.is_file():
            path.write_bytes(b"{}")
        os.chmod(path, 0)
        return Mutation(f"unreadable {path.name}", path, must_report=_permissions_apply(path))
    if choice == "symlink-loop":
        _remove(path)
        os.symlink(path.name, path)
        return Mutation(f"symlink loop {path.name}", path, must_report=True)
    if choice == "symlink-outside":
        _remove(path)
        target = outside / ("secret" + (path.suffix or ".js"))
        os.symlink(target, path)
        return Mutation(f"symlink out of the project {path.name}", path, must_report=True)
    if choice == "dangling":
        _remove(path)
        os.symlink(path.name + ".missing", path)
        return Mutation(f"dangling symlink {path.name}", path, must_report=True)
    if choice == "fifo":
        _remove(path)
        os.mkfifo(path)
        return Mutation(f"fifo {path.name}", path, must_report=True)
    if choice == "dir-loop":
        link = path.parent / "loop"
        if not os.path.lexists(link):
            os.symlink(".", link)
        link2 = root / "up"
        if not os.path.lexists(link2):
            os.symlink("..", link2)
        return Mutation("folder symlink loops", None)
    pj = root / "package.json"
    _remove(pj)
    pj.mkdir()
    return Mutation("package.json is a folder", pj, must_report=True)


def _permissions_apply(path: Path) -> bool:
    try:
        with open(path, "rb"):
            return False  # root, or a filesystem that ignores modes
    except OSError:
        return True


def make_input(rng: random.Random, workdir: Path, project: Path | None = None) -> tuple[Path, Mutation]:
    """A mutated copy of a fixture project under ``workdir``; returns the folder to check (the
    mutated project and the sentinel project side by side) and the mutation."""
    projects = fixture_projects()
    src = project or rng.choice(projects)
    base = workdir / "in"
    root = base / "project"
    shutil.copytree(src, root, symlinks=True)
    # The sentinels: a clean project and a clean function with a known finding each.
    for rel, text in SENTINEL_PROJECT.items():
        p = base / "sentinel" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    outside = workdir / "outside"
    outside.mkdir(exist_ok=True)
    for ext in (".js", ".json", ".env", ".yaml", ".yml", ".toml", ".ts", ".html", ".mjs", ".cjs", ".lock", ""):
        (outside / ("secret" + ext)).write_text(
            f"// {OUTSIDE_SECRET}\nexports.handler = (c, event, cb) => cb(null, event.request.headers.Outside);\n"
        )
    fdir = _functions_dir(root)
    if fdir is not None:
        (fdir / SENTINEL_NAME).write_text(SENTINEL_JS)
    files = [p for p in project_files(root) if p.name != SENTINEL_NAME]
    # Files at the root and config files matter most: weight them up.
    weighted = files + [p for p in files if p.parent == root] * 2
    path = rng.choice(weighted) if weighted else root / "package.json"
    if rng.random() < 0.2:
        # a file that was not there: a config format the fixture does not use
        path = root / rng.choice([".twilioserverlessrc", ".twilioserverlessrc.yaml", ".twilioserverlessrc.js",
                                  "twilioserverless.config.js", "twilint.toml", ".env", ".env.dev",
                                  ".twiliodeployinfo", ".twilio-functions", "package-lock.json", "pnpm-lock.yaml",
                                  "functions/new.js", "functions/new.ts", ".nvmrc"])
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_bytes(b"")
    if rng.random() < 0.2:
        mutation = _tree_mutation(rng, root, path, outside)
    else:
        mutation = _content_mutation(rng, path, outside)
    return base, mutation


def _functions_dir(root: Path) -> Path | None:
    for cand in ("functions", "src/functions", "src"):
        if (root / cand).is_dir() and not (root / cand).is_symlink():
            return root / cand
    return None


# -- running and judging ---------------------------------------------------------------------


@dataclass
class Outcome:
    code: int | None = None
    result: object = None
    failures: list[str] = field(default_factory=list)
    reports: dict[str, str] = field(default_factory=dict)


def run_all_formats(paths: list[Path], mode: str = "check", unsafe: bool = False, cwd: Path | None = None,
                    select: list[str] | None = None) -> Outcome:
    """``twilint check`` in-process, every rule, then every report format and the exit code."""
    from twilint.cli import _render
    from twilint.runner import Options, exit_code, run

    out = Outcome()
    old_cwd = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        try:
            result, diffs = run(paths, Options(select=select or ["ALL"], mode=mode, unsafe_fixes=unsafe))
        except BaseException as exc:  # the invariant: nothing escapes
            import traceback

            out.failures.append("traceback:\n" + "".join(traceback.format_exception(exc))[-4000:])
            return out
        out.result = result
        out.code = exit_code(result, None, False, diffs)
        if out.code not in (0, 1, 2):
            out.failures.append(f"exit code {out.code}")
        for fmt in FORMATS:
            buf = io.StringIO()
            try:
                _render(result, fmt, buf, False, False, False)
            except BaseException as exc:
                import traceback

                out.failures.append(f"--format {fmt} crashed:\n" + "".join(traceback.format_exception(exc))[-3000:])
                continue
            text = buf.getvalue()
            out.reports[fmt] = text
            try:
                if fmt in ("json", "sarif", "gitlab"):
                    json.loads(text)
                elif fmt == "junit":
                    ET.fromstring(text)
            except Exception as exc:
                out.failures.append(f"--format {fmt} is not valid: {exc}")
        out.reports["diff"] = "".join(diffs)
    finally:
        os.chdir(old_cwd)
    return out


def _expected_broken(root: Path) -> dict[Path, str]:
    """The files of the project twilint must read, that cannot be read or do not parse: an
    independent judgement (fresh reads, Python's json for JSON, fresh parses)."""
    from twilint.project import discover

    broken: dict[Path, str] = {}
    disc = discover([root])
    for project in disc.projects.values():
        if project.config_error is not None:
            continue
        for f in project.files.values():
            if f.path not in project.targets or f.kind not in CHECKED_KINDS:
                continue
            try:
                st = os.stat(f.path)
            except OSError as exc:
                broken[f.path] = f"cannot stat: {exc}"
                continue
            if not stat.S_ISREG(st.st_mode):
                broken[f.path] = "not a regular file"
                continue
            if not _inside(f.path, project.root):
                broken[f.path] = "outside the project"
                continue
            try:
                with open(f.path, "rb") as fh:
                    raw = fh.read()
            except OSError as exc:
                broken[f.path] = f"cannot read: {exc}"
                continue
            if len(raw) > 2 * 1024 * 1024:
                broken[f.path] = "too large"
                continue
            if f.kind in ("js", "ts") and f.ok and f.is_minified:
                continue
            if not f.ok:
                broken[f.path] = "not text"
                continue
            if f.kind in ("package.json", "deployinfo") or (f.kind == "lockfile" and f.path.name.endswith(".json")):
                try:
                    json.loads(f.data.decode("utf-8"))
                except RecursionError:
                    broken[f.path] = "nested too deeply"
                except ValueError:
                    broken[f.path] = "invalid JSON"
                continue
            if f.kind in ("js", "ts") and f.js.problems:
                broken[f.path] = "syntax error"
            elif f.kind in ("serverless-config", "legacy-config") and f.value_error is not None:
                broken[f.path] = "does not parse"
            elif f.kind == "lockfile" and f.path.name.endswith(".yaml") and f.value_error is not None:
                broken[f.path] = "does not parse"
    return broken


def _inside(path: Path, root: Path) -> bool:
    real = os.path.realpath(path)
    r = os.path.realpath(root)
    return real == r or real.startswith(r.rstrip(os.sep) + os.sep)


def check_invariants(base: Path, out: Outcome, mutation: Mutation | None = None,
                     roots: list[Path] | None = None, mutations: list[Mutation] = ()) -> list[str]:
    """The invariants for the input under ``base``: the mutated project(s) ``roots`` (default
    ``base/project``) with their ``mutations``, and the sentinel project."""
    failures = list(out.failures)
    result = out.result
    if result is None:
        return failures
    diags = result.diagnostics
    for d in diags:
        if d.rule == "internal-error":
            failures.append(f"internal-error: {d.path}: {d.message}")
        if d.line < 1 or d.column < 1:
            failures.append(f"diagnostic without a position: {d.path}:{d.line}:{d.column} [{d.rule}]")
    named = {Path(os.path.abspath(d.path)) for d in diags if d.rule in ("io-error", "parse-error") and d.line >= 1}
    roots = roots or [base / "project"]
    for root in roots:
        for path, why in _expected_broken(root).items():
            if Path(os.path.abspath(path)) not in named:
                failures.append(f"{path.relative_to(base)} is broken ({why}) but no io-error/parse-error names it")
    for mutation in [*([mutation] if mutation is not None else []), *mutations]:
        if not mutation.must_report or mutation.path is None:
            continue
        p = Path(os.path.abspath(mutation.path))
        # a path that is not something twilint checks (an asset, a README) need not be named
        from twilint.project import BUILD_DIRS, SKIP_DIRS, file_kind

        checked = file_kind(p.name) in CHECKED_KINDS
        # (build output and skipped folders are not checked: twilint lints the sources)
        checked = checked and not any(part in BUILD_DIRS or part in SKIP_DIRS for part in p.relative_to(base).parts[:-1])
        if checked and p not in {Path(os.path.abspath(d.path)) for d in diags} and not _excluded_or_skipped(result, p):
            failures.append(f"{mutation.desc}: {p.relative_to(base)} is named by no diagnostic")
    # every other file is still checked: the sentinels
    sentinel = (base / "sentinel" / "functions" / "hello.js").absolute()
    if not any(Path(d.path).absolute() == sentinel and d.rule == SENTINEL_RULE for d in diags):
        failures.append("the sentinel project's finding is missing")
    projects = {p.root.absolute(): p for p in result.projects}
    for root in roots:
        proj = projects.get(root.absolute())
        fdir = _functions_dir(root)
        config_failed = proj is not None and (proj.config_error is not None or any(
            e.startswith(str(proj.root) + os.sep) for e in result.errors))  # (an invalid twilint config: not checked)
        if proj is not None and fdir is not None and proj.is_twilio and not config_failed:
            s = (fdir / SENTINEL_NAME).absolute()
            if any(f.absolute() == s for f in proj.targets) and not any(
                Path(d.path).absolute() == s and d.rule == SENTINEL_RULE for d in diags
            ) and not any(d.rule == SENTINEL_RULE and Path(d.path).absolute() == s for d in result.fixed):
                failures.append(f"the sentinel function in {root.name} was not reported")
    for fmt, text in out.reports.items():
        if OUTSIDE_SECRET in text:
            failures.append(f"--format {fmt} shows the content of a file outside the project")
    return failures


def _excluded_or_skipped(result, p: Path) -> bool:
    return any(Path(os.path.abspath(s)) == p for s, _ in result.skipped)


# -- fixes -------------------------------------------------------------------------------------


def snapshot(root: Path) -> dict[Path, bytes]:
    out = {}
    for p in project_files(root):
        try:
            if p.is_file() and not p.is_symlink():
                out[p] = p.read_bytes()
        except OSError:
            pass
    return out


def unchanged_outside_edits(before: bytes, edits, after: bytes, newline: bytes) -> str | None:
    """None when ``after`` is ``before`` with exactly ``edits`` applied and nothing else changed:
    every byte outside the edited spans is where it should be. Written independently of
    ``twilint.fixes.apply_edits``."""
    pos_b = pos_a = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        seg = before[pos_b:e.start]
        if after[pos_a:pos_a + len(seg)] != seg:
            return f"bytes {pos_b}..{e.start} outside the edits changed"
        pos_a += len(seg)
        text = e.text
        if newline != b"\n":
            text = text.replace(b"\r\n", b"\n").replace(b"\n", newline)
        if after[pos_a:pos_a + len(text)] != text:
            return f"the edit at {e.start}..{e.end} was not applied as given"
        pos_a += len(text)
        pos_b = e.end
    if after[pos_a:] != before[pos_b:]:
        return f"bytes after {pos_b} outside the edits changed"
    return None


def check_fix_invariants(base: Path, before: dict[Path, bytes], out: Outcome) -> tuple[list[str], int]:
    """After ``--fix --unsafe-fixes``: every written file was changed only inside its edits,
    re-parses with no new errors, passes the strict check, and a second run changes nothing.
    Returns the failures and how many files were verified."""
    from twilint.fixes import strict_validate, syntax_problems
    from twilint.sources.text import decode

    failures = list(out.failures)
    result = out.result
    if result is None:
        return failures, 0
    verified = 0
    strict_pairs = []
    for path in result.changed_files:
        path = Path(path)
        real = Path(os.path.realpath(path))
        if "node_modules" in real.parts:
            failures.append(f"wrote into node_modules: {path}")
        if not _inside(path, base):
            failures.append(f"wrote outside the input: {path}")
        old_raw = before.get(path)
        new_raw = path.read_bytes()
        if old_raw is None:  # a created file
            continue
        passes = result.fix_passes.get(path)
        if not passes:
            failures.append(f"{path}: written but no edits recorded")
            continue
        old_data, old_info = decode(old_raw)
        new_data, new_info = decode(new_raw)
        if (old_info.bom, old_info.encoding) != (new_info.bom, new_info.encoding):
            failures.append(f"{path}: encoding or BOM changed")
        if passes[0][0] != old_data:
            failures.append(f"{path}: the first fix pass did not start from the file on disk")
        for i, (data, edits) in enumerate(passes):
            nxt = passes[i + 1][0] if i + 1 < len(passes) else new_data
            problem = unchanged_outside_edits(data, edits, nxt, old_info.newline)
            if problem:
                failures.append(f"{path}: pass {i + 1}: {problem}")
        # re-parse: no new problems (a fresh read, as a second run would see it)
        from twilint.project import discover

        disc = discover([path])
        for project in disc.projects.values():
            f_new = project.files.get(Path(os.path.abspath(path)))
            if f_new is None:
                continue
            f_old = f_new.with_data(old_data)
            a, b = syntax_problems(f_old), syntax_problems(f_new)
            if a is not None and b is not None and b > a:
                failures.append(f"{path}: the fix added syntax problems ({a} -> {b})")
            if f_new.kind == "js":
                strict_pairs.append((path, old_data, new_data, path.suffix == ".mjs"))
        verified += 1
    if strict_pairs:
        errs = strict_validate([(o, n, m) for _, o, n, m in strict_pairs])
        for (path, *_), err in zip(strict_pairs, errs):
            if err:
                failures.append(f"{path}: fails the strict check after the fix: {err}")
    return failures, verified


def second_run_changes_nothing(base: Path, paths: list[Path], select: list[str] | None = None) -> list[str]:
    before = snapshot(base)
    out = run_all_formats(paths, mode="fix", unsafe=True, select=select)
    failures = list(out.failures)
    after = snapshot(base)
    if out.result is not None and out.result.changed_files:
        failures.append(f"a second --fix run changed {[str(p) for p in out.result.changed_files]}")
    if before != after:
        changed = sorted(str(p) for p in set(before) | set(after) if before.get(p) != after.get(p))
        failures.append(f"a second --fix run changed bytes on disk: {changed}")
    return failures


# -- one input, many inputs -----------------------------------------------------------------


def fuzz_one(seed: int, workdir: Path, fix: bool = False) -> tuple[list[str], str, int]:
    """Make input ``seed`` in ``workdir``, run it, return (failures, description, fixes verified)."""
    rng = random.Random(seed)
    base, mutation = make_input(rng, workdir)
    desc = f"seed {seed}: {mutation.desc}"
    try:
        out = run_all_formats([base], cwd=workdir)
        failures = check_invariants(base, out, mutation)
        verified = 0
        if fix and not failures:
            before = snapshot(base)
            out = run_all_formats([base], mode="fix", unsafe=True, cwd=workdir)
            f2, verified = check_fix_invariants(base, before, out)
            failures += f2
            if not f2 and out.result is not None and out.result.changed_files:
                failures += second_run_changes_nothing(base, [base])
            failures += [x for x in check_invariants(base, out, None) if "sentinel" not in x]
    finally:
        _restore_permissions(workdir)
    return failures, desc, verified


# -- migrations ------------------------------------------------------------------------------

MIGRATION_RECIPES = ("node22", "node24", "legacy-config", "classic")
CLASSIC_EXPORTS = FIXTURES / "migrate-classic"


def _parses(path: Path, data: bytes) -> bool | None:
    """Does ``data`` (UTF-8, as decoded) parse as what the file at ``path`` is? None for a kind
    of file this check does not judge."""
    from twilint.sources.json5 import parse_json5
    from twilint.sources.values import ValueSyntaxError
    from twilint.sources.yaml_values import parse_yaml

    name = path.name
    try:
        if name.endswith(".json") and name != ".twilioserverlessrc.json" or name == ".twiliodeployinfo":
            json.loads(data.decode("utf-8"))
        elif name in (".twilioserverlessrc", ".twilioserverlessrc.json"):
            parse_json5(data)
        elif name.endswith((".yaml", ".yml")):
            parse_yaml(data)
        else:
            return None
    except (ValueError, ValueSyntaxError, RecursionError):
        return False
    return True


def _plans(base: Path, recipe: str, delete_old: bool):
    """(plans, errors) of `twilint migrate` RECIPE for ``base``, as its command makes them
    ("node22" and "node24" are `migrate node22 --to ...`)."""
    if recipe == "legacy-config":
        from twilint.migrate.legacy_config import find_legacy, plan_for

        found, missing = find_legacy([base])
        return [plan_for(p, None, delete_old) for p in found], missing
    if recipe == "classic":  # (``base`` holds the export, ``project``; the project goes to ``out``)
        from twilint.migrate.classic import plan_for

        out = base / "out"
        return [plan_for(base / "project", out, None, None, force=os.path.isdir(out), fix=True)], []  # (again: --force)
    from twilint.migrate.node22 import build_plans

    return build_plans([base], recipe)


def check_migration(base: Path, outside: Path, recipe: str, delete_old: bool = False) -> tuple[list[str], int]:
    """`twilint migrate` RECIPE (write mode, in-process) on ``base``: nothing escapes, the exit
    code is 0, 1 or 2, nothing outside ``base`` or in node_modules changes (for "classic",
    nothing outside ``base/out``: the export is only read), nothing is deleted but a legacy
    config with ``delete_old``, every edited file keeps its encoding, BOM and CRLF line endings,
    still parses (JavaScript by the strict check, JSON, JSON5 and YAML by twilint's parsers)
    when it parsed before, and a second run plans nothing. Returns the failures and how many
    written files were verified."""
    from twilint.fixes import strict_validate
    from twilint.migrate.base import execute
    from twilint.sources.text import DecodeError, decode

    failures: list[str] = []
    before, before_outside = snapshot(base), snapshot(outside)
    try:
        plans, errors = _plans(base, recipe, delete_old)
        code = execute(plans, "write", None, True, io.StringIO(), io.StringIO())
    except BaseException as exc:  # the invariant: nothing escapes
        import traceback

        return ["traceback:\n" + "".join(traceback.format_exception(exc))[-4000:]], 0
    if code not in (0, 1, 2):
        failures.append(f"exit code {code}")
    if snapshot(outside) != before_outside:
        failures.append("a file outside the input changed")
    after = snapshot(base)
    verified = 0
    strict = []
    exported = set(before.values()) if recipe == "classic" else set()
    exported_by_name = {p.name: data for p, data in before.items()} if recipe == "classic" else {}
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        if "node_modules" in Path(os.path.realpath(path)).parts:
            failures.append(f"wrote into node_modules: {path}")
        if recipe == "classic" and base / "out" not in path.parents:
            failures.append(f"changed {path}, outside the output folder")
        if old is None and recipe == "classic" and path.relative_to(base / "out").parts[0] in ("functions", "assets"):
            # a Classic function or asset is copied as it is, broken or binary: judged against
            # its source in the export (the same name, less `.private`/`.protected`); the
            # project files (package.json, .env, config) are made, so judged on their own
            if new in exported:
                continue
            old = exported_by_name.get(path.name.replace(".private", "").replace(".protected", ""))
        if new is None:
            if not (delete_old and path.name == ".twilio-functions"):
                failures.append(f"deleted {path}")
            continue
        try:
            new_data, new_info = decode(new)
        except DecodeError as exc:
            failures.append(f"{path}: written as undecodable text ({exc})")
            continue
        if old is not None:
            try:
                old_data, old_info = decode(old)
            except DecodeError:
                failures.append(f"{path}: edited although it could not be decoded")
                continue
            if (old_info.bom, old_info.encoding) != (new_info.bom, new_info.encoding):
                failures.append(f"{path}: encoding or BOM changed")
            if old_data.count(b"\r\n") and not new_data.count(b"\r\n"):
                failures.append(f"{path}: CRLF line endings lost")
        else:
            old_data = None
        kind = _parses(path, new_data)
        if kind is False and (old_data is None or _parses(path, old_data)):
            failures.append(f"{path}: no longer parses after the migration")
        if path.suffix in (".js", ".cjs", ".mjs"):
            strict.append((path, old_data if old_data is not None else b"", new_data, path.suffix == ".mjs"))
        verified += 1
    for (path, *_), err in zip(strict, strict_validate([(o, n, m) for _, o, n, m in strict])):
        if err:
            failures.append(f"{path}: fails the strict check after the migration: {err}")
    if not failures and code == 0 and not errors and not any(p.errors for p in plans):
        try:
            again, _ = _plans(base, recipe, delete_old)
        except BaseException as exc:
            import traceback

            return ["second run, traceback:\n" + "".join(traceback.format_exception(exc))[-4000:]], verified
        pending = [f"{c.path} ({c.description})" for p in again for c in p.changes]
        if pending:
            failures.append(f"a second run would change {pending}")
    return failures, verified


def fuzz_migrate(seed: int, workdir: Path) -> tuple[list[str], str, int]:
    """Make input ``seed`` in ``workdir`` and migrate it: `migrate node22` to node22 or node24,
    `migrate legacy-config` (with --delete-old every other time), or `migrate classic` (a
    mutated Classic export into a new folder), by seed. Half the legacy-config inputs are
    mutations of a project that has a legacy config."""
    rng = random.Random(seed)
    recipe = MIGRATION_RECIPES[seed % len(MIGRATION_RECIPES)]
    project = None
    if recipe == "legacy-config" and rng.random() < 0.5:
        project = rng.choice([p for p in fixture_projects() if (p / ".twilio-functions").is_file()])
    elif recipe == "classic":
        project = rng.choice(sorted(p for p in CLASSIC_EXPORTS.iterdir() if p.is_dir()))
    base, mutation = make_input(rng, workdir, project)
    delete_old = recipe == "legacy-config" and seed % 2 == 0
    desc = f"seed {seed}: {mutation.desc}; migrate {recipe}{' --delete-old' if delete_old else ''}"
    try:
        failures, verified = check_migration(base, workdir / "outside", recipe, delete_old)
    finally:
        _restore_permissions(workdir)
    return failures, desc, verified


def _restore_permissions(d: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(d):
        for n in dirnames + filenames:
            p = os.path.join(dirpath, n)
            if not os.path.islink(p):
                try:
                    os.chmod(p, 0o755 if os.path.isdir(p) else 0o644)
                except OSError:
                    pass


def main(argv: list[str] | None = None) -> int:
    import argparse
    import tempfile
    import time

    ap = argparse.ArgumentParser(description="twilint's mutation fuzzer (issue 10)")
    ap.add_argument("--examples", type=int, default=int(os.environ.get("TWILINT_FUZZ_EXAMPLES", "500")))
    ap.add_argument("--seed", type=int, default=0, help="first seed; input i uses seed + i")
    ap.add_argument("--fix", action="store_true", help="also run --fix --unsafe-fixes and check the fix invariants")
    ap.add_argument("--migrate", action="store_true", help="run the migrations (node22, node24, legacy-config, classic) instead")
    ap.add_argument("--stop", action="store_true", help="stop at the first failure")
    args = ap.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    failed = 0
    verified = 0
    t0 = time.monotonic()
    for i in range(args.examples):
        seed = args.seed + i
        t1 = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="twilint-fuzz-") as tmp:
            if args.migrate:
                failures, desc, v = fuzz_migrate(seed, Path(tmp))
            else:
                failures, desc, v = fuzz_one(seed, Path(tmp), fix=args.fix)
        verified += v
        if time.monotonic() - t1 > 5:
            print(f"slow ({time.monotonic() - t1:.0f} s): {desc}")
        if failures:
            failed += 1
            print(f"FAIL {desc}")
            for f in failures:
                print("   ", f.replace("\n", "\n    "))
            if args.stop:
                break
        elif (i + 1) % 50 == 0:
            print(f"{i + 1} inputs, {failed} failing, {verified} fixed files verified, {time.monotonic() - t0:.0f} s")
    print(f"ran {i + 1} inputs: {failed} failing; {verified} fixed files verified; {time.monotonic() - t0:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    raise SystemExit(main())
