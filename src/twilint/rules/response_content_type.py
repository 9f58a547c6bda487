"""# response-content-type

## What it does

Flags a `Twilio.Response` whose body needs a Content-Type it does not get:

- an object or array body (`response.setBody({ ok: true })`, or a `const` bound to an object
  literal) with no `Content-Type` header at all: it should be `application/json`;
- a TwiML body (`twiml.toString()` of a `Twilio.twiml.VoiceResponse` / `MessagingResponse`, or a
  string literal starting with `<Response` or `<?xml`) with no `Content-Type`, or with one that is
  not XML: Twilio expects `text/xml`.

It follows each `const response = new Twilio.Response()` through its method calls (chained or
not) in the function that creates it. A response handed to another function (other than the
handler's `callback`), stored or returned is skipped, since that code may set the header, and so
is one whose headers are set from a value twilint cannot read.

## Why

`setBody` "Takes either an object or string. When setting the body to anything other than text,
make sure to set the corresponding Content-Type header with appendHeader()" [002:886-888].
For TwiML: "Since we're returning TwiML, the content type must be XML", with
`.appendHeader('Content-Type', 'text/xml')` [002:13409-13415]. A response with no Content-Type
was observed to come back as `application/octet-stream` [002:12616].

## Example

```js
exports.handler = (context, event, callback) => {
  const twiml = new Twilio.twiml.MessagingResponse();
  twiml.message('Hi!');
  const response = new Twilio.Response();
  response.setBody(twiml.toString());
  return callback(null, response);
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const twiml = new Twilio.twiml.MessagingResponse();
  twiml.message('Hi!');
  const response = new Twilio.Response();
  response.appendHeader('Content-Type', 'text/xml');
  response.setBody(twiml.toString());
  return callback(null, response);
};
```

## Fix safety

Safe when every body the response gets is of the same kind and it has no Content-Type at all:
the fix adds `response.appendHeader('Content-Type', 'application/json')` (or `'text/xml'`) on
the line after the declaration, which only labels what is already sent. No fix when bodies of
different kinds are set, when a non-XML Content-Type is set on TwiML, or when the declaration is
not a statement of its own.
"""

from __future__ import annotations

from twilint.analysis.handler import twilio_handlers
from twilint.analysis.paths import static_key
from twilint.analysis.responses import method_call, response_vars, server_code
from twilint.model import SAFE, Edit, Fix, Rule, Severity
from twilint.sources.js import node_text, string_value, typed, unwrap_parens

NAME = "response-content-type"
TWIML_CLASSES = {"VoiceResponse", "MessagingResponse", "FaxResponse"}


def _twiml_names(scope) -> set[str]:
    out = set()
    for n in typed(scope, "variable_declarator"):
        name = n.child_by_field_name("name")
        value = unwrap_parens(n.child_by_field_name("value"))
        if name is None or name.type != "identifier" or value is None or value.type != "new_expression":
            continue
        ctor = value.child_by_field_name("constructor")
        if ctor is not None and node_text(ctor).rsplit(".", 1)[-1] in TWIML_CLASSES:
            out.add(node_text(name))
    return out


def _object_names(scope) -> set[str]:
    """`const x = { ... }` / `[ ... ]` in the scope, never reassigned."""
    consts, assigned = set(), set()
    for n in typed(scope, "lexical_declaration") + typed(scope, "assignment_expression"):
        if n.type == "lexical_declaration" and n.children and n.children[0].type == "const":
            for d in n.named_children:
                if d.type != "variable_declarator":
                    continue
                name = d.child_by_field_name("name")
                value = unwrap_parens(d.child_by_field_name("value"))
                if name is not None and name.type == "identifier" and value is not None and value.type in ("object", "array"):
                    consts.add(node_text(name))
        elif n.type == "assignment_expression":
            left = n.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                assigned.add(node_text(left))
    return consts - assigned


def body_kind(node, twiml: set[str], objects: set[str]) -> str | None:
    node = unwrap_parens(node)
    if node is None:
        return None
    t = node.type
    if t in ("object", "array"):
        return "object"
    if t == "identifier" and node_text(node) in objects:
        return "object"
    mc = method_call(node)
    if mc is not None and mc[1] == "toString" and not mc[2]:
        obj = unwrap_parens(mc[0])
        if obj is not None and obj.type == "identifier" and node_text(obj) in twiml:
            return "twiml"
    if t in ("string", "template_string"):
        v = string_value(node)
        if v is None and t == "template_string" and node.named_children and node.named_children[0].type == "string_fragment":
            v = node_text(node.named_children[0])
        if v is not None:
            s = v.lstrip()
            if s.startswith("<?xml") or s.startswith("<Response>") or s.startswith("<Response "):
                return "twiml"
    return None


class ResponseContentType(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "A Twilio.Response with an object body and no JSON Content-Type, or TwiML not sent as text/xml"
    fixable = SAFE
    file_kinds = frozenset({"js", "ts"})
    triggers = (b"Response",)  # every finding is on a `new Twilio.Response()`

    def check_file(self, ctx, file):
        if not server_code(file):
            return ()
        root = file.js.root
        callbacks = {h.param_name(2) for h in twilio_handlers(file) if h.param_name(2)}
        for rv in response_vars(root, callbacks):
            if rv.escapes:
                continue
            ctypes: list[str | None] = []
            unknown = False
            bodies = []
            for method, call, args in rv.calls:
                if method == "appendHeader" and len(args) >= 2:
                    key = static_key(args[0]) if args[0].type in ("string", "template_string") else None
                    if key is None:
                        unknown = True
                    elif key.lower() == "content-type":
                        v = unwrap_parens(args[1])
                        ctypes.append(string_value(v) if v is not None and v.type in ("string", "template_string") else None)
                elif method == "setHeaders" and args:
                    o = unwrap_parens(args[0])
                    if o is None or o.type != "object" or any(c.type == "spread_element" for c in o.named_children):
                        unknown = True
                        continue
                    for pair in o.named_children:
                        if pair.type != "pair":
                            continue
                        key = static_key(pair.child_by_field_name("key"))
                        if key is None:
                            unknown = True
                        elif key.lower() == "content-type":
                            v = unwrap_parens(pair.child_by_field_name("value"))
                            ctypes.append(string_value(v) if v is not None and v.type in ("string", "template_string") else None)
                elif method == "setBody" and args:
                    bodies.append((call, args[0]))
            if unknown or not bodies:
                continue
            twiml = _twiml_names(rv.scope)
            objects = _object_names(rv.scope)
            kinds = [body_kind(b, twiml, objects) for _, b in bodies]
            all_same = len(set(kinds)) == 1
            for (call, body), kind in zip(bodies, kinds):
                if kind is None:
                    continue
                if kind == "object":
                    if ctypes:
                        continue
                    fix = self._fix(file, rv, "application/json") if all_same else None
                    ctx.report(file, body.start_byte, body.end_byte,
                               "an object body with no Content-Type: add `appendHeader('Content-Type', 'application/json')`",
                               fix)
                else:
                    if any(c is None or "xml" in c.lower() for c in ctypes):
                        continue
                    if ctypes:
                        ctx.report(file, body.start_byte, body.end_byte,
                                   f"TwiML sent as `{ctypes[0]}`: Twilio expects `text/xml`")
                    else:
                        fix = self._fix(file, rv, "text/xml") if all_same else None
                        ctx.report(file, body.start_byte, body.end_byte,
                                   "TwiML sent with no Content-Type: add `appendHeader('Content-Type', 'text/xml')`", fix)
        return ()

    def _fix(self, file, rv, ctype):
        decl = rv.decl
        declarator = decl.parent
        while declarator is not None and declarator.type != "variable_declarator":
            declarator = declarator.parent
        stmt = declarator.parent if declarator is not None else None
        if stmt is None or stmt.type not in ("lexical_declaration", "variable_declaration") or len(
                [d for d in stmt.named_children if d.type == "variable_declarator"]) != 1:
            return None
        if stmt.parent is None or stmt.parent.type not in ("statement_block", "program"):
            return None
        if unwrap_parens(declarator.child_by_field_name("value")).id != decl.id:
            return None  # `new Twilio.Response().setBody(...)`: chained at the declaration
        data = file.data
        line_start = data.rfind(b"\n", 0, stmt.start_byte) + 1
        indent = data[line_start:stmt.start_byte]
        if indent.strip():
            return None  # not the first thing on its line
        line_end = data.find(b"\n", stmt.end_byte)
        line_end = len(data) if line_end < 0 else line_end
        if line_end > 0 and data[line_end - 1:line_end] == b"\r":
            line_end -= 1
        rest = data[stmt.end_byte:line_end].strip()
        if rest and not rest.startswith(b"//"):
            return None
        nl = b"\r\n" if data[line_end:line_end + 2] == b"\r\n" else b"\n"
        text = nl + indent + f"{rv.name}.appendHeader('Content-Type', '{ctype}');".encode()
        return Fix([Edit(line_end, line_end, text)], f"Set Content-Type: {ctype}", SAFE)


RULE = ResponseContentType()
