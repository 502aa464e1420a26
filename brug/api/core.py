"""``GET /me``, ``GET /teams``, ``GET /organisations``."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from ninja import Field

from brug.api.base import Input, Output, Page, Router, Status, paginate_queryset
from brug.people import tokens
from brug.people.models import ApiToken
from brug.permissions.people import filter_visible_organisations, filter_visible_teams

router = Router(tags=["me"])


class OrganisationRef(Output):
    id: int
    name: str


class TeamRef(Output):
    id: int
    name: str


class MeOut(Output):
    id: int
    handle: str
    email: str
    name: str
    role: str
    organisation: OrganisationRef
    team: TeamRef | None
    language: str
    function: str
    location: str
    is_guest: bool
    is_community_manager: bool
    is_admin: bool


class TeamOut(Output):
    id: int
    name: str
    kind: str
    organisation_id: int
    parent_id: int | None


class OrganisationOut(Output):
    id: int
    name: str
    slug: str
    is_own: bool


@router.get("/me", response=MeOut, url_name="me")
def me(request):
    """The signed-in person."""
    return request.user


@router.get("/teams", response=list[TeamOut], url_name="teams")
def teams(request):
    """The teams the caller may see (members: their organisation's whole tree)."""
    return list(filter_visible_teams(request.viewer).order_by("organisation_id", "name", "id"))


@router.get("/organisations", response=list[OrganisationOut], url_name="organisations")
def organisations(request):
    """The caller's organisation and the organisations they meet in spaces."""
    own = request.viewer.organisation_id
    return [
        {"id": org.pk, "name": org.name, "slug": org.slug, "is_own": org.pk == own}
        for org in filter_visible_organisations(request.viewer).order_by("name", "id")
    ]


class TokenIn(Input):
    name: str = Field("", max_length=100)


class TokenOut(Output):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class NewTokenOut(TokenOut):
    token: str


@router.get("/me/tokens", response=Page[TokenOut], url_name="me-tokens")
def my_tokens(request, cursor: str | None = None, limit: int = 25):
    """The caller's personal API tokens (never the secret, only its first characters)."""
    qs = ApiToken.objects.filter(user=request.user)
    return paginate_queryset(qs, cursor=cursor, limit=limit)


@router.post("/me/tokens", response={201: NewTokenOut}, url_name="me-tokens-create")
def create_my_token(request, payload: TokenIn):
    """Create a personal token; the answer holds the token, shown this once."""
    row, secret = tokens.issue_token(user=request.user, name=payload.name)
    row.token = secret
    return Status(201, row)


@router.delete("/me/tokens/{token_id}", response={204: None}, url_name="me-token-delete")
def delete_my_token(request, token_id: int):
    """Revoke one of the caller's tokens at once."""
    if not tokens.revoke_token(user=request.user, token_id=token_id):
        raise Http404
    return Status(204, None)
