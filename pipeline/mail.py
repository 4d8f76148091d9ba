"""Mailing a digest issue over SMTP: one message with a plain-text and an HTML part,
``List-Unsubscribe``, a stable ``Message-ID`` and a ``Date``; STARTTLS, implicit TLS or a
plain local relay; credentials from the environment only.

Once the server has taken the message it counts as sent, even if the server then turned
some recipients away or the connection failed while it was closed: sending it again would
give it twice to everyone who has it."""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlsplit

from tdlc_syndication.config.languages import base_language
from tdlc_syndication.config.models import Settings
from tdlc_syndication.pipeline.uris import ascii_link, idna_host, mail_address

USER_VAR, PASSWORD_VAR = "SYNDICATE_SMTP_USER", "SYNDICATE_SMTP_PASSWORD"
NO_LOGIN = (
    f"the server offers no login (AUTH) on this connection, and {USER_VAR} is set: "
    'use security = "starttls" or "tls" if it offers one there, or unset the two '
    "variables for a relay that needs no login"
)


def build_message(
    settings: Settings, week: str, heading: str, html: str, text: str, when: datetime
) -> EmailMessage:
    """The message of one issue (its Message-ID is the same for every attempt, so a
    retried send is one message to mail clients)."""
    cfg = settings.digest.email
    title = one_line(settings.site.title)
    message = EmailMessage()
    japanese = base_language(settings.site.language) == "ja"  # outputs.words.japanese
    message["Subject"] = one_line(f"{title}{'：' if japanese else ': '}{heading}")
    sender_name = one_line(cfg.sender_name or "") or title
    # An Address, not formatted text: the header writes a name with specials in one
    # encoded word or quoted ("都市連携 <news>" was an address of its own, "news").
    message["From"] = Address(display_name=sender_name, addr_spec=mail_address(cfg.sender))
    message["To"] = ", ".join(mail_address(a) for a in cfg.recipients)
    message["Date"] = format_datetime(when)
    domain = idna_host(urlsplit(settings.site.base_url).hostname or "localhost")
    message["Message-ID"] = f"<digest-{week}@{domain}>"
    if cfg.unsubscribe:
        message["List-Unsubscribe"] = f"<{ascii_link(cfg.unsubscribe)}>"
        if cfg.unsubscribe.startswith("http"):
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # the list's name in the site's language (a Japanese site's said "weekly digest")
    named = f"{title} 週刊ダイジェスト" if japanese else f"{title} weekly digest"
    message["List-Id"] = f"{_list_phrase(named)} <digest.{domain}>"
    message.set_content(text, cte=transfer_encoding(text))
    message.add_alternative(html, subtype="html", cte=transfer_encoding(html))
    return message


def transfer_encoding(text: str) -> str:
    """The Content-Transfer-Encoding that carries ``text`` (as UTF-8) in the fewest bytes:
    ``7bit`` for ASCII in short lines, else the shorter of quoted-printable and base64 for
    the whole of it. (Python's mail package decides from the first ten lines: an HTML
    part that opens with ASCII markup went quoted-printable, which writes a Japanese
    character in nine bytes, base64 in four.)"""
    data = text.encode("utf-8")
    if data.isascii() and all(len(line) <= 78 for line in data.splitlines()):
        return "7bit"
    escaped = sum(1 for byte in data if byte > 126 or byte == 61)  # 61 is "="
    # Quoted-printable: three bytes for an escaped one; base64: four for every three.
    return "base64" if len(data) + 2 * escaped > len(data) * 4 / 3 else "quoted-printable"


def part_size(text: str, subtype: str = "plain") -> int:
    """The bytes ``text`` takes as a part of the message (encoded as :func:`build_message`
    encodes it, its lines ending in CRLF as on the wire)."""
    part = EmailMessage()
    part.set_content(text, subtype=subtype, cte=transfer_encoding(text))
    payload = str(part.get_payload())
    return len(payload) + payload.count("\n")


def _list_phrase(text: str) -> str:
    """``text`` as the phrase before a ``List-Id``'s id (RFC 2919), so that a mail client
    finds the id and not a word of the name in angle brackets: quoted when it is ASCII;
    otherwise its non-ASCII words are encoded words, which no quotes may hold, and the
    characters that would end or open a part of the header are left out."""
    if text.isascii():
        return _quoted(text)
    return " ".join(text.translate(_PHRASE_BREAKERS).split())


_PHRASE_BREAKERS = str.maketrans(dict.fromkeys('"<>()[]\\', " "))


def _quoted(text: str) -> str:
    """An ASCII phrase as a quoted string (RFC 5322, 3.2.4)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def one_line(text: str) -> str:
    """``text`` for a mail header: a header holds no line break (Python refuses one, as
    a header injection), so every run of white space is one space."""
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Delivery:
    """What became of one mailing: taken by the server (``sent``), perhaps with recipients
    it turned away (``refused``: each address and the server's reason); or not taken
    (``error``: why, in plain words; it is tried again later)."""

    sent: bool
    error: str | None = None
    refused: tuple[str, ...] = ()


def _failed(error: str) -> Delivery:
    return Delivery(sent=False, error=error)


def send_issue(
    settings: Settings, week: str, heading: str, html: str, text: str, when: datetime
) -> Delivery:
    """Send one issue."""
    cfg = settings.digest.email
    if not cfg.recipients:
        return _failed("no recipients: set [digest.email] recipients")
    if not cfg.unsubscribe:
        return _failed("no unsubscribe address: set [digest.email] unsubscribe")
    user, password = os.environ.get(USER_VAR), os.environ.get(PASSWORD_VAR)
    if bool(user) != bool(password):
        given, missing = (USER_VAR, PASSWORD_VAR) if user else (PASSWORD_VAR, USER_VAR)
        return _failed(f"{given} is set but {missing} is not: set both to log in, or neither")
    message = build_message(settings, week, heading, html, text, when)
    try:
        smtp: smtplib.SMTP
        if cfg.security == "tls":
            smtp = smtplib.SMTP_SSL(
                cfg.host, cfg.port, timeout=cfg.timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
        try:
            if cfg.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if user and password:
                smtp.ehlo_or_helo_if_needed()
                if not smtp.has_extn("auth"):
                    return _failed(f"{cfg.host}:{cfg.port}: {NO_LOGIN}")
                smtp.login(user, password)
            refused = _send_all(smtp, message)
        finally:
            _close(smtp)
    except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
        return _failed(f"{cfg.host}:{cfg.port}: {_plain(exc)}")
    turned_away = tuple(_refusal(a, *answer) for a, answer in sorted(refused.items()))
    return Delivery(sent=True, refused=turned_away)


def _send_all(smtp: smtplib.SMTP, message: EmailMessage) -> dict[str, tuple[int, bytes]]:
    """Send ``message`` to all its recipients; those the server turned away, with its
    answer. A server that takes only so many recipients a message answers the rest
    ``452`` (RFC 5321, 4.5.3.1.10: "too many recipients"); they go in further
    transactions on the same connection, as the RFC asks. Once the first transaction is
    taken the issue counts as sent, so a later one that fails leaves its recipients
    refused, with the reason, rather than the issue unsent (and sent again to all)."""
    refused = smtp.send_message(message)
    while later := sorted(a for a, (code, _) in refused.items() if code == 452):
        try:
            again = smtp.send_message(message, to_addrs=later)
        except smtplib.SMTPRecipientsRefused as exc:
            again = exc.recipients
        except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
            said = _plain(exc).encode()
            return {**refused, **dict.fromkeys(later, (0, said))}
        refused = {a: r for a, r in refused.items() if a not in later} | again
        if len(again) == len(later) and all(code == 452 for code, _ in again.values()):
            break  # no recipient taken this time: no progress to be made
    return refused


def _close(smtp: smtplib.SMTP) -> None:
    """Say goodbye and close, whatever the server answers (what was sent is sent)."""
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException, ssl.SSLError):
        smtp.close()


def _refusal(address: str, code: int, reason: bytes) -> str:
    return f"{address} ({_answer(code, reason)})"


def _plain(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "the server refused the connection"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"login refused; check {USER_VAR} and {PASSWORD_VAR}"
    if isinstance(exc, smtplib.SMTPNotSupportedError) and "STARTTLS" in str(exc):
        return 'the server does not offer STARTTLS; set security = "tls" or "none"'
    if isinstance(exc, TimeoutError):
        return "no answer in time"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return (
            f"the server refused the sender {exc.sender}: {_answer(exc.smtp_code, exc.smtp_error)}"
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = sorted(exc.recipients.items())
        return "the server refused every recipient: " + ", ".join(
            _refusal(address, *answer) for address, answer in refused
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the server answered {_answer(exc.smtp_code, exc.smtp_error)}"
    return str(exc) or type(exc).__name__


def _answer(code: int, text: bytes | str) -> str:
    """An SMTP answer as the server wrote it: ``530 5.7.0 Authentication required``."""
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {one_line(said)}" if code else one_line(said)  # 0: no answer, our words
