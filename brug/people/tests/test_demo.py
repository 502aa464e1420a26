"""The demo network's people: realistic, deterministic, with the promised logins."""

import random

import pytest
from django.db import transaction

from brug.people import demo
from brug.people.enums import Role
from brug.people.models import Organisation, Team, User
from brug.people.queries import get_profile_completeness
from brug.spaces.enums import SpaceKind
from brug.spaces.models import Space

pytestmark = pytest.mark.django_db


class _Out:
    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(text)


def _snapshot():
    return [
        (
            p.email,
            p.name,
            p.handle,
            p.role,
            p.function,
            p.location,
            p.languages,
            p.highlight,
            p.team.name if p.team else "",
            sorted(e.slug for e in p.expertise.all()),
        )
        for p in User.objects.select_related("team").prefetch_related("expertise").order_by("email")
    ]


def test_the_demo_people_load_with_organisations_teams_and_logins(photos_dir):
    logins = demo.load(rng=random.Random(1), out=_Out())
    names = set(Organisation.objects.values_list("name", flat=True))
    assert names == {"Zorggroep De Linde", "Thuiszorg Partners", "Nexa IT"}
    assert Organisation.objects.get(is_default=True).name == "Zorggroep De Linde"
    for organisation in Organisation.objects.all():
        assert Space.objects.filter(organisation=organisation, kind=SpaceKind.QUESTIONS).exists()
    assert 15 <= Team.objects.count() <= 20
    assert Team.objects.filter(parent__isnull=False).exists()
    assert 110 <= User.objects.count() <= 130
    # Logins: a community manager, two members in different teams, a guest (the admin
    # comes from brug.core.demo); every one of them signs in with the demo password.
    people = {email: User.objects.get(email=email) for _label, email, _pw in logins}
    roles = sorted(p.role for p in people.values())
    assert roles == [Role.COMMUNITY_MANAGER, Role.GUEST, Role.MEMBER, Role.MEMBER]
    members = [p for p in people.values() if p.role == Role.MEMBER]
    assert members[0].team_id != members[1].team_id
    for _label, email, password in logins:
        assert people[email].check_password(password)
    assert User.objects.get(role=Role.ADMIN).check_password(logins[0][2])
    # Realistic: some complete and some incomplete profiles, leaders and ambassadors.
    scores = [get_profile_completeness(p)[0] for p in User.objects.prefetch_related("expertise")]
    assert sum(s == 100 for s in scores) >= 20
    assert sum(s < 50 for s in scores) >= 10
    assert User.objects.filter(highlight="leadership").count() >= 5
    assert User.objects.filter(highlight="ambassador").exists()
    assert User.objects.filter(languages__icontains='"en"').exists()
    assert User.objects.exclude(photo="").count() >= 30


def test_the_same_seed_gives_the_same_people(photos_dir):
    with transaction.atomic():
        demo.load(rng=random.Random(7), out=_Out())
        first = _snapshot()
        transaction.set_rollback(True)
    assert not Organisation.objects.filter(name="Nexa IT").exists()
    demo.load(rng=random.Random(7), out=_Out())
    assert _snapshot() == first


def test_loading_twice_does_not_fail_or_duplicate(photos_dir):
    demo.load(rng=random.Random(1), out=_Out())
    count = User.objects.count()
    out = _Out()
    demo.load(rng=random.Random(1), out=out)
    assert User.objects.count() == count
    assert "already" in out.lines[0]
