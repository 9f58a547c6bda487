"""# too-many-dependencies

## What it does

Flags a `package.json` whose `dependencies` list more npm modules than a Service may install
(100). Functions (Classic) allowed 20; that limit is data too (`rules/platform/limits.toml`).

## Why

"Services are limited in the number of npm modules that may be installed" - "Current version: 100
modules." and "Functions (Classic): 20 modules." [002:5648-5650]; "To raise these limits for one
of your Services, please contact Twilio Support." [002:5651]. Front-end packages belong in
`devDependencies` [002:3403].

## Example

```json
{
  "dependencies": {
    "p0": "1.0.0", "p1": "1.0.0", "p2": "1.0.0", "p3": "1.0.0", "p4": "1.0.0", "p5": "1.0.0", "p6": "1.0.0", "p7": "1.0.0", "p8": "1.0.0", "p9": "1.0.0",
    "p10": "1.0.0", "p11": "1.0.0", "p12": "1.0.0", "p13": "1.0.0", "p14": "1.0.0", "p15": "1.0.0", "p16": "1.0.0", "p17": "1.0.0", "p18": "1.0.0", "p19": "1.0.0",
    "p20": "1.0.0", "p21": "1.0.0", "p22": "1.0.0", "p23": "1.0.0", "p24": "1.0.0", "p25": "1.0.0", "p26": "1.0.0", "p27": "1.0.0", "p28": "1.0.0", "p29": "1.0.0",
    "p30": "1.0.0", "p31": "1.0.0", "p32": "1.0.0", "p33": "1.0.0", "p34": "1.0.0", "p35": "1.0.0", "p36": "1.0.0", "p37": "1.0.0", "p38": "1.0.0", "p39": "1.0.0",
    "p40": "1.0.0", "p41": "1.0.0", "p42": "1.0.0", "p43": "1.0.0", "p44": "1.0.0", "p45": "1.0.0", "p46": "1.0.0", "p47": "1.0.0", "p48": "1.0.0", "p49": "1.0.0",
    "p50": "1.0.0", "p51": "1.0.0", "p52": "1.0.0", "p53": "1.0.0", "p54": "1.0.0", "p55": "1.0.0", "p56": "1.0.0", "p57": "1.0.0", "p58": "1.0.0", "p59": "1.0.0",
    "p60": "1.0.0", "p61": "1.0.0", "p62": "1.0.0", "p63": "1.0.0", "p64": "1.0.0", "p65": "1.0.0", "p66": "1.0.0", "p67": "1.0.0", "p68": "1.0.0", "p69": "1.0.0",
    "p70": "1.0.0", "p71": "1.0.0", "p72": "1.0.0", "p73": "1.0.0", "p74": "1.0.0", "p75": "1.0.0", "p76": "1.0.0", "p77": "1.0.0", "p78": "1.0.0", "p79": "1.0.0",
    "p80": "1.0.0", "p81": "1.0.0", "p82": "1.0.0", "p83": "1.0.0", "p84": "1.0.0", "p85": "1.0.0", "p86": "1.0.0", "p87": "1.0.0", "p88": "1.0.0", "p89": "1.0.0",
    "p90": "1.0.0", "p91": "1.0.0", "p92": "1.0.0", "p93": "1.0.0", "p94": "1.0.0", "p95": "1.0.0", "p96": "1.0.0", "p97": "1.0.0", "p98": "1.0.0", "p99": "1.0.0",
    "p100": "1.0.0", "@twilio/runtime-handler": "2.0.1"
  }
}
```

## Use instead

```json
{
  "dependencies": { "@twilio/runtime-handler": "2.0.1", "twilio": "^5.0.3" },
  "devDependencies": { "react": "^18.0.0" }
}
```

## Fix safety

No fix: which modules the Functions do not need is for you to decide.
"""

from __future__ import annotations

from twilint.model import Rule, Severity

NAME = "too-many-dependencies"


class TooManyDependencies(Rule):
    name = NAME
    severity = Severity.ERROR
    summary = "More than 100 npm modules in dependencies: over the Service limit"
    fixable = None
    file_kinds = frozenset({"package.json"})
    example_path = "package.json"

    def check_file(self, ctx, file):
        project = file.project
        if file.role != "project" or file.value is None or file.value.kind != "object" or not project.is_twilio:
            return ()
        deps = file.value.get("dependencies")
        if deps is None or deps.kind != "object":
            return ()
        limit = ctx.facts.limit("npm-modules")
        count = len(set(deps.keys()))
        if count > limit:
            m = file.value.member("dependencies")
            ctx.report(file, m.key_start, m.key_end,
                       f"{count} npm modules in dependencies; a Service may install at most {limit} (contact Twilio "
                       f"Support to raise it, or move front-end and tooling packages to devDependencies)")
        return ()


RULE = TooManyDependencies()
