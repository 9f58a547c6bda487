"""Load one module of an installed package without running the package's ``__init__``.

twilint needs ``language()`` from a tree-sitter grammar (its ``_binding`` extension) and
python-dotenv's parser. Their packages' ``__init__`` modules import what twilint never uses:
``importlib.resources`` for query files (3 ms), and python-dotenv's ``main`` with logging,
tempfile and shutil (5 ms), once in every process of every run. :func:`submodule` loads just the
module, kept here rather than in ``sys.modules`` (so that a later ``import`` of the package
runs as usual, making its own copy), and falls back to a plain import whenever the layout is not
the expected one.
"""

from __future__ import annotations

import importlib
import os
import sys


def submodule(package: str, name: str):
    """``package.name`` (an extension module or a ``.py`` file in the package's folder),
    loaded without importing ``package`` when that is not done already."""
    full = f"{package}.{name}"
    got = sys.modules.get(full) or _LOADED.get(full)
    if got is not None:
        return got
    if package not in sys.modules:
        try:
            mod = _load_alone(package, name, full)
        except Exception:  # (any surprise: the plain import below)
            mod = None
        if mod is not None:
            _LOADED[full] = mod
            return mod
    return importlib.import_module(full)


_LOADED: dict = {}


def _load_alone(package: str, name: str, full: str):
    import importlib.machinery

    spec = importlib.machinery.PathFinder.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, name + suffix)
            if os.path.isfile(path):
                return _exec(full, path, importlib.machinery.ExtensionFileLoader(full, path))
        path = os.path.join(folder, name + ".py")
        if os.path.isfile(path):
            return _exec(full, path, importlib.machinery.SourceFileLoader(full, path))
    return None


def _exec(full: str, path: str, loader):
    import importlib.util

    spec = importlib.util.spec_from_file_location(full, path, loader=loader)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
