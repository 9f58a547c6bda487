"""Record classes: what ``@dataclasses.dataclass`` makes of a class, for the options twilint uses,
at a fraction of the start-up cost.

Building a dataclass costs ~0.35 ms (its generated methods are compiled one by one), and
importing ``dataclasses`` pulls in ``inspect`` (5 ms): with ~60 of them, a third of twilint's
start-up. :func:`record` makes the same class: an ``__init__`` taking the fields in order
(compiled), ``__eq__`` over the compared fields and ``__hash__`` as dataclasses sets it (None,
or a hash of the compared fields when frozen or ``unsafe_hash``; both compiled for such a
hashable record, a dict key in hot loops), ``__repr__``, ``__match_args__``, frozen instances,
``__slots__`` and ``__post_init__``.
``tests/test_records.py`` holds it to what ``dataclasses`` does for each of those options.

Fields are the annotations of the class body (not ``ClassVar`` ones), in order; a class
attribute of the same name is the default, or a :func:`field` for a default factory or to leave
a field out of ``repr`` or comparisons. Records do not inherit fields from base classes.
"""

from __future__ import annotations

_MISSING = object()


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record."""


class _Field:
    __slots__ = ("default", "default_factory", "repr", "compare")

    def __init__(self, default, default_factory, repr, compare):
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare


def field(*, default=_MISSING, default_factory=_MISSING, repr: bool = True, compare: bool = True):
    """As ``dataclasses.field`` (these four arguments)."""
    if default is not _MISSING and default_factory is not _MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return _Field(default, default_factory, repr, compare)


def record(cls=None, /, *, frozen: bool = False, slots: bool = False, unsafe_hash: bool = False):
    """As ``@dataclasses.dataclass`` with these options (and eq=True, init=True, repr=True)."""

    def wrap(c):
        return _build(c, frozen, slots, unsafe_hash)

    return wrap if cls is None else wrap(cls)


def _is_classvar(annotation) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__qualname__", "") or repr(annotation)
    return text.replace("typing.", "").startswith("ClassVar")


def _build(cls, frozen: bool, slots: bool, unsafe_hash: bool):
    body = cls.__dict__
    fields = []  # (name, default, factory, in repr, compared)
    for name, annotation in body.get("__annotations__", {}).items():
        if _is_classvar(annotation):
            continue
        value = body.get(name, _MISSING)
        if isinstance(value, _Field):
            fields.append((name, value.default, value.default_factory, value.repr, value.compare))
        else:
            fields.append((name, value, _MISSING, True, True))
    names = tuple(f[0] for f in fields)
    namespace = {"_MISSING": _MISSING, "_set": object.__setattr__}
    params, lines = [], []
    seen_default = False
    for name, default, factory, _, _ in fields:
        if factory is not _MISSING:
            namespace[f"_factory_{name}"] = factory
            params.append(f"{name}=_MISSING")
            value = f"_factory_{name}() if {name} is _MISSING else {name}"
            seen_default = True
        elif default is not _MISSING:
            if default.__class__.__hash__ is None:  # (a list or dict shared by every instance)
                raise ValueError(f"mutable default {type(default)} for field {name} is not allowed: use default_factory")
            namespace[f"_default_{name}"] = default
            params.append(f"{name}=_default_{name}")
            value = name
            seen_default = True
        else:
            if seen_default:
                raise TypeError(f"non-default argument {name!r} follows default argument")
            params.append(name)
            value = name
        lines.append(f"    _set(self, {name!r}, {value})" if frozen else f"    self.{name} = {value}")
    if "__post_init__" in body:
        lines.append("    self.__post_init__()")
    compared = tuple(f[0] for f in fields if f[4])
    source = f"def __init__(self, {', '.join(params)}):\n" + ("\n".join(lines) or "    pass") + "\n"
    hashable = frozen or unsafe_hash
    if hashable:  # (a hashable record is a dict key in hot loops: __eq__ and __hash__ compiled too)
        mine = "".join(f"self.{n}," for n in compared)
        theirs = "".join(f"other.{n}," for n in compared)
        source += (
            "def __eq__(self, other):\n"
            "    if other.__class__ is self.__class__:\n"
            f"        return ({mine}) == ({theirs})\n"
            "    return NotImplemented\n"
            "def __hash__(self):\n"
            f"    return hash(({mine}))\n"
        )
    exec(source, namespace)

    # dataclasses' rule for __hash__ (eq=True): keep one the class defines, else None for a
    # mutable record, a hash of the compared fields for a frozen one or with unsafe_hash
    own_hash = body.get("__hash__", _MISSING)
    explicit_hash = not (own_hash is _MISSING or (own_hash is None and "__eq__" in body))
    if unsafe_hash and explicit_hash:
        raise TypeError(f"cannot overwrite attribute __hash__ in class {cls.__name__}")

    if slots:
        ns = dict(body)
        for name in names:
            ns.pop(name, None)  # (a slot cannot also be a class attribute)
        ns.pop("__dict__", None)
        ns.pop("__weakref__", None)
        ns["__slots__"] = names
        new = type(cls)(cls.__name__, cls.__bases__, ns)
        new.__qualname__ = cls.__qualname__
        cls = new
    else:
        for name, default, factory, _, _ in fields:
            if isinstance(body.get(name), _Field):
                if default is _MISSING:
                    delattr(cls, name)
                else:
                    setattr(cls, name, default)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    if "__repr__" not in body:
        cls.__repr__ = _repr_method(tuple(f[0] for f in fields if f[3]))
    if "__eq__" not in body:
        eq = namespace["__eq__"] if hashable else _eq_method(compared)
        eq.__qualname__ = f"{cls.__qualname__}.__eq__"
        cls.__eq__ = eq
    if unsafe_hash or (frozen and not explicit_hash):
        namespace["__hash__"].__qualname__ = f"{cls.__qualname__}.__hash__"
        cls.__hash__ = namespace["__hash__"]
    elif not frozen and not explicit_hash:
        cls.__hash__ = None
    if frozen:
        cls.__setattr__, cls.__delattr__ = _frozen_methods(cls, names)
        if slots:
            cls.__getstate__, cls.__setstate__ = _state_methods(names)
    cls.__match_args__ = names
    return cls


_RUNNING: set = set()


def _repr_method(shown: tuple[str, ...]):
    def __repr__(self):
        key = id(self)
        if key in _RUNNING:
            return "..."
        _RUNNING.add(key)
        try:
            inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in shown)
        finally:
            _RUNNING.discard(key)
        return f"{self.__class__.__qualname__}({inner})"

    return __repr__


def _eq_method(compared: tuple[str, ...]):
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return tuple(getattr(self, n) for n in compared) == tuple(getattr(other, n) for n in compared)
        return NotImplemented

    return __eq__


def _frozen_methods(cls, names: tuple[str, ...]):
    def __setattr__(self, name, value):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _state_methods(names: tuple[str, ...]):
    def __getstate__(self):
        return [getattr(self, n) for n in names]

    def __setstate__(self, state):
        for n, v in zip(names, state):
            object.__setattr__(self, n, v)

    return __getstate__, __setstate__
