"""# unguarded-service-sid

## What it does

Flags a read of `context.SERVICE_SID` or `context.ENVIRONMENT_SID` in a handler that is not
guarded by a check of the value: `if (context.SERVICE_SID) { ... }`, `if (!sid) return ...`
before the use, `context.SERVICE_SID || fallback`, `?? fallback`, a ternary or `&&` on it, or
`typeof`. A name copied into a variable (`const sid = context.SERVICE_SID`,
`const { SERVICE_SID } = context`) counts as guarded when the handler tests that variable
anywhere. Nothing is flagged when an env file of the project sets the variable itself.

## Why

"During local development these will be undefined by default and will log a warning" and they are
populated when deployed "unless you overrode the values" [002:2017]; the docs gate on them:
"You can use this information to gate behavior to only happen in your deployed instance."
[002:2020] [002:2025-2037]. Even deployed, near the 3 KB variables limit "these variables will
return undefined." [002:5236].

## Example

```js
exports.handler = async (context, event, callback) => {
  const client = context.getTwilioClient();
  const service = await client.serverless.v1.services(context.SERVICE_SID).fetch();
  return callback(null, service.uniqueName);
};
```

## Use instead

```js
exports.handler = async (context, event, callback) => {
  if (!context.SERVICE_SID) {
    return callback(null, 'running locally');
  }
  const client = context.getTwilioClient();
  const service = await client.serverless.v1.services(context.SERVICE_SID).fetch();
  return callback(null, service.uniqueName);
};
```

## Fix safety

No fix: what the code should do without the value (locally) is your decision.
"""

from __future__ import annotations

from twilint.analysis.handler import twilio_handlers
from twilint.analysis.paths import handler_accesses, static_key
from twilint.model import Rule, Severity
from twilint.sources.js import node_text, unwrap_parens, walk

NAME = "unguarded-service-sid"
KEYS = ("SERVICE_SID", "ENVIRONMENT_SID")
EXITS = {"return_statement", "throw_statement"}


def _mentions(node, key: str, aliases: set[str]) -> bool:
    for n in walk(node):
        if n.type == "member_expression" and static_key(n.child_by_field_name("property")) == key:
            return True
        if n.type == "subscript_expression":
            idx = n.child_by_field_name("index")
            if idx is not None and static_key(idx) == key:
                return True
        if n.type == "identifier" and node_text(n) in aliases:
            return True
    return False


def _exits(stmt) -> bool:
    if stmt is None:
        return False
    if stmt.type in EXITS:
        return True
    if stmt.type == "statement_block":
        return any(c.type in EXITS for c in stmt.named_children)
    if stmt.type == "expression_statement":
        return False
    return False


def _tested(node) -> bool:
    p = node.parent
    while p is not None and p.type == "parenthesized_expression":
        node, p = p, p.parent
    if p is None:
        return False
    if p.type == "binary_expression":
        op = p.child_by_field_name("operator")
        return op is not None and node_text(op) in ("||", "??", "&&", "===", "!==", "==", "!=")
    if p.type == "unary_expression":
        return True
    if p.type == "ternary_expression":
        c = p.child_by_field_name("condition")
        return c is not None and c.id == node.id
    if p.type in ("if_statement", "while_statement"):
        return True
    return False


def guarded(node, fn, key: str, aliases: set[str]) -> bool:
    if _tested(node):
        return True
    child, n = node, node.parent
    while n is not None and n.id != fn.id:
        t = n.type
        if t == "if_statement":
            cond = n.child_by_field_name("condition")
            if cond is not None and cond.id != child.id and _mentions(cond, key, aliases):
                return True
        elif t == "ternary_expression":
            cond = n.child_by_field_name("condition")
            if cond is not None and cond.id != child.id and _mentions(cond, key, aliases):
                return True
        elif t == "binary_expression":
            op = n.child_by_field_name("operator")
            left = n.child_by_field_name("left")
            if op is not None and node_text(op) == "&&" and left is not None and left.id != child.id and _mentions(left, key, aliases):
                return True
        elif t in ("statement_block", "program"):
            for s in n.named_children:
                if s.id == child.id:
                    break
                if s.type == "if_statement":
                    cond = s.child_by_field_name("condition")
                    if cond is not None and _mentions(cond, key, aliases) and _exits(s.child_by_field_name("consequence")):
                        return True
        child, n = n, n.parent
    return False


class UnguardedServiceSid(Rule):
    name = NAME
    severity = Severity.INFO
    summary = "context.SERVICE_SID / ENVIRONMENT_SID used without a check: undefined in local development"
    fixable = None
    file_kinds = frozenset({"js", "ts"})

    def check_file(self, ctx, file):
        from twilint.rules.process_env_in_function import _env_keys

        handlers = twilio_handlers(file)
        if not handlers:
            return ()
        defined = None  # the env files' keys, read at the first candidate (they cost more)
        for h in handlers:
            if not h.params:
                continue
            accs = [a for a in handler_accesses(file, h, {}, {0: "context"})
                    if a.kind == "context" and not a.write and a.key in KEYS]
            if not accs:
                continue
            if defined is None:
                defined = _env_keys(file.project)
            accs = [a for a in accs if a.key not in defined]
            if not accs:
                continue
            aliases: dict[str, set[str]] = {k: set() for k in KEYS}
            for a in accs:
                name = _alias(a)
                if name:
                    aliases[a.key].add(name)
            for a in accs:
                al = aliases[a.key]
                name = _alias(a)
                if name is not None:
                    if _alias_tested(h.function, name):
                        continue
                elif guarded(a.node, h.function, a.key, al):
                    continue
                ctx.report(file, a.key_node.start_byte, a.key_node.end_byte,
                           f"`{a.key}` is undefined in local development (and near the env-size limit): "
                           f"check it before use, e.g. `if (context.{a.key}) {{ ... }}`")
        return ()


def _alias(acc) -> str | None:
    """The local name the value is copied into, if any."""
    if acc.via == "pattern":
        n = acc.node
        if acc.shorthand:
            return node_text(acc.key_node)
        if n.type == "pair_pattern":
            v = n.child_by_field_name("value")
            if v is not None and v.type == "identifier":
                return node_text(v)
        return None
    node = acc.node
    p = node.parent
    while p is not None and p.type == "parenthesized_expression":
        node, p = p, p.parent
    if p is not None and p.type == "variable_declarator":
        v = p.child_by_field_name("value")
        name = p.child_by_field_name("name")
        if v is not None and unwrap_parens(v).id == acc.node.id and name is not None and name.type == "identifier":
            return node_text(name)
    return None


def _alias_tested(fn, name: str) -> bool:
    for n in walk(fn):
        if n.type == "identifier" and node_text(n) == name and _tested(n):
            return True
    return False


RULE = UnguardedServiceSid()
