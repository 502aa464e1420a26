"""``prepared_cursor``: statements PostgreSQL plans once per connection, counted like any other.

On PostgreSQL the statement shows in the connection's ``pg_prepared_statements``
after its first run and is planned only then; on SQLite, and with prepared
statements turned off, it is the plain cursor. The notification badge, the
search filter menus and a viewer's memberships use it.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from brug.core.sql import prepared_cursor
from brug.notifications.queries import count_unread
from brug.permissions.compiled import clear
from brug.search.queries import filter_choices, team_choices


def _prepared_statements() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _raw_cursor_class():
    with connection.cursor() as cursor:
        return type(cursor.cursor)


def test_its_statements_are_counted_and_answer_as_the_plain_cursor(db):
    sql = "SELECT %s + 1, %s"
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            with prepared_cursor() as cursor:
                cursor.execute(sql, [41, "veertig"])
                assert cursor.fetchall() == [(42, "veertig")]
    assert len(queries.captured_queries) == 3


def test_postgres_prepares_the_statement_once_per_connection_sqlite_runs_it_plainly(db):
    sql = "SELECT COUNT(*) FROM people_user WHERE id > %s"

    def run() -> tuple[int, type]:
        with prepared_cursor() as cursor:
            cursor.execute(sql, [0])
            return cursor.fetchone()[0], type(cursor.cursor)

    def prepared() -> list[str]:
        return [s for s in _prepared_statements() if "people_user WHERE id > $1" in s]

    first, kind = run()
    assert prepared() == []  # run once: not prepared
    for _ in range(3):
        assert run()[0] == first
    if connection.vendor == "postgresql":
        assert kind is not _raw_cursor_class()  # binds on the server
        assert len(prepared()) == 1  # prepared on its second run, once
    else:
        assert kind is _raw_cursor_class()
        assert prepared() == []


def test_with_prepared_statements_off_it_is_the_plain_cursor(db):
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "postgresql":
        threshold = raw.prepare_threshold
        raw.prepare_threshold = None
    try:
        with prepared_cursor() as cursor:
            cursor.execute("SELECT 7 AS never_prepared")
            assert cursor.fetchone()[0] == 7
            assert type(cursor.cursor) is _raw_cursor_class()
    finally:
        if connection.vendor == "postgresql":
            raw.prepare_threshold = threshold
    assert not [s for s in _prepared_statements() if "never_prepared" in s]


def test_the_badge_and_the_search_menus_are_prepared_per_viewer(member, guest, space):
    from brug.notifications.models import Notification
    from brug.spaces.actions import _add_membership

    _add_membership(space=space, person=guest)  # both have a space menu

    clear()
    before = set(_prepared_statements())
    for _ in range(2):
        for viewer in (member, guest):
            # The same answers as the ORM's own query.
            assert count_unread(viewer=viewer) == (
                Notification.objects.filter(recipient=viewer, read_at__isnull=True).count()
            )
            assert set(filter_choices(viewer=viewer)) == {"space_choices", "team_choices"}
            team_choices(viewer=viewer)
    new = set(_prepared_statements()) - before
    if connection.vendor != "postgresql":
        assert new == set()
        return
    # One statement per viewer key, each planned once however often it runs.
    badges = [s for s in new if "AS unread" in s]
    assert len(badges) == 2
    for viewer in (member, guest):
        assert len([s for s in badges if f'"recipient_id" = {viewer.pk}' in s]) == 1
    others = [s for s in new if "AS unread" not in s]
    # The space menu's text is that of the viewer's spaces: both are in the same one.
    assert len([s for s in others if 'FROM "spaces_space"' in s]) == 1
    assert len([s for s in others if 'FROM "people_team"' in s]) == 2  # the team menus


def test_a_viewers_memberships_are_read_by_one_prepared_statement_for_everyone(
    member, guest, space
):
    from brug.permissions import as_viewer
    from brug.spaces.actions import _add_membership
    from tests.factories import UserFactory

    # An id past 32,767 too: psycopg would type it int4 where the others are int2.
    far = UserFactory(pk=40_000, organisation=member.organisation)
    for person in (guest, far):
        _add_membership(space=space, person=person)
    before = _prepared_statements()
    for _ in range(2):
        for person in (member, guest, far):
            assert as_viewer(person).space_roles == dict(
                person.memberships.values_list("space_id", "role")
            )
    new = [s for s in _prepared_statements() if "spaces_membership" in s and s not in before]
    assert len(new) == (1 if connection.vendor == "postgresql" else 0)
