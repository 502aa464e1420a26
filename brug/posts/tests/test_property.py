"""Property test: the ``can_*`` rules and the ``filter_visible_*`` querysets always agree.

For random organisations, people (members, guests, community managers,
admins, inactive accounts), spaces (open, private, secret; shared or not;
archived or not), memberships, posts in spaces and on profiles, deleted
posts and comments: every viewer gets the same answer from the Python rule
and from the database filter, for posts, comments and mention readers.
Each example runs in its own rolled-back transaction
(``hypothesis.extra.django.TestCase``).
"""

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from brug.people.enums import Role
from brug.people.models import Organisation, User
from brug.permissions.mentions import filter_profile_readers, filter_space_readers
from brug.permissions.posts import (
    can_read_comment,
    can_read_post,
    filter_visible_comments,
    filter_visible_posts,
)
from brug.permissions.spaces import can_read_space
from brug.posts.models import Comment, Post
from brug.spaces.enums import SpaceRole, Visibility
from brug.spaces.models import Membership, Space

ROLES = [Role.MEMBER, Role.GUEST, Role.COMMUNITY_MANAGER, Role.ADMIN]

people_strategy = st.lists(
    st.tuples(st.sampled_from(ROLES), st.integers(0, 1), st.booleans()),  # role, org, active
    min_size=1,
    max_size=5,
)
spaces_strategy = st.lists(
    st.tuples(
        st.sampled_from(list(Visibility)),
        st.integers(0, 1),  # owning organisation
        st.booleans(),  # shared with the other organisation
        st.booleans(),  # archived
    ),
    min_size=1,
    max_size=3,
)
memberships_strategy = st.sets(
    st.tuples(st.integers(0, 4), st.integers(0, 2), st.sampled_from(list(SpaceRole))), max_size=10
)
posts_strategy = st.lists(
    st.tuples(
        st.integers(-1, 2),  # space index, -1: a profile post
        st.integers(0, 4),  # author
        st.booleans(),  # deleted
        st.booleans(),  # has a comment
        st.booleans(),  # that comment is deleted
    ),
    min_size=1,
    max_size=6,
)


class VisibilityAgreement(TestCase):
    def _world(self, people, spaces, memberships, posts):
        organisations = [
            Organisation.objects.get(is_default=True),
            Organisation.objects.create(name="Andere Zorg", slug="andere-zorg"),
        ]
        users = [
            User.objects.create(
                email=f"p{n}@example.org",
                handle=f"p{n}",
                name=f"Persoon {n}",
                role=role,
                organisation=organisations[org],
                is_active=active,
            )
            for n, (role, org, active) in enumerate(people)
        ]
        space_rows = []
        for n, (visibility, org, shared, archived) in enumerate(spaces):
            space = Space.objects.create(
                organisation=organisations[org],
                name=f"Space {n}",
                slug=f"space-{n}",
                visibility=visibility,
                is_archived=archived,
            )
            if shared:
                space.shared_with.add(organisations[1 - org])
            space_rows.append(space)
        for person, space, role in memberships:
            if person < len(users) and space < len(space_rows):
                Membership.objects.get_or_create(
                    person=users[person], space=space_rows[space], defaults={"role": role}
                )
        post_rows, comment_rows = [], []
        for space_index, author, deleted, has_comment, comment_deleted in posts:
            author = users[author % len(users)]
            space = space_rows[space_index] if 0 <= space_index < len(space_rows) else None
            post = Post.objects.create(
                space=space,
                organisation=space.organisation if space else author.organisation,
                author=author,
                body="x",
                is_deleted=deleted,
            )
            post_rows.append(post)
            if has_comment:
                comment_rows.append(
                    Comment.objects.create(
                        post=post, author=author, body="y", is_deleted=comment_deleted
                    )
                )
        return users, space_rows, post_rows, comment_rows

    @given(people_strategy, spaces_strategy, memberships_strategy, posts_strategy)
    def test_can_read_agrees_with_filter_visible_for_posts_and_comments(
        self, people, spaces, memberships, posts
    ):
        users, _spaces, post_rows, comment_rows = self._world(people, spaces, memberships, posts)
        for viewer in [*users, None]:
            visible_posts = set(filter_visible_posts(viewer).values_list("pk", flat=True))
            for post in Post.objects.filter(pk__in=[p.pk for p in post_rows]).select_related(
                "space"
            ):
                assert can_read_post(viewer, post) is (post.pk in visible_posts), (viewer, post)
            visible_comments = set(filter_visible_comments(viewer).values_list("pk", flat=True))
            for comment in Comment.objects.filter(
                pk__in=[c.pk for c in comment_rows]
            ).select_related("post__space"):
                assert can_read_comment(viewer, comment) is (comment.pk in visible_comments)

    @given(people_strategy, spaces_strategy, memberships_strategy)
    def test_mention_readers_are_exactly_the_people_who_may_read(self, people, spaces, memberships):
        users, space_rows, _posts, _comments = self._world(people, spaces, memberships, [])
        for space in space_rows:
            readers = set(filter_space_readers(space).values_list("pk", flat=True))
            for person in users:
                assert can_read_space(person, space) is (person.pk in readers), (person, space)
        for organisation in {u.organisation for u in users}:
            readers = set(filter_profile_readers(organisation.pk).values_list("pk", flat=True))
            profile_post = Post(space=None, organisation=organisation, body="x")
            for person in users:
                assert can_read_post(person, profile_post) is (person.pk in readers)
