"""Reading files as text while remembering exactly how to write them back.

twilint works on a UTF-8 buffer (what tree-sitter parses and what fixes splice). A file's BOM,
encoding and line-ending style are recorded so that a fixed file is written back in the same form.
"""

from __future__ import annotations

import bisect
import codecs

from twilint.records import field, record

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class DecodeError(Exception):
    """The file is not text twilint can read. ``offset`` is a byte offset into the raw file."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.message = message
        self.offset = offset


@record(slots=True)
class TextInfo:
    """How a file was stored: restored on write."""

    encoding: str = "utf-8"
    bom: bytes = b""
    newline: bytes = b"\n"


def decode(raw: bytes) -> tuple[bytes, TextInfo]:
    """Return the UTF-8 buffer for ``raw`` (BOM removed) and how to restore it."""
    info = TextInfo()
    for bom, enc in BOMS:
        if raw.startswith(bom):
            info.bom = bom
            info.encoding = enc
            body = raw[len(bom):]
            if enc == "utf-8":
                data = body
                break
            try:
                data = body.decode(enc).encode("utf-8")
            except UnicodeError as exc:
                raise DecodeError(f"invalid {enc} text", len(bom)) from exc
            break
    else:
        data = raw
    if b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes)", data.index(b"\x00"))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", exc.start) from exc
    info.newline = detect_newline(data)
    return data, info


def detect_newline(data: bytes) -> bytes:
    crlf = data.count(b"\r\n")
    lf = data.count(b"\n") - crlf
    if crlf > lf:
        return b"\r\n"
    if crlf == 0 and lf == 0 and b"\r" in data:
        return b"\r"
    return b"\n"


def encode(data: bytes, info: TextInfo) -> bytes:
    """The inverse of :func:`decode`."""
    if info.encoding == "utf-8":
        return info.bom + data
    return info.bom + data.decode("utf-8").encode(info.encoding)


@record(slots=True)
class LineIndex:
    """Maps UTF-8 byte offsets to 1-based line and 1-based character columns."""

    data: bytes
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.data.find
        i = find(b"\n")
        while i != -1:
            starts.append(i + 1)
            i = find(b"\n", i + 1)
        self.starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.data)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        col = len(self.data[start:offset].decode("utf-8", errors="replace")) + 1
        return line + 1, col

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line`` without its line terminator."""
        if line < 1 or line > len(self.starts):
            return ""
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.data)
        return self.data[start:end].decode("utf-8", errors="replace").rstrip("\r\n")

    def offset(self, line: int, col: int) -> int:
        """Byte offset of 1-based ``line``/character ``col``."""
        line = max(1, min(line, len(self.starts)))
        start = self.starts[line - 1]
        text = self.line_text(line)
        return start + len(text[: max(0, col - 1)].encode("utf-8"))

    @property
    def line_count(self) -> int:
        return len(self.starts)
