"""# invalid-mime-type

## What it does

Flags a `Content-Type` response header (set with `appendHeader` or `setHeaders`) whose literal
value is not a valid media type: the type and subtype swapped (`plain/text`, `json/application`),
a misspelling (`application/jason`), a bare word (`json`, `text`), or a top-level type that does
not exist. Known mistakes get a fix (`rules/platform/requests.toml`); other invalid values are
reported without one. Parameters (`; charset=utf-8`) are kept.

## Why

`setBody` "Takes either an object or string. When setting the body to anything other than text,
make sure to set the corresponding Content-Type header with appendHeader()" [002:886-888], and
the docs' own CORS sample sets `'Content-Type', 'plain/text'` [002:14772], which no client
understands as text: the correct type is `text/plain`.

## Example

```js
exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.appendHeader('Content-Type', 'plain/text');
  response.setBody('OK');
  return callback(null, response);
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.appendHeader('Content-Type', 'text/plain');
  response.setBody('OK');
  return callback(null, response);
};
```

## Fix safety

Safe: only values in the table of known mistakes are rewritten, to the type they stand for; the
invalid value could not be understood by clients anyway. No fix for a string with escape
sequences or a value not in the table.
"""

from __future__ import annotations

import re

from twilint.analysis.responses import header_sets, server_code
from twilint.facts import _load
from twilint.model import SAFE, Edit, Fix, Rule, Severity
from twilint.sources.js import node_text, string_value, unwrap_parens

NAME = "invalid-mime-type"
_TOKEN = r"[A-Za-z0-9!#$&^_.+-]+"
_MEDIA = re.compile(rf"^({_TOKEN})/({_TOKEN})$")


def check_media_type(value: str) -> tuple[bool, str | None]:
    """(valid?, the intended type when it is a known mistake)."""
    facts = _load("requests.toml")["mime"]
    essence = value.split(";", 1)[0].strip()
    low = essence.lower()
    typos = facts["typos"]
    if low in typos:
        return False, typos[low]
    m = _MEDIA.match(essence)
    if not m:
        return False, None
    if m.group(1).lower() not in facts["top_level_types"] and not m.group(1).lower().startswith("x-"):
        return False, None
    return True, None


class InvalidMimeType(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "A Content-Type literal that is not a valid media type (plain/text, json/application, ...)"
    fixable = SAFE
    file_kinds = frozenset({"js", "ts"})
    triggers = (b"appendHeader", b"setHeaders")  # findings are in header-setting calls

    def check_file(self, ctx, file):
        if not server_code(file):
            return ()
        for hs in header_sets(file.js.root):
            if not hs.key or hs.key.lower() != "content-type":
                continue
            node = unwrap_parens(hs.value)
            if node is None or node.type not in ("string", "template_string"):
                continue
            value = string_value(node)
            if value is None or not value.strip():
                continue
            ok, meant = check_media_type(value)
            if ok:
                continue
            essence = value.split(";", 1)[0].strip()
            fix = None
            if meant is not None and node.type == "string" and not any(c.type == "escape_sequence" for c in node.named_children):
                q = node_text(node)[0]
                rest = value[len(value.split(";", 1)[0]):]
                lead = value[: len(value) - len(value.lstrip())]
                fix = Fix([Edit.replace(node.start_byte, node.end_byte, f"{q}{lead}{meant}{rest}{q}")], f"Use {meant}", SAFE)
            msg = f"`{essence}` is not a valid media type"
            if meant:
                msg += f"; did you mean `{meant}`?"
            ctx.report(file, node.start_byte, node.end_byte, msg, fix)
        return ()


RULE = InvalidMimeType()
