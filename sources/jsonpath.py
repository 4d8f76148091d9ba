"""Dotted paths into JSON values, as the ``json`` kind's config writes them.

``a.b`` walks object keys, ``0`` indexes a list, ``*`` takes every value of an object or
list. ``''`` is the value itself. A path never raises: what is missing yields nothing.
"""

from __future__ import annotations

import re
from typing import Any

_SEGMENT = re.compile(r"^(\*|[^.*]+)$")


def check_path(path: str) -> str | None:
    """None if ``path`` is well formed, else what is wrong with it."""
    if path == "":
        return None
    for segment in path.split("."):
        if not _SEGMENT.match(segment):
            return f"empty or mixed segment {segment!r} in path {path!r}"
    return None


def values_at(value: Any, path: str) -> list[Any]:
    """Every value found at ``path`` (``*`` can make several)."""
    current = [value]
    for segment in path.split(".") if path else []:
        found: list[Any] = []
        for node in current:
            if segment == "*":
                if isinstance(node, dict):
                    found.extend(node.values())
                elif isinstance(node, list):
                    found.extend(node)
            elif isinstance(node, dict) and segment in node:
                found.append(node[segment])
            elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
                found.append(node[int(segment)])
        current = found
    return [v for v in current if v is not None]


def first_at(value: Any, path: str) -> Any:
    """The first value at ``path``, or None."""
    found = values_at(value, path)
    return found[0] if found else None


def text_at(value: Any, path: str) -> str:
    """The first value at ``path`` as text ('' when missing or not a scalar)."""
    found = first_at(value, path)
    if isinstance(found, (str, int, float)) and not isinstance(found, bool):
        return str(found).strip()
    return ""


def texts_at(value: Any, path: str) -> list[str]:
    """Every scalar value at ``path`` as text (lists are flattened one level)."""
    out: list[str] = []
    for found in values_at(value, path):
        for entry in found if isinstance(found, list) else [found]:
            if isinstance(entry, (str, int, float)) and not isinstance(entry, bool):
                text = str(entry).strip()
                if text:
                    out.append(text)
    return out
