"""Find and load the settings file, turning every problem into one clear line.

A problem line names the field and says what is expected, for example::

    broken.toml: sources.1 (id 'kobe-news').max_items: expected an integer, got 'many'

All problems of a file are reported together, then :class:`ConfigError` is raised.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tdlc_syndication.config.base import SLUG, as_written
from tdlc_syndication.config.editorial import Override, OverridesFile
from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.files import (
    BIDI_CONTROLS,
    CONTROL_CHARACTERS,
    NotUtf8,
    read_file,
    utf8_text,
)
from tdlc_syndication.config.models import (
    SOURCE_KINDS,
    SOURCE_MODELS,
    Settings,
    SourceBase,
)
from tdlc_syndication.config.paths import DEMO_CONFIG, ENV_VAR, find_config

__all__ = ["DEMO_CONFIG", "ENV_VAR", "find_config", "load_overrides", "load_settings"]


# The program's own feeds in feeds/ (``outputs.view`` and ``outputs.calendar`` write them):
# a [[feeds]] entry of one of these ids would be written over them (the publish failed).
RESERVED_FEED_IDS = {"all": "the feed of everything", "upcoming": "the feed of upcoming events"}


def load_settings(path: str | Path, data: bytes | None = None) -> Settings:
    """Read, validate and cross-check a TOML settings file: its bytes ``data`` when the
    caller has read them (those are validated, whatever the file holds by then).

    Raises:
        ConfigError: with one line per problem (file, field, what is expected).
    """
    path = Path(path)
    label = str(path)
    try:
        raw = _toml(read_file(path) if data is None else data)
    except FileNotFoundError:
        raise ConfigError(label, ["file not found; pass --config with an existing file"]) from None
    except NotUtf8 as exc:
        raise ConfigError(label, [str(exc)]) from None
    except OSError as exc:
        raise ConfigError(label, [f"cannot read the file: {exc.strerror or exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(label, [f"not valid TOML: {exc}"]) from None
    except RecursionError:
        raise ConfigError(label, ["tables or arrays nested too deeply; flatten the file"]) from None

    problems = _duplicate_ids(raw)
    settings: Settings | None = None
    try:
        settings = Settings.model_validate(raw, context={"base_dir": path.parent})
    except ValidationError as exc:
        problems = [*error_lines(exc, raw), *problems]
    for where, problem in _invisible_characters(raw):
        if not any(p.startswith(f"{where}:") for p in problems):  # one line per field
            problems.append(f"{where}: {problem}")
    if settings is not None:
        problems.extend(_dangling_references(settings))
        problems.extend(_published_by_mistake(settings))
    if problems:
        raise ConfigError(label, problems)
    assert settings is not None
    return settings


def load_overrides(settings: Settings) -> dict[str, Override]:
    """Read the editors' overrides file named by ``[editorial] overrides`` (by item id).

    Raises:
        ConfigError: the file is unreadable, invalid, or names unknown taxonomy terms.
    """
    path = settings.editorial.overrides
    if path is None:
        return {}
    label = str(path)
    try:
        raw = _toml(read_file(path))
    except FileNotFoundError:
        raise ConfigError(label, ["overrides file not found; fix [editorial] overrides"]) from None
    except NotUtf8 as exc:
        raise ConfigError(label, [str(exc)]) from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ConfigError(label, [f"cannot read the overrides: {reason}"]) from None
    except RecursionError:
        raise ConfigError(label, ["tables or arrays nested too deeply; flatten the file"]) from None
    try:
        parsed = OverridesFile.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(label, error_lines(exc, raw, OverridesFile)) from None
    problems = []
    tax = settings.taxonomy
    seen: dict[str, int] = {}
    for n, entry in enumerate(parsed.items):
        where = f"items.{n} (id {entry.id!r})"
        if entry.id in seen:
            problems.append(f"{where}: the same id as items.{seen[entry.id]}; merge the two")
        seen[entry.id] = n
        for value in entry.topics or []:
            if tax.current("topics", value) not in tax.topics:
                problems.append(f"{where}.topics: unknown topic {value!r}")
        for value in entry.places or []:
            if tax.current("places", value) not in tax.places:
                problems.append(f"{where}.places: unknown place {value!r}")
        if entry.kind and tax.current("kinds", entry.kind) not in tax.kinds:
            problems.append(f"{where}.kind: unknown kind {entry.kind!r}")
    if problems:
        raise ConfigError(label, problems)
    return {entry.id: entry for entry in parsed.items}


def _toml(data: bytes) -> dict[str, Any]:
    """The TOML document in a file's bytes, with line ends as reading the file as text
    gives them (universal newlines).

    Raises:
        NotUtf8: the bytes are not UTF-8.
        tomllib.TOMLDecodeError: the text is not TOML.
    """
    text = utf8_text(data)
    return tomllib.loads(text.replace("\r\n", "\n").replace("\r", "\n"))


# Characters no settings value needs and no published text may hold (pipeline.text
# removes the same ones from what the sources give).
_INVISIBLE = re.compile(f"[{CONTROL_CHARACTERS}{BIDI_CONTROLS}]")


def _invisible_characters(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """Where a value holds an invisible character, and which: a site title with one
    would stop every feed (lint refuses them)."""
    found: list[tuple[str, str]] = []

    def walk(node: Any, loc: list[Any]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, [*loc, key])
        elif isinstance(node, list):
            for n, value in enumerate(node):
                walk(value, [*loc, n])
        elif isinstance(node, str) and (char := _INVISIBLE.search(node)):
            code = ord(char.group(0))
            what = (
                "a word processor's line break"
                if code == 0x0B
                else "a bidi control"
                if code >= 0x202A
                else "a control character"
            )
            before = node[: char.start()][-20:]
            found.append(
                (_where(loc, raw), f"holds {what} (U+{code:04X}, after {before!r}); delete it")
            )

    walk(raw, [])
    return found


def _duplicate_ids(raw: dict[str, Any]) -> list[str]:
    problems = []
    for section in ("sources", "feeds"):
        entries = raw.get(section)
        if not isinstance(entries, list):
            continue
        ids = [e.get("id") for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)]
        for dup, count in Counter(ids).items():
            if count > 1:
                where = [
                    str(i)
                    for i, e in enumerate(entries)
                    if isinstance(e, dict) and e.get("id") == dup
                ]
                problems.append(
                    f"{section}: duplicate id {dup!r} (entries {', '.join(where)}); "
                    "every entry needs its own id"
                )
    return problems


def _dangling_references(settings: Settings) -> list[str]:
    """Names used in sources and feeds that the taxonomy (or the source list) lacks."""
    tax = settings.taxonomy
    problems = []
    vocabularies: dict[str, tuple[str, set[str], str]] = {
        "topic": ("topic", set(tax.topics), "define it under [taxonomy.topics]"),
        "place": ("place", set(tax.places), "define it under [taxonomy.places]"),
        "kind": ("kind", set(tax.kinds), "define it under [taxonomy.kinds]"),
        "source": ("source", {s.id for s in settings.sources}, "add the source"),
    }
    # A renamed term's former slug still names it (the old spelling keeps working).
    former = {noun: set(tax.renamed(f"{noun}s")) for noun in ("topic", "place", "kind")}

    def check(where: str, field: str, values: list[str], vocabulary: str) -> None:
        noun, known, fix = vocabularies[vocabulary]
        for value in values:
            if value not in known and value not in former.get(vocabulary, ()):
                choices = ", ".join(sorted(known)) or "none defined"
                problems.append(
                    f"{where}.{field}: unknown {noun} {value!r}; {fix} or use one of: {choices}"
                )

    for i, src in enumerate(settings.sources):
        where = f"sources.{i} (id {src.id!r})"
        check(where, "topics", src.topics, "topic")
        check(where, "places", src.places, "place")
        check(where, "default_kind", [src.default_kind], "kind")
        check(where, "kind_map", list(src.kind_map.values()), "kind")
    for i, feed in enumerate(settings.feeds):
        where = f"feeds.{i} (id {feed.id!r})"
        check(where, "topics", feed.topics, "topic")
        check(where, "places", feed.places, "place")
        check(where, "kinds", feed.kinds, "kind")
        check(where, "sources", feed.sources, "source")
        if feed.id in RESERVED_FEED_IDS:
            problems.append(
                f"{where}.id: {feed.id!r} is reserved for {RESERVED_FEED_IDS[feed.id]} "
                f"(feeds/{feed.id}.atom); choose another id"
            )
    check("websub", "skip", settings.websub.skip, "source")
    problems.extend(_former_slugs(settings))
    problems.extend(_former_feed_ids(settings))
    return problems


def _former_slugs(settings: Settings) -> list[str]:
    """A term's former slug is no term's slug now, nor another term's former slug."""
    problems = []
    for facet, terms in settings.taxonomy.vocabularies():
        now = {slug: f"a {facet[:-1]} now ([taxonomy.{facet}.{slug}])" for slug in terms}
        entries = [(f"taxonomy.{facet}.{s}.formerly", s, t.formerly) for s, t in terms.items()]
        problems += _renames(entries, now, ("a former slug of", "term's"))
    return problems


def _former_feed_ids(settings: Settings) -> list[str]:
    """A ``[[feeds]]`` entry's former id is no feed's id now, nor another entry's former id."""
    ids = [feed.id for feed in settings.feeds] + list(RESERVED_FEED_IDS)
    now = {name: f"the id of a feed now (feeds/{name}.atom)" for name in ids}
    entries = [
        (f"feeds.{i} (id {feed.id!r}).formerly", feed.id, feed.formerly)
        for i, feed in enumerate(settings.feeds)
    ]
    return _renames(entries, now, ("a former id of feed", "feed's"))


def _renames(
    entries: list[tuple[str, str, list[str]]], now: dict[str, str], words: tuple[str, str]
) -> list[str]:
    """What is wrong with the former names of ``entries`` (where, name, former names): one
    that is a name now (``now`` says whose), or that two entries claim."""
    problems = []
    claimed: dict[str, str] = {}
    for where, name, formerly in entries:
        for old in formerly:
            if old in now:
                problems.append(f"{where}: {old!r} is {now[old]}; take it out of formerly")
            elif old in claimed:
                problems.append(
                    f"{where}: {old!r} is also {words[0]} {claimed[old]!r}; keep it in one "
                    f"{words[1]} formerly"
                )
            claimed.setdefault(old, name)
    return problems


def _published_by_mistake(settings: Settings) -> list[str]:
    """Files that are not for the public, placed inside the output folder: it is published
    as it is (copied to a web server, or served by ``syndicate serve``)."""
    output = settings.site.output_dir.resolve()
    private = {
        "site.database": (settings.site.database, "the store (hidden and withdrawn items too)"),
        "digest.preview_dir": (settings.digest.preview_dir, "drafts, before an editor saw them"),
        "digest.editorial_dir": (settings.digest.editorial_dir, "the editors' intros"),
        "editorial.overrides": (settings.editorial.overrides, "the editors' overrides"),
    }
    problems = []
    for field, (path, what) in private.items():
        if path is None:
            continue
        resolved = path.resolve()
        if resolved == output or output in resolved.parents:
            problems.append(
                f"{field}: {str(path)!r} is inside the output folder "
                f"{str(settings.site.output_dir)!r}, which is published as it is: {what} "
                "would be public; keep it outside that folder"
            )
    return problems


def error_lines(
    exc: ValidationError, raw: dict[str, Any], root: type[BaseModel] = Settings
) -> list[str]:
    """A settings model's refusal of ``raw``, one line for each error (:func:`_describe`):
    where, what is wrong, what to write instead."""
    return [_describe(err, raw, root) for err in exc.errors()]


def _describe(err: Any, raw: dict[str, Any], root: type[BaseModel] = Settings) -> str:
    """One line for one pydantic error: where, what is wrong, what to write instead."""
    loc = list(err["loc"])
    kind = err["type"]
    # Drop the discriminator tag pydantic inserts into union locations (sources.0.feed.url).
    if len(loc) >= 3 and loc[0] == "sources" and loc[2] in SOURCE_KINDS:
        del loc[2]
    where = _where(loc, raw)
    value = err.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc, raw, root)
        hint = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        # the allowed key it is a misspelling of ("urls", "topic", "timzone"), if one
        from difflib import get_close_matches  # (a refusal's alone: no start-up's)

        close = get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.75) if loc else []
        fix = f"did you mean {close[0]!r}" if close else "remove it or fix its spelling"
        return f"{where}: unknown key; {fix}{hint}"
    if kind == "missing":
        return f"{where}: required field is missing; add it"
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        return f"{where}.kind: must be one of {', '.join(SOURCE_KINDS)}"
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    elif message.startswith("Assertion failed, "):
        message = message[len("Assertion failed, ") :]
    if kind == "list_type" and isinstance(value, str):
        return f"{where}: expected a list, such as [{_toml_string(value)}]; got {value!r}"
    if kind.endswith("_type") or kind.endswith("_parsing"):  # (TOML's time as TOML writes it)
        return f"{where}: {message[0].lower() + message[1:]}, got {as_written(value)}"
    if kind == "string_pattern_mismatch":
        pattern = str(err.get("ctx", {}).get("pattern", ""))
        if pattern == SLUG:
            return f"{where}: {value!r} is not allowed; use lower-case letters, digits, '-' and '_'"
        return f"{where}: {value!r} is not a valid value ({message})"
    return f"{where}: {message[0].lower() + message[1:]}"


def _toml_string(value: str) -> str:
    """``value`` as a TOML basic string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _where(loc: list[Any], raw: dict[str, Any]) -> str:
    parts: list[str] = []
    node: Any = raw
    for key in loc:
        if isinstance(key, int):
            parts[-1] = f"{parts[-1]}.{key}" if parts else str(key)
            node = node[key] if isinstance(node, list) and key < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                parts[-1] += f" (id {node['id']!r})"
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"


def _allowed_keys(
    loc: list[Any], raw: dict[str, Any], root: type[BaseModel] = Settings
) -> list[str]:
    """The field names valid at the parent of ``loc`` (for 'unknown key' hints)."""
    model: type[BaseModel] | None = root
    node: Any = raw
    named = False  # the key is a name in a table of models ([taxonomy.topics.water])
    for key in loc[:-1]:
        if model is None:
            return []
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            node = None
        if isinstance(key, int) or named:
            named = False
            continue
        field = model.model_fields.get(str(key))
        annotation = None if field is None else field.annotation
        named = getattr(annotation, "__origin__", None) is dict
        model = None if field is None else _model_of(annotation, node)
    if model is None:
        return []
    return sorted(model.model_fields)


def _model_of(annotation: Any, node: Any) -> type[BaseModel] | None:
    """The settings model an annotation stands for (sources pick theirs by ``kind``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    args: tuple[Any, ...] = getattr(annotation, "__args__", ())
    if any(isinstance(a, type) and issubclass(a, SourceBase) for a in args):
        entry = node[0] if isinstance(node, list) and node else node
        kind = entry.get("kind") if isinstance(entry, dict) else None
        return SOURCE_MODELS.get(str(kind), SourceBase)
    for arg in args:
        found = _model_of(arg, node)
        if found is not None:
            return found
    return None
