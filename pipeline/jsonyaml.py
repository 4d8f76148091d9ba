"""An origin's JSON and an editor's YAML, read as the program keeps text: without the
lone UTF-16 surrogates an escape may write (valid JSON and YAML, but no UTF-8 text), JSON
written loosely in a page's script, YAML's values as the editor wrote them.

Its character sets and XML: ``pipeline.encoding``.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

# A JSON or YAML escape of a UTF-16 surrogate (\ud800-\udfff), in the raw text.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def load_json(data: bytes | str) -> Any:
    """``json.loads`` of an origin's document, with :func:`without_surrogates` applied when
    it escapes a surrogate: ``"\\ud800"`` alone is valid JSON but no UTF-8 text, and an item
    holding one failed its whole source ("surrogates not allowed") when it was stored.

    Raises:
        json.JSONDecodeError, UnicodeDecodeError, RecursionError: as ``json.loads``.
    """
    loaded = json.loads(data)
    escaped = (
        _SURROGATE_ESCAPE.search(data)
        if isinstance(data, str)
        else _SURROGATE_ESCAPE_BYTES.search(data)
    )
    return without_surrogates(loaded) if escaped else loaded


_LENIENT_DECODER = json.JSONDecoder(strict=False)
_BETWEEN_VALUES = re.compile(r"[\s;,]*")


def load_json_values(text: str) -> list[Any]:
    """The JSON values ``text`` writes one after another, as a script's JSON is read where
    pages write it loosely: blanks, ``;`` or ``,`` between and after them (a theme ends its
    block with ``];`` or writes two), and control characters inside strings (a tab, a line
    break). Lone surrogates are dropped as :func:`load_json` drops them.

    Raises:
        json.JSONDecodeError: a part that is no JSON value, or no value at all.
        RecursionError: as ``json.loads``.
    """
    values: list[Any] = []
    at = _BETWEEN_VALUES.match(text).end()  # type: ignore[union-attr]  # (matches "")
    while at < len(text) or not values:
        value, end = _LENIENT_DECODER.raw_decode(text, at)
        values.append(value)
        at = _BETWEEN_VALUES.match(text, end).end()  # type: ignore[union-attr]
    return without_surrogates(values) if _SURROGATE_ESCAPE.search(text) else values


def without_surrogates(value: Any) -> Any:
    """``value`` (parsed JSON or YAML) with the lone surrogates of every string, keys too,
    dropped (a pair escaped as two halves was already read as its character). A list or
    mapping YAML holds twice (an alias) is made once, and one that holds itself
    (``&a [*a]``) still does: walked member by member, aliases that multiply
    (``[*b, *b, ...]`` nine deep) took minutes and gigabytes, and a cycle never ended."""
    return _without_surrogates(value, {})


def _without_surrogates(value: Any, made: dict[int, Any]) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("", value)
    if not isinstance(value, dict | list):
        return value
    if id(value) in made:
        return made[id(value)]
    if isinstance(value, list):
        members: list[Any] = []
        made[id(value)] = members
        members.extend(_without_surrogates(v, made) for v in value)
        return members
    fields: dict[Any, Any] = {}
    made[id(value)] = fields
    for key, inner in value.items():
        fields[_without_surrogates(key, made)] = _without_surrogates(inner, made)
    return fields


def load_yaml(text: str, *, as_written: bool = False) -> Any:
    """``yaml.safe_load`` of a file editors write (a catalog, a digest intro), with
    :func:`without_surrogates` applied (``"\\ud800"`` is a valid escape in YAML but no
    UTF-8 text: the item holding one failed the catalog when it was stored). A timestamp
    that is no day (``2026-13-45``, ``2026-02-30``) is text, as it is in quotes: building
    it failed the catalog as a fault of this program (``month must be in 1..12``). A
    lone ``=`` is text too (YAML 1.1's "value" tag, which no safe loader builds).

    With ``as_written``, numbers and YAML 1.1's booleans are text as the editor wrote
    them, for fields that are text (a catalog's, as a CSV gives them): ``id: 0123`` is
    ``"0123"`` (not 83, an octal number), ``language: no`` is Norwegian (not false),
    ``title: yes`` is "yes", ``1_000`` and ``1:30`` stay as written. Empty and ``null``
    are still None, and dates still dates.

    Raises:
        yaml.YAMLError: the text is not YAML.
    """
    import yaml  # loads with the first YAML file read, not with this module

    loader = _yaml_loader(as_written)  # a SafeLoader
    try:
        return without_surrogates(yaml.load(text, Loader=loader))
    except yaml.YAMLError as exc:
        # A tab after a key's colon ("title:<TAB>…"): libyaml, which Jekyll (Ruby) and
        # PyYAML's C loader use, takes it as the blank it is; PyYAML's own scanner refuses
        # it, and the whole catalog failed. Read again with a space in its place.
        spaced = _TAB_AFTER_KEY.sub(r"\1 ", text) if "\t" in text else text
        if spaced == text:
            raise
        try:
            return without_surrogates(yaml.load(spaced, Loader=loader))
        except yaml.YAMLError:
            raise exc from None


_TAB_AFTER_KEY = re.compile(r"^(\s*(?:-\s+)?[^\s#:\-\[{][^:\n]*:)\t[ \t]*", re.MULTILINE)


@functools.cache
def _yaml_loader(as_written: bool) -> type[Any]:
    import yaml

    class Loader(yaml.SafeLoader):
        """The safe loader, with timestamps that are no day read as text."""

    def timestamp(loader: Loader, node: yaml.ScalarNode) -> Any:
        try:
            return loader.construct_yaml_timestamp(node)
        except ValueError:
            return loader.construct_scalar(node)

    Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    kept = (
        {"null", "timestamp", "merge"}
        if as_written
        else {"null", "timestamp", "merge", "bool", "int", "float"}
    )
    Loader.yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag.rpartition(":")[2] in kept]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader
