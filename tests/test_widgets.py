"""What plug-ins put into a feed's entries besides the post (Substack's captioned share
box, YARPP's related posts, Ghost's signup card) and the forms a post embeds: none of it
in the content or the summary."""

from __future__ import annotations

import pytest
from test_fastfeed import _wordpress_feed, _wordpress_item, one_item_on_both
from tests_support import NOW, draft

from tdlc_syndication.pipeline.normalise import Rules, normalise

_POST = "<p>Toyama rebuilt its centre.</p>"
_AFTER = "<p>Ridership rose.</p>"
_SUBSTACK = (
    '<div class="captioned-button-wrap" data-attrs="{{}}" data-component-name="CaptionedButton'
    'ToDOM"><div class="preamble"><p class="cta-caption">Thanks for reading City Notes! This '
    'post is public so feel free to share it.</p></div><p class="button-wrapper" data-attrs='
    '"{{}}"><a class="button primary" href="{href}"><span>{words}</span></a></p></div>'
)
_YARPP = (
    '<div class="yarpp yarpp-related yarpp-related-rss yarpp-template-thumbnails"><h3>Related '
    'posts:</h3><div class="yarpp-thumbnails-horizontal"><a class="yarpp-thumbnail" href="'
    'https://notes.example.org/kobe/" title="Kobe drill"><img src="https://notes.example.org/'
    'kobe.jpg" width="120" height="120" alt="Kobe drill"><span class="yarpp-thumbnail-title">'
    "Kobe drill</span></a></div></div>"
)
_GHOST = (
    '<div class="kg-card kg-signup-card kg-width-regular" data-lexical-signup-form><div '
    'class="kg-signup-card-content"><div class="kg-signup-card-text"><h2 class="kg-signup-'
    'card-heading">Sign up for City Notes</h2><p class="kg-signup-card-subheading">Notes on '
    'compact cities.</p><form class="kg-signup-card-form" data-members-form="signup"><div '
    'class="kg-signup-card-fields"><input class="kg-signup-card-input" type="email" '
    'placeholder="Your email"><button class="kg-signup-card-button" type="submit"><span>'
    'Subscribe</span></button></div><div class="kg-signup-card-success">Email sent! Check '
    'your inbox to complete your signup.</div></form><p class="kg-signup-card-disclaimer">'
    "<span>No spam. Unsubscribe anytime.</span></p></div></div></div>"
)
_SHARE = "https://citynotes.substack.com/p/tram?utm_source=substack&amp;action=share"


@pytest.mark.parametrize(
    "box",
    [
        _SUBSTACK.format(href=_SHARE, words="Share"),
        _SUBSTACK.format(href="https://citynotes.substack.com/subscribe", words="Subscribe now"),
        _YARPP,
        _GHOST,
    ],
    ids=["substack-share", "substack-subscribe", "yarpp", "ghost-signup"],
)
def test_a_plug_ins_box_leaves_the_entry(box: str) -> None:
    """Substack's caption over its share or subscribe button ("Thanks for reading City
    Notes! This post is public so feel free to share it."), YARPP's related posts in a
    feed and Ghost's signup card came into the content and every summary made of it."""
    link = "https://citynotes.substack.com/p/tram"
    for item in one_item_on_both(_wordpress_feed(_wordpress_item(link, "", _POST + box + _AFTER))):
        assert item.content_html == _POST + _AFTER
        assert item.summary == "Toyama rebuilt its centre. Ridership rose."


def test_an_authors_own_captioned_button_stays() -> None:
    """A captioned button of the author's own (to the report) is the post's."""
    box = _SUBSTACK.format(href="https://example.org/report.pdf", words="Read the report")
    link = "https://citynotes.substack.com/p/tram"
    for item in one_item_on_both(_wordpress_feed(_wordpress_item(link, "", _POST + box))):
        assert 'href="https://example.org/report.pdf"' in item.content_html
        assert "Thanks for reading" in item.content_html


def test_a_beehiiv_issue_is_its_body_without_the_platforms_footer_and_link_ids() -> None:
    """beehiiv wraps each issue in its feed with its styles, its body and a footer,
    "Powered by beehiiv", and marks every link with its id (``?_bhlid=…``): the footer
    ended every issue and its summary, and the same page was two addresses."""
    link = "https://news.example.org/p/kobe-drill"
    issue = (
        "<div class='beehiiv'><style>.bh__table_cell p { color: #2D2D2D; }</style>"
        '<div class=\'beehiiv__body\'><p class="paragraph" style="text-align:left;">Kobe '
        'drilled. <a class="link" href="https://www.city.kobe.example.jp/drill/?_bhlid='
        '5860aad7a9737cf115b5ac231b92ca3147d16877&amp;utm_source=news.example.org" target='
        '"_blank" rel="noopener noreferrer nofollow">The city\'s notice</a>.</p></div>'
        "<div class='beehiiv__footer'><br class='beehiiv__footer__break'><hr class="
        '\'beehiiv__footer__line\'><a target="_blank" class="beehiiv__footer_link" style='
        '"text-align: center;" href="https://www.beehiiv.com/?utm_campaign=x&amp;utm_medium'
        '=post_rss&amp;utm_source=city_news">Powered by beehiiv</a></div></div>'
    )
    for item in one_item_on_both(_wordpress_feed(_wordpress_item(link, "", issue))):
        assert item.summary == "Kobe drilled. The city's notice."
        assert "beehiiv" not in item.content_html
        assert 'href="https://www.city.kobe.example.jp/drill/"' in item.content_html


_WPFORMS = (
    '<div class="wpforms-container" id="wpforms-12"><form id="wpforms-form-12" class="wpforms-'
    'form" method="post" action="/register/"><div class="wpforms-field"><label class="wpforms-'
    'field-label">Name <span class="wpforms-required-label">*</span></label><input type="text" '
    'name="wpforms[fields][1]"></div><div class="wpforms-field"><label>Email <span>*</span>'
    '</label><input type="email"></div><button type="submit" class="wpforms-submit">Submit'
    "</button></form></div>"
)


@pytest.mark.parametrize(
    "form",
    [
        _WPFORMS,
        # Jetpack's subscribe block, upper case as older themes write it
        '<div class="wp-block-jetpack-subscriptions__container"><FORM action="#" method="post">'
        '<p><label for="subscribe-field">Type your email…</label><INPUT type="email"></p>'
        '<p><BUTTON type="submit">Subscribe</BUTTON></p></FORM></div>',
    ],
    ids=["wpforms", "jetpack"],
)
def test_a_form_a_post_embeds_is_no_words_of_it(form: str) -> None:
    """A form sends nothing from a feed, and its labels and buttons were published as the
    post's words: "Register below. Name * Email * Submit See you there."."""
    item = normalise(
        draft(summary="", content_html="<p>Register below.</p>" + form + "<p>See you.</p>"),
        Rules(),
        NOW,
    )
    assert item.content_html == "<p>Register below.</p><p>See you.</p>"
    assert item.summary == "Register below. See you."


def test_a_form_that_holds_a_pages_text_keeps_it() -> None:
    """An ASP.NET page is one form around all it says: its words stay."""
    text = "<p>" + "Toyama rebuilt its centre around the tram. " * 20 + "</p>"
    item = normalise(
        draft(
            summary="",
            content_html=f'<form id="aspnetForm" action="./page.aspx"><input type="hidden">'
            f"{text}</form>",
        ),
        Rules(),
        NOW,
    )
    assert item.content_html == text
