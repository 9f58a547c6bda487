"""Standard library modules the console script loads only when they are used.

Python 3.11's ``pathlib`` imports ``urllib.parse`` for one function, the quoting in
``Path.as_uri()``, and ``urllib.parse`` imports ``ipaddress``: together ~2 ms of every
`twilint` process's start-up (5% of a run served from the cache), for a function a check calls
only to write SARIF. :func:`defer` puts a stand-in for ``urllib.parse`` in ``sys.modules``
first. It holds that one function, which loads the real module when called, and it hands any
other name it is asked for over to the real module, loaded then (after which
``sys.modules["urllib.parse"]`` and ``urllib.parse`` are the real module). So ``import
urllib.parse``, ``from urllib.parse import quote`` and ``from urllib import parse`` all keep
working, and code that kept the stand-in still reaches the real module through it.

Only the console script calls :func:`defer` (``twilint.cli.console``), and only before anything
has imported ``pathlib`` or ``urllib.parse``: importing twilint as a library changes nothing.
``tests/test_perf_startup.py`` checks both what a run loads and every spelling above.
"""

from __future__ import annotations

import sys
import types

_NAME = "urllib.parse"


class _StandIn(types.ModuleType):
    def __getattr__(self, name: str):
        if name == "__path__":
            raise AttributeError(name)  # (the import system asks whether it is a package: no)
        return getattr(_real(), name)


def _real() -> types.ModuleType:
    """The real ``urllib.parse``, imported on first use."""
    mod = sys.modules.get(_NAME)
    if mod is None or mod is _STAND_IN:
        sys.modules.pop(_NAME, None)
        import importlib

        mod = importlib.import_module(_NAME)  # (sets ``urllib.parse`` to it as well)
    return mod


def _quote_from_bytes(*args, **kwargs):
    return _real().quote_from_bytes(*args, **kwargs)


_STAND_IN = _StandIn(_NAME, "urllib.parse, imported on first use (see twilint._deferred)")
_STAND_IN.quote_from_bytes = _quote_from_bytes


def defer() -> bool:
    """Put the stand-in in place, unless ``pathlib`` or ``urllib.parse`` is imported already.
    True when it did."""
    if "pathlib" in sys.modules or _NAME in sys.modules:
        return False
    import urllib  # (the package: an empty __init__)

    sys.modules[_NAME] = _STAND_IN
    urllib.parse = _STAND_IN
    return True
