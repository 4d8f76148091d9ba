"""Links that lead to a file, not a page: the PDFs, spreadsheets and slide decks that list
pages and sitemaps link to (a Japanese city's press releases are often a PDF each).

Read as a page, a PDF's bytes became the item's summary and content (``%PDF-1.4 1 0 obj``
and binary), published in the feeds. A link whose name says it is a file is not fetched
at all (a follow fetched up to ``follow_limit`` of them on every run, each up to
``max_body_bytes``); one that turns out to be a file when fetched is recognised by its
media type or its first bytes. Either way, the ``html`` kind keeps the item the list
block describes, with the file attached.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from tdlc_syndication.pipeline.encoding import document_start
from tdlc_syndication.pipeline.model import Media

# Media types read as pages; any other type a server gives means a file.
PAGE_TYPES = frozenset({"", "text/html", "application/xhtml+xml", "text/plain"})
# The first bytes of files that servers send as text/html or with no type at all.
FILE_MAGIC = {
    b"%PDF-": "application/pdf",
    b"PK\x03\x04": "application/zip",  # also .docx, .xlsx, .pptx
    b"\xd0\xcf\x11\xe0": "application/msword",  # also .xls, .ppt
    b"\x89PNG": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF8": "image/gif",
}


# Extensions that name a file, with its type: a fixed table, not the system's mime.types
# (which may map .php or .pl, names of pages, to a type).
FILE_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".rtf": "application/rtf",
    ".jtd": "application/x-js-taro",  # 一太郎, as Japanese government sites still publish
    ".zip": "application/zip",
    ".csv": "text/csv",
    ".epub": "application/epub+zip",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
}


def file_type(url: str) -> str | None:
    """The media type of the file a link names by its extension (``.pdf``, ``.xlsx``,
    ``.pptx``, ``.zip``, ``.csv``, images, audio, video); None for a page or a name that
    says nothing (``/press/2026-11.html``, ``/news.php?id=3``)."""
    return path_file_type(unquote(urlsplit(url).path))


def path_file_type(path: str) -> str | None:
    """:func:`file_type` of a URL's path, unescaped (for a caller that has it)."""
    name = path.rpartition("/")[2].lower()
    return FILE_EXTENSIONS.get(name[name.rfind(".") :]) if "." in name else None


def fetched_file_type(media_type: str, body: bytes) -> str | None:
    """The media type of a fetched answer that is a file, not a page (by its media type,
    else its first bytes); None for a page."""
    start = body.lstrip()[:8]
    sniffed = next((kind for magic, kind in FILE_MAGIC.items() if start.startswith(magic)), None)
    if media_type == "application/octet-stream":  # "I don't know": the bytes tell
        if sniffed is None and document_start(body, 1) == b"<":
            return None  # markup sent without its type: a page
        return sniffed or media_type
    if media_type not in PAGE_TYPES and not media_type.endswith("xml"):
        return media_type
    return sniffed


def attached(url: str, media_type: str | None, length: int | None = None) -> Media:
    """The file a list links to, as the item's attached document."""
    return Media(url=url, mime=media_type or None, length=length, role="document")
