"""Sign-in throttling with django-axes: an account is locked from one address.

Five wrong passwords lock that account from that client address only: the
person can still sign in from elsewhere, and colleagues behind the same NAT
can still sign in to their own accounts. The lock lives in the database, so
it holds with Redis gone.
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from brug.core import jobs
from tests.fixtures import PASSWORD

ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def _attempt(email, password, address=ATTACKER):
    return Client(REMOTE_ADDR=address).post("/login/", {"username": email, "password": password})


def _fail_five_times(email, address=ATTACKER):
    return [_attempt(email, f"wrong {n}", address) for n in range(5)]


def _signed_in(response) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_four_wrong_passwords_do_not_lock_the_account(member):
    for n in range(4):
        _attempt(member.email, f"wrong {n}")

    assert _signed_in(_attempt(member.email, PASSWORD))


@pytest.mark.django_db
def test_five_wrong_passwords_lock_that_account_from_that_address(member):
    _fail_five_times(member.email)

    response = _attempt(member.email, PASSWORD)

    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    assert int(response["Retry-After"]) == 15 * 60
    assert 'data-testid="locked"' in response.text
    assert "Sign-in paused" in response.text


@pytest.mark.django_db
def test_the_fifth_wrong_password_already_shows_the_lockout_page(member):
    answers = _fail_five_times(member.email)

    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429]


@pytest.mark.django_db
def test_a_locked_account_can_still_sign_in_from_another_address(member):
    _fail_five_times(member.email)

    assert _signed_in(_attempt(member.email, PASSWORD, address=ELSEWHERE))


@pytest.mark.django_db
def test_another_account_can_still_sign_in_from_the_locked_address(member, outsider):
    _fail_five_times(member.email)

    assert _signed_in(_attempt(outsider.email, PASSWORD))


@pytest.mark.django_db
def test_changing_the_capitals_of_the_address_does_not_dodge_the_lock(member):
    for n in range(5):
        _attempt(member.email.upper() if n % 2 else member.email, f"wrong {n}")

    assert _attempt(member.email.title(), PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_successful_sign_in_starts_the_count_again(member):
    for n in range(4):
        _attempt(member.email, f"wrong {n}")
    assert _signed_in(_attempt(member.email, PASSWORD))
    for n in range(4):
        _attempt(member.email, f"wrong again {n}")

    assert _signed_in(_attempt(member.email, PASSWORD))


@pytest.mark.django_db
def test_lockout_holds_with_the_redis_cache_unreachable(member, outsider, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "brug.core.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    cache.set("probe", "value")
    assert cache.get("probe") is None  # the cache really is gone (and fails open)

    _fail_five_times(member.email)

    assert _attempt(member.email, PASSWORD).status_code == 429
    assert _signed_in(_attempt(member.email, PASSWORD, address=ELSEWHERE))
    assert _signed_in(_attempt(outsider.email, PASSWORD))


@pytest.mark.django_db
def test_choosing_a_new_password_from_the_mail_lifts_the_lock(member):
    _fail_five_times(member.email)
    assert _attempt(member.email, PASSWORD).status_code == 429

    browser = Client(REMOTE_ADDR=ATTACKER)
    browser.post("/password/reset/", {"email": member.email})
    jobs.run_pending()
    link = re.search(r"/password/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body).group(0)
    form_page = browser.get(link, follow=True)
    browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "over the bridge 2027", "new_password2": "over the bridge 2027"},
    )

    assert _signed_in(_attempt(member.email, "over the bridge 2027"))
