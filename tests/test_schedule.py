"""The daemon's timing, driven by a fake clock: triggers and jitter from the settings, and
the first run of every source after a start (catch-up after an outage)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.base import BaseTrigger
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _turns(trigger: BaseTrigger, since: datetime, until: datetime) -> list[str]:
    """The turns of ``trigger`` from ``since`` to ``until`` (local time, ISO 8601) as
    APScheduler's scheduler asks for them: each after the one before, asked a moment after
    it (in UTC: a moment after 01:30 on the second pass of a repeated hour, reckoned on the
    site's clock, is in the first). A turn not after the one before fails: the scheduler
    asks again until it has one after now."""
    turns: list[datetime] = []
    fire = trigger.get_next_fire_time(None, since)
    while fire is not None and fire < until:
        assert not turns or fire.astimezone(UTC) > turns[-1].astimezone(UTC), (turns, fire)
        turns.append(fire)
        fire = trigger.get_next_fire_time(fire, fire.astimezone(UTC) + timedelta(milliseconds=10))
    return [turn.isoformat(timespec="minutes") for turn in turns]


@pytest.mark.parametrize(
    ("line", "zone", "since", "until", "turns"),
    [
        # The clock goes back: a time shown twice is a turn twice, then the turns go on.
        ("30 1 * * *", "America/New_York", datetime(2026, 10, 31), datetime(2026, 11, 3),
         ["2026-10-31T01:30-04:00", "2026-11-01T01:30-04:00", "2026-11-01T01:30-05:00",
          "2026-11-02T01:30-05:00"]),
        ("*/20 2 * * *", "Europe/Berlin", datetime(2026, 10, 25), datetime(2026, 10, 26),
         ["2026-10-25T02:00+02:00", "2026-10-25T02:20+02:00", "2026-10-25T02:40+02:00",
          "2026-10-25T02:00+01:00", "2026-10-25T02:20+01:00", "2026-10-25T02:40+01:00"]),
        ("30 * * * *", "Australia/Lord_Howe", datetime(2026, 4, 4, 14), datetime(2026, 4, 4, 17),
         ["2026-04-05T01:30+11:00", "2026-04-05T01:30+10:30", "2026-04-05T02:30+10:30"]),
        # The clock goes forward: midnight the day after is a turn (APScheduler skipped
        # it), and a time the clock skips is a turn when it would have been, shown as the
        # time the clock shows then (APScheduler wrote 02:30+01:00, a time never shown).
        ("0 0 * * *", "Europe/Berlin", datetime(2026, 3, 27, 12), datetime(2026, 3, 31, 12),
         ["2026-03-28T00:00+01:00", "2026-03-29T00:00+01:00", "2026-03-30T00:00+02:00",
          "2026-03-31T00:00+02:00"]),
        ("30 2 * * *", "Europe/Berlin", datetime(2026, 3, 27, 12), datetime(2026, 3, 30, 12),
         ["2026-03-28T02:30+01:00", "2026-03-29T03:30+02:00", "2026-03-30T02:30+02:00"]),
    ],
)  # fmt: skip
def test_the_turns_of_a_cron_line_go_on_where_the_clock_changes_for_summer_time(
    line: str, zone: str, since: datetime, until: datetime, turns: list[str]
) -> None:
    """A site in a zone with summer time (a partner city's, or a team's in Washington)."""
    since, until = since.replace(tzinfo=UTC), until.replace(tzinfo=UTC)
    assert _turns(trigger_for(line, zone, 0), since, until) == turns


@pytest.mark.parametrize("line", ["30 2 * * *", "*/15 * * * *", "0 */2 * * *"])
def test_a_turn_moved_by_jitter_in_the_hour_the_clock_repeats_is_followed_by_a_later_one(
    line: str,
) -> None:
    """With the default jitter (30 s), the turn after one at 02:30:12 on the first pass of
    the hour Berlin's clock repeats was a time of that first pass again, before now:
    APScheduler's scheduler, which asks until it has a turn after now (its jobs'
    ``_get_run_times``), never stopped asking, and the service hung with its memory
    growing. Here its loop is run as it runs it, with a bound."""
    zone = ZoneInfo("Europe/Berlin")
    trigger = trigger_for(line, "Europe/Berlin", 30)
    turn = datetime(2026, 10, 25, 0, 30, 12, tzinfo=UTC).astimezone(zone)  # 02:30:12 CEST
    now = datetime(2026, 10, 25, 0, 31, tzinfo=UTC).astimezone(zone)  # a minute later
    asked = 0
    while turn is not None and turn.astimezone(UTC) <= now.astimezone(UTC) and asked < 1000:
        asked += 1
        turn = trigger.get_next_fire_time(turn, now)
    assert asked == 1
    assert turn is not None
    assert now.astimezone(UTC) < turn.astimezone(UTC) <= now + timedelta(hours=1, minutes=30)


def test_the_weekly_digest_at_monday_midnight_comes_the_week_summer_time_begins(
    write_config: Callable[..., Path],
) -> None:
    """The clock goes forward on a Sunday in New York (and in Europe): APScheduler's trigger
    of ``Mon 00:00`` skipped the next day, and the week had no digest."""
    from tdlc_syndication.pipeline.jobs import Jobs

    config = write_config(extra='[digest]\npublish_at = "mon 00:00"\n')
    text = config.read_text("utf-8")
    config.write_text(text.replace('"Asia/Tokyo"', '"America/New_York"'), "utf-8")
    settings = load_settings(config)
    assert settings.site.timezone == "America/New_York"
    jobs = Jobs(settings, lambda: NOW, lambda task: None, lambda source: None)
    jobs.plan(settings, {})
    trigger = jobs.scheduler.get_job("digest").trigger
    since, until = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 24, tzinfo=UTC)
    assert _turns(trigger, since, until) == [
        "2026-03-02T00:00-05:00", "2026-03-09T00:00-04:00", "2026-03-16T00:00-04:00",
        "2026-03-23T00:00-04:00",
    ]  # fmt: skip


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


_DST_ZONES = [
    "Europe/Berlin", "America/New_York", "America/Santiago", "Australia/Lord_Howe",
    "Europe/Dublin", "Africa/Cairo", "America/Havana", "Asia/Tokyo",
]  # fmt: skip
_MINUTES = {"0": {0}, "30": {30}, "*/20": {0, 20, 40}, "15,45": {15, 45}}
_HOURS = {"*": set(range(24)), "0": {0}, "1": {1}, "2": {2}, "23": {23}, "0-3": {0, 1, 2, 3}}
_WEEKDAYS = {"*": set(range(7)), "1-5": {0, 1, 2, 3, 4}, "sun": {6}}  # Python's weekday()


@settings(max_examples=60, deadline=None)
@given(
    minute=st.sampled_from(sorted(_MINUTES)),
    hour=st.sampled_from(sorted(_HOURS)),
    weekday=st.sampled_from(sorted(_WEEKDAYS)),
    zone=st.sampled_from(_DST_ZONES),
    change=st.integers(0, 1),
    shift=st.integers(-3 * 60, 3 * 60),
)
def test_turns_near_a_change_of_the_clock_are_each_once_and_none_is_missed(
    minute: str, hour: str, weekday: str, zone: str, change: int, shift: int
) -> None:
    """From a moment near one of the zone's changes of its clock in 2026 (or near any
    moment, where it has none), five turns as the scheduler asks for them: each later than
    the one before, each shown on the site's clock as the line asks (or where the clock
    skipped that time, just after the change), and no minute between two turns that the
    clock shows as the line asks."""
    line = f"{minute} {hour} * * {weekday}"
    tz = ZoneInfo(zone)
    changes = [
        moment
        for moment in (datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=h) for h in range(8760))
        if moment.astimezone(tz).utcoffset()
        != (moment - timedelta(hours=1)).astimezone(tz).utcoffset()
    ]
    since = (changes[change % len(changes)] if changes else NOW) + timedelta(minutes=shift)
    trigger = trigger_for(line, zone, 0)

    def asked(moment: datetime) -> bool:
        local = moment.astimezone(tz)
        return (
            local.minute in _MINUTES[minute]
            and local.hour in _HOURS[hour]
            and local.weekday() in _WEEKDAYS[weekday]
        )

    turns: list[datetime] = []
    fire = trigger.get_next_fire_time(None, since)
    while fire is not None and len(turns) < 5:
        at = fire.astimezone(UTC)
        assert not turns or at > turns[-1]
        changed = (at - timedelta(hours=3)).astimezone(tz).utcoffset() != fire.utcoffset()
        assert asked(at) or changed, (line, zone, fire)
        turns.append(at)
        fire = trigger.get_next_fire_time(fire, at + timedelta(milliseconds=10))
    assert len(turns) == 5
    first = since.replace(second=0, microsecond=0) + timedelta(minutes=1)
    for start, end in zip([first - timedelta(minutes=1), *turns], turns, strict=False):
        moment = start + timedelta(minutes=1)
        while moment < end:
            assert not (asked(moment) and moment >= since), (line, zone, moment, turns)
            moment += timedelta(minutes=1)
