"""# hardcoded-credential

## What it does

Flags credentials written into code or into Asset files:

- a PEM private key (`-----BEGIN ... PRIVATE KEY-----`) in any string literal, or in a public or
  protected text Asset (error);
- an auth token or API key secret (32 characters) where the code says it is one: assigned to a
  name like `authToken`, `apiSecret`, `password`, `secret`; a property with such a name; the second
  argument of `twilio(...)` / `new Twilio(...)`; the third argument of `new AccessToken(...)`;
  the fallback in `context.AUTH_TOKEN || '...'`; `authToken: "..."` in a text Asset (error);
- an Account SID (`AC` and 32 hex digits) in a string literal, or in a public or protected Asset
  (warning).

Functions and script Assets are read as code (comments are never checked); JSON Assets by their
keys and values; other text Assets (HTML, text) by their content. Placeholders such as
`ACxxxxxxxx...` or `AC000...` and values with few distinct characters are ignored. Private data
Assets are not read: they are the documented place for a key or credentials file. An Asset that
`public-secret-asset` reports as a whole (a key file, `credentials.json`, a JSON file with a
`private_key` field) is left to that rule. **Messages never show the
value**, only what kind of credential it is and its length.

## Why

"Use these for storing configuration like API keys rather than hardcoding them into your
Functions." and "Environment Variables are encrypted, so they are the preferred way to store API
keys, passwords, and any other secrets" [002:5086]. An auth token in code also breaks every
Function when the token is rotated: "those functions and services will fail with a 403 Forbidden
error" [002:1212] [002:17053]. Public Assets are readable by "anyone with the URL"
[002:1318] [002:1324]; large secrets such as keys belong in a private Asset [002:5249-5250].

## Example

```js
exports.handler = (context, event, callback) => {
  const accountSid = 'AC5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b';
  const authToken = '1f2e3d4c5b6a79880716253443526170';
  const client = require('twilio')(accountSid, authToken);
  return callback(null, 'ok');
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const client = context.getTwilioClient();
  return callback(null, 'ok');
};
```

## Fix safety

No fix: move the value to an environment variable (`context.X`) or, for a key file, a private
Asset, and rotate it: it is in your history.
"""

from __future__ import annotations

import json
import re

from twilint import model
from twilint.analysis.paths import static_key
from twilint.analysis.responses import args_of
from twilint.analysis.secrets import PEM_PRIVATE, classify_value, is_secret_name, random_looking
from twilint.model import Rule, Severity
from twilint.sources.js import node_text, string_value, unwrap_parens

NAME = "hardcoded-credential"
_SEV = {"error": Severity.ERROR, "warning": Severity.WARNING}
_TEXT_SID = re.compile(r"\bAC[0-9a-fA-F]{32}\b")
_TEXT_TOKEN = re.compile(
    r"""(?i)(auth_?token|api_?secret|api_?key_?secret|client_?secret|password|secret)["']?\s*[:=]\s*["']([0-9A-Za-z]{32})["']""")
_TWILIO_CTORS = {"twilio", "Twilio"}
# Every credential format is at least 32 characters (a PEM key far more), and a literal's source
# is at least its value's length plus two quotes: shorter literals are skipped unread.
_MIN_LITERAL = 34


def _string_of(node) -> str | None:
    if node.type == "string":
        return string_value(node)
    if node.type == "template_string":
        v = string_value(node)
        if v is not None:
            return v
        # a template with substitutions: its static text, for private keys only
        return "".join(node_text(c) for c in node.named_children if c.type == "string_fragment")
    return None


def _secret_context(node) -> bool:
    """Does the code around a literal say it is a secret?"""
    child, p = node, node.parent
    while p is not None and p.type == "parenthesized_expression":
        child, p = p, p.parent
    if p is None:
        return False
    t = p.type
    if t == "variable_declarator":
        name = p.child_by_field_name("name")
        return name is not None and name.type == "identifier" and is_secret_name(node_text(name))
    if t == "pair":
        return is_secret_name(static_key(p.child_by_field_name("key")))
    if t == "assignment_expression":
        left = p.child_by_field_name("left")
        if left is None:
            return False
        if left.type == "identifier":
            return is_secret_name(node_text(left))
        if left.type == "member_expression":
            return is_secret_name(static_key(left.child_by_field_name("property")))
        if left.type == "subscript_expression":
            return is_secret_name(static_key(left.child_by_field_name("index")))
        return False
    if t in ("assignment_pattern", "object_assignment_pattern"):
        left = p.child_by_field_name("left")
        return left is not None and is_secret_name(node_text(left))
    if t == "binary_expression":
        op = p.child_by_field_name("operator")
        left = unwrap_parens(p.child_by_field_name("left"))
        if op is not None and node_text(op) in ("||", "??") and left is not None and left.id != child.id:
            if left.type == "member_expression":
                return is_secret_name(static_key(left.child_by_field_name("property")))
            if left.type == "identifier":
                return is_secret_name(node_text(left))
        return False
    if t == "arguments":
        call = p.parent
        args = args_of(call)
        idx = next((i for i, a in enumerate(args) if a.id == child.id), -1)
        fn = unwrap_parens(call.child_by_field_name("function") if call.type == "call_expression"
                           else call.child_by_field_name("constructor"))
        if fn is None:
            return False
        name = node_text(fn).rsplit(".", 1)[-1]
        if call.type == "call_expression" and fn.type == "call_expression" and node_text(fn).replace(" ", "").startswith("require("):
            name = "twilio" if "twilio" in node_text(fn) else ""
        if name in _TWILIO_CTORS:
            return idx == 1
        if name == "AccessToken":
            return idx == 2
        return False
    return False


class HardcodedCredential(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "An auth token, API secret, private key or Account SID written into a Function or Asset"
    fixable = None
    file_kinds = frozenset({"js", "ts"})

    def check_file(self, ctx, file):
        project = file.project
        if file.role not in ("function", "asset") or not project.is_twilio or not file.ok:
            return ()
        js = file.js
        if js is None or js.has_error:
            return ()
        self._code(ctx, file, js)
        return ()

    def check_project(self, ctx, project):
        # Data Assets are read here, not through `file_kinds`: images and other binary Assets
        # must not be decoded (the engine reports undecodable files of a kind a rule reads).
        from twilint.rules.public_secret_asset import asset_secret_reason

        if not project.is_twilio:
            return ()
        for file in list(project.files.values()):
            if file.role != "asset" or file.kind != "asset" or file.path not in project.targets:
                continue
            if file.visibility == "private":
                continue  # a private Asset is the documented place for a key or credentials file [002:5250]
            if not file.ok or b"\0" in file.data[:8192]:
                continue  # binary
            if asset_secret_reason(file) is not None:
                continue  # public-secret-asset reports the whole file
            if file.path.name.lower().endswith(".json"):
                self._json(ctx, file)
            else:
                self._text(ctx, file)
        return ()

    def _report(self, ctx, file, start, end, found, where=""):
        sev, desc = found
        if desc.startswith("an Account SID"):
            advice = "read `context.ACCOUNT_SID` (or an environment variable) instead"
        else:
            advice = "read it from an environment variable (`context.X`) instead, and rotate it: it is in your history"
        ctx.report(file, start, end, f"hard-coded credential: {desc}{where} (value not shown); {advice}",
                   severity=_SEV[sev])

    def _code(self, ctx, file, js):
        for n in js.nodes_of(("string", "template_string")):
            if model.PREFILTERS and n.end_byte - n.start_byte < _MIN_LITERAL:
                continue  # too short for any credential (see _MIN_LITERAL)
            if n.parent is not None and n.parent.type in ("import_statement", "export_statement"):
                continue
            v = _string_of(n)
            if not v:
                continue
            found = classify_value(v, lambda: _secret_context(n))
            if found is not None:
                self._report(ctx, file, n.start_byte, n.end_byte, found)

    def _json(self, ctx, file):
        try:
            data = json.loads(file.text)
        except ValueError:
            self._text(ctx, file)
            return
        hits: list[tuple[str, tuple[str, str]]] = []

        def visit(v, key):
            if isinstance(v, dict):
                for k, x in v.items():
                    visit(x, k)
            elif isinstance(v, list):
                for x in v:
                    visit(x, key)
            elif isinstance(v, str):
                found = classify_value(v, is_secret_name(key))
                if found is None:
                    return
                hits.append((key or "", found))

        visit(data, None)
        for key, found in hits:
            where = f" in field `{key}`" if key else ""
            self._report(ctx, file, 0, 0, found, where)

    def _text(self, ctx, file):
        text = file.text
        m = PEM_PRIVATE.search(text)
        if m:
            self._report(ctx, file, _b(text, m.start()), _b(text, m.end()), ("error", "a PEM private key"))
        for m in _TEXT_SID.finditer(text):
            if random_looking(m.group(0)):
                self._report(ctx, file, _b(text, m.start()), _b(text, m.end()),
                             ("warning", "an Account SID (AC..., 34 characters)"))
        for m in _TEXT_TOKEN.finditer(text):
            found = classify_value(m.group(2), True)
            if found is not None:
                self._report(ctx, file, _b(text, m.start(2)), _b(text, m.end(2)), found)


def _b(text: str, i: int) -> int:
    return len(text[:i].encode("utf-8"))


RULE = HardcodedCredential()
