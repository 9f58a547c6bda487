"""Tests for twilint.npmrange.

The core of this file is a differential test: a large batch of versions and
ranges (hand-written edge cases, a deterministic operator x version grid and
hypothesis-generated strings) is evaluated both by ``twilint.npmrange`` and,
in a single node process, by npm's real ``semver`` package; every answer must
agree.  The npm package is installed once into a cache directory
(``$TWILINT_TEST_CACHE`` or ``~/.cache/twilint-tests``).  Without node/npm the
differential tests are skipped; if the install itself fails they fail.
"""

from __future__ import annotations

import functools
import json
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from twilint import npmrange as nr

#: npm ``semver`` release the implementation is checked against.
NPM_SEMVER_VERSION = "7.8.5"
#: Minimum number of (version, range) satisfies() pairs that must be compared.
MIN_SATISFIES_PAIRS = 20_000
#: Minimum number of results compared over all the differential tests.
MIN_TOTAL_COMPARED = 60_000

_NODE_SCRIPT = r"""
'use strict'
const fs = require('fs')
const semver = require(process.argv[2])
const input = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'))
const THROWS = '<throws>'
const guard = (f) => { try { return f() } catch (e) { return THROWS } }

const out = { version: require(process.argv[2] + '/package.json').version }
out.valid = input.versions.map((v) => semver.valid(v))
out.validTrimmed = input.versions.map((v) => semver.valid(v.trim()))
out.ranges = input.ranges.map((r) => [
  semver.validRange(r),
  guard(() => new semver.Range(r).range),
  guard(() => { const m = semver.minVersion(r); return m === null ? null : m.version }),
])
out.grid = input.gridRanges.map(
  (r) => input.gridVersions.map((v) => (semver.satisfies(v, r) ? '1' : '0')).join(''))
out.pairs = input.pairs.map(([v, r]) => semver.satisfies(v, r))
out.extremes = input.extremeRanges.map((r) => input.extremeLists.map(
  (list) => [semver.maxSatisfying(list, r), semver.minSatisfying(list, r)]))
out.intersects = input.intersects.map(([a, b]) => guard(() => semver.intersects(a, b)))
out.compare = input.compare.map(([a, b]) => guard(() => semver.compare(a, b)))
out.sorted = input.sortLists.map((list) => guard(() => list.slice().sort(semver.compare)))
fs.writeFileSync(process.argv[4], JSON.stringify(out))
"""

THROWS = "<throws>"

# ---------------------------------------------------------------------------
# Inputs

HAND_VERSIONS = [
    "0.0.0", "0.0.0-0", "0.0.1", "0.0.2", "0.0.3", "0.0.3-beta", "0.0.4", "0.0.4-0",
    "0.1.0", "0.1.9", "0.2.0", "0.2.5", "0.2.5-rc.1", "0.3.0", "0.3.0-0",
    "1.0.0", "1.0.0-0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
    "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0+build",
    "1.1.0", "1.2.0", "1.2.0-rc.3", "1.2.2", "1.2.3", "1.2.3-beta.1", "1.2.3-beta.2",
    "1.2.3-beta.3", "1.2.3-beta", "1.2.3-0", "1.2.3+build.5", "1.2.4", "1.2.4-beta.3",
    "1.3.0", "1.3.0-0", "1.9.9", "1.99.99", "2.0.0", "2.0.0-0", "2.0.0-rc.1", "2.0.1",
    "2.3.4", "2.3.5", "2.4.0", "2.4.0-0", "2.5.0", "3.0.0", "3.0.0-beta", "4.5.6",
    "5.0.0", "6.0.0", "7.2.3", "7.2.4", "10.0.0",
    "v1.2.3", "=1.2.3", "v=1.2.3", " 1.2.3 ", "\t1.2.3\n", "\u00a01.2.3", "\ufeff1.2.3",
    "1.2.3\u2028", "1.2", "1", "", "x", "*", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03",
    "1.2.3-01", "1.2.3-0a", "1.2.3-a..b", "1.2.3-", "1.2.3+", "1.2.3+a+b", "1.2.3beta",
    "V1.2.3", "vv1.2.3", "1.2.3-\u00e9", "\uff11.2.3",
    "9007199254740991.0.0", "9007199254740992.0.0", "1.9007199254740991.0",
    "1.2.3-9007199254740990", "1.2.3-9007199254740991", "1.2.3-99999999999999999999",
    "1.2.3-99999999999999999998", "1.2.3-99999999999999999999.a",
    "1.2.3-99999999999999999998.b",
    "1.2.3-" + "a" * 249, "1.2.3-" + "a" * 250, "1.2.3-" + "a" * 251,
    "1.2.3+" + "b" * 250, "1.2.3+" + "b" * 251, " " * 250 + "1.2.3", " " * 252 + "1.2.3",
    "1.2.3-" + "\U0001F600" * 130,
]

HAND_RANGES = [
    # plain and operator forms
    "1.2.3", "=1.2.3", "v1.2.3", "=v1.2.3", "v=1.2.3", "==1.2.3", "===1.2.3",
    ">1.2.3", ">=1.2.3", "<1.2.3", "<=1.2.3", "> 1.2.3", ">= 1.2.3", "<  1.2.3",
    ">=\t1.2.3", "> = 1.2.3", ">=v1.2.3", ">= v1.2.3", ">==1.2.3", "=>1.2.3", "!=1.2.3",
    ">=>1", ">", ">=", "<", "=", "~", "^", "~>", "-", "||", " || ", "|| 1.2.3",
    "1.2.3 ||", "1.2.3 | 2", "1.2.3 |||| 2",
    # partial versions and x-ranges
    "", " ", "*", "x", "X", "x.x", "x.x.x", "*.*.*", "1", "1.2", "1.x", "1.X", "1.*",
    "1.2.x", "1.2.*", "1.x.x", "1.x.3", "1.*.3-beta", "1.2.x-beta", "2.0.x", "x.2.3",
    ">1", ">1.2", ">=1", ">=1.2", "<1", "<1.2", "<=1", "<=1.2", "=1", "=1.2", "==1.2",
    ">*", "<*", ">=*", "<=*", "=*", ">x", "<x.2", ">1.x", "<=1.x", ">1.2.x", "<1.2.x",
    ">=1.x.x", "<=0.7.x", ">0", ">0.0", "<0", "<0.0.0", "<0.0.0-0", ">=0.0.0", ">=0.0.0-0",
    ">=0.0.0 <1", "0.0.0", "0", "0.0", "0.x",
    # caret
    "^1.2.3", "^0.2.3", "^0.0.3", "^0.0", "^0.0.x", "^0.x", "^0", "^1.2", "^1.x", "^1",
    "^*", "^x", "^1.2.3-beta.2", "^0.0.3-beta", "^0.2.3-beta", "^1.2.x", "^ 1.2.3",
    "^  1.2.3", "^=1.2.3", "^v1.2.3", "^1.2.3foo", "^1.2.3+build", "^01.2.3",
    "^9007199254740991", "^9007199254740990.0.0",
    # tilde
    "~1.2.3", "~1.2", "~1", "~0.2", "~0", "~0.2.3", "~1.2.3-beta.2", "~>1.2.3", "~>1.2",
    "~> 1", "~ 1.2.3", "~*", "~x.2", "~1.x", "~1.2.x", "~v1.2.3", "~=1.2", "~1.2.3.4",
    "~1.9007199254740991", "~9007199254740991",
    # hyphen ranges
    "1.2.3 - 2.3.4", "1.2 - 2.3.4", "1.2.3 - 2.3", "1.2.3 - 2", "1 - 2", "1.x - 2.x",
    "* - 2", "1.2.3 - *", "x - x", "1.2.3-beta.1 - 2.3.4-rc.1", "1.2.3+b - 2.3.4+c",
    "v1.2.3 - v2.3.4", "=1.2.3 - 2", "1.2.3 - =2", "1.2.3 -2.3.4", "1.2.3- 2.3.4",
    "1.2.3  -  2.3.4", "1.2.3 - 2.3.4 - 3", "5.0.0 - 7.2.3", "1.2.3 - 2.3.4 || 3",
    ">1.2.3 - 2", "1.2.3 - <2",
    # comparator sets and unions
    ">=1.0.0 <2.0.0", ">=1.0.0 <2.0.0 || >=3", " 1.x || >=2.5.0 || 5.0.0 - 7.2.3",
    ">=1.2.3 <1.2.3", ">1.2.3 <1.2.3", ">=1.2.7 <1.3.0", "1.2.7 || >=1.2.9 <2.0.0",
    ">1.0.0-alpha <1.0.0-rc", ">=1.2.3-beta.1 <1.2.3", "<1.2.3-beta.3 >1.2.3-beta.1",
    ">1 <2 || <0.0.0-0", "<0.0.0-0 || <0.0.0-0", "* || 1.2.3", "1.2.3 || *",
    "1.2.3 || x", ">=1.2.3 *", "* >=1.2.3", "1.2.3 1.2.3", "^1.2.3 ~1.2.3",
    ">=1.2.3 >=1.2.3", "^1.2 ^1.3", "~1.2.3 || ^2 || 3.x || >=4.5 <5.1",
    "\t^1.2.3\n||\u00a0~2\u3000", "\ufeff1.2.3", "1.2.3\u2029|| 2",
    # oddities npm accepts or rejects
    "1.2.3*", "*1.2.3", "1.*2", ">*1", "1.2.3 * 2", "**", "* *", "*.1", "x.x.1",
    "1.2.3.4", "1.2.3-", "1.2.3-01", "1.2.3-0a", "01.2.3", "1.2.3+", "latest", "next",
    "beta", "npm:foo@1", "1.2.3 - ", " - 1.2.3", "-1.2.3", ">=1.2.3-", "<=1.2.3+",
    "~^1.2", "^~1.2", "^>=1.2", ">=^1.2", "<>1.2.3", ">=1.2.3||<1", "1.2.3||", "||1.2.3",
    ">=1.2.3|| <1", "1.2.3 ||| 2", "9007199254740992", "<9007199254740991",
    "<=9007199254740991", ">9007199254740991", ">=1.2.3 <=99999999999999999999",
    "1.2.3-99999999999999999999", ">1.2.3-alpha.1", ">1.2.3", ">1.2.3-0",
    "1.2.3-" + "a" * 250, ">=1.2.3-" + "a" * 249, "1.2.3-a.b.c.d.e.f.g.h",
    # build metadata anywhere in a range, wildcards before numbers (semver 7.8)
    "x+b", "1.2.3+b.c || 2+d", ">=1.0.0+a <2.0.0+b", "1+b", "^1.2.3+b-c", "1.2.3 +b", "+b",
    "1.2.3+", "1.2.3++b", "x.1", "X.x.2", "*.x.1", "1.*.2", "1.X.x", ">x.1", "<=1.x.2", "~x.1",
]

GRID_OPERATORS = ["", "=", "<", "<=", ">", ">=", "~", "^", "~>", "v", "= ", ">= ", "^ "]
GRID_PARTIALS = [
    "*", "x", "0", "1", "2", "0.0", "0.1", "1.2", "1.x", "1.2.x", "1.*", "x.x",
    "0.0.1", "0.1.2", "1.2.3", "1.2.3-beta.2", "1.2.x-beta", "2.0.0-0", "1.0.0-rc.1",
]


def _grid_versions() -> list[str]:
    versions = []
    for major in (0, 1, 2, 3):
        for minor in (0, 1, 2):
            for patch in (0, 1, 3):
                for pre in ("", "-0", "-alpha", "-beta.2"):
                    versions.append(f"{major}.{minor}.{patch}{pre}")
    versions += [
        "1.2.3+build.1", "1.2.3+build.2", "1.2.3-beta.2+b", "1.2.3-beta.10",
        "1.2.3-beta", "1.2.3-rc.1", "1.0.0-rc.1", "2.0.0-rc.1", "v1.2.3", " 1.2.3",
        "10.1.0", "1.10.0", "0.0.10", "1.2", "1", "", "x", "1.2.3.4", "=1.2.3",
    ]
    return versions


def _grid_ranges(rng: random.Random) -> list[str]:
    singles = [op + p for op in GRID_OPERATORS for p in GRID_PARTIALS]
    combos = []
    for _ in range(160):
        a, b = rng.choice(singles), rng.choice(singles)
        join = rng.choice([" ", " || ", "||", " - ", "  "])
        combos.append(a + join + b)
    for _ in range(40):
        combos.append(" || ".join(rng.sample(singles, 3)))
    return singles + combos


# ---------------------------------------------------------------------------
# Hypothesis-generated inputs (collected up front so npm runs only once)

# Each generated string is drawn either from a clean vocabulary (so that most
# results are valid and the semantics are exercised in depth) or, about one
# time in three, from a vocabulary that mixes in malformed pieces.
_CLEAN = {
    "number": ["0", "0", "1", "1", "2", "2", "3", "4", "5", "9", "10", "12"],
    "xid": ["x", "X", "*"],
    "pre_id": ["alpha", "beta", "rc", "0", "1", "2", "a1", "1a", "-", "x"],
    "build": ["b", "001", "sha-1", "x"],
    "space": [""],
    "prefix": [""] * 8 + ["v"],
    "op": ["", "", "=", "<", "<=", ">", ">=", "~", "~>", "^", "^", "~", "> ", ">= ", "~ ", "^ "],
    "count": [1, 2, 3, 3, 3],
    "hyphen_space": [" "],
    "join": [" || "] * 4 + ["||", " ", "  ", "|| "],
}
_DIRTY = {
    "number": _CLEAN["number"] + ["01", "00", "9007199254740991", "9007199254740992",
                                  "99999999999999999999"],
    "xid": _CLEAN["xid"] + ["xx", "**"],
    "pre_id": _CLEAN["pre_id"] + ["01", "", "a_b"],
    "build": _CLEAN["build"] + ["", "+"],
    "space": [""] * 4 + [" ", "  ", "\t", "\n", "\u00a0", "\u3000", "\ufeff", "\x1c", "\u2028"],
    "prefix": _CLEAN["prefix"] + ["=", "v=", "=v", " ", "V", "vv", "= ", "v "],
    "op": _CLEAN["op"] + ["<  ", "==", "!", "===", "=>", "<>", "~^", "^~", "> =", "- ", "!="],
    "count": [1, 2, 3, 3, 3, 4],
    "hyphen_space": [" ", " ", "  ", "", "\t"],
    "join": _CLEAN["join"] + [" | ", "|||", " - ", "\t||\n", "||||", " -", "|"],
}


def _pick(draw, vocab: dict, key: str):
    return draw(st.sampled_from(vocab[key]))


def _draw_partial(draw, vocab: dict) -> str:
    parts = []
    for _ in range(_pick(draw, vocab, "count")):
        kind = draw(st.integers(0, 5))
        parts.append(_pick(draw, vocab, "xid" if kind == 0 else "number"))
    text = ".".join(parts)
    # npm only allows a prerelease/build after a third component.
    if len(parts) >= 3 or (vocab is _DIRTY and draw(st.integers(0, 5)) == 0):
        if draw(st.booleans()):
            ids = draw(st.lists(st.sampled_from(vocab["pre_id"]), min_size=1, max_size=3))
            text += "-" + ".".join(ids)
        if draw(st.integers(0, 3)) == 0:
            ids = draw(st.lists(st.sampled_from(vocab["build"]), min_size=1, max_size=2))
            text += "+" + ".".join(ids)
    return text


def _draw_hyphen(draw, vocab: dict) -> str:
    space = _pick(draw, vocab, "hyphen_space")
    return f"{_draw_partial(draw, vocab)}{space}-{space}{_draw_partial(draw, vocab)}"


def _draw_clause(draw, vocab: dict) -> str:
    # A hyphen range is only recognised as a whole ``||`` alternative.
    if draw(st.integers(0, 4)) == 0:
        return _draw_hyphen(draw, vocab)
    items = []
    for _ in range(draw(st.integers(1, 3))):
        if vocab is _DIRTY and draw(st.integers(0, 5)) == 0:
            items.append(_draw_hyphen(draw, vocab))
        else:
            items.append(
                _pick(draw, vocab, "op") + _pick(draw, vocab, "prefix") + _draw_partial(draw, vocab)
            )
    return " ".join(items)


@st.composite
def _grammar_ranges(draw) -> str:
    vocab = _DIRTY if draw(st.integers(0, 2)) == 0 else _CLEAN
    text = _draw_clause(draw, vocab)
    for _ in range(draw(st.integers(0, 2))):
        text += _pick(draw, vocab, "join") + _draw_clause(draw, vocab)
    return _pick(draw, vocab, "space") + text + _pick(draw, vocab, "space")


_raw_ranges = st.text(alphabet="0123456789.xX*^~<>=-+ |vabr\t\u00a0\U0001F600", max_size=24)


@st.composite
def _grammar_versions(draw) -> str:
    vocab = _DIRTY if draw(st.integers(0, 2)) == 0 else _CLEAN
    count = 3 if vocab is _CLEAN else draw(st.sampled_from([3, 3, 3, 2, 4]))
    text = ".".join(_pick(draw, vocab, "number") for _ in range(count))
    if draw(st.booleans()):
        ids = draw(st.lists(st.sampled_from(vocab["pre_id"]), min_size=1, max_size=3))
        text += "-" + ".".join(ids)
    if draw(st.integers(0, 3)) == 0:
        ids = draw(st.lists(st.sampled_from(vocab["build"]), min_size=1, max_size=2))
        text += "+" + ".".join(ids)
    prefix = _pick(draw, vocab, "prefix")
    return _pick(draw, vocab, "space") + prefix + text + _pick(draw, vocab, "space")


_raw_versions = st.text(alphabet="0123456789.-+vabx =\t", max_size=16)


def _collect(strategy, count: int) -> list:
    found: list = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value) -> None:
        found.append(value)

    collect()
    return found


# ---------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="session")
def npm_semver_dir() -> Path:
    """Path of an installed ``semver@NPM_SEMVER_VERSION`` package."""
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        pytest.skip("node and npm are needed for the npm semver differential test")
    base = Path(os.environ.get("TWILINT_TEST_CACHE") or Path.home() / ".cache" / "twilint-tests")
    target = base / f"npm-semver-{NPM_SEMVER_VERSION}"
    package_json = target / "node_modules" / "semver" / "package.json"
    if not package_json.is_file():
        base.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp-", dir=base))
        cmd = [
            npm, "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
            "--ignore-scripts", "--prefix", str(staging), f"semver@{NPM_SEMVER_VERSION}",
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as exc:
            shutil.rmtree(staging, ignore_errors=True)
            pytest.fail(f"npm install semver@{NPM_SEMVER_VERSION} failed: {exc}")
        staged_json = staging / "node_modules" / "semver" / "package.json"
        if proc.returncode != 0 or not staged_json.is_file():
            shutil.rmtree(staging, ignore_errors=True)
            pytest.fail(
                f"npm install semver@{NPM_SEMVER_VERSION} failed (exit {proc.returncode}):\n"
                f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
            )
        if target.exists() and not package_json.is_file():
            shutil.rmtree(target, ignore_errors=True)  # broken leftover
        try:
            staging.rename(target)
        except OSError:  # another process installed it concurrently
            shutil.rmtree(staging, ignore_errors=True)
        if not package_json.is_file():
            pytest.fail(f"semver package missing from {target} after npm install")
    installed = json.loads(package_json.read_text(encoding="utf-8"))["version"]
    assert installed == NPM_SEMVER_VERSION, f"{target} holds semver {installed}"
    return package_json.parent


@pytest.fixture(scope="session")
def cases() -> dict:
    rng = random.Random(20240607)
    gen_ranges = _collect(_grammar_ranges(), 1500) + _collect(_raw_ranges, 400)
    gen_versions = _collect(_grammar_versions(), 500) + _collect(_raw_versions, 150)
    grid_versions = _grid_versions()
    grid_ranges = _grid_ranges(rng)

    versions = list(dict.fromkeys(HAND_VERSIONS + grid_versions + gen_versions))
    ranges = list(dict.fromkeys(HAND_RANGES + grid_ranges + gen_ranges))

    pairs = [(v, r) for r in HAND_RANGES for v in HAND_VERSIONS]
    for r in gen_ranges:
        pairs += [(v, r) for v in rng.sample(grid_versions, 12)]
        pairs += [(v, r) for v in rng.sample(gen_versions, 4)]
    for v in gen_versions:
        pairs += [(v, r) for r in rng.sample(grid_ranges, 12)]

    valid_versions = [v for v in versions if nr.valid(v) is not None]
    extreme_lists = [
        grid_versions,
        grid_versions[::-1],
        rng.sample(valid_versions, 60) + ["1.2.3+z", "1.2.3+a", "v1.2.3"],
    ]
    intersect_ranges = HAND_RANGES[::2] + rng.sample(grid_ranges, 40) + rng.sample(gen_ranges, 40)
    intersect_pairs = [(a, b) for a in intersect_ranges for b in intersect_ranges[::3]]
    compare_pairs = [tuple(rng.sample(valid_versions, 2)) for _ in range(3000)]
    compare_pairs += [
        ("1.2.3-99999999999999999999.a", "1.2.3-99999999999999999998.b"),
        ("1.2.3-9007199254740991", "1.2.3-9007199254740990"),
        ("1.2.3+a", "1.2.3+b"),
    ]
    return {
        "versions": versions,
        "ranges": ranges,
        "gridVersions": grid_versions,
        "gridRanges": grid_ranges,
        "pairs": pairs,
        "extremeRanges": ranges,
        "extremeLists": extreme_lists,
        "intersects": intersect_pairs,
        "compare": compare_pairs,
        "sortLists": [valid_versions, valid_versions[::-1], rng.sample(valid_versions, 100)],
    }


@pytest.fixture(scope="session")
def npm_results(npm_semver_dir: Path, cases: dict, tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("npm-semver-oracle")
    script, data, result = work / "oracle.js", work / "input.json", work / "output.json"
    script.write_text(_NODE_SCRIPT, encoding="utf-8")
    data.write_text(json.dumps(cases), encoding="utf-8")
    node = shutil.which("node")
    assert node is not None
    proc = subprocess.run(
        [node, str(script), str(npm_semver_dir), str(data), str(result)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, f"node oracle failed:\n{proc.stderr[-4000:]}"
    out = json.loads(result.read_text(encoding="utf-8"))
    assert out["version"] == NPM_SEMVER_VERSION
    return out


def _check(mismatches: list[str], compared: int, what: str) -> None:
    assert compared > 0, f"no {what} results were compared"
    assert not mismatches, (
        f"{len(mismatches)} of {compared} {what} results differ from npm semver "
        f"{NPM_SEMVER_VERSION}; first ones:\n" + "\n".join(mismatches[:20])
    )


# ---------------------------------------------------------------------------
# Differential tests

npm_marker = pytest.mark.npm


@npm_marker
def test_valid_matches_npm(cases, npm_results):
    bad = []
    rows = zip(cases["versions"], npm_results["valid"], npm_results["validTrimmed"], strict=True)
    for v, want, want_trimmed in rows:
        got = nr.valid(v)
        parsed = nr.parse_version(v)
        from_parsed = None
        if parsed is not None:
            from_parsed = f"{parsed.major}.{parsed.minor}.{parsed.patch}"
            if parsed.prerelease:
                from_parsed += f"-{parsed.prerelease}"
        if got != want or from_parsed != want:
            bad.append(f"valid({v!r}): npm={want!r} py={got!r} parse_version={parsed!r}")
        if nr.is_exact_version(v) != (want_trimmed is not None):
            bad.append(f"is_exact_version({v!r}): npm valid(trim)={want_trimmed!r}")
    _check(bad, 2 * len(cases["versions"]), "valid()")


@npm_marker
def test_ranges_match_npm(cases, npm_results):
    bad = []
    rows = zip(cases["ranges"], npm_results["ranges"], strict=True)
    for r, (want_valid, want_range, want_min) in rows:
        got_valid = nr.valid_range(r)
        try:
            got_range = str(nr.Range(r))
        except ValueError:
            got_range = THROWS
        got_min = nr.min_version(r)
        if want_min == THROWS:
            want_min = None  # documented: None instead of throwing
        if (got_valid, got_range, got_min) != (want_valid, want_range, want_min):
            bad.append(
                f"range {r!r}: npm validRange={want_valid!r} .range={want_range!r} "
                f"minVersion={want_min!r} | py {got_valid!r} {got_range!r} {got_min!r}"
            )
    _check(bad, 3 * len(cases["ranges"]), "validRange/Range.range/minVersion")


@npm_marker
def test_satisfies_matches_npm(cases, npm_results):
    bad = []
    compared = 0
    versions = cases["gridVersions"]
    for r, row in zip(cases["gridRanges"], npm_results["grid"], strict=True):
        for v, want in zip(versions, row, strict=True):
            compared += 1
            if nr.satisfies(v, r) != (want == "1"):
                bad.append(f"satisfies({v!r}, {r!r}): npm={want == '1'}")
    for (v, r), want in zip(cases["pairs"], npm_results["pairs"], strict=True):
        compared += 1
        if nr.satisfies(v, r) != want:
            bad.append(f"satisfies({v!r}, {r!r}): npm={want}")
    assert compared >= MIN_SATISFIES_PAIRS, f"only {compared} satisfies() pairs compared"
    _check(bad, compared, "satisfies()")


@npm_marker
def test_max_min_satisfying_match_npm(cases, npm_results):
    bad = []
    compared = 0
    for r, row in zip(cases["extremeRanges"], npm_results["extremes"], strict=True):
        for versions, (want_max, want_min) in zip(cases["extremeLists"], row, strict=True):
            compared += 2
            got = (nr.max_satisfying(versions, r), nr.min_satisfying(versions, r))
            if got != (want_max, want_min):
                bad.append(
                    f"max/minSatisfying(<{len(versions)} versions>, {r!r}): "
                    f"npm={(want_max, want_min)!r} py={got!r}"
                )
    _check(bad, compared, "maxSatisfying/minSatisfying")


@npm_marker
def test_intersects_matches_npm(cases, npm_results):
    bad = []
    for (a, b), want in zip(cases["intersects"], npm_results["intersects"], strict=True):
        if want == THROWS:
            want = False  # documented: False instead of throwing
            if nr.valid_range(a) is not None and nr.valid_range(b) is not None:
                bad.append(f"intersects({a!r}, {b!r}): npm threw on valid ranges")
        got = nr.intersects(a, b)
        if got != want:
            bad.append(f"intersects({a!r}, {b!r}): npm={want} py={got}")
    _check(bad, len(cases["intersects"]), "intersects()")


@npm_marker
def test_compare_and_sort_match_npm(cases, npm_results):
    def py_compare(a, b):
        try:
            return nr.compare(a, b)
        except ValueError:
            return THROWS

    def py_sorted(versions):
        try:
            return sorted(versions, key=functools.cmp_to_key(nr.compare))
        except ValueError:
            return THROWS

    bad = []
    compared = 0
    for (a, b), want in zip(cases["compare"], npm_results["compare"], strict=True):
        compared += 1
        got = py_compare(a, b)
        if got != want:
            bad.append(f"compare({a!r}, {b!r}): npm={want} py={got}")
    for versions, want in zip(cases["sortLists"], npm_results["sorted"], strict=True):
        compared += 1
        got = py_sorted(versions)
        if got != want:
            if THROWS in (got, want):
                bad.append(f"sort of {len(versions)} versions: npm={want!r:.80} py={got!r:.80}")
            else:
                first = next(i for i, (x, y) in enumerate(zip(got, want)) if x != y)
                bad.append(
                    f"sort differs at {first}: npm={want[first:first + 3]} py={got[first:first + 3]}"
                )
    _check(bad, compared, "compare()/sort")


def _oracle_counts(cases: dict, npm_results: dict) -> dict[str, int]:
    """Number of npm answers per category, checked against the inputs sent."""
    grid = len(cases["gridRanges"]) * len(cases["gridVersions"])
    assert len(npm_results["grid"]) == len(cases["gridRanges"])
    assert sum(len(row) for row in npm_results["grid"]) == grid
    for key in ("pairs", "intersects", "compare"):
        assert len(npm_results[key]) == len(cases[key]), key
    assert len(npm_results["valid"]) == len(cases["versions"])
    assert len(npm_results["ranges"]) == len(cases["ranges"])
    assert len(npm_results["extremes"]) == len(cases["extremeRanges"])
    return {
        "satisfies": grid + len(cases["pairs"]),
        "valid": 2 * len(cases["versions"]),
        "ranges": 3 * len(cases["ranges"]),
        "extremes": 2 * len(cases["extremeRanges"]) * len(cases["extremeLists"]),
        "intersects": len(cases["intersects"]),
        "compare": len(cases["compare"]) + len(cases["sortLists"]),
    }


@npm_marker
def test_enough_results_compared(cases, npm_results):
    # Guards against a harness that passes by comparing (almost) nothing.
    counts = _oracle_counts(cases, npm_results)
    assert counts["satisfies"] >= MIN_SATISFIES_PAIRS, counts
    assert sum(counts.values()) >= MIN_TOTAL_COMPARED, counts


# ---------------------------------------------------------------------------
# Plain unit tests (no node needed)


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        ("2.0.1", "exact"),
        ("1.2.0-rc.3", "exact"),
        ("v1.2.3", "exact"),
        (" 1.2.3 ", "exact"),
        ("1.2.3+build.7", "exact"),
        ("^2.1.0", "range"),
        ("~1.2.0", "range"),
        ("*", "range"),
        ("x", "range"),
        ("2.0.x", "range"),
        (">=2", "range"),
        ("1.2", "range"),
        ("1", "range"),
        ("=1.2.3", "range"),
        (">=1.0.0 <2.0.0 || >=3", "range"),
        ("1.2.3 - 2.3.4", "range"),
        ("latest", "tag"),
        ("next", "tag"),
        ("beta", "tag"),
        ("npm:foo@^1.2.3", "alias"),
        ("npm:@scope/pkg@1.0.0", "alias"),
        ("workspace:^1.0.0", "workspace"),
        ("workspace:*", "workspace"),
        ("github:twilio/x", "git"),
        ("twilio/twilio-node", "git"),
        ("twilio/twilio-node#v4.0.0", "git"),
        ("gitlab:user/repo", "git"),
        ("bitbucket:user/repo", "git"),
        ("git+https://github.com/twilio/x.git", "git"),
        ("git+ssh://git@github.com/twilio/x.git#semver:^1", "git"),
        ("git://github.com/twilio/x.git", "git"),
        ("git@github.com:twilio/x.git", "git"),
        ("https://github.com/twilio/x", "git"),
        ("https://example.com/repo.git", "git"),
        ("file:../x", "file"),
        ("./x", "file"),
        ("../x", "file"),
        ("/abs/path", "file"),
        ("~/pkg", "file"),
        ("x.tgz", "file"),
        ("https://x/y.tgz", "url"),
        ("http://registry.example.com/pkg/-/pkg-1.0.0.tgz", "url"),
        ("link:../x", "link"),
        ("", "empty"),
        ("   ", "empty"),
        (">=>1", "invalid"),
        ("^1.2.3foo", "invalid"),
        ("1.2.3.4", "tag"),  # not a range, but a legal dist-tag name (as npm-package-arg)
        ("ftp://example.com/x", "invalid"),
        ("has space", "invalid"),
    ],
)
def test_classify_spec(spec, kind):
    assert kind in nr.SPEC_KINDS
    assert nr.classify_spec(spec) == kind


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("2.0.1", True),
        ("1.2.0-rc.3", True),
        ("v1.2.3", True),
        ("  1.2.3\n", True),
        ("1.2.3+build", True),
        ("=1.2.3", False),
        ("^1.2.3", False),
        ("~1.2.0", False),
        ("1.x", False),
        ("*", False),
        (">=1", False),
        ("1.2", False),
        ("1", False),
        ("latest", False),
        ("next", False),
        ("", False),
        ("01.2.3", False),
        ("1.2.3-01", False),
        ("github:twilio/x", False),
    ],
)
def test_is_exact_version(spec, expected):
    assert nr.is_exact_version(spec) is expected


def test_parse_version():
    v = nr.parse_version("v1.2.3-beta.1+build.5")
    assert v is not None
    assert (v.major, v.minor, v.patch, v.prerelease, v.build) == (1, 2, 3, "beta.1", "build.5")
    assert nr.parse_version("1.2") is None
    assert nr.parse_version("=1.2.3") is None
    assert nr.parse_version("9007199254740992.0.0") is None


@pytest.mark.parametrize(
    ("version", "spec", "expected"),
    [
        ("1.2.3-beta.3", "^1.2.3-beta.2", True),
        ("1.2.4-beta.3", "^1.2.3-beta.2", False),
        ("1.9.0", "^1.2.3-beta.2", True),
        ("0.0.3", "^0.0.3", True),
        ("0.0.4", "^0.0.3", False),
        ("0.2.9", "~0.2", True),
        ("0.3.0", "~0.2", False),
        ("1.3.0", ">1.2", True),
        ("1.2.9", ">1.2", False),
        ("1.2.9", "<=1.2", True),
        ("1.3.0-0", "<=1.2", False),
        ("1.2.0-rc.1", "<1.2", False),
        ("2.3.9", "1.2.3 - 2.3", True),
        ("2.4.0", "1.2.3 - 2.3", False),
        ("3.1.0", ">=1.0.0 <2.0.0 || >=3", True),
        ("6.0.0", " 1.x || >=2.5.0 || 5.0.0 - 7.2.3", True),
        ("1.2.3+build", "1.2.3", True),
        ("1.2.3", ">=>1", False),
        ("1.2.3", "latest", False),
        ("not-a-version", "*", False),
        ("1.0.0-rc.1", "*", False),
        ("1.2.3", "", True),
    ],
)
def test_satisfies_examples(version, spec, expected):
    assert nr.satisfies(version, spec) is expected


def test_range_api():
    r = nr.Range(" ^1.2.3 || ~0.2 ")
    assert str(r) == ">=1.2.3 <2.0.0-0||>=0.2.0 <0.3.0-0"
    assert r.test("1.5.0") and r.test(nr.parse_version("0.2.7"))
    assert not r.test("2.0.0")
    assert str(nr.Range("*")) == "" and nr.valid_range("*") == "*"
    for bad in (">=>1", "1.2.3.4", "latest", "^1.2.3foo", ">"):
        with pytest.raises(ValueError):
            nr.Range(bad)
        assert nr.valid_range(bad) is None
    assert nr.max_satisfying(["1.2.3", "1.4.0", "2.0.0", "1.5.0-rc.1"], "^1.2") == "1.4.0"
    assert nr.max_satisfying(["1.2.3"], "not a range") is None
    assert nr.min_version(">1.2.3") == "1.2.4"
    assert nr.min_version(">1.2.3-alpha") == "1.2.3-alpha.0"
    assert nr.min_version("<0.0.0-0") is None
    assert nr.min_version(">=>1") is None
    assert nr.intersects("^1.2", ">=1.9 <3")
    assert not nr.intersects("^1", "^2")
    assert not nr.intersects("^1", ">=>1")
