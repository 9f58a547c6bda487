"""Suppression comments.

- ``// twilint-disable-next-line NAME[, NAME] [-- reason]``: the next line.
- ``// twilint-disable-line NAME``: the comment's own line.
- ``/* twilint-disable NAME */``: the whole file.
- In ``.env``, YAML and JSON5 config files the same directives work in ``#`` (or ``//``) comments.

With no names, a directive covers every rule. Text after ``--`` is a free-form reason.
"""

from __future__ import annotations

import re

from twilint.records import field, record

_DIRECTIVE = re.compile(r"twilint-disable(-next-line|-line)?(?![\w-])(.*)", re.S)
_LINE_COMMENT = re.compile(rb"(?:^|\s)(?:#|//)\s*(twilint-disable[^\r\n]*)")


@record
class Suppressions:
    whole_file: set[str] = field(default_factory=set)  # "*" for every rule
    by_line: dict[int, set[str]] = field(default_factory=dict)

    def is_suppressed(self, rule: str, line: int) -> bool:
        if "*" in self.whole_file or rule in self.whole_file:
            return True
        names = self.by_line.get(line)
        return bool(names) and ("*" in names or rule in names)

    def _add(self, kind: str | None, names: set[str], line: int, end_line: int) -> None:
        if kind is None:
            self.whole_file |= names
        elif kind == "-line":
            self.by_line.setdefault(line, set()).update(names)
        else:
            self.by_line.setdefault(end_line + 1, set()).update(names)

    @classmethod
    def for_file(cls, file) -> "Suppressions":
        s = cls()
        if not file.ok or b"twilint-disable" not in file.data:
            return s
        if file.kind in ("js", "ts"):
            js = file.js
            for c in js.comments:
                text = c.text.decode("utf-8", errors="replace")
                body = text[2:-2] if text.startswith("/*") else text[2:]
                parsed = _parse(body.strip())
                if parsed is None:
                    continue
                kind, names = parsed
                if kind is None and not text.startswith("/*"):
                    # `// twilint-disable NAME` also disables for the whole file
                    pass
                s._add(kind, names, c.start_point[0] + 1, c.end_point[0] + 1)
            return s
        if file.kind in ("env", "serverless-config", "nvmrc", "legacy-config", "shell", "ci-workflow", "python"):
            for i, line in enumerate(file.data.split(b"\n"), start=1):
                m = _LINE_COMMENT.search(line)
                if not m:
                    continue
                parsed = _parse(m.group(1).decode("utf-8", errors="replace").strip().rstrip("*/").strip())
                if parsed is not None:
                    kind, names = parsed
                    s._add(kind, names, i, i)
        return s


def _parse(body: str) -> tuple[str | None, set[str]] | None:
    m = _DIRECTIVE.match(body)
    if not m:
        return None
    kind = m.group(1)
    rest = m.group(2)
    if rest and not rest[0].isspace():
        return None
    rest = rest.split("--", 1)[0]
    names = {n for n in re.split(r"[\s,]+", rest.strip()) if n}
    return kind, names or {"*"}
