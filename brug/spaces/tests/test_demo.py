"""The demo spaces load after the demo people, through the actions, deterministically."""

import io
import random

from django.db.models import Count

from brug.people.enums import Role
from brug.spaces.models import Space


def test_demo_spaces_load_with_consistent_counts_a_shared_guest_space_and_a_secret_one(db):
    from brug.people import demo as people_demo
    from brug.spaces import demo as spaces_demo

    out = io.StringIO()
    people_demo.load(rng=random.Random(1), out=out)
    spaces_demo.load(rng=random.Random(1), out=out)

    spaces = Space.objects.annotate(real=Count("memberships"))
    assert 25 <= spaces.count() <= 35
    assert all(space.member_count == space.real for space in spaces)
    sizes = sorted((space.real for space in spaces), reverse=True)
    assert sizes[0] >= 60 and sizes[len(sizes) // 2] <= 20  # a few big, many small
    shared = Space.objects.get(name=spaces_demo.PARTNER_SPACE[0])
    assert shared.shared_with.filter(name=spaces_demo.PARTNER).exists()
    assert shared.memberships.filter(person__role=Role.GUEST).exists()
    assert shared.memberships.exclude(person__organisation=shared.organisation).exists()
    assert Space.objects.filter(visibility="secret").count() == 1
    assert Space.objects.filter(kind="questions").count() == 3
    assert Space.objects.filter(team__isnull=False).count() == len(spaces_demo.TEAM_SPACES)

    spaces_demo.load(rng=random.Random(1), out=out)  # a second run changes nothing
    assert Space.objects.count() == spaces.count()
