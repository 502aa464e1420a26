from django.apps import AppConfig

#: The search ranking boost of a question with an accepted answer, and of that answer.
KNOWLEDGE_BOOST = 1.0


class QuestionsConfig(AppConfig):
    name = "brug.questions"
    label = "questions"

    def ready(self) -> None:
        from brug.search.indexing import register_boost

        register_boost(boost_accepted)
        # Registers the "Answers" section of profile pages.
        from brug.questions import profile  # noqa: F401


def boost_accepted(documents: list) -> None:
    """Rank questions with an accepted answer, and accepted answers, first in search.

    A search boost provider (``brug.search.indexing.register_boost``): two
    queries per batch of documents.
    """
    from brug.questions.models import Question

    post_ids = [d.object_id for d in documents if d.kind == "post"]
    comment_ids = [d.object_id for d in documents if d.kind == "comment"]
    solved: set[int] = set()
    accepted: set[int] = set()
    if post_ids:
        solved = set(
            Question.objects.filter(
                pk__in=post_ids, accepted_answer__isnull=False, accepted_answer__is_deleted=False
            ).values_list("pk", flat=True)
        )
    if comment_ids:
        accepted = set(
            Question.objects.filter(accepted_answer_id__in=comment_ids).values_list(
                "accepted_answer_id", flat=True
            )
        )
    for document in documents:
        if (document.kind == "post" and document.object_id in solved) or (
            document.kind == "comment" and document.object_id in accepted
        ):
            document.boost = max(document.boost or 0.0, KNOWLEDGE_BOOST)
