"""# parse-error

## What it does

Reports a file twilint cannot read or parse: JavaScript or TypeScript with a syntax error,
`package.json` or a lockfile that is not strict JSON, a `.twilioserverlessrc` that is not valid
JSON5/YAML, a `.env` line that is not `KEY=VALUE`, a binary or non-UTF-8 file, and a file that
cannot be read at all (permission denied, a symlink loop). The position is the first problem in
the file. Other rules skip a JavaScript file with a syntax error, and the run goes on with the
other files.

## Why

A function that does not parse fails when the platform loads it, and a `package.json` that is not
strict JSON fails the build's `npm install` (the platform installs the `dependencies` of
`package.json` [002:2000-2004]). The Serverless Toolkit reads `.twilioserverlessrc` as JSON5 and
silently falls back to defaults when it cannot.

## Example

```js
exports.handler = function (context, event, callback) {
  callback(null, 'hi';
};
```

## Use instead

```js
exports.handler = function (context, event, callback) {
  callback(null, 'hi');
};
```

## Fix safety

No fix: twilint never guesses what broken code meant.
"""

from __future__ import annotations

from twilint.model import Rule, Severity

NAME = "parse-error"


class ParseError(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "A file does not parse (syntax error, invalid JSON, unreadable file)"
    fixable = None
    file_kinds = frozenset({"js", "ts", "package.json", "serverless-config", "env", "deployinfo", "legacy-config", "lockfile"})

    def check_file(self, ctx, file):
        # Read errors and decode errors are reported by the engine for every file, whatever
        # rules are selected; this rule reports syntax errors.
        if not file.ok:
            return ()
        if file.kind in ("js", "ts"):
            js = file.js
            if js.problems:
                p = js.problems[0]
                more = f" (and {len(js.problems) - 1} more)" if len(js.problems) > 1 else ""
                ctx.report(file, p.offset, max(p.end, p.offset), p.message + more)
        elif file.kind == "env":
            env = file.env
            for p in env.problems:
                ctx.report(file, p.start, p.start, p.message, severity=Severity.WARNING)
        elif file.kind == "lockfile" and file.path.name == "yarn.lock":
            return ()
        else:
            err = file.value_error
            if err is not None:
                ctx.report(file, err.offset, err.offset, err.message)
            elif file.kind in ("package.json", "serverless-config", "deployinfo") and file.value is not None \
                    and file.value.kind not in ("object", "unknown") \
                    and not (file.kind == "serverless-config" and file.value.kind == "null"):
                v = file.value
                found = {"array": "an array", "string": "a string", "number": "a number", "bool": "a boolean",
                         "null": "null"}.get(v.kind, v.kind)
                ctx.report(file, v.start, v.end, f"{file.path.name} must contain an object, found {found}")
        return ()


RULE = ParseError()
