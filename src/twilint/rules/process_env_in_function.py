"""# process-env-in-function

## What it does

Flags `process.env.X` (or `process.env['X']`, or `const { X } = process.env`) inside a Twilio
handler when `X` is a variable the Function gets on `context`: one of the project's env files
defines it, or it is a platform default (`ACCOUNT_SID`, `AUTH_TOKEN`, `DOMAIN_NAME`, ...).
Code outside the handler (module scope, helpers without `context`) is not flagged, nor are names
no env file defines (`NODE_ENV`, `TZ`).

## Why

"if you set an Environment Variable named API_KEY, it can be retrieved as context.API_KEY in your
Function's code." [002:5109]; the defaults are `context` properties too [002:5215-5232]. The docs
use `process.env` only in standalone Node scripts ([002:8422] [002:14050]) and never say it is
populated in a deployed Function (seed-facts §11), so `context.X` is the documented way.

## Example

```js
exports.handler = (context, event, callback) => {
  const client = require('twilio')(process.env.ACCOUNT_SID, process.env.AUTH_TOKEN);
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

Unsafe: the fix replaces `process.env` with the handler's context parameter; `process.env` may
hold values that `context` does not (a variable set only in the shell for local runs). No fix when
a nested function's parameter hides the context name.
"""

from __future__ import annotations

from twilint.analysis.handler import twilio_handlers
from twilint.analysis.paths import static_key
from twilint.analysis.responses import FUNCTION_TYPES
from twilint.model import UNSAFE, Edit, Fix, Rule, Severity
from twilint.sources.js import node_text, unwrap_parens

NAME = "process-env-in-function"
DEFAULTS = {"ACCOUNT_SID", "AUTH_TOKEN", "DOMAIN_NAME", "PATH", "SERVICE_SID", "ENVIRONMENT_SID"}


def _env_keys(project) -> set[str]:
    from twilint.serverless import deploy_env_files

    names: set[str] = set()
    for ref in deploy_env_files(project):
        if ref.file is not None and ref.file.env is not None:
            names.update(e.key for e in ref.file.env.entries)
    for extra in (".env.example", ".env.template", ".env.sample"):
        f = project.file(extra)
        if f is not None and f.env is not None:
            names.update(e.key for e in f.env.entries)
    return names


def _is_process_env(node) -> bool:
    node = unwrap_parens(node)
    if node is None or node.type != "member_expression":
        return False
    obj = unwrap_parens(node.child_by_field_name("object"))
    return obj is not None and obj.type == "identifier" and node_text(obj) == "process" and \
        static_key(node.child_by_field_name("property")) == "env"


class ProcessEnvInFunction(Rule):
    name = NAME
    severity = Severity.INFO
    summary = "process.env.X in a handler where the Function's variable is context.X"
    fixable = UNSAFE
    file_kinds = frozenset({"js", "ts"})
    triggers = (b"process",)

    def check_file(self, ctx, file):
        handlers = twilio_handlers(file)
        if not handlers:
            return ()
        known = _env_keys(file.project) | DEFAULTS
        js = file.js
        for h in handlers:
            ctx_name = h.param_name(0)
            for n in js.nodes_of(("member_expression", "parenthesized_expression"), h.function):
                if not _is_process_env(n):
                    continue
                parent = n.parent
                keys: list[tuple[str, object]] = []
                if parent.type == "member_expression" and parent.child_by_field_name("object").id == n.id:
                    up = parent.parent
                    if up is not None and up.type in ("assignment_expression", "augmented_assignment_expression") and \
                            up.child_by_field_name("left").id == parent.id:
                        continue  # a write: process.env.X = ...
                    k = static_key(parent.child_by_field_name("property"))
                    keys.append((k, parent.child_by_field_name("property")))
                elif parent.type == "subscript_expression" and parent.child_by_field_name("object").id == n.id:
                    idx = parent.child_by_field_name("index")
                    if idx is not None and idx.type in ("string", "template_string"):
                        keys.append((static_key(idx), idx))
                elif parent.type == "variable_declarator" and parent.child_by_field_name("name").type == "object_pattern":
                    for c in parent.child_by_field_name("name").named_children:
                        if c.type == "shorthand_property_identifier_pattern":
                            keys.append((node_text(c), c))
                        elif c.type == "pair_pattern":
                            keys.append((static_key(c.child_by_field_name("key")), c.child_by_field_name("key")))
                        elif c.type == "object_assignment_pattern":
                            left = c.child_by_field_name("left")
                            keys.append((node_text(left), left))
                hits = [(k, node) for k, node in keys if k is not None and k in known]
                if not hits:
                    continue
                fix = None
                if ctx_name and not _shadowed(n, h.function, ctx_name):
                    fix = Fix([Edit.replace(n.start_byte, n.end_byte, ctx_name)], f"Read `{ctx_name}`", UNSAFE,
                              "process.env may hold values that context does not (shell variables in local runs)")
                for k, node in hits:
                    shown = ctx_name or "context"
                    ctx.report(file, node.start_byte, node.end_byte,
                               f"`{k}` is a Function variable: read it as `{shown}.{k}`, not from process.env", fix)
                    fix = None  # one fix per process.env expression
        return ()


def _shadowed(node, handler_fn, name: str) -> bool:
    from twilint.analysis.handler import _params
    from twilint.analysis.responses import _pattern_names

    n = node.parent
    while n is not None and n.id != handler_fn.id:
        if n.type in FUNCTION_TYPES:
            names: set[str] = set()
            for p in _params(n):
                _pattern_names(p, names)
            if name in names:
                return True
        n = n.parent
    return False


RULE = ProcessEnvInFunction()
