"""A Markdown file's front matter: the fields an editor writes above a note (a catalog's)
or a digest intro, as static site generators read them.

``---`` opens YAML, which closes with ``---`` or with YAML's end of a document, ``...``
(Jekyll and Pandoc accept both); ``+++`` opens TOML (Hugo) and closes with ``+++``. A fence
stands alone on its line, spaces after it allowed; the lines may end in CRLF. Hugo also
takes a JSON object that opens the file.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tdlc_syndication.pipeline.jsonyaml import load_yaml

_OPENING = re.compile(r"(---|\+\+\+)[ \t]*\r?\n")
_CLOSING = {
    "---": re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M),
    "+++": re.compile(r"^\+\+\+[ \t]*\r?$", re.M),
}


def split_front_matter(
    text: str, fences: tuple[str, ...] = ("---", "+++")
) -> tuple[str, str, str] | None:
    """The opening fence, the front matter and the body of ``text``, which opens with one
    of ``fences``; None when it opens with none, or no line closes the block (all of it is
    then the body)."""
    opening = _OPENING.match(text)
    if opening is None or opening.group(1) not in fences:
        return None
    fence = opening.group(1)
    closing = _CLOSING[fence].search(text, opening.end())
    if closing is None:
        return None
    return fence, text[opening.end() : closing.start()], text[closing.end() + 1 :]


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """A note's fields and body: YAML (its values text as written: ``load_yaml``'s
    ``as_written``), TOML or JSON; no fields and all of ``text`` where it opens with none
    (such a file was read so even with its fields closed by ``...`` or written in JSON,
    and dropped as no-title).

    Raises:
        yaml.YAMLError: the YAML is not YAML, or not a mapping of fields.
        tomllib.TOMLDecodeError: the TOML is not TOML.
    """
    if text.startswith("{"):
        return _json_front_matter(text)
    parts = split_front_matter(text)
    if parts is None:
        return {}, text
    fence, head, body = parts
    if fence == "+++":
        import tomllib  # (a TOML note's only)

        return tomllib.loads(head.replace("\r\n", "\n")), body
    meta = load_yaml(head, as_written=True) or {}
    if not isinstance(meta, dict):
        import yaml

        raise yaml.YAMLError("front matter must be a mapping of fields")
    return meta, body


def _json_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Hugo's JSON front matter: an object that opens the file, its line ended after the
    closing brace. A body that only opens with a brace (a shortcode, ``{{< figure >}}``)
    is a body without fields."""
    try:
        meta, end = json.JSONDecoder().raw_decode(text)
    except (ValueError, RecursionError):  # (RecursionError: arrays nested 20,000 deep)
        return {}, text
    line, _, body = text[end:].partition("\n")
    if not isinstance(meta, dict) or line.strip():
        return {}, text
    return meta, body
