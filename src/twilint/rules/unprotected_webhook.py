"""# unprotected-webhook

## What it does

Flags a public Function (no `.protected.` in its name) whose handler reads the parameters Twilio
sends to a Voice or Messaging webhook (`event.From` together with `event.Body`, `event.CallSid`,
`event.MessageSid`, `event.Digits`, ...) and shows no sign of checking who is calling: no
`X-Twilio-Signature` check (`twilio.validateRequest`, `validateExpressRequest`,
`getExpectedTwilioSignature`, the `x-twilio-signature` header), no `authorization` header read, no
wrapper around the handler (`exports.handler = TokenValidator(async ...)`), and no function or
module named like `validate`/`verify`/`auth`. Anyone who finds its URL can call it with made-up
parameters.

## Why

Public Functions are "publicly accessible on the internet at a specific URL once deployed"
[002:1146]; a protected one "requires a valid Twilio X-Twilio-Signature header in the request in
order to be accessed", which Twilio webhooks send [002:1150]. The Serverless Toolkit makes a
Function public unless it is named `.protected.js` [002:2060], and the docs "highly recommend you
to set Functions deployed via the Serverless Toolkit to protected" [002:8401]. Renaming does not
change its path [002:2061].

## Example

```js
exports.handler = (context, event, callback) => {
  const twiml = new Twilio.twiml.MessagingResponse();
  twiml.message(`Thanks ${event.From}, we got: ${event.Body}`);
  return callback(null, twiml);
};
```

## Use instead

```js
exports.handler = (context, event, callback) => {
  const twiml = new Twilio.twiml.MessagingResponse();
  twiml.message('Thanks, we got your message');
  return callback(null, twiml);
};
```

(or keep the code and rename the file to `reply.protected.js`)

## Fix safety

No fix: rename the file to `<name>.protected.js` (its URL stays the same) if only Twilio calls
it, or add your own authentication if browsers call it too.
"""

from __future__ import annotations

import re

from twilint.analysis.handler import twilio_handlers
from twilint.analysis.paths import HEADER_STEPS, handler_accesses
from twilint.facts import _load
from twilint.model import Rule, Severity
from twilint.sources.js import node_text, string_value, tree_of, walk

NAME = "unprotected-webhook"
AUTH_WORDS = re.compile(r"valid|verif|auth|signature|jwt|bearer|password|secret|token", re.I)
AUTH_WORDS_BYTES = re.compile(AUTH_WORDS.pattern.encode(), re.I)


def _auth_signs(root) -> bool:
    js = tree_of(root)
    if js is not None and js.data.isascii() and not js.mentions_pattern(AUTH_WORDS_BYTES):
        # no word of AUTH_WORDS anywhere in the file, which has no escapes, and no non-ASCII
        # letters that Unicode case folding could match (the long s matches `s`)
        return False
    for n in walk(root):
        t = n.type
        if t in ("identifier", "property_identifier", "shorthand_property_identifier",
                 "shorthand_property_identifier_pattern"):
            if AUTH_WORDS.search(node_text(n)):
                return True
        elif t == "string":
            v = string_value(n)
            if v and (AUTH_WORDS.search(v) or "x-twilio-signature" in v.lower()):
                return True
    return False


class UnprotectedWebhook(Rule):
    name = NAME
    severity = Severity.WARNING
    summary = "A public Function handles Twilio webhook parameters with no signature check: use .protected.js"
    fixable = None
    file_kinds = frozenset({"js", "ts"})

    def check_file(self, ctx, file):
        if file.visibility != "public":
            return ()
        handlers = twilio_handlers(file)
        if not handlers:
            return ()
        facts = _load("security.toml")["webhook_params"]
        anchors, others = set(facts["anchor"]), set(facts["others"])
        for h in handlers:
            if len(h.params) < 2 or h.wrapped:
                continue
            read: dict[str, object] = {}
            headers = False
            for acc in handler_accesses(file, h, HEADER_STEPS, {1: "event"}):
                if acc.write or acc.key is None:
                    continue
                if acc.kind == "event" and (acc.key in anchors or acc.key in others):
                    read.setdefault(acc.key, acc.key_node)
                elif acc.kind in ("request", "headers"):
                    headers = True
            if not (anchors & read.keys()) or not (others & read.keys()):
                continue
            if headers or _auth_signs(file.js.root):
                continue
            first = min(read.values(), key=lambda n: n.start_byte)
            params = ", ".join(sorted(read))
            name = file.path.name
            stem = name.rsplit(".", 1)[0]
            ext = name.rsplit(".", 1)[-1]
            ctx.report(file, first.start_byte, first.end_byte,
                       f"this public Function reads Twilio webhook parameters ({params}) but never checks the "
                       f"X-Twilio-Signature: anyone with the URL can call it; rename it to `{stem}.protected.{ext}`")
        return ()


RULE = UnprotectedWebhook()
