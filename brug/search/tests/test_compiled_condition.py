"""The search permission condition, compiled once per viewer key: same answers, never stale."""

import pytest

from brug.permissions import Viewer
from brug.permissions.search import KINDS, _condition, visible_documents_condition
from brug.search.models import SearchDocument
from brug.search.tests.helpers import ROLES
from brug.spaces.actions import add_member, remove_member

pytestmark = pytest.mark.django_db


def _found(viewer):
    documents = SearchDocument.objects.filter(visible_documents_condition(viewer))
    return set(documents.values_list("pk", flat=True))


@pytest.mark.parametrize("role", ROLES)
def test_the_compiled_condition_finds_what_the_built_one_finds(request, corpus, role):
    viewer = Viewer(request.getfixturevalue(role))
    built = set(
        SearchDocument.objects.filter(_condition(viewer, KINDS)).values_list("pk", flat=True)
    )
    assert _found(viewer) == built
    # And inside a subquery, where Django renames the table.
    compiled = SearchDocument.objects.filter(visible_documents_condition(viewer))
    nested = SearchDocument.objects.filter(pk__in=compiled.values("pk"))
    assert set(nested.values_list("pk", flat=True)) == built


def test_joining_and_leaving_change_the_key_and_what_is_found(
    corpus, owner, outsider, private_space
):
    private = set(
        SearchDocument.objects.filter(space=private_space, kind="post").values_list("pk", flat=True)
    )
    assert private
    before = Viewer(outsider)
    assert not private & _found(before)
    add_member(by=owner, space=private_space, person=outsider)
    joined = Viewer(outsider)
    assert joined.permission_key() != before.permission_key()
    assert private <= _found(joined)
    remove_member(by=owner, space=private_space, person=outsider)
    assert not private & _found(Viewer(outsider))


@pytest.mark.parametrize("role", ROLES)
def test_the_condition_of_one_kind_is_the_whole_condition_narrowed_to_it(request, corpus, role):
    viewer = Viewer(request.getfixturevalue(role))
    everything = SearchDocument.objects.filter(visible_documents_condition(viewer))
    for kind in ("post", "comment", "file", "space", "person"):
        narrowed = SearchDocument.objects.filter(visible_documents_condition(viewer, kind=kind))
        expected = set(everything.filter(kind=kind).values_list("pk", flat=True))
        assert set(narrowed.values_list("pk", flat=True)) == expected, kind
    # Several kinds: their rules only, the same documents as each kind's.
    for kinds in (("post", "comment"), ("file", "person", "space"), ("space", "post")):
        narrowed = SearchDocument.objects.filter(visible_documents_condition(viewer, kind=kinds))
        expected = set(everything.filter(kind__in=kinds).values_list("pk", flat=True))
        assert set(narrowed.values_list("pk", flat=True)) == expected, kinds
    for wrong in ("secret", ("post", "secret"), ()):
        with pytest.raises(ValueError):
            visible_documents_condition(viewer, kind=wrong)
