"""The data every part of twilint shares: severities, diagnostics, fixes and the rule interface."""

from __future__ import annotations

import enum
import os

from twilint.records import field, record

# (typing is not imported at run time: its 2 ms are a visible share of a warm run; every
# annotation here is a string, under `from __future__ import annotations`)
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path
    from typing import ClassVar, Iterable

    from twilint.project import Project, SourceFile


# Byte pre-filters (``Rule.triggers``, ``JsTree.mentions`` and the analyses' own checks) skip work
# that cannot find anything; TWILINT_NO_TRIGGERS=1 switches them all off, which
# ``tests/test_triggers.py`` uses to prove that they change no result.
PREFILTERS = not os.environ.get("TWILINT_NO_TRIGGERS")


def has_escapes(data: bytes) -> bool:
    """Could ``data`` spell a name with an escape sequence (`\\x41`, `\\u0041`)? A byte
    pre-filter must not skip such a file."""
    return b"\\u" in data or b"\\x" in data


def may_name(data: bytes, needles) -> bool:
    """The shared byte pre-filter: False only when pre-filters are on, none of ``needles``
    occurs in ``data``, and no escape could spell one."""
    return not PREFILTERS or any(n in data for n in needles) or has_escapes(data)


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None

    @property
    def label(self) -> str:
        return self.name.lower()


SAFE = "safe"
UNSAFE = "unsafe"


@record(slots=True, frozen=True)
class Edit:
    """Replace bytes ``[start, end)`` of the file's UTF-8 buffer with ``text``."""

    start: int
    end: int
    text: bytes

    @classmethod
    def replace(cls, start: int, end: int, text: str) -> "Edit":
        return cls(start, end, text.encode("utf-8"))


@record(slots=True, frozen=True)
class NewFile:
    """A file a fix creates (it must not exist yet): its path and its UTF-8 contents."""

    path: "Path"
    text: bytes


@record(slots=True)
class Fix:
    edits: list[Edit]
    description: str
    safety: str = SAFE
    reason: str | None = None  # why a fix is unsafe
    # A fix either edits the diagnostic's file (``edits``) or creates a new file (``create``,
    # with no edits); the runner applies creations after the edits, and only when the file
    # still does not exist.
    create: NewFile | None = None

    @property
    def span(self) -> tuple[int, int]:
        if not self.edits:
            return (0, 0)
        return min(e.start for e in self.edits), max(e.end for e in self.edits)


@record(slots=True)
class Diagnostic:
    rule: str
    message: str
    file: "SourceFile"
    start: int
    end: int
    severity: Severity
    fix: Fix | None = None
    # Filled in by the engine from the file's line index.
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0

    @property
    def path(self):
        return self.file.path

    def sort_key(self):
        return (str(self.file.path), self.line, self.column, self.rule, self.message)


class Rule:
    """Base class of every rule. One rule a module under ``twilint.rules``.

    The module docstring is the rule's documentation (sections: What it does, Why, Example,
    Use instead, Fix safety).
    """

    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str]
    # None, "safe" or "unsafe": the best safety level its fixes can have.
    fixable: ClassVar[str | None] = None
    # The kinds of file the rule reads (see ``SourceFile.kind``): the engine only calls
    # ``check_file`` for these, and the cache keys on them.
    file_kinds: ClassVar[frozenset[str]] = frozenset()
    # A pre-filter, as Semgrep's: byte strings of which at least one must occur in a file for
    # ``check_file`` to be able to report anything there. The engine skips the call when none
    # occurs (and the file has no ``\x``/``\u`` escape that could spell one). None: always run.
    # ``tests/test_triggers.py`` checks every rule's triggers against a run without them.
    triggers: ClassVar[tuple[bytes, ...] | None] = None
    # For the docs test: where the rule's examples go in a minimal project.
    example_path: ClassVar[str] = "functions/example.js"
    docs: ClassVar[str] = ""

    def check_file(self, ctx: "RuleContext", file: "SourceFile") -> Iterable[Diagnostic]:
        return ()

    def check_project(self, ctx: "RuleContext", project: "Project") -> Iterable[Diagnostic]:
        return ()


@record
class RuleContext:
    """What a rule gets besides the file: the rule itself, its effective severity, the facts."""

    rule: Rule
    severity: Severity
    facts: object  # twilint.facts.Facts
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(
        self,
        file: "SourceFile",
        start: int,
        end: int,
        message: str,
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        sev = self.severity if severity is None else min(severity, self.severity)
        d = Diagnostic(self.rule.name, message, file, start, end, sev, fix)
        self.diagnostics.append(d)
        return d
