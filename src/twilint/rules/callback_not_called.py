"""# callback-not-called

## What it does

Flags a path through a handler that ends (falls off the end, or a `return` whose value does not
involve callback) without calling `callback` or handing it to something that will (a promise
chain, a helper function, a class, a timer). Also flags a handler that never references the
callback at all, including one that does not declare it as its third parameter. A `throw` is not
flagged (the platform turns it into an error response).

Conservative: any mention of the callback on a path counts as calling it (for example passing it to
`helper(context, event, callback)`), so it only reports paths that clearly forget it, such as an
early `return;` in a guard clause.

## Why

"You must invoke the callback method when your Function is done processing. Failure to invoke
callback will cause your Function to continue running up to the 10-second execution time limit"
[002:599] [002:7420]. Returning a value from an `async` handler does not end the invocation either:
the local dev server never answers it (checked by `tests/test_runtime_behaviour.py`).

## Example

```js
exports.handler = function (context, event, callback) {
  if (!event.From) {
    return;
  }
  const twiml = new Twilio.twiml.MessagingResponse();
  twiml.message('Hello');
  callback(null, twiml);
};
```

## Use instead

```js
exports.handler = function (context, event, callback) {
  if (!event.From) {
    return callback(null, 'missing From');
  }
  const twiml = new Twilio.twiml.MessagingResponse();
  twiml.message('Hello');
  return callback(null, twiml);
};
```

## Fix safety

No fix: what the response should be on that path is the author's decision.
"""

from __future__ import annotations

from twilint.model import Severity
from twilint.rules._contract_rule import ContractRule


class CallbackNotCalled(ContractRule):
    name = "callback-not-called"
    severity = Severity.ERROR
    summary = "A path through the handler ends without calling callback: the function hangs until the 10 s limit"
    fixable = None


RULE = CallbackNotCalled()
