from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import write_tree
from twilint.project import discover

PJ = '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}'


def test_nested_projects_and_file_ownership(tmp_path):
    write_tree(tmp_path, {
        "package.json": '{"workspaces": ["a", "b"]}',
        "a/package.json": PJ,
        "a/functions/x.js": "exports.handler = () => {};",
        "a/functions/sub/y.protected.js": "exports.handler = () => {};",
        "a/assets/z.private.js": "module.exports = 1;",
        "a/assets/logo.png": b"\x89PNG\r\n",
        "b/.twilioserverlessrc": "{}",
        "b/functions/w.js": "exports.handler = () => {};",
        "c/functions/v.js": "exports.handler = () => {};",  # no package.json: not a nested project
    })
    disc = discover([tmp_path])
    assert set(disc.projects) == {tmp_path, tmp_path / "a", tmp_path / "b"}
    a = disc.projects[tmp_path / "a"]
    files = {f.rel: (f.kind, f.role, f.visibility) for f in a.files.values()}
    assert files["functions/x.js"] == ("js", "function", "public")
    assert files["functions/sub/y.protected.js"] == ("js", "function", "protected")
    assert files["assets/z.private.js"] == ("js", "asset", "private")
    assert files["assets/logo.png"] == ("asset", "asset", "public")
    assert files["package.json"] == ("package.json", "project", "public")
    b = disc.projects[tmp_path / "b"]
    assert b.serverless_config_file is not None and b.serverless_config_file.rel == ".twilioserverlessrc"
    # c has no project file, so its JS belongs to the root project as "other" and is not linted
    root = disc.projects[tmp_path]
    assert all(f.kind not in ("js", "ts") for f in root.files.values())


def test_skips_node_modules_git_build_and_minified(tmp_path):
    long_line = "var a=" + "1+" * 4000 + "1;"
    write_tree(tmp_path, {
        "package.json": PJ,
        "functions/ok.js": "exports.handler = () => {};",
        "functions/node_modules/dep/index.js": "module.exports = 1;",
        "node_modules/x/functions/a.js": "x",
        ".git/functions/a.js": "x",
        "dist/functions/a.js": "exports.handler = () => {};",
        "functions/vendor.min.js": "var a=1;",
        "functions/bundle.js": long_line,
    })
    disc = discover([tmp_path])
    p = disc.projects[tmp_path]
    rels = {f.rel for f in p.files.values()}
    assert "functions/ok.js" in rels
    assert not any("node_modules" in r or r.startswith((".git", "dist")) for r in rels)
    from twilint.engine import lintable

    assert lintable(p.files[tmp_path / "functions/ok.js"])
    assert not lintable(p.files[tmp_path / "functions/vendor.min.js"])
    assert not lintable(p.files[tmp_path / "functions/bundle.js"])


@pytest.mark.parametrize(
    "config_name,content",
    [
        (".twilioserverlessrc", "// json5\n{ functionsFolder: 'handlers', assetsFolder: \"public\", }\n"),
        (".twilioserverlessrc.json", '{"functionsFolder": "handlers", "assetsFolder": "public"}'),
        (".twilioserverlessrc.yaml", "functionsFolder: handlers\nassetsFolder: public\n"),
        (".twilioserverlessrc.yml", "# comment\nfunctionsFolder: 'handlers'\nassetsFolder: public\n"),
        (".twilioserverlessrc.js", "module.exports = { functionsFolder: 'handlers', assetsFolder: `public` };\n"),
        (".twilioserverlessrc.cjs", "const config = { functionsFolder: 'handlers', assetsFolder: 'public' };\nmodule.exports = config;\n"),
        ("twilioserverless.config.js", "exports.functionsFolder = 'handlers';\nexports.assetsFolder = 'public';\n"),
    ],
)
def test_functions_folder_from_every_config_format(tmp_path, config_name, content):
    write_tree(tmp_path, {
        "package.json": PJ,
        config_name: content,
        "handlers/a.js": "exports.handler = () => {};",
        "public/b.private.js": "module.exports = 1;",
        "functions/old.js": "exports.handler = () => {};",
    })
    p = discover([tmp_path]).projects[tmp_path]
    assert p.serverless_config_file.rel == config_name
    assert p.functions_dirs == [tmp_path / "handlers"]
    assert p.assets_dirs == [tmp_path / "public"]
    kinds = {f.rel: f.role for f in p.files.values()}
    assert kinds["handlers/a.js"] == "function"
    assert kinds["public/b.private.js"] == "asset"
    assert "functions/old.js" not in kinds  # not deployed, not linted as a Function


def test_package_json_twilioserverless_key_wins(tmp_path):
    write_tree(tmp_path, {
        "package.json": '{"twilioserverless": {"functionsFolder": "fn"}}',
        ".twilioserverlessrc": "{ functionsFolder: 'other' }",
        "fn/a.js": "exports.handler = () => {};",
    })
    p = discover([tmp_path]).projects[tmp_path]
    assert p.serverless_config_file.rel == "package.json"
    assert p.functions_dirs == [tmp_path / "fn"]


def test_functions_folder_in_build_output_lints_the_sources(tmp_path):
    # platform-notes N11: ESM sources compiled by a bundler into out/functions
    write_tree(tmp_path, {
        "package.json": PJ,
        ".twilioserverlessrc": "{\n  \"functionsFolder\": 'out/functions',\n}\n",
        "functions/a.js": "import { greet } from '../lib/text';\nexport function handler(c, e, cb) { cb(null, greet()); }\n",
        "out/functions/a.js": "exports.handler = () => {};",
    })
    p = discover([tmp_path]).projects[tmp_path]
    assert p.bundled
    assert p.functions_dirs == [tmp_path / "functions"]
    assert {f.rel for f in p.files.values() if f.kind == "js"} == {"functions/a.js"}


def test_src_functions_layout(tmp_path):
    write_tree(tmp_path, {
        "package.json": PJ,
        "src/functions/a.ts": "export const handler = () => {};",
        "src/assets/b.private.ts": "export const x = 1;",
    })
    p = discover([tmp_path]).projects[tmp_path]
    assert p.functions_dirs == [tmp_path / "src" / "functions"]
    assert p.assets_dirs == [tmp_path / "src" / "assets"]


@pytest.mark.parametrize("package_json,layout,functions", [
    # twilio-run's `src` fallback: only in a Serverless Toolkit project
    ('{"devDependencies": {"twilio-run": "^4"}}', ["src/a.js"], "src"),
    ('{"twilioserverless": {}}', ["src/a.js"], "src"),
    ('{"dependencies": {"twilio": "^5"}}', ["src/a.js"], None),  # a web app that uses the library
    ('{"dependencies": {"twilio": "^5"}}', ["src/functions/a.js", "src/b.js"], "src/functions"),
    ('{"devDependencies": {"twilio-run": "^4"}}', ["functions/a.js", "src/b.js"], "functions"),
    ('{"devDependencies": {"twilio-run": "^4"}}', ["src/functions/a.js", "src/b.js"], "src/functions"),
    ('{"devDependencies": {"twilio-run": "^4"}, "twilioserverless": {"functionsFolder": "out/fn"}}',
     ["out/fn/a.js", "src/b.js"], "src"),  # build output named: the sources are linted
])
def test_src_is_the_functions_folder_only_in_a_toolkit_project(tmp_path, package_json, layout, functions):
    write_tree(tmp_path, {"package.json": package_json, **{f: "exports.handler = () => {};\n" for f in layout}})
    p = discover([tmp_path]).projects[tmp_path]
    assert p.functions_dirs == ([tmp_path / functions] if functions else [])


def test_discovery_leaves_package_json_unparsed_when_the_layout_is_plain(tmp_path):
    """With a `functions` folder, discovery needs neither the dependencies (is it a Toolkit
    project?) nor decoded text (the config keys are looked for in the bytes): a warm run reads
    each package.json and goes no further."""
    for layout in ("functions/a.js", "lib/a.js"):  # (without a `src` folder, nothing to ask either)
        root = write_tree(tmp_path / layout.split("/")[0], {
            "package.json": '{"dependencies": {"twilio-run": "^4"}}', layout: "x\n"})
        pj = discover([root]).projects[root].package_json
        assert pj.is_read and "_plain_json" not in pj.__dict__ and pj._data is None, layout


@pytest.mark.parametrize("raw,toolkit,parsed", [
    (b'{"devDependencies": {"twilio-run": "^4"}}', True, True),
    (b'{"devDependencies": {"twilio\\u002drun": "^4"}}', True, True),  # an escape: parsed to know
    ('{"devDependencies": {"twilio-run": "^4"}}'.encode("utf-16"), True, True),  # another encoding
    (b'\xef\xbb\xbf{"devDependencies": {"twilio-run": "^4"}}', True, True),  # UTF-8's BOM
    (b'{"dependencies": {"twilio": "^5"}, "description": "like twilio-run"}', False, True),
    (b'{"dependencies": {"twilio": "^5", "express": "^4"}}', False, False),  # no name: no parse
])
def test_src_layout_asks_package_json_only_what_its_bytes_cannot_rule_out(tmp_path, raw, toolkit, parsed):
    write_tree(tmp_path, {"package.json": raw, "src/a.js": "exports.handler = () => {};\n"})
    p = discover([tmp_path]).projects[tmp_path]
    assert p.functions_dirs == ([tmp_path / "src"] if toolkit else [])
    assert ("_plain_json" in p.package_json.__dict__) == parsed


def test_explicit_files_are_checked_in_their_project(tmp_path):
    write_tree(tmp_path, {
        "proj/package.json": PJ,
        "proj/.twilioserverlessrc": "{ functionsFolder: 'handlers' }",
        "proj/handlers/deep/a.js": "exports.handler = () => {};",
        "proj/handlers/b.js": "exports.handler = () => {};",
        "proj/node_modules/x/index.js": "x",
    })
    disc = discover([tmp_path / "proj/handlers/deep/a.js", tmp_path / "proj/node_modules/x/index.js"])
    p = disc.projects[tmp_path / "proj"]
    js = {f.rel: f.role for f in p.files.values() if f.kind == "js"}
    assert js == {"handlers/deep/a.js": "function"}  # only what was passed, with its real role
    assert p.package_json is not None  # project context is loaded


def test_symlink_loop_does_not_hang(tmp_path):
    write_tree(tmp_path, {"package.json": PJ, "functions/a.js": "exports.handler = () => {};"})
    os.symlink(tmp_path / "functions", tmp_path / "functions" / "loop")
    os.symlink(tmp_path / "functions" / "self", tmp_path / "functions" / "self")
    p = discover([tmp_path]).projects[tmp_path]
    assert "functions/a.js" in {f.rel for f in p.files.values()}


def test_missing_path_is_reported(tmp_path):
    disc = discover([tmp_path / "nope"])
    assert disc.missing == [tmp_path / "nope"]


def test_excludes_apply_to_walked_and_explicit_files(tmp_path):
    write_tree(tmp_path, {
        "package.json": PJ,
        "twilint.toml": 'exclude = ["functions/legacy"]\n',
        "functions/legacy/a.js": "exports.handler = () => {};",
        "functions/b.js": "exports.handler = () => {};",
    })
    p = discover([tmp_path]).projects[tmp_path]
    assert {f.rel for f in p.files.values() if f.kind == "js"} == {"functions/b.js"}
    p2 = discover([tmp_path / "functions/legacy/a.js"]).projects[tmp_path]
    assert not any(f.kind == "js" for f in p2.files.values())


def test_named_files_that_are_not_checked_say_why(tmp_path, monkeypatch):
    """A file named on the command line that twilint does not check is listed as skipped with
    the reason (JSON), and a run that checked nothing names each one in the text report."""
    from conftest import run_cli, write_tree

    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "2.0.1"}}',
        "functions/ok.js": "exports.handler = (c, e, cb) => cb(null, 'ok');\n",
        "tests/ok.test.js": "test('x', () => {});\n",
        "dist/out.js": "var a = 1;\n",
        "node_modules/x/index.js": "module.exports = 1;\n",
        "README.md": "# p\n",
    })
    loose = write_tree(tmp_path / "loose", {"script.js": "console.log(1);\n"})
    monkeypatch.chdir(root)
    r = run_cli("check", "--no-cache", "--format", "json", "functions/ok.js", "tests/ok.test.js", "dist/out.js",
                "node_modules/x/index.js", "README.md", str(loose / "script.js"), cwd=root)
    import json

    skipped = {s["path"]: s["reason"] for s in json.loads(r.stdout)["skipped"]}
    assert "functions/ok.js" not in skipped
    assert "not in a functions or assets folder of the project at `.`" in skipped["tests/ok.test.js"]
    assert "build output (`dist`)" in skipped["dist/out.js"]
    assert "`node_modules` folder" in skipped["node_modules/x/index.js"]
    assert "not a kind of file twilint checks" in skipped["README.md"]
    (loose_reason,) = [why for path, why in skipped.items() if path.endswith("loose/script.js")]
    assert "not in a Twilio Functions project" in loose_reason
    assert json.loads(r.stdout)["summary"]["files"] == 1
    # text: counted when something was checked, listed when nothing was
    r = run_cli("check", "--no-cache", "functions/ok.js", "tests/ok.test.js", cwd=root)
    assert r.returncode == 0 and b"1 named file not checked" in r.stdout and b"tests/ok.test.js" not in r.stdout
    r = run_cli("check", "--no-cache", "tests/ok.test.js", "dist/out.js", cwd=root)
    assert r.returncode == 0
    assert b"tests/ok.test.js: not checked: not in a functions or assets folder" in r.stdout
    assert b"dist/out.js: not checked: in build output" in r.stdout
