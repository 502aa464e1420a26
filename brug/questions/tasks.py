"""Jobs of the questions app: telling the asker and followers of answers, flagging the unanswered.

``notify_answer`` receives only the answer's id and reads the anonymous
asker when it runs (it is one of the question actions allowed to read
``AnonymousAsker``), so the task table never holds the asker's id.
"""

from __future__ import annotations

from datetime import timedelta

from brug.core.jobs import job, periodic
from brug.notifications.enums import NotificationKind
from brug.notifications.fanout import Effect, notify
from brug.posts.models import Comment, Mention
from brug.questions.models import AnonymousAsker, QuestionFollow


@job(max_attempts=5, backoff=10)
def notify_answer(*, answer_id: int) -> int:
    """Tell the anonymous asker and the followers of a question about a new answer.

    The named asker and the people the answer mentions were told by the posts
    app already (``notify_comment_created``), so they are left out here;
    the answerer is left out by the fan-out.
    """
    answer = Comment.objects.select_related("post__space", "author").filter(pk=answer_id).first()
    if answer is None or answer.is_deleted or answer.post.is_deleted:
        return 0
    post = answer.post
    recipients = set(
        QuestionFollow.objects.filter(question_id=post.pk).values_list("person_id", flat=True)
    )
    recipients.update(
        AnonymousAsker.objects.filter(question_id=post.pk).values_list("person_id", flat=True)
    )
    recipients -= set(Mention.objects.filter(comment=answer).values_list("person_id", flat=True))
    recipients -= {post.author_id, answer.author_id, None}
    if not recipients:
        return 0
    return notify(
        Effect(
            kind=NotificationKind.ANSWER,
            key=f"answer:{answer.pk}",
            group_key=f"post:{post.pk}",
            actor=answer.author,
            post=post,
            comment=answer,
        ),
        sorted(recipients),
    )


@periodic(every=timedelta(hours=1), name="questions.flag-unanswered")
def flag_unanswered() -> int:
    """Flag questions left unanswered for ``BRUG_UNANSWERED_AFTER_HOURS`` (hourly)."""
    from brug.questions.actions import flag_unanswered_questions

    return flag_unanswered_questions()
