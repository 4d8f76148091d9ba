"""The weekly digest over a store spanning three weeks, with a fixed clock: who belongs to
which issue, overrides, empty and held weeks, permanence, pages and the feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree, html
from tests_support import invoke, sample_item

from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.outputs.lint import lint_atom
from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.digest import DigestError, parse_week, read_intro, week_bounds
from tdlc_syndication.pipeline.lock import SERVICE, StoreLock
from tdlc_syndication.pipeline.model import Event, StoredItem
from tdlc_syndication.pipeline.store import Store
from tdlc_syndication.pipeline.weekly import WeekResult, due_weeks, publish_week

TOKYO = "Asia/Tokyo"
ATOM = "{http://www.w3.org/2005/Atom}"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def put(store: Store, name: str, first_seen: str, published: str | None, **changes: object) -> str:
    item_id = f"blog:{name}"
    fields: dict[str, object] = {
        "id": item_id,
        "title": f"Material {name}",
        "url": f"https://example.org/{name}",
        "published": at(published) if published else None,
        "published_precision": "datetime" if published else None,
        **changes,
    }
    item = sample_item(**fields)
    seen = at(first_seen)
    with store.transaction():
        store.put_item(
            StoredItem(
                item=item, first_seen=seen, last_seen=seen, last_changed=seen,
                content_hash=f"hash-{name}",
            )
        )  # fmt: skip
    return item_id


@pytest.fixture
def digest_config(tmp_path: Path, write_config: Callable[..., Path]) -> Path:
    (tmp_path / "intros").mkdir()
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(
        '[[items]]\nid = "blog:hidden"\nhide = true\n'
        '[[items]]\nid = "blog:pinned"\npin = true\ntitle = "The editors\' pick"\n',
        encoding="utf-8",
    )
    return write_config(
        "",
        extra=f'[editorial]\noverrides = "{overrides}"\n'
        f'[digest]\neditorial_dir = "{tmp_path / "intros"}"\nhighlights = 2\n',
    )


def context(config: Path, now: str) -> Context:
    return Context.create(load_settings(config), clock=lambda: at(now))


@pytest.fixture
def three_weeks(digest_config: Path, tmp_path: Path) -> Path:
    with Store(tmp_path / "store.db") as store:
        # Week 47 (Mon 16 Nov - Sun 22 Nov in Tokyo)
        put(store, "w47", "2026-11-17T12:00+09:00", "2026-11-17T10:00+09:00")
        # Sunday 23:30 in Tokyo is still week 47 there (Sunday 14:30 UTC)
        put(store, "sunday-late", "2026-11-22T23:40+09:00", "2026-11-22T23:30+09:00")
        # Week 48
        put(store, "w48", "2026-11-24T09:00+09:00", "2026-11-24T08:00+09:00", kind="article")
        put(store, "pinned", "2026-11-25T09:00+09:00", "2026-11-25T08:00+09:00", kind="article")
        put(store, "hidden", "2026-11-25T10:00+09:00", "2026-11-25T09:00+09:00")
        put(store, "undated", "2026-11-26T10:00+09:00", None)
        put(
            store,
            "event",
            "2026-11-26T11:00+09:00",
            "2026-11-26T10:00+09:00",
            kind="event",
            event=Event(start=at("2026-12-10T15:00+09:00"), end=at("2026-12-10T17:00+09:00"),
                        location="Yokohama"),
        )  # fmt: skip
        # Straddling midnight: Sunday 29 Nov 16:30 UTC is Monday 30 Nov 01:30 in Tokyo:
        # week 49 there, week 48 in UTC.
        put(store, "straddle", "2026-11-29T16:40Z", "2026-11-29T16:30Z")
        # Week 49
        put(store, "w49", "2026-12-01T09:00+09:00", "2026-12-01T08:00+09:00")
    return digest_config


def members(store: Store, week: str) -> set[str]:
    record = store.issue(week)
    assert record is not None
    return {m.removeprefix("blog:") for m in record.members}


def test_each_issue_has_exactly_its_items(three_weeks: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "store.db") as store:
        # Week 47 goes out on Monday 23 Nov (after it ended).
        publish_week(context(three_weeks, "2026-11-23T09:00+09:00"), store, "2026-W47")
        # A back-catalogue find: dated in week 47, first seen after week 47's issue.
        put(store, "late-find", "2026-11-27T10:00+09:00", "2026-11-18T10:00+09:00")
        publish_week(context(three_weeks, "2026-11-30T09:00+09:00"), store, "2026-W48")
        publish_week(context(three_weeks, "2026-12-07T09:00+09:00"), store, "2026-W49")
        assert members(store, "2026-W47") == {"w47", "sunday-late"}
        assert members(store, "2026-W48") == {"w48", "pinned", "undated", "event", "late-find"}
        assert members(store, "2026-W49") == {"straddle", "w49"}
        # Every item in exactly one issue; the hidden one in none.
        weeks = [members(store, w) for w in ("2026-W47", "2026-W48", "2026-W49")]
        everything = set().union(*weeks)
        assert sum(len(w) for w in weeks) == len(everything)
        assert "hidden" not in everything
    page = (tmp_path / "public" / "digest" / "2026-W48" / "index.html").read_text("utf-8")
    tree = html.fromstring(page)
    highlights = tree.xpath("//h2[@id='highlights']/following-sibling::ol[1]//h3")
    assert highlights[0].text_content() == "The editors' pick"  # pinned first, overridden
    headings = [h.text_content() for h in tree.xpath("//h2")]
    assert "Upcoming events" in headings
    assert "2026-12-10 15:00–17:00 JST" in page
    assert "Yokohama" in page


def test_a_back_catalogue_dated_by_year_or_month_is_not_a_weeks_news(
    three_weeks: Path, tmp_path: Path
) -> None:
    """A source of reports dated by year (an OKR collection: "2019") put its whole back
    catalogue in the issue of the week it was added, as one dated by day does not (its
    week's issue never went out: it is not news). A year or a month is news the week it
    was found while it lasts, or when an issue of its time went out before the find."""
    with Store(tmp_path / "store.db") as store:
        publish_week(context(three_weeks, "2026-11-23T09:00+09:00"), store, "2026-W47")
        found = "2026-11-25T10:00+09:00"  # week 48
        put(store, "report-2019", found, "2019-01-01T00:00Z", published_precision="year")
        put(store, "report-1998", found, "1998-03-02T00:00Z", published_precision="day")
        put(store, "note-oct", found, "2026-10-01T00:00Z", published_precision="month")
        put(store, "note-nov", found, "2026-11-01T00:00Z", published_precision="month")
        put(store, "this-year", found, "2026-01-01T00:00Z", published_precision="year")
        put(store, "next-year", found, "2027-01-01T00:00Z", published_precision="year")
        publish_week(context(three_weeks, "2026-11-30T09:00+09:00"), store, "2026-W48")
        assert members(store, "2026-W48") == {
            "w48", "pinned", "undated", "event",  # as before
            "note-nov", "this-year", "next-year",  # their month or year lasts
        }  # fmt: skip
        # November is over in week 50, but week 47's issue went out in it before this
        # find: a late find, news the week it was found.
        publish_week(context(three_weeks, "2026-12-07T09:00+09:00"), store, "2026-W49")
        put(store, "late-nov", "2026-12-08T10:00+09:00", "2026-11-01T00:00Z",
            published_precision="month")  # fmt: skip
        publish_week(context(three_weeks, "2026-12-14T09:00+09:00"), store, "2026-W50")
        assert members(store, "2026-W50") == {"late-nov"}


def test_permanent_issues_and_republish(three_weeks: Path, tmp_path: Path) -> None:
    ctx = context(three_weeks, "2026-11-30T09:00+09:00")
    with Store(tmp_path / "store.db") as store:
        publish_week(ctx, store, "2026-W48")
        page = tmp_path / "public" / "digest" / "2026-W48" / "index.html"
        first = page.read_bytes()
        put(store, "later", "2026-11-30T10:00+09:00", "2026-11-27T09:00+09:00")
        with pytest.raises(DigestError, match="--republish"):
            publish_week(ctx, store, "2026-W48")
        assert page.read_bytes() == first
        # The late item is not lost: it goes to the week it was found.
        publish_week(context(three_weeks, "2026-12-07T09:00+09:00"), store, "2026-W49")
        assert "later" in members(store, "2026-W49")
        publish_week(ctx, store, "2026-W48", republish=True)
        assert "later" not in members(store, "2026-W48")  # never in two issues
        with pytest.raises(DigestError, match="not over"):
            publish_week(ctx, store, "2026-W49")
        with pytest.raises(DigestError, match="not an ISO week"):
            parse_week("2026-48")


@pytest.mark.parametrize(
    ("week", "says"),
    [
        # The calendar's last weeks ended `digest` with an OverflowError traceback.
        ("9999-W52", "9999-W52 is out of range: a digest's year is 1900-9998"),
        ("0000-W01", "0000-W01 is out of range: a digest's year is 1900-9998"),
        ("2026-W54", "2026-W54 does not exist: 2026 has weeks 01 to 53"),
        ("2027-W53", "2027-W53 does not exist: 2027 has weeks 01 to 52"),
    ],
)
def test_a_week_that_cannot_be_is_one_line(
    three_weeks: Path, tmp_path: Path, week: str, says: str
) -> None:
    result = CliRunner().invoke(cli, ["--config", str(three_weeks), "digest", "--week", week])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {says}"
    assert not (tmp_path / "public" / "digest").exists()
    for last in ("9998-W52", "1900-W01"):
        assert parse_week(last) == last


def test_empty_and_held_weeks(three_weeks: Path, tmp_path: Path) -> None:
    ctx = context(three_weeks, "2026-12-21T09:00+09:00")
    intro = tmp_path / "intros" / "2026-W49.md"
    intro.write_text("---\nhold: true\n---\nNot yet.\n", encoding="utf-8")
    with Store(tmp_path / "store.db") as store:
        assert publish_week(ctx, store, "2026-W49").outcome == "held"
        assert store.issue("2026-W49") is None
        # Saved by a Windows editor: a byte-order mark, CRLF line ends.
        intro.write_bytes(
            "\ufeff---\r\ntitle: 12月のパートナー\r\nhold: false\r\n---\r\n"
            "A *busy* week.\r\n".encode()
        )
        draft = publish_week(ctx, store, "2026-W49", preview=True)
        assert draft.outcome == "previewed"
        assert draft.folder is not None
        assert "<h1>12月のパートナー</h1>" in (draft.folder / "index.html").read_text("utf-8")
        intro.write_bytes("---\ntitle: 12月\n---\n".encode("cp932"))
        with pytest.raises(DigestError, match=r"2026-W49.md: not UTF-8 text \(line 2 has"):
            publish_week(ctx, store, "2026-W49")
        intro.write_text("---\ntitle: Partners in December\n---\nA *busy* week.\n")
        assert publish_week(ctx, store, "2026-W49").outcome == "published"
        page = (tmp_path / "public" / "digest" / "2026-W49" / "index.html").read_text("utf-8")
        assert "<h1>Partners in December</h1>" in page
        assert "<em>busy</em>" in page
        # An empty week: a short notice by default...
        assert publish_week(ctx, store, "2026-W50").outcome == "published"
        empty = (tmp_path / "public" / "digest" / "2026-W50" / "index.html").read_text("utf-8")
        assert "No new materials were published this week." in empty
    # ...or nothing, when the settings say so.
    config = three_weeks.read_text("utf-8").replace("highlights = 2", 'empty_week = "skip"')
    three_weeks.write_text(config, encoding="utf-8")
    with Store(tmp_path / "store.db") as store:
        result = publish_week(context(three_weeks, "2026-12-21T09:00+09:00"), store, "2026-W51")
        assert result.outcome == "empty"
        assert store.issue("2026-W51") is None


def test_a_week_before_anything_was_gathered_has_no_empty_issue(
    digest_config: Path, tmp_path: Path
) -> None:
    """A new site's service publishes the last finished week at its start: for a week
    that ended before its first items were found, that was a "No new materials" issue,
    the first thing its readers got (and mailed, with `send`). Such a week with nothing
    in it has no issue; one with items published in it (found later) has its issue."""
    with Store(tmp_path / "store.db") as store:
        started = context(digest_config, "2026-12-02T12:00+09:00")  # first run: week 49
        assert due_weeks(started, store) == ["2026-W48"]
        assert publish_week(started, store, "2026-W48", chosen_week=True).outcome == "unwatched"
        put(store, "first", "2026-12-02T12:00+09:00", "2026-12-01T10:00+09:00")
        result = publish_week(started, store, "2026-W48", chosen_week=True)
        assert (result.outcome, store.issue("2026-W48")) == ("unwatched", None)
        assert not (tmp_path / "public" / "digest").exists()
        put(store, "late", "2026-12-02T12:00+09:00", "2026-11-27T10:00+09:00")  # in week 48
        result = publish_week(started, store, "2026-W48", chosen_week=True)
        assert (result.outcome, result.items) == ("published", 1)
        # Once the archive began, an empty week is a notice as before.
        later = context(digest_config, "2026-12-21T09:00+09:00")
        assert publish_week(later, store, "2026-W50", chosen_week=True).outcome == "published"


def test_digest_without_a_week_says_the_last_one_was_before_the_archive(
    digest_config: Path, tmp_path: Path
) -> None:
    """``digest`` from cron chooses the last finished week as the service does; a week
    asked for with ``--week`` is published as asked, empty or not."""
    with Store(tmp_path / "store.db") as store:
        put(store, "first", datetime.now(UTC).isoformat(), None)  # the archive begins now
    code, said = invoke(digest_config, "digest")
    assert code == 0, said
    assert "ended before the archive's first items were found, and has none" in said
    assert not (tmp_path / "public" / "digest").exists()
    week = said.split()[0]
    code, said = invoke(digest_config, "digest", "--week", week)
    assert code == 0, said
    assert f"published {week}: 0 items" in said


def test_an_email_past_its_budget_with_nothing_to_leave_out_is_made_whole(
    three_weeks: Path, tmp_path: Path
) -> None:
    """An empty week whose intro alone is past the email's budget (a report pasted in
    whole) has no entry to leave to the page: the draft is made, intro and all (looking
    for the most entries that fit failed on a week with none)."""
    intro = tmp_path / "intros" / "2026-W50.md"
    intro.write_text("A long note. " * 9000, encoding="utf-8")
    with Store(tmp_path / "store.db") as store:
        draft = publish_week(
            context(three_weeks, "2026-12-21T09:00+09:00"), store, "2026-W50", preview=True
        )
    assert draft.outcome == "previewed"
    assert draft.folder is not None
    email = (draft.folder / "email.html").read_text("utf-8")
    assert len(email) > 100_000
    assert "No new materials were published this week." in email
    assert draft.email_left == 0


@pytest.mark.parametrize(
    ("front", "heading"),
    [
        ("title: 1.10", "1.10"),  # a release's number was the heading "1.1"
        ("title: Yes\nhold: no", "Yes"),  # was "True"; hold keeps YAML's no (false)
        ("title: 0123", "0123"),  # was 83, an octal number
        ("title: 12:30", "12:30"),  # was 750, a base-60 number
        ("title: 2026-12-07", "2026-12-07"),
    ],
)
def test_an_intro_title_is_its_words_as_written(
    three_weeks: Path, tmp_path: Path, front: str, heading: str
) -> None:
    settings = load_settings(three_weeks)
    (tmp_path / "intros" / "2026-W49.md").write_text(f"---\n{front}\n---\nHello.\n", "utf-8")
    intro = read_intro(settings, "2026-W49")
    assert intro.title == heading
    assert intro.hold is False
    assert intro.html == "<p>Hello.</p>"


def test_an_intro_front_matter_closed_by_dots_is_read(three_weeks: Path, tmp_path: Path) -> None:
    """YAML's end of a document closes an intro's front matter, as Jekyll and Pandoc
    read it: the week's title and hold were the intro's first lines."""
    settings = load_settings(three_weeks)
    (tmp_path / "intros" / "2026-W49.md").write_text(
        "---\r\ntitle: Kobe week\r\nhold: true\r\n...\r\nHello.\r\n", "utf-8"
    )
    intro = read_intro(settings, "2026-W49")
    assert (intro.title, intro.hold, intro.html) == ("Kobe week", True, "<p>Hello.</p>")


def _intro_html(config: Path, text: str) -> str:
    """The HTML of week 49's intro, written as ``text``."""
    settings = load_settings(config)
    assert settings.digest.editorial_dir is not None
    (settings.digest.editorial_dir / "2026-W49.md").write_text(text, "utf-8")
    return read_intro(settings, "2026-W49").html


def test_an_intro_written_a_sentence_a_line_has_no_space_after_each(three_weeks: Path) -> None:
    # Chromium showed a space after each full stop; Markdown's hard break and code stay.
    html = _intro_html(
        three_weeks,
        "今週は神戸市の防災訓練の資料を紹介します。\n来週はワークショップがあります。\n\n"
        "This week,\nKobe.\n\n改行したい行。  \n次の行。\n\n```\n一行目\n二行目\n```\n",
    )
    assert (
        "<p>今週は神戸市の防災訓練の資料を紹介します。来週はワークショップがあります。</p>" in html
    )
    assert "<p>This week,\nKobe.</p>" in html
    assert "<p>改行したい行。<br>\n次の行。</p>" in html
    assert "<pre><code>一行目\n二行目\n</code></pre>" in html


def test_an_intro_emphasises_japanese_next_to_its_punctuation(three_weeks: Path) -> None:
    # CommonMark showed the asterisks: punctuation next to them counted only with a space
    # on their other side, and Japanese writes none.
    html = _intro_html(
        three_weeks,
        "今週は**「コンパクトシティ」**を紹介します。**富山市。**次は*神戸市*。\n\n"
        "**foo.**bar and a **bold** word.\n",
    )
    assert html.startswith(
        "<p>今週は<strong>「コンパクトシティ」</strong>を紹介します。"
        "<strong>富山市。</strong>次は<em>神戸市</em>。</p>"
    )
    assert "<p>**foo.**bar and a <strong>bold</strong> word.</p>" in html  # as CommonMark


@pytest.mark.parametrize(
    ("front", "says"),
    [
        # A typo of hold published the week its editor held.
        ("hodl: true", "the front matter has no key 'hodl'; it knows title, hold and feature"),
        # Text in quotes, which Python read as true: a week held by mistake.
        ('hold: "false"', "hold must be true or false (no quotes), not 'false'"),
        # A list was published as the heading "['Partners', 'December']".
        ("title: [Partners, December]", "title must be one line of text"),
        # A day that is none, read by YAML as a timestamp: a ValueError traceback.
        ("hold: 2026-02-30", "hold must be true or false (no quotes), not '2026-02-30'"),
        # Aliases that multiply: 9**7 strings in the heading.
        (
            "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\ntitle: [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
            "the front matter has no key 'a', 'b', 'c'",
        ),
    ],
)
def test_front_matter_mistakes_stop_the_week_with_the_fix(
    three_weeks: Path, tmp_path: Path, front: str, says: str
) -> None:
    ctx = context(three_weeks, "2026-12-21T09:00+09:00")
    intro = tmp_path / "intros" / "2026-W49.md"
    intro.write_text(f"---\n{front}\n---\nNot yet.\n", encoding="utf-8")
    with Store(tmp_path / "store.db") as store:
        with pytest.raises(DigestError) as caught:
            publish_week(ctx, store, "2026-W49")
        assert says in str(caught.value)
        assert store.issue("2026-W49") is None
    assert not (tmp_path / "public" / "digest" / "2026-W49").exists()


def test_an_editor_features_earlier_items_in_an_issue(three_weeks: Path, tmp_path: Path) -> None:
    """An editor could not put an earlier material in an issue (a toolkit that fits the
    week's workshop): only what the week brought was in it. The intro's `feature:` names
    items by id or address; they show as "From the archive" on the page, in the feed
    entry and in both parts of the email, and stay members of their own week only. One
    that is the week's own is not listed twice."""
    with Store(tmp_path / "store.db") as store:
        publish_week(context(three_weeks, "2026-11-23T09:00+09:00"), store, "2026-W47")
        (tmp_path / "intros" / "2026-W48.md").write_text(
            '---\nfeature:\n  - "blog:w47"\n  - https://example.org/sunday-late\n'
            '  - "blog:w48"\n---\nTwo from last week.\n',
            encoding="utf-8",
        )
        draft = publish_week(
            context(three_weeks, "2026-11-30T09:00+09:00"), store, "2026-W48", preview=True
        )
        assert (draft.items, draft.featured) == (4, 2)
        email = (tmp_path / "digest-preview" / "2026-W48" / "email.txt").read_text("utf-8")
        archive = email.split("== From the archive ==")[1].split("==")[0]
        assert "Material w47" in archive
        assert "Material sunday-late" in archive
        assert "Material w48" not in archive  # the week's own: listed with its kind
        result = publish_week(context(three_weeks, "2026-11-30T09:00+09:00"), store, "2026-W48")
        assert members(store, "2026-W48") == {"w48", "pinned", "undated", "event"}
        assert members(store, "2026-W47") == {"w47", "sunday-late"}
        assert result.featured == 2
    page = html.fromstring(
        (tmp_path / "public" / "digest" / "2026-W48" / "index.html").read_text("utf-8")
    )
    listed = page.xpath("//h2[@id='archive']/following-sibling::ol[1]//h3/a/@href")
    assert listed == ["https://example.org/w47", "https://example.org/sunday-late"]
    feed = (tmp_path / "public" / "digest" / "feed.atom").read_text("utf-8")
    assert "From the archive" in feed
    code, shown = invoke(three_weeks, "items", "--week", "2026-W48", "--ids")
    assert code == 0
    assert "blog:w48" in shown
    assert "blog:w47" not in shown  # the issue's items are the week's own


def test_an_empty_week_with_featured_items_is_published_under_skip(
    three_weeks: Path, tmp_path: Path
) -> None:
    """A quiet week is when an editor most wants to feature earlier materials: with
    `empty_week = "skip"` the issue was skipped whatever the intro said."""
    three_weeks.write_text(
        three_weeks.read_text("utf-8").replace("[digest]\n", '[digest]\nempty_week = "skip"\n'),
        encoding="utf-8",
    )
    (tmp_path / "intros" / "2026-W50.md").write_text(
        "---\nfeature: blog:w49\n---\nA quiet week.\n", encoding="utf-8"
    )
    with Store(tmp_path / "store.db") as store:
        publish_week(context(three_weeks, "2026-12-07T09:00+09:00"), store, "2026-W49")
        result = publish_week(context(three_weeks, "2026-12-14T09:00+09:00"), store, "2026-W50")
        assert (result.outcome, result.items, result.featured) == ("published", 0, 1)
    page = (tmp_path / "public" / "digest" / "2026-W50" / "index.html").read_text("utf-8")
    assert "No new materials were published this week. Earlier materials are listed" in page
    assert "Material w49" in page


@pytest.mark.parametrize(
    ("feature", "says"),
    [
        ('"blog:nothing"', "feature: no stored item has the id or address 'blog:nothing'"),
        ('"blog:hidden"', "feature: 'blog:hidden' is hidden (overrides)"),
        ("{a: 1}", "feature must be a list of item ids or addresses, one per line"),
        ("[1, 2]", '(- "cpp-blog:https://…"), not [1, 2]'),
    ],
)
def test_a_feature_that_names_no_item_stops_the_week_with_the_fix(
    three_weeks: Path, tmp_path: Path, feature: str, says: str
) -> None:
    intro = tmp_path / "intros" / "2026-W48.md"
    intro.write_text(f"---\nfeature: {feature}\n---\nNot yet.\n", encoding="utf-8")
    with Store(tmp_path / "store.db") as store:
        with pytest.raises(DigestError) as caught:
            publish_week(context(three_weeks, "2026-11-30T09:00+09:00"), store, "2026-W48")
        assert str(caught.value).startswith(f"{intro}: ")
        assert says in str(caught.value)
        assert store.issue("2026-W48") is None
    code, shown = invoke(three_weeks, "digest", "--week", "2026-W48", "--preview")
    assert code != 0
    assert says in shown
    assert "Traceback" not in shown


def test_archive_feed_and_front_page(three_weeks: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "store.db") as store:
        for week, now in (
            ("2026-W47", "2026-11-23T09:00+09:00"),
            ("2026-W48", "2026-11-30T09:00+09:00"),
        ):
            publish_week(context(three_weeks, now), store, week)
    public = tmp_path / "public"
    index = html.fromstring((public / "digest" / "index.html").read_text("utf-8"))
    assert [a.get("href") for a in index.xpath("//main//h3/a")] == [
        "2026-W48/index.html",
        "2026-W47/index.html",
    ]
    feed = etree.fromstring((public / "digest" / "feed.atom").read_bytes())
    self_url = "https://feeds.example.org/test/digest/feed.atom"
    assert lint_atom(feed, self_url) == []
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Week 48, 2026", "Week 47, 2026"]
    content = entries[0].findtext(f"{ATOM}content") or ""
    assert "https://example.org/w48" in content  # the full issue, absolute links
    front = (public / "index.html").read_text("utf-8")
    assert 'href="digest/2026-W48/index.html"' in front


def test_the_digest_feed_holds_the_newest_issues_and_the_list_all(
    three_weeks: Path, tmp_path: Path
) -> None:
    """Every issue in the feed, each with its full content, outgrew ``max_feed_bytes``
    within a few years: lint then kept the old feed, and it stopped changing."""
    three_weeks.write_text(
        three_weeks.read_text("utf-8").replace("[site]\n", "[site]\nfeed_size = 1\n", 1),
        encoding="utf-8",
    )
    with Store(tmp_path / "store.db") as store:
        for week, now in (
            ("2026-W47", "2026-11-23T09:00+09:00"),
            ("2026-W48", "2026-11-30T09:00+09:00"),
        ):
            publish_week(context(three_weeks, now), store, week)
    public = tmp_path / "public" / "digest"
    feed = etree.fromstring((public / "feed.atom").read_bytes())
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles == ["Week 48, 2026"]
    index = html.fromstring((public / "index.html").read_text("utf-8"))
    assert len(index.xpath("//main//h3/a")) == 2


def test_the_daemon_job_publishes_the_due_week_once(three_weeks: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "store.db") as store:
        # Before Monday 09:00 Tokyo, week 48 is not due yet.
        assert due_weeks(context(three_weeks, "2026-11-30T08:59+09:00"), store) == []
        ctx = context(three_weeks, "2026-12-02T12:00+09:00")  # the daemon was down on Monday
        assert due_weeks(ctx, store) == ["2026-W48"]
        publish_week(ctx, store, "2026-W48")
        assert due_weeks(ctx, store) == []  # caught up once, never twice


def test_week_bounds_follow_the_sites_zone() -> None:
    from zoneinfo import ZoneInfo

    start, end = week_bounds("2026-W49", ZoneInfo(TOKYO))
    assert start == at("2026-11-30T00:00+09:00")
    assert end - start == timedelta(days=7)


def test_the_command_line(three_weeks: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--config", str(three_weeks), "digest", "--week", "2026-W48"]
    # A draft while the service holds the store (it did not take it: exit 4 before).
    with StoreLock(tmp_path / "store.db", SERVICE):
        preview = runner.invoke(cli, [*args, "--preview"])
        assert preview.exit_code == 0, preview.output
        assert runner.invoke(cli, args).exit_code == 4  # publishing it does take the store
    drafts = tmp_path / "digest-preview" / "2026-W48"
    assert sorted(p.name for p in drafts.iterdir()) == ["email.html", "email.txt", "index.html"]
    assert not (tmp_path / "public" / "digest").exists()  # a draft is never public
    published = runner.invoke(cli, args)
    assert published.exit_code == 0, published.output
    assert "published 2026-W48" in published.output
    again = runner.invoke(cli, args)
    assert again.exit_code == 2
    assert "--republish" in again.output
    assert runner.invoke(cli, [*args[:3], "--week", "48"]).exit_code == 2


def test_digest_pages_keep_items_languages(three_weeks: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "store.db") as store:
        put(store, "ja", "2026-11-25T09:00+09:00", "2026-11-25T08:00+09:00",
            language="ja", title="富山市のまちづくり")  # fmt: skip
        publish_week(context(three_weeks, "2026-11-30T09:00+09:00"), store, "2026-W48")
    page = html.fromstring(
        (tmp_path / "public" / "digest" / "2026-W48" / "index.html").read_text("utf-8")
    )
    headings = [h for h in page.xpath("//h3") if h.text_content() == "富山市のまちづくり"]
    assert headings
    assert all(h.get("lang") == "ja" for h in headings)


def test_an_intro_title_from_a_word_processor_and_the_digest_feed_under_lint(
    three_weeks: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An intro title with Word's line break (U+000B) made a digest feed that is not XML,
    and nothing checked it: lint looked only under feeds/. The title is now cleaned, and
    the digest feed is linted as every feed is, at publish and by ``syndicate lint``."""
    intros, public = tmp_path / "intros", tmp_path / "public"
    (intros / "2026-W47.md").write_text(
        '---\ntitle: "Partners\\u000b in\\u202e December"\n---\nA *busy* week.\n',
        encoding="utf-8",
    )
    with Store(tmp_path / "store.db") as store:
        publish_week(context(three_weeks, "2026-11-23T09:00+09:00"), store, "2026-W47")
    feed = etree.fromstring((public / "digest" / "feed.atom").read_bytes())  # well-formed
    assert feed.findtext(f"{ATOM}entry/{ATOM}title") == "Partners in December"
    for page in ("digest/2026-W47/index.html", "digest/index.html", "index.html"):
        text = (public / page).read_text("utf-8")
        assert "Partners in December" in text, page
        assert "\x0b" not in text, page
        assert "\u202e" not in text, page
    good = (public / "digest" / "feed.atom").read_bytes()
    # At publish: a digest feed over max_feed_bytes is refused and the old one stays.
    (public / "digest" / "feed.atom").write_bytes(b"old")  # stands for the last good one
    three_weeks.write_text(
        three_weeks.read_text("utf-8").replace("[site]\n", "[site]\nmax_feed_bytes = 10000\n", 1),
        encoding="utf-8",
    )
    (intros / "2026-W48.md").write_text("Long words. " * 1000, encoding="utf-8")
    with Store(tmp_path / "store.db") as store:
        ctx = context(three_weeks, "2026-11-30T09:00+09:00")
        assert publish_week(ctx, store, "2026-W48").outcome == "published"
    assert (public / "digest" / "feed.atom").read_bytes() == b"old"
    assert (public / "digest" / "2026-W48" / "index.html").is_file()
    assert "digest/feed.atom" in caplog.text
    assert "over the 10000-byte limit" in caplog.text
    # And by `syndicate lint` (it logs to the terminal: after the publish's log is read).
    runner = CliRunner()
    (public / "digest" / "feed.atom").write_bytes(good)
    checked = runner.invoke(cli, ["--config", str(three_weeks), "lint"])
    assert checked.exit_code == 0, checked.output
    (public / "digest" / "feed.atom").write_bytes(b"<feed>\x0b</feed>")
    broken = runner.invoke(cli, ["--config", str(three_weeks), "lint"])
    assert broken.exit_code == 1
    assert "digest/feed.atom: contains characters XML forbids" in broken.output


def test_an_online_events_meeting_address_is_a_link_in_the_issue(
    three_weeks: Path, tmp_path: Path
) -> None:
    """The digest's page and email linked every title but showed a webinar's meeting
    address as text: a link now, in both; a place that is no address stays text."""
    meeting = "https://meet.example.org/w48"
    with Store(tmp_path / "store.db") as store:
        put(store, "webinar", "2026-11-26T12:00+09:00", "2026-11-26T11:00+09:00", kind="event",
            event=Event(start=at("2026-12-11T15:00+09:00"), location=meeting))  # fmt: skip
        draft = publish_week(
            context(three_weeks, "2026-11-30T09:00+09:00"), store, "2026-W48", preview=True
        )
    assert draft.folder is not None
    email = html.fromstring((draft.folder / "email.html").read_bytes())
    # In its kind's section and among the upcoming events.
    assert email.xpath(f'//a[@href="{meeting}"]/text()') == [meeting, meeting]
    page = html.fromstring((draft.folder / "index.html").read_bytes())
    assert page.xpath(f'//p[@class="meta"]/a[@href="{meeting}"]/text()') == [meeting, meeting]
    assert "Yokohama</a>" not in (draft.folder / "index.html").read_text("utf-8")


def _rss(items: list[tuple[str, str | None]]) -> str:
    """A city's RSS 2.0 feed of (name, pubDate or None) items."""
    entries = "".join(
        f"<item><title>Notice {name}</title><link>https://city.example.org/{name}</link>"
        f"<guid>https://city.example.org/{name}</guid>"
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + "</item>"
        for name, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>City</title>'
        f"<link>https://city.example.org/</link><description>News</description>{entries}"
        "</channel></rss>"
    )


def test_a_sources_undated_back_catalogue_is_in_no_issue(
    tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """A source added in week 48 listed forty undated notices, years of them: all forty
    were week 48's news (they were first seen then), and the issue led with a city's
    archive. What a source lists undated on its first read is its back catalogue, in no
    issue, as an RSS-to-email service sends nothing of a feed's past; its later undated
    finds are news the week they are found, and its dated items go by their dates."""
    feed = tmp_path / "city.rss"
    old = [(f"old-{n}", None) for n in range(40)]
    feed.write_text(_rss([*old, ("dated", "Wed, 25 Nov 2026 09:00:00 +0900")]), "utf-8")
    config = write_config(
        f'[[sources]]\nid = "city"\nkind = "feed"\npath = "{feed}"\n',
        extra=f'[digest]\npreview_dir = "{tmp_path / "drafts"}"\n',
    )
    from tdlc_syndication.pipeline.run import run_sources

    def run(now: str) -> None:
        ctx = context(config, now)
        try:
            run_sources(ctx, ctx.settings.sources)
        finally:
            ctx.http.close()

    run("2026-11-26T10:00+09:00")  # week 48: the source's first read
    with Store(tmp_path / "store.db") as store:
        draft = publish_week(
            context(config, "2026-11-30T09:00+09:00"), store, "2026-W48", preview=True
        )
        assert draft.items == 1  # the dated notice; the forty undated ones are not news
        assert draft.back_catalogue == 40
        publish_week(context(config, "2026-11-30T09:00+09:00"), store, "2026-W48")
        assert members(store, "2026-W48") == {"city:https://city.example.org/dated"}
    feed.write_text(_rss([("new", None), *old]), "utf-8")
    run("2026-12-02T10:00+09:00")  # week 49: one new undated notice
    with Store(tmp_path / "store.db") as store:
        publish_week(context(config, "2026-12-07T09:00+09:00"), store, "2026-W49")
        assert members(store, "2026-W49") == {"city:https://city.example.org/new"}
    # The command line says why an issue holds fewer items than the source listed.
    runner = CliRunner()
    shown = runner.invoke(cli, ["--config", str(config), "digest", "--week", "2026-W48",
                                "--preview"])  # fmt: skip
    assert shown.exit_code == 0, shown.output
    assert "40 undated items a source listed when it was first read are its" in shown.output
    assert WeekResult("2026-W48", "published", back_catalogue=1).left_out() == (
        "1 undated item a source listed when it was first read is its back catalogue, in no issue"
    )


def test_drafts_go_beside_the_store_unless_a_folder_is_set(
    tmp_path: Path, write_config: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default drafts folder was `digest-preview` beside the settings file when the
    file had a `[digest]` table (/etc/…, which the service's user cannot write) and in
    the current directory when it had none. It is beside the store now (the service's
    own folder, private as the store is); a folder the settings name stays relative to
    the settings file."""
    elsewhere, etc = tmp_path / "elsewhere", tmp_path / "etc"
    elsewhere.mkdir()
    etc.mkdir()
    monkeypatch.chdir(elsewhere)
    for extra in ("", "[digest]\nhighlights = 2\n"):
        config = write_config("", extra=extra).rename(etc / "syndicate.toml")
        with Store(tmp_path / "store.db") as store:
            draft = publish_week(
                context(config, "2026-11-30T09:00+09:00"), store, "2026-W48", preview=True
            )
        assert draft.folder == tmp_path / "digest-preview" / "2026-W48", extra  # the store's
        assert (draft.folder / "index.html").is_file()
    assert not (elsewhere / "digest-preview").exists()
    assert not (etc / "digest-preview").exists()
    config = write_config("", extra='[digest]\npreview_dir = "drafts"\n')
    assert load_settings(config).digest.preview_dir == tmp_path / "drafts"
