"""``syndicate digest``: preview, publish and mail the weekly digest."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import click

from tdlc_syndication.pipeline.cli.app import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    App,
    cli,
    pass_app,
    quiet_option,
    wait_option,
)
from tdlc_syndication.pipeline.cli.show import counted

if TYPE_CHECKING:
    from tdlc_syndication.pipeline.mail import Delivery
    from tdlc_syndication.pipeline.weekly import WeekResult


@cli.command()
@click.option(
    "--week",
    metavar="YYYY-Www",
    default=None,
    help="The ISO week (Monday to Sunday in the site's zone). Default: the last finished one.",
)
@click.option(
    "--preview",
    is_flag=True,
    help="Render a draft into [digest] preview_dir only (default: digest-preview beside "
    "the store).",
)
@click.option("--republish", is_flag=True, help="Publish a week that was published before.")
@click.option(
    "--send/--no-send",
    default=None,
    help="Mail the issue to [digest.email] recipients (default: as [digest] send says).",
)
@wait_option
@quiet_option
@pass_app
def digest(
    app: App,
    week: str | None,
    preview: bool,
    republish: bool,
    send: bool | None,
    wait: float | None,
) -> None:
    """Publish the weekly digest: digest/<week>/index.html, the archive and its feed.

    An issue holds the materials of its week (by publication date; a late find goes to
    the week it was found), grouped by kind, with highlights, cities, topics, upcoming
    events and the editor's intro from [digest] editorial_dir. A published issue keeps
    its page unless --republish. --preview writes a draft (page and email) outside the
    public folder. The newest issue's failed mailing is retried by the next run that
    sends (not with --no-send); no week is sent twice (an issue the mail server took is
    sent, even if it turned some recipients away).
    Exits 1 when the issue was not sent or a recipient was refused.
    """
    from zoneinfo import ZoneInfo

    from tdlc_syndication.pipeline.digest import DigestError, last_finished_week, parse_week
    from tdlc_syndication.pipeline.overview import record_digest
    from tdlc_syndication.pipeline.weekly import publish_week, retry_unsent

    ctx = app.context()
    chosen = (
        parse_week(week)
        if week
        else last_finished_week(ctx.clock(), ZoneInfo(app.settings.site.timezone))
    )
    # A draft writes nothing to the store: an editor previews while the service runs.
    lock = contextlib.nullcontext() if preview else app.lock("digest", wait)
    with lock, ctx.open_store() as store:
        app.started_work = not preview
        retried = [] if preview else retry_unsent(ctx, store, send)
        try:
            result = publish_week(
                ctx, store, chosen, preview=preview, republish=republish, send=send,
                chosen_week=week is None,
            )  # fmt: skip
        except DigestError as exc:
            app.fail(str(exc), EXIT_USAGE)  # nothing was written
        if not preview:
            record_digest(store, chosen, None)  # a week the service could not publish is out
    for sent in retried:
        app.echo(f"sent {sent}, which had failed before")
    if result.outcome == "previewed":
        app.echo(f"draft of {chosen} ({_counts(result)}) in {result.folder}")
    elif result.outcome == "held":
        app.echo(f"{chosen} is held by the editor (hold: true); nothing was published")
    elif result.outcome == "unwatched":
        app.echo(
            f"{chosen} ended before the archive's first items were found, and has none; "
            "no issue was published"
        )
    elif result.outcome == "empty":
        app.echo(f"{chosen} brought no new materials; nothing was published (empty_week = skip)")
    else:
        written = ", ".join(result.written)
        app.echo(f"published {chosen}: {_counts(result)}; wrote {written}")
    if result.back_catalogue:
        app.echo(result.left_out())
    if result.email_left:
        app.echo(
            f"the email lists {result.items - result.email_left} of them and links to the "
            f"page for the other {result.email_left} (Gmail hides an email's end past "
            "about 102 KB)"
        )
    raise SystemExit(EXIT_OK if result.delivery is None else _said(app, chosen, result.delivery))


def _counts(result: WeekResult) -> str:
    """An issue's items in words, with the earlier ones it features: "3 items, 2 from the
    archive"."""
    archive = f", {result.featured} from the archive" if result.featured else ""
    return counted(result.items, "item") + archive


def _said(app: App, week: str, delivery: Delivery) -> int:
    """Say what became of the mailing; the exit code (1: not sent, or sent with refusals)."""
    if delivery.sent:
        count = len(app.settings.digest.email.recipients)
        taken = counted(count, "recipient")
        if delivery.refused:
            taken = f"{count - len(delivery.refused)} of {taken}"
        app.echo(f"sent {week} to {taken}")
    if delivery.error:
        app.err.print(f"not sent: {delivery.error} (tried again next run)", markup=False)
    elif delivery.refused:
        app.err.print(
            f"refused by the mail server: {', '.join(delivery.refused)} "
            "(not sent again: the other recipients have it)",
            markup=False,
        )
    return EXIT_FAILED if delivery.error or delivery.refused else EXIT_OK
