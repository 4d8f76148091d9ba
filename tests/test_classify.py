"""Classification into the taxonomy, and the explanation of every tag."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from tests_support import BLOG, draft, feed_file_source

from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.forms import one_form
from tdlc_syndication.config.loader import DEMO_CONFIG, load_settings
from tdlc_syndication.config.taxonomy import DEFAULT_KINDS, Taxonomy, Term
from tdlc_syndication.pipeline.classify import Classifier, Reason, _fold, _Phrase, _phrases
from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.context import Context
from tdlc_syndication.pipeline.model import Event, Item
from tdlc_syndication.pipeline.run import run_sources


def test_explain_shows_the_rule_behind_each_tag(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    config = write_config(
        feed_file_source(tmp_path, "blog", BLOG).replace("\n", '\nplaces = ["kobe"]\n', 1)
    )
    ctx = make_context(config)
    run_sources(ctx, ctx.settings.sources)
    item_id = "blog:https://blog.example.org/cpp/?p=1398"  # the Toyama compact city notes
    result = CliRunner().invoke(
        cli, ["--config", str(config), "items", "--explain", item_id, "--json"]
    )
    assert result.exit_code == 0, result.output
    reasons = {(r["facet"], r["term"]): r["rule"] for r in json.loads(result.stdout)["reasons"]}
    assert reasons[("places", "kobe")] == "default of source 'blog'"
    assert reasons[("places", "toyama")] == "title mentions 'Toyama'"
    assert reasons[("topics", "compact-cities")] == "summary mentions 'light rail'"
    assert reasons[("kind", "article")] == "default of source 'blog'"
    missing = CliRunner().invoke(cli, ["--config", str(config), "items", "--explain", "nope"])
    assert missing.exit_code == 2


def test_classifier_matches_aliases_in_both_languages() -> None:
    settings = load_settings(DEMO_CONFIG)
    classifier = Classifier(settings.taxonomy)
    source = settings.source("toyama-news")
    item = draft(
        title="路面電車の利用者数", summary="コンパクトなまちづくりの進捗", kind="unknown-kind"
    )
    tagged, _ = classifier.classify(item, source)
    assert tagged.topics == ("compact-cities", "urban-transport")
    assert tagged.places == ("toyama",)  # the source's default
    assert tagged.kind == "article"  # unknown kind → the source's default kind
    english, _ = classifier.classify(
        draft(title="Flood storage in Fukuoka", categories=("Climate resilience",))
    )
    assert english.places == ("fukuoka",)
    assert english.topics == ("climate-resilience",)
    # Whole words only: "Kobe" must not match inside "Kobelco".
    assert classifier.classify(draft(title="Kobelco machinery"))[0].places == ()
    reasons = classifier.explain(tagged, source)
    assert any(r.term == "toyama" and "default of source" in r.rule for r in reasons)


@given(
    st.lists(st.text("skKiIßſİıK-ab", min_size=1, max_size=5), min_size=1, max_size=3),
    st.text("skKiIßſİıK-ab _\n", max_size=30),
)
def test_the_quick_probe_never_rejects_a_match(words: list[str], text: str) -> None:
    # The case-folded probe is only a shortcut: every text the pattern matches passes it
    # (both see the text in its one form, as the classifier gives it to them).
    term = Term(label=" ".join(words))
    text = one_form(text)
    for phrase in _phrases("topics", "t", term):
        if phrase.pattern is not None and phrase.found_in(text):
            assert phrase.probe in _fold(text)


_DEMO = load_settings(DEMO_CONFIG)
_VOCABULARY = sorted(
    {
        word
        for terms in (_DEMO.taxonomy.topics, _DEMO.taxonomy.places, _DEMO.taxonomy.kinds)
        for term in terms.values()
        for text in (term.label, term.label_ja or "", *term.aliases)
        for word in (text, *text.split())
        if word
    }
    | {"Kobelco", "the", "city", "-", "、", "\n", "ＴＯＤ", "ＬＲＴの", "ｺﾝﾊﾟｸﾄなまちづくり", "TODO"}
)
_TEXTS = st.lists(st.sampled_from(_VOCABULARY), max_size=8).map(" ".join)


@given(title=_TEXTS, summary=_TEXTS, categories=st.lists(_TEXTS, max_size=2))
def test_the_phrase_search_finds_what_each_pattern_finds(
    title: str, summary: str, categories: list[str]
) -> None:
    # The set search prunes with substring tests; what it reports must be what testing
    # every phrase's own pattern against every field, in rule order, reports.
    classifier = Classifier(_DEMO.taxonomy)
    item = draft(title=title, summary=summary, categories=tuple(categories), kind="x")
    fields = [("title", title), ("summary", summary), ("categories", " | ".join(categories))]

    def found_in(phrase: _Phrase, text: str) -> bool:
        form = one_form(text)  # in any width: ＴＯＤ is TOD
        if phrase.pattern is None:
            return _fold(one_form(phrase.phrase)) in _fold(form)
        return phrase.found_in(form)

    expected = []
    for phrase in classifier._phrases.phrases:
        for name, text in fields:
            if text and found_in(phrase, text):
                expected.append(
                    Reason(phrase.facet, phrase.term, f"{name} mentions {phrase.phrase!r}")
                )
                break
    reasons = classifier.explain(item)
    assert reasons[:-1] == expected
    kind = next(
        (
            Reason("kind", phrase.term, f"{name} mentions {phrase.phrase!r}")
            for phrase in classifier._kind_phrases.phrases
            for name, text in (fields[0], fields[2])
            if text and found_in(phrase, text)
        ),
        Reason("kind", "x", "origin"),
    )
    assert reasons[-1] == kind


def test_a_kind_in_the_title_sets_the_kind_nothing_else_gave() -> None:
    settings = load_settings(DEMO_CONFIG)
    classifier = Classifier(Taxonomy())  # the default kind vocabulary
    source = settings.source("toyama-news")
    toolkit, reasons = classifier.classify(
        draft(title="Compact City Toolkit for partner cities", kind=source.default_kind), source
    )
    assert toolkit.kind == "toolkit"
    assert Reason("kind", "toolkit", "title mentions 'Toolkit'") in reasons
    japanese, _ = classifier.classify(draft(title="防災まちづくり報告書", kind="article"), source)
    assert japanese.kind == "report"
    # What the origin or the source mapping says wins over the title.
    video, _ = classifier.classify(draft(title="Toolkit launch", kind="video"), source)
    assert video.kind == "video"
    plain, reasons = classifier.classify(draft(title="Tram ridership grows"), source)
    assert plain.kind == source.default_kind


def test_the_default_kinds_cover_every_kind_a_source_can_produce() -> None:
    from tdlc_syndication.sources.doctypes import TYPE_KINDS
    from tdlc_syndication.sources.registry import SOURCE_TYPES

    produced = {"article", "video", "event", *TYPE_KINDS.values()}
    assert produced <= set(Taxonomy().kinds)
    assert all(SOURCE_TYPES[kind].kind == kind for kind in SOURCE_TYPES)  # each module loads


def test_the_default_kinds_are_the_terms_their_values_validate_to() -> None:
    """The built-in kinds are made at import without validation (and without running the
    fields' default factories, which pydantic inspects slowly): each must still be what
    validating its values gives, with the same fields set, so that the settings'
    fingerprint, and every file published from it, stays the same."""
    for term in DEFAULT_KINDS.values():
        given = {name: getattr(term, name) for name in term.model_fields_set}
        validated = Term.model_validate(given)
        assert term == validated
        assert term.model_fields_set == validated.model_fields_set == {*given}
        assert term.model_dump() == validated.model_dump()
    assert DEFAULT_KINDS["guide"].model_fields_set == {"label", "label_ja", "aliases"}
    assert DEFAULT_KINDS["article"].model_fields_set == {"label", "label_ja"}
    assert DEFAULT_KINDS["article"].aliases == [] == DEFAULT_KINDS["article"].formerly


_DEMO_CLASSIFIER = Classifier(_DEMO.taxonomy)


def _tagged(title: str, classifier: Classifier = _DEMO_CLASSIFIER, **fields: Any) -> Item:
    """A draft titled ``title`` (with ``fields``) as ``classifier`` tags it."""
    return classifier.classify(draft(title=title, kind="x", **fields))[0]


def test_japanese_text_matches_in_any_width_and_next_to_latin_words() -> None:
    """Japanese cities write ``ＴＯＤ`` and ``ＬＲＴ`` in full-width letters, older systems
    ``ｺﾝﾊﾟｸﾄ`` in half-width katakana, and a Latin acronym runs into the Japanese words
    around it (``LRTの延伸``, ``第2期TOD計画``): none of them matched its alias. Latin
    words still match whole: no ``TOD`` inside ``TODO``."""

    def topics(title: str) -> tuple[str, ...]:
        return _tagged(title).topics

    assert topics("ＴＯＤの研修を実施しました") == ("compact-cities",)
    assert topics("ｺﾝﾊﾟｸﾄなまちづくりの説明会") == ("compact-cities",)
    assert topics("ＬＲＴ延伸の報告") == ("urban-transport",)
    assert topics("LRTの延伸") == ("urban-transport",)
    assert topics("第2期TOD計画") == ("compact-cities",)
    assert topics("ｔｏｄ研修") == ("compact-cities",)  # any case, as for Latin text
    assert topics("TODO list") == ()
    assert topics("LRTX延伸") == ()
    assert topics("โครงการLRTกรุงเทพ") == ("urban-transport",)  # Thai runs into it too
    # The reason names the alias as the taxonomy writes it.
    reasons = _DEMO_CLASSIFIER.explain(draft(title="ＬＲＴ延伸", kind="x"))
    assert Reason("topics", "urban-transport", "title mentions 'LRT'") in reasons


def test_a_filter_finds_its_terms_in_any_width() -> None:
    """A filter kept `include = ["TOD", "コンパクト"]` items and dropped ``ＴＯＤ研修`` and
    ``ｺﾝﾊﾟｸﾄシティ``: phrases and regular expressions match full- and half-width forms
    alike, as ``items --search`` does."""
    from tdlc_syndication.config.filters import ItemFilter
    from tdlc_syndication.pipeline.filters import item_filter

    titles = ["ＴＯＤ研修", "ｺﾝﾊﾟｸﾄシティ", "TOD研修", "ごみ収集"]
    keep = item_filter(ItemFilter(include=["TOD", "コンパクト"], fields=["title"]))
    assert [t for t in titles if keep(draft(title=t))] == titles[:3]
    regex = item_filter(ItemFilter(include=["re:^TOD"], fields=["title"]))
    assert [t for t in titles if regex(draft(title=t))] == ["ＴＯＤ研修", "TOD研修"]
    drop = item_filter(ItemFilter(exclude=["ＧＯＭＩ", "ごみ"], fields=["title", "url"]))
    assert [t for t in titles if drop(draft(title=t))] == titles[:3]
    accents = item_filter(ItemFilter(include=["Bogota"], fields=["title"]))
    assert accents(draft(title="Peer visit to Bogotá"))


def test_a_filters_latin_phrase_is_found_as_whole_words_as_the_taxonomys_are() -> None:
    """A filter's phrase was looked for anywhere in the text: ``include = ["TOD"]`` kept
    "What we learned today" and "Toddler-friendly streets", and ``exclude = ["job"]``
    dropped "A well-done jobsite visit", where the taxonomy's ``TOD`` tags neither. A
    Latin phrase is found as whole words now, as the taxonomy's terms are; Japanese
    runs into it, and an edge that is no letter (``/kokusai/``, ``C++``) needs none."""
    from tdlc_syndication.config.filters import ItemFilter
    from tdlc_syndication.pipeline.filters import item_filter

    titles = [
        "Workshop on TOD in Jakarta", "What we learned today", "Toddler-friendly streets",
        "ＴＯＤの事例", "A compact-city plan", "Compact cities, ten years on",
    ]  # fmt: skip
    keep = item_filter(ItemFilter(include=["TOD", "compact city"], fields=["title"]))
    assert [t for t in titles if keep(draft(title=t))] == [titles[0], titles[3], titles[4]]
    assert _tagged(titles[0]).topics == ("compact-cities",)  # the taxonomy's TOD
    assert _tagged(titles[1]).topics == _tagged(titles[2]).topics == ()
    drop = item_filter(ItemFilter(exclude=["job"], fields=["title"]))
    assert drop(draft(title="A well-done jobsite visit"))
    assert not drop(draft(title="Job fair"))
    paths = item_filter(ItemFilter(include=["/kokusai/", "C++"], fields=["url", "title"]))
    assert paths(draft(url="https://city.example.jp/kokusai/2026/1.html"))
    assert paths(draft(title="C++for planners"))
    assert not paths(draft(title="Planners"))


def test_a_phrase_in_hiragana_finds_its_katakana() -> None:
    """Japanese writes some words in either kana: the demo's alias ``ごみ`` did not tag
    ``ゴミ拾い`` (a clean-up), nor did a filter's ``ごみ`` keep it. A phrase with hiragana
    finds its katakana now; a katakana one does not find hiragana, which also writes the
    grammar (``バス``, a bus, is not in ``伸ばす``)."""
    from tdlc_syndication.config.filters import ItemFilter
    from tdlc_syndication.config.forms import spellings
    from tdlc_syndication.pipeline.filters import item_filter

    assert spellings("ごみ") == ("ごみ", "ゴミ")
    assert spellings("ごみ処理") == ("ごみ処理", "ゴミ処理")
    assert spellings("ゴミ") == ("ゴミ",)
    assert spellings("waste") == ("waste",)
    assert _tagged("海岸のゴミ拾いに市民300人が参加").topics == ("solid-waste",)
    assert _tagged("海岸のごみ拾いに市民300人が参加").topics == ("solid-waste",)
    reasons = _DEMO_CLASSIFIER.explain(draft(title="ゴミ拾い", kind="x"))
    assert Reason("topics", "solid-waste", "title mentions 'ゴミ'") in reasons
    titles = ["ゴミ拾い", "ごみ拾い", "ゴミ", "バス路線の再編", "期間を伸ばす"]
    keep = item_filter(ItemFilter(include=["ごみ"], fields=["title"]))
    assert [t for t in titles if keep(draft(title=t))] == titles[:3]
    buses = item_filter(ItemFilter(include=["バス"], fields=["title"]))
    assert [t for t in titles if buses(draft(title=t))] == ["バス路線の再編"]


def test_a_kind_map_key_matches_its_label_in_any_case_and_width(
    tmp_path: Path, write_config: Callable[..., Path], make_context: Callable[[Path], Context]
) -> None:
    """``kind_map = { "Events" = "event" }``, the category as a WordPress feed writes it,
    was accepted and never matched: labels were looked up lower-cased, the keys as
    written. Keys and labels now compare in any case and width; two keys that are one
    label are refused."""
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>C</title>'
        "<link>https://city.example.org/</link><description>d</description>"
        "<item><title>Webinar</title><link>https://city.example.org/w</link>"
        "<category>events</category></item>"
        "<item><title>Seminar</title><link>https://city.example.org/s</link>"
        "<category>ｾﾐﾅｰ</category></item></channel></rss>"
    )
    source = feed_file_source(tmp_path, "city", feed)
    config = write_config(source + 'kind_map = { " Events " = "event", "セミナー" = "event" }\n')
    ctx = make_context(config)
    run_sources(ctx, ctx.settings.sources)
    with ctx.open_store() as store:
        kinds = {s.item.title: s.item.kind for s in store.items("city")}
    assert kinds == {"Webinar": "event", "Seminar": "event"}
    clash = write_config(source + 'kind_map = { "Events" = "event", "events" = "report" }\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(clash)
    assert "kind_map" in str(caught.value)
    assert "'Events' and 'events' are one label" in str(caught.value)


def test_a_japanese_name_inside_another_does_not_tag_it() -> None:
    """Every notice of 東京都 (the Tokyo Metropolitan Government) was tagged Kyoto as well:
    "京都" is a substring of "東京都". Where two terms' Japanese phrases overlap in the
    text, the one that starts first (then the longer) is the word; a name that stands
    on its own still counts, however often it also overlaps."""

    def places(title: str) -> tuple[str, ...]:
        return _tagged(title).places

    assert places("東京都の防災訓練") == ("tokyo",)
    assert places("東京都庁で研修") == ("tokyo",)
    assert places("京都府の取り組み") == ("kyoto",)
    assert places("東京都と京都府の連携") == ("kyoto", "tokyo")
    assert places("京都府と東京都の連携") == ("kyoto", "tokyo")
    # Phrases of one term never hide each other: each is a reason, as before.
    reasons = _DEMO_CLASSIFIER.explain(draft(title="公共交通の再編", kind="x"))
    rules = [r.rule for r in reasons if r.term == "urban-transport"]
    assert rules == ["title mentions '公共交通'", "title mentions '交通'"]


def test_latin_names_match_with_or_without_their_accents() -> None:
    """Partner cities are written with and without accents, often in one document:
    ``Bogotá`` and ``Bogota``, ``Hà Nội`` and ``Ha Noi``, ``Đà Nẵng`` and ``Da Nang``. A
    taxonomy that wrote one form missed the other. Latin letters now match without their
    accents; Japanese keeps its voicing marks (``が`` is not ``か``)."""
    taxonomy = Taxonomy(
        places={  # slugs no text names, so that the labels alone match
            "p1": Term(label="Bogotá"),
            "p2": Term(label="Hà Nội"),
            "p3": Term(label="Da Nang"),
        },
        topics={"t1": Term(label="Schools", label_ja="がっこう")},
    )
    classifier = Classifier(taxonomy)

    def places(title: str) -> tuple[str, ...]:
        return _tagged(title, classifier).places

    assert places("Peer exchange with Bogota") == ("p1",)
    assert places("Peer exchange with BOGOTÁ") == ("p1",)
    assert places("Flood drill in Ha Noi") == ("p2",)
    assert places("Đà Nẵng visits Yokohama") == ("p3",)
    assert places("Visit to Hanoi") == ()  # one word: another spelling, not an accent
    assert _tagged("かっこう", classifier).topics == ()
    assert _tagged("がっこう", classifier).topics == ("t1",)


def test_an_events_location_names_its_place() -> None:
    """A workshop titled "Peer exchange on flood early warning" at "Yokohama Port
    Symposium Hall, Yokohama" had no place: classification read the title, summary and
    categories, not where the event happens, so `events/place/yokohama.ics` and the city's
    pages left it out. The location names places (not topics: a hall's name is no
    subject); an online event's meeting address names none."""
    start = datetime(2026, 12, 15, 5, tzinfo=UTC)

    def tagged(title: str, location: str) -> Item:
        return _tagged(title, event=Event(start=start, location=location))

    hall = tagged("Peer exchange on flood early warning", "Yokohama Port Symposium Hall, Yokohama")
    assert hall.places == ("yokohama",)
    assert "disaster-risk-management" in hall.topics  # from the title, as before
    assert tagged("ごみ分別の現地視察", "北九州市小倉北区").places == ("kitakyushu",)
    assert tagged("Site visit", "Kobe Disaster Reduction Museum").topics == ()
    assert tagged("Webinar", "https://kobe-meet.example.org/room").places == ()
    reasons = _DEMO_CLASSIFIER.explain(
        draft(title="Visit", kind="event", event=Event(start=start, location="Toyama"))
    )
    assert Reason("places", "toyama", "location mentions 'Toyama'") in reasons
