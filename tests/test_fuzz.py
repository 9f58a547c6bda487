"""Issue 10: twilint survives anything a repository can contain, and its fixes are safe.

- property-based tests (hypothesis) of every parser on arbitrary bytes;
- the mutation fuzzer of ``tests/fuzzing.py`` over copies of every fixture project (a bounded
  budget here; ``TWILINT_FUZZ_EXAMPLES=5000`` or ``python tests/fuzzing.py --examples 5000`` for a
  long run), plus a fixed list of hostile inputs that must always be covered;
- fix safety over every fixture project and every fixable rule's documented example.

Each test prints how many inputs it ran (``pytest -s`` shows them; the totals are also in the
closing note of issue 10).
"""

from __future__ import annotations

import os
import random
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzzing
from conftest import run_cli, write_tree

# The default budget keeps the fuzz tests well under a minute on CI; raise it for a long run.
EXAMPLES = int(os.environ.get("TWILINT_FUZZ_EXAMPLES", "0")) or None
FUZZ = settings(
    max_examples=EXAMPLES or 30, deadline=None, derandomize=EXAMPLES is None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
PARSE = settings(
    max_examples=(EXAMPLES or 100) * 3, deadline=None, derandomize=EXAMPLES is None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- parsers: anything in, a value or a syntax error out ------------------------------------------

# Bytes that matter to the grammars, so that random inputs get past the first token.
PUNCT = list(b"{}[]()'\"`:,;=#/*\\\n\r\t -!&|?$<>.") + [0xFF, 0x00, 0xC3, 0xA9]
structured = st.lists(
    st.one_of(st.sampled_from([bytes([b]) for b in PUNCT]),
              st.sampled_from([b"true", b"null", b"1e999", b"0x", b"module.exports", b"export default", b"KEY=",
                               b"&a", b"*a", b"!!binary", b"- ", b"${", b"'''", b"\\u", b"\xef\xbb\xbf", b"require("]),
              st.binary(max_size=8)),
    max_size=200,
).map(b"".join)


def _parsers():
    from twilint.sources.dotenv import parse_env
    from twilint.sources.js import parse_script
    from twilint.sources.jsconfig import parse_js_config
    from twilint.sources.json5 import parse_json5
    from twilint.sources.jsonvalues import parse_json
    from twilint.sources.yaml_values import parse_yaml

    return {
        "json": parse_json, "json5": parse_json5, "yaml": parse_yaml, "jsconfig": parse_js_config,
        "env": parse_env, "js": lambda d: parse_script(d, "javascript"), "ts": lambda d: parse_script(d, "typescript"),
    }


@PARSE
@given(raw=st.one_of(structured, st.binary(max_size=400)))
def test_every_parser_returns_a_value_or_a_syntax_error(raw):
    from twilint.sources.text import DecodeError, decode
    from twilint.sources.values import ValueSyntaxError

    try:
        data, _ = decode(raw)
    except DecodeError:
        return  # reported as parse-error "cannot read as text"
    for name, parse in _parsers().items():
        try:
            parse(data)
        except ValueSyntaxError as exc:
            assert 0 <= exc.offset <= len(data), name


@pytest.mark.parametrize("kind", sorted(fuzzing.DEEP))
def test_every_parser_survives_deep_nesting(kind):
    from twilint.sources.values import ValueSyntaxError

    for chunk in fuzzing.DEEP[kind]:
        for name, parse in _parsers().items():
            try:
                parse(chunk)
            except ValueSyntaxError:
                pass


# -- the mutation fuzzer ----------------------------------------------------------------------------

COUNTS = {"inputs": 0, "fix-verified": 0}


def _report(tag: str, n) -> None:
    print(f"\n[fuzz] {tag}: {n}", file=sys.stderr)


@FUZZ
@given(seed=st.integers(min_value=0, max_value=2**31 - 1), fix=st.booleans())
def test_mutated_fixture_projects(tmp_path_factory, seed, fix):
    work = tmp_path_factory.mktemp("fuzz")
    failures, desc, verified = fuzzing.fuzz_one(seed, work, fix=fix)
    COUNTS["inputs"] += 1
    COUNTS["fix-verified"] += verified
    shutil.rmtree(work, ignore_errors=True)
    assert not failures, desc + "\n" + "\n".join(failures)
    _report("mutated inputs so far (fixed files verified)", f"{COUNTS['inputs']} ({COUNTS['fix-verified']})")


@FUZZ
@given(seed=st.integers(min_value=0, max_value=2**31 - 1))
def test_migrations_on_mutated_fixture_projects(tmp_path_factory, seed):
    """`twilint migrate node22` (to node22 and node24), `migrate legacy-config` and `migrate
    classic` on mutated fixture projects and exports: fuzzing.check_migration's invariants (nothing escapes, nothing outside
    the project or in node_modules changes, every written file keeps its encoding and still
    parses, a second run plans nothing). ``python tests/fuzzing.py --migrate`` for a long run."""
    work = tmp_path_factory.mktemp("fuzz-migrate")
    failures, desc, verified = fuzzing.fuzz_migrate(seed, work)
    shutil.rmtree(work, ignore_errors=True)
    assert not failures, desc + "\n" + "\n".join(failures)


# Hostile inputs every run covers, whatever hypothesis picks: (relative path, bytes or an action).
HOSTILE = [
    *[("functions/deep.js", c) for c in fuzzing.DEEP["js"]],
    *[("package.json", c) for c in fuzzing.DEEP["package.json"]],
    *[(".twilioserverlessrc", c) for c in fuzzing.DEEP["json"]],
    *[(".twilioserverlessrc.yaml", c) for c in fuzzing.DEEP["yaml"]],
    *[("twilioserverless.config.js", c) for c in fuzzing.DEEP["js"][:3]],
    *[(".env", c) for c in fuzzing.DEEP["env"]],
    *[("twilint.toml", c) for c in fuzzing.DEEP["toml"]],
    *[("package.json", c) for c in fuzzing.WRONG_TYPES_PACKAGE_JSON],
    *[(".env", c) for c in fuzzing.ODD_ENV],
    *[(".twilioserverlessrc", c) for c in fuzzing.JUNK_CONFIG["json"]],
    *[(".twilioserverlessrc.yaml", c) for c in fuzzing.JUNK_CONFIG["yaml"]],
    *[(".twilioserverlessrc.js", c) for c in fuzzing.JUNK_CONFIG["js"]],
    *[("twilint.toml", c) for c in fuzzing.JUNK_CONFIG["toml"]],
    ("package.json", b'{"dependencies": {' + b", ".join(b'"p%d": "1.0.%d"' % (i, i) for i in range(20_000)) + b"}}"),
    ("package-lock.json", b'{"lockfileVersion": 3, "packages": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("pnpm-lock.yaml", b"lockfileVersion: '9.0'\npackages: " + b"{" * 3000 + b"}" * 3000 + b"\n"),
    ("yarn.lock", b"\xff\xfe\x00junk"),
    ("functions/huge-line.js", b"var x = '" + b"a" * 300_000 + b"';\n"),
    ("functions/too-big.js", b"// x\n" * 500_000),
    ("functions/nul.js", b"exports.handler = () => {};\x00\n"),
    ("functions/latin1.js", "exports.handler = () => 'caf\u00e9';\n".encode("latin-1")),
    ("functions/utf16.js", "exports.handler = (c, e, cb) => cb(null, e.request.headers.Auth);\n".encode("utf-16")),
    ("functions/empty.js", b""),
    ("functions/truncated.js", b"exports.handler = function (context, event, callback) {\n  callback(null, `"),
    (".twiliodeployinfo", b'{"x": ' + b"[" * 5000),
    # configured folders no file system can hold: a name too long, a NUL (Path.is_dir raises)
    (".twilioserverlessrc", b'{"functionsFolder": "' + b"a" * 300 + b'", "assetsFolder": "dist/' + b"b" * 300 + b'"}'),
    (".twilioserverlessrc", b'{"functionsFolder": "a\\u0000b", "assetsFolder": "dist/\\u0000", "env": ".e\\u0000"}'),
    (".twilio-functions", b"{" * 5000),
    (".nvmrc", b"\xff" * 10),
    ("functions/dir.js", "directory"),
    ("package.json", "directory"),
    (".twilioserverlessrc", "directory"),
    ("functions/fifo.js", "fifo"),
    ("functions/loop.js", "symlink-loop"),
    ("package.json", "symlink-loop"),
    (".env", "symlink-outside"),
    ("functions/outside.js", "symlink-outside"),
    ("package.json", "symlink-outside"),
    ("twilint.toml", "symlink-outside"),
    ("functions/dangling.js", "dangling"),
    ("functions/unreadable.js", "unreadable"),
    ("package.json", "unreadable"),
    (".env", "unreadable"),
    ("functions/sub", "folder-loop"),
]


def _apply_hostile(root: Path, rel: str, what, outside: Path) -> fuzzing.Mutation:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(what, bytes):
        fuzzing._rewrite(path, what)
        return fuzzing.Mutation(f"{rel}: {what[:40]!r}", path)
    if os.path.lexists(path):
        fuzzing._remove(path)
    if what == "directory":
        path.mkdir()
    elif what == "fifo":
        os.mkfifo(path)
    elif what == "symlink-loop":
        os.symlink(path.name, path)
    elif what == "symlink-outside":
        os.symlink(outside / ("secret" + path.suffix), path)
    elif what == "dangling":
        os.symlink("nowhere.js", path)
    elif what == "unreadable":
        path.write_bytes(b"{}")
        os.chmod(path, 0)
    elif what == "folder-loop":
        path.mkdir()
        os.symlink("..", path / "up")
        os.symlink(str(path), path / "self")
    must = what in ("fifo", "symlink-loop", "symlink-outside", "dangling") or (
        what == "unreadable" and fuzzing._permissions_apply(path)) or (what == "directory" and path.name == "package.json")
    return fuzzing.Mutation(f"{rel}: {what}", path, must_report=must)


def _groups():
    """HOSTILE grouped so that one twilint run covers many: each input its own copy of the
    example project, side by side (different files of one project would hide each other)."""
    groups: dict[str, list] = {}
    for rel, what in HOSTILE:
        key = rel.split("/")[0] if isinstance(what, bytes) else "tree"
        groups.setdefault(key, []).append((rel, what))
    return groups


HOSTILE_GROUPS = _groups()


@pytest.mark.parametrize("group", sorted(HOSTILE_GROUPS))
def test_hostile_inputs(tmp_path, group):
    cases = HOSTILE_GROUPS[group]
    base, _ = _base_input(random.Random(0), tmp_path, copies=len(cases))
    roots = [base / f"project{i}" for i in range(len(cases))]
    mutations = [_apply_hostile(root, rel, what, tmp_path / "outside") for root, (rel, what) in zip(roots, cases)]
    try:
        out = fuzzing.run_all_formats([base], cwd=tmp_path)
        failures = fuzzing.check_invariants(base, out, roots=roots, mutations=mutations)
        assert not failures, "\n".join(failures)
        before = fuzzing.snapshot(base)
        out = fuzzing.run_all_formats([base], mode="fix", unsafe=True, cwd=tmp_path)
        failures, _ = fuzzing.check_fix_invariants(base, before, out)
        failures += [f for f in fuzzing.check_invariants(base, out, roots=roots, mutations=mutations) if "sentinel" not in f]
        assert not failures, "\n".join(failures)
    finally:
        fuzzing._restore_permissions(tmp_path)
    _report(f"hostile inputs ({group})", len(cases))


def _base_input(rng, tmp_path: Path, copies: int | None = None):
    """The fixtures/example project (``copies`` of it: project0, project1...) plus the
    sentinels, unmutated."""
    base = tmp_path / "in"
    names = ["project"] if copies is None else [f"project{i}" for i in range(copies)]
    for name in names:
        shutil.copytree(fuzzing.FIXTURES / "example", base / name, symlinks=True)
        (base / name / "functions" / fuzzing.SENTINEL_NAME).write_text(fuzzing.SENTINEL_JS)
    for rel, text in fuzzing.SENTINEL_PROJECT.items():
        write_tree(base / "sentinel", {rel: text})
    outside = tmp_path / "outside"
    outside.mkdir()
    for ext in (".js", ".json", ".env", ".yaml", ".toml", ""):
        (outside / ("secret" + ext)).write_text(
            f"// {fuzzing.OUTSIDE_SECRET}\nexports.handler = (c, event, cb) => cb(null, event.request.headers.Outside);\n")
    return base, None


@pytest.mark.parametrize("rel,what", [
    ("functions/deep.js", fuzzing.DEEP["js"][0]),
    ("package.json", b"[]"),
    ("twilint.toml", b"select = ["),
    ("functions/loop.js", "symlink-loop"),
    ("functions/fifo.js", "fifo"),
    ("functions/outside.js", "symlink-outside"),
])
def test_hostile_inputs_through_the_console_script(tmp_path, rel, what):
    base, _ = _base_input(random.Random(0), tmp_path)
    _apply_hostile(base / "project", rel, what, tmp_path / "outside")
    outputs = []
    for args in (["check", str(base)], ["check", "--fix", "--unsafe-fixes", "--format", "sarif", str(base)]):
        r = run_cli(*args, cwd=tmp_path)
        err = r.stderr.decode("utf-8", "replace")
        assert r.returncode in (0, 1, 2), (args, r.returncode, err)
        assert "Traceback" not in err and "Traceback" not in r.stdout.decode("utf-8", "replace"), err
        assert fuzzing.OUTSIDE_SECRET.encode() not in r.stdout
        outputs.append(r.stdout.decode())
    assert "sentinel/functions/hello.js:2:" in outputs[0]  # the other project is still checked
    if what in ("symlink-loop", "fifo", "symlink-outside"):
        assert f"{rel}:1:1: error[io-error]" in outputs[0]


# -- fix safety --------------------------------------------------------------------------------------


def _fix_cases():
    from test_rule_docs import blocks
    from twilint.rules import all_rules

    cases = [("fixture", p) for p in fuzzing.fixture_projects()]
    cases += [("example", name) for name, r in sorted(all_rules().items()) if r.fixable and "## Example" in r.docs]
    return cases, blocks


FIX_CASES, _ = _fix_cases()


def _verify_fix(base: Path, select: list[str] | None = None) -> tuple[set[str], int]:
    before = fuzzing.snapshot(base)
    out = fuzzing.run_all_formats([base], mode="fix", unsafe=True, select=select)
    failures, verified = fuzzing.check_fix_invariants(base, before, out)
    assert not failures, "\n".join(failures)
    assert not [d for d in out.result.diagnostics if d.rule == "internal-error"]
    # A refused fix is reported with its rule name
    assert all(rule for _, rule, _ in out.result.refused)
    if out.result.changed_files:
        failures = fuzzing.second_run_changes_nothing(base, [base], select)
        assert not failures, "\n".join(failures)
    return {d.rule for d in out.result.fixed}, verified


# Rules whose documented example has no fix to apply (undeclared-dependency's `uuid` is ESM-only,
# so its fix is withheld): an example that has one.
EXTRA_EXAMPLES = {
    "undeclared-dependency": "const qs = require('qs');\nexports.handler = (context, event, callback) => callback(null, qs.stringify(event));\n",
}
EXTRA_FILES = {"undeclared-dependency": {"node_modules/qs/package.json": '{"name": "qs", "version": "6.13.0"}'}}


@pytest.mark.parametrize("source,what", FIX_CASES, ids=[
    f"{s}-{w.relative_to(fuzzing.FIXTURES).as_posix() if isinstance(w, Path) else w}" for s, w in FIX_CASES])
def test_fix_safety(tmp_path, source, what):
    """`--fix --unsafe-fixes` on a copy: only the edited spans change, the result re-parses with
    no new errors, passes the strict check, and a second run changes nothing."""
    if source == "fixture":
        base = tmp_path / "p"
        shutil.copytree(what, base, symlinks=True)
    else:
        from test_rule_docs import _project, blocks
        from twilint.rules import all_rules

        rule = all_rules()[what]
        base = _project(tmp_path / "p", rule, EXTRA_EXAMPLES.get(what) or blocks(rule.docs, "## Example"))
        write_tree(base, EXTRA_FILES.get(what, {}))
    fixed_rules, verified = _verify_fix(base)
    if source == "example":
        # every rule at once (fixes interact), then the rule alone (its own fix is exercised)
        shutil.rmtree(base)
        base = _project(tmp_path / "p", rule, EXTRA_EXAMPLES.get(what) or blocks(rule.docs, "## Example"))
        write_tree(base, EXTRA_FILES.get(what, {}))
        fixed_rules, v = _verify_fix(base, [what])
        verified += v
        assert what in fixed_rules, f"the {what} example was not fixed"
    _report(f"fix safety {what}", verified)


def test_every_fixable_rule_has_a_fix_safety_case():
    from twilint.rules import all_rules

    fixable = {n for n, r in all_rules().items() if r.fixable}
    assert fixable <= {w for s, w in FIX_CASES if s == "example"}


def test_object_lookups_are_not_linear():
    """Regression (issue 10): a 1.3 MB package.json with 60,000 dependencies took 260 s, every
    rule looking each dependency up with a linear scan. Lookups use an index; the last duplicate
    key still wins, and members added after a lookup are seen."""
    import time

    from twilint.sources.jsonvalues import parse_json

    n = 60_000
    v = parse_json(b'{"dependencies": {' + b", ".join(b'"p%d": "1.0.%d"' % (i, i) for i in range(n)) + b', "p1": "9"}}')
    deps = v.get("dependencies")
    t = time.monotonic()
    assert all(deps.member(f"p{i}") is not None for i in range(n))
    assert time.monotonic() - t < 5
    assert deps.get("p1").data == "9" and deps.get("nope") is None
    from twilint.sources.values import Member, Value

    deps.members.append(Member("late", 0, 0, Value("string", 0, 0, "x")))
    assert deps.get("late").data == "x"


# -- migrations on hostile inputs ---------------------------------------------------------------

def _spread(cases: list, per_path: int = 4) -> list:
    """At most ``per_path`` of the byte variants for each path (spread over the list), and
    every tree action: the migrations read few files, and each case runs two migrations."""
    by_path: dict[str, list] = {}
    for rel, what in cases:
        by_path.setdefault(rel, []).append((rel, what))
    out = []
    for items in by_path.values():
        data = [c for c in items if isinstance(c[1], bytes)]
        out += data[::-(-len(data) // per_path)] if data else []
        out += [c for c in items if not isinstance(c[1], bytes)]
    return out


MIGRATION_HOSTILE = _spread(HOSTILE) + [
    (".env", b"ACCOUNT_SID=AC" + b"\xff" * 32 + b"\n"),  # not UTF-8
    (".env", "ACCOUNT_SID=AC0123456789abcdef0123456789abcdef\n".encode("utf-16")),
    (".env", "fifo"),
    (".twilioserverlessrc", b'{ "runtime": "node18", "x": "\x00" }\n'),  # a NUL: binary
    (".twilioserverlessrc", '{\r\n  "runtime": "node18"\r\n}\r\n'.encode("utf-16")),
    (".twilioserverlessrc", "fifo"),
    (".twiliodeployinfo", "fifo"),
    (".twiliodeployinfo", '{\n  "AC0123456789abcdef0123456789abcdef": {}\n}\n'.encode("utf-16")),
    ("package.json", b"\xef\xbb\xbf" + b'{"dependencies": {"twilio": "^5"}, "twilioserverless": {"a": ' + b"[" * 5000),
    ("package.json", "fifo"),
    ("package-lock.json", "fifo"),
    (".twilio-functions", "fifo"),
    (".twilio-functions", b"[" * 5000),
    (".twilio-functions", "symlink-outside"),
]
MIGRATIONS = [("node22", "migrate/node18-js/before"), ("node24", "migrate/node16-yaml/before"),
              ("node22", "migrate/node14-json5/before"),
              ("legacy-config", "migrate-legacy/simple"), ("legacy-config", "migrate-legacy/custom"),
              ("classic", "migrate-classic/no-manifest"), ("classic", "migrate-classic/with-manifest")]


class Expired(BaseException):
    """Raised by :class:`_Deadline`: a BaseException, so that no ``except OSError`` (which
    TimeoutError would be) or ``except Exception`` in twilint swallows it."""


class _Deadline:
    """Fail (Expired) instead of hanging: a read of a FIFO blocks until a writer comes."""

    def __init__(self, seconds: int):
        self.seconds = seconds

    def __enter__(self):
        import signal

        def expire(signum, frame):
            raise Expired(f"still running after {self.seconds} s (blocked on a FIFO?)")

        self.old = signal.signal(signal.SIGALRM, expire)
        signal.alarm(self.seconds)

    def __exit__(self, *exc):
        import signal

        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.old)


@pytest.mark.parametrize("recipe,fixture", MIGRATIONS)
def test_migrations_survive_hostile_inputs(tmp_path, recipe, fixture):
    failures = []
    for i, (rel, what) in enumerate(MIGRATION_HOSTILE):
        work = tmp_path / str(i)
        root = work / "in" / "project"
        shutil.copytree(fuzzing.FIXTURES / fixture, root, symlinks=True)
        outside = work / "outside"
        outside.mkdir()
        for ext in ("", ".js", ".json", ".env", ".yaml", ".toml"):
            (outside / ("secret" + ext)).write_text(f'{{"secret": "{fuzzing.OUTSIDE_SECRET}"}}\n')
        _apply_hostile(root, rel, what, outside)
        try:
            with _Deadline(60):
                found, _ = fuzzing.check_migration(root.parent, outside, recipe, delete_old=i % 2 == 0)
        finally:
            fuzzing._restore_permissions(work)
        label = what if isinstance(what, str) else repr(what[:32])
        failures += [f"{rel} ({label}): {f}" for f in found]
        if recipe == "legacy-config" and rel == ".twilio-functions" and what == "symlink-outside":
            made = [p for p in root.iterdir() if p.name in (".twiliodeployinfo", ".twilioserverlessrc")]
            if any(fuzzing.OUTSIDE_SECRET in p.read_text(errors="replace") for p in made):
                failures.append("a legacy config linked from outside the project was migrated")
        shutil.rmtree(work, ignore_errors=True)
    assert not failures, "\n".join(failures)


def test_a_fifo_in_build_output_does_not_hang_the_check(tmp_path):
    """A bundled project (functionsFolder in build output): twilint lints the sources, and the
    ESM check of the compiled output reads its files as every project file is read, so a FIFO
    there is passed over instead of blocking the run."""
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1", "twilio-run": "4.0.0"}}',
        ".twilioserverlessrc": '{"functionsFolder": "dist/functions", "runtime": "node22"}',
        "functions/a.js": "exports.handler = (c, e, cb) => cb(null, e.request.headers['X-Key']);\n",
        "dist/functions/b.js": "export const handler = () => {};\n",
    })
    os.mkfifo(root / "dist" / "functions" / "a.js")
    with _Deadline(60):
        out = fuzzing.run_all_formats([root], select=["ALL"])
    assert not out.failures, out.failures
    rules = {d.rule for d in out.result.diagnostics}
    assert "internal-error" not in rules  # (a rule stopped by the deadline reports one)
    assert "lowercase-header-access" in rules and "esm-syntax" in rules  # (b.js: ESM left in the output)


@pytest.mark.parametrize("rel", ["node_modules/twilio/package.json", "tsconfig.json"])
def test_a_fifo_where_rules_look_does_not_hang_the_check(tmp_path, rel):
    """Files the rules read beside the project's own (an installed package's package.json, the
    tsconfig) are read as every project file is: a FIFO there is passed over, not waited on.
    (The TypeScript function's static import is what makes the module analysis ask the
    tsconfig how the compiler emits it.)"""
    root = tmp_path / "p"
    shutil.copytree(fuzzing.FIXTURES / "example", root)
    (root / "functions" / "typed.ts").write_text(
        "import fetch from 'node-fetch';\nexport const handler = (c: any, e: any, cb: any) => cb(null, fetch);\n")
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / rel)
    with _Deadline(60):
        out = fuzzing.run_all_formats([root], select=["ALL"])
    assert not out.failures, out.failures
    assert "internal-error" not in {d.rule for d in out.result.diagnostics}
    assert "lowercase-header-access" in {d.rule for d in out.result.diagnostics}


def test_a_long_run_of_spaces_in_an_env_value_is_parsed_in_linear_time(tmp_path):
    """python-dotenv's comment-stripping pattern is quadratic on a long run of spaces (200 KB
    took half a minute); twilint's parse uses a linear stand-in (twilint.sources.dotenv)."""
    root = tmp_path / "p"
    shutil.copytree(fuzzing.FIXTURES / "example", root)
    (root / ".env").write_bytes(b"GREETING=a" + b" " * 200_000 + b"b\nOTHER=1 # c\n")
    with _Deadline(30):
        out = fuzzing.run_all_formats([root], select=["ALL"])
    assert not out.failures, out.failures
    assert "internal-error" not in {d.rule for d in out.result.diagnostics}
