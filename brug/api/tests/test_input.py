"""The shared ``Input`` schema refuses text the database cannot store, with 422."""

import pytest
from ninja import Schema

from brug.api.schemas import Input
from brug.people.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_member(member, api_as):
    return api_as(member)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"name": "a\\u0000b"}',
        b'{"name": "\\u0000"}',
        b'{"name": "ok", "extra": {"deep": ["x\\u0000"]}}',
        b'{"name": "ok", "ke\\u0000y": 1}',
        b'{"name": "\\ud800"}',
        b'{"name": "ok", "n": 123456789012345678901234567890}',
    ],
)
def test_unstorable_input_is_a_422_and_nothing_is_written(api_member, raw):
    before = ApiToken.objects.count()
    response = api_member.post("/me/tokens", raw=raw)
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert ApiToken.objects.count() == before


def test_a_nul_in_a_query_parameter_is_a_422(api_member):
    response = api_member.get("/me/tokens", {"cursor": "abc\x00"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][0] == "query"


def test_ordinary_unicode_is_accepted(api_member):
    response = api_member.post("/me/tokens", {"name": "Zoë’s laptop ✓ 🚲"})
    assert response.status_code == 201
    assert ApiToken.objects.get(pk=response.json()["id"]).name == "Zoë’s laptop ✓ 🚲"


def test_every_input_schema_of_the_api_inherits_input():
    """Other routers must build on ``Input`` so the NUL rule holds everywhere."""
    from brug.api.main import api

    offenders = []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    for field in model.model_fields.values():
                        annotation = field.annotation
                        if (
                            isinstance(annotation, type)
                            and issubclass(annotation, Schema)
                            and not issubclass(annotation, Input)
                        ):
                            offenders.append(f"{operation.view_func.__qualname__}: {annotation}")
    assert not offenders, (
        "These operations take a schema that does not inherit brug.api.schemas.Input "
        f"(which refuses NUL bytes with 422): {offenders}"
    )


def test_input_refuses_nul_in_nested_schemas_too():
    class Inner(Input):
        text: str

    class Outer(Input):
        items: list[Inner]

    with pytest.raises(ValueError, match="NUL"):
        Outer.model_validate({"items": [{"text": "fine"}, {"text": "bad\x00"}]})
    assert Outer.model_validate({"items": [{"text": "fine"}]}).items[0].text == "fine"
