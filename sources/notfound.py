"""A page that says it was not found, sent as a success.

Some sites answer an address they no longer have with their "not found" page and the
status 200 (a "soft 404"), as older municipal CMSs and servers with a custom error page
do. An item whose page was followed then took the error page's text as its own:
「お探しのページは見つかりませんでした。」 in the feeds, the pages and the digest. Such a
page is told by its title, as search engines tell it, and read as the 404 it means. So is
a page whose address now leads to the site's home page, where many sites send the address
of a page they removed: the item took the home page's text.
"""

from __future__ import annotations

import re

from tdlc_syndication.pipeline.answers import Response
from tdlc_syndication.pipeline.encoding import decode_html
from tdlc_syndication.pipeline.errors import FetchError
from tdlc_syndication.pipeline.uris import split_url
from tdlc_syndication.sources.files import fetched_file_type

_HOME = re.compile(r"/(?:(?:index|default|top)\.(?:html?|php|aspx?|jsp))?", re.I)
_TITLE_REACH = 16_384  # bytes of a page its <title> is looked for in
_TITLE = re.compile(r"<title[^>]*>([^<]{0,300})</title", re.I)
# What error pages call themselves: "404 Not Found", "Page not found", 「ページが見つかりま
# せん」, 「お探しのページは見つかりませんでした」, 「指定されたページは存在しません」, and
# the partner languages' "Halaman tidak ditemukan", "Không tìm thấy trang", "Página no
# encontrada", "Page introuvable", "ไม่พบหน้า".
_NOT_FOUND = re.compile(
    r"^\s*(?:404|not\s+found)\b|\b404\s*(?:-\s*)?(?:error|エラー|not\s+found)"
    r"|\b(?:page|file(?:\s+or\s+directory)?)\s+not\s+found\b"
    r"|ページ(?:が|は)?(?:見つかりません|存在しません)|お探しのページ"
    r"|halaman\s+tidak\s+ditemukan|không\s+tìm\s+thấy\s+trang|página\s+n(?:o|ão)\s+encontrada"
    r"|page\s+(?:introuvable|non\s+trouvée)|ไม่พบหน้า|페이지를?\s*찾을\s*수\s*없"
    r"|找不到(?:网页|頁面|页面)|页面(?:不存在|未找到)",
    re.I,
)


def said_not_found(body: bytes, charset: str | None = None) -> str | None:
    """The title of a page that says it was not found, else None."""
    head = body[:_TITLE_REACH]
    if b"<title" not in head.lower():
        return None
    found = _TITLE.search(decode_html(head, charset))
    title = " ".join(found[1].split()) if found else ""
    return title if title and _NOT_FOUND.search(title) else None


def sent_home(url: str, final_url: str) -> bool:
    """Whether asking for the page at ``url`` ended at its site's home page (``/``,
    ``/index.html``): where many sites send the address of a page they removed."""
    asked, ended = split_url(url), split_url(final_url)
    if asked is None or ended is None or _host(asked.hostname) != _host(ended.hostname):
        return False
    if ended.query:  # /?p=123: a page of its own (WordPress's plain addresses)
        return False
    return _HOME.fullmatch(ended.path or "/") is not None and not _HOME.fullmatch(asked.path or "/")


def _host(name: str | None) -> str:
    return (name or "").removeprefix("www.")


def file_or_page(resp: Response, url: str, source_id: str) -> str | None:
    """What an answer to ``url`` is: a file's media type (``files.fetched_file_type``), or
    None for a page, which must be one (:func:`check_found`).

    Raises:
        FetchError: a page that says it was not found, or that sent ``url`` home.
    """
    found = fetched_file_type(resp.media_type, resp.body)
    if found is None:
        check_found(resp.body, resp.charset, url, source_id, resp.final_url)
    return found


def check_found(
    body: bytes, charset: str | None, url: str, source_id: str, final_url: str | None = None
) -> None:
    """Raise for a page that says it was not found, or (``final_url``: where asking for
    ``url`` ended) that sent the request to its site's home page.

    Raises:
        FetchError: the page's title says it was not found (its answer was 200), or it
            was sent home.
    """
    if final_url is not None and sent_home(url, final_url):
        raise FetchError(
            source_id, f"{url} sends to the site's home page ({final_url}): the page is gone"
        )
    title = said_not_found(body, charset)
    if title is not None:
        raise FetchError(
            source_id, f"{url} answered 200 with a page that says it was not found ({title!r})"
        )
