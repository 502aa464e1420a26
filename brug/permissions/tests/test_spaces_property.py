"""Property: the per-object rules and the queryset filters of spaces always agree.

For random organisations, people (members, guests, community managers,
admins, inactive people), spaces (any visibility, owned by one organisation
and shared with others) and memberships, ``can_see_space`` /
``can_read_space`` say yes exactly for the spaces that
``filter_visible_spaces`` / ``filter_readable_spaces`` return — also when the
spaces were loaded with ``with_viewer_sharing`` (the shortcut lists use).
"""

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from brug.people.enums import Role
from brug.people.models import Organisation, User
from brug.permissions import Viewer
from brug.permissions.spaces import (
    can_join_space,
    can_read_space,
    can_request_to_join,
    can_see_space,
    filter_readable_spaces,
    filter_visible_spaces,
    with_viewer_sharing,
)
from brug.spaces.enums import JoinPolicy, SpaceRole, Visibility
from brug.spaces.models import Membership, Space

ORGANISATIONS = 3

people_strategy = st.lists(
    st.tuples(
        st.integers(0, ORGANISATIONS - 1),
        st.sampled_from([Role.MEMBER, Role.MEMBER, Role.GUEST, Role.COMMUNITY_MANAGER, Role.ADMIN]),
        st.integers(0, 9),  # 0: an inactive (departed) person
    ),
    min_size=1,
    max_size=5,
)
spaces_strategy = st.lists(
    st.tuples(
        st.integers(0, ORGANISATIONS - 1),
        st.sampled_from(Visibility.values),
        st.sampled_from(JoinPolicy.values),
        st.sets(st.integers(0, ORGANISATIONS - 1), max_size=2),
    ),
    min_size=1,
    max_size=5,
)
memberships_strategy = st.sets(
    st.tuples(st.integers(0, 4), st.integers(0, 4), st.sampled_from(SpaceRole.values)),
    max_size=12,
)


class SpacePermissionsAgree(TestCase):
    @given(people=people_strategy, spaces=spaces_strategy, memberships=memberships_strategy)
    def test_can_see_and_can_read_agree_with_the_filters(self, people, spaces, memberships):
        organisations = [
            Organisation.objects.create(name=f"Org {i}", slug=f"prop-org-{i}")
            for i in range(ORGANISATIONS)
        ]
        users = [
            User.objects.create(
                email=f"p{i}@example.org",
                handle=f"p{i}",
                name=f"P {i}",
                organisation=organisations[org],
                role=role,
                is_active=activity != 0,
            )
            for i, (org, role, activity) in enumerate(people)
        ]
        created = []
        for i, (org, visibility, policy, shared) in enumerate(spaces):
            space = Space.objects.create(
                organisation=organisations[org],
                name=f"S {i}",
                slug=f"s-{i}",
                visibility=visibility,
                join_policy=policy,
            )
            space.shared_with.set([organisations[o] for o in shared if o != org])
            created.append(space)
        for person_index, space_index, role in memberships:
            if person_index < len(users) and space_index < len(created):
                Membership.objects.get_or_create(
                    person=users[person_index],
                    space=created[space_index],
                    defaults={"role": role},
                )

        for user in users:
            viewer = Viewer(user)
            visible = set(filter_visible_spaces(viewer).values_list("pk", flat=True))
            readable = set(filter_readable_spaces(viewer).values_list("pk", flat=True))
            assert readable <= visible
            for space in Space.objects.all():
                # A fresh instance per question: no cache from an earlier answer.
                fresh = Space.objects.get(pk=space.pk)
                assert can_see_space(viewer, fresh) is (space.pk in visible), (user, space)
                fresh = Space.objects.get(pk=space.pk)
                assert can_read_space(viewer, fresh) is (space.pk in readable), (user, space)
            annotated = {s.pk: s for s in with_viewer_sharing(viewer, Space.objects.all())}
            for pk, space in annotated.items():
                assert can_see_space(viewer, space) is (pk in visible)
                assert can_read_space(viewer, space) is (pk in readable)
                # Joining needs reading; asking needs seeing, and never both.
                assert not can_join_space(viewer, space) or pk in readable
                assert not can_request_to_join(viewer, space) or pk in visible
                assert not (can_join_space(viewer, space) and can_request_to_join(viewer, space))
