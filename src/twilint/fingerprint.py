"""Stable fingerprints of diagnostics, shared by baselines, SARIF and GitLab Code Quality.

A fingerprint identifies a finding across unrelated edits. It hashes:

- the rule name;
- the file's path (POSIX, relative to a base the caller picks: the baseline file's folder for
  baselines, the working folder for SARIF and GitLab reports);
- a normalised *context*: the chain of enclosing named functions (``exports.handler>inner``), or
  the kind of the enclosing top-level statement when the finding is outside any function; the
  key path in JSON/YAML files (``dependencies/@twilio/runtime-handler``); the variable name in
  ``.env`` files;
- the flagged text and the text of its first line, each with runs of whitespace collapsed;
- an occurrence number among findings that agree on all of the above (in file order), so two
  identical findings in one function get two fingerprints.

Line and column numbers are *not* hashed, so a finding that moves (lines inserted above it, the
file re-indented) keeps its fingerprint, while a new finding of the same rule in the same file gets
a new one. ``.env`` values are never hashed (only the variable name), so a fingerprint cannot be
used to guess a secret.
"""

from __future__ import annotations

import hashlib
import re
from typing import Callable, Iterable

from twilint.model import Diagnostic

VERSION = 1
_WS = re.compile(r"\s+")
_MAX_TEXT = 400  # characters of snippet/line kept before hashing (after normalising)

_FUNCTIONS = {
    "function_expression", "function", "arrow_function", "function_declaration",
    "generator_function", "generator_function_declaration", "method_definition",
}
_NAMED = {"function_declaration", "generator_function_declaration", "method_definition",
          "class_declaration", "class", "abstract_class_declaration"}


def normalise(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _short(text: str) -> str:
    text = normalise(text)
    return text if len(text) <= 80 else text[:80] + "..."


def _function_name(node) -> str:
    """A stable name for a function/class node: its own name, or what it is bound to."""
    name = node.child_by_field_name("name")
    if name is not None:
        return name.text.decode("utf-8", "replace")
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is None:
        return "<anonymous>"
    t = parent.type
    if t == "variable_declarator":
        n = parent.child_by_field_name("name")
        return _short(n.text.decode("utf-8", "replace")) if n is not None else "<anonymous>"
    if t in ("assignment_expression", "augmented_assignment_expression"):
        left = parent.child_by_field_name("left")
        return _short(left.text.decode("utf-8", "replace")) if left is not None else "<anonymous>"
    if t in ("pair", "public_field_definition", "field_definition"):
        key = parent.child_by_field_name("key") or parent.child_by_field_name("property")
        return _short(key.text.decode("utf-8", "replace")) if key is not None else "<anonymous>"
    if t == "arguments":
        call = parent.parent
        fn = call.child_by_field_name("function") if call is not None else None
        if fn is not None:
            return _short(fn.text.decode("utf-8", "replace")) + "()"
    if t == "export_statement":
        return "export default"
    return "<anonymous>"


def _js_context(file, start: int, end: int) -> str:
    tree = file.js
    if tree is None:
        return ""
    root = tree.root
    node = root.descendant_for_byte_range(start, max(start, end))
    if node is None:
        return ""
    chain: list[str] = []
    top = None
    cur = node
    while cur is not None and cur != root:
        t = cur.type
        if t in _FUNCTIONS or t in _NAMED:
            chain.append(_function_name(cur))
        if cur.parent is not None and cur.parent == root:
            top = cur
        cur = cur.parent
    if chain:
        return ">".join(reversed(chain))
    return top.type if top is not None else "program"


def _value_context(value, start: int) -> str:
    parts: list[str] = []
    cur = value
    while cur is not None:
        nxt = None
        if cur.kind == "object":
            for m in cur.members:
                if m.key_start <= start < max(m.value.end, m.key_end):
                    parts.append(m.key)
                    nxt = m.value
                    break
        elif cur.kind == "array":
            for item in cur.data or ():
                if item.start <= start < item.end:
                    parts.append("[]")
                    nxt = item
                    break
        cur = nxt
    return "/".join(parts)


def context(d: Diagnostic) -> str:
    """The normalised place a diagnostic sits in (see the module docstring)."""
    f = d.file
    try:
        if not f.ok:
            return ""
        if f.kind in ("js", "ts"):
            return _js_context(f, d.start, d.end)
        if f.kind == "env":
            env = f.env
            for e in env.entries if env is not None else ():
                if e.start <= d.start < max(e.end, e.start + 1):
                    return "env:" + e.key
            return "env"
        v = f.value
        if v is not None:
            return _value_context(v, d.start)
    except Exception:  # a fingerprint must never stop a report
        return ""
    return ""


def _texts(d: Diagnostic) -> tuple[str, str]:
    f = d.file
    if not f.ok:
        return "", ""
    if f.kind == "env":
        return "", ""  # never hash .env values; the context names the variable
    data = f.data
    snippet = normalise(data[d.start:max(d.start, d.end)][: _MAX_TEXT * 4].decode("utf-8", "replace"))[:_MAX_TEXT]
    line = normalise(f.lines.line_text(d.line) if d.line else "")[:_MAX_TEXT]
    return snippet, line


def base_key(d: Diagnostic, path: str) -> str:
    snippet, line = _texts(d)
    return "\x00".join((f"v{VERSION}", d.rule, path, context(d), snippet, line))


def fingerprints(diags: Iterable[Diagnostic], path_of: Callable[[Diagnostic], str]) -> dict[int, str]:
    """Fingerprint each diagnostic; returns ``{id(diagnostic): fingerprint}``.

    ``path_of`` gives the POSIX path to hash for a diagnostic's file. Identical findings are
    numbered in file order so each fingerprint is unique within one run.
    """
    out: dict[int, str] = {}
    seen: dict[str, int] = {}
    for d in sorted(diags, key=lambda d: (str(d.path), d.start, d.end, d.rule, d.message)):
        key = base_key(d, path_of(d))
        n = seen.get(key, 0)
        seen[key] = n + 1
        out[id(d)] = hashlib.sha256(f"{key}\x00{n}".encode("utf-8", "replace")).hexdigest()[:32]
    return out


def posix_relpath(path, base) -> str:
    """``path`` relative to ``base`` with forward slashes (absolute when on another drive)."""
    import os

    try:
        rel = os.path.relpath(path, base)
    except ValueError:
        rel = str(path)
    return rel.replace(os.sep, "/")


def cwd_fingerprints(diags: Iterable[Diagnostic]) -> dict[int, str]:
    """Fingerprints with paths relative to the working folder (SARIF, GitLab, JSON)."""
    import os

    cwd = os.getcwd()
    return fingerprints(diags, lambda d: posix_relpath(d.path, cwd))
