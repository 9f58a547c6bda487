"""`twilint migrate legacy-config`: `.twilio-functions` -> `.twiliodeployinfo` + `.twilioserverlessrc`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import copy_fixture, lint, run_cli, write_tree
from twilint.migrate.legacy_config import plan_for
from twilint.sources.json5 import parse_json5

A1 = "AC0123456789abcdef0123456789abcdef"
A2 = "ACfedcba9876543210fedcba9876543210"
S1, B1 = "ZS0123456789abcdef0123456789abcdef", "ZB0123456789abcdef0123456789abcdef"
S2, B2 = "ZSfedcba9876543210fedcba9876543210", "ZBfedcba9876543210fedcba9876543210"
TOKEN = "not-a-real-token-c0ffee"


def migrate(*args: str, cwd: Path):
    return run_cli("migrate", "legacy-config", *args, cwd=cwd)


def test_simple_config_becomes_deployinfo(tmp_path):
    root = copy_fixture("migrate-legacy/simple", tmp_path)
    r = migrate(cwd=root)
    assert r.returncode == 0, r.stderr.decode()
    info = json.loads((root / ".twiliodeployinfo").read_text())
    assert info == {f"{A1}:us1": {"serviceSid": S1, "latestBuild": B1}}  # Account SID from .env
    assert (root / ".twilio-functions").exists()  # kept without --delete-old
    assert not (root / ".twilioserverlessrc").exists()  # nothing custom to move
    result, _ = lint([root], select=["invalid-deployinfo", "parse-error"])
    assert result.diagnostics == []
    # idempotent: the second run has nothing to do
    assert plan_for(root / ".twilio-functions", None, False).changes == []
    assert migrate("--check", cwd=root).returncode == 0
    r = migrate("--delete-old", cwd=root)
    assert r.returncode == 0 and not (root / ".twilio-functions").exists()
    result, _ = lint([root], select=["legacy-config"])
    assert result.diagnostics == []


def test_custom_settings_move_into_the_existing_config(tmp_path):
    root = copy_fixture("migrate-legacy/custom", tmp_path)
    report = tmp_path / "report.md"
    r = migrate(".", "--report", str(report), "--delete-old", cwd=root)
    assert r.returncode == 0, r.stderr.decode()
    info = json.loads((root / ".twiliodeployinfo").read_text())
    assert info == {f"{A1}:us1": {"serviceSid": S1, "latestBuild": B1},
                    f"{A2}:ie1": {"serviceSid": S2, "latestBuild": B2}}
    rc_text = (root / ".twilioserverlessrc").read_text()
    assert '"environment": "dev", // set before the migration: kept' in rc_text  # comment stays with its member
    rc = parse_json5(rc_text.encode()).to_python()
    assert rc == {"runtime": "node22", "environment": "dev", "serviceName": "legacy-custom",
                  "projects": {f"{A2}:ie1": {"env": ".env.ie1"}}}
    out = r.stdout.decode() + r.stderr.decode() + report.read_text()
    assert TOKEN not in out  # credentials are never printed
    assert "`authToken` is a credential" in out
    assert "`ngrokDomain` maps to no current config key" in out
    assert "already sets `environment` to another value" in " ".join(out.split())
    assert (root / ".twilio-functions").exists()  # something was not mapped: kept despite --delete-old
    # the migrated project is clean apart from the legacy file it keeps
    result, _ = lint([root])
    assert {d.rule for d in result.diagnostics} == {"legacy-config"}
    assert plan_for(root / ".twilio-functions", None, True).changes == []


def test_custom_settings_create_a_config_when_there_is_none(tmp_path):
    root = copy_fixture("migrate-legacy/custom", tmp_path)
    (root / ".twilioserverlessrc").unlink()
    plan = plan_for(root / ".twilio-functions", None, False)
    rc = next(c for c in plan.changes if c.path.name == ".twilioserverlessrc")
    assert rc.kind == "create"
    assert json.loads(rc.new) == {"environment": "stage", "serviceName": "legacy-custom",
                                  "projects": {f"{A2}:ie1": {"env": ".env.ie1"}}}


def test_no_account_sid_needs_one(tmp_path):
    write_tree(tmp_path, {".twilio-functions": json.dumps({"serviceSid": S1, "latestBuild": B1}),
                          "package.json": "{}\n"})
    plan = plan_for(tmp_path / ".twilio-functions", None, False)
    assert plan.changes == [] and "--account-sid" in plan.needs_person[0]
    r = migrate("--account-sid", A2, "--region-is-not-an-option", cwd=tmp_path)
    assert r.returncode == 2
    r = migrate("--account-sid", "nope", cwd=tmp_path)
    assert r.returncode == 2 and "Account SID" in r.stderr.decode()
    r = migrate("--account-sid", A2, cwd=tmp_path)
    assert r.returncode == 0
    assert json.loads((tmp_path / ".twiliodeployinfo").read_text()) == {f"{A2}:us1": {"serviceSid": S1, "latestBuild": B1}}


def test_existing_deployinfo_entries_are_kept(tmp_path):
    existing = "{\n\t\"%s:us1\": {\n\t\t\"serviceSid\": \"%s\"\n\t}\n}\n" % (A1, S2)
    write_tree(tmp_path, {
        ".twilio-functions": json.dumps({"accountSid": A1, "serviceSid": S1, "latestBuild": B1,
                                          "projects": {A2: {"serviceSid": S2, "latestBuild": B2}}}),
        ".twiliodeployinfo": existing,
    })
    r = migrate("--diff", cwd=tmp_path)
    assert r.returncode == 1 and "+++ b/.twiliodeployinfo" in r.stdout.decode()
    assert migrate(cwd=tmp_path).returncode == 0
    info = json.loads((tmp_path / ".twiliodeployinfo").read_text())
    assert info == {f"{A1}:us1": {"serviceSid": S2}, f"{A2}:us1": {"serviceSid": S2, "latestBuild": B2}}
    assert migrate("--check", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("content,message", [
    ("{ not json", "not JSON"),
    ("[]", "not a JSON object"),
])
def test_unreadable_legacy_file_is_an_error(tmp_path, content, message):
    write_tree(tmp_path, {".twilio-functions": content})
    r = migrate(cwd=tmp_path)
    assert r.returncode == 2 and message in r.stderr.decode()


def test_invalid_sids_are_not_written(tmp_path):
    write_tree(tmp_path, {".twilio-functions": json.dumps({"accountSid": A1, "serviceSid": "ZS123"})})
    plan = plan_for(tmp_path / ".twilio-functions", None, False)
    assert plan.changes == [] and "is not a ZS SID" in plan.needs_person[0]


def test_settings_in_a_yaml_config_are_reported_for_a_person(tmp_path):
    write_tree(tmp_path, {".twilio-functions": json.dumps({"accountSid": A1, "serviceSid": S1, "port": "4000"}),
                          ".twilioserverlessrc.yml": "runtime: node22\n"})
    plan = plan_for(tmp_path / ".twilio-functions", None, False)
    assert [c.path.name for c in plan.changes] == [".twiliodeployinfo"]
    assert any('add `port: "4000"` to .twilioserverlessrc.yml by hand' in n for n in plan.needs_person)


def test_check_mode_and_nothing_found(tmp_path):
    root = copy_fixture("migrate-legacy/simple", tmp_path)
    assert migrate("--check", cwd=root).returncode == 1
    assert not (root / ".twiliodeployinfo").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    r = migrate(cwd=empty)
    assert r.returncode == 0 and "no .twilio-functions file found" in r.stderr.decode()
    assert migrate("missing-folder", cwd=empty).returncode == 2
