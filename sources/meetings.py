"""What calendar programs add to an event held on a video call, read as what it says.

Google Calendar appends its Meet block to an event's description between two lines of
``-::~:~::~…::~:~::-`` ("Please do not edit this section"), Outlook its Teams block
between lines of underscores, Zoom's plug-in its invitation between lines of ``─``, and
Webex's after "-- Do not delete or change any of the following text. --". Published as
written, every such event's summary began or ended in that chrome, with the call's
dial-in numbers, PINs and passcodes. A block is cut from the text (and from the HTML
copy, where the same lines stand in the markup) and leaves the line that joins the call
(``Join with Google Meet: https://meet.google.com/…``, in the calendar's language); the
numbers and codes are not republished. Such a call makes the event an online one, or a
mixed one when it also has a place (``sources.common.event_mode``).
"""

from __future__ import annotations

import re

# The hosts of the calls' own addresses (a meeting's "Learn more" links are elsewhere).
_CALL = re.compile(
    r"https://(?:meet\.google\.com|teams\.microsoft\.com/l/meetup-join|teams\.live\.com/meet"
    r"|(?:[\w-]+\.)*zoom\.us/[jw]/|[\w-]+\.webex\.com/[\w/-]*(?:j\.php|/meet/))[^\s<>\"')\]]*",
    re.IGNORECASE,
)
# The lines between which a program writes its block (Google's own line is known well
# enough to take a block it opens and never closes), and the first line of Webex's.
_FENCES = (
    (re.compile(r"-::~[:~]+::-"), 1),
    (re.compile(r"_{30,}"), 2),
    (re.compile(r"─{10,}"), 2),
)
_WEBEX = re.compile(r"-- ?Do not delete or change any of the following text\. ?--", re.IGNORECASE)
_LINE_END = re.compile(r"\r?\n|<br\s*/?>|</(?:p|div)>", re.IGNORECASE)


def call_address(text: str) -> str | None:
    """The first address of a video call (Meet, Teams, Zoom, Webex) in ``text``."""
    found = _CALL.search(text)
    return found.group(0).rstrip(".,;") if found else None


def without_call_block(text: str) -> str:
    """``text`` (plain or HTML) without the block a calendar program added for its video
    call, the line that joins the call kept in its place; ``text`` itself when it holds no
    such block."""
    for fence, fewest in _FENCES:
        fences = list(fence.finditer(text))
        if len(fences) < fewest:
            continue
        start, end = fences[0].start(), fences[-1].end() if len(fences) > 1 else len(text)
        if call_address(text[start:end]) is not None:
            return _joined(text[:start], _joining_line(text[start:end]), text[end:])
    webex = _WEBEX.search(text)
    if webex is not None and call_address(text[webex.start() :]) is not None:
        return _joined(text[: webex.start()], _joining_line(text[webex.start() :]), "")
    return text


def _joining_line(block: str) -> str:
    """The line of ``block`` that holds the call's address, with the line before it when
    the address stands on its own (Zoom's "Join Zoom Meeting" above it)."""
    lines = _LINE_END.split(block)
    for at, line in enumerate(lines):
        if call_address(line) is None:
            continue
        if line.strip() == (call_address(line) or "") and at and lines[at - 1].strip():
            return f"{lines[at - 1].strip()}\n{line.strip()}"
        return line.strip()
    return ""


def _joined(before: str, line: str, after: str) -> str:
    """The text around a cut block, the joining line between, blank lines kept to one."""
    parts = [part.strip() for part in (before, line, after)]
    return "\n\n".join(part for part in parts if part)
