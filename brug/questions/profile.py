"""The questions app's section of a profile page (see ``brug.people.sections``).

Registered by ``QuestionsConfig.ready()``. It shows a person's answers only,
never the questions they asked: an anonymous asker must not be tied to their
question, and nothing here reads ``AnonymousAsker``. Two queries.
"""

from __future__ import annotations

from brug.people.sections import ProfileSection, register_profile_section
from brug.questions import queries

LATEST_ANSWERS = 3


@register_profile_section(order=40)
def answers(*, viewer, person, own: bool) -> ProfileSection | None:
    """How many of the person's answers were accepted, and their latest answers."""
    latest = queries.list_person_answers(viewer=viewer, person=person, limit=LATEST_ANSWERS)
    accepted = queries.count_accepted_answers(viewer=viewer, person=person)
    if not latest:
        # An accepted answer the viewer may read is also among the answers they may read.
        return None
    context = {"answers": latest, "accepted": accepted, "person": person, "own": own}
    return ProfileSection("questions/profile_sections.html#answers", context, "main")
