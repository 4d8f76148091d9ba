"""Mailing the digest to a real SMTP server on 127.0.0.1 (aiosmtpd): both parts, the
headers, absolute links; never twice; a refused connection is retried next time."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from lxml import html
from tests_support import Inbox, free_port, invoke

from tdlc_syndication.pipeline.store import Store


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def smtp(port: int) -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def config(tmp_path: Path, write_config: Callable[..., Path], port: int) -> Path:
    feed = tmp_path / "blog.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>B</title>'
        "<link>https://blog.example.org/</link><description>d</description>"
        "<item><title>Toyama's light rail &amp; land use, ten years on</title>"
        "<link>https://blog.example.org/toyama-lrt</link><guid>https://blog.example.org/toyama-lrt</guid>"
        "<pubDate>Tue, 17 Nov 2026 01:00:00 +0000</pubDate>"
        "<description>Ridership and land use along the line.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    return write_config(
        f'[[sources]]\nid = "blog"\nkind = "feed"\npath = "{feed}"\n',
        extra=(
            "[digest]\nsend = true\n"
            f'[digest.email]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
            'sender = "digest@tdlc.example.org"\nrecipients = ["editors@tdlc.example.org", '
            '"partners@lists.example.org"]\n'
            'unsubscribe = "mailto:digest-leave@tdlc.example.org"\n'
        ),
    )


def test_an_issue_is_mailed_once_with_both_parts(
    config: Path, smtp: tuple[Controller, Inbox], tmp_path: Path
) -> None:
    _, inbox = smtp
    assert invoke(config, "fetch")[0] == 0
    code, out = invoke(config, "digest", "--week", "2026-W47")
    assert code == 0, out
    assert "sent 2026-W47 to 2 recipients" in out
    (message,) = inbox.messages
    assert message["Subject"].endswith("Week 47, 2026")
    assert message["List-Unsubscribe"] == "<mailto:digest-leave@tdlc.example.org>"
    assert message["Message-ID"] == "<digest-2026-W47@feeds.example.org>"
    assert message["Date"]
    assert "Test site" in message["From"]
    assert sorted(inbox.envelopes[0].rcpt_tos) == [
        "editors@tdlc.example.org",
        "partners@lists.example.org",
    ]
    plain = message.get_body(("plain",))
    rich = message.get_body(("html",))
    assert plain is not None
    assert rich is not None
    text = plain.get_content()
    # Plain text as it is (escaped for HTML, it read "Toyama&#39;s ... &amp; ...").
    assert "* Toyama's light rail & land use, ten years on" in text
    assert "https://blog.example.org/toyama-lrt" in text
    assert "https://feeds.example.org/test/digest/2026-W47/index.html" in text
    page = html.fromstring(rich.get_content())
    assert "Toyama's light rail & land use, ten years on" in page.text_content()
    links = [a.get("href") for a in page.iter("a")]
    assert links
    assert all(link.startswith(("https://", "mailto:")) for link in links)  # absolute
    assert "style=" in rich.get_content()  # inlined CSS: mail clients drop <style>
    # Never twice: a re-publish does not send again.
    code, out = invoke(config, "digest", "--week", "2026-W47", "--republish")
    assert code == 0, out
    assert len(inbox.messages) == 1
    with Store(tmp_path / "store.db") as store:
        record = store.issue("2026-W47")
        assert record is not None
        assert record.sent_at is not None


def test_a_refused_connection_is_retried_on_the_next_run(
    config: Path, port: int, tmp_path: Path
) -> None:
    assert invoke(config, "fetch")[0] == 0
    code, out = invoke(config, "digest", "--week", "2026-W47")  # nobody listens
    assert code == 1
    assert "not sent" in out
    assert "refused the connection" in out
    with Store(tmp_path / "store.db") as store:
        record = store.issue("2026-W47")
        assert record is not None
        assert (record.sent_at, record.send_attempts) == (None, 1)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        code, out = invoke(config, "digest", "--week", "2026-W48")
        assert "sent 2026-W47, which had failed before" in out
    finally:
        controller.stop()
    subjects = [m["Subject"] for m in inbox.messages]
    assert any(s.endswith("Week 47, 2026") for s in subjects)


def test_only_the_newest_unsent_issue_is_sent_and_health_says_it_is_not(
    config: Path, port: int, tmp_path: Path
) -> None:
    """A mail server down for weeks: `health` said all was well (the digest's mailing was
    in no check), and once it was mended every unsent issue went out at once, a month of
    digests in one morning. `health` names the newest unsent issue now; only it is sent
    again (an older one's readers get the newer one); `--no-send` sends none."""
    assert invoke(config, "fetch")[0] == 0
    assert invoke(config, "digest", "--week", "2026-W44")[0] == 1  # nobody listens
    code, out = invoke(config, "health")
    assert code == 1
    assert "the digest of 2026-W44 was not mailed (1 attempts): " in out
    assert "refused the connection" in out
    assert invoke(config, "digest", "--week", "2026-W45")[0] == 1  # still down
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        code, out = invoke(config, "digest", "--week", "2026-W46", "--no-send")
        assert code == 0, out
        assert inbox.messages == []  # --no-send: nothing mailed, the failed one neither
        code, out = invoke(config, "digest", "--week", "2026-W47")
        assert code == 0, out
    finally:
        controller.stop()
    assert "which had failed before" not in out  # W46, the newest then, was never tried
    subjects = [m["Subject"] for m in inbox.messages]
    assert [s.rsplit(": ", 1)[1] for s in subjects] == ["Week 47, 2026"]
    code, out = invoke(config, "health")
    assert code == 0, out
    with Store(tmp_path / "store.db") as store:
        sent = {week: r.sent_at is not None for week, r in store.issues(bodies=False).items()}
    assert sent == {"2026-W44": False, "2026-W45": False, "2026-W46": False, "2026-W47": True}


class Picky(Inbox):
    """A server that turns one recipient away, and answers QUIT with an error."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("partners@"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        return "554 5.3.0 closing with an error"


def test_a_message_the_server_took_is_never_sent_again(
    config: Path, port: int, tmp_path: Path
) -> None:
    # The server took the issue for one recipient, turned the other away, and answered
    # QUIT with an error. The issue used to count as not sent, so every later run sent it
    # again to the recipient who had it (and the address stayed refused: every week).
    inbox = Picky()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert invoke(config, "fetch")[0] == 0
        code, out = invoke(config, "digest", "--week", "2026-W47")
        assert code == 1, out
        assert "sent 2026-W47 to 1 of 2 recipients" in out
        assert "refused by the mail server: partners@lists.example.org (550 5.1.1" in out
        assert "not sent:" not in out
        (envelope,) = inbox.envelopes
        assert envelope.rcpt_tos == ["editors@tdlc.example.org"]
        with Store(tmp_path / "store.db") as store:
            record = store.issue("2026-W47")
            assert record is not None
            assert record.sent_at is not None
            assert record.send_error is not None
            assert "partners@lists.example.org" in record.send_error
        # The next week's run retries what failed: nothing, so W47 goes to nobody again.
        code, out = invoke(config, "digest", "--week", "2026-W48")
        assert "which had failed before" not in out
    finally:
        controller.stop()
    subjects = [m["Subject"] for m in inbox.messages]
    assert sum(s.endswith("Week 47, 2026") for s in subjects) == 1


def test_a_site_and_addresses_on_a_japanese_domain_are_mailed_in_ascii(
    config: Path, smtp: tuple[Controller, Inbox]
) -> None:
    """Domains in Japanese (IDN) go to the server in their ASCII form, in the envelope
    and in every header; the message could not be built before (a non-ASCII address
    raised in the middle of `digest`)."""
    _, inbox = smtp
    text = config.read_text("utf-8")
    text = text.replace("https://feeds.example.org/test/", "https://例え.jp/test/")
    text = text.replace("digest@tdlc.example.org", "digest@例え.jp")
    text = text.replace("editors@tdlc.example.org", "desk@編集.例え.jp")
    text = text.replace("mailto:digest-leave@tdlc.example.org", "mailto:leave@例え.jp?subject=停止")
    config.write_text(text, encoding="utf-8")
    assert invoke(config, "fetch")[0] == 0
    code, out = invoke(config, "digest", "--week", "2026-W47")
    assert code == 0, out
    (message,) = inbox.messages
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "digest@xn--r8jz45g.jp"
    assert sorted(envelope.rcpt_tos) == [
        "desk@xn--jh0a622c.xn--r8jz45g.jp",
        "partners@lists.example.org",
    ]
    assert message["Message-ID"] == "<digest-2026-W47@xn--r8jz45g.jp>"
    assert message["List-Unsubscribe"] == (
        "<mailto:leave@xn--r8jz45g.jp?subject=%E5%81%9C%E6%AD%A2>"
    )
    plain = message.get_body(("plain",))
    assert plain is not None
    assert "https://xn--r8jz45g.jp/test/digest/2026-W47/index.html" in plain.get_content()
    assert "mailto:leave@xn--r8jz45g.jp?subject=%E5%81%9C%E6%AD%A2" in plain.get_content()
    rich = message.get_body(("html",))
    assert rich is not None
    links = [a.get("href") for a in html.fromstring(rich.get_content()).iter("a")]
    assert "https://xn--r8jz45g.jp/test/" in links
    assert all(link.isascii() for link in links), links
    # A name before @ in other letters needs SMTPUTF8: the settings say so.
    config.write_text(text.replace("desk@編集", "編集@編集"), encoding="utf-8")
    code, out = invoke(config, "check")
    assert code == 2
    assert "the part before @ must be ASCII" in out


def test_a_site_title_on_two_lines_is_one_line_in_the_headers(
    config: Path, smtp: tuple[Controller, Inbox]
) -> None:
    """A title written over two lines (a TOML ``\"\"\"`` string) is fine in the feeds and
    pages, but a mail header may not hold a line break: building the message raised a
    ValueError in the middle of `digest` and nothing was sent, week after week."""
    _, inbox = smtp
    text = config.read_text("utf-8").replace(
        'title = "Test site"', 'title = """Test site\nof the partner cities"""'
    )
    assert "of the partner cities" in text
    config.write_text(
        text.replace("[digest.email]\n", '[digest.email]\nsender_name = "Digest\\r\\ndesk"\n'),
        encoding="utf-8",
    )
    assert invoke(config, "fetch")[0] == 0
    code, out = invoke(config, "digest", "--week", "2026-W47")
    assert code == 0, out
    (message,) = inbox.messages
    assert message["Subject"] == "Test site of the partner cities: Week 47, 2026"
    assert message["From"] == "Digest desk <digest@tdlc.example.org>"
    assert message["List-Id"].strip() == (  # folded: the whole value on the next line
        '"Test site of the partner cities weekly digest" <digest.feeds.example.org>'
    )


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("都市連携ナレッジ <news>", "都市連携ナレッジ news weekly digest"),
        ("都市連携 (TDLC)", "都市連携 TDLC weekly digest"),
        ('Partner cities "beta" <news>', '"Partner cities \\"beta\\" <news> weekly digest"'),
    ],
)
def test_a_site_title_with_brackets_names_the_sender_and_the_list(
    config: Path, smtp: tuple[Controller, Inbox], title: str, shown: str
) -> None:
    """The sender's name was written into the From header as text, so a name in Japanese
    with ``<news>`` in it was sent as ``=?utf-8?b?…?= <news> <digest@…>``: mail clients
    read the address ``news`` (no domain) and the name without its brackets; with
    ``(TDLC)`` the brackets were a comment, left out of the name. The name is one encoded
    word or a quoted string now, and ``List-Id``'s phrase cannot take the list's id."""
    _, inbox = smtp
    text = config.read_text("utf-8").replace('title = "Test site"', f"title = {title!r}")
    config.write_text(text, encoding="utf-8")  # title = '…': a TOML literal string
    assert invoke(config, "fetch")[0] == 0
    code, out = invoke(config, "digest", "--week", "2026-W47")
    assert code == 0, out
    (message,) = inbox.messages
    (sender,) = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (title, "digest@tdlc.example.org")
    assert not message["From"].defects
    said = message["List-Id"].strip()
    assert said == f"{shown} <digest.feeds.example.org>"
    assert said.rsplit("<", 1)[1] == "digest.feeds.example.org>"


def test_a_japanese_sites_list_is_named_in_japanese(
    config: Path, smtp: tuple[Controller, Inbox]
) -> None:
    """A Japanese site's email says its subject in Japanese, and its list's name, which
    mail clients show and filter by (``List-Id``), said "weekly digest"."""
    _, inbox = smtp
    text = config.read_text("utf-8").replace('title = "Test site"', 'title = "都市連携ナレッジ"')
    config.write_text(text.replace('language = "en"', 'language = "ja"', 1), "utf-8")
    assert invoke(config, "fetch")[0] == 0
    code, out = invoke(config, "digest", "--week", "2026-W47")
    assert code == 0, out
    (message,) = inbox.messages
    assert message["Subject"].startswith("都市連携ナレッジ：")
    assert (
        message["List-Id"].strip() == "都市連携ナレッジ 週刊ダイジェスト <digest.feeds.example.org>"
    )


def _fetch_and_mail(config: Path, inbox: Inbox) -> tuple[EmailMessage, EmailMessage]:
    """Fetch, publish and mail week 47; the one message's plain and HTML parts."""
    assert invoke(config, "fetch")[0] == 0
    code, out = invoke(config, "digest", "--week", "2026-W47")
    assert code == 0, out
    (message,) = inbox.messages
    plain, rich = message.get_body(("plain",)), message.get_body(("html",))
    assert isinstance(plain, EmailMessage)
    assert isinstance(rich, EmailMessage)
    return plain, rich


def test_the_text_part_keeps_the_intros_paragraphs_lists_and_links(
    config: Path, smtp: tuple[Controller, Inbox], tmp_path: Path
) -> None:
    """The text part gave the editor's intro as one line, its paragraphs and lists run
    together and its links reduced to their words: a reader of plain text had "Register
    for the workshop" and no address. Relative links (to last week's issue, to a topic
    page) were dropped from the intro everywhere; they are read from the issue's page."""
    _, inbox = smtp
    intros = tmp_path / "intros"
    intros.mkdir()
    (intros / "2026-W47.md").write_text(
        "Two notes from Toyama this week.\n\n"
        "Register for [the Kobe workshop](https://events.example.org/kobe#agenda) and "
        "read [last week's issue](../2026-W46/index.html).\n\n"
        "- the light rail note\n- the compact city toolkit <https://example.org/toolkit>\n",
        encoding="utf-8",
    )
    text = config.read_text("utf-8").replace(
        "[digest]\n", f'[digest]\neditorial_dir = "{intros}"\n'
    )
    config.write_text(text, encoding="utf-8")
    plain, rich = _fetch_and_mail(config, inbox)
    last_week = "https://feeds.example.org/test/digest/2026-W46/index.html"
    assert (
        "Two notes from Toyama this week.\n\n"
        "Register for the Kobe workshop <https://events.example.org/kobe#agenda> and read "
        f"last week's issue <{last_week}>.\n\n"
        "* the light rail note\n* the compact city toolkit https://example.org/toolkit\n"
    ) in plain.get_content().replace("\r\n", "\n")
    links = [a.get("href") for a in html.fromstring(rich.get_content()).iter("a")]
    assert last_week in links
    assert "https://events.example.org/kobe#agenda" in links
    page = tmp_path / "public" / "digest" / "2026-W47" / "index.html"
    assert f'href="{last_week}"' in page.read_text("utf-8")


class NoLogin(Inbox):
    """A relay that offers no AUTH (aiosmtpd's default without an authenticator)."""


def _mail_week_47(config: Path, port: int, handler: Inbox) -> tuple[int, str]:
    """Fetch, then publish and mail week 47 through a server with ``handler``."""
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert invoke(config, "fetch")[0] == 0
        return invoke(config, "digest", "--week", "2026-W47")
    finally:
        controller.stop()


def test_a_login_the_server_does_not_offer_is_said_as_such(
    config: Path, port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Credentials set for a server without AUTH were reported as "the server does not
    offer STARTTLS", which sent the operator to the wrong setting."""
    monkeypatch.setenv("SYNDICATE_SMTP_USER", "desk")
    monkeypatch.setenv("SYNDICATE_SMTP_PASSWORD", "secret")
    code, out = _mail_week_47(config, port, NoLogin())
    assert code == 1
    assert "STARTTLS" not in out
    assert "offers no login (AUTH)" in out


def test_half_the_credentials_is_a_plain_error(
    config: Path, smtp: tuple[Controller, Inbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user without a password used to send without logging in, so a server that
    needs a login answered with a bytes repr; now nothing is sent and the error says
    which variable is missing."""
    _, inbox = smtp
    monkeypatch.setenv("SYNDICATE_SMTP_USER", "desk")
    monkeypatch.delenv("SYNDICATE_SMTP_PASSWORD", raising=False)
    assert invoke(config, "fetch")[0] == 0
    code, out = invoke(config, "digest", "--week", "2026-W47")
    assert code == 1
    assert "SYNDICATE_SMTP_USER is set but SYNDICATE_SMTP_PASSWORD is not" in out
    assert inbox.messages == []


class Refusing(Inbox):
    """A server that refuses the sender."""

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return "530 5.7.0 Authentication required"


def test_a_refused_sender_is_said_in_words(config: Path, port: int) -> None:
    """The server's answer, not Python's repr of a tuple of bytes."""
    code, out = _mail_week_47(config, port, Refusing())
    assert code == 1
    assert "the server refused the sender digest@tdlc.example.org: 530 5.7.0 Authentication" in out
    assert "b'" not in out


class FewPerMessage(Inbox):
    """A server that takes two recipients a message and answers the rest 452, as Gmail
    (100), Microsoft 365 (500) and Postfix (1,000) do past their limits."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if len(envelope.rcpt_tos) >= 2:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_recipients_past_the_servers_limit_get_the_issue_in_further_transactions(
    config: Path, port: int
) -> None:
    """The recipients past the limit were recorded as refused and never sent the issue,
    every week."""
    readers = [f"reader{n}@partners.example.org" for n in range(5)]
    text = config.read_text("utf-8").replace(
        '"partners@lists.example.org"]', ", ".join(f'"{r}"' for r in readers) + "]"
    )
    config.write_text(text, encoding="utf-8")
    inbox = FewPerMessage()
    code, out = _mail_week_47(config, port, inbox)
    assert code == 0, out
    assert "sent 2026-W47 to 6 recipients" in out
    got = sorted(a for envelope in inbox.envelopes for a in envelope.rcpt_tos)
    assert got == sorted(["editors@tdlc.example.org", *readers])  # each once
    assert [len(e.rcpt_tos) for e in inbox.envelopes] == [2, 2, 2]
    assert len({m["Message-ID"] for m in inbox.messages}) == 1


SUMMARY = "公共交通を軸としたまちづくりの十年を振り返り、沿線の土地利用を報告します。"


def test_a_busy_week_is_mailed_within_what_gmail_shows(
    config: Path, smtp: tuple[Controller, Inbox], tmp_path: Path
) -> None:
    """A week of 150 notes (the week a city's back catalogue arrives) made an email of
    about 150 KB: Gmail shows about 102 KB of a message's HTML and hid the rest, the
    unsubscribe link with it. Each section keeps its newest entries that fit, and says
    how many more the issue's page lists, with a link to them there; the page has all."""
    _, inbox = smtp
    entries = "".join(
        f"<item><title>ノート {n}: 富山市のコンパクトシティ政策と公共交通 ({n})</title>"
        f"<link>https://blog.example.org/notes/{n}</link>"
        f"<guid>https://blog.example.org/notes/{n}</guid>"
        f"<pubDate>Tue, 17 Nov 2026 {n % 24:02d}:{n % 60:02d}:00 +0000</pubDate>"
        f"<description>{SUMMARY * 3}</description></item>"
        for n in range(150)
    )
    feed = tmp_path / "blog.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>B</title>'
        f"<link>https://blog.example.org/</link><description>d</description>{entries}"
        "</channel></rss>",
        encoding="utf-8",
    )
    plain, rich = _fetch_and_mail(config, inbox)
    # As sent: base64, four bytes for a Japanese character where quoted-printable, which
    # Python's mail package picked from the markup of the first lines, wrote nine.
    assert rich["Content-Transfer-Encoding"] == "base64"
    assert len(rich.get_payload()) <= 95_000
    tree = html.fromstring(rich.get_content())
    shown = [a for a in tree.iter("a") if "/notes/" in (a.get("href") or "")]
    page_url = "https://feeds.example.org/test/digest/2026-W47/index.html"
    (more,) = [a for a in tree.iter("a") if a.get("href") == f"{page_url}#kind-1"]
    listed = {a.get("href") for a in shown}
    left = 150 - len(listed)
    assert 20 < len(listed) < 150
    assert more.text_content() == f"{left} more in Article: see them on the web"
    # The newest stay: the section is newest first.
    assert "https://blog.example.org/notes/23" in listed  # 17 Nov 23:23, the newest
    assert "mailto:digest-leave@tdlc.example.org" in {a.get("href") for a in tree.iter("a")}
    text = plain.get_content()
    assert f"* {left} more in Article: see them on the web\n  {page_url}#kind-1" in text.replace(
        "\r\n", "\n"
    )
    assert set(re.findall(r"https://blog\.example\.org/notes/\d+", text)) == listed
    page = (tmp_path / "public" / "digest" / "2026-W47" / "index.html").read_text("utf-8")
    assert page.count('href="https://blog.example.org/notes/') >= 150
    assert 'id="kind-1"' in page
    # The editor's draft says so before the issue goes out.
    code, out = invoke(config, "digest", "--week", "2026-W47", "--preview")
    assert code == 0, out
    assert out.startswith("draft of 2026-W47 (150 items)")
    assert "published" not in out
    assert f"the email lists {len(listed)} of them and links to the page for the other {left}" in (
        " ".join(out.split())
    )
