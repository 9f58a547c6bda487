"""# twilio-prefixed-context-var

## What it does

Flags `context.TWILIO_ACCOUNT_SID`, `context.TWILIO_AUTH_TOKEN`, `context.accountSid` and other
variants of the variables the platform provides (`ACCOUNT_SID`, `AUTH_TOKEN`, `DOMAIN_NAME`,
`PATH`, `SERVICE_SID`, `ENVIRONMENT_SID`) when the variant is not defined in any env file the
project deploys (nor `.env.example`). Only the exact default names are set by the platform; the
variant is `undefined`. A variant the project does define (`TWILIO_ACCOUNT_SID=...` in `.env`) is
a variable of its own and is not flagged; nothing is flagged when a selected env file is missing
from the checkout.

## Why

The default variables are `ACCOUNT_SID`, `AUTH_TOKEN`, `DOMAIN_NAME`, `PATH`, `SERVICE_SID` and
`ENVIRONMENT_SID` [002:5215-5232]. The docs' own regional sample reads
`context.TWILIO_ACCOUNT_SID` [002:5512] without defining it, which is `undefined` unless you add
it (seed-facts §10 D-14). A custom variable is read under exactly the name it is set with
[002:5109].

## Example

```js
exports.handler = (context, event, callback) => {
  const client = require('twilio')(context.TWILIO_ACCOUNT_SID, context.AUTH_TOKEN);
  return callback(null, 'ok');
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const client = require('twilio')(context.ACCOUNT_SID, context.AUTH_TOKEN);
  return callback(null, 'ok');
};
```

## Fix safety

Unsafe: the fix renames the read to the default name (`context.ACCOUNT_SID`), but the variant may
be set outside the env files in the checkout (in the Console, or by CI), and then means something
else.
"""

from __future__ import annotations

from twilint.model import UNSAFE, Edit, Fix, Rule, Severity

NAME = "twilio-prefixed-context-var"
DEFAULTS = ("ACCOUNT_SID", "AUTH_TOKEN", "DOMAIN_NAME", "PATH", "SERVICE_SID", "ENVIRONMENT_SID")
_NORMAL = {d.replace("_", "").lower(): d for d in DEFAULTS}


def default_for(key: str) -> str | None:
    """The default variable a variant name stands for (None for the default itself)."""
    if key in DEFAULTS:
        return None
    norm = key.replace("_", "").replace("-", "").lower()
    if norm.startswith("twilio"):
        norm = norm[len("twilio"):]
    d = _NORMAL.get(norm)
    if d is None:
        return None
    if d == "PATH" and key != "TWILIO_PATH":
        return None  # `context.path`, `context.Path`: too common a word to be a misspelling
    return d


class TwilioPrefixedContextVar(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "context.TWILIO_ACCOUNT_SID-style variant of a default variable, defined nowhere: undefined"
    fixable = UNSAFE
    file_kinds = frozenset({"js", "ts"})
    example_files = {".env": "GREETING=Ahoy\n"}  # for the docs test: the uploaded .env

    def check_file(self, ctx, file):
        from twilint.rules.undefined_context_var import undefined_reads

        for acc in undefined_reads(file, lambda acc: default_for(acc.key) is not None):
            default = default_for(acc.key)
            ctx.report(file, acc.key_node.start_byte, acc.key_node.end_byte,
                       f"`{acc.key}` is not a variable the platform sets and no env file defines it: it is "
                       f"undefined; the default is `context.{default}`", _fix(acc, default))
        return ()


def _fix(acc, default: str):
    node = acc.key_node
    reason = "the variable may be set outside the env files in the checkout (Console, CI)"
    if acc.shorthand:
        return Fix([Edit.replace(node.start_byte, node.end_byte, f"{default}: {acc.key}")], f"Read `{default}`", UNSAFE, reason)
    if node.type == "property_identifier":
        return Fix([Edit.replace(node.start_byte, node.end_byte, default)], f"Read `{default}`", UNSAFE, reason)
    if node.type == "string" and not any(c.type == "escape_sequence" for c in node.named_children):
        q = node.text.decode()[0]
        return Fix([Edit.replace(node.start_byte, node.end_byte, f"{q}{default}{q}")], f"Read `{default}`", UNSAFE, reason)
    return None


RULE = TwilioPrefixedContextVar()
