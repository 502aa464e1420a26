"""E-mail: bundles in the recipient's language, once; signed one-click unsubscribe; the digest."""

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from brug.notifications import emails, tasks
from brug.notifications.actions import unsubscribe_token
from brug.notifications.models import Notification, NotificationPreference
from brug.people.models import User

from .conftest import make_comment, make_post, react, run_jobs

pytestmark = pytest.mark.django_db


def _mails_to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


def test_mentions_and_replies_within_the_window_come_in_one_mail_in_the_recipients_language(
    now_bundles, space, owner, member, moderator, settings
):
    settings.BRUG_EMAIL_BUNDLE_SECONDS = 300
    User.objects.filter(pk=member.pk).update(language="en")
    mine = make_post(member, space, "Mijn vraag")
    make_post(owner, space, "Zie ook @sanne.dewit")
    make_comment(moderator, mine, "Een antwoord")
    run_jobs()
    assert mail.outbox == []  # the bundle waits for its window

    sent = emails.send_bundle(person_id=member.pk, now=timezone.now() + timedelta(minutes=6))
    assert sent == 1
    (message,) = _mails_to(member)
    assert message.subject == "2 new notifications in Brug"
    assert "Olga Owner mentioned you" in message.body
    assert "Mo Derator replied" in message.body
    html = message.alternatives[0].content
    assert message.alternatives[0].mimetype == "text/html"
    assert "Olga Owner mentioned you" in html
    assert f"{settings.PUBLIC_URL}/notifications/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{settings.PUBLIC_URL}/")

    # Running the bundle again sends nothing more.
    assert emails.send_bundle(person_id=member.pk, now=timezone.now() + timedelta(minutes=7)) == 0
    assert len(_mails_to(member)) == 1


def test_each_recipient_gets_the_mail_in_their_own_language(
    now_bundles, space, owner, member, moderator
):
    User.objects.filter(pk=member.pk).update(language="en")
    User.objects.filter(pk=moderator.pk).update(language="nl")
    make_post(owner, space, "Zie ook @sanne.dewit en @mo.derator")
    run_jobs()
    (english,) = _mails_to(member)
    (dutch,) = _mails_to(moderator)
    assert 'lang="en"' in english.alternatives[0].content
    assert 'lang="nl"' in dutch.alternatives[0].content
    assert english.subject.startswith("Olga Owner mentioned you")


def test_reactions_are_not_emailed_by_default(now_bundles, space, owner, member):
    post = make_post(member, space, "Bericht")
    react(owner, post=post)
    run_jobs()
    assert _mails_to(member) == []


def test_switching_email_off_for_mentions_stops_the_mail_but_not_the_line(
    now_bundles, space, owner, member
):
    NotificationPreference.objects.create(
        person=member, kind="mention", channel="email", enabled=False
    )
    make_post(owner, space, "Zie ook @sanne.dewit")
    run_jobs()
    assert _mails_to(member) == []
    assert Notification.objects.filter(
        recipient=member, kind="mention", read_at__isnull=True
    ).exists()


def test_a_failed_send_is_retried_and_then_sent_once(
    now_bundles, space, owner, member, monkeypatch
):
    make_post(owner, space, "Zie ook @sanne.dewit")
    calls = {"n": 0}
    real = emails._send

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("SMTP is down")
        return real(**kwargs)

    monkeypatch.setattr(emails, "_send", flaky)
    with pytest.raises(ConnectionError):
        run_jobs()
    assert _mails_to(member) == []
    assert Notification.objects.get(recipient=member, kind="mention").email_pending

    tasks.send_email_bundles.call()  # the retry
    assert len(_mails_to(member)) == 1
    tasks.send_email_bundles.call()
    assert len(_mails_to(member)) == 1


def test_no_mail_about_a_post_the_recipient_can_no_longer_read(
    now_bundles, settings, private_space, owner, member
):
    settings.BRUG_EMAIL_BUNDLE_SECONDS = 300
    make_post(owner, private_space, "Zie ook @sanne.dewit")
    run_jobs()
    from brug.spaces.models import Membership

    Membership.objects.filter(space=private_space, person=member).delete()
    assert emails.send_bundle(person_id=member.pk, now=timezone.now() + timedelta(minutes=6)) == 0
    assert _mails_to(member) == []


# Unsubscribe ------------------------------------------------------------------------------


def test_unsubscribe_link_asks_then_switches_the_kind_off(client, member):
    token = unsubscribe_token(person=member, kind=["mention"])
    url = reverse("notifications:unsubscribe", args=[token])
    response = client.get(url)
    assert response.status_code == 200
    assert not NotificationPreference.objects.filter(person=member).exists()  # GET changes nothing

    response = client.post(url)
    assert response.status_code == 200
    assert 'data-testid="unsubscribed"' in response.content.decode()
    assert (
        NotificationPreference.objects.get(person=member, kind="mention", channel="email").enabled
        is False
    )


def test_one_click_unsubscribe_works_without_a_session_or_csrf(member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    token = unsubscribe_token(person=member, kind=["reply", "mention"])
    response = client.post(
        reverse("notifications:unsubscribe", args=[token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert set(
        NotificationPreference.objects.filter(person=member, channel="email").values_list(
            "kind", "enabled"
        )
    ) == {("reply", False), ("mention", False)}


def test_tampered_unsubscribe_link_is_a_400_and_changes_nothing(client, member, owner):
    token = unsubscribe_token(person=member, kind=["mention"])
    payload, _sep, signature = token.rpartition(":")
    forged = signing.dumps({"p": owner.pk, "k": ["mention"]}, salt="something else")
    for bad in (f"{payload}:{signature[:-2]}xx", forged, "garbage"):
        response = client.post(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


# The weekly digest --------------------------------------------------------------------------


def test_weekly_digest_lists_the_top_posts_of_my_spaces(
    space, private_space, owner, member, moderator
):
    quiet = make_post(owner, space, "Een stil bericht")
    popular = make_post(moderator, space, "Het drukste bericht van de week")
    for person in (owner, member):
        react(person, post=popular)
    make_comment(owner, popular, "Eens")
    make_post(owner, private_space, "Ook iets")
    run_jobs()
    mail.outbox.clear()

    queued = tasks.send_weekly_digests.call()
    assert queued >= 3
    run_jobs()
    (digest,) = _mails_to(member)
    assert digest.extra_headers["List-Unsubscribe"]
    body = digest.body
    assert body.index("Het drukste bericht van de week") < body.index("Een stil bericht")
    assert quiet.space.name in body
    # The same week again: nothing more.
    tasks.send_weekly_digests.call()
    run_jobs()
    assert len(_mails_to(member)) == 1


def test_digest_unsubscribe_stops_the_digest(client, space, owner, member):
    make_post(owner, space, "Nieuws")
    run_jobs()
    token = unsubscribe_token(person=member, kind="digest")
    client.post(reverse("notifications:unsubscribe", args=[token]))
    assert emails.send_digest_to(person_id=member.pk, week=1) is False
    assert _mails_to(member) == []
