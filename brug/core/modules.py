"""Finding the per-app modules that commands gather (``brug/<app>/demo.py``, ``bench.py``)."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable
from types import ModuleType


def app_modules(apps: Iterable[str], name: str) -> list[ModuleType]:
    """Import ``brug.<app>.<name>`` for each app that has one, in the given order."""
    modules = []
    for app in apps:
        dotted = f"brug.{app}.{name}"
        if importlib.util.find_spec(dotted) is not None:
            modules.append(importlib.import_module(dotted))
    return modules
