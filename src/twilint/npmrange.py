"""npm-compatible version ranges.

A pure-Python re-implementation of the range semantics of npm's ``semver``
package (7.8.5, the release npm 11 bundles; default options: ``loose: false``,
``includePrerelease: false``), which is what ``npm install`` uses to resolve
``dependencies`` entries.  The
PyPI ``semver`` package cannot evaluate npm ranges, so only its
:class:`semver.Version` value type is used here (as the return type of
:func:`parse_version`); all parsing and ordering follows npm exactly.

Behaviour is checked differentially against the real npm package by
``tests/test_npmrange.py``.  Points worth knowing:

* Range parsing goes through the same stages as npm (hyphen ranges,
  operator/tilde/caret whitespace trimming, caret, tilde, x-range and star
  desugaring, ``>=0.0.0`` elimination) so that odd inputs such as
  ``"1.2.3*"`` (accepted by npm as ``1.2.3``) or ``"==1.2"`` get the same
  answer as npm, not just the documented forms.
* Whitespace means JavaScript whitespace (``\\s`` / ``String#trim``), which
  includes e.g. U+00A0 and U+FEFF; digits are ASCII only.
* The length limits and the "safe" regular-expression bounds of npm are
  reproduced (versions longer than 256 UTF-16 code units are invalid,
  numeric parts above ``Number.MAX_SAFE_INTEGER`` are invalid, and npm's
  double-precision comparison of very large numeric prerelease identifiers
  is mimicked).
* Build metadata is removed from a range before anything else (``x+b`` is
  ``*``), and a wildcard before a number (``x.1``, ``1.x.3``) makes no
  x-range, so such a range is invalid: both as semver 7.8 does.

Where npm throws on an invalid range, :func:`min_version` returns ``None``
and :func:`intersects` returns ``False`` (like :func:`satisfies` and
:func:`max_satisfying`, which already do so in npm).  :class:`Range` raises
:class:`ValueError`.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable

TYPE_CHECKING = False  # (semver is imported at run time only to make a Version: see __getattr__)
if TYPE_CHECKING:  # pragma: no cover
    from semver import Version

__all__ = [
    "Comparator",
    "MAX_LENGTH",
    "MAX_SAFE_INTEGER",
    "Range",
    "SPEC_KINDS",
    "Version",
    "classify_spec",
    "compare",
    "intersects",
    "is_exact_version",
    "max_satisfying",
    "min_satisfying",
    "min_version",
    "parse_version",
    "satisfies",
    "valid",
    "valid_range",
]



def __getattr__(name: str):
    # ``Version`` is semver's, imported on first use: importing semver costs ~8 ms (it loads
    # argparse and inspect), and checking versions and ranges never needs it
    if name == "Version":
        import semver

        return semver.Version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: npm's ``MAX_LENGTH``: longest accepted version string (UTF-16 code units).
MAX_LENGTH = 256
#: JavaScript's ``Number.MAX_SAFE_INTEGER``.
MAX_SAFE_INTEGER = 2**53 - 1
_MAX_SAFE_BUILD_LENGTH = MAX_LENGTH - 6

#: Every value :func:`classify_spec` can return.
SPEC_KINDS = (
    "exact",
    "range",
    "tag",
    "alias",
    "workspace",
    "git",
    "file",
    "url",
    "link",
    "empty",
    "invalid",
)

# ---------------------------------------------------------------------------
# JavaScript whitespace (the ECMAScript WhiteSpace + LineTerminator sets, which
# is what both ``\s`` and ``String.prototype.trim`` use).

_JS_WS_CHARS = (
    "\t\n\x0b\x0c\r \xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_WSB = r"\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_WSB_ASCII = r"\t\n\x0b\x0c\r "  # (its ASCII members: all an ASCII string can match)
_WS = f"[{_WSB}]"
_WS_RUN = re.compile(f"{_WS}+")


def _js_trim(s: str) -> str:
    return s.strip(_JS_WS_CHARS)


def _js_len(s: str) -> int:
    """Length in UTF-16 code units, as JavaScript's ``String#length``."""
    n = len(s)
    if n > MAX_LENGTH or n * 2 <= MAX_LENGTH:
        return n  # exact answer not needed: only compared with MAX_LENGTH
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


# ---------------------------------------------------------------------------
# Grammar.  Written with ASCII character classes; ``_bounded`` then applies the
# same repetition caps npm applies to the expressions it actually uses.

_DIGIT = "[0-9]"
_LDN = "[a-zA-Z0-9-]"  # letter, dash or number

_NUM_ID = f"0|[1-9]{_DIGIT}*"
_NUM_ID_LOOSE = f"{_DIGIT}+"
_NONNUM_ID = f"{_DIGIT}*[a-zA-Z-]{_LDN}*"
_MAIN = rf"({_NUM_ID})\.({_NUM_ID})\.({_NUM_ID})"
_MAIN_LOOSE = rf"({_NUM_ID_LOOSE})\.({_NUM_ID_LOOSE})\.({_NUM_ID_LOOSE})"
_PRE_ID = f"(?:{_NONNUM_ID}|{_NUM_ID})"
_PRE_ID_LOOSE = f"(?:{_NONNUM_ID}|{_NUM_ID_LOOSE})"
_PRE = rf"(?:-({_PRE_ID}(?:\.{_PRE_ID})*))"
_PRE_LOOSE = rf"(?:-?({_PRE_ID_LOOSE}(?:\.{_PRE_ID_LOOSE})*))"
_BUILD_ID = f"{_LDN}+"
_BUILD = rf"(?:\+({_BUILD_ID}(?:\.{_BUILD_ID})*))"
_FULL_PLAIN = f"v?{_MAIN}{_PRE}?{_BUILD}?"
_LOOSE_PLAIN = f"[v={_WSB}]*{_MAIN_LOOSE}{_PRE_LOOSE}?{_BUILD}?"
_GTLT = "((?:<|>)?=?)"
_X_ID = rf"{_NUM_ID}|x|X|\*"
_X_PLAIN = (
    f"[v={_WSB}]*({_X_ID})"
    rf"(?:\.({_X_ID})"
    rf"(?:\.({_X_ID})"
    f"(?:{_PRE})?{_BUILD}?"
    ")?)?"
)
_LONE_TILDE = "(?:~>?)"
_LONE_CARET = r"(?:\^)"


class _LazyPattern:
    """A regular expression compiled on first use: most runs (a pre-commit hook on one file)
    never read a version range, and compiling these costs ~6 ms at import.

    Most of that is the JavaScript whitespace class with its non-ASCII members, repeated in
    every pattern. A string that is all ASCII can only match its ASCII members, so for such a
    string (nearly every version and range) the pattern is compiled without the others, in
    half the time, and matches exactly as the full one would."""

    __slots__ = ("_src", "_re", "_ascii")

    def __init__(self, src: str):
        self._src, self._re, self._ascii = src, None, None

    def _full(self) -> re.Pattern[str]:
        if self._re is None:
            self._re = re.compile(self._src)
        return self._re

    def _for(self, text: str) -> re.Pattern[str]:
        if not text.isascii():
            return self._full()
        if self._ascii is None:
            self._ascii = re.compile(self._src.replace(_WSB, _WSB_ASCII))
        return self._ascii

    def match(self, text: str, *args):
        return self._for(text).match(text, *args)

    def search(self, text: str, *args):
        return self._for(text).search(text, *args)

    def sub(self, repl, text: str, count: int = 0):
        return self._for(text).sub(repl, text, count)

    def __getattr__(self, name: str):
        return getattr(self._full(), name)


def _bounded(src: str) -> re.Pattern[str]:
    for token, cap in ((_WS, 1), (_DIGIT, MAX_LENGTH), (_LDN, _MAX_SAFE_BUILD_LENGTH)):
        src = src.replace(f"{token}*", f"{token}{{0,{cap}}}")
        src = src.replace(f"{token}+", f"{token}{{1,{cap}}}")
    return _LazyPattern(src)  # type: ignore[return-value]


_RE_FULL = _bounded(rf"^{_FULL_PLAIN}\Z")
_RE_XRANGE = _bounded(rf"^{_GTLT}{_WS}*{_X_PLAIN}\Z")
_RE_TILDE_TRIM = _bounded(f"({_WS}*){_LONE_TILDE}{_WS}+")
_RE_TILDE = _bounded(rf"^{_LONE_TILDE}{_X_PLAIN}\Z")
_RE_CARET_TRIM = _bounded(f"({_WS}*){_LONE_CARET}{_WS}+")
_RE_CARET = _bounded(rf"^{_LONE_CARET}{_X_PLAIN}\Z")
_RE_COMPARATOR = _bounded(rf"^{_GTLT}{_WS}*({_FULL_PLAIN})\Z|^\Z")
_RE_COMPARATOR_TRIM = _bounded(f"({_WS}*){_GTLT}{_WS}*({_LOOSE_PLAIN}|{_X_PLAIN})")
_RE_HYPHEN = _bounded(rf"^{_WS}*({_X_PLAIN}){_WS}+-{_WS}+({_X_PLAIN}){_WS}*\Z")
_RE_STAR = _bounded(rf"(<|>)?=?{_WS}*\*")
_BUILD_STRIP = re.compile(_BUILD)  # (unbounded, as npm's: every match goes)
_RE_GTE0 = _bounded(rf"^{_WS}*>={_WS}*0\.0\.0{_WS}*\Z")

# ---------------------------------------------------------------------------
# Versions


class _SV:
    """Internal version value with npm's field types and formatting."""

    __slots__ = ("major", "minor", "patch", "prerelease", "build", "version")

    def __init__(
        self,
        major: int,
        minor: int,
        patch: int,
        prerelease: tuple[int | str, ...] = (),
        build: tuple[str, ...] = (),
    ) -> None:
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
        v = f"{major}.{minor}.{patch}"
        if prerelease:
            v += "-" + ".".join(str(p) for p in prerelease)
        self.version = v

    def to_version(self) -> Version:
        import semver

        pre = ".".join(str(p) for p in self.prerelease) or None
        build = ".".join(self.build) or None
        return semver.Version(self.major, self.minor, self.patch, pre, build)

    def __repr__(self) -> str:
        return f"_SV({self.version!r})"


def _pre_identifier(ident: str) -> int | str:
    # npm keeps numeric identifiers as numbers only below MAX_SAFE_INTEGER.
    if ident.isdigit():
        num = int(ident)
        if num < MAX_SAFE_INTEGER:
            return num
    return ident


@functools.lru_cache(maxsize=8192)
def _parse_sv(text: str) -> _SV | None:
    """npm's ``new SemVer(text)`` (strict), or None where it throws."""
    if _js_len(text) > MAX_LENGTH:
        return None
    m = _RE_FULL.match(_js_trim(text))
    if m is None:
        return None
    major, minor, patch = int(m[1]), int(m[2]), int(m[3])
    if major > MAX_SAFE_INTEGER or minor > MAX_SAFE_INTEGER or patch > MAX_SAFE_INTEGER:
        return None
    pre = tuple(_pre_identifier(i) for i in m[4].split(".")) if m[4] else ()
    build = tuple(m[5].split(".")) if m[5] else ()
    return _SV(major, minor, patch, pre, build)


def _to_sv(version: object) -> _SV | None:
    if isinstance(version, _SV):
        return version
    if isinstance(version, str):
        return _parse_sv(version) if version else None
    semver = sys.modules.get("semver")  # (a semver.Version was made by someone who imported it)
    if semver is not None and isinstance(version, semver.Version):
        return _parse_sv(str(version))
    return None


def _compare_identifiers(a: int | str, b: int | str) -> int:
    a_num = isinstance(a, int) or a.isdigit()
    b_num = isinstance(b, int) or b.isdigit()
    if a_num and b_num:
        # JavaScript compares these as doubles (``+a``), including the
        # precision loss for identifiers beyond 2**53.
        fa, fb = float(a), float(b)
        return 0 if fa == fb else (-1 if fa < fb else 1)
    if a_num:
        return -1
    if b_num:
        return 1
    return 0 if a == b else (-1 if a < b else 1)  # type: ignore[operator]


def _compare(a: _SV, b: _SV) -> int:
    if a.version == b.version:
        return 0
    for x, y in ((a.major, b.major), (a.minor, b.minor), (a.patch, b.patch)):
        if x != y:
            return -1 if x < y else 1
    pa, pb = a.prerelease, b.prerelease
    if pa and not pb:
        return -1
    if pb and not pa:
        return 1
    if not pa and not pb:
        return 0
    i = 0
    while True:
        if i >= len(pa) and i >= len(pb):
            return 0
        if i >= len(pb):
            return 1
        if i >= len(pa):
            return -1
        x, y = pa[i], pb[i]
        if type(x) is type(y) and x == y:
            i += 1
            continue
        # npm returns here even when the identifiers compare equal as doubles.
        return _compare_identifiers(x, y)


def compare(a: str | Version, b: str | Version) -> int:
    """npm's ``semver.compare`` (-1, 0 or 1; build metadata ignored).

    Raises ValueError if either argument is not a valid version.
    """
    sa, sb = _to_sv(a), _to_sv(b)
    if sa is None or sb is None:
        raise ValueError(f"invalid version: {a if sa is None else b!r}")
    return _compare(sa, sb)


def valid(version: str | Version) -> str | None:
    """npm's ``semver.valid``: the normalised version string, or None."""
    sv = _to_sv(version)
    return sv.version if sv is not None else None


def parse_version(s: str) -> Version | None:
    """Parse a strict npm version (``semver.valid`` rules) into a Version.

    A leading ``v`` and surrounding whitespace are accepted (``=`` is not,
    exactly as in npm); returns None for anything ``semver.valid`` rejects.
    """
    if not isinstance(s, str):
        return None
    sv = _parse_sv(s)
    return sv.to_version() if sv is not None else None


def is_exact_version(spec: str) -> bool:
    """True when ``spec`` (trimmed) is one exact version per ``semver.valid``."""
    if not isinstance(spec, str):
        return False
    return _parse_sv(_js_trim(spec)) is not None


# ---------------------------------------------------------------------------
# Comparators and ranges

_OPERATORS = {
    "": lambda c: c == 0,
    ">": lambda c: c > 0,
    ">=": lambda c: c >= 0,
    "<": lambda c: c < 0,
    "<=": lambda c: c <= 0,
}


class Comparator:
    """One npm comparator such as ``>=1.2.3``; ``semver`` is None for "any"."""

    __slots__ = ("operator", "semver", "value")

    def __init__(self, comp: str) -> None:
        comp = " ".join(_WS_RUN.split(_js_trim(comp)))
        m = _RE_COMPARATOR.match(comp)
        if m is None:
            raise ValueError(f"Invalid comparator: {comp}")
        op = m[1] or ""
        if op == "=":
            op = ""
        self.operator: str = op
        if not m[2]:
            self.semver: _SV | None = None
            self.value = ""
        else:
            sv = _parse_sv(m[2])
            if sv is None:
                raise ValueError(f"Invalid comparator: {comp}")
            self.semver = sv
            self.value = op + sv.version

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Comparator({self.value!r})"

    def test(self, version: str | Version) -> bool:
        if self.semver is None:
            return True
        sv = _to_sv(version)
        if sv is None:
            return False
        return _OPERATORS[self.operator](_compare(sv, self.semver))

    def intersects(self, other: Comparator) -> bool:
        if self.operator == "":
            if self.value == "":
                return True
            return Range(other.value).test(self.value)
        if other.operator == "":
            if other.value == "":
                return True
            return Range(self.value).test(other.semver)  # type: ignore[arg-type]
        if self.value.startswith("<0.0.0") or other.value.startswith("<0.0.0"):
            return False
        a, b = self.operator, other.operator
        if a[0] == b[0]:  # both ">"-ish or both "<"-ish
            return True
        assert self.semver is not None and other.semver is not None
        if self.semver.version == other.semver.version and "=" in a and "=" in b:
            return True
        c = _compare(self.semver, other.semver)
        if c < 0 and a[0] == ">" and b[0] == "<":
            return True
        if c > 0 and a[0] == "<" and b[0] == ">":
            return True
        return False


def _is_x(ident: str | None) -> bool:
    return not ident or ident.lower() == "x" or ident == "*"


def _caret(m: re.Match[str]) -> str:
    M, mi, p, pr = m[1], m[2], m[3], m[4]
    if _is_x(M):
        return ""
    if _is_x(mi):
        return f">={M}.0.0 <{int(M) + 1}.0.0-0"
    if _is_x(p):
        if M == "0":
            return f">={M}.{mi}.0 <{M}.{int(mi) + 1}.0-0"
        return f">={M}.{mi}.0 <{int(M) + 1}.0.0-0"
    low = f">={M}.{mi}.{p}-{pr}" if pr else f">={M}.{mi}.{p}"
    if M == "0":
        if mi == "0":
            return f"{low} <{M}.{mi}.{int(p) + 1}-0"
        return f"{low} <{M}.{int(mi) + 1}.0-0"
    return f"{low} <{int(M) + 1}.0.0-0"


def _tilde(m: re.Match[str]) -> str:
    M, mi, p, pr = m[1], m[2], m[3], m[4]
    if _is_x(M):
        return ""
    if _is_x(mi):
        return f">={M}.0.0 <{int(M) + 1}.0.0-0"
    if _is_x(p):
        return f">={M}.{mi}.0 <{M}.{int(mi) + 1}.0-0"
    low = f">={M}.{mi}.{p}-{pr}" if pr else f">={M}.{mi}.{p}"
    return f"{low} <{M}.{int(mi) + 1}.0-0"


def _xrange(m: re.Match[str]) -> str:
    gtlt, M, mi, p = m[1] or "", m[2], m[3], m[4]
    if (_is_x(M) and not _is_x(mi)) or (_is_x(mi) and p and not _is_x(p)):
        return m[0]  # `x.1`, `1.x.2`: a wildcard before a number is no x-range (semver 7.8)
    x_major = _is_x(M)
    x_minor = x_major or _is_x(mi)
    x_patch = x_minor or _is_x(p)
    if gtlt == "=" and x_patch:
        gtlt = ""
    if x_major:
        return "<0.0.0-0" if gtlt in (">", "<") else "*"
    if gtlt and x_patch:
        major: int | str = M
        minor: int | str = 0 if x_minor else mi
        patch = 0
        if gtlt == ">":
            gtlt = ">="
            if x_minor:
                major, minor = int(M) + 1, 0
            else:
                minor = int(mi) + 1
        elif gtlt == "<=":
            gtlt = "<"
            if x_minor:
                major = int(M) + 1
            else:
                minor = int(mi) + 1
        pr = "-0" if gtlt == "<" else ""
        return f"{gtlt}{major}.{minor}.{patch}{pr}"
    if x_minor:
        return f">={M}.0.0 <{int(M) + 1}.0.0-0"
    if x_patch:
        return f">={M}.{mi}.0 <{M}.{int(mi) + 1}.0-0"
    return m[0]


def _hyphen(m: re.Match[str]) -> str:
    frm, fM, fm, fp = m[1], m[2], m[3], m[4]
    to, tM, tm, tp, tpr = m[7], m[8], m[9], m[10], m[11]
    if _is_x(fM):
        low = ""
    elif _is_x(fm):
        low = f">={fM}.0.0"
    elif _is_x(fp):
        low = f">={fM}.{fm}.0"
    else:
        low = f">={frm}"
    if _is_x(tM):
        high = ""
    elif _is_x(tm):
        high = f"<{int(tM) + 1}.0.0-0"
    elif _is_x(tp):
        high = f"<{tM}.{int(tm) + 1}.0-0"
    elif tpr:
        high = f"<={tM}.{tm}.{tp}-{tpr}"
    else:
        high = f"<={to}"
    return _js_trim(f"{low} {high}")


def _replace_each(text: str, pattern: re.Pattern[str], repl, trim: bool = True) -> str:
    if trim:
        text = _js_trim(text)
    out = []
    for piece in _WS_RUN.split(text):
        if trim is False:
            piece = _js_trim(piece)
        m = pattern.match(piece)
        out.append(repl(m) if m is not None else piece)
    return " ".join(out)


def _desugar(comp: str) -> str:
    comp = _replace_each(comp, _RE_CARET, _caret)
    comp = _replace_each(comp, _RE_TILDE, _tilde)
    comp = _replace_each(comp, _RE_XRANGE, _xrange, trim=False)
    return _RE_STAR.sub("", _js_trim(comp), count=1)


def _join_groups(*groups: str | None) -> str:
    return "".join(g or "" for g in groups)


@functools.lru_cache(maxsize=4096)
def _parse_part(part: str) -> tuple[Comparator, ...]:
    # build metadata is dropped first, wherever it is (semver 7.8: `x+b` is `*`)
    part = _BUILD_STRIP.sub("", part)
    part = _RE_HYPHEN.sub(_hyphen, part, count=1)
    part = _RE_COMPARATOR_TRIM.sub(lambda m: _join_groups(m[1], m[2], m[3]), part)
    part = _RE_TILDE_TRIM.sub(lambda m: _join_groups(m[1]) + "~", part)
    part = _RE_CARET_TRIM.sub(lambda m: _join_groups(m[1]) + "^", part)
    expanded = " ".join(_desugar(c) for c in part.split(" "))
    words = [_RE_GTE0.sub("", _js_trim(w), count=1) for w in _WS_RUN.split(expanded)]
    comparators = [Comparator(w) for w in words]  # raises ValueError
    by_value: dict[str, Comparator] = {}
    for c in comparators:
        if c.value == "<0.0.0-0":
            return (c,)
        by_value[c.value] = c
    if len(by_value) > 1:
        by_value.pop("", None)
    return tuple(by_value.values())


@functools.lru_cache(maxsize=4096)
def _parse_range(spec: str) -> tuple[str, tuple[tuple[Comparator, ...], ...]]:
    raw = _WS_RUN.sub(" ", _js_trim(spec))
    sets = [s for s in (_parse_part(_js_trim(p)) for p in raw.split("||")) if s]
    if not sets:  # pragma: no cover - a part always yields a comparator
        raise ValueError(f"Invalid SemVer Range: {raw}")
    if len(sets) > 1:
        first = sets[0]
        sets = [s for s in sets if s[0].value != "<0.0.0-0"]
        if not sets:
            sets = [first]
        elif len(sets) > 1:
            for s in sets:
                if len(s) == 1 and s[0].value == "":
                    sets = [s]
                    break
    return raw, tuple(sets)


def _test_set(comparators: tuple[Comparator, ...], sv: _SV) -> bool:
    for c in comparators:
        if c.semver is not None and not _OPERATORS[c.operator](_compare(sv, c.semver)):
            return False
    if sv.prerelease:
        # A prerelease only matches when some comparator of the set carries a
        # prerelease on the very same major.minor.patch.
        for c in comparators:
            allowed = c.semver
            if allowed is not None and allowed.prerelease:
                if (allowed.major, allowed.minor, allowed.patch) == (
                    sv.major,
                    sv.minor,
                    sv.patch,
                ):
                    return True
        return False
    return True


def _is_satisfiable(comparators: tuple[Comparator, ...]) -> bool:
    remaining = list(comparators)
    current = remaining.pop()
    result = True
    while result and remaining:
        result = all(current.intersects(other) for other in remaining)
        current = remaining.pop()
    return result


class Range:
    """An npm version range (``new Range(spec)`` of npm's semver)."""

    __slots__ = ("raw", "set", "_formatted")

    def __init__(self, spec: str | Range) -> None:
        if isinstance(spec, Range):
            self.raw, self.set, self._formatted = spec.raw, spec.set, spec._formatted
            return
        if not isinstance(spec, str):
            raise TypeError(f"range must be a string, not {type(spec).__name__}")
        self.raw, self.set = _parse_range(spec)
        self._formatted: str | None = None

    @property
    def range(self) -> str:
        """Normalised form, exactly npm's ``new Range(spec).range``."""
        if self._formatted is None:
            self._formatted = "||".join(
                " ".join(c.value for c in comps) for comps in self.set
            )
        return self._formatted

    def __str__(self) -> str:
        return self.range

    def __repr__(self) -> str:
        return f"Range({self.range!r})"

    def test(self, version: str | Version) -> bool:
        sv = _to_sv(version)
        if sv is None:
            return False
        return any(_test_set(s, sv) for s in self.set)

    def intersects(self, other: Range) -> bool:
        return any(
            _is_satisfiable(mine)
            and any(
                _is_satisfiable(theirs)
                and all(a.intersects(b) for a in mine for b in theirs)
                for theirs in other.set
            )
            for mine in self.set
        )


def _range_or_none(spec: object) -> Range | None:
    if isinstance(spec, Range):
        return spec
    if not isinstance(spec, str):
        return None
    try:
        return Range(spec)
    except ValueError:
        return None


def valid_range(spec: str) -> str | None:
    """npm's ``semver.validRange``: normalised range, ``"*"`` for any, or None."""
    r = _range_or_none(spec)
    if r is None:
        return None
    return r.range or "*"


def satisfies(version: str | Version, range_spec: str | Range) -> bool:
    """npm's ``semver.satisfies``; False for an invalid version or range."""
    r = _range_or_none(range_spec)
    return r is not None and r.test(version)


VersionLike = "str | Version"  # (for annotations, which are not evaluated)


def max_satisfying(versions: Iterable[VersionLike], range_spec: str | Range) -> VersionLike | None:
    """npm's ``semver.maxSatisfying``: the highest matching element, as given."""
    return _extreme_satisfying(versions, range_spec, 1)


def min_satisfying(versions: Iterable[VersionLike], range_spec: str | Range) -> VersionLike | None:
    """npm's ``semver.minSatisfying``: the lowest matching element, as given."""
    return _extreme_satisfying(versions, range_spec, -1)


def _extreme_satisfying(versions, range_spec, direction: int):
    r = _range_or_none(range_spec)
    if r is None:
        return None
    best = None
    best_sv: _SV | None = None
    for v in versions:
        sv = _to_sv(v)
        if sv is None or not any(_test_set(s, sv) for s in r.set):
            continue
        if best_sv is None or _compare(best_sv, sv) == -direction:
            best, best_sv = v, sv
    return best


def min_version(range_spec: str | Range) -> str | None:
    """npm's ``semver.minVersion`` as a version string.

    None when no version satisfies the range, and (where npm throws) for an
    invalid range.
    """
    r = _range_or_none(range_spec)
    if r is None:
        return None
    for candidate in (_SV(0, 0, 0), _SV(0, 0, 0, (0,))):
        if r.test(candidate):
            return candidate.version
    best: _SV | None = None
    for comparators in r.set:
        set_min: _SV | None = None
        for c in comparators:
            sv = c.semver
            if sv is None or c.operator in ("<", "<="):
                continue
            if c.operator == ">":
                if sv.prerelease:
                    sv = _SV(sv.major, sv.minor, sv.patch, sv.prerelease + (0,))
                else:
                    sv = _SV(sv.major, sv.minor, sv.patch + 1)
            if set_min is None or _compare(sv, set_min) > 0:
                set_min = sv
        if set_min is not None and (best is None or _compare(best, set_min) > 0):
            best = set_min
    if best is not None and r.test(best):
        return best.version
    return None


def intersects(r1: str | Range, r2: str | Range) -> bool:
    """npm's ``semver.intersects``; False (where npm throws) if either is invalid."""
    a, b = _range_or_none(r1), _range_or_none(r2)
    if a is None or b is None:
        return False
    return a.intersects(b)


# ---------------------------------------------------------------------------
# Dependency spec classification (the shapes npm-package-arg distinguishes)

_GIT_PREFIXES = ("git+", "git://", "git@", "github:", "gitlab:", "bitbucket:", "gist:")
_FILE_START = re.compile(r"^(?:\.|~[/\\]|[/\\]|[a-zA-Z]:[/\\])")
_HOSTED_SHORTCUT = re.compile(r"^[^:@%/\s.-][^:@%/\s]*/[^:@\s/%]+(?:#.*)?\Z", re.S)
_HOSTED_HTTP = re.compile(
    r"^https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)"
    r"/[^/#?]+/[^/#?]+?/?(?:#.*)?\Z",
    re.I | re.S,
)
_GIT_HTTP = re.compile(r"^https?://[^#]*\.git/?(?:#.*)?\Z", re.I | re.S)
_URL_SCHEME = re.compile(r"^(?:git\+)?[a-z]+:", re.I)
_TARBALL_NAME = re.compile(r"\.(?:tgz|tar\.gz|tar)\Z", re.I)
# encodeURIComponent leaves exactly these characters alone; npm requires a
# dist-tag to survive it unchanged.
_TAG = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+\Z")


def classify_spec(spec: str) -> str:
    """Classify a ``package.json`` dependency value.

    Returns one of :data:`SPEC_KINDS`: ``"exact"`` (a version per
    ``semver.valid``), ``"range"`` (any other valid range, e.g. ``^1.2.3``,
    ``*``, ``1.x``), ``"tag"`` (not a valid range but a valid dist-tag name,
    e.g. ``latest``), ``"alias"`` (``npm:pkg@range``), ``"workspace"``,
    ``"git"``, ``"file"``, ``"url"``, ``"link"``, ``"empty"`` (blank; npm
    treats it as ``*``), or ``"invalid"`` for anything npm would reject
    (e.g. ``>=>1``, ``^1.2.3foo``, unsupported ``scheme:`` URLs).
    """
    if not isinstance(spec, str):
        return "invalid"
    s = _js_trim(spec)
    if not s:
        return "empty"
    lower = s.lower()
    if lower.startswith("npm:"):
        return "alias"
    if lower.startswith("workspace:"):
        return "workspace"
    if lower.startswith("link:"):
        return "link"
    if lower.startswith("file:") or _FILE_START.match(s):
        return "file"
    if lower.startswith(_GIT_PREFIXES):
        return "git"
    if lower.startswith(("http://", "https://")):
        if _HOSTED_HTTP.match(s) or _GIT_HTTP.match(s):
            return "git"
        return "url"
    if _HOSTED_SHORTCUT.match(s):
        return "git"
    if _URL_SCHEME.match(s):
        return "invalid"  # npm: "Unsupported URL Type"
    if is_exact_version(s):
        return "exact"
    if valid_range(s) is not None:
        return "range"
    if "/" in s or "\\" in s or _TARBALL_NAME.search(s):
        return "file"
    if _TAG.match(s):
        return "tag"
    return "invalid"
