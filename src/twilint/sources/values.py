"""A small, format-independent model of parsed data values with byte spans.

Every data format twilint reads (JSON via tree-sitter-json, JSON5, YAML, static JS object
literals, dotenv) is turned into :class:`Value` trees. Offsets are UTF-8 byte offsets into the
buffer the file was parsed from, so a diagnostic can point at the exact place and a fix can
splice the original bytes.
"""

from __future__ import annotations

from twilint.records import field, record


TYPE_CHECKING = False  # (typing is not imported at run time; see twilint.model)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Iterator

OBJECT = "object"
ARRAY = "array"
STRING = "string"
NUMBER = "number"
BOOL = "bool"
NULL = "null"
# A value twilint cannot know statically (a JS expression, a YAML alias it did not follow...).
UNKNOWN = "unknown"


@record(slots=True)
class Member:
    """One ``key: value`` pair of an object."""

    key: str
    key_start: int
    key_end: int
    value: "Value"


@record(slots=True)
class Value:
    kind: str
    start: int
    end: int
    # str / int / float / bool / None for scalars; list[Value] for arrays; list[Member] for objects
    data: Any = None
    # For string literals: the quote character used in the source ('"', "'", '`'), or "" for an
    # unquoted scalar (YAML plain scalars, dotenv values).
    quote: str | None = None
    members: list[Member] = field(default_factory=list)
    # key -> the last member with that key, built on the first lookup (and rebuilt when members
    # were added since): lookups must not be linear, a package.json can have 60,000 keys.
    _index: "tuple[int, dict[str, Member]] | None" = field(default=None, repr=False, compare=False)

    # -- objects -----------------------------------------------------------------------------
    def get(self, key: str) -> "Value | None":
        """The value of ``key`` in an object (the last one wins, as in JSON.parse)."""
        m = self.member(key)
        return m.value if m is not None else None

    def member(self, key: str) -> Member | None:
        if self.kind != OBJECT:
            return None
        members = self.members
        if len(members) < 8:
            found = None
            for m in members:
                if m.key == key:
                    found = m
            return found
        index = self._index
        if index is None or index[0] != len(members):
            index = (len(members), {m.key: m for m in members})  # (later members win)
            self._index = index
        return index[1].get(key)

    def keys(self) -> list[str]:
        return [m.key for m in self.members] if self.kind == OBJECT else []

    def items(self) -> Iterator[tuple[str, "Value"]]:
        if self.kind == OBJECT:
            for m in self.members:
                yield m.key, m.value

    def path(self, *keys: str) -> "Value | None":
        cur: Value | None = self
        for k in keys:
            if cur is None:
                return None
            cur = cur.get(k)
        return cur

    # -- arrays ------------------------------------------------------------------------------
    @property
    def elements(self) -> list["Value"]:
        return self.data if self.kind == ARRAY else []

    # -- scalars -----------------------------------------------------------------------------
    @property
    def is_string(self) -> bool:
        return self.kind == STRING

    def as_str(self) -> str | None:
        return self.data if self.kind == STRING else None

    def to_python(self) -> Any:
        """Plain Python data (dicts, lists, scalars); unknown values become ``None``."""
        if self.kind == OBJECT:
            return {m.key: m.value.to_python() for m in self.members}
        if self.kind == ARRAY:
            return [v.to_python() for v in self.data]
        if self.kind == UNKNOWN:
            return None
        return self.data


class ValueSyntaxError(Exception):
    """A data file does not parse. ``offset`` is a byte offset into the parsed buffer."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset
