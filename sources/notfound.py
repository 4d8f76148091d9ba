"""A page that says it was not found, sent as a success.

Some sites answer an address they no longer have with their "not found" page and the
status 200 (a "soft 404"), as older municipal CMSs and servers with a custom error page
do. An item whose page was followed then took the error page's text as its own:
「お探しのページは見つかりませんでした。」 in the feeds, the pages and the digest. Such a
page is told by its title, as search engines tell it, and read as the 404 it means.
"""

from __future__ import annotations

import re

from tdlc_syndication.pipeline.encoding import decode_html
from tdlc_syndication.pipeline.errors import FetchError

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


def check_found(body: bytes, charset: str | None, url: str, source_id: str) -> None:
    """Raise for a page that says it was not found.

    Raises:
        FetchError: the page's title says it was not found (its answer was 200).
    """
    title = said_not_found(body, charset)
    if title is not None:
        raise FetchError(
            source_id, f"{url} answered 200 with a page that says it was not found ({title!r})"
        )
