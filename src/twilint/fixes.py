"""Applying fixes: byte-range splices, bounded passes, validation, atomic writes.

Nothing is written unless the fixed file (1) re-parses with no new syntax errors, (2) reaches a
fixed point (one more pass changes nothing), and (3) for JavaScript, passes a strict check (V8
through ``node`` when it is on PATH, else esprima-fork) whenever the original did.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from twilint.model import SAFE, Diagnostic, Edit
from twilint.records import field, record
from twilint.sources.text import encode

MAX_PASSES = 10


@record
class FixOutcome:
    file: object  # the original SourceFile
    new: object | None = None  # the fixed SourceFile, None when nothing (valid) changed
    applied: list[Diagnostic] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (rule, reason)
    # The applied passes, in order: (the UTF-8 buffer the pass started from, its edits). The
    # edits are relative to that buffer; the next pass starts from its result.
    passes: list[tuple[bytes, list[Edit]]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.new is not None and self.new.data != self.file.data


def applicable(d: Diagnostic, unsafe: bool) -> bool:
    return d.fix is not None and (d.fix.safety == SAFE or unsafe)


def apply_edits(data: bytes, edits: list[Edit], newline: bytes = b"\n") -> bytes:
    """Apply non-overlapping edits back to front."""
    out = data
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = e.text
        if newline != b"\n" and b"\n" in text:
            text = text.replace(b"\r\n", b"\n").replace(b"\n", newline)
        out = out[: e.start] + text + out[e.end :]
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:
        return a[0] <= b[1] and b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]


def choose(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Fixes that do not overlap each other, first come first served; the rest wait a pass."""
    chosen: list[Diagnostic] = []
    spans: list[tuple[int, int]] = []
    for d in sorted(diags, key=lambda d: (d.fix.span, d.rule)):
        edit_spans = [(e.start, e.end) for e in d.fix.edits]
        if any(_overlaps(s, t) for s in edit_spans for t in spans):
            continue
        # edits of one fix must not overlap each other either
        if any(_overlaps(s, t) for i, s in enumerate(edit_spans) for t in edit_spans[i + 1 :]):
            continue
        chosen.append(d)
        spans.extend(edit_spans)
    return chosen


def syntax_problems(file) -> int | None:
    """How broken a file is: a count of problems, None when it cannot be judged."""
    if not file.ok:
        return None
    if file.kind in ("js", "ts"):
        return len(file.js.problems)
    if file.kind == "env":
        return len(file.env.problems)
    if file.kind in ("package.json", "serverless-config", "deployinfo", "legacy-config", "lockfile"):
        if file.kind == "lockfile" and file.path.name == "yarn.lock":
            return 0
        return 1 if file.value_error is not None else 0
    return 0


def regressed(old, new) -> str | None:
    a, b = syntax_problems(old), syntax_problems(new)
    if a is None or b is None:
        return None
    if b > a:
        if new.kind in ("js", "ts") and new.js.problems:
            p = new.js.problems[0]
            line, col = new.lines.line_col(p.offset)
            return f"the fix would introduce a syntax error at {line}:{col}: {p.message}"
        err = new.value_error if new.kind not in ("js", "ts", "env") else None
        if err is not None:
            line, col = new.lines.line_col(err.offset)
            return f"the fix would break the file at {line}:{col}: {err.message}"
        return "the fix would introduce a syntax error"
    return None


def fix_file(file, relint, unsafe: bool) -> FixOutcome:
    """Fix one file in bounded passes. ``relint(source_file)`` returns its diagnostics."""
    out = FixOutcome(file)
    current = file
    project = file.project
    refused_keys: set[tuple[str, int, int]] = set()
    try:
        for _ in range(MAX_PASSES):
            diags = [
                d for d in relint(current)
                if applicable(d, unsafe) and d.fix.edits and (d.rule, d.start, d.end) not in refused_keys
            ]
            if not diags:
                break
            chosen = choose(diags)
            cand = _apply(current, chosen)
            problem = regressed(current, cand) if cand is not None else None
            if problem is not None:
                # Find the culprits one fix at a time; keep the fixes that are fine.
                good = []
                for d in chosen:
                    single = _apply(current, [d])
                    p = regressed(current, single) if single is not None else None
                    if p is None and single is not None:
                        good.append(d)
                    else:
                        out.refused.append((d.rule, p or "the fix changes nothing"))
                        refused_keys.add((d.rule, d.start, d.end))
                chosen = good
                cand = _apply(current, chosen) if chosen else None
                if cand is not None and regressed(current, cand) is not None:
                    for d in chosen:
                        out.refused.append((d.rule, "the fixes together would break the file"))
                    cand = None
            if cand is None or cand.data == current.data:
                break
            out.applied.extend(chosen)
            out.passes.append((current.data, [e for d in chosen for e in d.fix.edits]))
            current = cand
            project.replace(current)
        else:
            remaining = [d for d in relint(current) if applicable(d, unsafe) and d.fix.edits]
            if remaining:
                rules = sorted({d.rule for d in remaining})
                for r in rules:
                    out.refused.append((r, f"fixes did not converge after {MAX_PASSES} passes; nothing written"))
                out.applied = []
                out.passes = []
                return out
    finally:
        project.replace(file)
    if current is not file and current.data != file.data:
        out.new = current
    return out


def _apply(current, chosen: list[Diagnostic]):
    if not chosen:
        return None
    edits = [e for d in chosen for e in d.fix.edits]
    data = apply_edits(current.data, edits, current.text_info.newline)
    return current.with_data(data)


# -- fixes that create a file -----------------------------------------------------------------


@record
class Creation:
    """A new file to write, and the diagnostics whose fixes it applies."""

    project: object
    file: object  # the new SourceFile (kind from its name, role "project" or "other")
    applied: list[Diagnostic] = field(default_factory=list)


def _adopt(project, new) -> tuple:
    """Make ``new`` part of ``project`` (a target; the Toolkit config when there was none).
    Returns what ``_unadopt`` needs to undo it."""
    saved = (project.serverless_config_file,)
    project.files[new.path] = new
    project.targets.add(new.path)
    if new.kind == "serverless-config" and project.serverless_config_file is None:
        project.serverless_config_file = new
    return saved


def _unadopt(project, new, saved) -> None:
    project.files.pop(new.path, None)
    project.targets.discard(new.path)
    project.serverless_config_file = saved[0]


def plan_creations(project, diags: list[Diagnostic], unsafe: bool, relint) -> tuple[list[Creation], list[tuple[Path, str, str]]]:
    """The file creations among ``diags``' fixes, validated: the path is inside the project and
    does not exist, the contents parse as their kind, and with the file in place the rule no
    longer asks for it (a fixed point). ``relint(source_file)`` returns a file's diagnostics."""
    from twilint.project import SourceFile, deploy_script_kind, file_kind

    creations: dict[Path, Creation] = {}
    refused: list[tuple[Path, str, str]] = []
    for d in diags:
        if not applicable(d, unsafe) or d.fix.create is None:
            continue
        nf = d.fix.create
        path = Path(os.path.abspath(nf.path))
        if path in creations:
            if creations[path].file.data == nf.text:
                creations[path].applied.append(d)
            else:
                refused.append((path, d.rule, "another fix creates the same file with other contents"))
            continue
        if project.root != path.parent and project.root not in path.parents:
            refused.append((path, d.rule, "the file to create is outside the project"))
            continue
        if os.path.lexists(path) or path in project.files:
            refused.append((path, d.rule, "the file to create already exists; nothing written"))
            continue
        rel = path.relative_to(project.root).as_posix()
        kind = file_kind(path.name) or deploy_script_kind(rel)
        if kind is None:
            refused.append((path, d.rule, "twilint cannot check a file of this kind; nothing written"))
            continue
        new = SourceFile(path, project, kind, "project" if path.parent == project.root else "other", nf.text)
        if syntax_problems(new):
            refused.append((path, d.rule, "the file to create does not parse; nothing written"))
            continue
        saved = _adopt(project, new)
        try:
            again = [x for x in relint(d.file) if x.rule == d.rule and x.fix is not None and x.fix.create is not None]
        finally:
            _unadopt(project, new, saved)
        if again:
            refused.append((path, d.rule, "the created file would not satisfy the rule; nothing written"))
            continue
        creations[path] = Creation(project, new, [d])
    return list(creations.values()), refused


def adopt_created(creation: Creation) -> None:
    _adopt(creation.project, creation.file)


def create_atomic(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data`` atomically and without replacing anything: a temporary file
    in the same folder, fsync, mode from the umask, then a hard link (which fails if the name
    exists) or, where links are not supported, a rename after a last existence check."""
    target = Path(os.path.abspath(path))
    fd, tmp = _temp_file(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise
        except OSError:
            if os.path.lexists(target):
                raise FileExistsError(str(target)) from None
            os.replace(tmp, target)
            return
        os.unlink(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# -- strict JavaScript validation -----------------------------------------------------------

_NODE_CHECK = r"""
const vm = require('vm');
const Module = require('module');
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
  const items = JSON.parse(input);
  const out = items.map(({ src, module }) => check(src, module));
  process.stdout.write(JSON.stringify(out));
});
function stripHashbang(src) { return src.startsWith('#!') ? '//' + src.slice(2) : src; }
function check(src, module) {
  src = stripHashbang(src);
  let first = null;
  if (!module) {
    try { new vm.Script(Module.wrap(src), { filename: 'fixed.js' }); return null; }
    catch (e) { if (!(e instanceof SyntaxError)) return null; first = e.message; }
  }
  if (typeof vm.SourceTextModule === 'function') {
    try { new vm.SourceTextModule(src); return null; }
    catch (e) { if (!(e instanceof SyntaxError)) return null; return first || e.message; }
  }
  return first || 'SyntaxError';
}
"""


def _strict_errors_node(node: str, sources: list[tuple[str, bool]]) -> list[str | None] | None:
    import json

    payload = json.dumps([{"src": s, "module": m} for s, m in sources])
    try:
        res = subprocess.run(
            [node, "--experimental-vm-modules", "--no-warnings", "-e", _NODE_CHECK],
            input=payload.encode("utf-8"),
            capture_output=True,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if res.returncode != 0:
        return None
    try:
        return json.loads(res.stdout.decode("utf-8"))
    except ValueError:
        return None


def _strict_errors_esprima(sources: list[tuple[str, bool]]) -> list[str | None]:
    import esprima

    out: list[str | None] = []
    for src, module in sources:
        if src.startswith("#!"):
            src = "//" + src[2:]
        err = None
        attempts = [(esprima.parseModule, src)] if module else [
            # CommonJS: the module wrapper makes a top-level `return` legal, as in Node
            (esprima.parseScript, "(function (exports, require, module, __filename, __dirname) {" + src + "\n})"),
            (esprima.parseModule, src),
        ]
        for parse, text in attempts:
            try:
                parse(text)
                err = None
                break
            except RecursionError:
                err = "nested too deeply to check"
            except Exception as exc:  # esprima raises its own Error class
                err = str(exc)
        out.append(err)
    return out


def strict_validate(pairs: list[tuple[bytes, bytes, bool]]) -> list[str | None]:
    """For each (old, new, is_module), the strict-check error that ``new`` introduces, if any.

    One ``node`` process checks the whole batch; without node, esprima-fork does.
    """
    if not pairs:
        return []
    sources: list[tuple[str, bool]] = []
    for old, new, module in pairs:
        sources.append((old.decode("utf-8"), module))
        sources.append((new.decode("utf-8"), module))
    node = os.environ.get("TWILINT_NODE") or shutil.which("node")
    if os.environ.get("TWILINT_NO_NODE"):
        node = None
    results = _strict_errors_node(node, sources) if node else None
    if results is None:
        results = _strict_errors_esprima(sources)
    out: list[str | None] = []
    for i in range(len(pairs)):
        old_err, new_err = results[2 * i], results[2 * i + 1]
        out.append(new_err if new_err and not old_err else None)
    return out


def strict_checker_name() -> str:
    if os.environ.get("TWILINT_NO_NODE"):
        return "esprima-fork"
    return "node" if (os.environ.get("TWILINT_NODE") or shutil.which("node")) else "esprima-fork"


# -- writing ---------------------------------------------------------------------------------


def _temp_file(target: Path) -> tuple[int, str]:
    """A new temporary file next to ``target``: `.<name>.<pid>-<random>.twilint-tmp`. The pid lets
    a later run tell a file a killed run left behind from one a running twilint is writing."""
    from twilint.project import TEMP_SUFFIX

    return tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=TEMP_SUFFIX, dir=target.parent)


_TEMP_NAME = re.compile(r"^\..+\.(\d+)-[A-Za-z0-9_]+\.twilint-tmp$")


def remove_stale_temp_files(paths) -> list[Path]:
    """Delete the temporary files (``_temp_file``) whose twilint process no longer runs: what a run
    killed between writing the temporary file and renaming it leaves behind. Files of a process
    that still runs, and files not named exactly like ours, are left alone. Returns those removed."""
    removed = []
    for p in paths:
        m = _TEMP_NAME.match(Path(p).name)
        if m is None or not os.path.isfile(p) or os.path.islink(p):
            continue
        pid = int(m.group(1))
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
            continue  # still running (or another user's process): not ours to remove
        except ProcessLookupError:
            pass
        except (PermissionError, OverflowError, OSError):
            continue
        try:
            os.unlink(p)
            removed.append(Path(p))
        except OSError:
            pass
    return removed


def write_refusal(path: Path, root: Path) -> str | None:
    """Why twilint must not write ``path`` (resolved through symbolic links) for the project at
    ``root``, or None: it never writes into ``node_modules`` or outside the project."""
    from twilint.project import within

    real = Path(os.path.realpath(path.parent)) / path.name if not os.path.lexists(path) else Path(os.path.realpath(path))
    if "node_modules" in real.parts:
        return "the file is in node_modules (or a symbolic link into it); twilint never writes there"
    if not within(real.parent, root):
        return "the file resolves outside the project; nothing written"
    return None


def write_atomic(path: Path, data: bytes, info) -> None:
    """Write ``data`` (UTF-8 buffer) back in the file's own encoding, BOM and mode, atomically:
    a temporary file in the same folder, fsync, then rename over the original."""
    target = Path(os.path.realpath(path))
    payload = encode(data, info)
    st = os.stat(target)
    fd, tmp = _temp_file(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, st.st_mode & 0o7777)
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except (PermissionError, AttributeError):
            pass
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
