"""``syndicate items``: the stored items, and why each was tagged as it is."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import click

from tdlc_syndication.config.forms import mentions
from tdlc_syndication.pipeline.cli.app import App, cli, pass_app
from tdlc_syndication.pipeline.cli.show import item_json, table, with_when

if TYPE_CHECKING:
    from tdlc_syndication.config.editorial import Override
    from tdlc_syndication.pipeline.model import StoredItem
    from tdlc_syndication.pipeline.store import Store


@cli.command()
@click.option("--source", "source_id", help="Only items of this source.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON with every schema field.")
@click.option("--ids", "ids_only", is_flag=True, help="Print the full ids only, one a line.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Published or found since.")
@click.option("--week", metavar="YYYY-Www", help="The items of this week's digest issue.")
@click.option("--kind", help="Only this kind, by slug, label or alias (after overrides).")
@click.option("--topic", help="Items with this topic, by slug, label or alias (after overrides).")
@click.option("--place", help="Items with this place, by slug, label or alias (after overrides).")
@click.option(
    "--search",
    metavar="TEXT",
    help="Title, summary or authors contain TEXT (any case; full- and half-width alike; "
    "Latin letters with or without accents; hiragana also as katakana: ごみ finds ゴミ).",
)
@click.option(
    "--explain", "explain_id", metavar="ID", help="Show which rule set each topic, place and kind."
)
@pass_app
def items(
    app: App,
    source_id: str | None,
    limit: int,
    as_json: bool,
    ids_only: bool,
    since: datetime | None,
    week: str | None,
    kind: str | None,
    topic: str | None,
    place: str | None,
    search: str | None,
    explain_id: str | None,
) -> None:
    """List stored items, newest first, as the outputs show them.

    Overridden titles are shown as edited (marked *), hidden and pinned items are marked,
    duplicates name their canonical item; ids are never cut (--ids prints them alone)."""
    if explain_id is not None:
        explain(app, explain_id, as_json)
        return
    from tdlc_syndication.config.forms import searchable, spellings
    from tdlc_syndication.config.loader import load_overrides
    from tdlc_syndication.outputs.shown import apply_override
    from tdlc_syndication.outputs.view import StoreView

    settings = app.settings
    kind = _term(app, "kind", kind)
    topic = _term(app, "topic", topic)
    place = _term(app, "place", place)
    with app.context().open_store() as store:
        named = {s.id for s in settings.sources}
        # A source taken out of the settings keeps its items (still published): listed.
        if (
            source_id is not None
            and source_id not in named
            and not store.count_items().get(source_id)
        ):
            app.fail(f"no source {source_id!r} in {app.config_path}, and no item of it")
        view = StoreView(store, settings, load_overrides(settings))
        wanted = _Wanted(
            source_id, kind, topic, place, since, spellings(searchable(search)) if search else ()
        )
        # Read as they are listed (newest first), until ``limit`` are found.
        found = _week_items(app, store, week) if week else store.each_item(source_id)
        rows: list[tuple[StoredItem, Override | None]] = []
        for stored in found:
            override = view.override(stored)
            # As published: a renamed term's former slug is its slug now.
            shown = view.in_taxonomy(apply_override(stored, override) if override else stored)
            if wanted(shown, stored):
                rows.append((shown, override))
                if len(rows) >= limit:
                    break
    if ids_only:
        for shown, _ in rows:
            click.echo(shown.item.id)
    elif as_json:
        data = [{**item_json(shown), "override": _override_json(o)} for shown, o in rows]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        lines: list[tuple[str, ...]] = [("date", "kind", "marks", "title", "id")]
        for shown, override in rows:
            item = shown.item
            marks = _marks(shown, override)
            date = item.published.date().isoformat() if item.published else "undated"
            lines.append((date, item.kind, marks, _cut(item.title, 60), item.id))
        listed = [shown.item for shown, _ in rows]
        click.echo(table(with_when(lines, listed, app.settings.site.timezone)))


@dataclass(frozen=True, slots=True)
class _Wanted:
    """What the options of ``items`` ask for (None: anything); ``text`` in the spellings
    (:func:`~tdlc_syndication.config.forms.spellings`) of what ``--search`` gives, as
    :func:`~tdlc_syndication.config.forms.searchable` writes it (none: anything)."""

    source: str | None
    kind: str | None
    topic: str | None
    place: str | None
    since: datetime | None
    text: tuple[str, ...]

    def __call__(self, shown: StoredItem, stored: StoredItem) -> bool:
        """Whether an item, as published (``shown``) and as stored, is one to list."""
        item = shown.item
        day = self.since.date() if self.since else None
        return not (
            (self.source and item.source != self.source)
            or (self.kind and item.kind != self.kind)
            or (self.topic and self.topic not in item.topics)
            or (self.place and self.place not in item.places)
            or (day and shown.sort_date.date() < day and stored.first_seen.date() < day)
            or (self.text and not mentions(_searched(shown), self.text))
        )


def _searched(shown: StoredItem) -> str:
    """An item's title, summary and authors as ``--search`` compares them."""
    from tdlc_syndication.config.forms import searchable

    item = shown.item
    return searchable("\n".join([item.title, item.summary, *item.authors]))


def _term(app: App, facet: str, value: str | None) -> str | None:
    """The slug of the term of ``facet`` that ``value`` names (``Taxonomy.named``: its
    slug, a former one, a label in either language, an alias, in any case and width:
    ``Kobe``, ``神戸``); none given, None. A value that names none is an error that lists
    the slugs (a typo listed nothing)."""
    if value is None:
        return None
    taxonomy = app.settings.taxonomy
    found = taxonomy.named(f"{facet}s", value)
    if found is not None:
        return found
    terms = dict(taxonomy.vocabularies())[f"{facet}s"]
    return app.fail(
        f"no {facet} {value!r} in the taxonomy of {app.config_path}; "
        f"the {facet}s are: {', '.join(sorted(terms))}"
    )


def _week_items(app: App, store: Store, week: str) -> list[StoredItem]:
    """The items of ``week``'s digest issue (published or not yet)."""
    from tdlc_syndication.config.loader import load_overrides
    from tdlc_syndication.outputs.view import StoreView
    from tdlc_syndication.pipeline.digest import parse_week
    from tdlc_syndication.pipeline.weekly import week_items

    record = store.issue(parse_week(week))
    if record is not None:
        return list(store.stored_items(record.members).values())
    view = StoreView(store, app.settings, load_overrides(app.settings))
    return week_items(view, week, store.issues(bodies=False))


def _marks(stored: StoredItem, override: Override | None) -> str:
    marks = []
    if override is not None:
        if override.hide:
            marks.append("hidden")
        if override.pin:
            marks.append("pinned")
        if any(
            v is not None
            for v in (
                override.title,
                override.summary,
                override.kind,
                override.topics,
                override.places,
            )
        ):
            marks.append("edited*")  # fmt: skip
    if stored.duplicate_of:
        marks.append(f"duplicate of {stored.duplicate_of}")
    if stored.retracted:
        marks.append("retracted")
    return ", ".join(marks) or "-"


def _override_json(override: Override | None) -> dict[str, object] | None:
    return override.model_dump(exclude_none=True) if override is not None else None


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def explain(app: App, item_id: str, as_json: bool) -> None:
    """Show the rule behind every topic, place and the kind of one item."""
    with app.context().open_store() as store:
        stored = store.get_item(item_id)
        if stored is None:
            app.fail(f"no item {item_id!r} in the store; `syndicate items` lists the ids")
        reasons = store.explanation(stored.item.source, item_id)
        from tdlc_syndication.config.loader import load_overrides
        from tdlc_syndication.outputs.view import StoreView

        override = StoreView(store, app.settings, load_overrides(app.settings)).override(stored)
    item = stored.item
    if as_json:
        data = {
            "id": item.id,
            "kind": item.kind,
            "topics": list(item.topics),
            "places": list(item.places),
            "reasons": [{"facet": f, "term": t, "rule": r} for f, t, r in reasons],
            "override": _override_json(override),
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    grid = Table(title=f"{item.id}: {item.title}")
    for column in ("facet", "term", "rule"):
        grid.add_column(column)
    for facet, term, rule in reasons:
        grid.add_row(facet, term, rule)
    app.out.print(grid)
    if stored.duplicate_of:
        app.out.print(f"duplicate of {stored.duplicate_of}", markup=False)
    if override is not None:
        edits = override.model_dump(exclude_none=True, exclude={"id"})
        shown = ", ".join(f"{k} = {v!r}" for k, v in edits.items() if v not in (False, ""))
        app.out.print(f"override ({app.settings.editorial.overrides}): {shown}", markup=False)
