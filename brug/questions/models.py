"""Questions and answers ("Durf te vragen").

A question is a ``posts.Post`` of kind ``question``; ``Question`` is its 1:1
table whose primary key is the post's id (a question's id is its post's id).
An answer is a top-level ``posts.Comment`` on the question's post.

Anonymity by construction (DESIGN.md): an anonymous question's post has
``author = NULL``. Who asked is stored only in ``AnonymousAsker``, which is
read by nothing but the question actions (edit, accept, notify the asker, in
``brug.questions.actions`` / ``brug.questions.tasks``), the "is it me?"
check of ``brug.permissions.questions`` (which only ever compares it with the
viewer's own id) and the audited unmask action. It is not registered in the
Django admin and never serialised.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tag(models.Model):
    """A topic of questions ("wondzorg", "ecd", "verlof")."""

    name = models.CharField(_("name"), max_length=40)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    post = models.OneToOneField(
        "posts.Post", primary_key=True, on_delete=models.CASCADE, related_name="question"
    )
    # Repeats the post's space and creation time: the lists filter and page on them.
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="questions")
    created_at = models.DateTimeField(default=timezone.now)
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    is_anonymous = models.BooleanField(_("asked anonymously"), default=False)
    accepted_answer = models.ForeignKey(
        "posts.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    answer_count = models.PositiveIntegerField(default=0)
    last_answer_at = models.DateTimeField(null=True, blank=True)
    # Set by the periodic job once the question went unanswered for
    # ``BRUG_UNANSWERED_AFTER_HOURS`` and community managers were told.
    flagged_unanswered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["space", "-created_at"], name="question_space_time"),
            models.Index(fields=["answer_count", "created_at"], name="question_unanswered"),
            models.Index(fields=["-accepted_at"], name="question_knowledge"),
        ]

    def __str__(self) -> str:
        return f"question {self.pk}"

    @property
    def id(self) -> int:
        return self.post_id


class AnonymousAsker(models.Model):
    """Who asked an anonymous question. Read only as the module docstring says."""

    question = models.OneToOneField(
        Question, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["person"], name="anonymous_asker_person")]

    def __str__(self) -> str:
        return f"asker of question {self.question_id}"


class AnswerVote(models.Model):
    """One person's vote for one answer (at most one)."""

    answer = models.ForeignKey("posts.Comment", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "person"], name="one_vote_per_answer")
        ]
        indexes = [models.Index(fields=["person", "answer"], name="answer_vote_person")]


class QuestionFollow(models.Model):
    """A person who hears of new answers to a question (the asker follows their own)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follows")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "person"], name="one_follow_per_question")
        ]
        indexes = [models.Index(fields=["person", "question"], name="question_follow_person")]


class UnmaskAudit(models.Model):
    """An admin revealed who asked an anonymous question (only if the installation allows it).

    The entry records who looked, when and why — not whom they found.
    """

    question = models.ForeignKey(
        Question, null=True, on_delete=models.SET_NULL, related_name="unmask_audits"
    )
    question_ref = models.PositiveBigIntegerField(_("question id"))
    unmasked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unmasked by"),
    )
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("unmask audit entry")
        verbose_name_plural = _("unmask audit entries")

    def __str__(self) -> str:
        return f"unmask of question {self.question_ref}"
