"""The "Who sees what" table of DESIGN.md, row by row."""

import pytest

from brug.permissions.spaces import (
    can_read_space,
    can_see_space,
    filter_readable_spaces,
    filter_visible_spaces,
)

# (fixture, space fixture, sees, reads)
MATRIX = [
    ("member", "space", True, True),
    ("member", "private_space", True, True),
    ("member", "secret_space", True, True),
    ("outsider", "space", True, True),
    ("outsider", "private_space", True, False),
    ("outsider", "secret_space", False, False),
    ("stranger", "space", False, False),
    ("stranger", "private_space", False, False),
    ("stranger", "secret_space", False, False),
    ("guest", "space", False, False),
    ("guest", "private_space", False, False),
    ("guest", "secret_space", False, False),
    ("community_manager", "space", True, True),
    ("community_manager", "private_space", True, False),
    ("community_manager", "secret_space", False, False),
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


def test_guest_added_to_a_space_sees_and_reads_only_that_space(guest, space, private_space):
    from brug.spaces.actions import _add_membership

    _add_membership(space=private_space, person=guest)
    assert can_read_space(guest, private_space)
    assert not can_read_space(guest, space)
    assert list(filter_visible_spaces(guest)) == [private_space]
