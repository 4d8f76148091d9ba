"""Classification into the program's taxonomy: topics, places and kind.

Each taxonomy term matches its slug (``compact-cities`` → "compact cities"), its labels
and its aliases. Latin-script phrases match whole words, case-insensitively: a word ends
at anything but a letter or digit of a script written with spaces, so ``LRT`` is found in
``LRTの延伸`` (Japanese runs into it) but not in ``LRTX``. Japanese phrases match as
substrings (Japanese has no spaces between words), one with hiragana in katakana too
(``ごみ`` finds ``ゴミ``: ``config.forms.spellings``). Full- and half-width forms are one
(``ＴＯＤ`` is ``TOD``, ``ｺﾝﾊﾟｸﾄ`` is ``コンパクト``), and Latin letters match without
their accents (``Bogotá`` is ``Bogota``): ``config.forms.one_form``.
Matching runs over the title, summary and the origin's own categories, and for places
over an event's location too. Every tag can be explained.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Protocol

from tdlc_syndication.config.forms import one_form, spellings
from tdlc_syndication.config.models import Settings, SourceConfig
from tdlc_syndication.config.taxonomy import Taxonomy, Term
from tdlc_syndication.pipeline.model import Item
from tdlc_syndication.pipeline.phrases import found_whole, words_pattern
from tdlc_syndication.pipeline.scripts import has_japanese


class HasSettings(Protocol):
    """Anything that carries the settings (a run context)."""

    @property
    def settings(self) -> Settings:
        """The settings."""
        ...


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a tag was set: ``facet`` (topics/places/kind), the term, and the rule."""

    facet: str
    term: str
    rule: str


@dataclass(frozen=True, slots=True)
class _Phrase:
    facet: str
    term: str
    phrase: str  # as the taxonomy writes it
    pattern: re.Pattern[str] | None  # None: substring match (Japanese)
    probe: str  # case-folded text every match contains (a quick test before the pattern)

    def found_in(self, text: str) -> bool:
        """Whether a Latin phrase is in ``text`` (in its one form) as whole words."""
        assert self.pattern is not None, "a Japanese phrase is a substring (_PhraseSet)"
        return found_whole(self.pattern, text)


def _phrases(facet: str, slug: str, term: Term) -> list[_Phrase]:
    slugs = [slug, *term.formerly]  # a renamed term finds what its old slug found
    candidates = [term.label, term.label_ja or ""]
    candidates.extend(s.replace("-", " ").replace("_", " ") for s in slugs)
    candidates.extend(term.aliases)
    texts: dict[str, str] = {}  # case-folded → first spelling (labels win)
    for text in (t.strip() for t in candidates):
        if text:
            texts.setdefault(text.casefold(), text)
    out = []
    for text in texts.values():
        form = one_form(text)
        if has_japanese(form):  # with hiragana, in katakana too: ごみ finds ゴミ
            out.append(_Phrase(facet, slug, text, None, _fold(form)))
            out.extend(_Phrase(facet, slug, s, None, _fold(s)) for s in spellings(form)[1:])
        else:
            pattern = words_pattern(form)  # whole words: _Phrase.found_in
            longest = max(form.split(), key=len)
            # Only an ASCII word folds the way re.IGNORECASE matches (see _fold).
            probe = _fold(longest) if longest.isascii() else ""
            out.append(_Phrase(facet, slug, text, pattern, probe))
    return out


class Classifier:
    """Tags items with taxonomy terms; built once per run from the settings."""

    @classmethod
    def of(cls, holder: HasSettings) -> Classifier:
        """The classifier of a run's settings."""
        return cls(holder.settings.taxonomy)

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        # A renamed term's former slugs, by facet: each with the slug the term has now.
        self._renamed = {f: taxonomy.renamed(f) for f in ("topics", "places", "kinds")}
        tags: list[_Phrase] = []
        for slug, term in taxonomy.topics.items():
            tags.extend(_phrases("topics", slug, term))
        for slug, term in taxonomy.places.items():
            tags.extend(_phrases("places", slug, term))
        self._phrases = _PhraseSet(tags)
        self._place_phrases = _PhraseSet([p for p in tags if p.facet == "places"])
        kinds: list[_Phrase] = []
        for slug, term in taxonomy.kinds.items():
            kinds.extend(_phrases("kind", slug, term))
        self._kind_phrases = _PhraseSet(kinds)

    def explain(self, item: Item, source: SourceConfig | None = None) -> list[Reason]:
        """Every reason that sets a topic, place or the kind of ``item``, in rule order."""
        reasons: list[Reason] = []
        known = {"topics": self.taxonomy.topics, "places": self.taxonomy.places}
        item = self._current(item)
        for facet in ("topics", "places"):
            given = getattr(source, facet, []) if source else []
            renamed = self._renamed[facet]  # old spellings too
            defaults = [renamed.get(slug, slug) for slug in given] if renamed else given
            for slug in defaults:
                reasons.append(Reason(facet, slug, f"default of source {source.id!r}"))  # type: ignore[union-attr]
            for slug in getattr(item, facet):
                if slug in known[facet] and slug not in defaults:
                    reasons.append(Reason(facet, slug, "given by the origin"))
        fields = {
            "title": item.title,
            "summary": item.summary,
            "categories": " | ".join(
                (
                    *item.categories,
                    *(
                        t
                        for t in (*item.topics, *item.places)
                        if t not in known["topics"] and t not in known["places"]
                    ),
                )
            ),
        }
        forms = {name: one_form(text) for name, text in fields.items() if text}
        folded = {name: (text, _fold(text)) for name, text in forms.items()}
        for phrase, name in self._phrases.mentioned(folded.items()):
            reasons.append(Reason(phrase.facet, phrase.term, f"{name} mentions {phrase.phrase!r}"))
        reasons.extend(self._location_reasons(item, reasons))
        reasons.append(self._kind_reason(item, source, folded))
        return reasons

    def _current(self, item: Item) -> Item:
        """The item with the slugs its terms have now where it names a renamed one."""
        if not any(self._renamed.values()):
            return item
        topics, places, kinds = (self._renamed[f] for f in ("topics", "places", "kinds"))
        return replace(
            item,
            topics=tuple(topics.get(t, t) for t in item.topics),
            places=tuple(places.get(p, p) for p in item.places),
            kind=kinds.get(item.kind, item.kind),
        )

    def _location_reasons(self, item: Item, found: list[Reason]) -> list[Reason]:
        """The places an event's location names (not its topics: a hall's name is no
        subject), besides those the text named already; none for a meeting address."""
        location = item.event.location if item.event else None
        if not location or "://" in location:
            return []
        form = one_form(location)
        named = {r.term for r in found if r.facet == "places"}
        return [
            Reason("places", phrase.term, f"location mentions {phrase.phrase!r}")
            for phrase, _ in self._place_phrases.mentioned([("location", (form, _fold(form)))])
            if phrase.term not in named
        ]

    def _kind_reason(
        self, item: Item, source: SourceConfig | None, folded: dict[str, tuple[str, str]]
    ) -> Reason:
        """The kind: the origin's or the source mapping's; when that is only the source's
        default, a kind label or alias in the title or categories; else the default."""
        kinds = self._renamed["kinds"]
        default_kind = kinds.get(source.default_kind, source.default_kind) if source else None
        if item.kind in self.taxonomy.kinds and (source is None or item.kind != default_kind):
            return Reason("kind", item.kind, "origin or source mapping")
        searched = [(name, folded[name]) for name in ("title", "categories") if name in folded]
        for phrase, name in self._kind_phrases.mentioned(searched):
            return Reason("kind", phrase.term, f"{name} mentions {phrase.phrase!r}")
        if item.kind in self.taxonomy.kinds or source is None:
            return Reason(
                "kind", item.kind, f"default of source {source.id!r}" if source else "origin"
            )
        return Reason(
            "kind",
            default_kind or source.default_kind,
            f"unknown kind {item.kind!r}; default of source {source.id!r}",
        )

    def classify(self, item: Item, source: SourceConfig | None = None) -> tuple[Item, list[Reason]]:
        """Return the item with topics, places and kind set from the taxonomy, and the
        reason for each tag (what ``syndicate items --explain`` shows)."""
        reasons = self.explain(item, source)
        tagged = replace(
            item,
            topics=_ordered(r.term for r in reasons if r.facet == "topics"),
            places=_ordered(r.term for r in reasons if r.facet == "places"),
            kind=next(r.term for r in reasons if r.facet == "kind"),
        )
        return tagged, reasons


class _PhraseSet:
    """Phrases in rule order, searched together: a quick substring test of every phrase
    picks the few that may match a text, and only those run their pattern."""

    def __init__(self, phrases: list[_Phrase]) -> None:
        self.phrases = phrases
        # A case-insensitive match contains the phrase's longest word, case-folded; a
        # Japanese phrase is a substring of the case-folded text.
        self._folded = [(i, p.probe) for i, p in enumerate(phrases) if p.pattern is not None]
        self._written = [(i, p.probe) for i, p in enumerate(phrases) if p.pattern is None]

    def mentioned(
        self, fields: Iterable[tuple[str, tuple[str, str]]]
    ) -> Iterator[tuple[_Phrase, str]]:
        """Each phrase some field mentions, in rule order, with the first such field;
        ``fields`` are (name, (text, folded text)) in the order they are searched."""
        first: dict[int, str] = {}
        for name, (text, folded) in fields:
            maybe = [i for i, probe in self._folded if probe in folded]
            maybe.extend(self._words([i for i, p in self._written if p in folded], folded))
            for i in maybe:
                phrase = self.phrases[i]
                if i not in first and (phrase.pattern is None or phrase.found_in(text)):
                    first[i] = name
        for i in sorted(first):
            yield self.phrases[i], first[i]

    def _words(self, found: list[int], folded: str) -> list[int]:
        """The Japanese phrases among ``found`` (all in ``folded``) that are words there:
        where phrases of two terms overlap ("東京" and "京都" in "東京都"), the one that
        starts first, then the longer, is the word and the other is not, at that place.
        Phrases of one term never hide each other."""
        if len(found) < 2:
            return found
        places = sorted(
            (start, -len(probe), i)
            for i in found
            for probe in (self.phrases[i].probe,)
            for start in _starts(folded, probe)
        )
        # Occurrences come in order of their start, so one overlaps a word kept before it
        # when that word ends after it starts: each term's furthest end is enough (a
        # list of the kept words made a text of many names take seconds).
        reach: dict[tuple[str, str], int] = {}  # term → where its kept words end, at most
        words: set[int] = set()
        for start, minus_length, i in places:
            term = (self.phrases[i].facet, self.phrases[i].term)
            if any(end > start for other, end in reach.items() if other != term):
                continue
            reach[term] = max(reach.get(term, 0), start - minus_length)
            words.add(i)
        return [i for i in found if i in words]


def _starts(text: str, part: str) -> Iterator[int]:
    """Every place ``part`` starts in ``text`` (overlapping ones too)."""
    at = text.find(part)
    while at >= 0:
        yield at
        at = text.find(part, at + 1)


_DOTLESS_I = str.maketrans({"ı": "i"})


def _fold(text: str) -> str:
    """Case-fold so that every ASCII letter re.IGNORECASE matches folds to itself.

    Python's case-insensitive ASCII letters also match 'İ', 'ı', 'ſ' and the Kelvin sign;
    casefold() maps all of them onto their ASCII letter (or a string holding it) except 'ı'.
    """
    return text.casefold().translate(_DOTLESS_I)


def _ordered(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))
