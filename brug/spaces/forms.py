"""Forms of the space pages. They only parse input; the actions validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from brug.people.models import Organisation
from brug.spaces.enums import JoinPolicy, SpaceKind, SpaceRole, Visibility

VISIBILITY_HELP = {
    Visibility.OPEN: _("Everyone in the organisation can find it, read it and join."),
    Visibility.PRIVATE: _(
        "Everyone can find it; only members read it. Others ask to join or are invited."
    ),
    Visibility.SECRET: _("Only members know it exists. People join by invitation."),
}


class SpaceForm(forms.Form):
    """Create a space; admins also choose its organisation and whom it is shared with."""

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the space is for, so newcomers know whether to join."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can find and read it"),
        choices=Visibility.choices,
        initial=Visibility.OPEN,
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=SpaceKind.choices,
        initial=SpaceKind.COMMUNITY,
        help_text=_("In an announcement space only owners and moderators post."),
    )
    join_policy = forms.ChoiceField(
        label=_("How people join"),
        choices=JoinPolicy.choices,
        required=False,
        help_text=_("Secret spaces are always joined by invitation."),
    )
    cover = forms.FileField(
        label=_("Cover image"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP; shown at the top of the space."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Shared with"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of these organisations can find the space like your own colleagues."),
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        if viewer.is_admin and Organisation.objects.count() > 1:
            self.fields["organisation"].queryset = Organisation.objects.order_by("name")
            self.fields["shared_with"].queryset = Organisation.objects.order_by("name")
        else:
            del self.fields["organisation"]
            del self.fields["shared_with"]

    def visibility_choices(self):
        return [(value, label, VISIBILITY_HELP[value]) for value, label in Visibility.choices]

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {
            "name": data["name"],
            "description": data.get("description") or "",
            "visibility": data["visibility"],
            "kind": data["kind"],
            "join_policy": data.get("join_policy") or None,
            "cover": data.get("cover") or None,
        }
        if "organisation" in self.fields and data.get("organisation"):
            arguments["organisation"] = data["organisation"]
        if "shared_with" in self.fields:
            arguments["shared_with"] = list(data.get("shared_with") or [])
        return arguments


class SpaceSettingsForm(SpaceForm):
    """Change a space (owners and admins)."""

    allow_anonymous = forms.BooleanField(label=_("Allow anonymous questions"), required=False)
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    is_archived = forms.BooleanField(
        label=_("Archived"),
        required=False,
        help_text=_("An archived space stays readable, but nobody posts or joins."),
    )

    def __init__(self, *args, space, viewer, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.update(
            {
                "name": space.name,
                "description": space.description,
                "visibility": space.visibility,
                "kind": space.kind,
                "join_policy": space.join_policy,
                "allow_anonymous": space.allow_anonymous,
                "is_archived": space.is_archived,
                "shared_with": [o.pk for o in space.shared_with.all()],
            }
        )
        super().__init__(*args, viewer=viewer, **kwargs)
        self.fields["cover"].widget = forms.FileInput(attrs={"accept": "image/*"})
        self.fields.pop("organisation", None)
        if "shared_with" not in self.fields and space.shared_with.exists():
            # Owners may stop sharing, never start: offer only the current ones.
            self.fields["shared_with"] = forms.ModelMultipleChoiceField(
                label=_("Shared with"),
                queryset=space.shared_with.order_by("name"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Untick an organisation to stop sharing with it."),
            )

    def action_arguments(self) -> dict:
        arguments = super().action_arguments()
        data = self.cleaned_data
        arguments.update(
            {
                "allow_anonymous": bool(data.get("allow_anonymous")),
                "remove_cover": bool(data.get("remove_cover")),
                "is_archived": bool(data.get("is_archived")),
            }
        )
        if "shared_with" not in self.fields:
            arguments.pop("shared_with", None)
        return arguments


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the moderators"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=SpaceRole.choices)


class PersonForm(forms.Form):
    person = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=SpaceRole.choices, required=False)
