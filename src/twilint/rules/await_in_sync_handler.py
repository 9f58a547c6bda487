"""# await-in-sync-handler

## What it does

Flags `await` (or `for await`) directly in a handler that is not declared `async`.

## Why

"Note that the function must be `async` to enable the use of the `await` keyword" [002:8227].
Node refuses to load such a file (a SyntaxError), so every request to the Function fails.
tree-sitter and some editors accept the code, which is why it reaches a deploy.

## Example

```js
exports.handler = function (context, event, callback) {
  const call = await context.getTwilioClient().calls(event.CallSid).fetch();
  return callback(null, call.status);
};
```

## Use instead

```js
exports.handler = async function (context, event, callback) {
  const call = await context.getTwilioClient().calls(event.CallSid).fetch();
  return callback(null, call.status);
};
```

## Fix safety

Safe: the fix inserts `async ` before the handler function. The file did not load before, so no
working behaviour can change.
"""

from __future__ import annotations

from twilint.model import SAFE, Severity
from twilint.rules._contract_rule import ContractRule


class AwaitInSyncHandler(ContractRule):
    name = "await-in-sync-handler"
    severity = Severity.ERROR
    summary = "`await` in a handler that is not async: the file does not load"
    fixable = SAFE


RULE = AwaitInSyncHandler()
