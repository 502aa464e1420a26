"""The Django admin of questions: questions, tags and the unmask audit log.

``AnonymousAsker`` and ``QuestionFollow`` are deliberately NOT registered:
they name the asker of anonymous questions (DESIGN.md "Anonymity by
construction"). The question list shows the post's author, which is empty
for an anonymous question. The audit log is read-only.

The posts app has no admin of its own yet; a read-only changelist of posts
is registered here (only if nobody else registered ``Post``), so that
moderators can find content and the anonymity tests can check that it names
nobody.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from brug.posts.models import Post
from brug.questions.models import Question, Tag, UnmaskAudit


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["title", "space", "asked_by", "answer_count", "solved", "created_at"]
    list_filter = ["is_anonymous", "space"]
    list_select_related = ["post", "post__author", "space"]
    search_fields = ["post__title"]
    fields = ["title", "space", "asked_by", "answer_count", "accepted_at", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("question"))
    def title(self, obj: Question) -> str:
        return obj.post.title

    @admin.display(description=_("asked by"))
    def asked_by(self, obj: Question) -> str:
        return obj.post.author.name if obj.post.author_id else _("Anonymous")

    @admin.display(description=_("solved"), boolean=True)
    def solved(self, obj: Question) -> bool:
        return obj.accepted_answer_id is not None


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(UnmaskAudit)
class UnmaskAuditAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "question_ref", "unmasked_by", "reason"]
    list_select_related = ["unmasked_by"]
    fields = ["created_at", "question_ref", "unmasked_by", "reason"]
    readonly_fields = fields


class PostAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "space", "author_name", "created_at", "is_deleted"]
    list_filter = ["kind", "is_deleted"]
    list_select_related = ["space", "author"]
    search_fields = ["title", "body"]
    fields = ["kind", "space", "author_name", "title", "body", "created_at", "edited_at"]
    readonly_fields = fields

    @admin.display(description=_("author"))
    def author_name(self, obj: Post) -> str:
        return obj.author.name if obj.author_id else _("Anonymous")


if not admin.site.is_registered(Post):
    admin.site.register(Post, PostAdmin)
