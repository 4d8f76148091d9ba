"""``syndicate items``: the stored items, and why each was tagged as it is."""

from __future__ import annotations

import json

import click

from tdlc_syndication.pipeline.cli.app import App, cli, pass_app
from tdlc_syndication.pipeline.cli.show import item_json


@cli.command()
@click.option("--source", "source_id", help="Only items of this source.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON with every schema field.")
@click.option(
    "--explain", "explain_id", metavar="ID", help="Show which rule set each topic, place and kind."
)
@pass_app
def items(
    app: App, source_id: str | None, limit: int, as_json: bool, explain_id: str | None
) -> None:
    """List stored items, newest first (duplicates included, marked)."""
    if explain_id is not None:
        explain(app, explain_id, as_json)
        return
    if source_id is not None and source_id not in {s.id for s in app.settings.sources}:
        app.fail(f"no source {source_id!r} in {app.config_path}")
    with app.context().open_store() as store:
        found = store.items(source_id, limit)
    if as_json:
        click.echo(json.dumps([item_json(s) for s in found], indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table()
    for column in ("date", "kind", "title", "id"):
        table.add_column(column)
    for stored in found:
        item = stored.item
        date = item.published.date().isoformat() if item.published else "undated"
        title = item.title + (
            f"  (duplicate of {stored.duplicate_of})" if stored.duplicate_of else ""
        )
        table.add_row(date, item.kind, title, item.id)
    app.out.print(table)


def explain(app: App, item_id: str, as_json: bool) -> None:
    """Show the rule behind every topic, place and the kind of one item."""
    with app.context().open_store() as store:
        stored = store.get_item(item_id)
        if stored is None:
            app.fail(f"no item {item_id!r} in the store; `syndicate items` lists the ids")
        reasons = store.explanation(stored.item.source, item_id)
    item = stored.item
    if as_json:
        data = {
            "id": item.id,
            "kind": item.kind,
            "topics": list(item.topics),
            "places": list(item.places),
            "reasons": [{"facet": f, "term": t, "rule": r} for f, t, r in reasons],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table(title=f"{item.id}: {item.title}")
    for column in ("facet", "term", "rule"):
        table.add_column(column)
    for facet, term, rule in reasons:
        table.add_row(facet, term, rule)
    app.out.print(table)
    if stored.duplicate_of:
        app.out.print(f"duplicate of {stored.duplicate_of}", markup=False)
