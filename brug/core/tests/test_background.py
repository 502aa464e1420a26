"""Each web process flushes its own view buffer from a background thread."""

import pytest

from brug.analytics.enums import Verb
from brug.analytics.models import ObjectView
from brug.analytics.recording import pending_views, record_view
from brug.core import background
from brug.core.tests.helpers import wait_for


def test_the_flusher_does_not_start_inside_the_test_process():
    assert background.start_view_flusher(every=0.1) is False


@pytest.mark.django_db(transaction=True)
def test_the_flusher_thread_writes_buffered_views_and_starts_once_per_process(member, space):
    try:
        assert background.start_view_flusher(every=0.2, force=True) is True
        assert background.start_view_flusher(every=0.2, force=True) is False

        record_view(person=member, verb=Verb.OPEN_SPACE, space=space)
        record_view(person=member, verb=Verb.OPEN_SPACE, space=space)

        view = wait_for(
            lambda: ObjectView.objects.filter(person=member, space=space).first(),
            what="the flusher to write the views",
        )
    finally:
        background.stop_view_flusher()
    assert view.count == 2
    assert pending_views() == 0
