"""The entries of one catalog file: a note's front matter and body (Markdown), a YAML or
JSON list, a CSV's rows (as Excel saves them); and the file types a catalog is read from.

Used by ``sources.catalog``, which makes each entry an item.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tdlc_syndication.pipeline.errors import ParseError
from tdlc_syndication.pipeline.frontmatter import front_matter
from tdlc_syndication.pipeline.jsonyaml import load_json, load_yaml
from tdlc_syndication.pipeline.lazy import LazyModule

if TYPE_CHECKING:  # the reader loads with the first YAML file read
    import yaml
else:
    yaml = LazyModule("yaml")

LIST_FIELDS = ("authors", "topics", "places", "attachments", "categories", "identifiers")
# A folder's notes: Markdown files, as Hugo names them (.md) and as Jekyll's new posts are
# named (.markdown). A post named for its day (2026-11-26-kobe-drill.md) is of that day
# when its front matter gives none, as Jekyll and Eleventy date it (Jekyll: 2017-2-5-… too).
NOTES = (".md", ".markdown")
_FILE_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-")
_FIRST_LINE = re.compile(r"[^\r\n]*")  # a CSV's first row (it names the columns)


# The files a catalog is read from, when its path is one file.
CATALOG_FILES = (*NOTES, ".yaml", ".yml", ".json", ".csv")
# Spreadsheets saved in their own format, which is not read: the entries are to be saved
# as CSV.
_SPREADSHEETS = (".xlsx", ".xls", ".xlsm", ".ods", ".numbers")


def unread_catalog(name: str) -> str:
    """What to do with a catalog file of a type not read (``name`` is its name)."""
    if Path(name).suffix.lower() in _SPREADSHEETS:
        return (
            f"{name}: a spreadsheet's own format is not read; save it as CSV UTF-8 "
            "(Excel: File > Save As > CSV UTF-8)"
        )
    return f"{name}: use .md, .markdown, .yaml, .yml, .json or .csv"


def _as_written(value: Any) -> Any:
    """JSON's numbers and true/false as the text they are written as (every catalog value
    is text, as a CSV's and the YAML as read): ``"id": 123`` is ``"123"``."""
    if isinstance(value, dict):
        return {key: _as_written(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_written(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return value


def file_entries(source_id: str, name: str, text: str) -> list[tuple[str, dict[str, Any]]]:
    """The entries of the catalog file ``name``, holding ``text``: a note (its front
    matter's fields and its body), a YAML or JSON list, a CSV's rows, each as
    ``(native id, fields)``.

    Raises:
        ParseError: the file is not one of these, or not as its type is written.
    """
    suffix = Path(name).suffix.lower()
    try:
        if suffix in NOTES:
            meta, body = front_matter(text)
            meta.setdefault("body", body)
            dated = _FILE_DAY.match(Path(name).stem)
            if dated and not meta.get("published") and not meta.get("date"):
                year, month, day = dated.groups()  # Jekyll's and Eleventy's post names
                meta["date"] = f"{year}-{month:0>2}-{day:0>2}"
            return [(str(meta.get("id") or Path(name).stem), meta)]
        if suffix in (".yaml", ".yml", ".json"):
            loaded = (
                load_yaml(text, as_written=True)
                if suffix != ".json"
                else _json(source_id, name, text)
            )
            if isinstance(loaded, dict) and str(loaded.get("version", "")).startswith(
                "https://jsonfeed.org/version/"
            ):
                raise ParseError(source_id, f'{name}: a JSON Feed; read it with kind = "feed"')
            rows = loaded.get("items") if isinstance(loaded, dict) else loaded
            if not isinstance(rows, list):
                raise ParseError(source_id, f"{name}: expected a list of entries")
            entries = [_dict(source_id, row, name) for row in rows]
            return [(str(entry.get("id") or i), entry) for i, entry in enumerate(entries, 1)]
        if suffix == ".csv":
            return [
                (str(row.get("id") or i), _split_lists(row))
                for i, row in enumerate(_csv_rows(source_id, name, text), 1)
            ]
    except yaml.YAMLError as exc:
        raise ParseError(source_id, f"{name}: invalid YAML: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ParseError(source_id, f"{name}: invalid TOML front matter: {exc}") from exc
    except csv.Error as exc:
        raise ParseError(source_id, f"{name}: invalid CSV: {exc}") from exc
    raise ParseError(source_id, unread_catalog(name))


def _json(source_id: str, name: str, text: str) -> Any:
    """A ``.json`` catalog's entries, each value as it is written."""
    try:
        return _as_written(load_json(text.lstrip("\ufeff")))
    except (ValueError, RecursionError) as exc:  # (JSONDecodeError is a ValueError)
        raise ParseError(source_id, f"{name}: invalid JSON: {exc}") from exc


def _csv_rows(source_id: str, name: str, text: str) -> list[dict[str, Any]]:
    """The rows of a CSV file, by the names in its first row as Excel saves them:
    separated by commas, or by semicolons (Excel in French, Spanish, Portuguese,
    Indonesian, where the comma is the decimal mark) or tabs; in any case (``Title``)
    and with blanks around. Read as commas, a semicolon file was one column, and
    ``Title`` no title: every entry was dropped (no-title)."""
    first = _FIRST_LINE.match(text)
    header = first[0] if first else ""
    delimiter = max((",", ";", "\t"), key=header.count)  # a tie: the comma
    # (newline="": lines end at \r\n, \n or \r alone, as Excel for Mac's "CSV
    # (Macintosh)" ends them; read by lines of \n, such a file failed: "new-line
    # character seen in unquoted field")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if reader.fieldnames is None:  # an empty file
        return []
    reader.fieldnames = [column.strip().lower() for column in reader.fieldnames]
    if "title" not in reader.fieldnames:
        columns = ", ".join(repr(c) for c in reader.fieldnames)
        raise ParseError(
            source_id,
            f"{name}: no 'title' column (the first row names {columns}); name the "
            "columns in the first row: id, title, url, published, summary, ...",
        )
    # A row of empty cells (Excel keeps one where cells were cleared) is no entry.
    return [dict(row) for row in reader if any(field_text(v) for v in row.values())]


def _dict(source_id: str, row: Any, name: str) -> dict[str, Any]:
    """An entry of a YAML or JSON list, which is a mapping of fields (a list of strings
    was "invalid YAML" in a JSON file too)."""
    if not isinstance(row, dict):
        raise ParseError(source_id, f"{name}: every entry must be a mapping of fields")
    return row


def _split_lists(row: dict[str, Any]) -> dict[str, Any]:
    for key in LIST_FIELDS:
        if isinstance(row.get(key), str):
            row[key] = [v.strip() for v in row[key].split(";") if v.strip()]
    return row


def field_text(value: Any) -> str:
    """A field's value as text: a date (YAML reads one) in ISO form, none as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()
