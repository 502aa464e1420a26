"""Every URL and API operation is listed, with its rule, in ``url_inventory.py``.

A new page or operation without an entry fails here; so does an entry whose
URL is gone. Each non-public entry is requested anonymously and must be
refused — so a view that forgot its login check cannot slip through.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter
from django.urls.resolvers import RoutePattern
from ninja.utils import normalize_path

from brug.api.main import api
from brug.api.tests.url_inventory import INVENTORY, RULES

HOW_TO = (
    "Add each to INVENTORY in brug/api/tests/url_inventory.py with its permission rule "
    "(one of {rules}, optionally followed by ': <the exact condition>'), e.g.\n"
    '    "posts:detail": "authenticated: check_can_read_post",\n'
    '    "GET /api/v1/posts/{{post_id}}": "authenticated: check_can_read_post",\n'
    "and make sure a test covers both sides of the rule."
).format(rules=", ".join(sorted(RULES)))


# Collecting the URLs -----------------------------------------------------------
def _api_operations() -> dict[str, dict]:
    """``"METHOD /api/v1/path" -> {"public": bool, "path": str, "method": str}``."""
    api.urls  # noqa: B018 (binds the routers)
    found = {}
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            full = normalize_path(f"/api/v1/{bound.prefix}/{path}")
            for operation in path_view.operations:
                for method in operation.methods:
                    found[f"{method} {full}"] = {
                        "public": not operation.auth_callbacks,
                        "path": full,
                        "method": method,
                        "url_name": getattr(operation, "url_name", None)
                        or api.get_operation_url_name(operation, router=bound.template),
                    }
    return found


def _walk(patterns, prefix="", namespace=None, segments=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                ns,
                (*segments, pattern.pattern),
            )
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern, prefix + str(pattern.pattern), (*segments, pattern.pattern)


def _django_urls() -> dict[str, dict]:
    """``key -> {"route", "segments", "name"}`` for every URL pattern but API operations."""
    operation_names = {op["url_name"] for op in _api_operations().values()}
    found = {}
    for namespace, pattern, route, segments in _walk(get_resolver().url_patterns):
        if namespace == "api" and pattern.name in operation_names:
            continue  # listed per method as "METHOD /api/v1/..."
        if pattern.name:
            key = f"{namespace}:{pattern.name}" if namespace else pattern.name
        else:
            key = f"route:{route}"
        found[key] = {"route": route, "segments": segments, "name": key}
    return found


def _entry(key: str) -> str | None:
    if key in INVENTORY:
        return INVENTORY[key]
    for pattern, rule in INVENTORY.items():
        if pattern.endswith("*") and key.startswith(pattern[:-1]):
            return rule
    return None


def _base_rule(rule: str) -> str:
    return rule.split(":", 1)[0].strip()


# The registry is complete and tidy ----------------------------------------------
def test_every_url_and_api_operation_is_in_the_inventory():
    keys = list(_django_urls()) + list(_api_operations())
    missing = [key for key in keys if _entry(key) is None]
    assert not missing, (
        "These URLs / API operations are not in the inventory:\n    "
        + "\n    ".join(missing)
        + "\n"
        + HOW_TO
    )


def test_every_inventory_entry_still_exists():
    keys = set(_django_urls()) | set(_api_operations())
    stale = [
        entry
        for entry in INVENTORY
        if not (
            entry in keys or (entry.endswith("*") and any(k.startswith(entry[:-1]) for k in keys))
        )
    ]
    assert not stale, (
        "These inventory entries match no URL any more; remove or rename them in "
        f"brug/api/tests/url_inventory.py: {stale}"
    )


def test_every_rule_is_a_known_rule():
    unknown = {key: rule for key, rule in INVENTORY.items() if _base_rule(rule) not in RULES}
    assert not unknown, f"Unknown rules (use one of {sorted(RULES)}): {unknown}"


def test_public_api_operations_are_exactly_those_marked_public():
    mismatched = [
        key
        for key, op in _api_operations().items()
        if _entry(key) and (_base_rule(_entry(key)) == "public") != op["public"]
    ]
    assert not mismatched, (
        "The inventory and the code disagree on whether these operations need "
        f"authentication (auth=None makes an operation public): {mismatched}"
    )


# Anonymous requests are refused ------------------------------------------------
SAMPLE_BY_CONVERTER = {
    IntConverter: "1",
    SlugConverter: "sample",
    UUIDConverter: str(uuid.UUID(int=1)),
    PathConverter: "sample",
}


def _regex_sample(regex: str) -> str:
    """Fill each named group of a URL regex with a sample (the first literal alternative)."""
    out, i = "", 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            depth, j = 0, i
            while j < len(regex):
                if regex[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                if depth == 0:
                    break
                j += 1
            body = regex[regex.index(">", i) + 1 : j]
            first = body.split("|")[0]
            out += first if re.fullmatch(r"[\w-]+", first) else ("1" if "\\d" in body else "sample")
            i = j + 1
        else:
            out += regex[i]
            i += 1
    return out.replace("^", "").replace("$", "").replace("\\", "")


def _sample_path(info: dict) -> str:
    """A concrete path for a pattern, with sample values for its parameters."""
    path = ""
    for segment in info["segments"]:
        route = str(segment)
        if isinstance(segment, RoutePattern):
            for name, converter in segment.converters.items():
                sample = SAMPLE_BY_CONVERTER.get(type(converter), "sample")
                route = re.sub(rf"<(?:\w+:)?{name}>", sample, route)
        else:
            route = _regex_sample(route)
        path += route
    return "/" + path


def _login_paths() -> tuple[str, ...]:
    return (reverse(settings.LOGIN_URL), reverse("admin:login"))


def _non_public_django_urls():
    for key, info in sorted(_django_urls().items()):
        rule = _entry(key)
        if rule is not None and _base_rule(rule) != "public":
            yield pytest.param(key, info, id=key)


def _non_public_api_operations():
    for key, op in sorted(_api_operations().items()):
        rule = _entry(key)
        if rule is not None and _base_rule(rule) != "public":
            yield pytest.param(key, op, id=key)


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "op"), list(_non_public_api_operations()))
def test_an_anonymous_api_request_is_refused_with_401(key, op):
    path = re.sub(r"\{[^}]+\}", "1", op["path"])
    client = Client(raise_request_exception=False)
    response = client.generic(op["method"], path, b"{}", content_type="application/json")
    assert response.status_code == 401, (
        f"{key} answered {response.status_code} to an anonymous caller"
    )
    assert response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "info"), list(_non_public_django_urls()))
def test_an_anonymous_page_request_is_refused(key, info):
    path = _sample_path(info)
    reached = resolve(path).route.replace("^", "")
    assert reached == info["route"].replace("^", ""), f"the sample {path} does not reach {key}"
    client = Client(raise_request_exception=False)
    response = client.get(path)
    if response.status_code == 406:  # an event stream: ask for one
        response = client.get(path, headers={"Accept": "text/event-stream"})
    status = response.status_code
    if status in {301, 302, 303, 307}:
        location = response["Location"]
        assert location.split("?")[0] in _login_paths() or location.startswith(
            tuple(f"{p}?" for p in _login_paths())
        ), f"{key} ({path}) redirects an anonymous visitor to {location}, not to a login page"
    else:
        assert status in {401, 403, 404, 405}, (
            f"{key} ({path}) answered {status} to an anonymous visitor; expected a refusal"
        )
