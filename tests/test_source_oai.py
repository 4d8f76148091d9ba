"""The oai_pmh kind against a real server: resumption tokens, deletions, incremental harvests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from tests_support import DATA, MakeContext, run_one, source_toml
from werkzeug import Request, Response

from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.model import Item
from tdlc_syndication.pipeline.store import Store


def _repository(asked: list[dict[str, str]], expired: set[str]) -> Callable[[Request], Response]:
    """An OAI-PMH endpoint of two pages (the second by its resumptionToken, unless the
    token is ``expired``) and nothing since the first page's responseDate; it notes what
    it was ``asked``."""

    def oai(request: Request) -> Response:
        asked.append(dict(request.args))
        token = request.args.get("resumptionToken")
        if token is not None and token in expired:
            name = "bad-token.xml"
        elif token:
            name = "page-2.xml"
        elif request.args.get("from") == "2026-11-26T11:59:58Z":
            name = "no-records.xml"
        else:
            name = "page-1.xml"
        return Response((DATA / "oai_pmh" / name).read_bytes(), content_type="text/xml")

    return oai


def _withdrawn_later(ctx: Context) -> None:
    """A stored record that the repository's second page reports as deleted."""
    from tdlc_syndication.pipeline.dedupe import decide

    old = Item(id="src:10986/11111", source="src", kind="article", title="Withdrawn paper",
               url="https://hdl.handle.net/10986/11111")  # fmt: skip
    with Store(ctx.settings.site.database) as store:
        store.put_item(decide(old, None, datetime(2026, 1, 1, tzinfo=UTC)).stored)


def test_oai_pmh_harvest_paging_deletes_and_incremental_from(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    asked: list[dict[str, str]] = []

    server.expect_request("/oai").respond_with_handler(_repository(asked, set()))
    body = f'url = "{server.url_for("/oai")}"\nsince = "2026-11-01"'
    ctx = make_context(write_config(source_toml("oai_pmh", body)))
    _withdrawn_later(ctx)
    report, stored = run_one(ctx)
    assert (report.status, report.new, report.retracted) == ("ok", 2, 1)
    assert asked[0] == {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-11-01"}
    assert asked[1] == {
        "verb": "ListRecords",
        "resumptionToken": "oai_dc/2026-11-01T00:00:00Z///100",
    }
    paper = stored["src:10986/42650"].item
    assert paper.url == "https://hdl.handle.net/10986/42650"
    assert paper.published == datetime(2026, 6, 1, tzinfo=UTC)
    assert paper.published_precision == "month"  # the issued date, not the accession stamp
    assert paper.authors == ("Tanaka, Aiko", "Okoro, Daniel")
    assert paper.identifiers == ("handle:10986/42650", "doi:10.1596/41234")
    assert paper.summary.startswith("This report draws lessons from Japanese cities")
    assert paper.language == "en"
    assert dict(paper.extra)["rights"] == "CC BY 3.0 IGO"
    assert stored["src:10986/3284"].item.language == "en"  # en_US
    assert stored["src:10986/11111"].retracted == "deleted at the origin"
    with Store(ctx.settings.site.database) as store:
        assert "src:10986/11111" not in {s.item.id for s in store.canonical_items()}
        assert store.state("src").cursor == "2026-11-26T11:59:58Z"
    # The next harvest asks from the last one; an empty window is not a failure.
    report, _ = run_one(ctx)
    assert report.status == "ok"
    assert asked[-1]["from"] == "2026-11-26T11:59:58Z"


def test_a_harvest_longer_than_max_pages_goes_on_at_the_next_run(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A first harvest of more pages than ``max_pages`` read the same first pages at
    every run and never ended (its cursor advanced only at the end). It goes on with the
    repository's resumptionToken at the next run; an expired one starts the set again;
    the finished harvest's start is the next one's ``from``."""
    asked: list[dict[str, str]] = []
    expired: set[str] = set()
    server.expect_request("/oai").respond_with_handler(_repository(asked, expired))
    body = f'url = "{server.url_for("/oai")}"\nsince = "2026-11-01"\nmax_pages = 1'
    ctx = make_context(write_config(source_toml("oai_pmh", body)))
    _withdrawn_later(ctx)
    report, _ = run_one(ctx)
    assert (report.status, report.new, report.retracted, len(asked)) == ("ok", 2, 0, 1)
    report, stored = run_one(ctx)  # page 2 of 2, which deletes the withdrawn paper
    assert asked[1] == {
        "verb": "ListRecords",
        "resumptionToken": "oai_dc/2026-11-01T00:00:00Z///100",
    }
    assert (report.status, report.new, report.retracted) == ("ok", 0, 1)
    assert stored["src:10986/11111"].retracted == "deleted at the origin"
    with Store(ctx.settings.site.database) as store:
        assert store.state("src").cursor == "2026-11-26T11:59:58Z"  # page 1's responseDate
    report, _ = run_one(ctx)
    assert asked[-1]["from"] == "2026-11-26T11:59:58Z"
    # A kept token the repository has forgotten: the set again from its from.
    with Store(ctx.settings.site.database) as store, store.transaction():
        kept = (
            '{"from": "2026-11-01", "set": 0, "token": "oai_dc/2026-11-01T00:00:00Z///100", '
            '"started": "2026-11-26T11:59:58Z"}'
        )
        store.db.execute("UPDATE source_state SET cursor = ? WHERE source = 'src'", (kept,))
    expired.add("oai_dc/2026-11-01T00:00:00Z///100")
    del asked[:]
    report, _ = run_one(ctx)
    assert report.status == "ok"
    assert [a.get("resumptionToken", a.get("from")) for a in asked] == [
        "oai_dc/2026-11-01T00:00:00Z///100",
        "2026-11-01",
    ]


def test_a_repository_that_takes_days_only_is_harvested_by_the_day(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A repository whose granularity is the day (its Identify says ``YYYY-MM-DD``, as
    arXiv's does) must answer a ``from`` with a time ``badArgument``: every harvest after
    the first failed so. The set is asked again from that day, and the day is kept as
    the cursor, so later harvests ask by the day at once."""
    asked: list[dict[str, str]] = []
    bad = (
        (DATA / "oai_pmh" / "no-records.xml")
        .read_bytes()
        .replace(
            b'code="noRecordsMatch">No records match the request',
            b'code="badArgument">from: this repository supports YYYY-MM-DD',
        )
    )

    def by_day(request: Request) -> Response:
        asked.append(dict(request.args))
        if "T" in request.args.get("from", ""):
            return Response(bad, content_type="text/xml")
        name = "page-2.xml" if request.args.get("resumptionToken") else "page-1.xml"
        return Response((DATA / "oai_pmh" / name).read_bytes(), content_type="text/xml")

    server.expect_request("/oai").respond_with_handler(by_day)
    body = f'url = "{server.url_for("/oai")}"\nsince = "2026-11-01"'
    ctx = make_context(write_config(source_toml("oai_pmh", body)))
    report, _ = run_one(ctx)
    assert report.status == "ok", report.error
    del asked[:]
    report, _ = run_one(ctx)  # from the first harvest's responseDate, a time
    assert report.status == "ok", report.error
    assert [a.get("from") for a in asked] == ["2026-11-26T11:59:58Z", "2026-11-26", None]
    with Store(ctx.settings.site.database) as store:
        assert store.state("src").cursor == "2026-11-27"  # the day of the first answer
    del asked[:]
    report, _ = run_one(ctx)
    assert report.status == "ok", report.error
    assert [a.get("from") for a in asked] == ["2026-11-27", None]


def test_a_server_busy_partway_keeps_the_pages_read_and_goes_on_next_run(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """arXiv answers 503 with Retry-After to pace harvesters, partway through a harvest:
    the pages read were lost and the next run began again, so a long harvest that met one
    never ended. The pages read are kept, the run says where it stopped, and the next run
    goes on with the resumptionToken that was refused."""
    asked: list[dict[str, str]] = []
    busy = [True]

    def pacing(request: Request) -> Response:
        asked.append(dict(request.args))
        if request.args.get("resumptionToken"):
            if busy[0]:
                return Response("busy", status=503, headers={"Retry-After": "10"})
            return Response((DATA / "oai_pmh" / "page-2.xml").read_bytes(), content_type="text/xml")
        return Response((DATA / "oai_pmh" / "page-1.xml").read_bytes(), content_type="text/xml")

    server.expect_request("/oai").respond_with_handler(pacing)
    body = f'url = "{server.url_for("/oai")}"\nsince = "2026-11-01"'
    ctx = make_context(write_config(source_toml("oai_pmh", body)))
    _withdrawn_later(ctx)
    report, stored = run_one(ctx)
    assert (report.status, report.new, report.retracted) == ("ok", 2, 0), report.error
    assert stored["src:10986/42650"].item.title.startswith("Building Urban Resilience")
    ((where, why),) = [(s.url, s.reason) for s in report.skipped]
    assert "resumptionToken=oai_dc" in where
    assert why.startswith("the harvest stopped here (answered 503; retry after 2026-11-26T12:00:10")
    assert why.endswith("); the next run goes on from here")
    busy[0] = False
    del asked[:]
    report, _ = run_one(ctx)
    assert (report.status, report.retracted) == ("ok", 1), report.error
    assert asked == [
        {"verb": "ListRecords", "resumptionToken": "oai_dc/2026-11-01T00:00:00Z///100"}
    ]
    with Store(ctx.settings.site.database) as store:
        assert store.state("src").cursor == "2026-11-26T11:59:58Z"  # page 1's responseDate


def test_a_token_expired_partway_keeps_the_pages_read_and_starts_the_set_again(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A repository that expires its resumptionToken before the next page is asked: the
    run failed, and the records of the pages read were lost with it. They are kept now;
    the run lists where it stopped, and the next one starts the set again."""
    asked: list[dict[str, str]] = []

    def oai(request: Request) -> Response:
        asked.append(dict(request.args))
        name = "bad-token.xml" if "resumptionToken" in request.args else "page-1.xml"
        return Response((DATA / "oai_pmh" / name).read_bytes(), content_type="text/xml")

    server.expect_request("/oai").respond_with_handler(oai)
    ctx = make_context(write_config(source_toml("oai_pmh", f'url = "{server.url_for("/oai")}"')))
    report, stored = run_one(ctx)
    assert (report.status, report.new) == ("ok", 2), report.error
    assert "src:10986/42650" in stored
    ((_, why),) = [(s.url, s.reason) for s in report.skipped]
    assert why == (
        "the harvest stopped here (the repository expired our resumptionToken); the next run "
        "starts the set again"
    )
    del asked[:]
    run_one(ctx)
    assert asked[0] == {"verb": "ListRecords", "metadataPrefix": "oai_dc"}  # the set again


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ("<!DOCTYPE html><html><head><title>Repository</title></head><body/></html>", "a web page"),
        ("<!DOCTYPE html>\n<html><body><p>Welcome<br></body></html>", "a web page"),  # no XML
        ('<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "a feed"),
        ('<?xml version="1.0"?><results/>', "no OAI-PMH answer (its root is 'results')"),
    ],
)
def test_an_address_that_is_no_oai_pmh_endpoint_fails_with_what_to_write(
    answer: str,
    said: str,
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    """A repository's home page, or its feed, given as the endpoint: when it was XML, each
    run was an empty harvest, "ok", without a word (the cursor moved on too)."""
    server.expect_request("/repository").respond_with_data(answer, content_type="text/html")
    ctx = make_context(
        write_config(source_toml("oai_pmh", f'url = "{server.url_for("/repository")}"'))
    )
    report, _ = run_one(ctx)
    assert report.status == "failed"
    assert f"is {said}" in (report.error or "")
    assert "set url to the repository's OAI-PMH base URL" in (report.error or "")
    with Store(ctx.settings.site.database) as store:
        assert store.state("src").cursor is None


def test_a_set_a_first_harvest_finds_empty_is_noted(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A repository answers noRecordsMatch for a set it does not have: a mistyped setSpec
    was an empty harvest each run, without a word. The first harvest notes it; later
    ones, which ask only since the last, do not."""
    empty = (DATA / "oai_pmh" / "no-records.xml").read_bytes()
    server.expect_request("/oai").respond_with_data(empty, content_type="text/xml")
    body = f'url = "{server.url_for("/oai")}"\nsets = ["col_10986_9010"]\nsince = "2026-01-01"'
    ctx = make_context(write_config(source_toml("oai_pmh", body)))
    report, _ = run_one(ctx)
    assert report.status == "ok", report.error
    assert [s.reason for s in report.skipped] == [
        "set 'col_10986_9010' holds no record since 2026-01-01: if that is not so, its "
        "setSpec may be mistyped (?verb=ListSets lists the repository's sets)"
    ]
    report, _ = run_one(ctx)
    assert (report.status, list(report.skipped)) == ("ok", [])


def test_an_emoji_escaped_as_two_surrogates_does_not_fail_the_page(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """``&#xD83C;&#xDF0A;`` in a title is not XML (lxml refuses a reference to half a
    pair): the whole page failed as "not XML". It is read as the character now."""
    page = (
        (DATA / "oai_pmh" / "page-1.xml")
        .read_bytes()
        .replace(b"Building Urban Resilience", b"Building &#xD83C;&#xDF0A; Resilience", 1)
    )
    server.expect_request("/oai").respond_with_data(page, content_type="text/xml")
    ctx = make_context(write_config(source_toml("oai_pmh", f'url = "{server.url_for("/oai")}"')))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    assert stored["src:10986/42650"].item.title.startswith("Building \U0001f30a Resilience")


def test_a_control_character_in_a_record_does_not_fail_the_harvest(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Word's line break (U+000B) in an abstract, a form feed referred to as ``&#12;``:
    XML allows neither, the page failed as "not XML" (at "PCDATA invalid Char value
    11") and so did every later run, at the same page. Each is read as a space now."""
    page = (
        (DATA / "oai_pmh" / "page-1.xml")
        .read_bytes()
        .replace(b"Building Urban Resilience", b"Building Urban\x0bResilience", 1)
        .replace(b"flood and earthquake", b"flood&#12;and earthquake", 1)
    )
    server.expect_request("/oai").respond_with_data(page, content_type="text/xml")
    ctx = make_context(write_config(source_toml("oai_pmh", f'url = "{server.url_for("/oai")}"')))
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    item = stored["src:10986/42650"].item
    assert item.title.startswith("Building Urban Resilience")
    assert "flood and earthquake" in item.summary


@pytest.mark.parametrize(
    ("written", "issued", "precision"),
    [
        ("[2026]", datetime(2026, 1, 1, tzinfo=UTC), "year"),  # inferred, as catalogues write
        ("(2026)", datetime(2026, 1, 1, tzinfo=UTC), "year"),  # the Biodiversity Heritage Library
        ("12-20-2025", datetime(2025, 12, 20, tzinfo=UTC), "day"),  # a US archive (ICPSR)
        ("20/12/2025", datetime(2025, 12, 20, tzinfo=UTC), "day"),
        ("c2026", datetime(2026, 1, 1, tzinfo=UTC), "year"),
        ("2026/06", datetime(2026, 6, 1, tzinfo=UTC), "month"),
        # Uncertain, a report's years, a bracketed day, a month by its name: undated too.
        ("[2026?]", datetime(2026, 1, 1, tzinfo=UTC), "year"),
        ("2025-2026", datetime(2025, 1, 1, tzinfo=UTC), "year"),
        ("2025-26", datetime(2025, 1, 1, tzinfo=UTC), "year"),
        ("2025-12", datetime(2025, 12, 1, tzinfo=UTC), "month"),  # a month, as before
        ("[2026-06-15]", datetime(2026, 6, 15, tzinfo=UTC), "day"),
        ("2026/06/15", datetime(2026, 6, 15, tzinfo=UTC), "day"),
        ("June 2026", datetime(2026, 6, 1, tzinfo=UTC), "month"),
    ],
)
def test_a_year_as_library_catalogues_write_it_is_the_issued_date(
    written: str,
    issued: datetime,
    precision: str,
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    """A repository fed from a library catalogue writes ``[2026]``, ``c2026`` or
    ``2026/06`` in ``dc:date``: such a record was undated."""
    page = (
        (DATA / "oai_pmh" / "page-1.xml")
        .read_bytes()
        .replace(b"<dc:date>2026-06</dc:date>", f"<dc:date>{written}</dc:date>".encode(), 1)
    )
    server.expect_request("/oai").respond_with_data(page, content_type="text/xml")
    ctx = make_context(write_config(source_toml("oai_pmh", f'url = "{server.url_for("/oai")}"')))
    _, stored = run_one(ctx)
    item = stored["src:10986/42650"].item
    assert (item.published, item.published_precision) == (issued, precision)


def _record(identifier: str, dc: str, status: str = "") -> str:
    """One ``ListRecords`` record: its header and its ``oai_dc`` metadata (none when
    deleted)."""
    header = f"<header{status}><identifier>{identifier}</identifier></header>"
    if status:
        return f"<record>{header}</record>"
    return (
        f'<record>{header}<metadata><oai_dc:dc xmlns:oai_dc="{OAI_DC}" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/">{dc}</oai_dc:dc></metadata></record>'
    )


OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
# Repositories whose identifiers are no handles, as each writes a record: EPrints (the
# files in dc:identifier, the page in dc:relation), Digital Commons (its page first, the
# file through viewcontent.cgi, the thumbnail as a description), JAIRO Cloud (ISO 639-2
# languages), a DSpace whose handle ends in letters, a data archive known by its DOI.
_WITHOUT_HANDLES = [
    _record(
        "oai:eprints.example.ac.uk:4811",
        "<dc:title>Compact city indicators for secondary cities</dc:title>"
        "<dc:relation>https://eprints.example.ac.uk/4811/</dc:relation>"
        "<dc:date>2025-02</dc:date><dc:language>en</dc:language>"
        "<dc:identifier>https://eprints.example.ac.uk/4811/1/indicators.pdf</dc:identifier>"
        "<dc:identifier>  Sato, Aiko  (2025) Compact city indicators.  [Working Paper]"
        "</dc:identifier>",
    ),
    _record(
        "oai:commons.example.edu:planning-1042",
        "<dc:title>Flood drills in coastal wards</dc:title>"
        "<dc:date>2024-10-01T07:00:00Z</dc:date>"
        "<dc:description>https://commons.example.edu/planning/1042/thumbnail.jpg"
        "</dc:description><dc:description>What three wards learnt.</dc:description>"
        "<dc:identifier>https://commons.example.edu/planning/43</dc:identifier>"
        "<dc:identifier>https://commons.example.edu/cgi/viewcontent.cgi?article=1042&amp;"
        "context=planning</dc:identifier>",
    ),
    _record(
        "oai:kobe-u.repo.example.jp:00012345",
        "<dc:title>神戸市の防災まちづくり</dc:title><dc:language>jpn</dc:language>"
        "<dc:date>2016</dc:date><dc:date>May</dc:date>"
        "<dc:identifier>https://kobe-u.repo.example.jp/record/12345/files/paper.pdf"
        "</dc:identifier>"
        "<dc:identifier>https://kobe-u.repo.example.jp/records/12345</dc:identifier>",
    ),
    _record(
        "oai:dspace.example.edu:1969.1/ETD-2019-B276",
        "<dc:title>Transit-oriented growth in Toyama</dc:title><dc:date>2019</dc:date>"
        "<dc:identifier>http://hdl.handle.net/1969.1/ETD-2019-B276</dc:identifier>",
    ),
    _record(
        "7",
        "<dc:title>Household survey of Cebu, 2023</dc:title><dc:date>2024-05-02</dc:date>"
        "<dc:identifier>7</dc:identifier>"
        "<dc:identifier>http://doi.org/10.9999/SURVEY00007.v1</dc:identifier>",
    ),
    _record(
        "oai:eprints.example.ac.uk:4902",
        "<dc:relation>http://resolver.example.ac.uk/EPRINTS:20230412-0901</dc:relation>"
        "<dc:title>Peer exchange on solid waste: Kitakyushu and Surabaya</dc:title>"
        "<dc:date>2023</dc:date><dc:relation>10.9999/jw.2023.12</dc:relation>"
        "<dc:identifier>  Tanaka, K (2023) Peer exchange on solid waste.  Journal of "
        "Waste, 12 (3).</dc:identifier>"
        "<dc:relation>https://www.city.example.jp/</dc:relation>"
        "<dc:relation>https://eprints.example.ac.uk/4902/</dc:relation>",
    ),
    _record("oai:eprints.example.ac.uk:4700", "", ' status="deleted"'),
]


@pytest.mark.parametrize(
    ("types", "settings", "kind"),
    [
        ("<dc:type>Text</dc:type><dc:type>Report</dc:type>", "", "report"),
        ("<dc:type>Technical Report</dc:type>", "", "report"),
        ("<dc:type>info:eu-repo/semantics/report</dc:type>", "", "report"),  # OpenAIRE
        ("<dc:type>http://purl.org/eprint/type/Report</dc:type>", "", "report"),
        ("<dc:type>Video</dc:type>", "", "video"),
        ("<dc:type>Text</dc:type>", "", "article"),  # names no kind: the source's default
        (
            "<dc:type>Report</dc:type>",
            'kind_map = { "Report" = "knowledge_note" }',
            "knowledge_note",
        ),
    ],
)
def test_a_records_type_says_its_kind(
    types: str,
    settings: str,
    kind: str,
    server: HTTPServer,
    write_config: Callable[..., Path],
    make_context: MakeContext,
) -> None:
    """A record's ``dc:type`` names its kind as the World Bank's document type does
    (``Report``, ``Working Paper``; also in OpenAIRE's and EPrints' vocabularies): a
    report harvested from a repository was an article, though the same report read from
    the documents API was a report. ``kind_map`` still says first."""
    page = (
        (DATA / "oai_pmh" / "page-1.xml")
        .read_bytes()
        .replace(b"<dc:type>Report</dc:type>", types.encode(), 1)
    )
    server.expect_request("/oai").respond_with_data(page, content_type="text/xml")
    body = f'url = "{server.url_for("/oai")}"\n{settings}'
    _, stored = run_one(make_context(write_config(source_toml("oai_pmh", body))))
    assert stored["src:10986/42650"].item.kind == kind


def test_type_names_in_the_vocabularies_repositories_write() -> None:
    from tdlc_syndication.sources.doctypes import type_kind

    assert type_kind("info:eu-repo/semantics/workingPaper") == "working_paper"  # OpenAIRE
    assert type_kind("http://purl.org/eprint/type/WorkingPaper") == "working_paper"
    assert type_kind("Policy Research Working Paper") == "working_paper"  # the World Bank's
    assert type_kind("  technical   REPORT ") == "report"
    assert type_kind("MovingImage") == "video"  # the DCMI type vocabulary
    assert [type_kind(name) for name in ("Text", "Article", "", "/")] == [None] * 4


def test_a_repository_without_handles_gives_its_records(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """EPrints, Digital Commons, JAIRO Cloud and data archives name records by OAI
    identifiers that are no handles (``oai:eprints.example.ac.uk:4811``): every record of
    theirs was dropped without a word and a deleted one retracted nothing. Now the OAI
    identifier is the id and the record's page the link (an EPrints record without files
    names it only in a relation, and was dropped as no-link); ``jpn`` is Japanese; ``2016``
    beside ``May`` is the year issued; a thumbnail's address is no summary."""
    page = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        "<responseDate>2026-11-26T11:59:58Z</responseDate>"
        f"<ListRecords>{''.join(_WITHOUT_HANDLES)}</ListRecords></OAI-PMH>"
    )
    server.expect_request("/oai").respond_with_data(page, content_type="text/xml")
    ctx = make_context(write_config(source_toml("oai_pmh", f'url = "{server.url_for("/oai")}"')))
    gone = Item(id="src:oai:eprints.example.ac.uk:4700", source="src", kind="article",
                title="Withdrawn", url="https://eprints.example.ac.uk/4700/")  # fmt: skip
    with Store(ctx.settings.site.database) as store:
        from tdlc_syndication.pipeline.dedupe import decide

        store.put_item(decide(gone, None, datetime(2026, 1, 1, tzinfo=UTC)).stored)
    report, stored = run_one(ctx)
    assert report.status == "ok", report.error
    links = {key: s.item.url for key, s in stored.items() if s.retracted is None}
    assert links == {
        "src:oai:eprints.example.ac.uk:4811": "https://eprints.example.ac.uk/4811/",
        "src:oai:eprints.example.ac.uk:4902": "https://eprints.example.ac.uk/4902/",
        "src:oai:commons.example.edu:planning-1042": "https://commons.example.edu/planning/43",
        "src:oai:kobe-u.repo.example.jp:00012345": "https://kobe-u.repo.example.jp/records/12345",
        "src:oai:dspace.example.edu:1969.1/ETD-2019-B276":
            "https://hdl.handle.net/1969.1/ETD-2019-B276",
        "src:7": "https://doi.org/10.9999/SURVEY00007.v1",
    }  # fmt: skip
    assert stored["src:oai:eprints.example.ac.uk:4700"].retracted
    kobe = stored["src:oai:kobe-u.repo.example.jp:00012345"].item
    assert (kobe.language, kobe.published, kobe.published_precision) == (
        "ja", datetime(2016, 1, 1, tzinfo=UTC), "year",
    )  # fmt: skip
    toyama = stored["src:oai:dspace.example.edu:1969.1/ETD-2019-B276"].item
    assert "handle:1969.1/ETD-2019-B276" in toyama.identifiers
    assert "doi:10.9999/survey00007.v1" in stored["src:7"].item.identifiers
    drills = stored["src:oai:commons.example.edu:planning-1042"].item
    assert drills.summary == "What three wards learnt."
