"""# header-multivalue

## What it does

Flags a string-only method (`split`, `toLowerCase`, `startsWith`, `trim`, `replace`, `match`,
...) called on an incoming list-valued request header such as `cache-control`, `accept`,
`accept-language`, `forwarded` or `if-none-match`, read from `event.request.headers` directly or
through an alias. When the client sends the header more than once, the value is an array and the
call throws `TypeError: ... is not a function`.

Only headers that HTTP defines as lists (and that clients and proxies do repeat) are checked
(`rules/platform/requests.toml`); single-valued headers such as `authorization` or
`content-type` are not. A value checked with `Array.isArray(x)` or `typeof x` in the handler is
not flagged, nor are methods arrays have too (`includes`, `indexOf`, `slice`).

## Why

A header sent with several values "will return an array of strings when accessed" and "The order
of multivalued headers in a request is preserved." [002:5929] [002:5952]; the docs' own example is
`cache-control` [002:5925-5931].

## Example

```js
exports.handler = (context, event, callback) => {
  const directives = event.request.headers['cache-control'].split(',');
  return callback(null, { directives });
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const value = event.request.headers['cache-control'];
  const directives = [].concat(value || []).join(',').split(',');
  return callback(null, { directives });
};
```

## Fix safety

No fix: decide how to treat several values (join them, or take the first) yourself.
"""

from __future__ import annotations

from twilint.analysis.handler import twilio_handlers
from twilint.analysis.paths import handler_accesses, is_callee
from twilint.facts import _load
from twilint.model import Rule, Severity
from twilint.sources.js import node_text, unwrap_parens, walk

NAME = "header-multivalue"
STRING_ONLY = {
    "split", "toLowerCase", "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase", "startsWith",
    "endsWith", "trim", "trimStart", "trimEnd", "replace", "replaceAll", "match", "matchAll",
    "substring", "substr", "padStart", "padEnd", "charAt", "charCodeAt", "codePointAt",
    "localeCompare", "normalize", "search",
}


class HeaderMultivalue(Rule):
    name = NAME
    severity = Severity.INFO
    summary = "A string method on a list-valued request header, which is an array when sent twice"
    fixable = None
    file_kinds = frozenset({"js", "ts"})

    def check_file(self, ctx, file):
        names = _load("requests.toml")["multivalue_headers"]["names"]
        steps = {("event", "request"): "request", ("request", "headers"): "headers"}
        for n in names:
            steps[("headers", n)] = "multivalue"
        for h in twilio_handlers(file):
            if len(h.params) < 2:
                continue
            checked = None  # read at the first candidate (a walk of the whole function)
            for acc in handler_accesses(file, h, steps, {1: "event"}):
                if acc.kind != "multivalue" or acc.write or acc.via != "member" or acc.key not in STRING_ONLY:
                    continue
                if not is_callee(acc.node):
                    continue
                obj = _base(acc.node.child_by_field_name("object"))
                if checked is None:
                    checked = _type_checked(h.function)
                if obj is not None and node_text(obj).replace("?.", ".") in checked:
                    continue
                ctx.report(file, acc.key_node.start_byte, acc.key_node.end_byte,
                           f"`.{acc.key}()` on a list-valued header: when the client sends it more than once "
                           "the value is an array of strings and this throws")
        return ()


def _base(node):
    """`(value || '')` -> `value`: the expression a fallback wraps."""
    node = unwrap_parens(node)
    while node is not None and node.type == "binary_expression":
        op = node.child_by_field_name("operator")
        if op is None or node_text(op) not in ("||", "??"):
            break
        node = unwrap_parens(node.child_by_field_name("left"))
    return node


def _type_checked(fn) -> set[str]:
    """Texts of expressions the function tests with Array.isArray(x) or typeof x."""
    out = set()
    for n in walk(fn):
        if n.type == "call_expression":
            f = n.child_by_field_name("function")
            if f is not None and node_text(f) == "Array.isArray":
                args = n.child_by_field_name("arguments")
                if args is not None and args.named_children:
                    out.add(node_text(unwrap_parens(args.named_children[0])).replace("?.", "."))
        elif n.type == "unary_expression":
            op = n.child_by_field_name("operator")
            if op is not None and node_text(op) == "typeof":
                arg = n.child_by_field_name("argument")
                if arg is not None:
                    out.add(node_text(unwrap_parens(arg)).replace("?.", "."))
    return out


RULE = HeaderMultivalue()
