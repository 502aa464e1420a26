"""The shell of the web app: base layout, navigation, messages, error pages.

The navigation links to pages of other apps. To test it on its own, this
module is also a URLconf naming every page the navigation expects, with a
stand-in view each (``@pytest.mark.urls(__name__)``).
"""

import re

import pytest
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import include, path
from django.views.defaults import server_error

from brug.core.templatetags.brug import badge_count, initials
from brug.people import views_auth


def _page(request, **kwargs):
    return render(request, "base.html", {"unread_notifications": request.GET.get("unread")})


def _forbidden(request):
    raise PermissionDenied


def _with_message(request):
    messages.success(request, "Saved <b>your</b> post")
    messages.error(request, "That went wrong")
    return render(request, "base.html")


def _ns(name, patterns):
    return include((patterns, name), namespace=name)


urlpatterns = [
    path("", _page, name="home"),
    path("forbidden/", _forbidden),
    path("message/", _with_message),
    path("posts/", _ns("posts", [path("", _page, name="home")])),
    path("spaces/", _ns("spaces", [path("", _page, name="list")])),
    path("questions/", _ns("questions", [path("", _page, name="list")])),
    path("search/", _ns("search", [path("", _page, name="results")])),
    path("notifications/", _ns("notifications", [path("", _page, name="list")])),
    path("insights/", _ns("analytics", [path("", _page, name="dashboard")])),
    path("events/", _ns("realtime", [path("stream", _page, name="stream")])),
    path(
        "",
        _ns(
            "people",
            [
                path("login/", views_auth.login, name="login"),
                path("logout/", views_auth.logout, name="logout"),
                path("language/", views_auth.set_language, name="language"),
                path("password/reset/", views_auth.password_reset, name="password-reset"),
                path("people/", _page, name="directory"),
                path("people/<str:handle>/", _page, name="profile"),
                path("me/profile/", _page, name="profile-edit"),
            ],
        ),
    ),
    path("admin-site/", _ns("admin", [path("", _page, name="index")])),
]

NAV = pytest.mark.urls(__name__)


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"#]+)"', html))


# Template tags ----------------------------------------------------------------
def test_badge_count_caps_large_numbers_and_hides_zero_and_missing():
    assert badge_count(3) == "3"
    assert badge_count(120) == "99+"
    assert badge_count(0) == ""
    assert badge_count(None) == ""


def test_initials_skip_dutch_surname_particles():
    class Person:
        def __init__(self, name):
            self.name = name
            self.email = ""

    assert initials(Person("Sanne de Wit")) == "SW"
    assert initials(Person("Jan van der Berg")) == "JB"
    assert initials(Person("Cher")) == "C"


# Navigation -------------------------------------------------------------------
@NAV
@pytest.mark.django_db
def test_navigation_shows_every_section_to_a_member_but_not_insights(member_client):
    html = member_client.get("/").text

    for url in ("/posts/", "/spaces/", "/questions/", "/people/", "/notifications/"):
        assert f'href="{url}"' in html
    assert 'action="/search/"' in html
    assert 'name="q"' in html
    assert 'href="/insights/"' not in html
    assert 'href="/people/sanne.dewit/"' in html  # own profile
    assert 'href="/me/profile/"' in html


@NAV
@pytest.mark.django_db
def test_navigation_shows_insights_to_a_community_manager(client, community_manager):
    client.force_login(community_manager)

    assert 'href="/insights/"' in client.get("/").text


@NAV
@pytest.mark.django_db
def test_navigation_marks_the_current_section(member_client):
    html = member_client.get("/spaces/").text

    assert re.search(r'href="/spaces/"\s+aria-current="page"', html)
    assert not re.search(r'href="/questions/"\s+aria-current="page"', html)


@NAV
@pytest.mark.django_db
def test_someone_not_signed_in_sees_no_navigation(client):
    html = client.get("/login/").text

    assert 'href="/spaces/"' not in html
    assert 'id="brug-profile-menu"' not in html


@NAV
@pytest.mark.django_db
def test_unread_badge_shows_the_count_and_nothing_when_there_is_none(member_client):
    with_count = member_client.get("/?unread=4").text
    without = member_client.get("/").text

    assert re.search(r'id="brug-unread-badge">4<', with_count)
    assert "brug-unread-badge" not in without


@NAV
@pytest.mark.django_db
def test_sign_out_in_the_menu_is_a_post_form_with_csrf(member_client):
    html = member_client.get("/").text

    form = re.search(r'<form method="post" action="/logout/">(.*?)</form>', html, re.S)
    assert form is not None
    assert "csrfmiddlewaretoken" in form.group(1)


@NAV
@pytest.mark.django_db
def test_language_menu_offers_both_languages_and_marks_the_current_one(member_client, settings):
    settings.LANGUAGE_CODE = "nl"  # the installation default (tests run in English)
    html = member_client.get("/").text

    assert re.search(r'value="nl"[^>]*aria-pressed="true"[^>]*>Nederlands<', html)
    assert re.search(r'value="en"[^>]*aria-pressed="false"[^>]*>English<', html)


# Accessibility and CSP ----------------------------------------------------------
@NAV
@pytest.mark.django_db
def test_every_page_has_landmarks_and_a_skip_link(member_client):
    html = member_client.get("/").text

    assert 'href="#main"' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert re.search(r'<html lang="(nl|en)"', html)


@NAV
@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/login/", "/password/reset/"])
def test_pages_carry_no_inline_script_or_style_that_the_csp_would_block(client, member, url):
    if url == "/":
        client.force_login(member)
    html = client.get(url).text

    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the page loads its scripts"
    assert all("src=" in tag for tag in scripts)
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), "a script tag has inline code"
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html), "an inline event handler"
    assert "//cdn" not in html and "https://" not in html


@NAV
@pytest.mark.django_db
def test_every_form_field_on_the_sign_in_page_has_a_label(client):
    html = client.get("/login/").text

    for field_id in re.findall(r'<input[^>]+type="(?:email|password)"[^>]*id="([^"]+)"', html):
        assert f'for="{field_id}"' in html


@NAV
@pytest.mark.django_db
def test_htmx_requests_carry_the_csrf_token(member_client):
    html = member_client.get("/").text

    assert re.search(r"hx-headers='\{\"X-CSRFToken\": \"[A-Za-z0-9]{32,}\"\}'", html)


# Messages -----------------------------------------------------------------------
@NAV
@pytest.mark.django_db
def test_messages_show_as_alerts_in_a_status_region_and_are_escaped(member_client):
    html = member_client.get("/message/").text

    region = re.search(
        r'<div class="brug-messages" role="status"[^>]*>(.*?)</div>\s*<div class="brug-layout"',
        html,
        re.S,
    )
    assert region is not None
    assert "alert-success" in region.group(1)
    assert "alert-danger" in region.group(1)
    assert "Saved &lt;b&gt;your&lt;/b&gt; post" in region.group(1)


# Error pages --------------------------------------------------------------------
@NAV
@pytest.mark.django_db
def test_a_missing_page_answers_404_in_the_design(member_client):
    response = member_client.get("/no-such-page/")

    assert response.status_code == 404
    assert "brug-error" in response.text
    assert 'id="brug-profile-menu"' in response.text  # still the whole layout


@NAV
@pytest.mark.django_db
def test_a_forbidden_act_answers_403_in_the_design(member_client):
    response = member_client.get("/forbidden/")

    assert response.status_code == 403
    assert "brug-error" in response.text


def test_the_500_page_renders_without_database_or_request_context():
    # No db fixture: pytest-django refuses any query here.
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"brug.css" in response.content


@NAV
@pytest.mark.django_db
def test_an_expired_form_gets_a_friendly_403(member, settings):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)

    response = strict.post("/logout/")

    assert response.status_code == 403
    assert "Your form expired" in response.text
    assert 'id="brug-profile-menu"' in response.text  # rendered with the request


@NAV
@pytest.mark.django_db
def test_a_bad_request_answers_400_in_the_design(client):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "brug-error" in response.text
