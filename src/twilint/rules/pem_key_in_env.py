"""# pem-key-in-env

## What it does

Flags an env file variable whose value holds a PEM block (`-----BEGIN ... KEY-----` or a
certificate): an RSA or other key that belongs in a private Asset. The message names the key,
never the value.

## Why

"If you must store an extremely long API key or other credential, such as an RSA key, which will
cause you to exceed these limits, we suggest that you instead store the value in a private Asset"
[002:5249], read with `Runtime.getAssets()` [002:5270-5276]. A PEM key is usually over the
450-byte limit [002:5243] and needs its newlines kept, which `.env` quoting easily breaks.

## Example

```sh
PRIVATE_KEY="-----BEGIN PRIVATE KEY-----
MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAu
-----END PRIVATE KEY-----"
```

## Use instead

```sh
PRIVATE_KEY_ASSET=/private-key.pem
```

## Fix safety

No fix: moving the key into a private Asset changes the code that reads it.
"""

from __future__ import annotations

import re

from twilint.model import Rule, Severity

NAME = "pem-key-in-env"
PEM = re.compile(r"-----BEGIN [A-Z0-9 ]*(KEY|CERTIFICATE)-----")


class PemKeyInEnv(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "A PEM key or certificate in an env value: store it in a private Asset"
    fixable = None
    file_kinds = frozenset({"env"})
    example_path = ".env"

    def check_file(self, ctx, file):
        from twilint.rules.oversized_env_var import is_deploy_env

        env = file.env
        if env is None or is_deploy_env(file) is None:
            return ()
        for e in env.entries:
            if e.value and PEM.search(e.value):
                ctx.report(file, e.key_start, e.key_end,
                           f"`{e.key}` holds a PEM key or certificate: store it in a private Asset and read it with Runtime.getAssets()")
        return ()


RULE = PemKeyInEnv()
