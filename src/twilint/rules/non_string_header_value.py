"""# non-string-header-value

## What it does

Flags a response header or cookie value that is not a string (or, for headers, an array of
strings):

- an object literal, `null`, `new Date()` or another `new` object passed to `appendHeader` or
  as a `setHeaders({...})` value: @twilio/runtime-handler 2.1.0 and later throw
  `Header value cannot be an object`, so the Function fails (error);
- the same as a `setCookie` value: the cookie's value becomes `[object Object]` (warning);
- a number or boolean literal, or an obviously numeric expression (`stat.size`, `buf.length`,
  `a * b`), for either: outside the documented type, which is a string (info, with a fix).

Calls are recognised by their method name on any receiver (`response.appendHeader`,
`new Twilio.Response().setHeaders`, a helper's parameter), in Functions and private script
Assets of a Twilio project.

## Why

`appendHeader(key, value)` takes "string | string[]" and `setHeaders` an
"Object<string, string | string[]>" [002:6244-6245] [002:6161-6162]; "Cookies must be strings
with the key and value delimited by an = sign" [002:6157] and cookies are "always strings"
[002:13421-13424]. Since runtime-handler 2.1.0 `appendHeader` throws `Header value cannot be
an object` for a non-array object (platform-notes §1.6, serverless-toolkit PR #526/#527). The
docs' own asset sample passes a number: `appendHeader("Content-Length", stat.size)` [002:1522].

## Example

```js
exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.appendHeader('X-Retry-After', 30);
  response.appendHeader('X-Meta', { source: 'twilio' });
  return callback(null, response);
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.appendHeader('X-Retry-After', '30');
  response.appendHeader('X-Meta', JSON.stringify({ source: 'twilio' }));
  return callback(null, response);
};
```

## Fix safety

Safe, for numbers and booleans only: a literal becomes the same text quoted (`30` -> `'30'`), an
expression is wrapped in `String(...)`; headers and cookies are sent as text either way. Objects
get no fix: how to serialise them (JSON, a single field) is your decision.
"""

from __future__ import annotations

from twilint.analysis.paths import static_key
from twilint.analysis.responses import cookie_sets, header_sets, server_code
from twilint.model import SAFE, Edit, Fix, Rule, Severity
from twilint.sources.js import node_text, unwrap_parens

NAME = "non-string-header-value"
NUMERIC_PROPS = {"length", "size", "byteLength"}
NUMERIC_OPS = {"-", "*", "/", "%", "**", "|", "&", "^", "<<", ">>", ">>>"}
OBJECT_TYPES = {"object", "null", "regex", "arrow_function", "function_expression", "function", "class"}


def classify(node) -> str | None:
    """"object", "number", "boolean" or None (a string, an array, or unknown)."""
    node = unwrap_parens(node)
    if node is None:
        return None
    t = node.type
    if t in OBJECT_TYPES:
        return "object"
    if t == "new_expression":
        ctor = node.child_by_field_name("constructor")
        if ctor is not None and node_text(ctor) in ("String", "Number", "Boolean"):
            return None
        return "object"
    if t == "number":
        return "number"
    if t in ("true", "false"):
        return "boolean"
    if t == "unary_expression":
        op = node.child_by_field_name("operator")
        arg = unwrap_parens(node.child_by_field_name("argument"))
        if op is not None and node_text(op) in ("-", "+") and arg is not None and arg.type == "number":
            return "number"
        return None
    if t == "member_expression":
        if static_key(node.child_by_field_name("property")) in NUMERIC_PROPS:
            return "number"
        return None
    if t == "binary_expression":
        op = node.child_by_field_name("operator")
        if op is not None and node_text(op) in NUMERIC_OPS:
            return "number"
    return None


def _string_fix(node):
    node = unwrap_parens(node)
    t = node.type
    if t in ("number", "true", "false", "unary_expression"):
        text = node_text(node)
        return Fix([Edit.replace(node.start_byte, node.end_byte, f"'{text}'")], f"Use the string '{text}'", SAFE)
    return Fix([Edit.replace(node.start_byte, node.start_byte, "String("), Edit.replace(node.end_byte, node.end_byte, ")")],
               "Wrap the value in String()", SAFE)


class NonStringHeaderValue(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "A header or cookie value that is not a string: objects throw in runtime-handler 2.1.0+"
    fixable = SAFE
    file_kinds = frozenset({"js", "ts"})
    triggers = (b"appendHeader", b"setHeaders", b"setCookie")  # header and cookie setters

    def check_file(self, ctx, file):
        if not server_code(file):
            return ()
        root = file.js.root
        for hs in header_sets(root):
            if hs.value is None:
                continue
            kind = classify(hs.value)
            where = f"header `{hs.key}`" if hs.key else "a header"
            if kind == "object":
                ctx.report(file, hs.value.start_byte, hs.value.end_byte,
                           f"{where} is set to an object: runtime-handler 2.1.0 and later throw "
                           "'Header value cannot be an object'; send a string (JSON.stringify it)")
            elif kind in ("number", "boolean"):
                ctx.report(file, hs.value.start_byte, hs.value.end_byte,
                           f"{where} is set to a {kind}: header values are strings (or arrays of strings)",
                           _string_fix(hs.value), severity=Severity.INFO)
        for c in cookie_sets(root):
            if c.value is None:
                continue
            kind = classify(c.value)
            where = f"cookie `{c.name}`" if c.name else "a cookie"
            if kind == "object":
                ctx.report(file, c.value.start_byte, c.value.end_byte,
                           f"{where} is set to an object: its value becomes '[object Object]'; send a string",
                           severity=Severity.WARNING)
            elif kind in ("number", "boolean"):
                ctx.report(file, c.value.start_byte, c.value.end_byte,
                           f"{where} is set to a {kind}: cookie values are strings",
                           _string_fix(c.value), severity=Severity.INFO)
        return ()


RULE = NonStringHeaderValue()
