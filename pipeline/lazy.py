"""Modules imported the first time they are used, not when their importer is.

A source kind fetches in one half and parses in the other, and the parsing half's
readers are costly to load: the date and period readers compile a few dozen patterns
(languages' month names, Japanese eras, time ranges), about 15 ms; icalendar and
recurring-ical-events, PyYAML and markdown-it, lxml, 5 to 30 ms each. A run whose
sources all answer "not modified" parses nothing, and the process that fetches a cold
run's sources hands the parsing to worker processes, so neither should load them. A kind
module names such a module for the type checker and binds a :class:`LazyModule` at run
time::

    if TYPE_CHECKING:
        from tdlc_syndication.pipeline import dates
    else:  # loaded with the first date read
        dates = LazyModule("tdlc_syndication.pipeline.dates")

and calls ``dates.parse_date(...)``. The dependency stays visible to the type checker
and to the import contracts (which read imports made for type checking too).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands for the module ``name`` until an attribute is read: that read imports it
    (the import system's locks make threads that race for it wait for one import) and
    keeps the attribute, so that later reads are plain attribute reads."""

    def __init__(self, name: str) -> None:
        self.__lazy_target__ = name  # a dunder: no module's attribute, not for __getattr__

    def __getattr__(self, attribute: str) -> Any:
        """Called only for attributes not kept yet."""
        if attribute.startswith("__"):  # copy, pickle and inspect ask for dunders
            raise AttributeError(attribute)
        value = getattr(importlib.import_module(self.__lazy_target__), attribute)
        setattr(self, attribute, value)
        return value

    def __repr__(self) -> str:
        return f"<lazy module {self.__lazy_target__!r}>"


def lazy_targets(module: ModuleType) -> list[str]:
    """The modules that ``module`` binds as :class:`LazyModule`: what a process about to
    run its code can import ahead (the fork server that starts the worker processes)."""
    bound = [value for value in vars(module).values() if isinstance(value, LazyModule)]
    return sorted({value.__lazy_target__ for value in bound})
