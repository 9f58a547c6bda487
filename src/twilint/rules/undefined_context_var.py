"""# undefined-context-var

## What it does

Flags `context.NAME` (or `const { NAME } = context`) read in a Function when `NAME` is defined in
no env file a deploy uploads (the default `.env`, every `env` the Toolkit config selects, every
`--env` in scripts) and is not one the platform provides (`ACCOUNT_SID`, `AUTH_TOKEN`,
`DOMAIN_NAME`, `PATH`, `SERVICE_SID`, `ENVIRONMENT_SID`, `TWILIO_REGION`, `TWILIO_EDGE`,
`getTwilioClient`). Reads that test the value (`if (context.X)`, `context.X || fallback`,
`context.X ?? fallback`, `typeof context.X`) are not flagged, and nothing is flagged when a
selected env file is missing from the checkout (it may live only where you deploy from).

## Why

"We use .env files for all environment variables" and "We'll use the same file to determine the
values that should be uploaded for deployment." [002:2006]; the platform's own variables are
[002:5215-5232]. A name missing from the uploaded file is `undefined` in production.

## Example

```js
exports.handler = function (context, event, callback) {
  callback(null, context.GREETING_MESSAGE);
};
```

## Use instead

```js
exports.handler = function (context, event, callback) {
  callback(null, context.DOMAIN_NAME);
};
```

## Fix safety

No fix: add the variable to your env file (or `.env.example`) yourself.
"""

from __future__ import annotations

from twilint.model import Rule, Severity

NAME = "undefined-context-var"
_TEST_PARENTS = {"if_statement", "while_statement", "ternary_expression", "unary_expression", "parenthesized_expression"}


def _tested(node) -> bool:
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "binary_expression":
        op = parent.child_by_field_name("operator")
        return op is not None and op.type in ("||", "??", "&&") and parent.child_by_field_name("left").id == node.id
    if parent.type == "unary_expression":
        return True  # typeof / !
    if parent.type == "parenthesized_expression" and parent.parent is not None and parent.parent.type in ("if_statement", "while_statement"):
        return True
    if parent.type == "ternary_expression":
        cond = parent.child_by_field_name("condition")
        return cond is not None and cond.id == node.id
    if parent.type == "optional_chain":
        return True
    return False


def defined_names(project) -> set[str] | None:
    """Keys of every deploy env file; None when one of them is missing."""
    from twilint.serverless import deploy_env_files

    names: set[str] = set()
    refs = deploy_env_files(project)
    for ref in refs:
        if ref.file is None or ref.file.env is None:
            return None
        names.update(e.key for e in ref.file.env.entries)
    example = project.file(".env.example")
    if example is not None and example.env is not None:
        names.update(e.key for e in example.env.entries)
    return names


def undefined_reads(file, candidate):
    """Reads of `context` variables in ``file``'s handlers that ``candidate(access)`` accepts and
    no env file a deploy uploads defines, each key once. The env files are read at the first
    candidate (they cost more than the code); nothing is found when one of them is missing."""
    from twilint.analysis.handler import twilio_handlers
    from twilint.analysis.paths import context_reads

    defined = None
    seen = set()
    for h in twilio_handlers(file):
        for acc in context_reads(file, h):
            if not candidate(acc):
                continue
            if defined is None:
                defined = defined_names(file.project)
                if defined is None:
                    return
            if acc.key in defined:
                continue
            where = (acc.key_node.start_byte, acc.key_node.end_byte)
            if where in seen:
                continue
            seen.add(where)
            yield acc


class UndefinedContextVar(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "context.X read in a Function, but X is in no env file a deploy uploads"
    fixable = None
    file_kinds = frozenset({"js", "ts"})
    example_files = {".env": "DOMAIN_NAME_SUFFIX=.example\n"}  # for the docs test: the uploaded .env

    def check_file(self, ctx, file):
        from twilint.facts import environment_names

        provided = environment_names()["context_defaults"]
        platform = set(provided["keys"]) | set(provided["methods"])

        def candidate(acc) -> bool:
            key = acc.key
            if not key.isupper() and not key.replace("_", "").isupper():
                return False  # only SCREAMING_CASE names are env variables; methods and helpers are not
            return key not in platform and not (acc.via != "pattern" and _tested(acc.node))

        for acc in undefined_reads(file, candidate):
            ctx.report(file, acc.key_node.start_byte, acc.key_node.end_byte,
                       f"`context.{acc.key}` is defined in no env file a deploy uploads: it is undefined when deployed")
        return ()


RULE = UndefinedContextVar()
