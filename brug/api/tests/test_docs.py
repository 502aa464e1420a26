"""OpenAPI 3.1 and the interactive docs, served locally under the site's CSP."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from brug.api.tests.conftest import API

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_is_3_1_and_lists_the_core_operations(db):
    schema = Client().get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert schema["info"]["title"] == "Brug API"
    assert {"/api/v1/me", "/api/v1/teams", "/api/v1/organisations"} <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_every_operation_documents_the_error_shape(db):
    schema = Client().get(f"{API}/openapi.json").json()
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "422" in responses and "404" in responses, f"{method} {path}"
            if "security" in operation:
                assert "401" in responses, f"{method} {path}"


def test_the_docs_page_loads_nothing_from_outside(db):
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), html
    assert "cdn" not in html.lower()
    assert '"validatorUrl": null' in html  # Swagger UI would fetch a badge from swagger.io


def test_the_docs_page_has_no_inline_script_and_works_under_the_csp(db):
    response = Client().get(f"{API}/docs")
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        if "src=" in attributes:
            assert not body.strip()
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handlers


def test_the_docs_static_files_exist(db):
    html = Client().get(f"{API}/docs").content.decode()
    paths = re.findall(r"""(?:src|href)="/static/([^"]+)\"""", html)
    assert any(p.endswith("swagger-ui-bundle.js") for p in paths)
    for path in paths:
        assert finders.find(path), path
