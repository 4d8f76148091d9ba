"""How the records that cross between processes are pickled.

Items go from the processes that prepare them to the one that stores them, and the
published index's rows from the render processes to the publishing one: some 20,000 of
each in a cold run of the benchmark. A slotted dataclass pickles by default through the
``dataclasses`` module's own state functions, which look the class's fields up again for
every object written and read; :func:`field_state` gives a class state functions that
know them (what a source of the benchmark's gave, 50 items, written in 0.56 ms, not 0.70,
and read in 0.49, not 0.60; 1,000 index rows in 1.4 ms and 2.2 ms, not 3.5 and 3.6). The
state holds the fields' values in their order, as the default's list does, so either form
reads the other.
"""

from __future__ import annotations

import operator
from dataclasses import fields, is_dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def field_state(cls: type[T]) -> type[T]:
    """Give the slotted dataclass ``cls`` a pickled state of its fields' values, in their
    order (a class decorator, above ``@dataclass``)."""
    assert is_dataclass(cls), f"{cls.__name__} is not a dataclass"
    names = tuple(f.name for f in fields(cls))
    values = operator.attrgetter(*names)
    one = len(names) == 1  # attrgetter of one name gives the value, not a tuple

    def get_state(self: Any) -> tuple[Any, ...]:
        return (values(self),) if one else values(self)

    def set_state(self: Any, state: tuple[Any, ...]) -> None:
        for name, value in zip(names, state, strict=True):
            object.__setattr__(self, name, value)  # the class may be frozen

    setattr(cls, "__getstate__", get_state)  # noqa: B010 (a method set on the class)
    setattr(cls, "__setstate__", set_state)  # noqa: B010
    return cls
