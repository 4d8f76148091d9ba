"""OPML 2.0 lists of the published feeds for reader import: ``feeds.opml`` that gives each
item once, and one list per group of feeds."""

from __future__ import annotations

import hashlib
import json

from lxml import etree

from tdlc_syndication.outputs.base import Output, Plan
from tdlc_syndication.outputs.document import feed_language
from tdlc_syndication.outputs.index import Changes
from tdlc_syndication.outputs.view import GROUP_TITLES, FeedSpec, StoreView
from tdlc_syndication.outputs.xml import html_text
from tdlc_syndication.pipeline.uris import mail_address


class OpmlPublisher:
    """Plans ``feeds.opml`` (each item once: the kind feeds, which never overlap) and one
    list per group (``feeds-main.opml``, ``feeds-topic.opml``, ``feeds-place.opml``,
    ``feeds-kind.opml``, ``feeds-language.opml``) for readers who want those."""

    name = "opml"

    def plan(self, view: StoreView, changes: Changes, settings_fp: str) -> Plan:
        """The lists, fingerprinted by the feeds they name."""
        specs = view.specs(view.feed_stats())
        groups: dict[str, list[FeedSpec]] = {}
        for spec in specs:
            groups.setdefault(spec.group, []).append(spec)
        site = view.settings.site
        lists = {
            # Every item is of exactly one kind: importing these gives each item once.
            "feeds.opml": (
                f"{site.title}{view.say(': every item once, by kind')}",
                groups.get("kind", []),
            ),
            **{
                f"feeds-{group}.opml": (
                    f"{site.title}{view.say(': ')}{view.say(GROUP_TITLES[group]).lower()}",
                    members,
                )
                for group, members in groups.items()
            },
        }
        outputs = []
        for path, (title, members) in lists.items():
            blob = json.dumps(
                [settings_fp, path, title, [(s.key, s.title, s.description) for s in members]]
            )
            outputs.append(
                Output(
                    path=path,
                    owner="opml",
                    fingerprint=hashlib.sha256(blob.encode()).hexdigest(),
                    render=lambda title=title, members=members: self._render(view, members, title),  # type: ignore[misc]
                )
            )
        return Plan(owners={"opml"}, outputs=outputs)

    def _render(self, store: StoreView, specs: list[FeedSpec], title: str) -> bytes:
        # The validator reads OPML's titles and names as HTML (NotHtml): see html_text.
        site = store.settings.site
        root = etree.Element("opml", version="2.0")
        head = etree.SubElement(root, "head")
        etree.SubElement(head, "title").text = html_text(title)
        if site.author:
            etree.SubElement(head, "ownerName").text = html_text(site.author)
        if site.author_email:
            etree.SubElement(head, "ownerEmail").text = mail_address(site.author_email)
        body = etree.SubElement(root, "body")
        groups: dict[str, etree._Element] = {}
        for spec in specs:
            group = groups.get(spec.group)
            if group is None:
                group = etree.SubElement(body, "outline", text=store.say(GROUP_TITLES[spec.group]))
                groups[spec.group] = group
            etree.SubElement(
                group,
                "outline",
                type="rss",
                text=html_text(spec.title),
                title=html_text(spec.title),
                description=html_text(spec.description),
                xmlUrl=store.url(spec.path("atom")),
                htmlUrl=store.url(spec.home),
                language=feed_language(store, spec),
            )
        data: bytes = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
        return data
