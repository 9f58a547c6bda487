"""# restricted-header

## What it does

Flags a read of an incoming request header that the platform strips before a Function runs:
`connection`, `proxy-connection`, `expect`, `host`, `proxy-authorization`, `proxy-authenticate`,
`referer`, `trailer`, `transfer-encoding`, `upgrade`, `via`, `x-real-ip`, and every `x-accel-*`
and `x-forwarded-*` header (so `x-forwarded-for`, `x-forwarded-proto`, ...). It follows the
handler's `event` parameter into `event.request.headers` through aliases, destructuring,
optional chaining, bracket and dot access, `'host' in headers` and `hasOwnProperty('host')`,
and compares names case-insensitively (a mixed-case key is also reported by
`lowercase-header-access`).

`host` gets its own message: the local dev runtime (`twilio-run start`) passes it through, so
code that reads it works locally and breaks once deployed.

Writes, `delete`s, keys computed at run time and code outside a Twilio handler are not flagged.

## Why

"The following headers are not accessible within a Function. Avoid developing any code that
depends on these headers or their variants." The list is Connection, Proxy-Connection, Expect,
Host, Proxy-Authorization, Proxy-Authenticate, Referer, Trailer, Transfer-Encoding, Upgrade, Via,
X-Accel-\\*, X-Forwarded-\\* and X-Real-IP [002:6476-6488]. The dev runtime's own restricted list
has no `host` (platform-notes §1.6), which is why a `host` read passes local testing. Facts:
`rules/platform/requests.toml`.

## Example

```js
exports.handler = (context, event, callback) => {
  const ip = event.request.headers['x-forwarded-for'];
  const { host } = event.request.headers;
  return callback(null, { ip, host });
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const baseUrl = `https://${context.DOMAIN_NAME}`;
  return callback(null, { baseUrl });
};
```

## Fix safety

No fix: the value does not exist when deployed; use `context.DOMAIN_NAME` for the host, or pass
what you need as a parameter.
"""

from __future__ import annotations

from twilint.analysis.handler import twilio_handlers
from twilint.analysis.paths import header_reads
from twilint.facts import _load
from twilint.model import Rule, Severity

NAME = "restricted-header"


def restricted(name: str) -> dict | None:
    """The requests.toml entry that makes header ``name`` (lowercase) restricted, if any."""
    for entry in _load("requests.toml")["restricted_header"]:
        if entry.get("prefix") and name.startswith(entry["name"]) or name == entry["name"]:
            return entry
    return None


class RestrictedHeader(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "Reads a header the platform strips (host, x-forwarded-*, ...): undefined when deployed"
    fixable = None
    file_kinds = frozenset({"js", "ts"})

    def check_file(self, ctx, file):
        from twilint.rules.lowercase_header_access import ascii_lower

        for h in twilio_handlers(file):
            for acc in header_reads(file, h):
                name = ascii_lower(acc.key)
                entry = restricted(name)
                if entry is None:
                    continue
                if entry.get("dev_runtime", True) is False:
                    msg = (f"`{name}` is a restricted header: the local dev runtime passes it through, but "
                           "deployed Functions never receive it, so this is undefined in production")
                    if name == "host":
                        msg += "; use `context.DOMAIN_NAME`"
                else:
                    msg = f"`{name}` is a restricted header: the platform strips it, so it is always undefined"
                ctx.report(file, acc.key_node.start_byte, acc.key_node.end_byte, msg)
        return ()


RULE = RestrictedHeader()
