"""The Django admin for spaces: admins see that spaces exist and their settings,
never their content (DESIGN.md "Who sees what").

Nothing is created or changed here: spaces, memberships and roles have rules
(who may share with whom, the last owner, member counts, side effects) that
live in ``brug.spaces.actions``, so the admin lists and shows, and admins
change spaces through the space settings page and the API.
"""

from __future__ import annotations

from django.contrib import admin

from brug.spaces.models import Space


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "organisation",
        "visibility",
        "kind",
        "join_policy",
        "member_count",
        "last_activity_at",
        "is_archived",
    )
    list_filter = ("visibility", "kind", "is_archived", "organisation")
    search_fields = ("name", "slug")
    ordering = ("name",)
    fields = (
        "name",
        "slug",
        "description",
        "organisation",
        "shared_with",
        "visibility",
        "kind",
        "join_policy",
        "allow_anonymous",
        "team",
        "member_count",
        "created_by",
        "created_at",
        "last_activity_at",
        "is_archived",
    )
    list_select_related = ("organisation",)

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
