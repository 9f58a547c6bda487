"""# callback-before-await

## What it does

Flags a `callback(...)` call that is reached while a promise created earlier on the same path is
still pending: neither awaited, nor returned, nor used again, nor chained to the callback. It knows
Twilio client calls (`client.messages.create(...)` on `context.getTwilioClient()` or
`require('twilio')(...)`, and `Runtime.getSync()` calls), HTTP requests (`fetch`, `axios`, `got`,
`node-fetch`, ...), `Promise.all(...)` and friends, `new Promise(...)`, calls of `async`
functions of the same file, and `.then()` chains whose result is dropped.

Not flagged: a callback called inside the chain's `.then`/`.catch`/`finally`, awaited work, a
promise assigned to a variable that is used again (awaited, returned, passed to `Promise.all`),
`return promise.then(() => callback(...))`, work on another branch, and node-style calls that take
a function as their last argument (`create(opts, (err, m) => callback(...))`).

## Why

"When your Twilio Function code has completed, your code must call the callback() method ...
After executing the callback() method, your Twilio Function execution will be terminated"
[002:214], and "when the callback function is invoked, it will terminate all execution of your
Function. This includes any asynchronous processes you may have kicked off" [002:601]. A request
that is not awaited "may be deferred, sit idle, and run on a subsequent Function" invocation, or
never [002:7518-7522]. The local dev server behaves the same way: it forks a process per request
and kills it when the callback has been called (checked by `tests/test_runtime_behaviour.py`: work
still pending after the callback never runs).

## Example

```js
exports.handler = function (context, event, callback) {
  const client = context.getTwilioClient();
  client.messages.create({ to: event.From, from: event.To, body: 'Thanks!' });
  callback(null, 'queued');
};
```

## Use instead

```js
exports.handler = async function (context, event, callback) {
  const client = context.getTwilioClient();
  try {
    await client.messages.create({ to: event.From, from: event.To, body: 'Thanks!' });
    return callback(null, 'sent');
  } catch (err) {
    return callback(err);
  }
};
```

## Fix safety

No fix: awaiting needs an `async` handler and error handling that only the author can choose.
"""

from __future__ import annotations

from twilint.model import Severity
from twilint.rules._contract_rule import ContractRule


class CallbackBeforeAwait(ContractRule):
    name = "callback-before-await"
    severity = Severity.ERROR
    summary = "callback() is called while a promise is still pending: the platform stops that work"
    fixable = None


RULE = CallbackBeforeAwait()
