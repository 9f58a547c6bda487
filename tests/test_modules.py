"""twilint.analysis.modules and twilint.lockfile: specifiers, references, lockfiles, installed
packages, and a differential test of the ESM range decision against npm's own semver."""

from __future__ import annotations

import json
import random
import shutil
import subprocess

import pytest

from conftest import FIXTURES, write_tree
from test_npmrange import npm_semver_dir  # noqa: F401  (the pinned npm semver, installed once)
from twilint.analysis import modules as M
from twilint.lockfile import locked_package
from twilint.project import discover

BASE = FIXTURES / "modules"


def project(path):
    d = discover([path])
    (p,) = d.projects.values()
    return p


@pytest.mark.parametrize(
    ("text", "category", "package", "subpath"),
    [
        ("fs", "builtin", None, "."),
        ("node:fs/promises", "builtin", None, "."),
        ("fs/promises", "builtin", None, "."),
        ("node:test", "builtin", None, "."),
        ("test", "package", "test", "."),  # a builtin only with node:
        ("punycode/", "package", "punycode", "."),
        ("node:nope", "invalid", None, "."),
        ("./x", "relative", None, "."),
        ("../y/z.js", "relative", None, "."),
        ("/abs/x.js", "absolute", None, "."),
        ("lodash/get", "package", "lodash", "./get"),
        ("@sendgrid/mail", "package", "@sendgrid/mail", "."),
        ("@scope/pkg/deep/x.js", "package", "@scope/pkg", "./deep/x.js"),
        ("@scope", "invalid", None, "."),
        ("data:text/javascript,1", "url", None, "."),
    ],
)
def test_parse_specifier(text, category, package, subpath):
    s = M.parse_specifier(text)
    assert (s.category, s.package, s.subpath) == (category, package, subpath)


def test_references_come_from_the_tree_not_the_text():
    p = project(BASE / "declared")
    f = next(f for f in p.files.values() if f.rel == "functions/negatives.js")
    refs = [(r.kind, r.specifier) for r in M.module_refs(f)]
    # JSDoc import('...') types, commented-out requires and strings are not references
    assert refs == [
        ("require", "chalk"), ("require", "nanoid"), ("require", "p-retry"), ("require", "ora"),
        ("dynamic-import", "got"), ("dynamic-import", "node-fetch"),
    ]


def test_runtime_paths_and_ts_forms(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"twilio": "^5"}}',
        "functions/a.ts": (
            "import type { A } from 'types-only';\n"
            "import x = require('ts-require');\n"
            "export { y } from 'reexport';\n"
            "const h = require(Runtime.getFunctions()['x'].path);\n"
            "const tpl = require(`templ`);\n"
        ),
    })
    f = next(f for f in project(root).files.values() if f.rel == "functions/a.ts")
    refs = [(r.kind, r.specifier, r.type_only) for r in M.module_refs(f)]
    assert refs == [
        ("import", "types-only", True), ("import-require", "ts-require", False),
        ("export-from", "reexport", False), ("require", "templ", False),
    ]


@pytest.mark.parametrize("fmt", ["npm-v1", "npm-v3", "yarn-v1", "yarn-berry", "pnpm-v5", "pnpm-v6", "pnpm-v9"])
def test_lockfile_formats(fmt):
    p = project(BASE / f"lock-{fmt}")
    got = {n: locked_package(p, n) for n in ("node-fetch", "got", "fetch3", "form-data", "@twilio/runtime-handler", "absent")}
    assert got["absent"] is None
    assert (got["node-fetch"].version, got["node-fetch"].direct) == ("2.7.0", True)
    assert got["got"].version == "12.6.1"
    assert (got["fetch3"].version, got["fetch3"].real_name) == ("3.3.2", "node-fetch")
    assert (got["form-data"].version, got["form-data"].direct) == ("4.0.0", False)
    assert got["@twilio/runtime-handler"].version == "2.0.1"


def test_existing_lockfile_fixtures_still_resolve():
    from twilint.lockfile import resolved_version

    for name, version in (("lock-npm", "1.3.0"), ("lock-npm-v1", "1.2.5"), ("lock-yarn", "1.2.4"), ("lock-pnpm", "1.1.3")):
        p = project(FIXTURES / "runtime-handler" / name)
        assert resolved_version(p, "@twilio/runtime-handler")[0] == version


@pytest.mark.parametrize(
    ("package", "subpath", "result"),
    [
        ("esm-only", ".", "no-require-condition"),
        ("dual", ".", "cjs"),
        ("plain-cjs", ".", "cjs"),
        ("node-fetch", ".", "esm"),
        ("got", ".", "cjs"),
        ("subpaths", ".", "cjs"),
        ("subpaths", "./esm", "no-require-condition"),
        ("subpaths", "./lib/x", "cjs"),
        ("subpaths", "./modern/y", "esm"),
        ("subpaths", "./missing", "not-exported"),
        ("mjs-main", ".", "esm"),
        ("nested-cjs", ".", "cjs"),  # type=module at the root, dist/cjs/package.json says commonjs
    ],
)
def test_installed_require_resolution(package, subpath, result):
    p = project(BASE / "installed")
    inst = M.installed(p, package)
    assert inst.require_resolution(subpath)[0] == result


def test_installed_fields():
    p = project(BASE / "installed")
    assert M.installed(p, "esm-only").engines == {"node": ">=18"}
    assert M.installed(p, "plain-cjs").main == "lib/index.js"
    assert M.installed(p, "gyp-flag").native_markers and not M.installed(p, "dual").native_markers
    assert M.installed(p, "absent") is None


def test_stale_install_falls_back_to_the_declared_range(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"node-fetch": "^2.7.0"}}',
        "node_modules/node-fetch/package.json": '{"name": "node-fetch", "version": "3.3.2", "type": "module"}',
    })
    v = M.esm_verdict(project(root), "node-fetch")
    assert (v.esm, v.source) == (False, "declared")


@pytest.mark.parametrize(
    ("node", "supported"),
    [("22.14.0", True), ("22.11.0", False), ("20.18.3", False), ("20.19.0", True), ("24", True), ("18.16.1", False), (None, None)],
)
def test_require_esm_support(node, supported):
    assert M.require_esm_supported(node) is supported


def test_esm_table_is_verified_data():
    table = M.esm_only_table()
    for name in ("node-fetch", "got", "p-retry", "chalk", "nanoid", "inquirer", "log-symbols", "ora", "execa"):
        e = table[name]
        assert e.verified.startswith("npm view") and e.cjs_version
        assert int(e.cjs_version.split(".")[0]) == e.esm_major - 1 or name == "lowdb"
    assert (table["node-fetch"].esm_major, table["got"].esm_major, table["p-retry"].esm_major) == (3, 12, 5)


def test_range_admits_esm_examples():
    nf = M.esm_only_table()["node-fetch"]
    assert not M.range_admits_esm("^2.6.7", nf)
    assert M.range_admits_esm(">=2", nf)
    assert M.range_admits_esm("2 || 3", nf)
    assert not M.range_admits_esm("<3", nf)
    assert not M.range_admits_esm("~2.6.1", nf)


# -- differential: the ESM decision against npm's semver ---------------------------------------

_ORACLE = r"""
const fs = require('fs')
const semver = require(process.argv[2])
const input = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'))
const out = {
  admits: input.admits.map(([r, esm]) => { try { return semver.intersects(r, esm) } catch (e) { return false } }),
  lockAdmitted: input.lockAdmitted.map(([v, r]) => semver.satisfies(v, r)),
  majors: input.majors.map((v) => { const p = semver.parse(v); return p === null ? null : p.major }),
}
fs.writeFileSync(process.argv[4], JSON.stringify(out))
"""


def _generated_ranges(rng: random.Random, major: int) -> list[str]:
    majors = [max(major - 2, 0), max(major - 1, 0), major, major + 1]
    versions = []
    for m in majors:
        versions += [f"{m}", f"{m}.0", f"{m}.0.0", f"{m}.6.7", f"{m}.x", f"{m}.0.0-beta.1", f"{m}.99.99"]
    ops = ["", "^", "~", ">=", ">", "<", "<=", "=", "~>"]
    singles = [op + v for op in ops for v in versions]
    out = list(singles) + ["*", "x", "", "latest", f">={major - 1} <{major}", f">={major - 1} <{major}.0.0-0"]
    for _ in range(120):
        a, b = rng.choice(singles), rng.choice(singles)
        out.append(rng.choice([f"{a} {b}", f"{a} || {b}", f"{a} - {rng.choice(versions)}"]))
    return out


@pytest.mark.npm
def test_esm_decision_matches_npm_semver(npm_semver_dir, tmp_path):  # noqa: F811
    node = shutil.which("node")
    assert node is not None
    rng = random.Random(5)
    table = M.esm_only_table()
    admits, lock_admitted, majors = [], [], []
    for name in ("node-fetch", "got", "p-retry", "chalk", "nanoid", "inquirer", "uuid"):
        e = table[name]
        for r in _generated_ranges(rng, e.esm_major):
            admits.append((name, r, e.esm_range))
        vs = [f"{e.esm_major - 1}.9.0", f"{e.esm_major}.0.0", f"{e.esm_major}.0.0-rc.1", f"{e.esm_major + 2}.1.0", e.cjs_version]
        for v in vs:
            majors.append(v)
            for r in rng.sample(_generated_ranges(rng, e.esm_major), 8):
                lock_admitted.append((v, r))
    majors += ["01.2.3", "v3.0.0", "3.0", "x"]
    data = tmp_path / "in.json"
    out = tmp_path / "out.json"
    script = tmp_path / "oracle.js"
    script.write_text(_ORACLE)
    data.write_text(json.dumps({
        "admits": [(r, esm) for _, r, esm in admits], "lockAdmitted": lock_admitted, "majors": majors,
    }))
    proc = subprocess.run([node, str(script), str(npm_semver_dir), str(data), str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    want = json.loads(out.read_text())
    bad = []
    for (name, r, _), w in zip(admits, want["admits"], strict=True):
        if M.range_admits_esm(r, table[name]) != w:
            bad.append(f"range_admits_esm({r!r}, {name}): npm intersects={w}")
    from twilint import npmrange

    for (v, r), w in zip(lock_admitted, want["lockAdmitted"], strict=True):
        if npmrange.satisfies(v, r) != w:
            bad.append(f"satisfies({v!r}, {r!r}): npm={w}")
    for v, w in zip(majors, want["majors"], strict=True):
        parsed = npmrange.parse_version(v)
        if (parsed.major if parsed is not None else None) != w:
            bad.append(f"major({v!r}): npm={w}")
    assert len(admits) >= 700 and len(lock_admitted) >= 200
    assert not bad, f"{len(bad)} differ from npm semver:\n" + "\n".join(bad[:20])


def test_ts_imports_used_only_as_types_are_elided(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"twilio": "^5"}}',
        "functions/a.ts": (
            "import '@twilio-labs/serverless-runtime-types';\n"
            "import { Context } from '@twilio-labs/serverless-runtime-types/types';\n"
            "import got from 'got';\n"
            "import { type A, b } from 'mixed';\n"
            "export const handler = async (context: Context, event: A, callback: any) => callback(null, [await got('x'), b]);\n"
        ),
    })
    f = next(f for f in project(root).files.values() if f.rel == "functions/a.ts")
    assert [(r.specifier, r.type_only) for r in M.module_refs(f)] == [
        ("@twilio-labs/serverless-runtime-types", False),
        ("@twilio-labs/serverless-runtime-types/types", True),
        ("got", False),
        ("mixed", False),
    ]
