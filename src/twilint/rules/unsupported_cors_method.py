"""# unsupported-cors-method

## What it does

Flags an `Access-Control-Allow-Methods` response header (set with `appendHeader` or
`setHeaders`) that lists a method other than GET, POST and OPTIONS, such as PUT, PATCH or DELETE.
Functions never receive those methods, so advertising them to browsers only misleads.

## Why

"Twilio Functions will respond to three HTTP verbs: GET, POST, and OPTIONS. PUT and DELETE are
currently not supported." [002:140]. The platform answers the OPTIONS preflight itself with
`Access-Control-Allow-Methods: GET, POST, OPTIONS`: "the only methods allowed to access your
Function are GET, POST, and OPTIONS." [002:7741-7750]. The docs' own sample lists
"GET,PUT,POST,DELETE,OPTIONS" [002:1071].

## Example

```js
exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.appendHeader('Access-Control-Allow-Methods', 'GET,PUT,POST,DELETE,OPTIONS');
  return callback(null, response);
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.appendHeader('Access-Control-Allow-Methods', 'GET,POST,OPTIONS');
  return callback(null, response);
};
```

## Fix safety

Safe: the fix drops the unsupported methods and keeps the others in their order and separator
style; requests with the dropped methods never reach a Function. No fix when nothing would
remain, or when the string has escape sequences.
"""

from __future__ import annotations

import re

from twilint.analysis.responses import header_sets, server_code
from twilint.facts import _load
from twilint.model import SAFE, Edit, Fix, Rule, Severity
from twilint.sources.js import node_text, string_value, unwrap_parens

NAME = "unsupported-cors-method"


class UnsupportedCorsMethod(Rule):
    name = NAME
    severity = Severity.INFO
    summary = "Access-Control-Allow-Methods lists methods Functions never receive (only GET, POST, OPTIONS)"
    fixable = SAFE
    file_kinds = frozenset({"js", "ts"})
    triggers = (b"appendHeader", b"setHeaders")  # findings are in header-setting calls

    def check_file(self, ctx, file):
        if not server_code(file):
            return ()
        allowed = {m.upper() for m in _load("requests.toml")["cors"]["methods"]}
        for hs in header_sets(file.js.root):
            if not hs.key or hs.key.lower() != "access-control-allow-methods":
                continue
            node = unwrap_parens(hs.value)
            if node is None or node.type not in ("string", "template_string"):
                continue
            value = string_value(node)
            if value is None:
                continue
            methods = [m for m in re.split(r"[,\s]+", value) if m]
            bad = [m for m in methods if m.upper() not in allowed and m != "*"]
            if not bad:
                continue
            keep = [m for m in methods if m not in bad]
            fix = None
            plain = re.fullmatch(r"\s*\w+(\s*,\s*\w+)*\s*", value) is not None  # a plain comma list
            if keep and plain and node.type == "string" and not any(c.type == "escape_sequence" for c in node.named_children):
                sep = ", " if ", " in value else ","
                q = node_text(node)[0]
                new = sep.join(keep)
                fix = Fix([Edit.replace(node.start_byte, node.end_byte, f"{q}{new}{q}")], f"Allow {new}", SAFE)
            ctx.report(file, node.start_byte, node.end_byte,
                       f"{', '.join(bad)} never reach a Function: only GET, POST and OPTIONS are supported", fix)
        return ()


RULE = UnsupportedCorsMethod()
