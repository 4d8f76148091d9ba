"""``sitemap.xml`` (the Sitemaps protocol, sitemaps.org 0.9): every page of the site for
search engines, so that a topic's, a city's or a kind's page and every digest issue can
be found from a search, each with when it last changed where that is known (a term's
newest material, an issue's publication). The old pages of renamed terms are left out
(they send browsers on, and ask not to be indexed).

A site at the root of its host also gets ``robots.txt``, which names the sitemap; one
under a path (``https://example.org/cpp/``) cannot: crawlers read robots.txt at the root
only (README: the line to add to the host's own).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from tdlc_syndication.outputs.base import Plan, fixed_output
from tdlc_syndication.outputs.facets import Layout
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.view import PAGE_FACETS, StoreView, term_page
from tdlc_syndication.outputs.xml import DECLARATION, element

PATH = "sitemap.xml"
ROBOTS = "robots.txt"
OWNER = "sitemap"
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MOST = 50_000  # URLs a sitemap may list


class SitemapPublisher:
    """Plans ``sitemap.xml`` and, for a site at its host's root, ``robots.txt``."""

    name = "sitemap"

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """The sitemap, fingerprinted by its bytes (rendering it is reading a few
        hundred rows); none when ``[site] sitemap`` is false (published ones deleted)."""
        if not view.settings.site.sitemap:
            return Plan(owners={OWNER})
        data = render_sitemap(view)
        outputs = [fixed_output(PATH, OWNER, data)]
        if urlsplit(view.url("")).path in ("", "/"):
            robots = f"User-agent: *\nDisallow:\n\nSitemap: {view.url(PATH)}\n"
            outputs.append(fixed_output(ROBOTS, OWNER, robots.encode()))
        return Plan(owners={OWNER}, outputs=outputs)


def pages(view: StoreView) -> Iterator[tuple[str, str | None]]:
    """Every page of the site (its path) and when it last changed, if that is known."""
    site = view.settings.site
    stats = view.feed_stats()
    newest = stats["all"][1]
    yield "index.html", newest
    yield "feeds/index.html", newest
    if site.search:
        yield "search/index.html", newest
    issues = view.store.issues(bodies=False)
    if issues or view.settings.digest.enabled:
        published = {week: issue.published_at.replace(microsecond=0).isoformat()
                     for week, issue in issues.items()}  # fmt: skip
        yield "digest/index.html", max(published.values()) if published else None
        for week in sorted(published, reverse=True):
            yield f"digest/{week}/index.html", published[week]
    for spec in view.specs(stats):
        if spec.group not in PAGE_FACETS:
            continue
        count, changed = stats[spec.key]
        facet, _, term = spec.key.partition(":")
        yield term_page(facet, term), changed
        # Older pages keep what they hold as materials arrive: no date to give.
        for number in reversed(Layout(count).numbers):
            yield term_page(facet, term, number), None


def render_sitemap(view: StoreView) -> bytes:
    """The sitemap: the first ``MOST`` pages (the newest terms' older pages last)."""
    out = [DECLARATION, f'<urlset xmlns="{NS}">\n']
    for number, (path, changed) in enumerate(pages(view)):
        if number == MOST:
            break
        out.append("  <url>\n")
        out.append(element("    ", "loc", view.url(path)))
        if changed:
            out.append(element("    ", "lastmod", changed))
        out.append("  </url>\n")
    out.append("</urlset>\n")
    return "".join(out).encode("utf-8")
