"""Permission SQL compiled once per viewer key: same answers as compiling afresh, never stale."""

import pytest
from django.db.models import BooleanField, Q

from brug.core.sql import TableSQL
from brug.permissions import Viewer
from brug.permissions import compiled as compiled_module
from brug.permissions.compiled import compiled_query, compiled_where
from brug.search.models import SearchDocument
from brug.spaces.models import Space

pytestmark = pytest.mark.django_db


def _spaces(viewer: Viewer):
    return Space.objects.filter(pk__in=viewer.member_space_ids).values("pk")


def test_a_key_viewer_knows_only_its_key(member, space):
    viewer = Viewer.from_key(Viewer(member).permission_key())
    assert viewer.id == member.pk
    assert viewer.organisation_id == member.organisation_id
    assert viewer.is_member and not viewer.is_guest
    assert viewer.member_space_ids == Viewer(member).member_space_ids
    with pytest.raises(AttributeError):
        viewer.user.email  # noqa: B018 (a rule reading this could not be cached)
    anonymous = Viewer.from_key(Viewer(None).permission_key())
    assert not anonymous.is_authenticated


def test_a_condition_reading_outside_the_key_fails_loudly(member):
    def leaky(viewer):
        return Q(title=viewer.user.email)

    with pytest.raises(AttributeError):
        compiled_where("test-leaky", Viewer(member), SearchDocument, leaky)


def test_statements_are_compiled_once_per_key_and_the_cache_is_bounded(
    owner, outsider, space, monkeypatch
):
    compiled_module.clear()
    calls = []

    def build(viewer):
        calls.append(viewer.id)
        return _spaces(viewer)

    first = compiled_query("test-spaces", Viewer(owner), build)
    assert first is not None and f"IN ({space.pk})" in first[0]
    assert compiled_query("test-spaces", Viewer(owner), build) == first
    assert calls == [owner.pk]
    assert compiled_query("test-spaces", Viewer(outsider), build) is None  # in no space
    assert calls == [owner.pk, outsider.pk]

    monkeypatch.setattr(compiled_module, "CACHE_SIZE", 1)
    compiled_query("test-other", Viewer(owner), build)
    assert len(compiled_module._cache) == 1
    compiled_module.clear()


def test_conditions_that_match_nothing_or_everything(member, space):
    viewer = Viewer(member)
    assert compiled_query("test-nothing", viewer, lambda v: Space.objects.filter(pk__in=[])) is None
    nothing = TableSQL(
        *compiled_where("test-none", viewer, Space, lambda v: Q(pk__in=[])),
        output_field=BooleanField(),
    )
    everything = TableSQL(
        *compiled_where("test-all", viewer, Space, lambda v: ~Q(pk__in=[])),
        output_field=BooleanField(),
    )
    assert not Space.objects.filter(nothing).exists()
    assert Space.objects.filter(everything).count() == Space.objects.count()


def test_integer_parameters_are_written_into_the_sql_and_others_stay_parameters():
    from brug.permissions.compiled import _inline_integers

    sql, params = _inline_integers(
        "a IN (%s, %s) AND b = %s AND c LIKE '%%x' AND d = %s AND e = %s",
        [1, 22, "open", True, 3],
    )
    assert sql == "a IN (1, 22) AND b = %s AND c LIKE '%%x' AND d = %s AND e = 3"
    assert params == ["open", True]
    with pytest.raises(ValueError):
        _inline_integers("a = %s", [1, 2])
    # PostgreSQL: a list of integers becomes one array constant (same plan, less to parse).
    sql, params = _inline_integers(
        "a IN (%s, %s) AND b IN (%s) AND c NOT IN (%s, %s) AND d IN (%s, %s)",
        [1, 22, 3, 4, 5, "x", 6],
        "postgresql",
    )
    assert sql == ("a = ANY('{1,22}'::bigint[]) AND b IN (3) AND c NOT IN (4, 5) AND d IN (%s, 6)")
    assert params == ["x"]
