"""A newsletter's issues from its archive's feed (Mailchimp's campaign archive): the
mail's text without its footer, its link to a browser's copy, its badge or its title."""

from __future__ import annotations

import html

import pytest
from test_fastfeed import one_item_on_both
from tests_support import NOW, draft

from tdlc_syndication.pipeline.normalise import Rules, normalise
from tdlc_syndication.pipeline.sanitise import sanitise_html

_BODY = (
    "<h1>City Partnership News</h1>"
    "<p>Kobe held its district drill with three hundred residents, and Toyama opened a new "
    "tram line.</p>"
    '<p>Read the <a href="https://example.org/toolkit">compact city toolkit</a>.</p>'
)
_SUMMARY = (
    "Kobe held its district drill with three hundred residents, and Toyama opened a new "
    "tram line. Read the compact city toolkit."
)


def _block(inner: str, cls: str = "mcnTextBlock") -> str:
    """One of Mailchimp's blocks: a table of one cell, in a table of the template."""
    return (
        f'<table border="0" cellpadding="0" cellspacing="0" width="100%" class="{cls}">'
        f'<tbody class="{cls}Outer"><tr><td valign="top" class="mcnTextContent" '
        f'style="padding: 9px 18px;">{inner}</td></tr></tbody></table>'
    )


def _issue(body: str = _BODY) -> str:
    """An issue as Mailchimp's campaign archive feed gives it: the whole mail, its head
    (title, og:image, styles), its hidden preview text, its layout tables and its footer
    (written here after the shape of Mailchimp's classic template)."""
    footer = (
        "<em>Copyright &copy; 2026 City Partnership Program, All rights reserved.</em><br>"
        "You are receiving this email because you took part in a Technical Deep Dive.<br><br>"
        "<strong>Our mailing address is:</strong><br>"
        '<div class="vcard"><span class="org fn">City Partnership Program</span>'
        '<div class="adr"><div class="street-address">1-1 Uchisaiwaicho</div>'
        '<span class="locality">Tokyo</span> <div class="country-name">Japan</div></div></div>'
        '<br><a href="https://citypartners.us1.list-manage.com/vcard?u=abc&amp;id=ghi">'
        "Add us to your address book</a><br><br>Want to change how you receive these emails?"
        '<br>You can <a href="https://citypartners.us1.list-manage.com/profile?u=abc&amp;'
        'id=ghi&amp;e=[UNIQID]">update your preferences</a> or <a href="https://citypartners'
        '.us1.list-manage.com/unsubscribe?u=abc&amp;id=ghi&amp;e=[UNIQID]&amp;c=def">'
        "unsubscribe from this list</a>.<br><br>"
    )
    badge = (
        '<a href="http://www.mailchimp.com/monkey-rewards/?utm_source=freemium_newsletter&amp;'
        'aid=abc&amp;afl=1"><img src="https://cdn-images.mailchimp.com/monkey_rewards/'
        'intuit-mc-rewards-text-dark.svg" border="0" alt="Email Marketing Powered by Intuit '
        'Mailchimp" width="139" height="54"></a>'
    )
    social = (
        '<a href="https://www.facebook.com/citypartners"><img src="https://cdn-images.'
        'mailchimp.com/icons/social-block-v2/color-facebook-48.png" alt="Facebook" '
        'width="24" height="24"></a>'
    )
    return (
        '<!doctype html><html><head><meta charset="UTF-8"><title>City Partnership News, '
        'November</title><meta property="og:image" content="https://mcusercontent.com/abc/'
        'images/banner.png"><style type="text/css">.mcnPreviewText{display:none !important;}'
        '</style></head><body><span class="mcnPreviewText" style="display:none; font-size:0px;'
        ' max-height:0px; overflow:hidden; visibility:hidden;">Kobe drilled, Toyama rode</span>'
        '<center><table id="bodyTable" width="100%"><tr><td id="bodyCell">'
        + _block(
            '<a href="https://us1.campaign-archive.com/?u=abc&amp;id=def" target="_blank">'
            "View this email in your browser</a>"
        )
        + _block('<img src="https://mcusercontent.com/abc/images/banner.png" width="564">')
        + _block(body)
        + _block(social, "mcnFollowBlock")
        + _block(footer)
        + _block(badge)
        + "</td></tr></table></center></body></html>"
    )


def _archive_feed(description: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>City Partnership Program Email Archive</title>"
        "<link>https://us1.campaign-archive.com/home/?u=abc&amp;id=ghi</link>"
        "<description>City Partnership Program Email Archive</description><item>"
        "<title>City Partnership News, November</title>"
        "<link>https://mailchi.mp/abc/november-news</link>"
        "<pubDate>Thu, 26 Nov 2026 01:00:00 +0000</pubDate>"
        f"<description>{html.escape(description)}</description>"
        '<guid isPermaLink="true">https://mailchi.mp/abc/november-news</guid>'
        "</item></channel></rss>"
    ).encode()


def test_an_issue_is_its_text_without_the_mails_footer_badge_and_browser_link() -> None:
    """Mailchimp's archive feed gives each issue as the whole mail. Its content and
    summary began with the document's title and "View this email in your browser" and
    ended with "Copyright … All rights reserved. … update your preferences or unsubscribe
    from this list" and Mailchimp's badge: those go, on both parse paths, and so do the
    tables that held only them. The editor's text, links and social links stay."""
    for item in one_item_on_both(_archive_feed(_issue())):
        assert item.summary == _SUMMARY
        content = item.content_html
        for gone in (
            "November</",
            "View this email",
            "Copyright",
            "mailing address",
            "unsubscribe",
            "UNIQID",
            "monkey",
            "Intuit",
            "<tr></tr>",
            "<td></td>",
        ):
            assert gone not in content, gone
        assert 'href="https://example.org/toolkit"' in content
        assert 'href="https://www.facebook.com/citypartners"' in content
        assert content.count("<table>") == 4  # the template's, the banner's, text, social


@pytest.mark.parametrize(
    "footer",
    [
        # a service's own address for leaving, words of "this email"
        "<p>You receive this email as a partner. © 2026 CPP · "
        '<a href="https://news.example.org/unsubscribe?m=1">Leave</a></p>',
        # the words in the link, a mailing service's address
        '<p><a href="https://cl.benchmarkemail.com/stop?m=1">メール配信停止</a></p>',
        # the words just before it, of "this mail"
        '<p>このメールは配信専用です。配信停止は<a href="https://mail.example.jp/stop?m=1">'
        "こちら</a></p>",
        "<p>To unsubscribe from this newsletter, "
        '<a href="https://mail.example.org/s/1">click here</a>.</p>',
    ],
)
def test_a_mailings_footer_paragraph_goes_as_its_table_cell_does(footer: str) -> None:
    """Any mailing service's footer (its words in English or Japanese, or its link's
    address), where it ends the text of what is evidently a mail, goes whole."""
    text = "<p>神戸市で防災訓練を行いました。</p>"
    assert sanitise_html(text + footer) == text


@pytest.mark.parametrize(
    "markup",
    [
        # the footer's words in a text with more after them: no footer
        "<p>Residents can unsubscribe from the alert mails <a href='https://x.org/a'>here"
        "</a>.</p><p>" + "The city sends one mail a month about its drills. " * 6 + "</p>",
        # a block that holds a heading is the text's
        "<div><h2>How to leave</h2><p>To unsubscribe, <a href='https://x.org/u'>write</a>."
        "</p></div>",
        # the whole content: nothing is left to be the text
        "<p>To unsubscribe from this list, <a href='https://x.org/u'>use this form</a>.</p>",
        # a city's notice that ends by telling how to stop its alert mails is no mail
        "<p>本メールマガジンでは市の防災情報をお届けします。</p><p>配信停止は"
        "<a href='https://city.example.jp/mail/stop.html'>こちら</a></p>",
        "<p>神戸市防災メールを始めました。</p><p>登録・配信停止は"
        "<a href='https://city.example.jp/mail/unsubscribe.html'>こちら</a></p>",
        "<p>Kobe's flood alerts now come by mail.</p><p>To unsubscribe from the alerts, "
        "<a href='https://city.example.jp/alerts/unsubscribe'>use the form</a>.</p>",
        # a "view online" link deep in the text
        "<p>" + "Toyama rebuilt its centre around the tram. " * 80 + "</p><p><a href="
        "'https://x.org/r'>View the report online</a></p><p>More.</p>",
    ],
)
def test_text_that_speaks_of_unsubscribing_stays(markup: str) -> None:
    """What only looks like a mail's parts stays: the words inside the text, a block
    with a heading, all the content says, a link to read a report online."""
    cleaned = sanitise_html(markup)
    assert "unsubscribe" in cleaned or "online" in cleaned or "配信停止" in cleaned
    assert "<a href=" in cleaned


def test_a_documents_title_and_a_forms_fields_are_not_its_words() -> None:
    """A description that is a whole HTML document had its ``<title>`` as the first
    words of the content and the summary; a form's list of choices (Contact Form 7's
    ``<select>``) and a text box's default words read as text."""
    item = normalise(
        draft(
            summary="",
            content_html=(
                "<html><head><title>Kobe drill - City News</title></head><body>"
                "<p>Kobe drilled.</p><form><select><option>Yokohama</option><option>Kobe"
                "</option></select><textarea>Your question</textarea></form></body></html>"
            ),
        ),
        Rules(),
        NOW,
    )
    assert item.summary == "Kobe drilled."
    assert item.content_html == "<p>Kobe drilled.</p>"


def test_a_link_left_with_nothing_to_show_goes() -> None:
    """A link whose only content was an icon drawn in SVG (a theme's social icons) was
    left empty: a link with nothing to click, which accessibility checkers flag."""
    markup = (
        '<p>Follow us <a href="https://x.org/kobe"><svg viewBox="0 0 1 1"><title>X</title>'
        '<path d="M0 0"/></svg></a> and <a href="https://x.org/toyama">Toyama</a>.</p>'
    )
    assert sanitise_html(markup) == (
        '<p>Follow us  and <a href="https://x.org/toyama" rel="noopener noreferrer">Toyama</a>.</p>'
    )
