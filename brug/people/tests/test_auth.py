"""Sign in, sign out, password reset and the language switch."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from brug.analytics.enums import Verb
from brug.analytics.models import Activity
from brug.core import jobs
from tests.factories import UserFactory
from tests.fixtures import PASSWORD

LOGIN = "/login/"
RESET = "/password/reset/"


def _sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def _without_csrf(response) -> str:
    """The page with its (per-response masked) CSRF tokens blanked out."""
    return re.sub(r"[A-Za-z0-9]{64}", "<csrf>", response.text)


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


# Sign in and out --------------------------------------------------------------
@pytest.mark.django_db
def test_sign_in_with_email_and_password_signs_the_person_in(client, member):
    response = _sign_in(client, member.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert _signed_in_as(client) == str(member.pk)


@pytest.mark.django_db
def test_sign_in_accepts_the_address_in_other_capitals_and_with_spaces(client, member):
    _sign_in(client, f"  {member.email.upper()} ")

    assert _signed_in_as(client) == str(member.pk)


@pytest.mark.django_db
def test_wrong_password_shows_an_error_and_does_not_sign_in(client, member):
    response = _sign_in(client, member.email, "not the password")

    assert response.status_code == 200
    assert _signed_in_as(client) is None
    assert 'id="sign-in-error"' in response.text
    assert b"do not match an account" in response.content


@pytest.mark.django_db
def test_sign_in_records_one_sign_in_with_the_persons_team(client, member):
    _sign_in(client, member.email)

    activity = Activity.objects.get(verb=Verb.SIGN_IN)
    assert activity.actor_id == member.pk
    assert activity.actor_team_id == member.team_id
    assert activity.actor_organisation_id == member.organisation_id


@pytest.mark.django_db
def test_a_failed_sign_in_records_no_activity(client, member):
    _sign_in(client, member.email, "wrong")

    assert not Activity.objects.filter(verb=Verb.SIGN_IN).exists()


@pytest.mark.django_db
def test_sign_in_follows_next_inside_brug_but_not_to_another_site(client, member, outsider):
    inside = client.post(f"{LOGIN}?next=/spaces/", {"username": member.email, "password": PASSWORD})
    other = Client()
    outside = other.post(
        LOGIN,
        {"username": outsider.email, "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert inside["Location"] == "/spaces/"
    assert outside["Location"] == reverse("home")


@pytest.mark.django_db
def test_sign_in_page_keeps_next_in_the_form(client):
    response = client.get(f"{LOGIN}?next=/questions/")

    assert 'name="next" value="/questions/"' in response.text


@pytest.mark.django_db
def test_signing_out_needs_a_post_and_then_signs_out(client, member):
    client.force_login(member)

    asked = client.get("/logout/")
    assert asked.status_code == 200
    assert _signed_in_as(client) == str(member.pk)

    response = client.post("/logout/", follow=True)
    assert _signed_in_as(client) is None
    assert response.redirect_chain[-1][0] == reverse("people:login")
    assert "You are signed out" in response.text


# Password reset ---------------------------------------------------------------
@pytest.mark.django_db
def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, member):
    known = client.post(RESET, {"email": member.email})
    unknown = client.post(RESET, {"email": "nobody-here@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("people:password-reset-done")
    assert _without_csrf(client.get(known["Location"])) == _without_csrf(
        client.get(unknown["Location"])
    )
    # The difference is visible only in the mailbox, after the job ran.
    assert mail.outbox == []
    jobs.run_pending()
    assert [message.to for message in mail.outbox] == [[member.email]]


@pytest.mark.django_db
def test_password_reset_mail_holds_a_working_link(client, member):
    client.post(RESET, {"email": member.email.upper()})
    jobs.run_pending()

    link = re.search(r"https?://\S+/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get(f"/{path}", follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new bridge 42", "new_password2": "a brand new bridge 42"},
    )

    assert done["Location"] == reverse("people:password-reset-complete")
    member.refresh_from_db()
    assert member.check_password("a brand new bridge 42")


@pytest.mark.django_db
def test_a_reset_link_with_a_bad_token_says_it_no_longer_works(client, member):
    response = client.get("/password/reset/MQ/bad-token/")

    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert "no longer works" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_password_reset_mail_is_written_in_the_persons_language(client, language):
    person = UserFactory(language=language)

    client.post(RESET, {"email": person.email})
    jobs.run_pending()

    message = mail.outbox[0]
    assert message.extra_headers["Content-Language"] == language
    # The expiry date is written with the month name of the person's language.
    expires = timezone.localtime(timezone.now() + timedelta(days=1))
    with translation.override(language):
        month = dateformat.format(expires, "F")
    other = "en" if language == "nl" else "nl"
    with translation.override(other):
        other_month = dateformat.format(expires, "F")
    assert month in message.body
    assert other_month not in message.body  # "april" and "April" differ, too


@pytest.mark.django_db
def test_password_reset_mail_falls_back_to_the_installation_language(client, settings):
    settings.LANGUAGE_CODE = "nl"
    person = UserFactory(language="")

    client.post(RESET, {"email": person.email})
    jobs.run_pending()

    assert mail.outbox[0].extra_headers["Content-Language"] == "nl"


@pytest.mark.django_db
def test_password_reset_requests_are_limited_per_address(client, member, settings, rate_window):
    settings.BRUG_RATE_LIMITS = {"password_reset_address": "3/900", "password_reset_ip": "100/900"}

    answers = [client.post(RESET, {"email": member.email}) for _ in range(4)]

    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 900
    assert "Slow down" in answers[-1].text
    jobs.run_pending()
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_password_reset_limit_is_the_same_for_unknown_addresses(client, settings, rate_window):
    settings.BRUG_RATE_LIMITS = {"password_reset_address": "2/900", "password_reset_ip": "100/900"}

    answers = [client.post(RESET, {"email": "ghost@example.org"}) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [302, 302, 429]


@pytest.mark.django_db
def test_password_reset_requests_are_limited_per_client_address(client, settings, rate_window):
    settings.BRUG_RATE_LIMITS = {"password_reset_address": "100/900", "password_reset_ip": "2/900"}

    answers = [client.post(RESET, {"email": f"p{n}@example.org"}) for n in range(3)]
    elsewhere = Client(REMOTE_ADDR="10.1.2.3").post(RESET, {"email": "p9@example.org"})

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert "Retry-After" in answers[-1]
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_password_reset_keeps_working_unlimited_when_the_cache_is_down(
    client, member, settings, rate_window
):
    settings.CACHES = {
        "default": {
            "BACKEND": "brug.core.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.BRUG_RATE_LIMITS = {"password_reset_address": "1/900", "password_reset_ip": "1/900"}

    answers = [client.post(RESET, {"email": member.email}) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [302, 302, 302]


@pytest.mark.django_db
def test_an_invalid_address_gets_the_form_back_with_an_error(client):
    response = client.post(RESET, {"email": "not an address"})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert mail.outbox == []


# Language ---------------------------------------------------------------------
@pytest.mark.django_db
def test_the_interface_is_dutch_by_default_even_for_an_english_browser(client, settings):
    settings.LANGUAGE_CODE = "nl"  # the installation default (tests run in English)
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert '<html lang="nl"' in response.text
    assert "Wachtwoord" in response.text  # Django's own Dutch catalogue


@pytest.mark.django_db
def test_language_switch_is_stored_on_the_person_and_applied_on_the_next_request(
    member_client, member
):
    response = member_client.post(
        "/language/", {"language": "en", "next": "/logout/"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    page = member_client.get(response["Location"])

    assert response["Location"] == "/logout/"
    member.refresh_from_db()
    assert member.language == "en"
    assert '<html lang="en"' in page.text
    assert page["Content-Language"] == "en"


@pytest.mark.django_db
def test_the_persons_language_follows_them_to_another_browser(member):
    member.language = "en"
    member.save(update_fields=["language"])
    fresh = Client()  # no language cookie
    fresh.force_login(member)

    page = fresh.get("/logout/")

    assert '<html lang="en"' in page.text


@pytest.mark.django_db
def test_the_persons_language_wins_over_the_cookie(member, settings):
    member.language = "nl"
    member.save(update_fields=["language"])
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    browser.force_login(member)

    assert '<html lang="nl"' in browser.get("/logout/").text


@pytest.mark.django_db
def test_language_switch_for_someone_not_signed_in_uses_a_cookie(client, settings):
    response = client.post("/language/", {"language": "en", "next": LOGIN})
    page = client.get(LOGIN)

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en"' in page.text
    assert "Password" in page.text


@pytest.mark.django_db
def test_language_switch_ignores_an_unknown_language(member_client, member):
    member_client.post("/language/", {"language": "xx", "next": "/logout/"})

    member.refresh_from_db()
    assert member.language == ""


@pytest.mark.django_db
def test_language_switch_does_not_redirect_to_another_site(client):
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/x"})

    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_language_switch_only_answers_post(client):
    assert client.get("/language/").status_code == 405
