"""``kind = "oai_pmh"``: an OAI-PMH repository (ListRecords with ``oai_dc``).

Harvests are incremental: ``from`` is the responseDate of the last complete harvest (or
``since`` the first time). ``resumptionToken`` pages are followed until the token is empty;
a harvest that reaches ``max_pages`` in a set keeps its token as the cursor, and the next
run goes on from there.
``noRecordsMatch`` is an empty harvest, not a failure. Deleted records retract items. The
handle is the stable id (the OAI identifier in a repository without handles); the issued
date is picked among the several ``dc:date`` values.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from tdlc_syndication.config.languages import language_tag, named_language
from tdlc_syndication.config.sources import OaiPmhConfig
from tdlc_syndication.pipeline.canonical import with_params
from tdlc_syndication.pipeline.encoding import (
    join_surrogates_xml,
    without_xml_controls,
    xml_start,
)
from tdlc_syndication.pipeline.errors import FetchError, ParseError
from tdlc_syndication.pipeline.lazy import LazyModule
from tdlc_syndication.pipeline.model import Item, Retraction
from tdlc_syndication.sources.base import Fetched, FetchState, Skipped
from tdlc_syndication.sources.common import (
    BaseSource,
    Dated,
    date_of,
    item_id,
    kind_for,
    precision_of,
)
from tdlc_syndication.sources.doctypes import TYPE_KINDS, first_type_kind

if TYPE_CHECKING:  # lxml and the date readers load with the first answer read
    from lxml import etree

    from tdlc_syndication.pipeline import dates
else:
    etree = LazyModule("lxml.etree")
    dates = LazyModule("tdlc_syndication.pipeline.dates")

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
_HANDLE = re.compile(r"(?:hdl\.handle\.net/|handle/|:)(\d+(?:\.\d+)*/\d+)\s*$")
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.I)
_HANDLE_LINK = re.compile(r"^https?://hdl\.handle\.net/(\d+(?:\.\d+)*/\S+)$")
_ADDRESS = re.compile(r"^https?://\S+$")
# An address of a record's file, not of its page: a document's or a picture's name, or
# Digital Commons' and DSpace's ways of serving one.
_FILE = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|odt|rtf|txt|zip|epub|jpe?g|png|gif|tiff?|mp[34])$"
    r"|/viewcontent\.cgi\?|/bitstream/|/bitstreams/[^/]+/download",
    re.I,
)
log = logging.getLogger(__name__)


def _xml(body: bytes, source_id: str, url: str = "") -> Any:
    """The answer's XML tree (OAI-PMH is UTF-8), with an emoji escaped as two surrogate
    references read as the character (``join_surrogates_xml``): the whole page failed;
    and, when it is not XML as it stands, with the control characters XML forbids read
    as spaces (``without_xml_controls``: a record's abstract pasted from Word).

    Raises:
        ParseError: the answer is not XML, or no OAI-PMH answer (a repository's home
            page, a feed: each was an empty harvest, every run, without a word).
    """
    data = join_surrogates_xml(xml_start(body))
    parser = etree.XMLParser(resolve_entities=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        mended = without_xml_controls(data)
        try:
            root = etree.fromstring(mended, parser=parser) if mended != data else None
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            said = _not_oai_pmh(body, url) or f"the OAI-PMH answer is not XML: {exc}"
            raise ParseError(source_id, said) from exc
    if root.tag != f"{OAI}OAI-PMH":
        raise ParseError(
            source_id,
            _not_oai_pmh(body, url)
            or f"{url or 'the answer'} is no OAI-PMH answer (its root is "
            f"{etree.QName(root).localname!r}); {_BASE_URLS}",
        )
    return root


# Where the usual repository software answers OAI-PMH.
_BASE_URLS = (
    "set url to the repository's OAI-PMH base URL (DSpace: …/server/oai/request or "
    "…/oai/request; EPrints: …/cgi/oai2; JAIRO Cloud and WEKO: …/oai)"
)


def _not_oai_pmh(body: bytes, url: str) -> str | None:
    """What an answer that is a web page or a feed is, and what to write instead; None
    for another."""
    from tdlc_syndication.sources.discovery import offer_of  # (a refusal's alone)

    offer = offer_of(body)
    if offer not in ("html", "feed"):
        return None
    what = "a web page" if offer == "html" else "a feed"
    return f"{url or 'the answer'} is {what}, not an OAI-PMH answer; {_BASE_URLS}"


class OaiPmhSource(BaseSource[OaiPmhConfig]):
    """Harvests one repository, set by set."""

    kind: ClassVar[str] = "oai_pmh"

    @staticmethod
    def kinds_produced(config: OaiPmhConfig) -> set[str]:
        """The kinds the repository's types (``dc:type``) say."""
        return set(TYPE_KINDS.values())

    def fetch(self, state: FetchState) -> Iterator[Fetched]:
        """Yield every page of the harvest; the last one carries the new cursor: the
        harvest's start (``from`` for the next one) when it is complete, or where it
        stopped when a set reached ``max_pages`` (the next run goes on from there)."""
        cfg = self.config
        resume = _Resume.read(state.cursor)
        since = resume.since if resume else state.cursor or cfg.since
        # A repository that takes days only (its Identify says YYYY-MM-DD, as arXiv's
        # does) answers a "from" with a time badArgument: learnt so, kept in the cursor.
        by_day = resume.by_day if resume else "T" not in (state.cursor or "T")
        harvest_date: str | None = resume.started if resume else None
        stopped: _Resume | None = None
        halted: Skipped | None = None  # the page that failed after others were read
        empty: list[Skipped] = []  # sets a first harvest found no record in
        pages: list[Fetched] = []
        sets: list[str | None] = list(cfg.sets) or [None]
        first = resume.set_index if resume and resume.set_index < len(sets) else 0
        for index in range(first, len(sets)):
            params = {"verb": "ListRecords", "metadataPrefix": cfg.metadata_prefix}
            if named := sets[index]:
                params["set"] = named
            if since:
                params["from"] = since
            start = with_params(cfg.url, params)
            kept = resume.token if resume and index == first else None
            asked = kept  # the resumptionToken of the next request (None: the set's start)
            count = 0
            while True:
                if count >= cfg.max_pages:
                    assert harvest_date is not None  # a page was read, with a token
                    assert asked is not None
                    stopped = _Resume(since, index, asked, harvest_date, by_day)
                    break
                url = self._token_url(asked) if asked else start
                failure: FetchError | None = None
                goes_on = asked or ""  # the token the next run asks with ("": the set again)
                try:
                    resp = self.get(url, accept="text/xml")
                except FetchError as exc:
                    failure = exc
                else:
                    root = _xml(resp.body, cfg.id, url)
                    # When the harvest began (a repository that omits it: our clock).
                    said = (root.findtext(f"{OAI}responseDate") or "").strip()
                    harvest_date = harvest_date or said or f"{self.clock():%Y-%m-%dT%H:%M:%SZ}"
                    error = root.find(f"{OAI}error")
                    code = error.get("code", "") if error is not None else ""
                    if code == "noRecordsMatch":
                        if named and state.cursor is None:  # a first harvest: a setSpec?
                            empty.append(Skipped(url, _empty_set(named, since)))
                        break
                    if code == "badArgument" and asked is None and since and "T" in since:
                        log.info("%s: the repository takes days only; from %s", cfg.id, since)
                        since, by_day = since[:10], True
                        start = with_params(cfg.url, {**params, "from": since})
                        continue
                    if code == "badResumptionToken" and kept and asked == kept:
                        # The token kept from the last run has expired: this set again.
                        log.info("%s: the kept resumptionToken expired; set again", cfg.id)
                        kept = asked = None
                        continue
                    if code == "badResumptionToken":
                        goes_on = ""
                        failure = FetchError(cfg.id, "the repository expired our resumptionToken")
                    elif error is not None:
                        words = (error.text or "").strip()
                        failure = FetchError(cfg.id, f"OAI-PMH error {code}: {words}")
                if failure is not None:
                    # A server busy or down partway (arXiv answers 503 with Retry-After to
                    # pace harvesters), a token expired: the pages read are kept and the
                    # next run goes on from here; all of them were lost, and the harvest
                    # began again.
                    if not pages or harvest_date is None:
                        raise failure
                    stopped = _Resume(since, index, goes_on, harvest_date, by_day)
                    why = failure.message.removeprefix(url).lstrip(": ")  # (its address)
                    then = "goes on from here" if goes_on else "starts the set again"
                    halted = Skipped(url, f"the harvest stopped here ({why}); the next run {then}")
                    break
                pages.append(self.fetched(url, resp, moves_source=False))
                count += 1
                found = root.find(f"{OAI}ListRecords/{OAI}resumptionToken")
                text = (found.text or "").strip() if found is not None else ""
                asked = text or None
                if asked is None:
                    break
            if stopped is not None:
                break  # later sets wait for the run that finishes this one
        if stopped is not None:
            cursor: str | None = stopped.write()
        else:  # complete: the next harvest asks from when this one began
            cursor = _granular(harvest_date, by_day) if harvest_date else None
        notes = (*empty, *([halted] if halted else []))
        for number, page in enumerate(pages):
            last = number == len(pages) - 1
            yield page if not last or cursor is None else _with_cursor(page, cursor, notes)
        if not pages and cursor:
            yield Fetched(
                location=cfg.url, body=b"", fetched_at=self.clock(), cursor=cursor,
                skipped=notes,
            )  # fmt: skip

    def _token_url(self, token: str) -> str:
        return with_params(self.config.url, {"verb": "ListRecords", "resumptionToken": token})

    def parse(self, fetched: Fetched) -> Iterable[Item | Retraction]:
        """Map every record of one page; deleted records become retractions."""
        if not fetched.body:
            return []
        root = _xml(fetched.body, self.config.id)
        out: list[Item | Retraction] = []
        for record in root.iter(f"{OAI}record"):
            header = record.find(f"{OAI}header")
            if header is None:
                continue
            identifier = (header.findtext(f"{OAI}identifier") or "").strip()
            handle = _handle(identifier)
            key = handle or identifier  # a repository without handles: its OAI identifier
            if header.get("status") == "deleted":
                if key:
                    out.append(Retraction(item_id(self.config.id, key), "deleted at the origin"))
                continue
            metadata = record.find(f"{OAI}metadata")
            if metadata is None or not key:
                continue
            item = self._item(metadata, key, handle, header)
            if item is not None:
                out.append(item)
        return out

    def _item(self, metadata: Any, key: str, handle: str | None, header: Any) -> Item | None:
        cfg = self.config

        def all_of(name: str) -> list[str]:
            return [
                " ".join((e.text or "").split())
                for e in metadata.iter(f"{DC}{name}")
                if (e.text or "").strip()
            ]

        titles = all_of("title")
        title = titles[0] if titles else ""
        if cfg.title_filter and not any(f.lower() in title.lower() for f in cfg.title_filter):
            return None
        named = all_of("identifier")
        handle = handle or next(filter(None, map(_handle_link, named)), None)
        identifiers = [f"handle:{handle}"] if handle else []
        dois = [doi.group(1) for doi in map(_DOI.match, named) if doi]
        identifiers += [f"doi:{doi.lower()}" for doi in dois]
        if handle:
            url = f"https://hdl.handle.net/{handle}"
        else:  # none: the item is dropped for want of a link, and counted so
            url = _landing_page(named, all_of("relation"), dois, key) or ""
        issued = _issued(all_of("date"))
        language = next(filter(None, map(_language, all_of("language"))), None)
        types = all_of("type")
        sets = [s.text or "" for s in header.iter(f"{OAI}setSpec")]
        rights = all_of("rights")
        return Item(
            id=item_id(cfg.id, key),
            source=cfg.id,
            kind=kind_for(cfg, types, first_type_kind(types)),
            title=title,
            url=url,
            # Notes and abstract; a description that is an address (Digital Commons writes
            # its thumbnail's there) says nothing.
            summary=" ".join(d for d in all_of("description") if not _ADDRESS.match(d)),
            authors=tuple(all_of("creator")),
            published=date_of(issued),
            published_precision=precision_of(issued),
            language=language or cfg.language,
            categories=tuple(all_of("subject")),
            identifiers=tuple(identifiers),
            extra=tuple(
                pair
                for pair in (
                    ("rights", rights[0] if rights else ""),
                    ("sets", " ".join(sets)),
                    ("datestamp", (header.findtext(f"{OAI}datestamp") or "").strip()),
                )
                if pair[1]
            ),
        )


def _handle(identifier: str) -> str | None:
    match = _HANDLE.search(identifier.strip())
    return match.group(1) if match else None


def _handle_link(value: str) -> str | None:
    """The handle a ``dc:identifier`` links (``http://hdl.handle.net/1969.1/ETD-1982-B2``),
    whatever its suffix."""
    match = _HANDLE_LINK.match(value)
    return match.group(1) if match else None


def _language(value: str) -> str | None:
    """The language code of a ``dc:language``: ``en``, ``en_US``, ``eng`` and ``jpn`` (ISO
    639-2, as many repositories write it), or an English name (``Japanese``)."""
    tag = language_tag(value.split(",")[-1])
    return tag.split("-")[0] if tag else named_language(value)


def _landing_page(
    identifiers: list[str], relations: list[str], dois: list[str], record: str
) -> str | None:
    """Where a record without a handle is read: the page that holds its files (EPrints
    names its files in ``dc:identifier``, ``…/48082/1/paper.pdf``, and the page in
    ``dc:relation``, ``…/48082/``) or that its OAI identifier names (an EPrints record
    without files: ``oai:eprints.example.ac.uk:48082``), else its first address that is
    no file (Digital Commons, CONTENTdm, Biodiversity Heritage Library), its DOI, or a
    file of it."""
    linked = [v for v in identifiers if _ADDRESS.match(v)]
    pages = [v for v in relations if _ADDRESS.match(v) and v.endswith("/")]
    for page in pages:
        if any(v.startswith(page) and len(v) > len(page) for v in linked):
            return page
    for page in pages:
        if _is_record_page(page, record):
            return page
    for value in linked:
        if not _DOI.match(value) and not _FILE.search(value):
            return value
    if dois:
        return f"https://doi.org/{dois[0]}"
    return linked[0] if linked else None


# An OAI identifier ``oai:<repository's host>:<number>``, as EPrints names a record.
_NUMBERED = re.compile(r"^oai:(?:www\.)?([\w.-]+\.[a-z]{2,}):(\d+)$", re.I)


def _is_record_page(page: str, record: str) -> bool:
    """Whether ``page`` is the page the OAI identifier ``record`` names, as EPrints names
    a record: ``oai:eprints.example.ac.uk:48082`` is ``https://eprints.example.ac.uk/
    48082/`` (a metadata-only record of an EPrints repository names its page nowhere
    else, and 68 of 97 records of one university's repository had no link)."""
    found = _NUMBERED.match(record)
    if found is None:
        return False
    host, number = found.groups()
    parts = urlsplit(page)
    named = (parts.hostname or "").removeprefix("www.")
    return named == host.lower() and parts.path == f"/{number}/" and not parts.query


def _issued(values: list[str]) -> Dated:
    """The issued date among accessioned/available/issued: the shortest that is not a full
    timestamp and reads as a date (``2016`` beside ``May``), else the shortest timestamp."""
    partial = sorted((v for v in values if "T" not in v), key=len)
    for chosen in partial + sorted((v for v in values if "T" in v), key=len):
        found = (
            dates.parse_date(chosen)
            or dates.parse_date(_CATALOGUED.sub(_catalogued, chosen))
            or dates.parse_date(_NUMERIC_DAY.sub(_numeric_day, chosen))
            or dates.find_date(chosen.strip().strip("[]"), UTC)  # [2015-04-01], April 2015
        )
        if found:
            return found
    return None


# A year as library catalogues write it into Dublin Core: inferred ("[2015]", "(2015)"), about
# ("c2015", "ca. 2015", "©2015"), uncertain ("[2015?]"), the first of a report's years
# ("2015-2016", "2015-16"), or with its month after a slash or a dot ("2015/04"): each
# was no date, and the record undated.
_CATALOGUED = re.compile(
    r"^\s*[\[(]?\s*(?:c\.?|ca\.?|circa|©|\(c\))?\s*(\d{4})"
    r"(?:\s*[/.]\s*(\d{1,2})|\s*[-–]\s*(?:\d{4}|1[3-9]|[2-9]\d)(?!\d))?\s*\??\s*[\])]?\.?\s*$",
    re.IGNORECASE,
)


# A day written with the year last, as an American archive writes it (``12-20-2007``,
# month first) or a European one (``20/12/2007``, day first): read when its numbers say
# which is the month (one is over 12, or both are the same), else no date.
_NUMERIC_DAY = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")


def _numeric_day(match: re.Match[str]) -> str:
    """The ISO form of a :data:`_NUMERIC_DAY` day, or no date when its order is unsaid."""
    first, second, year = (int(part) for part in match.groups())
    if first > 12 >= second or first == second:
        day, month = first, second
    elif second > 12 >= first:
        month, day = first, second
    else:
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def _catalogued(match: re.Match[str]) -> str:
    """The ISO form of a :data:`_CATALOGUED` year (and month)."""
    year, month = match.groups()
    return f"{year}-{int(month):02d}" if month else year


@dataclass(frozen=True, slots=True)
class _Resume:
    """Where a harvest stopped at ``max_pages``, kept as the source's cursor (JSON) so
    that the next run goes on with the repository's resumptionToken: a first harvest of
    a large repository took the same first pages every run and never ended."""

    since: str | None  # the harvest's from
    set_index: int  # the set it stopped in (an index of ``sets``)
    token: str  # empty: the set from its start
    started: str  # the responseDate of its first page: the next harvest's from
    by_day: bool = False  # the repository takes a day as "from", not a time

    def write(self) -> str:
        """The cursor that says it."""
        return json.dumps(
            {"from": self.since, "set": self.set_index, "token": self.token,
             "started": self.started, **({"day": True} if self.by_day else {})}
        )  # fmt: skip

    @classmethod
    def read(cls, cursor: str | None) -> _Resume | None:
        """The harvest a cursor resumes; None for a date (a harvest that ended)."""
        if not cursor or not cursor.startswith("{"):
            return None
        try:
            data = json.loads(cursor)
            return cls(
                data["from"], int(data["set"]), str(data["token"]), str(data["started"]),
                data.get("day") is True,
            )  # fmt: skip
        except (ValueError, KeyError, TypeError):
            return None


def _granular(value: str, by_day: bool = False) -> str:
    """The responseDate in the repository's granularity: the second (YYYY-MM-DDThh:mm:ssZ),
    or the day (YYYY-MM-DD) for one that takes no time."""
    if by_day:
        return value[:10]
    return value[:19] + "Z" if len(value) >= 19 else value


def _with_cursor(page: Fetched, cursor: str, notes: tuple[Skipped, ...] = ()) -> Fetched:
    return dataclasses.replace(page, cursor=cursor, skipped=(*page.skipped, *notes))


def _empty_set(named: str, since: str | None) -> str:
    """The note of a set in which a first harvest found no record: a setSpec mistyped
    (``col_10986_9001`` for ``col_10986_9010``) is an empty harvest each run, without a
    word, as a repository answers noRecordsMatch for a set it does not have."""
    when = f" since {since}" if since else ""
    return (
        f"set {named!r} holds no record{when}: if that is not so, its setSpec may be "
        "mistyped (?verb=ListSets lists the repository's sets)"
    )
