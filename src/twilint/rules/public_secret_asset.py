"""# public-secret-asset

## What it does

Flags an Asset without `.private.` in its name that looks like it holds a secret:

- a key or keystore file: `.pem` or `.asc` holding a private key, `.key`, `.p12`, `.pfx`,
  `.jks`, `.p8`, `.ppk`, `id_rsa` and friends;
- a secrets file by name: `.env`, `.npmrc`, `.netrc`, `.htpasswd`, or a name with a word such as
  `credentials`, `secret`, `private-key`, `service-account`, `api-key`, `auth-token`, `password`;
- a JSON file with a non-empty `private_key`, `client_secret`, `auth_token`, `api_secret`,
  `password`, `secret`, `refresh_token` or `access_token` field.

Public Assets are served to anyone with the URL; protected ones to any Twilio-signed request.
Certificates and public keys (`.pem` with no private key) are not flagged.

## Why

Public Assets "are accessible by anyone with the Asset's URL" and "Anyone with the URL to a public
asset will be able to access it." [002:1318] [002:1324]. Private Assets "are not accessible by
URL or exposed to the web" and are "perfect for storing sensitive configuration files"
[002:1320] [002:1438]; the docs keep an RSA key in a private `credentials.json` [002:5249-5250].
"To mark an Asset as private, include .private. in the filename." [002:2066].

## Example

```json
{ "type": "service_account", "client_email": "bot@example.iam.gserviceaccount.com", "private_key": "(redacted)" }
```

## Use instead

```json
{ "type": "service_account", "client_email": "bot@example.iam.gserviceaccount.com" }
```

## Fix safety

No fix: rename the file to `name.private.ext` (and read it with `Runtime.getAssets()`), then
rotate the secret, which has been public.
"""

from __future__ import annotations

import json
import re

from twilint.analysis.deploy_paths import strip_marker
from twilint.facts import _load
from twilint.model import Rule, Severity

NAME = "public-secret-asset"
_CHECK_CONTENT = {".pem", ".asc", ".gpg"}


def secret_file_name(name: str) -> str | None:
    """Why a file name looks like a secret (None if it does not)."""
    f = _load("security.toml")["secret_files"]
    base, _ = strip_marker(name)
    low = base.lower()
    for ext in f["extensions"]:
        if low.endswith(ext) and ext not in _CHECK_CONTENT:
            return f"a `{ext}` key file"
    if low in f["names"] or low.split(".")[0] in f["names"] and low.split(".")[0] != "":
        return f"`{low}` holds secrets"
    if low.startswith(".env"):
        return "an env file"
    tokens = [t for t in re.split(r"[._\-\s]+", low) if t]
    joined = {"-".join(tokens[i:i + 2]) for i in range(len(tokens) - 1)}
    for w in f["name_words"]:
        if w in tokens or w in joined or w.replace("_", "-") in joined:
            return f"its name says `{w}`"
    return None


class PublicSecretAsset(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "An Asset that looks like a secret (key file, credentials, .env) but is not .private."
    fixable = None
    file_kinds = frozenset()  # read in check_project: binary Assets must not be decoded
    example_path = "assets/service-config.json"
    example_good_path = "assets/service-config.json"

    def check_project(self, ctx, project):
        if not project.is_twilio:
            return ()
        for file in list(project.files.values()):
            if file.role == "asset" and file.visibility != "private" and file.path in project.targets:
                self._check(ctx, file)
        return ()

    def _check(self, ctx, file):
        name = file.path.name
        why = asset_secret_reason(file)
        if why is None:
            return
        ctx.report(file, 0, 0,
                   f"`{file.rel}` looks like a secret ({why}) but is a {file.visibility} Asset, readable "
                   f"{'by anyone with its URL' if file.visibility == 'public' else 'by any Twilio-signed request'}: "
                   f"rename it to `{_private(name)}`")


def asset_secret_reason(file) -> str | None:
    """Why an Asset file looks like a secret, by its name or (key files, JSON) its content."""
    name = file.path.name
    base, _ = strip_marker(name)
    low = base.lower()
    why = secret_file_name(name)
    if why is None and any(low.endswith(e) for e in _CHECK_CONTENT) and file.ok and b"PRIVATE KEY" in file.data:
        why = "it holds a private key"
    if why is None and low.endswith(".json") and file.ok:
        why = _json_secret(file)
    return why


def _json_secret(file) -> str | None:
    keys = set(_load("security.toml")["secret_files"]["json_keys"])
    try:
        data = json.loads(file.text)
    except ValueError:
        return None
    stack = [data]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            for k, x in v.items():
                if isinstance(x, str) and x.strip() and re.sub(r"[^a-z_]", "", k.lower()) in keys:
                    return f"it has a `{k}` field"
                stack.append(x)
        elif isinstance(v, list):
            stack.extend(v)
    return None


def _private(name: str) -> str:
    base, _ = strip_marker(name)
    if base.startswith("."):
        return base + ".private"
    stem, dot, ext = base.partition(".")
    return f"{stem}.private.{ext}" if dot else f"{stem}.private"


RULE = PublicSecretAsset()
