"""Classification into the taxonomy, and the explanation of every tag."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from tests_support import BLOG, draft, feed_file_source

from tdlc_syndication.config.loader import DEMO_CONFIG, load_settings
from tdlc_syndication.config.taxonomy import Taxonomy, Term
from tdlc_syndication.pipeline.classify import Classifier, Reason, _fold, _phrases
from tdlc_syndication.pipeline.cli import cli
from tdlc_syndication.pipeline.context import Context
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
    # The case-folded probe is only a shortcut: every text the pattern matches passes it.
    term = Term(label=" ".join(words))
    for phrase in _phrases("topics", "t", term):
        if phrase.pattern is not None and phrase.pattern.search(text):
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
    | {"Kobelco", "the", "city", "-", "、", "\n"}
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
    expected = []
    for phrase in classifier._phrases.phrases:
        for name, text in fields:
            found = phrase.phrase in text if phrase.pattern is None else phrase.pattern.search(text)
            if text and found:
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
            if text
            and (phrase.phrase in text if phrase.pattern is None else phrase.pattern.search(text))
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
    from tdlc_syndication.sources.registry import SOURCE_TYPES
    from tdlc_syndication.sources.worldbank import DOC_KINDS

    produced = {"article", "video", "event", *DOC_KINDS.values()}
    assert produced <= set(Taxonomy().kinds)
    assert all(SOURCE_TYPES[kind].kind == kind for kind in SOURCE_TYPES)  # each module loads
