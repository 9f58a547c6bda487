"""# cookie-case

## What it does

Flags a read of an incoming cookie (`event.request.cookies.sessionid`,
`event.request.cookies['SessionId']`, `const { sessionid } = event.request.cookies`) whose name
differs only in letter case from a cookie the project sets, and not exactly matches any. Names
set by the project are collected from every Function and private script Asset
(`response.setCookie('sessionId', ...)`, `appendHeader('Set-Cookie', 'sessionId=...')`,
`setHeaders({ 'Set-Cookie': ... })`) and from browser scripts in Assets
(`document.cookie = 'sessionId=...'`).

A read whose name is set somewhere with exactly that case is never flagged, nor are names the
project never sets (another system may set them).

## Why

"Cookie names are not forced to be lowercase like other headers and should be accessed using the
casing in the request." [002:5959]. Habit from headers, which are lowercased [002:5820], makes
`cookies.sessionid` look right, but it is `undefined` for a cookie set as `sessionId`.

## Example

```js
exports.handler = (context, event, callback) => {
  const token = event.request.cookies.sessiontoken;
  const response = new Twilio.Response();
  response.setCookie('sessionToken', 'abc', ['Max-Age=3600']);
  response.setBody(token ? 'welcome back' : 'hello');
  return callback(null, response);
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const token = event.request.cookies.sessionToken;
  const response = new Twilio.Response();
  response.setCookie('sessionToken', 'abc', ['Max-Age=3600']);
  response.setBody(token ? 'welcome back' : 'hello');
  return callback(null, response);
};
```

## Fix safety

Unsafe: the fix renames the key to the casing the project sets, but a client outside the project
may set a cookie with the casing the code reads.
"""

from __future__ import annotations

import re

from twilint.analysis.handler import twilio_handlers
from twilint.analysis.paths import handler_accesses, is_callee
from twilint.analysis.responses import cookie_sets, header_sets, server_code
from twilint.model import UNSAFE, Edit, Fix, Rule, Severity
from twilint.sources.js import node_text, string_value, typed, unwrap_parens

NAME = "cookie-case"
STEPS = {("event", "request"): "request", ("request", "cookies"): "cookies"}
_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def _cookie_name(header_value: str) -> str | None:
    name = header_value.split(";", 1)[0].split("=", 1)
    return name[0].strip() if len(name) == 2 and name[0].strip() else None


def _literal_strings(node) -> list[str]:
    node = unwrap_parens(node)
    if node is None:
        return []
    if node.type in ("string", "template_string"):
        v = string_value(node)
        if v is None and node.type == "template_string":
            # `name=${value}`: the static text before the first substitution
            first = node.named_children[0] if node.named_children else None
            if first is not None and first.type == "string_fragment":
                v = node_text(first)
        return [v] if v else []
    if node.type == "array":
        out = []
        for c in node.named_children:
            out.extend(_literal_strings(c))
        return out
    return []


def project_cookie_names(project) -> set[str]:
    cache = project.__dict__.setdefault("_cookie_case_names", {})
    if "names" in cache:
        return cache["names"]
    names: set[str] = set()
    for f in list(project.files.values()):
        if f.kind not in ("js", "ts") or f.role not in ("function", "asset") or not f.ok:
            continue
        if b"ookie" not in f.data or f.is_minified:
            continue  # a cheap pre-filter: no cookie is set without the word
        js = f.js
        if js is None or js.has_error:
            continue
        if server_code(f):
            for c in cookie_sets(js.root):
                if c.name:
                    names.add(c.name)
            for hs in header_sets(js.root):
                if hs.key and hs.key.lower() == "set-cookie":
                    for v in _literal_strings(hs.value):
                        n = _cookie_name(v)
                        if n:
                            names.add(n)
        # browser code: document.cookie = 'name=value; ...'
        for n in typed(js.root, "assignment_expression"):
            left = n.child_by_field_name("left")
            if left is None or node_text(left).replace(" ", "") not in ("document.cookie", "window.document.cookie"):
                continue
            for v in _literal_strings(n.child_by_field_name("right")):
                nm = _cookie_name(v)
                if nm:
                    names.add(nm)
    cache["names"] = names
    return names


class CookieCase(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "A cookie read with a different letter case than the project sets it: always undefined"
    fixable = UNSAFE
    file_kinds = frozenset({"js", "ts"})

    def check_file(self, ctx, file):
        if b"cookies" not in file.data:
            return ()  # reads go through event.request.cookies
        handlers = twilio_handlers(file)
        if not handlers:
            return ()
        names = project_cookie_names(file.project)
        if not names:
            return ()
        by_lower: dict[str, set[str]] = {}
        for n in names:
            by_lower.setdefault(n.lower(), set()).add(n)
        for h in handlers:
            if len(h.params) < 2:
                continue
            for acc in handler_accesses(file, h, STEPS, {1: "event"}):
                if acc.kind != "cookies" or acc.write or acc.key is None or acc.key in names:
                    continue
                if acc.via == "member" and is_callee(acc.node):
                    continue  # cookies.hasOwnProperty(...)
                same = by_lower.get(acc.key.lower())
                if not same:
                    continue
                set_as = sorted(same)
                fix = None
                if len(set_as) == 1:
                    fix = _fix(acc, set_as[0])
                shown = " or ".join(f"`{s}`" for s in set_as)
                ctx.report(file, acc.key_node.start_byte, acc.key_node.end_byte,
                           f"cookie names keep their case: the project sets {shown}, so `{acc.key}` is undefined",
                           fix)
        return ()


def _fix(acc, target: str):
    node = acc.key_node
    reason = "a client outside this project may set the cookie with the casing the code reads"
    if acc.shorthand:
        key = target if _IDENT.match(target) else repr(target)
        return Fix([Edit.replace(node.start_byte, node.end_byte, f"{key}: {acc.key}")], f"Read `{target}`", UNSAFE, reason)
    if node.type == "property_identifier":
        if not _IDENT.match(target):
            return None
        return Fix([Edit.replace(node.start_byte, node.end_byte, target)], f"Read `{target}`", UNSAFE, reason)
    if node.type == "string" and not any(c.type == "escape_sequence" for c in node.named_children):
        q = node_text(node)[0]
        if q in target or "\\" in target:
            return None
        return Fix([Edit.replace(node.start_byte, node.end_byte, f"{q}{target}{q}")], f"Read `{target}`", UNSAFE, reason)
    return None


RULE = CookieCase()
