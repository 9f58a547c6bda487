"""twilint.records against dataclasses: the same class body, decorated by each, behaves the same."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import subprocess
import sys
from pathlib import Path
from typing import ClassVar  # noqa: F401  (dataclasses resolves "ClassVar" in the module of a class)

import pytest

from twilint import records

OPTIONS = [{}, {"frozen": True}, {"slots": True}, {"slots": True, "frozen": True}, {"unsafe_hash": True},
           {"slots": True, "unsafe_hash": True}]

BODY = '''
class Point:
    """A doc."""
    x: int
    y: "str"
    tags: list = field(default_factory=list)
    z: float = 1.5
    note: object = field(default=None, repr=False, compare=False)
    kind: ClassVar[str] = "pt"

    def total(self):
        return self.x + self.z
'''

POST_INIT = '''
class Lines:
    data: bytes
    starts: list = field(default_factory=list)

    def __post_init__(self):
        self.starts = [i for i, c in enumerate(self.data) if c == 10]
'''

OWN_METHODS = '''
class Own:
    a: int

    def __eq__(self, other):
        return True

    def __repr__(self):
        return "own"
'''


def make(source: str, name: str, impl: str, options: dict):
    """The class ``name`` of ``source`` decorated by dataclasses or records with ``options``."""
    if impl == "dataclasses":
        deco, fld = dataclasses.dataclass, dataclasses.field
    else:
        deco, fld = records.record, records.field
    ns = {"field": fld, "ClassVar": ClassVar, "__name__": __name__}
    exec("from __future__ import annotations\n" + source, ns)
    return deco(**options)(ns[name])


def both(source, name, options):
    return make(source, name, "dataclasses", options), make(source, name, "records", options)


def behaviour(cls, frozen: bool) -> dict:
    out = {}
    sig = inspect.signature(cls.__init__)
    out["params"] = [(p.name, p.kind, p.default is inspect.Parameter.empty) for p in sig.parameters.values()]
    a = cls(1, "a")
    b = cls(1, "a", note="ignored")
    c = cls(2, "a", [1], 2.5)
    out["repr"] = [repr(a), repr(c)]
    out["fields"] = [(a.x, a.y, a.tags, a.z, a.note), (c.x, c.y, c.tags, c.z)]
    out["fresh lists"] = a.tags is not cls(1, "a").tags
    out["eq"] = [a == b, a == c, a != c, a == (1, "a"), a.__eq__(object())]
    nan = cls(1, "a", z=float("nan"))
    out["eq identical nan"] = nan == nan
    try:
        out["hash"] = [hash(a) == hash(b), hash(a)]
    except TypeError as exc:
        out["hash"] = f"TypeError: {exc}"
    out["__hash__ is None"] = cls.__hash__ is None
    try:
        a.x = 5
        out["assign"] = a.x
    except AttributeError as exc:
        out["assign"] = ("AttributeError", str(exc), isinstance(exc, AttributeError))
    try:
        a.other = 5
        out["assign other"] = a.other
    except (AttributeError, TypeError):  # (dataclasses: TypeError with slots and frozen, a CPython bug)
        out["assign other"] = "refused"
    try:
        del a.y
        out["delete"] = "deleted"
    except AttributeError as exc:
        out["delete"] = str(exc)
    out["match_args"] = cls.__match_args__
    out["slots"] = getattr(cls, "__slots__", None)
    out["has __dict__"] = hasattr(cls(1, "a"), "__dict__")
    out["class attrs"] = {n: repr(cls.__dict__.get(n, "-")) for n in ("x", "tags", "z", "note", "kind")}
    out["method"] = cls(1, "a").total()
    out["doc"] = cls.__doc__
    out["copy"] = repr(copy.copy(c)) + repr(copy.deepcopy(c))
    out["qualname"] = (cls.__name__, cls.__qualname__, cls.__init__.__qualname__)
    return out


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "plain")
def test_records_behave_as_dataclasses(options):
    dc, rc = both(BODY, "Point", options)
    frozen = options.get("frozen", False)
    got_dc, got_rc = behaviour(dc, frozen), behaviour(rc, frozen)
    got_dc.pop("params"), got_rc.pop("params")  # compared below, where defaults differ in spelling
    assert got_rc == got_dc
    dp = [(p.name, p.kind, p.default is inspect.Parameter.empty) for p in inspect.signature(dc.__init__).parameters.values()]
    rp = [(p.name, p.kind, p.default is inspect.Parameter.empty) for p in inspect.signature(rc.__init__).parameters.values()]
    assert rp == dp
    assert inspect.signature(rc.__init__).parameters["z"].default == 1.5


def test_frozen_records_raise_attribute_errors_and_pickle():
    dc, rc = both(BODY, "Point", {"slots": True, "frozen": True})
    for cls in (dc, rc):
        p = cls(1, "a", [2])
        with pytest.raises(AttributeError, match="cannot assign to field 'x'"):
            p.x = 2
        globals()["Point"] = cls  # (pickle finds a class by module and name)
        cls.__module__ = __name__
        try:
            assert pickle.loads(pickle.dumps(p)) == p
        finally:
            del globals()["Point"]


def test_post_init_and_own_methods():
    dc, rc = both(POST_INIT, "Lines", {"slots": True})
    assert rc(b"a\nb\n").starts == dc(b"a\nb\n").starts == [1, 3]
    for options in ({}, {"frozen": True}):
        dc, rc = both(OWN_METHODS, "Own", options)
        assert (repr(rc(1)), rc(1) == rc(2)) == (repr(dc(1)), dc(1) == dc(2)) == ("own", True)
        assert (rc.__hash__ is None) == (dc.__hash__ is None)


@pytest.mark.parametrize("source, error", [
    ("class Bad:\n    a: int = 1\n    b: int\n", TypeError),  # a field without a default after one with
    ("class Bad:\n    a: list = []\n", ValueError),  # a mutable default
])
def test_records_refuse_what_dataclasses_refuse(source, error):
    for impl in ("dataclasses", "records"):
        with pytest.raises(error):
            make(source, "Bad", impl, {})
    with pytest.raises(TypeError):
        make("class Bad:\n    a: int\n    __hash__ = lambda self: 1\n", "Bad", "records", {"unsafe_hash": True})
    with pytest.raises(ValueError):
        records.field(default=1, default_factory=list)


def test_twilint_does_not_import_dataclasses():
    """Every module of the package loads without dataclasses; a `twilint check` run of handlers
    and package.json files loads neither dataclasses nor what they and semver would pull in
    (inspect, argparse). (A Python deploy script loads libcst, which uses dataclasses.)"""
    src = Path(__file__).resolve().parents[1] / "src" / "twilint"
    modules = sorted(
        "twilint." + ".".join(p.relative_to(src).with_suffix("").parts).removesuffix(".__init__")
        for p in src.rglob("*.py") if "__pycache__" not in p.parts and p.name != "__main__.py"
    )
    code = ("import importlib, sys\n"
            f"for m in {modules!r}:\n    importlib.import_module(m)\n"
            "print('dataclasses' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    code = ("import sys\nfrom twilint.cli import main\n"
            f"sys.argv = ['twilint', 'check', '--no-cache', '-j1', '--exit-zero', {str(fixtures / 'contract')!r}, "
            f"{str(fixtures / 'headers')!r}, {str(fixtures / 'modules')!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('dataclasses', 'inspect', 'argparse', 'semver') if m in sys.modules), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "error" in out.stdout  # (it checked something)
    assert out.stderr.strip().splitlines()[-1] == "[]"
