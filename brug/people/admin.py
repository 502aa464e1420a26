"""The Django admin for people, organisations, teams, expertise and invitations.

Writes that have rules go through the actions: a new organisation gets its
"Durf te vragen" space (``create_organisation``), a new person is validated
like any other (``create_person``). Photos are not edited here: they must be
re-encoded (``set_photo``). Invitation tokens are never shown: only their
digest is stored.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from brug.people import actions
from brug.people.models import Expertise, Invitation, Organisation, Team, User


class PersonCreationForm(forms.ModelForm):
    """Add a person through ``create_person`` (password optional: they can reset it)."""

    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to let the person choose one through “Forgot password”."),
    )

    class Meta:
        model = User
        fields = ["email", "name", "role", "organisation", "team"]

    def clean(self):
        """Check here what ``create_person`` would refuse, so it shows on the form."""
        data = super().clean()
        email = (data.get("email") or "").strip()
        if email and User.objects.filter(email__iexact=email).exists():
            self.add_error("email", _("A person with this e-mail address already exists."))
        team, organisation = data.get("team"), data.get("organisation")
        if team and organisation and team.organisation_id != organisation.pk:
            self.add_error("team", _("The team belongs to another organisation."))
        if data.get("password"):
            try:
                validate_password(
                    data["password"], user=User(email=email, name=data.get("name", ""))
                )
            except ValidationError as error:
                self.add_error("password", error)
        return data


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = Organisation.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("An organisation with this name exists already."))
        return name


@admin.register(User)
class PersonAdmin(DjangoUserAdmin):
    add_form = PersonCreationForm
    add_form_template = None
    add_fieldsets = (
        (None, {"fields": ("email", "name", "role", "organisation", "team", "password")}),
    )
    fieldsets = (
        (None, {"fields": ("email", "handle", "name", "password")}),
        (_("Place"), {"fields": ("role", "organisation", "team", "highlight")}),
        (
            _("Profile"),
            {
                "fields": (
                    "function",
                    "location",
                    "languages",
                    "working_days",
                    "bio",
                    "ask_me_about",
                    "expertise",
                    "photo",
                    "language",
                )
            },
        ),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined", "onboarded_at")}),
    )
    readonly_fields = ("photo", "last_login", "date_joined", "onboarded_at")
    list_display = ("name", "email", "handle", "organisation", "team", "role", "is_active")
    list_filter = ("role", "is_active", "organisation", "highlight")
    list_select_related = ("organisation", "team")
    search_fields = ("name", "email", "handle")
    ordering = ("name",)
    autocomplete_fields = ("team", "expertise")
    filter_horizontal = ()
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        if change:
            before = User.objects.filter(pk=obj.pk).values("team_id", "is_active").first()
            super().save_model(request, obj, form, change)
            actions.after_admin_change(
                person=obj, old_team_id=before["team_id"], was_active=before["is_active"]
            )
            return
        data = form.cleaned_data
        # The form's clean() checks what the action refuses; only a race fails here.
        person = actions.create_person(
            by=request.user,
            email=data["email"],
            name=data["name"],
            role=data["role"],
            organisation=data["organisation"],
            team=data.get("team"),
            password=data.get("password") or None,
        )
        obj.pk = person.pk
        obj.__dict__.update(person.__dict__)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ("name", "slug", "is_default", "created_at")
    search_fields = ("name",)
    fields = ("name",)
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        """New organisations go through ``create_organisation`` (their questions space)."""
        if change:
            actions.update_organisation(by=request.user, organisation=obj, name=obj.name)
            return
        created = actions.create_organisation(by=request.user, name=obj.name)
        obj.pk = created.pk
        obj.__dict__.update(created.__dict__)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "organisation")
    list_filter = ("organisation", "kind")
    list_select_related = ("organisation", "parent")
    search_fields = ("name", "organisation__name")
    autocomplete_fields = ("parent",)
    show_full_result_count = False


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    show_full_result_count = False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """A read-only view: invitations are made on the Invitations page (the link is shown once)."""

    list_display = ("__str__", "organisation", "role", "created_by", "expires_at", "used_at")
    list_filter = ("organisation", "role")
    list_select_related = ("organisation", "created_by")
    search_fields = ("email",)
    exclude = ("digest",)
    readonly_fields = (
        "organisation",
        "team",
        "email",
        "role",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
        "used_by",
        "emailed_at",
    )
    show_full_result_count = False

    def has_add_permission(self, request):
        return False
