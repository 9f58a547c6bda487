"""The rule registry: one module a rule under ``twilint.rules``, each defining ``RULE``.

Modules are discovered (no list to edit): add ``twilint/rules/<name_with_underscores>.py`` with a
``RULE`` instance and a docstring, and it is registered. ``ORDER`` puts the foundation rules
first; the rest follow in alphabetical order of their names.
"""

from __future__ import annotations

import importlib
import pkgutil

from twilint.model import Rule

ORDER = ("parse_error",)

_RULES: dict[str, Rule] | None = None


def rule_modules() -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [n for n in ORDER if n in names] + [n for n in names if n not in ORDER]


def all_rules() -> dict[str, Rule]:
    global _RULES
    if _RULES is None:
        rules: dict[str, Rule] = {}
        for mod_name in rule_modules():
            mod = importlib.import_module(f"twilint.rules.{mod_name}")
            rule = getattr(mod, "RULE", None)
            if rule is None:
                continue
            if rule.name in rules:
                raise RuntimeError(f"duplicate rule name {rule.name}")
            if rule.name.replace("-", "_") != mod_name:
                raise RuntimeError(f"rule {rule.name} must live in twilint/rules/{rule.name.replace('-', '_')}.py")
            type(rule).docs = (mod.__doc__ or "").strip()
            rules[rule.name] = rule
        rules = {k: rules[k] for k in sorted(rules, key=lambda n: (n.replace("-", "_") not in ORDER, n))}
        _RULES = rules
    return _RULES


def get_rule(name: str) -> Rule | None:
    return all_rules().get(name)
