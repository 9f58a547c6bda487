"""# missing-catch

## What it does

Flags a rejection path that never reaches `callback`:

- a promise chain in which callback is only called on success:
  `p.then(() => callback(null, x))` with no `.catch` or second `.then` argument that calls
  callback, or a `.catch` that only logs;
- in an `async` handler, `await` outside any try/catch (reported once a handler, on the first such
  `await`; wrapped handlers such as `Validator(async (...) => ...)` are skipped because the wrapper
  may catch);
- `try { return helper(); } catch (e) { callback(e); }` where `helper()` returns a promise without
  `await`: the catch never sees the rejection;
- a `new Promise(...)` whose chain calls `resolve` but never `reject`.

Not flagged: `await x.then(...)` inside try/catch, `.then(ok, err)` whose `err` calls callback,
chains where every path ends in a `.catch` that calls callback, awaits of
`new Promise((resolve) => setTimeout(resolve, ms))`, `Promise.allSettled(...)` and chains ending
in `.catch(...)`.

## Why

"Failure to invoke callback will cause your Function to continue running up to the 10-second
execution time limit" [002:599], and an unreachable callback is "the other, more subtle reason your
Function ended with an application timeout" [002:7420] [000:23]. The FAQ names forgetting to
catch a rejected promise and calling callback there as the common cause. Local runs hide it: the
`@twilio/runtime-handler` 2.x dev server turns the unhandled rejection into a 500 response, while
production waits for the timeout (checked by `tests/test_runtime_behaviour.py`).

## Example

```js
exports.handler = function (context, event, callback) {
  context.getTwilioClient().messages
    .create({ to: event.From, from: event.To, body: 'Hi' })
    .then((message) => callback(null, message.sid));
};
```

## Use instead

```js
exports.handler = function (context, event, callback) {
  context.getTwilioClient().messages
    .create({ to: event.From, from: event.To, body: 'Hi' })
    .then((message) => callback(null, message.sid))
    .catch((err) => callback(err));
};
```

## Fix safety

Unsafe. For a chain with no rejection handler the fix appends `.catch((err) => callback(err))`
(with the callback's own name): the function then ends with the error (a 500) instead of timing
out, which is a behaviour change to review. For `return helper()` inside try in an async handler
the fix adds `await` (unsafe: the catch block starts to run on rejections). Awaits outside
try/catch and catches that only log have no fix: where the try/catch goes is the author's call.
"""

from __future__ import annotations

from twilint.model import UNSAFE, Severity
from twilint.rules._contract_rule import ContractRule


class MissingCatch(ContractRule):
    name = "missing-catch"
    severity = Severity.ERROR
    summary = "A rejection never reaches callback, so the function hangs until the 10 s limit"
    fixable = UNSAFE


RULE = MissingCatch()
