"""``[taxonomy]``: the program's topics, places and kinds of material, with the built-in
kinds every source can produce."""

from __future__ import annotations

from typing import Any

from pydantic import Field, PrivateAttr, field_validator

from tdlc_syndication.config.base import Renamable, Slug, Strict, check_plain_text
from tdlc_syndication.config.forms import searchable


class Term(Renamable):
    """One taxonomy term (topic or place) with its labels and matching aliases."""

    label: str = Field(min_length=1, description="English label shown in feeds and pages.")
    label_ja: str | None = Field(
        default=None, description="Japanese label, shown as the term's category in Japanese feeds."
    )
    aliases: list[str] = Field(
        default_factory=list,
        description="Extra words or phrases (any language) that tag an item with this term.",
    )
    formerly: list[Slug] = Field(
        default_factory=list,
        description="Slugs this term had before it was renamed: items, sources, feeds and "
        "overrides that name one get this term, and its old feed, calendar and page "
        "addresses keep answering (copies of the new feeds, redirects in _redirects).",
    )

    _plain = field_validator("label", "label_ja")(check_plain_text)


def _names(terms: dict[str, Term]) -> dict[str, str]:
    """Every name of each term (in the searchable form) with its slug: the slugs first,
    then the other names (one two terms share is the first's)."""
    found: dict[str, str] = {searchable(slug): slug for slug in terms}
    for slug, term in terms.items():
        words = (slug, slug.replace("-", " "), *term.formerly, term.label, term.label_ja,
                 *term.aliases)  # fmt: skip
        for word in (searchable(w).strip() for w in words if w):
            found.setdefault(word, slug)
            if word.isascii() and not word.endswith("s"):
                found.setdefault(f"{word}s", slug)
    return found


def _kind(label: str, label_ja: str, aliases: list[str] | None = None) -> Term:
    """A built-in kind, known valid: made without running the validators, which would be
    built for it at import. Every field is given a value (the fields set are those given):
    a field left out is filled by its default factory, which pydantic first inspects
    with ``inspect.signature``, and that costs a few milliseconds at every start."""
    given: dict[str, Any] = {"label": label, "label_ja": label_ja}
    if aliases:
        given["aliases"] = aliases
    return Term.model_construct(set(given), **{"aliases": [], "formerly": [], **given})


DEFAULT_KINDS: dict[str, Term] = {
    "article": _kind(label="Article", label_ja="記事"),
    "knowledge_note": _kind(
        label="Knowledge note", label_ja="ナレッジノート", aliases=["knowledge brief"]
    ),
    "toolkit": _kind(label="Toolkit", label_ja="ツールキット", aliases=["tool kit"]),
    "guide": _kind(
        label="Good practice guide",
        label_ja="グッドプラクティス",
        aliases=["guidebook", "handbook", "good practices", "ガイドブック", "手引き"],
    ),
    "video": _kind(label="Video", label_ja="動画", aliases=["webinar recording"]),
    "event": _kind(label="Event", label_ja="イベント", aliases=["webinar"]),
    "report": _kind(label="Report", label_ja="報告書", aliases=["レポート"]),
    "working_paper": _kind(label="Working paper", label_ja="ワーキングペーパー"),
    "brief": _kind(label="Brief", label_ja="概要", aliases=["policy brief", "policy note"]),
    "presentation": _kind(
        label="Presentation", label_ja="発表資料", aliases=["slides", "スライド"]
    ),
    "agenda": _kind(label="Agenda", label_ja="プログラム"),
    "project_doc": _kind(label="Project document", label_ja="プロジェクト文書"),
}


class Taxonomy(Strict):
    """``[taxonomy]``: the program's topics, places and kinds of material."""

    topics: dict[Slug, Term] = Field(default_factory=dict, description="Topic terms by slug.")
    places: dict[Slug, Term] = Field(default_factory=dict, description="Place terms by slug.")
    kinds: dict[Slug, Term] = Field(
        default_factory=lambda: dict(DEFAULT_KINDS),
        description="The vocabulary of item kinds. The default covers every kind a source "
        "can produce; labels and aliases found in a title or the origin's categories set "
        "the kind of an item that nothing else gave one.",
    )

    def vocabularies(self) -> tuple[tuple[str, dict[str, Term]], ...]:
        """The three facets' terms by slug: (``topics``, …), (``places``, …), (``kinds``, …)."""
        return (("topics", self.topics), ("places", self.places), ("kinds", self.kinds))

    _renamed: dict[str, dict[str, str]] | None = PrivateAttr(default=None)

    def renamed(self, facet: str) -> dict[str, str]:
        """The former slugs of a facet's terms (``topics``, ``places``, ``kinds``), each
        with the term's slug now."""
        if self._renamed is None:
            self._renamed = {
                name: {old: slug for slug, term in terms.items() for old in term.formerly}
                for name, terms in self.vocabularies()
            }
        return self._renamed[facet]

    def current(self, facet: str, slug: str) -> str:
        """The slug a term of ``facet`` has now (``slug`` itself unless it is a former one)."""
        return self.renamed(facet).get(slug, slug)

    _names: dict[str, dict[str, str]] | None = PrivateAttr(default=None)

    def named(self, facet: str, text: str) -> str | None:
        """The slug of the term of ``facet`` (``topics``, ``places``, ``kinds``) that
        ``text`` names: its slug (with spaces for hyphens too), a former slug, its label,
        Japanese label or an alias, or one of those with an English plural's ``s``
        ("Videos"), in any case and width (``Kobe``, ``神戸``, ``ＫＯＢＥ``); None when it
        names none."""
        if self._names is None:
            self._names = {name: _names(terms) for name, terms in self.vocabularies()}
        return self._names[facet].get(searchable(text).strip())
