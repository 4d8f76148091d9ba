"""The daemon's timing, driven by a fake clock: triggers and jitter from the settings, and
the first run of every source after a start (catch-up after an outage)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tdlc_syndication.config.base import parse_schedule
from tdlc_syndication.config.errors import ConfigError
from tdlc_syndication.config.loader import load_settings
from tdlc_syndication.pipeline.ledger import SourceState
from tdlc_syndication.pipeline.schedule import due_after, first_runs, trigger_for

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)  # Saturday 12:00 in Tokyo


def test_an_interval_fires_from_its_start_every_period() -> None:
    trigger = trigger_for("every 6h", "Asia/Tokyo", 0, start=NOW)
    first = trigger.get_next_fire_time(None, NOW)
    assert first == NOW
    assert trigger.get_next_fire_time(first, NOW + timedelta(seconds=1)) == NOW + timedelta(hours=6)


def test_a_cron_line_keeps_crons_day_numbers_in_the_sites_zone() -> None:
    # cron's 1-5 is Monday to Friday (APScheduler alone would read Tuesday to Saturday).
    trigger = trigger_for("0 6 * * 1-5", "Asia/Tokyo", 0)
    fire = trigger.get_next_fire_time(None, NOW)
    assert fire == datetime(2026, 11, 30, 6, 0, tzinfo=TOKYO)  # Monday, 06:00 Tokyo
    assert fire.weekday() == 0
    sunday = trigger_for("30 7 * * 0", "Asia/Tokyo", 0).get_next_fire_time(None, NOW)
    assert sunday == datetime(2026, 11, 29, 7, 30, tzinfo=TOKYO)
    assert parse_schedule("0 9 * * 7") == parse_schedule("0 9 * * sun")


def _days(line: str, count: int = 5) -> list[str]:
    """The weekdays of the next ``count`` turns of ``line`` in Tokyo from NOW."""
    fires, at = [], NOW
    for _ in range(count):
        at = due_after(line, "Asia/Tokyo", at)
        fires.append(at.astimezone(TOKYO).strftime("%a"))
    return fires


def test_day_names_and_steps_keep_crons_week() -> None:
    """cron's week starts on Sunday, APScheduler's on Monday. ``*/2`` passed as written,
    so it ran every other day from Monday (Mon, Wed, Fri, Sun) where cron runs Sun, Tue,
    Thu, Sat; ``sun-thu``, the work week in Bangladesh and Egypt, was refused (Sunday is
    APScheduler's last day), as was ``sun-sat/2``."""
    assert _days("0 9 * * */2") == ["Sun", "Tue", "Thu", "Sat", "Sun"]
    assert _days("0 9 * * sun-sat/2") == _days("0 9 * * 0-6/2") == _days("0 9 * * */2")
    assert _days("0 9 * * Sun-Thu", 6) == ["Sun", "Mon", "Tue", "Wed", "Thu", "Sun"]
    assert _days("0 9 * * fri-sun", 4) == ["Sun", "Fri", "Sat", "Sun"]  # NOW: Saturday noon
    assert _days("0 9 * * mon-fri/2", 3) == ["Mon", "Wed", "Fri"]
    for line in ("0 9 * * thu-mon", "0 9 * * 8", "0 9 * * monday"):
        with pytest.raises(ValueError, match="is not valid"):
            parse_schedule(line)


def test_a_day_of_month_and_a_day_of_week_are_either_as_in_cron() -> None:
    """cron runs ``0 6 1 * mon`` on the 1st and on every Monday; APScheduler's trigger
    ran it only on a Monday the 1st (February 2027, then March, then November). A day
    field that starts with ``*`` leaves the other alone, as cron does."""
    fires, at = [], NOW
    for _ in range(4):
        at = due_after("0 6 1 * mon", "Asia/Tokyo", at)
        fires.append(at.astimezone(TOKYO).strftime("%m-%d %a"))
    assert fires == ["11-30 Mon", "12-01 Tue", "12-07 Mon", "12-14 Mon"]
    both = trigger_for("0 6 */2 * mon", "Asia/Tokyo", 0).get_next_fire_time(None, NOW)
    assert both == datetime(2026, 12, 7, 6, 0, tzinfo=TOKYO)  # an odd day and a Monday
    # Jitter applies once, to whichever comes first.
    either = trigger_for("0 6 1 * mon", "Asia/Tokyo", 60)
    monday = datetime(2026, 11, 30, 6, 0, tzinfo=TOKYO)
    jittered = {either.get_next_fire_time(None, NOW) for _ in range(50)}
    assert all(monday <= f <= monday + timedelta(seconds=60) for f in jittered)
    assert len(jittered) > 5
    assert due_after("0 6 29 2 *", "Asia/Tokyo", NOW) == datetime(2028, 2, 29, 6, tzinfo=TOKYO)


def test_the_turn_after_a_run_in_the_repeated_hour_is_later() -> None:
    """In a zone with summer time, the turn after a run at 01:00 in the hour that repeats
    when clocks go back was that same 01:00 (wall-clock arithmetic dropped the fold)."""
    zone = "America/New_York"
    second_one = datetime(2026, 11, 1, 6, 0, tzinfo=UTC).astimezone(ZoneInfo(zone))
    assert second_one.fold == 1  # 01:00 EST, after 01:00 EDT
    turns = [second_one]
    for _ in range(3):
        turns.append(due_after("0 * * * *", zone, turns[-1]))
    assert [t.astimezone(UTC).hour for t in turns] == [6, 7, 8, 9]


def test_jitter_moves_fire_times_later_within_its_bound() -> None:
    trigger = trigger_for("every 1h", "Asia/Tokyo", 30, start=NOW)
    fires = [trigger.get_next_fire_time(None, NOW) for _ in range(200)]
    assert all(NOW <= f <= NOW + timedelta(seconds=30) for f in fires)
    assert len(set(fires)) > 20
    cron = trigger_for("0 6 * * *", "Asia/Tokyo", 120)
    base = datetime(2026, 11, 29, 6, 0, tzinfo=TOKYO)
    cron_fires = [cron.get_next_fire_time(None, NOW) for _ in range(100)]
    assert all(base <= f <= base + timedelta(seconds=120) for f in cron_fires)
    assert len(set(cron_fires)) > 10


def test_schedules_and_jitter_come_from_the_settings(write_config: Callable[..., Path]) -> None:
    settings = load_settings(
        write_config(
            '[[sources]]\nid = "a"\nkind = "feed"\nurl = "https://x/a"\nschedule = "every 20m"\n'
            '[[sources]]\nid = "b"\nkind = "feed"\nurl = "https://x/b"\n'
            'schedule = "15 9 * * mon-fri"\n',
            extra="[run]\njitter = 45\n",
        )
    )
    assert settings.run.jitter == 45
    a, b = settings.sources
    interval = trigger_for(a.schedule, settings.site.timezone, 0, start=NOW)
    assert interval.get_next_fire_time(NOW, NOW + timedelta(seconds=1)) == NOW + timedelta(
        minutes=20
    )
    cron = trigger_for(b.schedule, settings.site.timezone, 0)
    assert cron.get_next_fire_time(None, NOW) == datetime(2026, 11, 30, 9, 15, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("every 30 minutes", "every 30m"),
        ("Every 2 Hours", "every 2h"),
        ("every hour", "every 1h"),
        ("every 1h30m", "every 90m"),
        ("every 1 hour 30 mins", "every 90m"),
        ("@every 45s", "every 45s"),  # Go cron's spelling
        ("every\t6 hrs", "every 6h"),
        ("every 2 weeks", "every 14d"),
        ("every day", "every 1d"),
        ("daily", "0 0 * * *"),
        ("@daily", "0 0 * * *"),
        ("@midnight", "0 0 * * *"),
        ("hourly", "0 * * * *"),
        ("Weekly", "0 0 * * 0"),
        ("@monthly", "0 0 1 * *"),
        ("@annually", "0 0 1 1 *"),
    ],
)
def test_a_schedule_may_be_written_as_people_write_it(written: str, meant: str) -> None:
    """Operators wrote ``every 5 minutes`` and ``@daily`` and were told neither was a
    schedule; each spelling now means what its short form means, and fires with it."""
    assert parse_schedule(written) == parse_schedule(meant)
    after = NOW
    for _ in range(3):
        assert due_after(written, "Asia/Tokyo", after) == due_after(meant, "Asia/Tokyo", after)
        after = due_after(meant, "Asia/Tokyo", after)
    daily = trigger_for("daily", "Asia/Tokyo", 0).get_next_fire_time(None, NOW)
    assert daily == datetime(2026, 11, 29, 0, 0, tzinfo=TOKYO)  # midnight in the site's zone


@pytest.mark.parametrize(
    ("schedule", "says"),
    [
        ("99 99 99 99 99", "is not valid"),
        # An interval past the year 9999 passed `check` and ended the service at its start
        # with a traceback; a number too long for C's int was a traceback in `check`.
        ("every 9999999d", "longer than a year; the longest is 'every 365d'"),
        ("every 99999999999999999999999999d", "longer than a year"),
        ("every 366 days", "longer than a year"),
        ("@reboot", "'@reboot' is no schedule here"),
        ("every 1h hour", "not understood"),  # a unit twice
        ("every h 30m", "not understood"),  # a count left out beside others
        ("every 1.5h", "not understood; write an interval ('every 30m', 'every 6 hours'"),
        ("every 5", "not understood"),
        ("0 25 * * *", "is not valid"),
        ("0 6 * * 8", "is not valid"),
        ("every 5s", "at least every 10s"),
        ("whenever", "not understood"),
        # No such day: the service failed at every start (an AssertionError traceback).
        ("0 6 31 2 *", "names no day that comes (such as 31 February"),
        ("0 6 31 4,6,9,11 *", "names no day that comes"),
    ],
)
def test_a_bad_schedule_is_a_settings_error_naming_the_field(
    write_config: Callable[..., Path], schedule: str, says: str
) -> None:
    path = write_config(
        f'[[sources]]\nid = "a"\nkind = "feed"\nurl = "https://x/a"\nschedule = "{schedule}"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    (problem,) = caught.value.problems
    assert "sources.0" in problem
    assert ".schedule" in problem
    assert says in problem


def test_after_an_outage_each_overdue_source_runs_once_and_the_others_keep_their_rhythm(
    write_config: Callable[..., Path],
) -> None:
    sources = load_settings(
        write_config(
            "".join(
                f'[[sources]]\nid = "{name}"\nkind = "feed"\nurl = "https://x/{name}"\n'
                f'schedule = "{schedule}"\n{extra}'
                for name, schedule, extra in [
                    ("hourly", "every 1h", ""),
                    ("daily", "every 1d", ""),
                    ("morning", "0 6 * * *", ""),
                    ("new", "every 1h", ""),
                    ("off", "every 1h", "enabled = false\n"),
                ]
            )
        )
    ).sources
    states = {
        # down for three days: 72 hourly turns were missed
        "hourly": SourceState(source="hourly", last_attempt=NOW - timedelta(days=3)),
        # ran two hours ago: its next turn is 22 h away
        "daily": SourceState(source="daily", last_attempt=NOW - timedelta(hours=2)),
        # ran yesterday 06:00 Tokyo; today's 06:00 Tokyo passed while down
        "morning": SourceState(
            source="morning", last_attempt=datetime(2026, 11, 27, 6, 0, 5, tzinfo=TOKYO)
        ),
    }
    plan = {run.source: run for run in first_runs(sources, states, NOW, "Asia/Tokyo")}
    assert set(plan) == {"hourly", "daily", "morning", "new"}  # a disabled source never runs
    assert (plan["hourly"].at, plan["hourly"].overdue) == (NOW, True)
    assert (plan["morning"].at, plan["morning"].overdue) == (NOW, True)
    assert (plan["new"].at, plan["new"].overdue) == (NOW, True)
    assert (plan["daily"].at, plan["daily"].overdue) == (NOW + timedelta(hours=22), False)
    # Once only: the catch-up run counts as the turn, and the next is a period later.
    after = NOW + timedelta(seconds=40)
    again = first_runs(
        sources,
        {**states, "hourly": SourceState(source="hourly", last_attempt=after)},
        after,
        "Asia/Tokyo",
    )
    hourly = next(r for r in again if r.source == "hourly")
    assert (hourly.at, hourly.overdue) == (after + timedelta(hours=1), False)
    # A source whose settings changed since its last read is read (in full) now.
    edited = first_runs(sources, states, NOW, "Asia/Tokyo", due_now={"daily"})
    daily = next(r for r in edited if r.source == "daily")
    assert (daily.at, daily.overdue) == (NOW, True)
    assert due_after("0 6 * * *", "Asia/Tokyo", NOW) == datetime(2026, 11, 29, 6, 0, tzinfo=TOKYO)
