"""The start-up and warm-run speed-ups (issue: warm run 5x faster than cold) change no output.

* A run served from the cache reads the rules from a generated manifest (``rules/_manifest.py``)
  instead of importing every rule module, and imports no parser, no click, no catalogue.
* Discovery reads ``package.json`` with Python's ``json`` module where that gives what the Value
  parse gives, and works on path strings.
* The cache key needs no facts catalogue (``cache.KeyFacts``), the code fingerprint is remembered
  with the stat of the files it hashes, and the key of a project is computed once a run.
* `twilint check` parses a plain command line without click; anything else goes to click.
* Reporters write in blocks and compute display paths and code frames more cheaply.

Every shortcut is compared here with the long way it replaces.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, run_cli, write_tree
from twilint import cache

HANDLER = "exports.handler = (c, event, cb) => {\n  cb(null, event.request.headers.Authorization);\n};\n"


# -- the rules manifest --------------------------------------------------------------------------


def test_manifest_is_generated_from_the_rules_and_current():
    from twilint.rules import _manifest, all_rules, render_manifest, rule_modules

    path = REPO / "src" / "twilint" / "rules" / "_manifest.py"
    assert path.read_text("utf-8") == render_manifest(), "stale manifest: run `python -m twilint.docs`"
    rules = all_rules()
    assert list(_manifest.MODULES) == rule_modules()
    assert [(n, s, tuple(k)) for n, s, k in _manifest.RULES] == [
        (r.name, r.severity.label, tuple(sorted(r.file_kinds))) for r in rules.values()
    ]


def test_manifest_check_lists_the_modules_as_the_registry_does():
    from twilint.rules import _listed_modules, rule_modules

    assert _listed_modules() == rule_modules()


def test_manifest_rules_match_the_registry_in_a_fresh_process():
    code = (
        "import sys\n"
        "from twilint.rules import manifest_rules\n"
        "m = manifest_rules()\n"
        "assert m is not None\n"
        "assert not [k for k in sys.modules if k.startswith('twilint.rules.') and k != 'twilint.rules._manifest']\n"
        "from twilint.rules import all_rules\n"
        "r = all_rules()\n"
        "assert list(m) == list(r)\n"
        "assert all(m[n].severity == r[n].severity and m[n].file_kinds == r[n].file_kinds for n in r)\n"
        "print('ok')\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=REPO)
    assert res.returncode == 0 and res.stdout.strip() == b"ok", res.stderr.decode()


def test_stale_manifest_fails_the_docs_check(tmp_path):
    import shutil

    from twilint import docs

    shutil.copy(REPO / "README.md", tmp_path / "README.md")
    for path, content in docs.generated_files(tmp_path).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
    assert docs.out_of_date(tmp_path) == []
    manifest = tmp_path / docs.MANIFEST
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace("('parse-error', 'error'", "('parse-error', 'warning'"), "utf-8")
    assert docs.out_of_date(tmp_path) == [manifest]


def test_manifest_is_not_used_when_the_rule_modules_differ(monkeypatch):
    from twilint import rules

    monkeypatch.setattr(rules, "_RULES", None)
    assert rules.manifest_rules() is not None
    monkeypatch.setattr(rules, "_listed_modules", lambda: rules.rule_modules() + ["brand_new_rule"])
    assert rules.manifest_rules() is None


# -- what a warm run loads -----------------------------------------------------------------------


def _project(root: Path, extra: dict | None = None) -> Path:
    return write_tree(root, {
        "package.json": json.dumps({"dependencies": {"@twilio/runtime-handler": "^2.0.1", "twilio": "^5.0.0"}}),
        ".twilioserverlessrc": '{ "runtime": "node22" }\n',
        "functions/a.js": HANDLER,
        "functions/b.protected.js": HANDLER.replace("Authorization", "authorization"),
        "assets/x.private.js": "module.exports = 1;\n",
        ".env": "ACCOUNT_SID=AC00000000000000000000000000000000\n",
        **(extra or {}),
    })


WARM_PROBE = """
import sys
sys.argv = ["twilint", "check", "--cache-dir", sys.argv[1], "--exit-zero", *sys.argv[2:]]
from twilint.cli import main
try:
    main()
except SystemExit:
    pass
loaded = sorted(m for m in sys.modules if m.startswith(("twilint.rules.", "tree_sitter", "click", "tomllib",
                                                         "twilint.fixes", "twilint.facts", "hashlib", "rich",
                                                         "typing", "json")))
sys.stderr.write("LOADED " + " ".join(loaded) + "\\n")
"""


def test_warm_run_imports_no_rule_parser_click_or_catalogue(tmp_path):
    """(nor json: the cache's files are read without it, and a project with a `functions`
    folder needs no parse of its package.json)"""
    root = _project(tmp_path / "p")
    cache_dir = tmp_path / "cache"
    first = run_cli("check", "--cache-dir", str(cache_dir), "--exit-zero", str(root))
    assert first.returncode == 0
    probe = tmp_path / "probe.py"
    probe.write_text(WARM_PROBE)
    res = subprocess.run([sys.executable, str(probe), str(cache_dir), str(root)], capture_output=True,
                         env={**os.environ, "NO_COLOR": "1"})
    err = res.stderr.decode()
    loaded = err.rsplit("LOADED ", 1)[1].split()
    assert loaded == ["twilint.rules._manifest"], err
    assert res.stdout == first.stdout


def test_warm_output_equals_cold_output_in_every_format(tmp_path):
    root = _project(tmp_path / "p")
    broken = write_tree(tmp_path / "q", {
        "package.json": '{ "dependencies": { "twilio": "^5.0.0", }, // JSON5-ish\n}',
        "functions/c.js": HANDLER,
    })
    args = [str(root), str(broken), str(root / "functions" / "a.js")]
    for fmt in ("text", "json", "sarif", "github", "junit", "gitlab"):
        cold = run_cli("check", "--no-cache", "--format", fmt, *args)
        fill = run_cli("check", "--cache-dir", str(tmp_path / f"c-{fmt}"), "--format", fmt, *args)
        warm = run_cli("check", "--cache-dir", str(tmp_path / f"c-{fmt}"), "--format", fmt, *args)
        assert (cold.returncode, cold.stdout, cold.stderr) == (fill.returncode, fill.stdout, fill.stderr), fmt
        assert (cold.returncode, cold.stdout, cold.stderr) == (warm.returncode, warm.stdout, warm.stderr), fmt


# -- package.json through Python's json ------------------------------------------------------------


def _reference(project):
    """What discovery read before: dependency names and the Toolkit folders through the Value parse."""
    from twilint.project import DEPENDENCY_FIELDS, _str_key

    names = set()
    for field in DEPENDENCY_FIELDS:
        d = project.dependencies(field)
        if d is not None:
            names.update(d.keys())
    pj = project.package_json
    has_cfg = pj is not None and pj.value is not None and pj.value.get("twilioserverless") is not None
    cfg = pj.value.get("twilioserverless") if has_cfg else None
    return names, has_cfg, _str_key(cfg, "functionsFolder"), _str_key(cfg, "assetsFolder")


def _fast(project):
    from twilint.project import _folder_keys

    pj = project.package_json
    has_cfg = project.serverless_config_file is pj and pj is not None
    fn, assets = _folder_keys(project) if has_cfg else (None, None)
    return project.dependency_names(), has_cfg, fn, assets


PACKAGE_JSONS = {
    "plain": '{"dependencies": {"twilio": "^5", "@twilio/runtime-handler": "2.0.1"}, "devDependencies": {"jest": "1"}}',
    "json5ish": '{\n  // comment\n  "dependencies": {"twilio": "^5",},\n}',
    "invalid": '{"dependencies": {"twilio": ',
    "empty": "",
    "array": '[{"dependencies": {"twilio": "1"}}]',
    "not an object": '{"dependencies": ["twilio"], "peerDependencies": "x"}',
    "duplicates": '{"dependencies": {"a": "1"}, "dependencies": {"b": "2", "b": "3"}}',
    "escapes": '{"dependencies": {"\\u0074wilio": "1", "tab\\tname": "2", "\\ud83d\\ude00": "3"}}',
    "nan": '{"dependencies": {"twilio": "1"}, "x": NaN}',
    "infinity": '{"dependencies": {"twilio": "1"}, "x": -Infinity}',
    "deep": '{"dependencies": {"twilio": "1"}, "x": ' + "[" * 450 + "]" * 450 + "}",
    "very deep": '{"dependencies": {"twilio": "1"}, "x": ' + "[" * 5000 + "]" * 5000 + "}",
    "config": '{"twilioserverless": {"functionsFolder": "src/fns", "assetsFolder": "public"}, "dependencies": {}}',
    "config null": '{"twilioserverless": null}',
    "config not strings": '{"twilioserverless": {"functionsFolder": 3, "assetsFolder": ""}}',
    "config in a string": '{"description": "\\"twilioserverless\\"", "dependencies": {"x": "1"}}',
    "bom": "\ufeff" + '{"dependencies": {"twilio": "1"}}',
    "control char": '{"dependencies": {"a\tb": "1"}}',
}


@pytest.mark.parametrize("name", sorted(PACKAGE_JSONS))
def test_package_json_fast_path_reads_what_the_value_parse_reads(tmp_path, name):
    from twilint.project import discover

    root = write_tree(tmp_path / "p", {"package.json": PACKAGE_JSONS[name], "functions/a.js": HANDLER,
                                       "src/fns/b.js": HANDLER, "public/x.txt": "x"})
    (project,) = discover([root]).projects.values()
    assert _fast(project) == _reference(project)
    _, has_cfg, fn, _ = _reference(project)
    assert project.functions_dirs == [(root / fn).resolve() if fn else root / "functions"]


def test_invalid_or_json5ish_package_json_still_makes_a_project(tmp_path):
    for name in ("json5ish", "invalid", "empty"):
        root = write_tree(tmp_path / name, {"package.json": PACKAGE_JSONS[name], "functions/a.js": HANDLER})
        res = run_cli("check", "--no-cache", "--format", "json", "--select", "parse-error", str(root))
        doc = json.loads(res.stdout)
        assert len(doc["projects"]) == 1 and len(doc["projects"][0]["functionsDirs"]) == 1
        assert any(d["rule"] == "parse-error" and d["path"].endswith("package.json") for d in doc["diagnostics"])


_json_keys = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_json_keys, inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=60)
@given(doc=st.dictionaries(st.sampled_from(["dependencies", "devDependencies", "optionalDependencies",
                                            "peerDependencies", "twilioserverless", "name"]) | _json_keys,
                           _json_values | st.dictionaries(_json_keys, st.text(max_size=4), max_size=4), max_size=6),
       indent=st.sampled_from([None, 2]))
def test_package_json_fast_path_on_generated_documents(tmp_path_factory, doc, indent):
    from twilint.project import discover

    root = tmp_path_factory.mktemp("gen")
    write_tree(root, {"package.json": json.dumps(doc, indent=indent, ensure_ascii=False), "functions/a.js": HANDLER})
    (project,) = discover([root]).projects.values()
    assert _fast(project) == _reference(project)


def test_json_depth_limit_is_the_value_parsers():
    from twilint import project
    from twilint.sources import jsonvalues

    assert project._JSON_MAX_DEPTH == jsonvalues.MAX_DEPTH


# -- discovery on path strings ---------------------------------------------------------------------


def test_realpath_of_folders_matches_os_realpath(tmp_path):
    from twilint.project import _realpath_dir

    real = write_tree(tmp_path / "real", {"a/b/c/x.txt": "x", "d/y.txt": "y"})
    (tmp_path / "link").symlink_to(real / "a")
    (real / "a" / "up").symlink_to("../d")
    (real / "loop").symlink_to("loop")
    cases = [real, real / "a", real / "a" / "b" / "c", tmp_path / "link" / "b", tmp_path / "link" / "up",
             real / "a" / "up", real / "missing" / "deeper", real / "loop", Path("/")]
    _realpath_dir.cache_clear()
    for c in cases:
        assert _realpath_dir(os.path.abspath(c)) == os.path.realpath(c), c


def test_rel_of_matches_pathlib():
    from twilint.project import _rel_of

    def reference(path: Path, root: Path) -> str:
        return path.relative_to(root).as_posix() if root in path.parents or path == root else path.name

    pairs = [("/a/b/c.js", "/a"), ("/a/b", "/a/b"), ("/a/bc/d", "/a/b"), ("/x/y", "/a"), ("/a/b", "/"),
             ("a/b/c.js", "a"), ("a/b", "."), ("c.js", "."), ("/", "/")]
    for p, r in pairs:
        assert _rel_of(Path(p), Path(r)) == reference(Path(p), Path(r)), (p, r)


def test_discovery_of_files_named_on_the_command_line_and_walked_agree(tmp_path, monkeypatch):
    from twilint.project import discover

    root = _project(tmp_path / "p", {"functions/deep/c.js": HANDLER, "scripts/deploy.sh": "twilio deploy\n",
                                     ".github/workflows/ci.yml": "on: push\n", "tests/t.js": "x\n",
                                     "node_modules/m/index.js": "x\n", "dist/out.js": "x\n"})
    walked = discover([root]).projects[root]
    monkeypatch.chdir(tmp_path)
    named = discover([Path("p") / f.rel for f in walked.files.values() if f.path in walked.targets]).projects[root]
    assert {f.rel: (f.kind, f.role) for f in named.files.values()} == {
        f.rel: (f.kind, f.role) for f in walked.files.values()}
    assert named.targets == walked.targets


# -- the cache key -----------------------------------------------------------------------------------


def test_key_facts_equal_the_real_facts(monkeypatch, tmp_path):
    from twilint.facts import load_facts

    cache.configure(enabled=True, directory=tmp_path / "cache")
    cache._code_state.cache_clear()
    try:
        for cfg, over in [(None, None), ({}, {}), ({"default-runtime": "node20"}, None),
                          ({"default-runtime-handler": "2.0.1"}, {"default-runtime": "node18"}),
                          ({"runtime-handler-versions": ["9.9.9"]}, {"default-runtime-handler": "1.2.3"})]:
            real = load_facts().with_overrides(cfg)
            real = real.with_overrides(over) if over else real
            kf = cache.KeyFacts(cfg, over)
            assert (kf.default_runtime, kf.default_handler) == (real.default_runtime, real.default_handler)
        cache._code_state.cache_clear()  # now from the remembered state
        kf = cache.KeyFacts(None, None)
        assert (kf.default_runtime, kf.default_handler) == (load_facts().default_runtime, load_facts().default_handler)
    finally:
        cache.configure(enabled=False)
        cache._code_state.cache_clear()


def test_catalogue_dir_is_the_facts_one():
    from twilint.facts import catalogue_dir

    pkg = os.path.dirname(os.path.realpath(cache.__file__))
    assert Path(cache._catalogue_dir(pkg)).resolve() == catalogue_dir().resolve()


def test_code_fingerprint_is_remembered_only_for_the_same_files(tmp_path):
    cache.configure(enabled=True, directory=tmp_path / "cache")
    cache._code_state.cache_clear()
    try:
        fp = cache.code_fingerprint()
        memo = tmp_path / "cache" / "code-state"
        _, stamp, fingerprint, runtime, handler = cache._unpack(memo.read_bytes(), "code")
        assert fingerprint == fp and cache._code_state()[1] == (runtime, handler)
        # a remembered state is used when the stat of every file is unchanged...
        memo.write_bytes(cache._pack("code", [stamp, "f" * 32, runtime, handler]))
        cache._code_state.cache_clear()
        assert cache.code_fingerprint() == "f" * 32
        # ...and recomputed (from the contents) when it is not
        memo.write_bytes(cache._pack("code", ["0" * 32, "f" * 32, runtime, handler]))
        cache._code_state.cache_clear()
        assert cache.code_fingerprint() == fp
        for bad in (b"not a state", cache._pack("code", [stamp, "f" * 32, runtime])):
            memo.write_bytes(bad)
            cache._code_state.cache_clear()
            assert cache.code_fingerprint() == fp
    finally:
        cache.configure(enabled=False)
        cache._code_state.cache_clear()


def test_key_is_computed_once_and_ignores_what_checking_adds(tmp_path):
    from twilint.engine import Selection, check_project_uncached, facts_for
    from twilint.project import discover
    from twilint.rules import all_rules

    root = _project(tmp_path / "p", {"functions/bundle.min.js": "var a=1;" * 1000})
    cache.configure(enabled=True, directory=tmp_path / "cache")
    try:
        (project,) = discover([root]).projects.values()
        rules = Selection().rules_for(project, all_rules())
        facts = facts_for(project)
        key = cache.project_key(project, rules, facts)
        before = list(project.skipped)
        check_project_uncached(project, rules, facts)
        assert project.skipped != before  # (the minified bundle)
        assert cache.project_key(project, rules, facts) == key
        (again,) = discover([root]).projects.values()
        assert cache.project_key(again, rules, facts) == key
        assert cache.project_key(again, rules[1:], facts) != key
        (root / "functions" / "a.js").write_text(HANDLER + "\n")
        (changed,) = discover([root]).projects.values()
        assert cache.project_key(changed, rules, facts) != key
    finally:
        cache.configure(enabled=False)


def test_parallel_cold_run_fills_entries_the_warm_run_finds(tmp_path, monkeypatch):
    """Workers store a project under the key of its lookup, also when checking it adds to
    ``skipped`` (a minified bundle): the next run is served from the cache."""
    from twilint import engine
    from twilint.runner import Options, run

    files = {f"functions/f{i}.js": HANDLER for i in range(12)}
    roots = [_project(tmp_path / f"p{n}", {**files, "functions/bundle.min.js": "var a=1;" * 1000}) for n in range(2)]
    monkeypatch.setattr(cache, "PARALLEL_MIN_FILES", 1)
    cache.configure(enabled=True, directory=tmp_path / "cache", jobs=2)
    try:
        cold, _ = run(roots, Options())
        checked = []
        monkeypatch.setattr(engine, "check_project_uncached", lambda p, *a, **k: checked.append(p.root))
        monkeypatch.setattr(engine, "prefetch", lambda items: checked.extend(p.root for p, _, _ in items))
        warm, _ = run(roots, Options())
        assert checked == []
        assert [(d.path, d.line, d.rule) for d in warm.diagnostics] == [(d.path, d.line, d.rule) for d in cold.diagnostics]
        assert sorted(warm.skipped) == sorted(cold.skipped)
    finally:
        cache.configure(enabled=False)


# -- the command line without click ------------------------------------------------------------------


CLICK_LINES = [
    ["check"],
    ["check", "."],
    ["check", "a.js", "b.js", "--select", "x,y", "--select", "z", "--ignore=w", "-q", "--no-cache"],
    ["check", "--format", "json", "-o", "out.json", "--fail-on", "warning", "-j", "2", "--jobs=3", "."],
    ["check", "--format=sarif", "--statistics", "--exit-zero", "--no-color", "--cache-dir", "c", "--", "-x.js"],
    ["check", "--baseline", "b.json", "--write-baseline", "w.json", "--unsafe-fixes", "--fix", "p"],
    ["check", "--diff", "--unsafe-fixes", "", "p"],
    ["check", "-", "--stdin-filename", "functions/x.js"],
    ["check", "--stdin-filename", "functions/x.js"],
    ["check", "--format", "gitlab", "--format", "text", "-j", "0012"],
    ["check", "-j2", "-oout.txt", "-q", "."],
]
FALLBACK_LINES = [
    ["check", "--help"], ["check", "-h"], ["check", "--fix", "--diff"], ["check", "--bogus"], ["check", "-j-1"], ["check", "-qj2"],
    ["check", "--format", "xml"], ["check", "--format"], ["check", "-j", "-1"], ["check", "-j", "x"],
    ["check", "-qj1"], ["check", "--fix=1"], ["check", "-"], ["check", "--stdin-filename", "x.js", "."],
    ["check", "-", "-", "--stdin-filename", "x.js"], ["check", "--cache-dir"], ["check", "--select", "-q"],
    ["check", "--fail-on", "Error"], ["check", "--jobs", "٣"], ["rules"], ["--version"], [],
]


def test_fast_command_line_parse_is_clicks(tmp_path, monkeypatch):
    from twilint import cli

    monkeypatch.chdir(tmp_path)
    command = cli.cli().commands["check"]
    for argv in CLICK_LINES:
        fast = cli._fast_check_args(argv)
        assert fast is not None, argv
        ctx = command.make_context("check", list(argv[1:]))
        # (the paths to check stay strings: the Paths click makes of them, from the same text)
        assert all(type(p) is str for p in fast["paths"]), argv
        fast["paths"] = tuple(Path(p) for p in fast["paths"])
        assert fast == ctx.params, argv
    for argv in FALLBACK_LINES:
        assert cli._fast_check_args(argv) is None, argv


def test_fast_command_line_declares_what_click_declares():
    from twilint import cli

    command = cli.cli().commands["check"]
    declared = {}
    for param in command.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("-"):
                declared[opt] = param.name
    declared.pop("--help", None), declared.pop("-h", None)
    assert declared == {opt: dest for opt, (dest, _) in cli._CHECK_OPTIONS.items()}
    defaults = command.make_context("check", []).params
    assert defaults.pop("paths") == ()
    assert defaults == cli._CHECK_DEFAULTS


def test_unreadable_path_goes_to_click(tmp_path, monkeypatch):
    """click reports an existing path it cannot read; the fast path leaves that to click. (CI
    runs as root, who can read a mode-000 file, so the access check is what is made to fail.)"""
    from twilint import cli

    target = tmp_path / "secret.js"
    target.write_text("x")
    assert cli._fast_check_args(["check", str(target)]) is not None
    real_access = os.access
    monkeypatch.setattr(cli.os, "access", lambda p, mode: False if os.fspath(p) == str(target) else real_access(p, mode))
    assert cli._fast_check_args(["check", str(target)]) is None


def test_shell_completion_goes_to_click(monkeypatch):
    from twilint import cli

    monkeypatch.setenv("_TWILINT_COMPLETE", "bash_complete")
    assert cli._fast_check_args(["check", "."]) is None


# -- reporters ---------------------------------------------------------------------------------------


def test_fixable_count_is_fixes_applicable():
    from twilint.fixes import applicable
    from twilint.model import Diagnostic, Edit, Fix, Severity
    from twilint.report import RunResult

    diags = [Diagnostic("r", "m", None, 0, 0, Severity.ERROR, fix) for fix in (
        None, Fix([Edit(0, 0, b"")], "d"), Fix([Edit(0, 0, b"")], "d", "unsafe", "why"), Fix([], "d", "other"))]
    result = RunResult(diagnostics=diags)
    for unsafe in (False, True):
        assert result.fixable(unsafe) == sum(1 for d in diags if applicable(d, unsafe))


@pytest.mark.parametrize("data", [b"", b"a", b"a\n", b"a\r\nb\r\n", b"a\rb\r", b"x\r\r\ny\n\n", b"\n\n\n",
                                  "caf\u00e9\n\u2028\tz\r\n".encode(), b"no newline at end"])
def test_code_frame_lines_are_the_line_index(data):
    from twilint.report.text import _SplitLines
    from twilint.sources.text import LineIndex

    index, split = LineIndex(data), _SplitLines(data)
    assert split.line_count == index.line_count
    for line in range(-1, index.line_count + 3):
        assert split.line_text(line) == index.line_text(line), line


def test_display_paths_are_display_path(tmp_path, monkeypatch):
    from twilint.engine import display_path
    from twilint.report import display_paths

    (tmp_path / "w" / "sub").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "w")
    show = display_paths()
    for p in [tmp_path / "w" / "a.js", tmp_path / "w" / "sub" / "b.js", tmp_path / "w", tmp_path / "x.js",
              Path("/"), Path("/etc/passwd"), tmp_path / "w" / ".." / "w" / "c.js", tmp_path / "w" / "sub" / ".." / "d"]:
        assert show(p) == display_path(p), p
        assert show(p) == display_path(p), p  # (remembered)


def test_mask_secrets_short_lines_are_left_alone():
    from twilint.report.text import _SECRETISH, mask_secrets

    for line in ["", "x" * 19, "AC0123456789", "a1b2c3d4e5f6g7h8i9j"]:
        assert mask_secrets(line) == _SECRETISH.sub(lambda m: "*" * len(m.group(0)), line) == line
    token = "AC" + "0123456789abcdef" * 2
    assert mask_secrets(f"sid = '{token}'") == f"sid = '{'*' * len(token)}'"


class _CountingStream(io.StringIO):
    def __init__(self):
        super().__init__()
        self.writes = 0

    def write(self, s):
        self.writes += 1
        return super().write(s)


def test_text_report_is_written_in_blocks(tmp_path):
    from twilint.report.text import render
    from twilint.runner import Options, run

    root = _project(tmp_path / "p", {f"functions/f{i}.js": HANDLER for i in range(30)})
    result, _ = run([root], Options())
    assert len(result.diagnostics) > 30
    out = _CountingStream()
    render(result, out, False, False, False)
    assert out.writes <= 2
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("Found ") and len(lines) > 100


COLD_PROBE = """
import sys
sys.argv = ["twilint", "check", "--no-cache", *sys.argv[1:]]
from twilint.cli import main
try:
    main()
except SystemExit:
    pass
heavy = ("libcst", "esprima", "jsonschema", "rich", "click", "multiprocessing")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy)
sys.stderr.write("LOADED " + " ".join(loaded) + "\\n")
"""


def test_pre_commit_shape_imports_nothing_heavy(tmp_path):
    """One staged file, no cache: every rule runs, but the fix validators (libcst, esprima),
    the JSON-schema code, rich (plain output off a terminal), click (a plain command line) and
    multiprocessing (one file: no workers) are never imported (issue 9's pre-commit shape)."""
    root = _project(tmp_path / "p")
    probe = tmp_path / "probe.py"
    probe.write_text(COLD_PROBE)
    res = subprocess.run([sys.executable, str(probe), str(root / "functions" / "a.js")], capture_output=True,
                         env={**os.environ, "NO_COLOR": "1"})
    err = res.stderr.decode()
    assert b"lowercase-header-access" in res.stdout  # the rules did run
    assert err.rsplit("LOADED ", 1)[1].split() == [], err


def test_console_exit_loses_no_output(tmp_path):
    """A plain check leaves without tearing the interpreter down (os._exit): what it printed
    (buffered, as off a terminal) or wrote is byte for byte what an ordinary exit gives, and the
    exit code is the run's."""
    import os
    import subprocess
    import sys

    from conftest import twilint_exe

    files = {f"functions/f{i:03}.js": HANDLER for i in range(150)}
    root = _project(tmp_path / "p", files)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["NO_COLOR"] = "1"

    def console(*args):
        return subprocess.run([*twilint_exe(), *args], env=env, capture_output=True, timeout=120)

    def ordinary(*args):  # main() and the usual exit, as `python -c` runs it
        code = f"import sys\nsys.argv = ['twilint', *{list(args)!r}]\nfrom twilint.cli import main\nmain()\n"
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=120)

    for args in (("check", "--no-cache", "--format", "json", str(root)), ("check", "--no-cache", str(root)),
                 ("check", "--no-cache", "--exit-zero", "--statistics", str(root))):
        got, want = console(*args), ordinary(*args)
        assert (got.returncode, got.stdout, got.stderr) == (want.returncode, want.stdout, want.stderr), args
        assert got.stdout.endswith(b"\n") and got.returncode == (0 if "--exit-zero" in args else 1)
    assert len(json.loads(console("check", "--no-cache", "--format", "json", str(root)).stdout)["diagnostics"]) >= 150
    report = tmp_path / "report.json"
    written = console("check", "--no-cache", "--format", "json", "-o", str(report), str(root))
    assert written.returncode == 1 and report.read_bytes() == ordinary("check", "--no-cache", "--format", "json", str(root)).stdout
    missing = console("check", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and b"no such file" in missing.stdout + missing.stderr


# -- urllib.parse, deferred by the console script (twilint._deferred) ------------------------------


def test_console_script_never_imports_urllib_parse_for_a_check(tmp_path):
    """pathlib imports urllib.parse (and it ipaddress) for Path.as_uri() alone: the console
    script defers it, so neither a check nor a warm run loads them."""
    root = _project(tmp_path / "p")
    cache_dir = str(tmp_path / "cache")
    for args in (["--no-cache"], ["--cache-dir", cache_dir], ["--cache-dir", cache_dir]):
        res = run_cli("check", "--exit-zero", *args, str(root), env={"PYTHONPROFILEIMPORTTIME": "1"})
        assert res.returncode == 0 and b"lowercase-header-access" in res.stdout
        loaded = {line.rsplit("|", 1)[1].strip() for line in res.stderr.decode().splitlines()
                  if line.startswith("import time:")}
        assert "pathlib" in loaded and "twilint.cli" in loaded, res.stderr
        assert not loaded & {"urllib.parse", "ipaddress"}, res.stderr


DEFERRED_PROBE = """
import pickle, sys
from twilint import _deferred
assert _deferred.defer()
from pathlib import Path
assert "ipaddress" not in sys.modules and sys.modules["urllib.parse"] is _deferred._STAND_IN
{use}
real = sys.modules["urllib.parse"]
assert real is not _deferred._STAND_IN and real.__file__.endswith("parse.py")
import urllib
assert urllib.parse is real and "ipaddress" in sys.modules
assert pickle.loads(pickle.dumps(real.urlsplit("https://h/p?q"))) == ("https", "h", "/p", "q", "")
assert _deferred._STAND_IN.quote("a b") == "a%20b"  # (what kept the stand-in still reaches it)
print("ok")
"""


@pytest.mark.parametrize("use", [
    'assert Path("/a b").as_uri() == "file:///a%20b"',
    'from urllib.parse import quote; assert quote("a b") == "a%20b"',
    'from urllib import parse; assert parse.quote("a b") == "a%20b"',
    'import urllib.parse; assert urllib.parse.urlsplit("http://h/x").path == "/x"',
    'import urllib.parse as up; assert up.SplitResult.__module__ == "urllib.parse"',
    'import importlib; assert importlib.import_module("urllib.parse").unquote("%41") == "A"',
])
def test_deferred_urllib_parse_works_however_it_is_imported(use):
    res = subprocess.run([sys.executable, "-c", DEFERRED_PROBE.format(use=use)], capture_output=True, text=True)
    assert res.stdout == "ok\n", res.stderr


def test_deferring_leaves_a_process_that_imported_pathlib_alone():
    from twilint import _deferred

    assert "pathlib" in sys.modules  # (pytest's)
    before = sys.modules.get("urllib.parse")
    assert _deferred.defer() is False
    assert sys.modules.get("urllib.parse") is before
