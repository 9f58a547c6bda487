"""# lowercase-header-access

## What it does

Flags a read of an incoming request header whose key has an uppercase letter, such as
`event.request.headers['Content-Type']` or `event.request.headers.Authorization`, in a Twilio
handler. It follows the handler's second parameter (`event`, whatever it is named) through
aliases (`const { headers } = event.request`), destructuring, optional chaining
(`event.request?.headers?.['X-Id']`), bracket and dot access, `'X-Id' in headers` and
`headers.hasOwnProperty('X-Id')`.

It does not flag cookies (`event.request.cookies` keep their case), writes and `delete`s, keys
computed at run time, code outside the handler (an error-tracking SDK's `beforeSend(event)`
hook has its own `event`), a nested function's own `event` parameter, or files of a project that
is not a Twilio Functions project (an AWS Lambda or Netlify `(event, context, callback)` handler).

## Why

"The names of all headers are lowercased before being passed into your Function. Please reference
headers with the correct casing to avoid errors." and "the key of the Content-Type header will be
content-type" [002:5817-5821]. A key with an uppercase letter is always `undefined`, so an
authorization check that reads `headers.Authorization` never sees the token. Headers can be read
"by name in lowercase" only [002:5814-5815]. Incoming headers need @twilio/runtime-handler 1.2.0 or
later [002:5706].

## Example

```js
exports.handler = (context, event, callback) => {
  const type = event.request.headers['Content-Type'];
  const { Authorization } = event.request.headers;
  return callback(null, { type, Authorization });
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const type = event.request.headers['content-type'];
  const { authorization: Authorization } = event.request.headers;
  return callback(null, { type, Authorization });
};
```

## Fix safety

Safe. The fix lowercases the key literal's ASCII letters and nothing else: a quoted key keeps its
quotes, a dot access keeps its form, and a shorthand destructuring `{ Authorization }` becomes
`{ authorization: Authorization }` so the local name does not change. The key with an uppercase
letter can never match, so the code's reads only start to see the header the author meant.
A key with escape sequences (`'X\\u002dId'`) is reported without a fix.
"""

from __future__ import annotations

import re

from twilint.analysis.handler import twilio_handlers
from twilint.analysis.paths import header_reads
from twilint.model import SAFE, Edit, Fix, Rule, Severity

NAME = "lowercase-header-access"
_UPPER = re.compile(r"[A-Z]")
_LOWER_TABLE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(s: str) -> str:
    return s.translate(_LOWER_TABLE)


class LowercaseHeaderAccess(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "Incoming header names are lowercased: a key with an uppercase letter is always undefined"
    fixable = SAFE
    file_kinds = frozenset({"js", "ts"})

    def check_file(self, ctx, file):
        for h in twilio_handlers(file):
            for acc in header_reads(file, h):
                if _UPPER.search(acc.key):
                    self._report(ctx, file, acc)
        return ()

    def _report(self, ctx, file, acc):
        key = acc.key
        lower = ascii_lower(key)
        node = acc.key_node
        message = f"header names are lowercased: `{key}` is always undefined; use `{lower}`"
        fix = None
        text = node.text.decode("utf-8", errors="replace")
        if acc.shorthand:
            fix_text = f"{lower}: {key}" if _is_identifier(lower) else f"'{lower}': {key}"
            fix = Fix([Edit.replace(node.start_byte, node.end_byte, fix_text)], f"Use `{lower}`", SAFE)
        elif node.type in ("property_identifier", "string", "template_string"):
            has_escape = any(c.type == "escape_sequence" for c in node.named_children)
            if not has_escape:
                fix = Fix([Edit.replace(node.start_byte, node.end_byte, ascii_lower(text))], f"Use `{lower}`", SAFE)
        ctx.report(file, node.start_byte, node.end_byte, message, fix)


_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def _is_identifier(s: str) -> bool:
    return bool(_IDENT.match(s))


RULE = LowercaseHeaderAccess()
