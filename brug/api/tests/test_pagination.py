"""Cursor pagination: every item once, in order; bad cursors a 400; limits clamped."""

from datetime import timedelta

import pytest
from django.utils import timezone
from ninja.errors import HttpError

from brug.api.pagination import (
    clamp_limit,
    decode_cursor,
    encode_cursor,
    paginate_offset,
    paginate_queryset,
)
from brug.people.models import ApiToken

pytestmark = pytest.mark.django_db


def _tokens(person, count, *, same_time=False):
    now = timezone.now()
    return ApiToken.objects.bulk_create(
        ApiToken(
            user=person,
            name=f"t{i}",
            digest=f"{person.pk:08d}{i:056d}",
            prefix=f"{i:08d}",
            created_at=now if same_time else now - timedelta(minutes=i % 7),
        )
        for i in range(count)
    )


def _walk(qs, limit, **kwargs):
    seen, cursor, pages = [], None, 0
    while True:
        page = paginate_queryset(qs, cursor=cursor, limit=limit, **kwargs)
        seen.extend(page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            return seen, pages


@pytest.mark.parametrize("same_time", [False, True])
def test_walking_all_pages_yields_every_item_once_newest_first(member, same_time):
    _tokens(member, 23, same_time=same_time)
    qs = ApiToken.objects.filter(user=member)
    seen, pages = _walk(qs, 5)
    assert pages == 5
    assert [t.pk for t in seen] == list(
        qs.order_by("-created_at", "-id").values_list("pk", flat=True)
    )


def test_an_ascending_key_works_too(member):
    _tokens(member, 12)
    qs = ApiToken.objects.filter(user=member)
    seen, _pages = _walk(qs, 5, key=("created_at", "id"))
    assert [t.pk for t in seen] == list(
        qs.order_by("created_at", "id").values_list("pk", flat=True)
    )


def test_the_last_page_has_no_next_cursor(member):
    _tokens(member, 5)
    page = paginate_queryset(ApiToken.objects.all(), cursor=None, limit=5)
    assert len(page["items"]) == 5 and page["next_cursor"] is None


def test_items_added_while_paging_are_not_repeated(member):
    _tokens(member, 10)
    qs = ApiToken.objects.filter(user=member)
    first = paginate_queryset(qs, cursor=None, limit=4)
    ApiToken.objects.create(user=member, name="new", digest="f" * 64, prefix="ffffffff")
    second = paginate_queryset(qs, cursor=first["next_cursor"], limit=4)
    assert not {t.pk for t in first["items"]} & {t.pk for t in second["items"]}
    assert "new" not in {t.name for t in second["items"]}


def test_a_page_costs_one_query(member, django_assert_num_queries):
    _tokens(member, 30)
    cursor = paginate_queryset(ApiToken.objects.all(), cursor=None, limit=5)["next_cursor"]
    with django_assert_num_queries(1):
        paginate_queryset(ApiToken.objects.all(), cursor=cursor, limit=25)


@pytest.mark.parametrize(
    ("asked", "given"),
    [
        (None, 25),
        ("", 25),
        (0, 1),
        (-5, 1),
        (1, 1),
        (100, 100),
        (101, 100),
        (10**30, 100),
        ("x", 25),
    ],
)
def test_the_limit_is_clamped(asked, given):
    assert clamp_limit(asked) == given


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "a" * 5000, "é", "eyJzIjoiIn0:1abc:xyz", "\x00"],
)
def test_garbage_cursors_are_refused_with_400(cursor):
    with pytest.raises(HttpError) as caught:
        decode_cursor(cursor)
    assert caught.value.status_code == 400


def test_a_tampered_cursor_is_refused():
    cursor = encode_cursor([5])
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    with pytest.raises(HttpError):
        decode_cursor(tampered)


def test_a_cursor_of_another_ordering_is_refused(member):
    _tokens(member, 10)
    cursor = paginate_queryset(ApiToken.objects.all(), cursor=None, limit=3)["next_cursor"]
    with pytest.raises(HttpError):
        paginate_queryset(ApiToken.objects.all(), cursor=cursor, limit=3, key=("name", "id"))


def test_cursor_values_round_trip():
    now = timezone.now()
    assert decode_cursor(encode_cursor([now, 7, "x"])) == [now, 7, "x"]


def test_offset_pagination_over_a_list():
    items = list(range(12))
    first = paginate_offset(items, cursor=None, limit=5)
    second = paginate_offset(items, cursor=first["next_cursor"], limit=5)
    third = paginate_offset(items, cursor=second["next_cursor"], limit=5)
    assert first["items"] + second["items"] + third["items"] == items
    assert third["next_cursor"] is None
    with pytest.raises(HttpError):
        paginate_offset(items, cursor=encode_cursor([5]), limit=5)  # a keyset cursor


# Through the API --------------------------------------------------------------
def test_the_api_clamps_the_limit_and_pages_with_next_cursor(member, api_as):
    _tokens(member, 104)
    api = api_as(member)  # one more token
    body = api.get("/me/tokens", {"limit": 1000}).json()
    assert len(body["items"]) == 100 and body["next_cursor"]
    rest = api.get("/me/tokens", {"limit": 1000, "cursor": body["next_cursor"]}).json()
    assert len(rest["items"]) == 5 and rest["next_cursor"] is None
    assert len(api.get("/me/tokens", {"limit": 0}).json()["items"]) == 1
    assert len(api.get("/me/tokens").json()["items"]) == 25


def test_the_api_answers_a_garbage_cursor_with_400(member, api_as):
    response = api_as(member).get("/me/tokens", {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json()["detail"]


def test_the_api_answers_a_non_numeric_limit_with_422(member, api_as):
    assert api_as(member).get("/me/tokens", {"limit": "many"}).status_code == 422
