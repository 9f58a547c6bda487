"""`.env` files, read with python-dotenv's parser, keeping byte spans.

Values are secrets: they are kept for size checks, never printed. ``EnvEntry.__repr__`` hides them.
"""

from __future__ import annotations

import io

from twilint.records import field, record


@record(slots=True)
class EnvEntry:
    key: str
    value: str | None  # None for a bare `KEY` line
    line: int
    start: int  # byte offset of the whole line
    end: int
    key_start: int
    key_end: int
    value_start: int  # byte span of the value as written (quotes included)
    value_end: int

    def __repr__(self) -> str:  # never leak values
        return f"EnvEntry(key={self.key!r}, line={self.line}, value=<{len(self.value or '')} chars>)"


@record(slots=True)
class EnvProblem:
    line: int
    start: int
    end: int
    message: str


@record
class EnvFile:
    entries: list[EnvEntry] = field(default_factory=list)
    problems: list[EnvProblem] = field(default_factory=list)

    def get(self, key: str) -> EnvEntry | None:
        found = None
        for e in self.entries:
            if e.key == key:
                found = e
        return found


def unquoted_value(part: str) -> str:
    """What python-dotenv's parser keeps of an unquoted value, ``re.sub(r"\\s+#.*", "",
    part).rstrip()`` (the value less a ``#`` comment after whitespace), in linear time: that
    pattern takes quadratic time on a long run of spaces that no ``#`` follows (200 KB of them
    in a .env line took half a minute). A test holds the two equal."""
    i = part.find("#")
    while i != -1:
        if i > 0 and part[i - 1].isspace():
            return part[:i].rstrip()
        i = part.find("#", i + 1)
    return part.rstrip()


def _linear(parser):
    """python-dotenv's parser module with :func:`unquoted_value` in place of the quadratic
    step (left as it is when its layout is not the one known)."""
    if getattr(parser, "_twilint_linear", False) or not hasattr(parser, "_unquoted_value"):
        return parser
    pattern = parser._unquoted_value

    def parse_unquoted_value(reader) -> str:
        (part,) = reader.read_regex(pattern)
        return unquoted_value(part)

    parser.parse_unquoted_value = parse_unquoted_value
    parser._twilint_linear = True
    return parser


def parse_env(data: bytes) -> EnvFile:
    from twilint.sources.submodules import submodule

    parse_stream = _linear(submodule("dotenv", "parser")).parse_stream

    text = data.decode("utf-8")
    out = EnvFile()
    offset = 0
    for binding in parse_stream(io.StringIO(text)):
        original = binding.original.string
        raw = original.encode("utf-8")
        start, end = offset, offset + len(raw)
        offset = end
        if binding.error:
            out.problems.append(
                EnvProblem(binding.original.line, start, end, "line is not KEY=VALUE and was ignored")
            )
            continue
        if binding.key is None:
            continue
        key_bytes = binding.key.encode("utf-8")
        kpos = raw.find(key_bytes)
        kpos = max(kpos, 0)
        key_start = start + kpos
        key_end = key_start + len(key_bytes)
        eq = raw.find(b"=", kpos + len(key_bytes))
        if eq == -1:
            vstart = vend = key_end
        else:
            vstart = eq + 1
            while vstart < len(raw) and raw[vstart : vstart + 1] in (b" ", b"\t"):
                vstart += 1
            vend = len(raw.rstrip(b"\r\n"))
            # drop a trailing comment on unquoted values, and trailing spaces
            body = raw[vstart:vend]
            if body[:1] not in (b"'", b'"'):
                hash_at = body.find(b" #")
                if hash_at != -1:
                    body = body[:hash_at]
                body = body.rstrip(b" \t")
            else:
                q = body[:1]
                close = body.rfind(q)
                if close > 0:
                    body = body[: close + 1]
            vend = vstart + len(body)
            vstart += start
            vend += start
        out.entries.append(
            EnvEntry(
                binding.key, binding.value, binding.original.line, start, end,
                key_start, key_end, vstart, vend,
            )
        )
    return out
