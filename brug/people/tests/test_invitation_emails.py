"""Invitations with an address are e-mailed: in the chosen language, with the note,
Reply-To the inviter; a mail server that fails leaves the invitation and its link."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import translation

from brug.core.exceptions import RateLimited
from brug.people import actions
from brug.people.models import Invitation

pytestmark = pytest.mark.django_db

BROKEN_MAILER = {"default": {"BACKEND": f"{__name__}.BrokenMailBackend"}}
NOTE = "Welkom! We werken samen aan de wijkzorg.\nTot snel."


class BrokenMailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise OSError("Connection refused")


@pytest.fixture
def broken_mail(settings):
    settings.MAILERS = BROKEN_MAILER


def _invite(by, organisation, **kwargs):
    kwargs.setdefault("email", "nieuw@example.org")
    return actions.create_invitation(by=by, organisation=organisation, **kwargs)


def _link_in(message) -> str:
    return re.search(r"https?://\S+/invite/\S+/", message.body).group(0)


# The action -------------------------------------------------------------------------


def test_an_invitation_with_an_address_mails_a_link_that_opens_the_accept_page(
    client, settings, community_manager, organisation
):
    settings.PUBLIC_URL = "https://brug.example.org"
    invitation = _invite(community_manager, organisation, language="en", message=NOTE)
    assert invitation.emailed is True
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["nieuw@example.org"]
    assert sent.reply_to == [community_manager.email]
    assert sent.extra_headers["Content-Language"] == "en"
    assert sent.subject == "Cora Manager invites you to Brug"
    link = _link_in(sent)
    assert link == f"https://brug.example.org/invite/{invitation.token}/"
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert organisation.name in page.content.decode()
    assert organisation.name in sent.body
    assert "> Welkom! We werken samen aan de wijkzorg.\n> Tot snel." in sent.body
    assert "Not expecting this? Ignore this mail; the link expires by itself." in sent.body
    assert str(invitation.expires_at.year) in sent.body
    stored = Invitation.objects.get(pk=invitation.pk)
    assert stored.emailed_at is not None


def test_the_mail_is_in_dutch_when_dutch_is_chosen(community_manager, organisation):
    _invite(community_manager, organisation, language="nl")
    sent = mail.outbox[0]
    assert sent.subject == "Cora Manager nodigt je uit voor Brug"
    assert "Verwacht je dit niet?" in sent.body
    assert "Not expecting this?" not in sent.body
    assert sent.extra_headers["Content-Language"] == "nl"


def test_the_mail_is_in_english_when_english_is_chosen_in_a_dutch_installation(
    settings, community_manager, organisation
):
    settings.LANGUAGE_CODE = "nl"
    with translation.override("nl"):
        _invite(community_manager, organisation, language="en")
    assert "Not expecting this?" in mail.outbox[0].body


def test_the_mail_follows_the_active_language_when_none_is_chosen(community_manager, organisation):
    with translation.override("nl"):
        _invite(community_manager, organisation)
    assert mail.outbox[0].subject == "Cora Manager nodigt je uit voor Brug"


def test_an_invitation_without_an_address_sends_no_mail(community_manager, organisation):
    invitation = _invite(community_manager, organisation, email=None, message=NOTE)
    assert mail.outbox == []
    assert invitation.emailed is False
    assert Invitation.objects.get(pk=invitation.pk).emailed_at is None


def test_an_invitation_with_send_email_off_sends_no_mail(community_manager, organisation):
    invitation = _invite(community_manager, organisation, send_email=False)
    assert mail.outbox == []
    assert invitation.emailed is False
    assert Invitation.objects.get(pk=invitation.pk).emailed_at is None


def test_a_mail_server_that_fails_still_makes_the_invitation(
    broken_mail, caplog, community_manager, organisation
):
    invitation = _invite(community_manager, organisation, message=NOTE)
    assert invitation.emailed is False
    assert invitation.token
    stored = Invitation.objects.get(pk=invitation.pk)
    assert stored.emailed_at is None
    assert stored.digest == actions.digest_invitation_token(invitation.token)
    failures = [r for r in caplog.records if r.name == "brug.people"]
    assert failures and failures[0].exc_info[0] is OSError
    assert invitation.token not in caplog.text


@pytest.mark.parametrize("language", ["de", "NL", "", "nl-be"])
def test_a_language_other_than_dutch_or_english_is_refused(
    community_manager, organisation, language
):
    with pytest.raises(ValidationError) as error:
        _invite(community_manager, organisation, language=language)
    assert "language" in error.value.message_dict
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("message", ["x" * 1001, "hallo\x00"])
def test_a_note_that_is_too_long_or_holds_a_nul_is_refused(
    community_manager, organisation, message
):
    with pytest.raises(ValidationError) as error:
        _invite(community_manager, organisation, message=message)
    assert "message" in error.value.message_dict
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_note_of_1000_characters_fits_after_stripping(community_manager, organisation):
    invitation = _invite(community_manager, organisation, message="  " + "x" * 1000 + "\n\n")
    assert invitation.emailed
    assert "> " + "x" * 1000 + "\n" in mail.outbox[0].body


def test_the_hourly_limit_still_holds_and_sends_nothing_past_it(
    monkeypatch, community_manager, organisation
):
    monkeypatch.setattr(actions, "INVITATIONS_PER_HOUR", 2)
    _invite(community_manager, organisation, email="een@example.org")
    _invite(community_manager, organisation, email="twee@example.org")
    with pytest.raises(RateLimited):
        _invite(community_manager, organisation, email="drie@example.org")
    assert [m.to for m in mail.outbox] == [["een@example.org"], ["twee@example.org"]]
    assert Invitation.objects.count() == 2


def test_the_token_is_stored_nowhere(community_manager, organisation):
    invitation = _invite(community_manager, organisation, message=NOTE)
    assert invitation.emailed
    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert invitation.token not in repr(row)
    jobs = "django_tasks_database_dbtaskresult"
    if jobs in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {jobs}")  # noqa: S608 - a fixed table name
            assert invitation.token not in repr(cursor.fetchall())


# The page ---------------------------------------------------------------------------


def _form(organisation, **fields):
    data = {
        "email": "nieuw@example.org",
        "role": "member",
        "organisation": organisation.pk,
        "send_email": "on",
        "language": "en",
        "message": NOTE,
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def test_the_invitations_page_mails_the_link_and_says_so(client, community_manager, organisation):
    client.force_login(community_manager)
    response = client.post("/people/invitations/", _form(organisation, language="nl"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "The invitation link was e-mailed to nieuw@example.org." in body
    assert "brug-emailed" in body
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert "Verwacht je dit niet?" in sent.body
    assert "> Tot snel." in sent.body
    assert sent.reply_to == [community_manager.email]
    # The link on the page and in the mail is the same link.
    assert urlsplit(_link_in(sent)).path in body
    assert Invitation.objects.get().emailed_at is not None


def test_the_invitations_page_offers_the_mail_in_the_page_language(client, community_manager):
    client.force_login(community_manager)
    page = client.get("/people/invitations/").content.decode()
    assert 'name="send_email"' in page and "checked" in page
    assert '<option value="en" selected>' in page
    assert "Personal note" in page


def test_the_invitations_page_sends_nothing_when_the_box_is_unticked(
    client, community_manager, organisation
):
    client.force_login(community_manager)
    response = client.post("/people/invitations/", _form(organisation, send_email=None))
    assert response.status_code == 200
    assert mail.outbox == []
    assert "e-mailed to" not in response.content.decode()
    assert Invitation.objects.get().emailed_at is None


def test_the_invitations_page_warns_when_the_mail_fails_and_still_shows_the_link(
    broken_mail, client, community_manager, organisation
):
    client.force_login(community_manager)
    response = client.post("/people/invitations/", _form(organisation))
    assert response.status_code == 200
    body = response.content.decode()
    assert "The e-mail could not be sent." in body
    invitation = Invitation.objects.get()
    assert invitation.emailed_at is None
    assert "/invite/" in body
    assert "brug-emailed" not in body


@pytest.mark.parametrize(
    ("fields", "field"), [({"language": "de"}, "language"), ({"message": "x" * 1001}, "message")]
)
def test_the_invitations_page_shows_a_bad_language_or_note_on_the_form(
    client, community_manager, organisation, fields, field
):
    client.force_login(community_manager)
    response = client.post("/people/invitations/", _form(organisation, **fields))
    assert response.status_code == 422
    assert f'id="field-{field}"' in response.content.decode()
    assert response.context["form"].errors[field]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


# The API ----------------------------------------------------------------------------


def test_the_api_mails_the_invitation_and_says_so(api_as, community_manager):
    api = api_as(community_manager)
    made = api.post(
        "/invitations", {"email": "nieuw@example.org", "language": "nl", "message": NOTE}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["emailed"] is True
    assert body["emailed_at"] is not None
    sent = mail.outbox[0]
    assert sent.subject == "Cora Manager nodigt je uit voor Brug"
    assert urlsplit(_link_in(sent)).path == urlsplit(body["url"]).path
    listed = api.get("/invitations").json()["items"]
    assert listed[0]["emailed_at"] is not None


def test_the_api_sends_nothing_when_asked_not_to(api_as, community_manager):
    made = api_as(community_manager).post(
        "/invitations", {"email": "nieuw@example.org", "send_email": False}
    )
    assert made.status_code == 201
    assert made.json()["emailed"] is False
    assert made.json()["emailed_at"] is None
    assert mail.outbox == []


def test_the_api_makes_the_invitation_when_the_mail_fails(broken_mail, api_as, community_manager):
    made = api_as(community_manager).post("/invitations", {"email": "nieuw@example.org"})
    assert made.status_code == 201
    assert made.json()["emailed"] is False
    assert made.json()["token"]
    assert Invitation.objects.get().emailed_at is None


@pytest.mark.parametrize(
    "payload",
    [
        {"language": "de"},
        {"message": "x" * 1001},
        {"message": "hallo\x00"},
    ],
)
def test_the_api_refuses_a_bad_language_or_note_with_422_and_makes_nothing(
    api_as, community_manager, payload
):
    made = api_as(community_manager).post("/invitations", {"email": "a@example.org", **payload})
    assert made.status_code == 422, made.content
    assert not Invitation.objects.exists()
    assert mail.outbox == []
