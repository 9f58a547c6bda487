"""# cookie-attributes

## What it does

Checks the attributes of cookies a Function sets, in `response.setCookie(name, value, [...])`
attribute lists and in literal `Set-Cookie` header values (`appendHeader('Set-Cookie', ...)`,
`setHeaders({ 'Set-Cookie': ... })`):

- `Max-Age` over 86400 seconds (24 hours): the platform answers the request with a 400 error
  (error);
- a `Domain=` attribute: the platform removes it and uses the Function's own domain (warning).

Only literal attribute strings are checked; a computed `Max-Age=${ttl}` is not.

## Why

"If you set the Max-Age or Expires of a cookie to greater than 24 hours, your Function will
return a 400 error with the message Cookies max-age cannot be greater than a day."
[002:6506] [002:6389]. "You cannot manually set the value of the Domain attribute on a cookie.
The value will be removed and set to the domain of the Function creating the response."
[002:6502].

## Example

```js
exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.setCookie('session', 'abc', ['Max-Age=604800', 'Domain=example.com', 'SameSite=Strict']);
  return callback(null, response);
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const response = new Twilio.Response();
  response.setCookie('session', 'abc', ['Max-Age=86400', 'SameSite=Strict']);
  return callback(null, response);
};
```

## Fix safety

Safe. `Max-Age` is lowered to 86400, the longest the platform accepts: the original value can
only ever produce a 400 response. A `Domain=` attribute is removed (its array element, or its
`; Domain=...` part of a header string): the platform drops it anyway. Strings with escape
sequences are reported without a fix.
"""

from __future__ import annotations

import re

from twilint.analysis.responses import cookie_sets, header_sets, server_code
from twilint.facts import _load
from twilint.model import SAFE, Edit, Fix, Rule, Severity
from twilint.sources.js import node_text, string_value, unwrap_parens

NAME = "cookie-attributes"
_MAX_AGE = re.compile(r"^\s*max-age\s*=\s*(\d+)\s*$", re.I)
_DOMAIN = re.compile(r"^\s*domain\s*=", re.I)


def _clean_string(node) -> bool:
    return node.type == "string" and not any(c.type == "escape_sequence" for c in node.named_children)


class CookieAttributes(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "A cookie with Max-Age over 24 h (the platform returns 400) or a Domain= attribute (removed)"
    fixable = SAFE
    file_kinds = frozenset({"js", "ts"})
    triggers = (b"setCookie",)  # every finding is in a setCookie() call

    def check_file(self, ctx, file):
        if not server_code(file):
            return ()
        limit = int(_load("requests.toml")["cookies"]["max_age_seconds"])
        root = file.js.root
        for c in cookie_sets(root):
            attrs = unwrap_parens(c.attributes) if c.attributes is not None else None
            if attrs is None or attrs.type != "array":
                continue
            elements = [e for e in attrs.named_children if e.type != "comment"]
            for i, el in enumerate(elements):
                value = string_value(el) if el.type in ("string", "template_string") else None
                if value is None:
                    continue
                m = _MAX_AGE.match(value)
                if m and int(m.group(1)) > limit:
                    fix = None
                    if _clean_string(el):
                        q = node_text(el)[0]
                        name = value.split("=", 1)[0].strip()
                        fix = Fix([Edit.replace(el.start_byte, el.end_byte, f"{q}{name}={limit}{q}")],
                                  f"Use {name}={limit}", SAFE)
                    self._max_age(ctx, file, el, int(m.group(1)), limit, fix)
                elif _DOMAIN.match(value):
                    fix = Fix([_remove_element(file.data, elements, i)], "Remove the Domain attribute", SAFE)
                    self._domain(ctx, file, el, fix)
        for hs in header_sets(root):
            if not hs.key or hs.key.lower() != "set-cookie":
                continue
            v = unwrap_parens(hs.value)
            items = [v] if v is not None and v.type in ("string", "template_string") else (
                [e for e in v.named_children if e.type in ("string", "template_string")] if v is not None and v.type == "array" else [])
            for s in items:
                self._header_string(ctx, file, s, limit)
        return ()

    def _max_age(self, ctx, file, node, seconds, limit, fix):
        ctx.report(file, node.start_byte, node.end_byte,
                   f"cookie Max-Age of {seconds} s is over 24 hours ({limit} s): the Function returns a 400 error",
                   fix)

    def _domain(self, ctx, file, node, fix):
        ctx.report(file, node.start_byte, node.end_byte,
                   "a cookie's Domain attribute cannot be set: the platform removes it and uses the Function's domain",
                   fix, severity=Severity.WARNING)

    def _header_string(self, ctx, file, node, limit):
        value = string_value(node)
        if value is None:
            return
        clean = _clean_string(node)
        # offsets of each `; attr` part inside the literal (start is just after the quote)
        base = node.start_byte + 1
        parts = value.split(";")
        pos = 0
        for idx, part in enumerate(parts):
            start = pos
            pos += len(part.encode("utf-8")) + 1
            if idx == 0:
                continue  # name=value
            m = _MAX_AGE.match(part)
            if m and int(m.group(1)) > limit:
                fix = None
                if clean:
                    ds = base + start + len(part.encode("utf-8")) - len(part.lstrip().encode("utf-8"))
                    de = base + start + len(part.rstrip().encode("utf-8"))
                    name = part.split("=", 1)[0].strip()
                    fix = Fix([Edit.replace(ds, de, f"{name}={limit}")], f"Use {name}={limit}", SAFE)
                self._max_age(ctx, file, node, int(m.group(1)), limit, fix)
            elif _DOMAIN.match(part):
                fix = None
                if clean:
                    # remove the ';' before the attribute and the attribute itself
                    ds = base + start - 1
                    de = base + start + len(part.encode("utf-8"))
                    fix = Fix([Edit(ds, de, b"")], "Remove the Domain attribute", SAFE)
                self._domain(ctx, file, node, fix)


def _remove_element(data: bytes, elements: list, i: int) -> Edit:
    """Remove array element ``i`` with the comma that separates it from a neighbour."""
    el = elements[i]
    if i + 1 < len(elements):
        return Edit(el.start_byte, elements[i + 1].start_byte, b"")
    if i > 0:
        prev = elements[i - 1]
        return Edit(prev.end_byte, el.end_byte, b"")
    return Edit(el.start_byte, el.end_byte, b"")


RULE = CookieAttributes()
