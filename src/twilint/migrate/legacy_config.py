"""`twilint migrate legacy-config [PATHS...]`: `.twilio-functions` -> `.twiliodeployinfo` + config.

The old Serverless Toolkit kept deploy state and settings in one `.twilio-functions` file, which
current versions ignore ([002:2479-2483], platform-notes §1.2). For every such file under PATHS
this recipe:

- writes its deploy state (top-level ``serviceSid``/``latestBuild`` with the Account SID from
  ``accountSid``, the project's ``.env`` ``ACCOUNT_SID`` or ``--account-sid``, and each
  ``projects["AC…"]`` entry) as ``.twiliodeployinfo`` entries keyed ``AC…:<region>`` (``us1``
  unless the file names a region), the shape twilio-run validates (platform-notes §1.8); entries
  already there are kept;
- moves the other settings into the project's Toolkit config (``.twilioserverlessrc``, created
  when there is none) where they map to a current key: a known key as is, a deprecated one
  (``functionsEnv``, ``projectName``) or a kebab-case flag name under its current name, and a
  project entry's extra settings into ``projects["AC…"]``; keys already set are kept;
- reports what it could not map (unknown keys, credentials, conflicting values);
- keeps the old file unless ``--delete-old`` (and then only when everything was mapped).

Running it again changes nothing.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import click

from twilint.migrate.base import Plan, display, execute
from twilint.records import field, record

LEGACY = ".twilio-functions"
DEPLOY_KEYS = ("serviceSid", "latestBuild")
# twilio-run deletes these from any config it reads (platform-notes §1.8): never move them.
CREDENTIALS = {"accountSid", "authToken", "username", "password", "apiKey", "apiSecret"}
ACCOUNT = re.compile(r"^AC[0-9a-fA-F]{32}$")


@record
class Legacy:
    """What one `.twilio-functions` file says, sorted into what can move and what cannot."""

    path: Path
    deployinfo: dict[str, dict[str, str]] = field(default_factory=dict)  # "AC…:region" -> {serviceSid, latestBuild}
    settings: list[tuple[tuple[str, ...], object, str]] = field(default_factory=list)  # (key path, value, from)
    unmapped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _camel(key: str) -> str:
    return re.sub(r"[-_]([a-z])", lambda m: m.group(1).upper(), key)


def map_key(key: str) -> tuple[str | None, str]:
    """A legacy setting's current config key (None when there is none) and how it was found."""
    from twilint.facts import serverless_config_keys

    known = serverless_config_keys()
    keys = set(known["keys"]) - CREDENTIALS - {"config", "cwd"}
    for candidate in (key, _camel(key)):
        if candidate in keys:
            return candidate, "" if candidate == key else f"`{key}` as `{candidate}`"
        for table in ("deprecated", "misspelled"):
            entry = known.get(table, {}).get(candidate)
            if entry is not None and entry["use"] in keys:
                return entry["use"], f"`{key}` as `{entry['use']}` ({table})"
    return None, ""


def read_legacy(path: Path, account_sid: str | None) -> Legacy:
    from twilint.rules.invalid_deployinfo import ACCOUNT as DEPLOY_ACCOUNT, SIDS

    leg = Legacy(path)
    name = display(path)
    try:
        text = _read(path)[0].decode("utf-8")
        data = json.loads(text)
    except _Unreadable as exc:
        leg.errors.append(f"{name}: cannot read it: {exc}")
        return leg
    except (ValueError, RecursionError) as exc:
        where = f"{name}:{exc.lineno}:{exc.colno}" if isinstance(exc, json.JSONDecodeError) else name
        why = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply" if isinstance(
            exc, RecursionError) else exc
        leg.errors.append(f"{where}: not JSON, as twilio-run requires: {why}")
        return leg
    if not isinstance(data, dict):
        leg.errors.append(f"{name}: not a JSON object")
        return leg

    def add_entry(account: str, values: dict, where: str) -> None:
        entry = {k: values[k] for k in DEPLOY_KEYS if isinstance(values.get(k), str)}
        if not entry:
            return
        bad = [k for k, v in entry.items() if not SIDS[k].match(v)]
        if not DEPLOY_ACCOUNT.match(account) or bad:
            why = f"`{account}` is not an Account SID" if not DEPLOY_ACCOUNT.match(account) else \
                f"`{bad[0]}` is not a {'ZS' if bad[0] == 'serviceSid' else 'ZB'} SID"
            leg.unmapped.append(f"{where}: {why}; twilio-run would ignore the whole .twiliodeployinfo, so it is left out")
            return
        leg.deployinfo.setdefault(account, entry)

    region = data.get("region") if isinstance(data.get("region"), str) and data.get("region") else None
    if any(k in data for k in DEPLOY_KEYS):
        account = data.get("accountSid") if isinstance(data.get("accountSid"), str) else None
        source = "its accountSid"
        if not account:
            account, source = _env_account(path.parent), ".env ACCOUNT_SID"
        if not account and account_sid:
            account, source = account_sid, "--account-sid"
        if not account or not ACCOUNT.match(account):
            leg.unmapped.append(f"{name}: serviceSid {data.get('serviceSid')} has no Account SID (no accountSid in the "
                                "file, no ACCOUNT_SID in .env): run again with --account-sid AC…")
        else:
            add_entry(f"{account}:{region or 'us1'}", data, f"{name} (Account SID from {source})")
    for k, v in data.items():
        if k in DEPLOY_KEYS or k == "projects":
            continue
        if k == "accountSid":
            continue  # used as the deployinfo key
        _setting(leg, (), k, v, k)
    projects = data.get("projects")
    if projects is not None and not isinstance(projects, dict):
        leg.unmapped.append(f"{name}: `projects` is not an object")
        projects = None
    for key, entry in (projects or {}).items():
        if not isinstance(entry, dict):
            leg.unmapped.append(f"{name}: projects.{key} is not an object")
            continue
        acct, _, reg = key.partition(":")
        add_entry(f"{acct}:{reg or entry.get('region') or region or 'us1'}", entry, f"{name}: projects.{key}")
        for k, v in entry.items():
            if k in DEPLOY_KEYS:
                continue
            _setting(leg, ("projects", key), k, v, f"projects.{key}.{k}")
    return leg


def _setting(leg: Legacy, scope: tuple[str, ...], key: str, value, label: str) -> None:
    name = display(leg.path)
    if key in CREDENTIALS or _camel(key) in CREDENTIALS:
        leg.unmapped.append(f"{name}: `{label}` is a credential, not configuration: left out (use a Twilio CLI "
                            "profile, or --username/--password at deploy) (value not shown)")
        return
    if key in ("commands", "environments") and not scope and isinstance(value, dict):
        for sub, obj in value.items():
            if not isinstance(obj, dict):
                leg.unmapped.append(f"{name}: `{label}.{sub}` is not an object")
                continue
            for k2, v2 in obj.items():
                _setting(leg, (key, sub), k2, v2, f"{label}.{sub}.{k2}")
        return
    current, how = map_key(key)
    if current is None:
        leg.unmapped.append(f"{name}: `{label}` maps to no current config key: not moved (twil.io/serverless-config)")
        return
    leg.settings.append(((*scope, current), value, how or f"`{label}`"))


class _Unreadable(Exception):
    """A file the migration cannot read as text (why: the message)."""


def _read(path: Path):
    """(the UTF-8 text, its TextInfo) of the file at ``path`` in the project of the legacy
    file's folder, read as twilint reads every project file (``twilint.project.read_file_in``:
    a regular file in the project, never a FIFO; at most 2 MiB) and decoded (a BOM, UTF-16);
    _Unreadable when it cannot be."""
    from twilint.project import InputError, read_file_in
    from twilint.sources.text import DecodeError, decode

    try:
        return decode(read_file_in(os.fspath(path), path.parent))
    except InputError as exc:
        raise _Unreadable(str(exc)) from None
    except OSError as exc:
        raise _Unreadable(exc.strerror or str(exc)) from None
    except DecodeError as exc:
        raise _Unreadable(f"not text: {exc}") from None


def _env_account(folder: Path) -> str | None:
    from twilint.sources.dotenv import parse_env

    try:
        env = parse_env(_read(folder / ".env")[0])
    except _Unreadable:
        return None
    e = env.get("ACCOUNT_SID")
    return e.value if e is not None and e.value and ACCOUNT.match(e.value) else None


# -- edits ---------------------------------------------------------------------------------------


def _insert(data: bytes, keys: tuple[str, ...], value, unit: str, parse) -> tuple[bytes, str]:
    """Set ``keys`` to ``value`` in the JSON/JSON5 text ``data`` unless it is set: (new data, outcome)
    where the outcome is "added", "same" or "conflict"."""
    from twilint.analysis.package_edits import insert_member
    from twilint.fixes import apply_edits

    root = parse(data)
    obj = root
    for i, k in enumerate(keys):
        child = obj.get(k)
        if child is None:
            rest = keys[i + 1:]
            nested = value
            for r in reversed(rest):
                nested = {r: nested}
            text = json.dumps(nested, indent=unit) if isinstance(nested, dict) else json.dumps(nested)
            if isinstance(nested, dict) and "\n" in text:
                outer = _indent_of(data, obj) + unit
                text = text.replace("\n", "\n" + outer)
            edit = _append_after_trailing_comma(data, obj, k, text) or insert_member(data, obj, k, text, unit, sort=False)
            return apply_edits(data, [edit]), "added"
        if i == len(keys) - 1:
            return data, "same" if child.to_python() == value else "conflict"
        if child.kind != "object":
            return data, "conflict"
        obj = child
    return data, "same"


def _append_after_trailing_comma(data: bytes, obj, key: str, text: str):
    """JSON5 with a trailing comma after the last member (and maybe a `//` comment on that line):
    add the new member on a line of its own after that line, so the comment stays with its member."""
    from twilint.model import Edit

    if not obj.members:
        return None
    last = obj.members[-1]
    tail = data[last.value.end:obj.end - 1]
    m = re.match(rb"[ \t]*,[ \t]*(//[^\n]*)?\r?\n", tail)
    if m is None:
        return None
    pos = last.value.end + m.end()
    eol = "\r\n" if m.group(0).endswith(b"\r\n") else "\n"
    indent = _indent_of(data, type("Span", (), {"start": last.key_start})())
    return Edit.replace(pos, pos, f"{indent}{json.dumps(key)}: {text},{eol}")


def _indent_of(data: bytes, obj) -> str:
    start = data.rfind(b"\n", 0, obj.start) + 1
    m = re.match(rb"[ \t]*", data[start:])
    return m.group(0).decode() if m else ""


def _parse_json5(data: bytes):
    from twilint.sources.json5 import parse_json5

    return parse_json5(data)


def plan_for(legacy_path: Path, account_sid: str | None, delete_old: bool) -> Plan:
    from twilint.project import SERVERLESS_CONFIG_NAMES
    from twilint.sources.values import ValueSyntaxError

    folder = legacy_path.parent
    plan = Plan(project=folder, recipe="legacy-config", source=LEGACY, target=".twiliodeployinfo + .twilioserverlessrc")
    leg = read_legacy(legacy_path, account_sid)
    if leg.errors:
        plan.errors.extend(leg.errors)
        return plan
    unmapped = list(leg.unmapped)

    # .twiliodeployinfo
    info_path = folder / ".twiliodeployinfo"
    if leg.deployinfo:
        if os.path.isfile(info_path):
            try:
                old, info = _read(info_path)
                root = _parse_json5(old)
                if root is None or root.kind != "object":
                    raise ValueSyntaxError("not an object", 0)
            except (_Unreadable, ValueSyntaxError, RecursionError):
                plan.errors.append(f"{display(info_path)}: exists but is not a JSON object: fix or delete it, then run again")
                return plan
            new = old
            for key, entry in leg.deployinfo.items():
                existing = root.get(key)
                if existing is None:
                    new, _ = _insert(new, (key,), entry, "\t" if b"\n\t" in new else "  ", _parse_json5)
                elif existing.to_python() != entry:
                    plan.notes.append(f"{display(info_path)}: kept its entry for {key} (newer than {LEGACY}'s)")
            plan.edit(info_path, old, new, f"{len(leg.deployinfo)} deploy entries from {LEGACY}", info)
        else:
            text = json.dumps(leg.deployinfo, indent="\t") + "\n"  # as twilio-run writes it
            plan.create(info_path, text.encode(), f"deploy entries for {', '.join(leg.deployinfo)} from {LEGACY}")

    # settings -> the Toolkit config
    if leg.settings:
        existing = [folder / n for n in SERVERLESS_CONFIG_NAMES if os.path.isfile(folder / n)]
        pj_cfg = _package_json_config(folder)
        target = existing[0] if existing else None
        if pj_cfg:
            target = None  # package.json#twilioserverless is read first (cosmiconfig)
            unmapped.extend(_by_hand(leg, "package.json#twilioserverless"))
        elif target is not None and target.name not in (".twilioserverlessrc", ".twilioserverlessrc.json"):
            unmapped.extend(_by_hand(leg, target.name))
        elif target is None:
            cfg: dict = {}
            for keys, value, _ in leg.settings:
                d = cfg
                for k in keys[:-1]:
                    d = d.setdefault(k, {})
                d.setdefault(keys[-1], value)
            rc = folder / ".twilioserverlessrc"
            plan.create(rc, (json.dumps(cfg, indent=2) + "\n").encode(),
                        f"{len(leg.settings)} settings from {LEGACY}: " + ", ".join(".".join(k) for k, _, _ in leg.settings))
        else:
            try:
                old, info = _read(target)
            except _Unreadable as exc:
                plan.errors.append(f"{display(target)}: cannot be read ({exc}): fix it, then run again")
                return plan
            new = old
            try:
                moved = []
                for keys, value, how in leg.settings:
                    new, outcome = _insert(new, keys, value, "  ", _parse_json5)
                    if outcome == "added":
                        moved.append(".".join(keys))
                    elif outcome == "conflict":
                        unmapped.append(f"{display(legacy_path)}: {how}: {target.name} already sets "
                                        f"`{'.'.join(keys)}` to another value: kept that one")
            except (ValueSyntaxError, RecursionError):
                plan.errors.append(f"{display(target)}: does not parse: fix it, then run again")
                return plan
            plan.edit(target, old, new, f"settings from {LEGACY}: " + ", ".join(moved), info)

    plan.needs_person.extend(unmapped)
    if delete_old:
        if unmapped:
            plan.notes.append(f"kept {LEGACY}: some of it could not be mapped (see above); delete it by hand when done")
        else:
            plan.delete(legacy_path, legacy_path.read_bytes(), "everything in it now lives in the new files")
    elif plan.pending or not unmapped:
        plan.notes.append(f"kept {LEGACY} (current Toolkit versions ignore it); --delete-old removes it")
    return plan


def _package_json_config(folder: Path) -> bool:
    try:
        data = json.loads(_read(folder / "package.json")[0].decode("utf-8"))
    except (_Unreadable, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and isinstance(data.get("twilioserverless"), dict)


def _by_hand(leg: Legacy, where: str) -> list[str]:
    return [f"{display(leg.path)}: {how}: add `{'.'.join(keys)}: {json.dumps(value)}` to {where} by hand"
            for keys, value, how in leg.settings]


def find_legacy(paths: list[Path]) -> tuple[list[Path], list[str]]:
    from twilint.project import SKIP_DIRS

    found, missing = [], []
    for p in paths:
        p = Path(os.path.abspath(p))
        if os.path.isfile(p):
            (found if p.name == LEGACY else missing).append(p if p.name == LEGACY else f"{display(p)}: not a {LEGACY} file")
            continue
        if not os.path.isdir(p):
            missing.append(f"{display(p)}: no such file or folder")
            continue
        for dirpath, dirnames, filenames in os.walk(p):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            if LEGACY in filenames and os.path.isfile(os.path.join(dirpath, LEGACY)):
                found.append(Path(dirpath) / LEGACY)
    return sorted(set(found)), missing


@click.command("legacy-config")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--account-sid", help="The Account SID of a top-level serviceSid when neither the file nor .env gives one")
@click.option("--delete-old", is_flag=True, help=f"Delete {LEGACY} once everything in it is mapped")
@click.option("--diff", "mode", flag_value="diff", help="Print the changes as a unified diff; write nothing")
@click.option("--check", "mode", flag_value="check", help="Write nothing; exit 1 if a project still needs migrating")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write a report: JSON, or Markdown (.md) or HTML (.html)")
@click.option("--quiet", is_flag=True, help="No summary table")
def COMMAND(paths, account_sid, delete_old, mode, report, quiet):
    """Convert legacy .twilio-functions files into .twiliodeployinfo and .twilioserverlessrc."""
    import sys

    if account_sid and not ACCOUNT.match(account_sid):
        raise click.BadParameter("an Account SID is AC followed by 32 hexadecimal digits", param_hint="--account-sid")
    found, missing = find_legacy(list(paths) or [Path(".")])
    for m in missing:
        click.echo(f"twilint: error: {m}", err=True)
    plans = [plan_for(p, account_sid, delete_old) for p in found]
    if not plans and not quiet:
        click.echo(f"no {LEGACY} file found", err=True)
    if quiet:
        for p in plans:
            for e in p.errors:
                click.echo(f"error: {e}", err=True)
    code = execute(plans, mode or "write", report, quiet)
    sys.exit(2 if missing else code)
