"""A JSON5 parser (https://spec.json5.org) producing :class:`~twilint.sources.values.Value` trees.

The Serverless Toolkit loads ``.twilioserverlessrc`` with the ``json5`` npm package, so this
parser accepts exactly JSON5 (and therefore plain JSON): comments, trailing commas, single-quoted
strings, identifier keys, hexadecimal numbers, ``Infinity``/``NaN``, leading/trailing decimal
points, explicit ``+`` signs and the extra JSON5 whitespace characters.

The parser is hand-written and iterative (an explicit stack instead of recursion), works on the
decoded text and reports UTF-8 *byte* offsets: every ``Value`` span, every member key span and
every :class:`ValueSyntaxError` offset indexes into the ``bytes`` that were passed in.

Spans: a string value (and a quoted key) covers its quotes; an unquoted key covers the
identifier as written (including any ``\\uXXXX`` escapes); a number covers its sign; an object or
array covers its brackets.
"""

from __future__ import annotations

import math
import re
import unicodedata
from itertools import accumulate

from .values import ARRAY, BOOL, NULL, NUMBER, OBJECT, STRING, Member, Value, ValueSyntaxError

__all__ = ["parse_json5", "MAX_DEPTH"]

#: Deepest nesting of objects/arrays accepted; deeper documents are a ValueSyntaxError.
MAX_DEPTH = 500

# WhiteSpace and LineTerminator characters that are always insignificant between tokens.
# Other Unicode "Zs" characters are handled in ``_skip``.
_WS = frozenset("\t\n\x0b\x0c\r \xa0\u2028\u2029\ufeff")
_LINE_TERMINATORS = "\n\r\u2028\u2029"
_COMMENT_LINE_END = re.compile(r"[\n\r\u2028\u2029]")
_HEX = frozenset("0123456789abcdefABCDEF")
_DIGITS = frozenset("0123456789")
_ID_START_CATEGORIES = frozenset(("Lu", "Ll", "Lt", "Lm", "Lo", "Nl"))
_ID_PART_CATEGORIES = _ID_START_CATEGORIES | {"Mn", "Mc", "Nd", "Pc"}
# Runs of string characters that need no special treatment, per quote character.
_STRING_RUN = {
    '"': re.compile(r'[^"\\\n\r]+'),
    "'": re.compile(r"[^'\\\n\r]+"),
}
_SIMPLE_ESCAPES = {
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "'": "'",
    '"': '"',
    "\\": "\\",
}


def parse_json5(data: bytes) -> Value:
    """Parse a JSON5 (or JSON) document; raise :class:`ValueSyntaxError` if it is invalid."""
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueSyntaxError("invalid UTF-8 byte sequence", exc.start) from None
    return _Parser(text).parse()


def _utf8_len(ch: str) -> int:
    o = ord(ch)
    if o < 0x80:
        return 1
    if o < 0x800:
        return 2
    if o < 0x10000:
        return 3
    return 4


def _is_id_start(ch: str) -> bool:
    if ch.isascii():
        return ch.isalpha() or ch == "$" or ch == "_"
    return unicodedata.category(ch) in _ID_START_CATEGORIES


def _is_id_part(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum() or ch == "$" or ch == "_"
    return ch in "\u200c\u200d" or unicodedata.category(ch) in _ID_PART_CATEGORIES


def _describe(ch: str) -> str:
    if ch.isprintable() and not ch.isspace():
        return repr(ch)
    return f"U+{ord(ch):04X}"


class _Parser:
    __slots__ = ("s", "n", "i", "_offsets")

    def __init__(self, text: str):
        self.s = text
        self.n = len(text)
        self.i = 0
        # char index -> byte offset, only needed when the text is not pure ASCII
        self._offsets: list[int] | None = None
        if not text.isascii():
            self._offsets = list(accumulate(map(_utf8_len, text), initial=0))

    # -- helpers -------------------------------------------------------------------------
    def bo(self, i: int) -> int:
        """Byte offset of character index ``i``."""
        offs = self._offsets
        return i if offs is None else offs[i]

    def error(self, message: str, i: int | None = None) -> ValueSyntaxError:
        return ValueSyntaxError(message, self.bo(self.i if i is None else min(i, self.n)))

    def unexpected(self, what: str) -> ValueSyntaxError:
        if self.i >= self.n:
            return self.error(f"unexpected end of input, expected {what}")
        return self.error(f"unexpected character {_describe(self.s[self.i])}, expected {what}")

    def skip(self) -> None:
        """Skip whitespace and comments."""
        s, n, i = self.s, self.n, self.i
        while i < n:
            ch = s[i]
            if ch in _WS:
                i += 1
            elif ch == "/":
                nxt = s[i + 1] if i + 1 < n else ""
                if nxt == "/":
                    m = _COMMENT_LINE_END.search(s, i + 2)
                    i = n if m is None else m.start()
                elif nxt == "*":
                    end = s.find("*/", i + 2)
                    if end < 0:
                        raise self.error("unterminated block comment", i)
                    i = end + 2
                else:
                    break
            elif ch > "\x7f" and unicodedata.category(ch) == "Zs":
                i += 1
            else:
                break
        self.i = i

    # -- document ------------------------------------------------------------------------
    def parse(self) -> Value:
        self.skip()
        if self.i >= self.n:
            raise self.error("empty document: expected a JSON5 value")
        # Each stack entry is an open object or array. For objects, the entry also holds the
        # key of the member whose value is being parsed.
        stack: list[list] = []
        while True:
            # ---- expecting a value --------------------------------------------------------
            self.skip()
            if self.i >= self.n:
                raise self.error("unexpected end of input, expected a value")
            ch = self.s[self.i]
            if ch == "{" or ch == "[":
                if len(stack) >= MAX_DEPTH:
                    raise self.error(f"nesting too deep (more than {MAX_DEPTH} levels)")
                start = self.bo(self.i)
                self.i += 1
                if ch == "{":
                    members: list[Member] = []
                    entry = [Value(OBJECT, start, start, data=members, members=members), None]
                    stack.append(entry)
                    self.skip()
                    if self.i < self.n and self.s[self.i] == "}":
                        value = self.close(stack)
                    else:
                        entry[1] = self.key()
                        continue
                else:
                    stack.append([Value(ARRAY, start, start, data=[]), None])
                    self.skip()
                    if self.i < self.n and self.s[self.i] == "]":
                        value = self.close(stack)
                    else:
                        continue
            else:
                value = self.scalar()

            # ---- a value is complete: attach it and close finished containers -----------
            while True:
                if not stack:
                    self.skip()
                    if self.i < self.n:
                        raise self.error(
                            f"unexpected character {_describe(self.s[self.i])} after the end "
                            "of the document"
                        )
                    return value
                entry = stack[-1]
                container: Value = entry[0]
                self.skip()
                if container.kind == OBJECT:
                    key, kstart, kend = entry[1]
                    container.members.append(Member(key, kstart, kend, value))
                    ch = self.s[self.i] if self.i < self.n else ""
                    if ch == ",":
                        self.i += 1
                        self.skip()
                        if self.i < self.n and self.s[self.i] == "}":
                            value = self.close(stack)
                            continue
                        entry[1] = self.key()
                        break
                    if ch == "}":
                        value = self.close(stack)
                        continue
                    raise self.unexpected("',' or '}' after object member")
                else:
                    container.data.append(value)
                    ch = self.s[self.i] if self.i < self.n else ""
                    if ch == ",":
                        self.i += 1
                        self.skip()
                        if self.i < self.n and self.s[self.i] == "]":
                            value = self.close(stack)
                            continue
                        break
                    if ch == "]":
                        value = self.close(stack)
                        continue
                    raise self.unexpected("',' or ']' after array element")

    def close(self, stack: list[list]) -> Value:
        """Consume the closing bracket at the current position and pop the container."""
        container: Value = stack.pop()[0]
        self.i += 1
        container.end = self.bo(self.i)
        return container

    # -- object keys ---------------------------------------------------------------------
    def key(self) -> tuple[str, int, int]:
        """Parse ``key :`` at the current position (whitespace already skipped)."""
        if self.i >= self.n:
            raise self.error("unexpected end of input, expected an object key")
        ch = self.s[self.i]
        start = self.i
        if ch == '"' or ch == "'":
            key = self.string()
        elif ch == "\\" or _is_id_start(ch):
            key = self.identifier()
        else:
            raise self.unexpected("an object key (a string or an identifier)")
        end = self.i
        self.skip()
        if self.i >= self.n or self.s[self.i] != ":":
            raise self.unexpected("':' after object key")
        self.i += 1
        return key, self.bo(start), self.bo(end)

    def identifier(self) -> str:
        """An ES5 IdentifierName, with ``\\uXXXX`` escapes decoded."""
        s, n = self.s, self.n
        out: list[str] = []
        first = True
        while self.i < n:
            ch = s[self.i]
            if ch == "\\":
                esc_start = self.i
                if self.i + 1 >= n or s[self.i + 1] != "u":
                    raise self.error("invalid escape in identifier, expected '\\u'", esc_start)
                self.i += 2
                ch = chr(self.hex_digits(4))
                ok = _is_id_start(ch) if first else _is_id_part(ch)
                if not ok:
                    raise self.error(
                        f"escaped character {_describe(ch)} is not valid in an identifier",
                        esc_start,
                    )
                out.append(ch)
            elif _is_id_start(ch) or (not first and _is_id_part(ch)):
                out.append(ch)
                self.i += 1
            else:
                break
            first = False
        return "".join(out)

    def hex_digits(self, count: int) -> int:
        s = self.s
        j = self.i + count
        if j > self.n or not all(c in _HEX for c in s[self.i : j]):
            bad = self.i
            while bad < j and bad < self.n and s[bad] in _HEX:
                bad += 1
            raise self.error(f"invalid escape sequence: expected {count} hexadecimal digits", bad)
        value = int(s[self.i : j], 16)
        self.i = j
        return value

    # -- scalars -------------------------------------------------------------------------
    def scalar(self) -> Value:
        s, i = self.s, self.i
        ch = s[i]
        if ch == '"' or ch == "'":
            text = self.string()
            return Value(STRING, self.bo(i), self.bo(self.i), data=text, quote=ch)
        if ch in _DIGITS or ch in "+-." or ch == "I" or ch == "N":
            return self.number()
        if _is_id_start(ch) or ch == "\\":
            word = self.identifier()
            start, end = self.bo(i), self.bo(self.i)
            if word == "true":
                return Value(BOOL, start, end, data=True)
            if word == "false":
                return Value(BOOL, start, end, data=False)
            if word == "null":
                return Value(NULL, start, end, data=None)
            raise self.error(f"unexpected identifier {word!r}, expected a value", i)
        raise self.unexpected("a value")

    def string(self) -> str:
        s, n = self.s, self.n
        quote = s[self.i]
        start = self.i
        self.i += 1
        run = _STRING_RUN[quote]
        out: list[str] = []
        surrogates = False
        while True:
            m = run.match(s, self.i)
            if m is not None:
                out.append(m.group())
                self.i = m.end()
            if self.i >= n:
                raise self.error("unterminated string", start)
            ch = s[self.i]
            if ch == quote:
                self.i += 1
                break
            if ch == "\n" or ch == "\r":
                raise self.error("unterminated string (line break inside a string)", start)
            # ch is a backslash
            esc_start = self.i
            self.i += 1
            if self.i >= n:
                raise self.error("unterminated string", start)
            e = s[self.i]
            simple = _SIMPLE_ESCAPES.get(e)
            if simple is not None:
                out.append(simple)
                self.i += 1
            elif e == "x":
                self.i += 1
                out.append(chr(self.hex_digits(2)))
            elif e == "u":
                self.i += 1
                code = self.hex_digits(4)
                if 0xD800 <= code <= 0xDFFF:
                    surrogates = True
                out.append(chr(code))
            elif e == "0":
                if self.i + 1 < n and s[self.i + 1] in _DIGITS:
                    raise self.error("invalid escape sequence: '\\0' followed by a digit", esc_start)
                out.append("\0")
                self.i += 1
            elif e in _DIGITS:
                raise self.error(f"invalid escape sequence '\\{e}'", esc_start)
            elif e == "\r":
                # line continuation: \ followed by CR, LF, CRLF, LS or PS
                self.i += 2 if s.startswith("\n", self.i + 1) else 1
            elif e in _LINE_TERMINATORS:
                self.i += 1
            else:
                out.append(e)
                self.i += 1
        result = "".join(out)
        if surrogates:
            # Combine UTF-16 surrogate pairs written as two \u escapes; lone ones are kept
            # (like JSON.parse and Python's json module).
            result = result.encode("utf-16-le", "surrogatepass").decode(
                "utf-16-le", "surrogatepass"
            )
        return result

    def number(self) -> Value:
        s, n = self.s, self.n
        start = self.i
        i = start
        negative = False
        if s[i] in "+-":
            negative = s[i] == "-"
            i += 1
        value: int | float
        if s.startswith("Infinity", i):
            i += 8
            value = -math.inf if negative else math.inf
        elif s.startswith("NaN", i):
            i += 3
            value = math.nan
        elif s.startswith(("0x", "0X"), i):
            i += 2
            j = i
            while j < n and s[j] in _HEX:
                j += 1
            if j == i:
                raise self.error("invalid hexadecimal number: expected a hexadecimal digit", j)
            value = int(s[i:j], 16)
            if negative:
                value = -value
            i = j
        else:
            int_digits = 0
            if i < n and s[i] == "0":
                i += 1
                int_digits = 1
                if i < n and s[i] in _DIGITS:
                    raise self.error("invalid number: leading zeros are not allowed", start)
            else:
                while i < n and s[i] in _DIGITS:
                    i += 1
                    int_digits += 1
            is_float = False
            if i < n and s[i] == ".":
                is_float = True
                i += 1
                frac_start = i
                while i < n and s[i] in _DIGITS:
                    i += 1
                if int_digits == 0 and i == frac_start:
                    raise self.error("invalid number: expected a digit", i)
            elif int_digits == 0:
                self.i = i
                if i < n and _is_id_start(s[i]):
                    word = self.identifier()
                    raise self.error(f"unexpected identifier {word!r}, expected a value", start)
                raise self.unexpected("a digit")
            if i < n and s[i] in "eE":
                is_float = True
                i += 1
                if i < n and s[i] in "+-":
                    i += 1
                exp_start = i
                while i < n and s[i] in _DIGITS:
                    i += 1
                if i == exp_start:
                    raise self.error("invalid number: expected a digit in the exponent", i)
            literal = s[start:i]
            if is_float:
                value = float(literal)
            else:
                try:
                    value = int(literal)
                except ValueError:  # more digits than int() accepts; JS would use a double
                    value = float(literal)
        if i < n and (s[i] in _DIGITS or s[i] == "\\" or _is_id_start(s[i])):
            raise self.error(
                f"unexpected character {_describe(s[i])} after number", i
            )
        self.i = i
        return Value(NUMBER, self.bo(start), self.bo(i), data=value)
