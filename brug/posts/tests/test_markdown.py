"""Markdown is rendered without raw HTML and sanitised: user content cannot run code."""

import pytest

from brug.core.markdown import parse_mentions, render_markdown
from brug.posts.tests.inert import assert_inert, problems

ATTACKS = [
    "<script>alert(1)</script>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<javascript:alert(1)>",
    "[x](vbscript:msgbox(1))",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_dangerous_markup_comes_out_inert(attack):
    assert_inert(render_markdown(attack))
    assert_inert(render_markdown(f"Tekst ervoor\n\n{attack}\n\n**en erna**"))


def test_links_are_nofollow_and_open_no_opener():
    html = render_markdown(
        "Zie https://www.zorgwiki.nl/wondzorg en [het rooster](https://intranet/rooster)"
    )
    assert html.count('rel="nofollow noopener ugc"') == 2
    assert 'href="https://www.zorgwiki.nl/wondzorg"' in html


def test_markdown_images_are_links_so_nothing_is_loaded_from_elsewhere():
    html = render_markdown("![pixel](https://tracker.example/p.gif)")
    assert "<img" not in html
    assert 'href="https://tracker.example/p.gif"' in html


def test_common_markdown_is_rendered():
    html = render_markdown("**vet** _schuin_ ~~weg~~\n\n- een\n- twee\n\n`code`")
    assert "<strong>vet</strong>" in html
    assert "<em>schuin</em>" in html
    assert "<s>weg</s>" in html
    assert "<li>een</li>" in html
    assert "<code>code</code>" in html


def test_mentions_are_found_in_text_but_not_in_code_links_or_email_addresses():
    text = "Hoi @Sanne.deWit en @all! `@code` [@link](https://x.nl) mail piet@zorg.nl of @piet."
    assert parse_mentions(text) == ["sanne.dewit", "all", "piet"]


def test_only_resolved_mentions_become_profile_links():
    html = render_markdown(
        "@sanne.dewit en @onbekend", mention_urls={"sanne.dewit": "/people/sanne.dewit/"}
    )
    assert '<a href="/people/sanne.dewit/" class="mention"' in html
    assert "@onbekend" in html and "/people/onbekend/" not in html


def test_a_mention_url_cannot_smuggle_a_script_scheme():
    html = render_markdown("@evil", mention_urls={"evil": "javascript:alert(1)"})
    assert "javascript:" not in html


def test_the_inertness_check_itself_catches_active_content():
    assert problems('<p onclick="x()">a</p><script>1</script><a href="javascript:x">y</a>')


def test_times_read_just_now_then_in_one_unit(settings):
    import datetime

    from django.utils import timezone, translation

    from brug.posts.templatetags.posts_tags import ago

    now = timezone.now()
    with translation.override("nl"):
        assert ago(now - datetime.timedelta(seconds=20)) == "zojuist"
        assert ago(now - datetime.timedelta(minutes=3)) == "3\xa0minuten geleden"
    with translation.override("en"):
        assert ago(now - datetime.timedelta(seconds=5)) == "just now"
        assert ago(now - datetime.timedelta(days=9)) == "1\xa0week ago"
