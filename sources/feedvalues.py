"""Values as feedparser pops them from a feed's elements, for the fast path
(:mod:`sources.fastfeed`): text repaired as it repairs UTF-8 read as Latin-1, content
types as it names them, categories as it adds them, an RSS author's address and name as
it splits them."""

from __future__ import annotations

import re

_C1 = re.compile("[\x80-\x9f]")

# feedparser's reading of an address in an author's name (RSS's ``aiko@x.jp (Aiko)``)
_ADDRESS = re.compile(
    r"[A-Za-z0-9_.+-]+@"
    r"(?:\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.|(?:[A-Za-z0-9-]+\.)+)"
    r"(?:[A-Za-z]{2,4}|[0-9]{1,3})\]?(?:\?subject=\S+)?"
)


def author_detail(written: str) -> dict[str, str]:
    """The record feedparser makes of an RSS author's text: the address it finds in it
    (four letters of a long last label at most, as it reads them), and the rest, out of
    its brackets, as the name."""
    found = _ADDRESS.search(written)
    if found is None:
        return {"name": written} if written else {}
    email = found[0]
    name = written.replace(email, "").replace("()", "").replace("<>", "").replace("&lt;&gt;", "")
    name = name.strip()
    name = name[1:] if name.startswith("(") else name
    name = name[:-1] if name.endswith(")") else name
    name = name.strip()
    return {"name": name, "email": email} if name else {"email": email}


def add_tag(
    tags: list[dict[str, str | None]], term: str | None, scheme: str | None, label: str | None
) -> None:
    """Add a category to an entry's ``tags`` as feedparser does: once, and none without
    a term, a scheme or a label."""
    if not term and not scheme and not label:
        return
    value = {"term": term, "scheme": scheme, "label": label}
    if value not in tags:
        tags.append(value)


def content_type(value: str) -> str:
    """A text construct's ``type`` as feedparser maps it (``html`` is ``text/html``)."""
    lowered = value.lower()
    return {"text": "text/plain", "plain": "text/plain", "html": "text/html"}.get(
        lowered, "application/xhtml+xml" if lowered == "xhtml" else lowered
    )


def _windows_1252_letters() -> dict[int, str]:
    letters = {}
    for code in range(0x80, 0xA0):
        try:
            letters[code] = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:  # (five it leaves undefined)
            continue
    return letters


# The C1 control characters as the letters Windows-1252 puts there (``\x92`` is "’"), as
# feedparser maps every value it pops: text written in Windows-1252 and declared Latin-1.
WINDOWS_1252 = _windows_1252_letters()


def checked(text: str) -> str:
    """``text`` with its C1 control characters as Windows-1252's letters, as feedparser
    maps them."""
    if not text.isascii() and _C1.search(text):
        return text.translate(WINDOWS_1252)
    return text


def repaired(text: str) -> str:
    """feedparser's repair of UTF-8 that was read as Latin-1 (it applies to every popped
    text value of a UTF-8 document), then its mapping of C1 control characters."""
    if text.isascii():
        return text
    try:
        return checked(text.encode("iso-8859-1").decode("utf-8"))
    except (UnicodeEncodeError, UnicodeDecodeError):
        return checked(text)
