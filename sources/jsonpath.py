"""Dotted paths into JSON values, as the ``json`` kind's config writes them.

``a.b`` walks object keys, ``0`` indexes a list, ``*`` takes every value of an object or
list, and a key that itself contains dots is quoted: ``metadata."dc.title".0.value``.
``''`` is the value itself. A path never raises: what is missing yields nothing.
"""

from __future__ import annotations

import re
from typing import Any

_SEGMENT = re.compile(r'"([^"]*)"|([^."]*)')


def segments(path: str) -> list[str] | None:
    """Split a path into keys (quotes removed); None when it is malformed."""
    if path == "":
        return []
    out: list[str] = []
    position = 0
    while True:
        match = _SEGMENT.match(path, position)
        if match is None:
            return None
        quoted, plain = match.groups()
        segment = quoted if quoted is not None else plain
        if not segment or ("*" in segment and segment != "*" and quoted is None):
            return None
        out.append(segment)
        position = match.end()
        if position == len(path):
            return out
        if path[position] != ".":
            return None
        position += 1


def check_path(path: str) -> str | None:
    """None if ``path`` is well formed, else what is wrong with it. For a path written the
    way JSONPath or jq write one (``$.data[*].title``, ``.data[].title``, ``links['self']``)
    it names the dotted path to write: such a path was taken for keys with brackets in
    their names, which no record has, so every record was dropped without a word."""
    if path.startswith(".") or any(_QUERY_MARK.search(part) for part in _plain(path)):
        dotted = _as_dotted(path)
        if dotted is not None:
            return f"{path!r} is written as JSONPath or jq; write it as dotted keys: {dotted!r}"
        return (
            f"{path!r} is written as JSONPath or jq, with what a dotted path does not say "
            "(a filter, a slice, '..'): write dotted keys, as data.*.title or items.0.url"
        )
    if segments(path) is None:
        return (
            f"empty or mixed segment '' in path {path!r}"
            if ".." in path or path.endswith(".")
            else f'malformed path {path!r} (quote keys that contain dots: a."b.c".d)'
        )
    return None


# What JSONPath and jq write that no dotted path does: a root ($, @; jq's leading dot is
# looked for apart) and brackets ([0], [*], [], ['key']).
_QUERY_MARK = re.compile(r"^[$@]|[\[\]]")
_BRACKET = re.compile(r"""\[\s*(?:(\d+)|(\*)?|'([^']*)'|"([^"]*)")\s*\]""")


def _plain(path: str) -> list[str]:
    """The segments of ``path`` written without quotes."""
    return [plain for quoted, plain in _SEGMENT.findall(path) if not quoted and plain]


def _as_dotted(path: str) -> str | None:
    """``path`` (JSONPath's ``$.data[*].title``, jq's ``.data[].title``) as this module's
    dotted path (``data.*.title``), or None where it says more than keys, indexes and
    ``*`` (a filter, a slice, a descent ``..``)."""
    rest = path.strip()
    rest = rest[1:] if rest[:1] in ("$", "@") else rest
    if ".." in rest:
        return None

    def key(match: re.Match[str]) -> str:
        index, _, single, double = match.groups()
        name = index or (single if single is not None else double)
        if name is None:
            return ".*"  # [*], and jq's []
        return "." + (f'"{name}"' if "." in name else name)

    dotted = _BRACKET.sub(key, rest).lstrip(".")
    if "[" in dotted or "]" in dotted:
        return None
    return dotted if segments(dotted) is not None else None


def values_at(value: Any, path: str) -> list[Any]:
    """Every value found at ``path`` (``*`` can make several)."""
    current = [value]
    for segment in segments(path) or []:
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
