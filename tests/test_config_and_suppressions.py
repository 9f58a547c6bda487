from __future__ import annotations

from pathlib import Path

import pytest

from conftest import lint, run_cli, write_tree
from twilint.config import glob_match

PJ_RANGE = '{"dependencies": {"@twilio/runtime-handler": "^2.0.1"}}'
HANDLER = "exports.handler = (c, event, cb) => {\n  cb(null, event.request.headers.Authorization);\n};\n"


def rules_found(result):
    return sorted((Path(d.path).name, d.line, d.rule, d.severity.label) for d in result.diagnostics)


def test_twilint_toml_select_ignore_severity_per_file_ignores(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ_RANGE,
        "functions/a.js": HANDLER,
        "functions/legacy/b.js": HANDLER,
        ".twilioserverlessrc": '{ "runtime": "node22" }\n',
        "twilint.toml": (
            'ignore = ["unpinned-runtime-handler"]\n'
            '[severity]\n"lowercase-header-access" = "warning"\n'
            '[per-file-ignores]\n"functions/legacy/**" = ["lowercase-header-access"]\n'
        ),
    })
    result, _ = lint([root])
    assert rules_found(result) == [("a.js", 2, "lowercase-header-access", "warning")]


def test_package_json_twilint_key(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": '{"dependencies": {"@twilio/runtime-handler": "^2.0.1"}, "twilint": {"select": ["lowercase-header-access"]}}',
        "functions/a.js": HANDLER,
    })
    result, _ = lint([root])
    assert [d.rule for d in result.diagnostics] == ["lowercase-header-access"]


def test_severity_off(tmp_path):
    root = write_tree(tmp_path / "p", {
        "package.json": PJ_RANGE,
        ".twilioserverlessrc": '{ "runtime": "node22" }\n',
        "twilint.toml": '[severity]\nunpinned-runtime-handler = "off"\n',
    })
    result, _ = lint([root])
    assert result.diagnostics == []


@pytest.mark.parametrize(
    "content,where,message",
    [
        ("select = [\n", "1:11", "invalid TOML"),
        ('select = "x"\nbogus = 1\n', "2:1", "unknown config key 'bogus'"),
        ('ignore = ["no-such-rule"]\n', "1:12", "unknown rule 'no-such-rule'"),
        ('[severity]\nlowercase-header-access = "loud"\n', "2:1", "must be error, warning, info or off"),
        ('[platform]\nruntime-handler-versions = "2.0.3"\n', "2:1", "must be a list of version strings"),
    ],
)
def test_bad_config_exits_2_with_position(tmp_path, content, where, message):
    root = write_tree(tmp_path / "p", {"package.json": "{}", "twilint.toml": content})
    r = run_cli("check", str(root))
    assert r.returncode == 2, r.stdout + r.stderr
    out = r.stdout.decode() + r.stderr.decode()
    assert f"twilint.toml:{where}: " in out and message in out
    assert "Traceback" not in out


def test_bad_config_in_one_project_does_not_stop_the_others(tmp_path):
    write_tree(tmp_path, {
        "bad/package.json": "{}",
        "bad/twilint.toml": "select = [",
        "good/package.json": PJ_RANGE,
    })
    r = run_cli("check", str(tmp_path))
    out = r.stdout.decode()
    assert r.returncode == 2
    assert "unpinned-runtime-handler" in out and "twilint.toml:" in out


@pytest.mark.parametrize(
    "pattern,path,ok",
    [
        ("functions/legacy/**", "functions/legacy/a/b.js", True),
        ("functions/legacy", "functions/legacy/a.js", True),
        ("*.min.js", "functions/x/y.min.js", True),
        ("functions/*.js", "functions/a/b.js", False),
        ("functions/**/*.js", "functions/a.js", True),
        ("./functions/a.js", "functions/a.js", True),
        ("assets", "functions/a.js", False),
        ("f?nctions/[ab].js", "functions/a.js", True),
    ],
)
def test_glob(pattern, path, ok):
    assert glob_match(pattern, path) is ok


# -- suppression comments ---------------------------------------------------------------------

SUPPRESSED_JS = """\
exports.handler = (c, event, cb) => {
  // twilint-disable-next-line lowercase-header-access -- legacy proxy adds it
  const a = event.request.headers.Authorization;
  const b = event.request.headers.Accept; // twilint-disable-line lowercase-header-access
  const d = event.request.headers.Accept; // twilint-disable-line some-other-rule
  /* twilint-disable-next-line */
  const e = event.request.headers.Origin;
  // twilint-disable-next-line some-other-rule, lowercase-header-access
  const f = event.request.headers.Host;
  const g = "// twilint-disable-line lowercase-header-access" + event.request.headers.Via;
  cb(null, [a, b, d, e, f, g]);
};
"""


def test_js_suppression_comments(tmp_path):
    root = write_tree(tmp_path / "p", {"package.json": PJ_RANGE, "functions/a.js": SUPPRESSED_JS})
    result, _ = lint([root], select=["lowercase-header-access"])
    # line 5 names another rule; line 10 has the directive inside a string, which is not a comment
    assert sorted(d.line for d in result.diagnostics) == [5, 10]


def test_js_whole_file_suppression(tmp_path):
    code = "/* twilint-disable lowercase-header-access */\n" + HANDLER
    root = write_tree(tmp_path / "p", {"package.json": PJ_RANGE, "functions/a.js": code, "functions/b.js": HANDLER})
    result, _ = lint([root], select=["lowercase-header-access"])
    assert [Path(d.path).name for d in result.diagnostics] == ["b.js"]


def test_env_and_yaml_suppression_comments(tmp_path):
    from twilint.suppress import Suppressions
    from twilint.project import discover

    root = write_tree(tmp_path / "p", {
        "package.json": "{}",
        ".env": "A=1\n# twilint-disable-next-line oversized-env-var\nB=2\nC=3 # twilint-disable-line x\n",
        ".twilioserverlessrc.yml": "# twilint-disable-next-line deprecated-runtime\nruntime: node14\n",
    })
    p = discover([root]).projects[root]
    env = p.file(".env").suppressions
    assert env.is_suppressed("oversized-env-var", 3) and not env.is_suppressed("oversized-env-var", 1)
    assert env.is_suppressed("x", 4)
    yml = p.file(".twilioserverlessrc.yml").suppressions
    assert yml.is_suppressed("deprecated-runtime", 2) and not yml.is_suppressed("other", 2)
