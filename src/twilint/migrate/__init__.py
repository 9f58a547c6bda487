"""Migrations: `twilint migrate <recipe>`.

Each recipe is a module of this package that defines ``COMMAND``, a ``click.Command``; the CLI
lists recipes from the module names (``legacy_config`` -> ``legacy-config``) without importing
them, and imports one only when it runs. Recipes build :class:`twilint.migrate.base.Plan` objects
(what would change in each project, and what needs a person) and hand them to
:func:`twilint.migrate.base.execute`, which writes atomically, prints diffs, checks, shows progress
and a summary table, and writes reports.
"""

from __future__ import annotations

import pkgutil


def recipe_names() -> list[str]:
    return sorted(
        m.name.replace("_", "-")
        for m in pkgutil.iter_modules(__path__)
        if not m.name.startswith("_") and m.name != "base"
    )


def load_recipe(name: str):
    import importlib

    if name not in recipe_names():
        return None
    mod = importlib.import_module(f"twilint.migrate.{name.replace('-', '_')}")
    return getattr(mod, "COMMAND", None)
