"""``feeds.opml``: every published feed in OPML 2.0, grouped by facet, for reader import."""

from __future__ import annotations

import hashlib
import json

from lxml import etree

from tdlc_syndication.outputs.base import Output, Plan
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.view import GROUP_TITLES, FeedSpec, StoreView


class OpmlPublisher:
    """Plans ``feeds.opml``, listing the Atom URL of every feed."""

    name = "opml"

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """The list, fingerprinted by the feeds it names."""
        specs = view.specs(view.store.feed_stats())
        blob = json.dumps([settings_fp, [(s.key, s.title, s.description) for s in specs]])
        output = Output(
            path="feeds.opml",
            owner="opml",
            fingerprint=hashlib.sha256(blob.encode()).hexdigest(),
            render=lambda: self._render(view, specs),
        )
        return Plan(owners={"opml"}, outputs=[output])

    def _render(self, store: StoreView, specs: list[FeedSpec]) -> bytes:
        site = store.settings.site
        root = etree.Element("opml", version="2.0")
        head = etree.SubElement(root, "head")
        etree.SubElement(head, "title").text = f"{site.title}: all feeds"
        if site.author:
            etree.SubElement(head, "ownerName").text = site.author
        if site.author_email:
            etree.SubElement(head, "ownerEmail").text = site.author_email
        etree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
        body = etree.SubElement(root, "body")
        groups: dict[str, etree._Element] = {}
        for spec in specs:
            group = groups.get(spec.group)
            if group is None:
                group = etree.SubElement(body, "outline", text=GROUP_TITLES[spec.group])
                groups[spec.group] = group
            etree.SubElement(
                group,
                "outline",
                type="rss",
                text=spec.title,
                title=spec.title,
                description=spec.description,
                xmlUrl=store.url(spec.path("atom")),
                htmlUrl=site.base_url,
                language=site.language,
            )
        data: bytes = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
        return data
