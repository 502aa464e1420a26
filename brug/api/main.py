"""The REST API under ``/api/v1/``: one router per app, all calling actions and queries."""

from ninja import NinjaAPI

api = NinjaAPI(title="Brug API", version="1", urls_namespace="api")
