"""The rule registry: one module a rule, each defining a ``RULE`` instance.

Add a rule by writing ``twilint/rules/<name_with_underscores>.py`` and listing it here.
"""

from __future__ import annotations

import importlib

from twilint.model import Rule

RULE_MODULES = (
    "parse_error",
    "unpinned_runtime_handler",
    "lowercase_header_access",
)

_RULES: dict[str, Rule] | None = None


def all_rules() -> dict[str, Rule]:
    global _RULES
    if _RULES is None:
        rules: dict[str, Rule] = {}
        for mod_name in RULE_MODULES:
            mod = importlib.import_module(f"twilint.rules.{mod_name}")
            rule: Rule = mod.RULE
            if rule.name in rules:
                raise RuntimeError(f"duplicate rule name {rule.name}")
            type(rule).docs = (mod.__doc__ or "").strip()
            rules[rule.name] = rule
        _RULES = rules
    return _RULES


def get_rule(name: str) -> Rule | None:
    return all_rules().get(name)
