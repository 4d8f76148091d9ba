"""What feedparser 6 knows, as tables: the elements it has a handler for, the namespaces it
files under a fixed prefix, and those of them this project never reads.

:mod:`sources.fastfeed` reads a feed with lxml only when every element is one these tables
say it reproduces exactly; ``tests/test_fastfeed.py`` checks ``FEEDPARSER_ELEMENTS`` against
the installed feedparser.
"""

ATOM = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"  # Atom 0.3's (old Japanese blog services' feeds)
RSS1 = "http://purl.org/rss/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"

# Every element feedparser 6 has a handler for (its ``_start_*``/``_end_*`` methods, with
# the standard namespace prefix). An element outside this set only lands under its own
# key, which this project never reads; one inside it that the fast path does not handle
# means the document goes to feedparser. tests/test_fastfeed.py checks the list against
# the installed feedparser.
FEEDPARSER_ELEMENTS = frozenset(
    [
        "abstract",
        "author",
        "body",
        "category",
        "cc_license",
        "channel",
        "cloud",
        "content",
        "content_encoded",
        "contributor",
        "copyright",
        "created",
        "creativecommons_license",
        "dc_author",
        "dc_contributor",
        "dc_creator",
        "dc_date",
        "dc_description",
        "dc_language",
        "dc_publisher",
        "dc_rights",
        "dc_subject",
        "dc_title",
        "dcterms_created",
        "dcterms_issued",
        "dcterms_modified",
        "dcterms_valid",
        "georss_point",  # (a place: feedparser files it under "where")
        "georss_line",
        "georss_polygon",
        "georss_box",
        "description",
        "email",
        "enclosure",
        "entry",
        "expirationdate",
        "feed",
        "feedburner_browserfriendly",
        "fullitem",
        "generator",
        "geom",
        "georss_box",
        "georss_line",
        "georss_point",
        "georss_polygon",
        "georss_where",
        "georssgeom",
        "gml_exterior",
        "gml_linearring",
        "gml_linestring",
        "gml_point",
        "gml_polygon",
        "gml_pos",
        "gml_poslist",
        "guid",
        "height",
        "homepage",
        "id",
        "image",
        "info",
        "issued",
        "item",
        "itunes_author",
        "itunes_block",
        "itunes_category",
        "itunes_email",
        "dcterms_valid",
        "georss_point",  # (a place: feedparser files it under "where")
        "georss_line",
        "georss_polygon",
        "georss_box",
        "itunes_explicit",
        "itunes_image",
        "itunes_keywords",
        "itunes_link",
        "itunes_name",
        "itunes_owner",
        "itunes_subtitle",
        "itunes_summary",
        "keywords",
        "language",
        "lastbuilddate",
        "link",
        "managingeditor",
        "media_category",
        "media_content",
        "media_credit",
        "media_description",
        "media_group",
        "media_keywords",
        "media_license",
        "media_player",
        "media_rating",
        "media_restriction",
        "media_thumbnail",
        "media_title",
        "modified",
        "name",
        "newlocation",
        "psc_chapter",
        "psc_chapters",
        "pubdate",
        "published",
        "rights",
        "rss",
        "source",
        "subtitle",
        "summary",
        "tagline",
        "tags",
        "textinput",
        "title",
        "updated",
        "uri",
        "url",
        "webmaster",
        "where",
        "width",
        "xhtml_body",
    ]
)
# Namespaces whose elements feedparser files under a fixed prefix (the ones with handlers,
# and the two whose keys this project reads), in small letters: feedparser knows a
# namespace however its address is written (``http://www.itunes.com/dtds/…``).
_PREFIXES_AS_WRITTEN = {
    DC: "dc",
    CONTENT: "content",
    "http://purl.org/dc/terms/": "dcterms",
    "http://webns.net/mvcb/": "admin",
    "http://creativecommons.org/ns#license": "cc",
    "http://web.resource.org/cc/": "cc",
    "http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html": "creativecommons",
    "http://backend.userland.com/creativeCommonsRssModule": "creativecommons",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
    "http://www.georss.org/georss": "georss",
    "http://www.opengis.net/gml": "gml",
    "http://www.itunes.com/DTDs/PodCast-1.0.dtd": "itunes",
    "http://example.com/DTDs/PodCast-1.0.dtd": "itunes",
    "http://search.yahoo.com/mrss": "media",
    "http://search.yahoo.com/mrss/": "media",
    "http://podlove.org/simple-chapters": "psc",
    "http://www.w3.org/1999/xhtml": "xhtml",
    "http://www.youtube.com/xml/schemas/2015": "yt",
}
PREFIXES = {uri.lower(): prefix for uri, prefix in _PREFIXES_AS_WRITTEN.items()}
# Keys the fast path never reproduces: a document with one goes to feedparser.
NEVER_READ = ("yt_", "gml_", "psc_")
# YouTube's elements feedparser files under its own keys, which the fast path reads: a
# video's id (an entry's), and the channel or playlist a feed is (the feed's).
YOUTUBE = frozenset({"yt_videoid", "yt_channelid", "yt_playlistid"})
# Elements with a handler whose keys this project never reads.
INERT = frozenset(
    {"rights", "copyright", "dc_rights", "dc_publisher", "expirationdate", "dcterms_valid"}
    | {"georss_point", "georss_line", "georss_polygon", "georss_box"}  # (places: "where")
    | {"itunes_explicit", "itunes_block", "itunes_subtitle"}
)
# The elements that give an entry a date, and the key feedparser files each under (Atom's,
# RSS's, Dublin Core's and their older names: ``lastBuildDate`` in an item is its update).
DATES = {
    "published": "published",
    "pubdate": "published",
    "issued": "published",
    "dcterms_issued": "published",
    "updated": "updated",
    "modified": "updated",
    "lastbuilddate": "updated",
    "dc_date": "updated",
    "dcterms_modified": "updated",
    "created": "created",
    "dcterms_created": "created",
}
# Elements without a handler whose keys this project reads (note.com's author, FeedBurner's
# original link, YouTube's).
OWN_KEYS = frozenset({"note_creatorname", "feedburner_origlink", *YOUTUBE})


def ignored(key: str) -> bool:
    """Whether both readings ignore an element: feedparser has no handler for it (it files
    the element's text or attributes under ``key`` and nothing else) and this project
    never reads ``key``: Google Reader's ``gr:likingUser``, Posterous's ``author``, a
    taxonomy's topics."""
    return key not in FEEDPARSER_ELEMENTS and key not in OWN_KEYS and not key.startswith(NEVER_READ)
