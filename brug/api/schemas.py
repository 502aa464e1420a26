"""Schemas shared by every router: the input base class, errors and pages.

Every request body or query schema of the API inherits ``Input``. It refuses,
with 422, any string that PostgreSQL or a UTF-8 encoder cannot store: a NUL
character (``\\u0000``) or a lone surrogate (``\\ud800``), anywhere in the
payload — nested objects, lists and keys included. Doing this once, before any
action runs, means no endpoint can write half a row and then fail with a 500.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BaseModel, model_validator
from pydantic_core import PydanticCustomError

__all__ = ["ErrorOut", "FieldError", "Input", "Output", "Page", "find_unstorable_text"]

# The range of a 64-bit signed integer: what both databases store in an id
# column. Larger numbers would fail in the database driver (a 500).
MIN_INT = -(2**63)
MAX_INT = 2**63 - 1

# How deep ``Input`` looks into nested data before giving up with a 422. The
# JSON parser already refuses documents nested deeper than this.
MAX_DEPTH = 64


def _unstorable(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def find_unstorable_text(data: Any, path: tuple = (), depth: int = 0) -> tuple | None:
    """Return the location of the first value the database cannot store, or ``None``.

    That is a string with NUL or a lone surrogate, or an integer outside 64
    bits. Looks into dicts (keys and values), lists and tuples.
    """
    if depth > MAX_DEPTH:
        return path
    if isinstance(data, str):
        return path if _unstorable(data) else None
    if isinstance(data, int) and not isinstance(data, bool):
        return None if MIN_INT <= data <= MAX_INT else path
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and _unstorable(key):
                return (*path, key)
            found = find_unstorable_text(value, (*path, key), depth + 1)
            if found is not None:
                return found
    elif isinstance(data, (list, tuple)):
        for index, value in enumerate(data):
            found = find_unstorable_text(value, (*path, index), depth + 1)
            if found is not None:
                return found
    return None


class Input(Schema):
    """Base class of every input schema (request bodies and query schemas).

    Refuses NUL characters and lone surrogates anywhere with a 422.
    """

    @model_validator(mode="before")
    @classmethod
    def _refuse_unstorable_text(cls, data: Any) -> Any:
        # Ninja's own (outer) validator has wrapped the payload in a DjangoGetter.
        raw = getattr(data, "_obj", data)
        if not isinstance(raw, (dict, BaseModel)):
            # Ninja would otherwise read attributes off a list or a number and
            # quietly use the defaults.
            raise PydanticCustomError("model_type", _("Expected a JSON object."))
        found = find_unstorable_text(raw)
        if found is not None:
            where = ".".join(str(part) for part in found) or "body"
            raise PydanticCustomError(
                "unstorable_text",
                _(
                    "{where}: text may not contain NUL characters or invalid Unicode, "
                    "and numbers must fit in 64 bits."
                ),
                {"where": where},
            )
        return data


class Output(Schema):
    """Base class of response schemas (reads attributes of model instances)."""


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(Schema):
    """The one error shape of the API."""

    detail: str
    errors: list[FieldError] | None = None


class Page[T](Schema):
    """A page of a cursor-paginated list; pass ``next_cursor`` back as ``?cursor=``."""

    items: list[T]
    next_cursor: str | None
