"""Recognising credentials in literals without ever showing them.

Every helper returns a *description* of what was found ("an auth token (32 characters)"), never
the value: messages must not leak the secret they warn about.
"""

from __future__ import annotations

import re

from twilint.facts import _load

PEM_PRIVATE = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")


def _facts() -> dict:
    return _load("security.toml")


def _re(name: str) -> re.Pattern:
    cache = _re.__dict__.setdefault("cache", {})
    if name not in cache:
        cache[name] = re.compile(_facts()["credentials"][name])
    return cache[name]


def random_looking(v: str, min_distinct: int = 8) -> bool:
    """Not a placeholder: enough distinct characters, no long runs of one character."""
    body = v[2:] if v[:2] in ("AC", "SK") else v
    if len(set(body.lower())) < min_distinct:
        return False
    if re.search(r"(.)\1{5,}", body):
        return False
    return True


def normal_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def is_secret_name(name: str | None) -> bool:
    if not name:
        return False
    n = normal_name(name)
    f = _facts()["secret_names"]
    return n in f["exact"] or any(n.endswith(s) for s in f["suffixes"])


def classify_value(v: str, secret_context) -> tuple[str, str] | None:
    """(severity label, description) for a literal value, or None.

    Account SIDs and PEM private keys are recognised anywhere; 32-character tokens only where the
    code says the value is a secret (``secret_context``: a bool, or a function returning one that
    is called only for a value shaped like a token)."""
    if PEM_PRIVATE.search(v):
        return "error", "a PEM private key"
    s = v.strip()
    if _re("account_sid").match(s) and random_looking(s):
        return "warning", "an Account SID (AC..., 34 characters)"
    if callable(secret_context):
        if not (_re("auth_token").match(s) or _re("api_secret").match(s)):
            return None
        secret_context = secret_context()
    if secret_context:
        if _re("auth_token").match(s) and random_looking(s):
            return "error", "an auth token or API key secret (32 characters)"
        if _re("api_secret").match(s) and random_looking(s, 12) and re.search(r"\d", s) and re.search(r"[A-Za-z]", s):
            return "error", "an API key secret (32 characters)"
    return None
