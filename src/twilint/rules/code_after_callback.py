"""# code-after-callback

## What it does

Flags a statement that runs after a `callback(...)` call that does not `return`, on the same path:
the next statement in the block, or code after the `if`/`switch` whose branch called the callback.
When that code calls callback again the message says so. `return`, `break`, function declarations
and comments after the call are fine.

## Why

"After executing the callback() method, your Twilio Function execution will be terminated"
[002:214]; asynchronous work started after it is stopped [002:601]. The docs' samples "demonstrate
using the return keyword before calling callback. This is to prevent subsequent code from
unintentionally running before handler is terminated, or from calling callback multiple times"
[002:704].

## Example

```js
exports.handler = function (context, event, callback) {
  if (!event.Body) {
    callback(null, 'empty');
  }
  callback(null, `You said ${event.Body}`);
};
```

## Use instead

```js
exports.handler = function (context, event, callback) {
  if (!event.Body) {
    return callback(null, 'empty');
  }
  return callback(null, `You said ${event.Body}`);
};
```

## Fix safety

The fix puts `return` before the callback call. It is safe when the call is the last statement of
its block (outside loops and switches): the only code it stops is the code after the block that the
rule flagged, which ran after the invocation had ended. Otherwise it is unsafe: statements after
the call in the same block, or the rest of a loop, would no longer run.
"""

from __future__ import annotations

from twilint.model import SAFE, Severity
from twilint.rules._contract_rule import ContractRule


class CodeAfterCallback(ContractRule):
    name = "code-after-callback"
    severity = Severity.WARNING
    summary = "Code runs after a callback() that does not return"
    fixable = SAFE


RULE = CodeAfterCallback()
