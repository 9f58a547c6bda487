"""# event-spread-leaks-request

## What it does

Flags a copy of `event` that still holds `event.request` being sent to a Twilio API or HTTP call:
`{ ...event }`, `Object.assign({}, event)`, a rest destructuring `const { a, ...rest } = event`
that does not take `request` out, or `event` itself, used in the call's arguments. A copy whose
`request` is deleted (`delete data.request`) or destructured out
(`const { request, ...rest } = event`) is fine.

## Why

The runtime puts the incoming headers and cookies on `event.request` next to the webhook
parameters: "Runtime injects the request object and spreads in the SendGrid events. Isolate the
original SendGrid event contents using destructuring and the rest operator"
[002:13795-13804]. Sending the whole `event` on leaks headers (including `authorization` and
cookies) into a third-party payload, and broke a real template with Twilio error 60306
(platform-notes §4.3).

## Example

```js
exports.handler = async function (context, event, callback) {
  const client = context.getTwilioClient();
  const { identity, ...details } = event;
  await client.verify.v2.services(context.VERIFY_SID).entities(identity).challenges
    .create({ details: { fields: Object.keys(details).map((k) => ({ label: k, value: details[k] })) } });
  return callback(null, 'ok');
};
```

## Use instead

```js
exports.handler = async function (context, event, callback) {
  const client = context.getTwilioClient();
  const { identity, request, ...details } = event;
  await client.verify.v2.services(context.VERIFY_SID).entities(identity).challenges
    .create({ details: { fields: Object.keys(details).map((k) => ({ label: k, value: details[k] })) } });
  return callback(null, 'ok');
};
```

## Fix safety

No fix: which fields the payload should carry is the author's decision.
"""

from __future__ import annotations

from twilint.model import Severity
from twilint.rules._contract_rule import ContractRule


class EventSpreadLeaksRequest(ContractRule):
    name = "event-spread-leaks-request"
    severity = Severity.WARNING
    summary = "A copy of event (with its request headers and cookies) is sent to an API"
    fixable = None


RULE = EventSpreadLeaksRequest()
