"""The blocks calendar programs add for a video call, read as what they say."""

from __future__ import annotations

from tdlc_syndication.sources.common import event_mode
from tdlc_syndication.sources.meetings import call_address, without_call_block


def test_webexs_block_runs_to_the_end_and_keeps_its_joining_line() -> None:
    """Webex's plug-in opens its block with a line of its own and closes none: the block
    runs to the end of the text, and the line that joins the call stays."""
    text = (
        "Compact city webinar with Toyama.\n\n"
        "-- Do not delete or change any of the following text. --\n\n"
        "When it's time, join the Webex meeting here.\n\n"
        "Join meeting\nhttps://tdlc.webex.com/tdlc/j.php?MTID=m0123456789abcdef\n\n"
        "Meeting number (access code): 2551 234 5678\nMeeting password: Kobe2026\n"
    )
    kept = without_call_block(text)
    assert kept == (
        "Compact city webinar with Toyama.\n\n"
        "Join meeting\nhttps://tdlc.webex.com/tdlc/j.php?MTID=m0123456789abcdef"
    )
    assert "password" not in kept


def test_text_without_a_calls_block_is_as_it_was() -> None:
    """Lines of underscores without a call between them, a Google line that names no
    call, and text that only mentions a meeting service are the event's own."""
    for text in (
        "Name: " + "_" * 32 + "\nCity: " + "_" * 32 + "\nBring the form.",
        "-::~:~::~:~::-\nNo call here.",
        "We will meet on Zoom; the link follows by mail.",
    ):
        assert without_call_block(text) == text
    assert call_address("See https://zoom.us/j/123?pwd=x.") == "https://zoom.us/j/123?pwd=x"
    assert call_address("https://zoom.us/pricing") is None


def test_an_events_mode_from_its_place_and_calls() -> None:
    assert event_mode("オンライン開催（Zoom）") == "online"
    assert event_mode("Microsoft Teams Meeting") == "online"
    assert event_mode("https://www.youtube.com/live/x") == "online"
    assert event_mode("Kobe City Hall", ["https://meet.google.com/abc-defg-hij"]) == "mixed"
    assert event_mode("", [None, "Join: https://teams.microsoft.com/l/meetup-join/19"]) == "online"
    assert event_mode("Kobe City Hall") is None
    assert event_mode("-") is None
    assert event_mode("Meeting room 3") is None
    # A hall that also names online: held in both.
    assert event_mode("Kobe City Hall / Online") == "mixed"
    assert event_mode("神戸市役所（会場・オンライン併用）") == "mixed"
    assert event_mode("ハイブリッド開催") == "mixed"  # was no mode
    assert event_mode("Hybrid (Kobe City Hall)") == "mixed"
    assert event_mode("On-site at Kobe City Hall") is None
    assert event_mode("Zoo of Kobe") is None
