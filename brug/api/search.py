"""The search part of the API (see brug/api/base.py for how to write operations)."""

from brug.api.base import Router

router = Router(tags=["search"])
