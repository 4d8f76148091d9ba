"""The worldbank_documents kind against a real server: the query, paging and quirks."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pytest_httpserver import HTTPServer
from tests_support import DATA, MakeContext, run_one, source_toml
from werkzeug import Request, Response


def test_worldbank_documents_quirks(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    asked: list[dict[str, str]] = []

    def wds(request: Request) -> Response:
        asked.append(dict(request.args))
        page = "page-1.json" if request.args["os"] == "0" else "page-2.json"
        return Response(
            (DATA / "worldbank_documents" / page).read_bytes(), content_type="application/json"
        )

    server.expect_request("/api/v3/wds").respond_with_handler(wds)
    body = (
        f'url = "{server.url_for("/api/v3/wds")}"\n'
        'qterms = ["\\"Tokyo Development Learning Center\\" OR TDLC"]\n'
        'rows = 2\nwindow_days = 120\nfilters = { lang_exact = "English^Japanese" }\nplaces = []'
    )
    ctx = make_context(write_config(source_toml("worldbank_documents", body)))
    report, stored = run_one(ctx)
    assert report.status == "ok"
    assert [a["os"] for a in asked] == ["0", "2"]  # paged until os >= total ("3")
    assert asked[0]["strdate"] == "2026-07-29"
    assert asked[0]["enddate"] == "2026-11-27"
    assert asked[0]["srt"] == "docdt"
    assert asked[0]["order"] == "desc"
    assert asked[0]["lang_exact"] == "English^Japanese"
    assert set(stored) == {"src:31476985", "src:31470001"}  # the project document is left out
    report_item = stored["src:31476985"].item
    assert report_item.title.startswith("Building Urban Resilience in Partner Cities")
    assert report_item.kind == "report"
    assert report_item.url == "https://documents.worldbank.org/curated/en/099063026123456789"
    assert report_item.published == datetime(2026, 6, 30, tzinfo=UTC)
    assert report_item.published_precision == "day"
    assert report_item.authors == ("Tanaka, Aiko", "Okoro, Daniel")
    assert report_item.summary == (
        "This report draws lessons from Japanese cities on flood and earthquake resilience."
    )
    assert report_item.language == "en"
    assert report_item.identifiers == ("wds:31476985", "doi:10.1596/41234")
    assert report_item.categories[:2] == ("urban resilience", "disaster risk management")
    assert report_item.topics == ("disaster-risk-management",)  # classified from keywords
    (pdf,) = report_item.media
    assert (pdf.url, pdf.mime, pdf.length) == (
        "https://documents.worldbank.org/curated/en/099063026123456789/pdf/P17654.pdf",
        "application/pdf",
        None,
    )
    brief = stored["src:31470001"].item
    assert brief.title == "Compact City Toolkit - Chapter 3 : Transit"  # docna fallback
    assert brief.published is None  # the junk year-1 date
    assert brief.language == "ja"


def test_a_query_the_api_fails_on_leaves_the_others(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A query the API answers with 500 (its search engine refuses some), or a later page
    that meets a 502: the whole source failed, and the other queries' documents were not
    kept, run after run. They are kept now and the failed page is listed; a source whose
    every query fails still fails."""

    def wds(request: Request) -> Response:
        if request.args["qterm"] == "Kobe AND (":
            return Response('{"error": "bad query"}', status=500, content_type="application/json")
        page = "page-1.json" if request.args["os"] == "0" else "page-2.json"
        return Response(
            (DATA / "worldbank_documents" / page).read_bytes(), content_type="application/json"
        )

    server.expect_request("/api/v3/wds").respond_with_handler(wds)
    url = server.url_for("/api/v3/wds")
    body = f'url = "{url}"\nqterms = ["Kobe AND (", "TDLC"]\nrows = 2\nplaces = []'
    report, stored = run_one(make_context(write_config(source_toml("worldbank_documents", body))))
    assert report.status == "ok", report.error
    assert set(stored) == {"src:31476985", "src:31470001"}
    ((where, why),) = [(s.url, s.reason) for s in report.skipped]
    assert "qterm=Kobe+AND+%28" in where
    assert "answered HTTP 500" in why
    body = f'url = "{url}"\nqterms = ["Kobe AND ("]\nplaces = []'
    report, _ = run_one(make_context(write_config(source_toml("worldbank_documents", body))))
    assert report.status == "failed"
    assert "answered HTTP 500" in (report.error or "")


def test_documents_without_an_id_stay_apart(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """Two documents with no id and no guid were both stored as ``src:`` (the second
    replaced the first); each is known by its link and title now."""
    docs = {
        f"D{n}": {
            "id": " ",
            "display_title": title,
            "docdt": "2026-11-02T04:00:00Z",
            "url": f"http://documents.worldbank.org/curated/en/{n}",
        }
        for n, title in ((1, "Toyama transit note"), (2, "Kobe port note"))
    }
    answer = json.dumps({"total": 2, "documents": {**docs, "facets": {}}})
    server.expect_request("/api/v3/wds").respond_with_data(answer, content_type="application/json")
    body = f'url = "{server.url_for("/api/v3/wds")}"\nqterms = ["TDLC"]\nplaces = []'
    report, stored = run_one(make_context(write_config(source_toml("worldbank_documents", body))))
    assert report.status == "ok"
    assert sorted(s.item.title for s in stored.values()) == [
        "Kobe port note",
        "Toyama transit note",
    ]
    assert all(item_id.startswith("src:h") for item_id in stored)


def test_a_reports_chapters_are_titled_as_each_one(
    server: HTTPServer, write_config: Callable[..., Path], make_context: MakeContext
) -> None:
    """A report's chapters are documents of their own that share its ``display_title``,
    each named in its ``docna`` ("… - Chapter 3 : Transit"): they were items of one
    title. Each is titled by its ``docna`` now; a ``docna`` that names the file otherwise
    does not replace the display title."""
    chapters = {
        f"D{n}": {
            "id": f"3147000{n}",
            "display_title": "Compact City Toolkit",
            "docna": {"0": {"docna": f"Compact City Toolkit - Chapter {n} : {part}"}},
            "docdt": "2026-11-02T04:00:00Z",
            "url": f"http://documents.worldbank.org/curated/en/{n}",
        }
        for n, part in ((1, "Land use"), (2, "Transit"))
    }
    chapters["D3"] = {
        "id": "31470003",
        "display_title": "Toyama transit note",
        "docna": {"0": {"docna": "Final version (English)"}},
        "docdt": "2026-11-02T04:00:00Z",
        "url": "http://documents.worldbank.org/curated/en/3",
    }
    answer = json.dumps({"total": 3, "documents": {**chapters, "facets": {}}})
    server.expect_request("/api/v3/wds").respond_with_data(answer, content_type="application/json")
    body = f'url = "{server.url_for("/api/v3/wds")}"\nqterms = ["TDLC"]\nplaces = []'
    _, stored = run_one(make_context(write_config(source_toml("worldbank_documents", body))))
    assert sorted(s.item.title for s in stored.values()) == [
        "Compact City Toolkit - Chapter 1 : Land use",
        "Compact City Toolkit - Chapter 2 : Transit",
        "Toyama transit note",
    ]
