"""The catalog source kind: Markdown with front matter, YAML and CSV, with attachments."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests_support import run_one

from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.errors import NotModified, ParseError
from tdlc_syndication.pipeline.model import Item
from tdlc_syndication.sources.base import FetchState
from tdlc_syndication.sources.registry import build_source

FRONT = """---
id: note-1
title: "Knowledge note: Compact city policy"
kind: knowledge_note
published: 2026-10-30
language: en
authors: [Programme team, Aiko Tanaka]
topics: [compact-cities]
url: https://materials.example.org/notes/1
attachments:
  - path: files/note.pdf
    title: Note (PDF)
  - url: https://media.example.org/clip.mp4
    mime: video/mp4
    length: 1234
---
Body with **bold** text and <script>alert(1)</script>.
"""


def _catalog(tmp_path: Path, write_config: Callable[..., Path], location: str) -> Path:
    return write_config(
        f'[[sources]]\nid = "mat"\nkind = "catalog"\npath = "{location}"\n'
        'attachments_url = "https://materials.example.org/"\n'
    )


def _parse(ctx: Context) -> list[Item]:
    source = build_source(ctx.settings.source("mat"), ctx.http, ctx.clock)
    found = [item for f in source.fetch(FetchState()) for item in source.parse(f)]
    return [item for item in found if isinstance(item, Item)]


def test_markdown_folder(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    folder = tmp_path / "catalog"
    (folder / "files").mkdir(parents=True)
    (folder / "note-1.md").write_text(FRONT, encoding="utf-8")
    (folder / "files" / "note.pdf").write_bytes(b"%PDF-1.4 " + b"x" * 991)
    (folder / "plain.md").write_text(
        "---\ntitle: Untitled page\nurl: https://x.example.org/p\n---\n"
    )
    ctx = make_context(_catalog(tmp_path, write_config, "catalog"))
    items = {i.id: i for i in _parse(ctx)}
    note = items["mat:note-1"]
    assert note.kind == "knowledge_note"
    assert note.title == "Knowledge note: Compact city policy"
    assert note.published == datetime(2026, 10, 30, tzinfo=UTC)
    assert note.published_precision == "day"
    assert note.authors == ("Programme team", "Aiko Tanaka")
    assert note.topics == ("compact-cities",)
    pdf, clip = note.media
    assert (pdf.url, pdf.mime, pdf.length, pdf.title) == (
        "https://materials.example.org/files/note.pdf",
        "application/pdf",
        1000,
        "Note (PDF)",
    )
    assert (clip.mime, clip.length) == ("video/mp4", 1234)
    assert "<strong>bold</strong>" in note.content_html
    assert "<script>" not in note.content_html  # raw HTML is not passed through Markdown
    assert items["mat:plain"].kind == "article"  # the source's default kind


def test_yaml_and_csv_files(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    (tmp_path / "list.yaml").write_text(
        "items:\n  - id: t1\n    title: Toolkit one\n    url: https://x.example.org/t1\n"
        "    kind: toolkit\n    published: '2015-04'\n",
        encoding="utf-8",
    )
    ctx = make_context(_catalog(tmp_path, write_config, "list.yaml"))
    (toolkit,) = _parse(ctx)
    assert (toolkit.id, toolkit.kind, toolkit.published_precision) == ("mat:t1", "toolkit", "month")

    (tmp_path / "list.csv").write_text(
        "id,title,url,kind,published,authors,topics\n"
        'r1,Annual report,https://x.example.org/r1,report,2012,"Doe, Jane;Roe, Richard",\n',
        encoding="utf-8",
    )
    ctx = make_context(_catalog(tmp_path, write_config, "list.csv"))
    (report,) = _parse(ctx)
    assert report.published == datetime(2012, 1, 1, tzinfo=UTC)
    assert report.published_precision == "year"
    assert report.authors == ("Doe, Jane", "Roe, Richard")


def test_unchanged_catalog_is_not_modified_and_broken_yaml_is_a_parse_error(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    (tmp_path / "list.yaml").write_text("- {id: a, title: A, url: 'https://x.example.org/a'}\n")
    ctx = make_context(_catalog(tmp_path, write_config, "list.yaml"))
    source = build_source(ctx.settings.source("mat"), ctx.http, ctx.clock)
    (fetched,) = list(source.fetch(FetchState()))
    state = FetchState(validators={fetched.location: fetched.validators})
    with pytest.raises(NotModified):
        list(source.fetch(state))
    (tmp_path / "list.yaml").write_text("- {id: a, title: [unclosed\n")
    (fetched,) = list(source.fetch(state))
    with pytest.raises(ParseError, match="invalid YAML"):
        list(source.parse(fetched))


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        # Failed the whole catalog as "unexpected error: TypeError: unhashable type".
        (
            "categories: [{name: Toolkit}]",
            "categories must be text or a list of text, not a list holding a mapping",
        ),
        # Published as the title "['Compact city', 'Toyama']".
        ("title: [Compact city, Toyama]", "title must be text, not a list"),
        ("topics: {compact-city: true}", "topics must be text or a list of text, not a mapping"),
        (
            "attachments: [{path: [a.pdf]}]",
            "each attachment is a path or URL, or a mapping of text "
            "(url or path, title, mime, length)",
        ),
    ],
)
def test_a_field_of_the_wrong_shape_names_the_file_entry_and_field(
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    fields: str,
    says: str,
) -> None:
    (tmp_path / "list.yaml").write_text(
        f"- id: a\n  url: https://x.example.org/a\n  title: A\n  {fields}\n", encoding="utf-8"
    )
    ctx = make_context(_catalog(tmp_path, write_config, "list.yaml"))
    with pytest.raises(ParseError) as caught:
        _parse(ctx)
    assert caught.value.message == f"list.yaml: entry 'a': {says}"


def test_authors_may_be_written_as_mappings_with_a_name(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """The shape JSON Feed and many static-site generators use."""
    (tmp_path / "list.yaml").write_text(
        "- id: a\n  url: https://x.example.org/a\n  title: A\n"
        "  authors: [{name: Tanaka Aiko, url: https://x.example.org/tanaka}, Okoro Daniel]\n",
        encoding="utf-8",
    )
    (item,) = _parse(make_context(_catalog(tmp_path, write_config, "list.yaml")))
    assert item.authors == ("Tanaka Aiko", "Okoro Daniel")


def test_a_csv_saved_by_excel_keeps_its_ids_and_shift_jis_names_the_fix(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """Excel's "CSV UTF-8" begins with a byte-order mark and ends lines with CRLF. Read
    as plain UTF-8, the mark hid the ``id`` column and every row got its number as id;
    saving the file once more without it would then have changed every id."""
    rows = "id,title,url\r\nn1,富山のコンパクトシティ,https://x.example.org/n1\r\n"
    (tmp_path / "list.csv").write_bytes(b"\xef\xbb\xbf" + rows.encode("utf-8"))
    ctx = make_context(_catalog(tmp_path, write_config, "list.csv"))
    (note,) = _parse(ctx)
    assert (note.id, note.title, note.url) == (
        "mat:n1",
        "富山のコンパクトシティ",
        "https://x.example.org/n1",
    )
    # Excel's plain "CSV" on a Japanese Windows writes Shift_JIS (cp932).
    (tmp_path / "list.csv").write_bytes(rows.encode("cp932"))
    source = build_source(ctx.settings.source("mat"), ctx.http, ctx.clock)
    (fetched,) = list(source.fetch(FetchState()))
    with pytest.raises(ParseError) as caught:
        list(source.parse(fetched))
    assert str(caught.value).endswith(
        "list.csv: not UTF-8 text (line 2 has the byte 0x95); "
        'save the file as UTF-8 (in Excel: Save As, "CSV UTF-8")'
    )


@pytest.mark.parametrize(
    "rows",
    [
        # Excel in French, Spanish, Portuguese or Indonesian separates cells with ";".
        'id;title;url;published;authors\r\nn1;Guide;https://x.example.org/n1;26/11/2026;"A; B"\r\n',
        # Columns named as people name them in a spreadsheet.
        "ID,Title , URL,Published,Authors\r\nn1,Guide,https://x.example.org/n1,26/11/2026,A;B\r\n",
        "id\ttitle\turl\tpublished\tauthors\nn1\tGuide\thttps://x.example.org/n1\t26/11/2026\tA;B\n",
        # Excel for Mac's "CSV (Macintosh)": each line ends with a carriage return alone
        # (read by lines of "\n", the file failed: "new-line character seen in unquoted
        # field").
        "id,title,url,published,authors\rn1,Guide,https://x.example.org/n1,26/11/2026,A;B\r",
        # Rows whose cells were cleared: no entries (they were dropped as no-title).
        "id,title,url,published,authors\nn1,Guide,https://x.example.org/n1,26/11/2026,A;B\n,,,,\n,,,,\n",
    ],
)
def test_a_csv_as_a_spreadsheet_saves_it_is_read(
    rows: str,
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
) -> None:
    """A file separated by semicolons was read as one column, and a column named
    ``Title`` as no title: every entry was dropped ("no-title"), with nothing to say why."""
    (tmp_path / "list.csv").write_text(rows, encoding="utf-8")
    config = write_config(
        '[[sources]]\nid = "mat"\nkind = "catalog"\npath = "list.csv"\nlanguage = "fr"\n'
    )
    (note,) = _parse(make_context(config))
    assert (note.id, note.title, note.url) == ("mat:n1", "Guide", "https://x.example.org/n1")
    assert note.published == datetime(2026, 11, 26, tzinfo=UTC)  # day first, in French
    assert note.authors == ("A", "B")


def test_a_csv_without_a_title_column_names_its_columns(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    (tmp_path / "list.csv").write_text("id,name,link\nn1,Guide,https://x.example.org/n1\n")
    ctx = make_context(_catalog(tmp_path, write_config, "list.csv"))
    source = build_source(ctx.settings.source("mat"), ctx.http, ctx.clock)
    (fetched,) = list(source.fetch(FetchState()))
    with pytest.raises(ParseError, match=r"no 'title' column .*names 'id', 'name', 'link'"):
        list(source.parse(fetched))


def test_every_other_file_in_the_folder_is_an_attachment_with_its_length(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A checklist in CSV or a schedule in YAML linked from a note is a file to download,
    not a list of entries; its enclosure had length 0 (only .md entries were read, and
    .csv and .yaml files were not measured either)."""
    folder = tmp_path / "catalog"
    (folder / "files").mkdir(parents=True)
    (folder / "note.md").write_text(
        "---\nid: n\ntitle: Toolkit\nurl: https://x.example.org/n\nattachments:\n"
        "  - path: files/checklist.csv\n  - path: files/plan.yaml\n---\nBody\n",
        encoding="utf-8",
    )
    (folder / "files" / "checklist.csv").write_text("step,who\n1,city\n")
    (folder / "files" / "plan.yaml").write_text("- day: 1\n")
    ctx = make_context(_catalog(tmp_path, write_config, "catalog"))
    (note,) = _parse(ctx)
    assert [(m.url, m.mime, m.length) for m in note.media] == [
        ("https://materials.example.org/files/checklist.csv", "text/csv", 16),
        ("https://materials.example.org/files/plan.yaml", note.media[1].mime, 9),
    ]


def test_an_attachments_url_without_its_final_slash_keeps_its_last_folder(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """``…/materials`` and ``files/a.pdf`` were joined as ``…/files/a.pdf``: the link
    lost the folder the catalog is published in."""
    (tmp_path / "list.yaml").write_text(
        "- id: a\n  title: A\n  attachments: [files/a.pdf]\n", encoding="utf-8"
    )
    config = write_config(
        f'[[sources]]\nid = "mat"\nkind = "catalog"\npath = "{tmp_path / "list.yaml"}"\n'
        'attachments_url = "https://x.example.org/materials"\n'
    )
    (item,) = _parse(make_context(config))
    assert [m.url for m in item.media] == ["https://x.example.org/materials/files/a.pdf"]


def test_links_in_a_body_lead_to_the_files_beside_it(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A note's body that links to its PDF or shows its map (``files/x.pdf``) was read
    against the item's own page on another site, a link that leads nowhere, while the
    same path as an attachment was published at ``attachments_url``. With the catalog
    folder published, a body's relative links are read from where its file is there."""
    folder = tmp_path / "catalog"
    (folder / "kobe").mkdir(parents=True)
    (folder / "top.md").write_text(
        "---\nid: top\ntitle: Top\nurl: https://tdlc.example.org/notes/top\n---\n"
        "Read [the note](files/x.pdf) and see ![the map](files/map.png).\n",
        encoding="utf-8",
    )
    (folder / "kobe" / "drill.md").write_text(
        "---\nid: drill\ntitle: Drill\nurl: https://tdlc.example.org/notes/drill\n---\n"
        "The [plan](plan.pdf#page=2) and [the city's page](https://www.city.kobe.lg.jp/).\n",
        encoding="utf-8",
    )
    items = {i.id: i for i in _parse(make_context(_catalog(tmp_path, write_config, "catalog")))}
    top, drill = items["mat:top"].content_html, items["mat:drill"].content_html
    assert 'href="https://materials.example.org/files/x.pdf"' in top
    assert 'src="https://materials.example.org/files/map.png"' in top
    assert 'href="https://materials.example.org/kobe/plan.pdf#page=2"' in drill
    assert 'href="https://www.city.kobe.lg.jp/"' in drill


def test_a_url_written_as_a_path_is_where_the_catalog_is_published(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """Hugo's front matter gives a page's address as a path (``url: /news/kobe-drill/``):
    such a note had no link, and was dropped (no-link). It is read from where the catalog
    is published, as a link in its body is; a url with its scheme stays as written."""
    folder = tmp_path / "catalog"
    (folder / "kobe").mkdir(parents=True)
    note = "---\ntitle: {title}\nurl: {url}\n---\nBody\n"
    (folder / "kobe" / "drill.md").write_text(note.format(title="Drill", url="/news/drill/"))
    (folder / "kobe" / "plan.md").write_text(note.format(title="Plan", url="./plan/"))
    (folder / "visit.md").write_text(note.format(title="Visit", url="mailto:a@x.example.org"))
    (folder / "city.md").write_text(note.format(title="City", url="www.city.kobe.lg.jp/x"))
    items = {
        i.title: i.url for i in _parse(make_context(_catalog(tmp_path, write_config, "catalog")))
    }
    assert items == {
        "Drill": "https://materials.example.org/news/drill/",
        "Plan": "https://materials.example.org/kobe/plan/",
        "Visit": "mailto:a@x.example.org",  # (left to the checks of every item's link)
        "City": "www.city.kobe.lg.jp/x",  # a site's address without its scheme: no path
    }


def test_a_date_that_is_no_day_leaves_the_entry_undated(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """YAML reads ``2026-13-45`` without quotes as a timestamp, and building it failed the
    whole catalog as "unexpected error: ValueError: month must be in 1..12". It is text
    now, as in quotes: no date, and the entry stays."""
    (tmp_path / "list.yaml").write_text(
        "- {id: a, url: 'https://x.example.org/a', title: A, published: 2026-13-45}\n"
        "- {id: b, url: 'https://x.example.org/b', title: B, published: 2026-11-23}\n",
        encoding="utf-8",
    )
    first, second = _parse(make_context(_catalog(tmp_path, write_config, "list.yaml")))
    assert first.published is None
    assert second.published is not None
    assert second.published.date().isoformat() == "2026-11-23"


def test_dates_as_excel_and_editors_write_them_are_dates(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """Excel on a Japanese Windows saves a date cell in a CSV as ``2026/11/26`` (with its
    time, ``2026/11/5 14:30``); editors write ``2026年11月26日``. None of them was read:
    every such entry was undated. A date in numbers day or month first is read in the
    entry's language (``26/11/2026`` in ``en-GB``, ``11/26/2026`` in ``en-US``). A cell
    formatted as a number is saved as its day number (``46352``): it was undated too."""
    (tmp_path / "list.csv").write_text(
        "id,title,url,published,updated,language\n"
        "a,A,https://x.example.org/a,2026/11/26,,ja\n"
        "b,B,https://x.example.org/b,2026/11/5 14:30,2026年11月20日,ja\n"
        "c,C,https://x.example.org/c,26/11/2026,,en-GB\n"
        "d,D,https://x.example.org/d,11/26/2026,,en-US\n"
        "e,E,https://x.example.org/e,26/11/2026,,\n"
        "f,F,https://x.example.org/f,46352,46352.5,ja\n"
        "g,G,https://x.example.org/g,123456,,ja\n",
        encoding="utf-8",
    )
    items = {i.id: i for i in _parse(make_context(_catalog(tmp_path, write_config, "list.csv")))}
    assert items["mat:a"].published == datetime(2026, 11, 26, tzinfo=UTC)
    assert items["mat:a"].published_precision == "day"
    assert items["mat:b"].published == datetime(2026, 11, 5, 5, 30, tzinfo=UTC)  # 14:30 JST
    assert items["mat:b"].updated == datetime(2026, 11, 20, tzinfo=UTC)
    assert items["mat:c"].published == datetime(2026, 11, 26, tzinfo=UTC)
    assert items["mat:d"].published == datetime(2026, 11, 26, tzinfo=UTC)
    assert items["mat:e"].published is None  # no language says which number is the day
    # A cell formatted as a number: the spreadsheet's day number (and its time of day).
    assert items["mat:f"].published == datetime(2026, 11, 26, tzinfo=UTC)
    assert items["mat:f"].updated == datetime(2026, 11, 26, 3, tzinfo=UTC)  # 12:00 JST
    assert items["mat:g"].published is None  # no day number


def test_values_are_text_as_the_editor_wrote_them(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """YAML 1.1 reads ``0123`` as the octal number 83, ``no`` as false, ``yes`` as true and
    ``1_000`` as 1000: an entry's id, language and title changed under its editor. A
    catalog's fields are text, as a CSV gives them; dates are still dates."""
    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "note.md").write_text(
        "---\nid: 0123\nurl: https://x.example.org/0123\ntitle: yes\nlanguage: no\n"
        "summary: 1_000\ncategories: [on, 1:30, 0x1F, 1.50, =]\npublished: 2026-11-23\n---\nBody\n",
        encoding="utf-8",
    )
    (item,) = _parse(make_context(_catalog(tmp_path, write_config, "cat")))
    assert item.id == "mat:0123"
    assert (item.title, item.language, item.summary) == ("yes", "no", "1_000")
    assert item.categories == ("on", "1:30", "0x1F", "1.50", "=")
    assert item.published == datetime(2026, 11, 23, tzinfo=UTC)


def test_a_json_list_of_entries_is_read_as_a_yaml_one(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A list of entries exported as JSON (a CMS, Airtable, PHP's ``json_encode``, which
    writes ``\\/`` for ``/``): the source failed with "use .md, .markdown, .yaml, .yml or
    .csv". It is read as a YAML list is, each value as written (``"id": 7`` is ``7``)."""
    (tmp_path / "list.json").write_text(
        '\ufeff{"items": [{"id": 7, "title": "Toyama \\/ Kobe notes", "url": '
        '"https:\\/\\/x.example.org\\/7", "published": "2026-11-01", "draft": false, '
        '"categories": [2026, true]}]}',
        encoding="utf-8",
    )
    (item,) = _parse(make_context(_catalog(tmp_path, write_config, "list.json")))
    assert (item.id, item.title, item.url) == (
        "mat:7", "Toyama / Kobe notes", "https://x.example.org/7",
    )  # fmt: skip
    assert item.published == datetime(2026, 11, 1, tzinfo=UTC)
    assert item.categories == ("2026", "true")


@pytest.mark.parametrize(
    ("name", "body", "said"),
    [
        ("list.xlsx", b"PK\x03\x04", "list.xlsx: a spreadsheet's own format is not read; save it "
         "as CSV UTF-8 (Excel: File > Save As > CSV UTF-8)"),
        ("feed.json", b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
         'feed.json: a JSON Feed; read it with kind = "feed"'),
        ("list.json", b'[{"title": "A",}]', "list.json: invalid JSON: "),
        ("list.json", b'["A", "B"]', "list.json: every entry must be a mapping of fields"),
    ],
)  # fmt: skip
def test_a_file_that_is_no_catalog_says_what_to_do(
    name: str,
    body: bytes,
    said: str,
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
) -> None:
    """An Excel workbook given as the catalog: `check` passed it and every run failed with
    "use .md, .markdown, .yaml, .yml or .csv"; `check` says to save it as CSV now. A JSON
    Feed is for the feed kind."""
    (tmp_path / name).write_bytes(body)
    config = _catalog(tmp_path, write_config, name)
    with pytest.raises(ParseError) as failed:
        _parse(make_context(config))
    assert str(failed.value.message).startswith(said)
    result = CliRunner().invoke(cli, ["--config", str(config), "check"])
    assert (result.exit_code, f"path: {said}" in result.stderr) == (
        (2, True) if name.endswith(".xlsx") else (0, False)
    )


def test_try_says_why_an_entry_may_be_undated(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """An entry dated 26/11/2026 in a source without a language showed `undated` in
    `try`, and nothing said why (the html kind's `try` says it)."""
    (tmp_path / "list.csv").write_text(
        "id,title,url,published\nn1,Guide,https://x.example.org/n1,26/11/2026\n"
    )
    config = write_config('[[sources]]\nid = "mat"\nkind = "catalog"\npath = "list.csv"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "try", "mat"])
    assert result.exit_code == 0, result.output
    assert "1 of 1 item undated: an entry's published" in result.output
    assert 'language = "en-GB"' in result.output


def test_a_japanese_bodys_emphasis_next_to_punctuation_is_emphasis(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A catalog's bodies were read by CommonMark's rule alone, which takes ``**`` next to
    punctuation for emphasis only where a space stands on its other side: Japanese puts
    none, and the item showed its asterisks (the digest's intros were read right)."""
    (tmp_path / "toyama.md").write_text(
        '---\ntitle: 富山市の公共交通\nurl: "https://x.example.org/toyama"\n---\n\n'
        "今週は**「コンパクトシティ」**を紹介します。**富山市。**次は<b>神戸市</b>。\n",
        encoding="utf-8",
    )
    (note,) = _parse(make_context(_catalog(tmp_path, write_config, ".")))
    assert note.content_html == (
        "<p>今週は<strong>「コンパクトシティ」</strong>を紹介します。<strong>富山市。</strong>"
        "次は&lt;b&gt;神戸市&lt;/b&gt;。</p>\n"
    )


def test_hugos_toml_front_matter_is_read(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """Hugo writes a page's fields in TOML between ``+++`` lines: such a file was read as
    a body without fields, and dropped (no-title)."""
    (tmp_path / "kobe.md").write_text(
        '+++\ntitle = "Kobe drill guide"\ndate = 2026-11-26T10:00:00+09:00\n'
        'url = "https://x.example.org/kobe"\nauthors = ["Tanaka Aiko"]\n+++\n\nThe **guide**.\n',
        encoding="utf-8",
    )
    (note,) = _parse(make_context(_catalog(tmp_path, write_config, ".")))
    assert (note.title, note.url) == ("Kobe drill guide", "https://x.example.org/kobe")
    assert note.published == datetime(2026, 11, 26, 1, tzinfo=UTC)
    assert note.authors == ("Tanaka Aiko",)
    assert note.content_html == "<p>The <strong>guide</strong>.</p>\n"
    (tmp_path / "kobe.md").write_text('+++\ntitle = "Kobe\n+++\nbody\n', encoding="utf-8")
    with pytest.raises(ParseError, match=r"kobe\.md: invalid TOML front matter"):
        _parse(make_context(_catalog(tmp_path, write_config, ".")))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # YAML closed by its end of a document, as Jekyll and Pandoc accept
        ("dots.md", "---\ntitle: Kobe drill guide\nurl: {url}\n...\nThe guide.\n"),
        # Hugo's JSON front matter
        ("json.md", '{{\n "title": "Kobe drill guide",\n "url": "{url}"\n}}\nThe guide.\n'),
        # lines ended in CRLF (Windows), a space after the fences
        ("crlf.md", "--- \r\ntitle: Kobe drill guide\r\nurl: {url}\r\n--- \r\nThe guide.\r\n"),
    ],
    ids=["yaml-dots", "json", "crlf"],
)
def test_front_matter_as_static_site_generators_close_it(
    tmp_path: Path,
    write_config: Callable[..., Path],
    make_context: Callable[[Path], Context],
    name: str,
    text: str,
) -> None:
    """A note's fields closed by ``...``, or written as Hugo's JSON object, were read as a
    body without fields: the note was dropped (no-title)."""
    (tmp_path / name).write_text(text.format(url="https://x.example.org/kobe"), "utf-8")
    (note,) = _parse(make_context(_catalog(tmp_path, write_config, ".")))
    assert (note.title, note.url) == ("Kobe drill guide", "https://x.example.org/kobe")
    assert note.content_html == "<p>The guide.</p>\n"


def test_a_body_that_opens_with_a_brace_is_a_body(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A Hugo shortcode, a line that only opens with a JSON object, or arrays nested past
    what the JSON reader follows (it raised RecursionError), is no front matter."""
    nested = '{"a": ' + "[" * 20_000
    for name, first in (
        ("a.md", "{{< figure >}}"),
        ("b.md", '{"a": 1} and more'),
        ("c.md", nested),
    ):
        (tmp_path / name).write_text(f"{first}\n\nThe guide.\n", "utf-8")
    notes = _parse(make_context(_catalog(tmp_path, write_config, ".")))
    assert [(note.title, note.url) for note in notes] == [("", "")] * 3
    assert [note.content_html.split("\n")[0] for note in notes[:2]] == [
        "<p>{{&lt; figure &gt;}}</p>",
        '<p>{"a": 1} and more</p>',
    ]
    assert notes[2].content_html.startswith('<p>{"a": [[[')


def test_a_tab_after_a_keys_colon_is_a_blank_as_jekyll_reads_it(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """``title:<TAB>Kobe drill`` in a note's front matter: Jekyll (libyaml) reads it, and
    PyYAML's own scanner refused it ("found character '\\t' that cannot start any
    token"): the whole catalog failed. It is read now; a tab that indents a key is still
    an error that names the file."""
    (tmp_path / "kobe.md").write_text(
        "---\ntitle:\tKobe drill\ndate:\t2026-11-26\nurl: https://x.example.org/k\n---\nText\n",
        encoding="utf-8",
    )
    (note,) = _parse(make_context(_catalog(tmp_path, write_config, ".")))
    assert (note.title, note.published) == ("Kobe drill", datetime(2026, 11, 26, tzinfo=UTC))
    (tmp_path / "kobe.md").write_text("---\ntitle: a\n\tdate: 2026\n---\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"kobe\.md: invalid YAML"):
        _parse(make_context(_catalog(tmp_path, write_config, ".")))


def test_a_jekyll_posts_folder_is_read_with_its_posts_days(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """Jekyll names a new post ``2026-11-26-kobe-drill.markdown``: a folder of such posts
    gave no item (a ``.markdown`` file was taken for an attachment), and a post whose day
    is only in its name (as Jekyll and Eleventy date it) was undated."""
    note = "---\ntitle: {title}\nurl: https://x.example.org/{title}\n{date}---\nBody\n"
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / "2026-11-26-kobe-drill.markdown").write_text(note.format(title="drill", date=""))
    (posts / "2026-11-20-visit.md").write_text(note.format(title="visit", date=""))
    (posts / "2026-11-01-plan.md").write_text(note.format(title="plan", date="date: 2026-11-03\n"))
    (posts / "notes.md").write_text(note.format(title="notes", date=""))
    (posts / "2026-2-5-zeroes.md").write_text(note.format(title="zeroes", date=""))  # as Jekyll
    items = {i.title: i for i in _parse(make_context(_catalog(tmp_path, write_config, ".")))}
    assert set(items) == {"drill", "visit", "plan", "notes", "zeroes"}
    assert items["zeroes"].published == datetime(2026, 2, 5, tzinfo=UTC)  # was undated
    assert items["drill"].published == datetime(2026, 11, 26, tzinfo=UTC)
    assert items["drill"].id == "mat:2026-11-26-kobe-drill"
    assert items["visit"].published == datetime(2026, 11, 20, tzinfo=UTC)
    assert items["plan"].published == datetime(2026, 11, 3, tzinfo=UTC)  # its own date wins
    assert items["notes"].published is None
    assert not [m for i in items.values() for m in i.media]  # no post taken for a file


def test_hugo_and_jekyll_front_matter_names_are_read(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """A Hugo or Jekyll content folder names its fields otherwise (``description``,
    ``lastmod``, ``author``, ``tags``, ``image``, ``lang``): such a note had no summary,
    no author, no update and no labels. The catalog's own names still win."""
    (tmp_path / "drill.md").write_text(
        '+++\ntitle = "Drill"\ndate = 2026-11-26\nlastmod = 2026-11-30T10:00:00+09:00\n'
        'description = "How Kobe drills."\nauthor = "Tanaka Aiko"\ntags = ["drills", "Kobe"]\n'
        'image = "https://x.example.org/drill.jpg"\nlang = "ja"\n'
        'url = "https://x.example.org/drill"\n+++\nBody\n',
        encoding="utf-8",
    )
    (tmp_path / "visit.md").write_text(
        "---\ntitle: Visit\nurl: https://x.example.org/visit\nsummary: Our own words.\n"
        "description: The site's words.\nexcerpt: An excerpt.\nauthor:\n  name: Cruz Maria\n"
        "categories: [Visits]\ntags: site-visit\n---\nBody\n",
        encoding="utf-8",
    )
    (tmp_path / "plan.md").write_text(  # Jekyll's one category, a year here (was none)
        "---\ntitle: Plan\nurl: https://x.example.org/plan\ncategory: 2026\n---\nBody\n"
    )
    items = {i.title: i for i in _parse(make_context(_catalog(tmp_path, write_config, ".")))}
    drill, visit = items["Drill"], items["Visit"]
    assert (drill.summary, drill.authors) == ("How Kobe drills.", ("Tanaka Aiko",))
    assert drill.updated == datetime(2026, 11, 30, 1, tzinfo=UTC)
    assert (drill.categories, drill.language) == (("drills", "Kobe"), "ja")
    assert drill.thumbnail == "https://x.example.org/drill.jpg"
    assert (visit.summary, visit.authors) == ("Our own words.", ("Cruz Maria",))
    assert visit.categories == ("Visits", "site-visit")
    assert items["Plan"].categories == ("2026",)


def test_an_entry_of_a_later_date_waits_for_it(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """An editor schedules a note by its date (as Hugo and Jekyll hold a post dated later
    until that day): it was published at once, undated (its date, still to come, dropped
    as absurd). It waits, withheld, and the first run after its day (in the source's zone)
    publishes it with its date, though no file changed."""
    note = "---\ntitle: {title}\nurl: https://x.example.org/{name}\npublished: '{day}'\n---\nB\n"
    folder = tmp_path / "notes"  # (not the settings' folder, whose store changes)
    folder.mkdir()
    (folder / "now.md").write_text(note.format(title="Now", name="now", day="2026-11-20"))
    (folder / "later.md").write_text(note.format(title="Later", name="later", day="2026-12-01"))
    moment = [datetime(2026, 11, 26, 12, tzinfo=UTC)]
    config = _catalog(tmp_path, write_config, "notes")
    ctx = Context.create(load_settings(config), clock=lambda: moment[0])
    try:
        report, stored = run_one(ctx, "mat")
        assert report.status == "ok", report.error
        assert [s.item.title for s in stored.values()] == ["Now"]  # "Later" withheld
        moment[0] = datetime(2026, 11, 30, 14, 59, tzinfo=UTC)  # 23:59 in Tokyo: not yet
        report, stored = run_one(ctx, "mat")
        assert report.status == "not_modified"
        moment[0] = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # midnight in Tokyo
        report, stored = run_one(ctx, "mat")
        assert report.status == "ok", report.error
        later = stored["mat:later"]
        assert later.retracted is None
        assert later.item.published == datetime(2026, 12, 1, tzinfo=UTC)
        report, _ = run_one(ctx, "mat")
        assert report.status == "not_modified"  # nothing waits any more
    finally:
        ctx.http.close()


def test_hugos_publish_and_expiry_dates_hold_and_withdraw_an_entry(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """Hugo shows a page from its ``publishDate`` (its ``date`` may be earlier) and stops
    at its ``expiryDate``: an event's notice kept in the feeds after it expired. Each
    takes effect on the first run after its time, though no file changed."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "notice.md").write_text(
        "---\ntitle: Notice\nurl: https://x.example.org/n\ndate: 2026-11-01\n"
        "expiryDate: 2026-11-28\n---\nB\n"
    )
    (folder / "launch.md").write_text(
        "+++\ntitle = 'Launch'\nurl = 'https://x.example.org/l'\ndate = 2026-11-01\n"
        "publishdate = 2026-11-27T10:00:00+09:00\n+++\nB\n"
    )
    moment = [datetime(2026, 11, 26, 12, tzinfo=UTC)]
    ctx = Context.create(
        load_settings(_catalog(tmp_path, write_config, "notes")), clock=lambda: moment[0]
    )
    try:
        _, stored = run_one(ctx, "mat")
        assert [s.item.title for s in stored.values() if s.retracted is None] == ["Notice"]
        moment[0] = datetime(2026, 11, 27, 1, tzinfo=UTC)  # 10:00 in Tokyo: the launch
        _, stored = run_one(ctx, "mat")
        shown = sorted(s.item.title for s in stored.values() if s.retracted is None)
        assert shown == ["Launch", "Notice"]
        assert stored["mat:launch"].item.published == datetime(2026, 11, 1, tzinfo=UTC)
        moment[0] = datetime(2026, 11, 27, 15, tzinfo=UTC)  # the 28th in Tokyo
        _, stored = run_one(ctx, "mat")
        assert [s.item.title for s in stored.values() if s.retracted is None] == ["Launch"]
        assert "expired on 2026-11-28 00:00" in str(stored["mat:notice"].retracted)
    finally:
        ctx.http.close()


def test_an_entry_marked_as_a_draft_is_withdrawn_not_published(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """``draft: true`` (Hugo's, Jekyll's, Eleventy's mark) or Jekyll's ``published:
    false`` was ignored: a note an editor kept back was published. It is withdrawn now,
    also when it was published before it was marked."""
    note = "---\ntitle: {title}\nurl: https://x.example.org/{name}\n{mark}---\nBody\n"
    for name, mark in (("plan", ""), ("kept", "draft: true\n"), ("jekyll", "published: false\n")):
        (tmp_path / f"{name}.md").write_text(note.format(title=name, name=name, mark=mark))
    ctx = make_context(_catalog(tmp_path, write_config, "."))
    report, stored = run_one(ctx, "mat")
    assert report.status == "ok", report.error
    assert [s.item.title for s in stored.values() if s.retracted is None] == ["plan"]
    (tmp_path / "plan.md").write_text(note.format(title="plan", name="plan", mark="draft: yes\n"))
    os.utime(tmp_path / "plan.md", (time.time() + 5, time.time() + 5))
    _, stored = run_one(ctx, "mat")
    assert stored["mat:plan"].retracted is not None
