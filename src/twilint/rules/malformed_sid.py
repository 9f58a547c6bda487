"""# malformed-sid

## What it does

Flags a `serviceSid` in the Serverless Toolkit config (any scope) that is not `ZS` followed by 32
hexadecimal characters (error), and a `projects` key that is not an Account SID (`AC` + 32 hex,
optionally `:region`) (warning: that scope never applies).

## Why

A Service SID is `ZS` and 32 hex digits [004:45]; twilio-run stops with "Invalid Service SID
Format" (platform-notes §1.5). `projects` settings apply "based on the Account SID you deploy to"
[002:2426], keyed like `"AC…:us1"` [002:5437]: any other key never matches.

## Example

```json
{
  "runtime": "node22",
  "serviceSid": "ZS123",
}
```

## Use instead

```json
{
  "runtime": "node22",
  "serviceSid": "ZS0123456789abcdef0123456789abcdef",
}
```

## Fix safety

No fix: the right SID is in your Twilio Console, not in the project.
"""

from __future__ import annotations

import re

from twilint.model import Rule, Severity

NAME = "malformed-sid"
SERVICE_SID = re.compile(r"^ZS[0-9a-fA-F]{32}$")
PROJECT_KEY = re.compile(r"^AC[0-9a-fA-F]{32}(:[a-z]{2}[0-9])?$")


class MalformedSid(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "A serviceSid or projects key in the Toolkit config is not a well-formed SID"
    fixable = None
    file_kinds = frozenset()
    example_path = ".twilioserverlessrc"

    def check_project(self, ctx, project):
        from twilint.serverless import effective_config, scopes

        eff = effective_config(project)
        if eff is None:
            return ()
        file, cfg, label = eff
        for scope, obj in scopes(cfg):
            v = obj.get("serviceSid")
            if v is not None and v.kind == "string" and not SERVICE_SID.match(v.data):
                ctx.report(file, v.start, v.end,
                           f"`serviceSid` ({scope}) is not a Service SID (`ZS` + 32 hex characters): twilio-run stops with \"Invalid Service SID Format\"")
        projects = cfg.get("projects")
        if projects is not None and projects.kind == "object":
            for m in projects.members:
                if not PROJECT_KEY.match(m.key):
                    ctx.report(file, m.key_start, m.key_end,
                               f"`projects` key `{m.key}` is not an Account SID (`AC` + 32 hex, optionally `:region`): these settings never apply",
                               severity=Severity.WARNING)
        return ()


RULE = MalformedSid()
