"""The "Who sees what" table of DESIGN.md, row by row, with what each role may do."""

import pytest

from brug.permissions.spaces import (
    can_administer_space,
    can_invite_to_space,
    can_join_space,
    can_manage_members,
    can_read_space,
    can_request_to_join,
    can_see_space,
    filter_readable_spaces,
    filter_visible_spaces,
    with_viewer_sharing,
)
from brug.spaces.models import Space
from tests.factories import UserFactory


@pytest.fixture
def removed(team, owner, space, private_space, secret_space):
    """A colleague who was in all three spaces and was taken out of them."""
    from brug.spaces.actions import add_member, remove_member

    person = UserFactory(name="Rik Removed", handle="rik.removed", team=team)
    for target in (space, private_space, secret_space):
        add_member(by=owner, space=target, person=person)
        remove_member(by=owner, space=target, person=person)
    return person


# (fixture, space fixture, sees, reads)
MATRIX = [
    ("member", "space", True, True),
    ("member", "private_space", True, True),
    ("member", "secret_space", True, True),
    ("moderator", "space", True, True),
    ("moderator", "private_space", True, True),
    ("moderator", "secret_space", True, True),
    ("outsider", "space", True, True),
    ("outsider", "private_space", True, False),
    ("outsider", "secret_space", False, False),
    ("removed", "space", True, True),
    ("removed", "private_space", True, False),
    ("removed", "secret_space", False, False),
    ("stranger", "space", False, False),
    ("stranger", "private_space", False, False),
    ("stranger", "secret_space", False, False),
    ("guest", "space", False, False),
    ("guest", "private_space", False, False),
    ("guest", "secret_space", False, False),
    ("community_manager", "space", True, True),
    ("community_manager", "private_space", True, False),
    ("community_manager", "secret_space", False, False),
    ("admin_user", "space", True, True),
    ("admin_user", "private_space", True, False),
    ("admin_user", "secret_space", False, False),
]


@pytest.mark.parametrize(("who", "which", "sees", "reads"), MATRIX)
def test_space_visibility_follows_the_design_table(request, who, which, sees, reads):
    person = request.getfixturevalue(who)
    space = request.getfixturevalue(which)
    assert can_see_space(person, space) is sees
    assert can_read_space(person, space) is reads
    assert filter_visible_spaces(person).filter(pk=space.pk).exists() is sees
    assert filter_readable_spaces(person).filter(pk=space.pk).exists() is reads
    annotated = with_viewer_sharing(person, Space.objects.filter(pk=space.pk)).get()
    assert can_see_space(person, annotated) is sees
    assert can_read_space(person, annotated) is reads


# (fixture, space fixture, joins at once, may ask, manages members, administers)
ACTS = [
    ("member", "space", False, False, False, False),
    ("moderator", "private_space", False, False, True, False),
    ("owner", "secret_space", False, False, True, True),
    ("outsider", "space", True, False, False, False),
    ("outsider", "private_space", False, True, False, False),
    ("outsider", "secret_space", False, False, False, False),
    ("removed", "private_space", False, True, False, False),
    ("stranger", "space", False, False, False, False),
    ("guest", "space", False, False, False, False),
    ("community_manager", "space", True, False, True, False),
    ("community_manager", "private_space", False, True, False, False),
    ("admin_user", "private_space", False, True, True, True),
    ("admin_user", "secret_space", False, False, False, False),
]


@pytest.mark.parametrize(("who", "which", "joins", "asks", "manages", "administers"), ACTS)
def test_what_each_role_may_do_with_a_space(request, who, which, joins, asks, manages, administers):
    person = request.getfixturevalue(who)
    space = request.getfixturevalue(which)
    assert can_join_space(person, space) is joins
    assert can_request_to_join(person, space) is asks
    assert can_manage_members(person, space) is manages
    assert can_administer_space(person, space) is administers


def test_invitations_follow_the_space_and_the_invitee(
    space, private_space, member, moderator, guest, outsider
):
    assert can_invite_to_space(member, space)
    assert not can_invite_to_space(member, space, guest=True)
    assert not can_invite_to_space(member, private_space)
    assert can_invite_to_space(moderator, private_space, guest=True)
    assert not can_invite_to_space(outsider, space)


def test_guest_added_to_a_space_sees_and_reads_only_that_space(guest, space, private_space):
    from brug.spaces.actions import _add_membership

    _add_membership(space=private_space, person=guest)
    assert can_read_space(guest, private_space)
    assert not can_read_space(guest, space)
    assert list(filter_visible_spaces(guest)) == [private_space]
