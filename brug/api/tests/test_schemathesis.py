"""Every API operation, fuzzed from the OpenAPI schema with an admin's and a member's token.

Checks: never a 5xx, only documented status codes and content types, and
answers that match their schemas. 20 examples per operation (set
``BRUG_SCHEMATHESIS_EXAMPLES`` to change that locally); the hypothesis profile
(``conftest.py``) makes CI runs derandomised.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from brug.people.enums import Role
from brug.people.tokens import create_token
from brug.spaces.actions import _add_membership, create_space
from brug.spaces.enums import SpaceRole, Visibility
from brug.wsgi import application
from tests.factories import UserFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def in_test_transaction():
    """Keep Django from closing the test's connection after each in-process WSGI request.

    Django's own test client does the same; schemathesis calls the WSGI app
    directly, so without this the first request would end the test transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db, in_test_transaction):
    """An admin's and a member's token, with a few spaces for ids to land on."""
    admin = UserFactory(name="Fuzz Admin", role=Role.ADMIN, is_staff=True)
    member = UserFactory(name="Fuzz Member")
    for visibility in Visibility.values:
        space = create_space(creator=admin, name=f"Fuzz {visibility}", visibility=visibility)
        _add_membership(space=space, person=member, role=SpaceRole.MEMBER)
    return {
        "admin": create_token(user=admin, name="schemathesis"),
        "member": create_token(user=member, name="schemathesis"),
    }


@pytest.mark.schemathesis
@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("BRUG_SCHEMATHESIS_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_never_fails_and_answers_as_documented(case, tokens):
    for token in tokens.values():
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
