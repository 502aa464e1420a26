"""Forms of the people pages: they shape input; the actions validate and write.

Errors an action raises (``ValidationError`` with a dict per field) are put
back on the form with ``brug.core.forms.apply_errors``, so a message appears next to its field.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from brug.people.enums import SPOKEN_LANGUAGES, InvitationRole, WorkingDay
from brug.people.models import Organisation, Team

PHOTO_ACCEPT = "image/jpeg,image/png,image/gif,image/webp"


class BootstrapMixin:
    """Give widgets Bootstrap's classes so the templates render fields plainly."""

    def style_widgets(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
            if field.help_text:
                widget.attrs.setdefault("aria-describedby", f"help-{name}")

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        self.mark_invalid()

    def mark_invalid(self) -> None:
        """Flag fields with errors for Bootstrap and assistive technology."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


class ProfileForm(BootstrapMixin, forms.Form):
    """Everything a person says about themselves (``people:profile-edit``)."""

    name = forms.CharField(label=_("Name"), max_length=150)
    handle = forms.CharField(
        label=_("Handle"),
        max_length=41,
        help_text=_("How colleagues mention you: @handle. Lower-case letters, digits and dots."),
    )
    function = forms.CharField(label=_("Function"), max_length=120, required=False)
    team = TeamChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    location = forms.CharField(
        label=_("Location"),
        max_length=120,
        required=False,
        help_text=_("Where colleagues find you, for example a building or town."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    working_days = forms.MultipleChoiceField(
        label=_("Working days"),
        choices=WorkingDay.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bio = forms.CharField(
        label=_("About me"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    expertise = forms.CharField(
        label=_("Expertise"),
        max_length=2000,
        required=False,
        help_text=_("Separate with commas, for example: wondzorg, dementie, roosters."),
    )
    ask_me_about = forms.CharField(
        label=_("Ask me about"),
        max_length=300,
        required=False,
        help_text=_("Topics you are glad to help colleagues with."),
    )
    language = forms.ChoiceField(
        label=_("Language of Brug"),
        choices=[("", _("As my browser says")), ("nl", "Nederlands"), ("en", "English")],
        required=False,
    )
    photo = forms.FileField(
        label=_("New photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
        help_text=_("A JPEG, PNG, GIF or WebP image; it is cropped square."),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = (
            Team.objects.filter(organisation_id=person.organisation_id)
            .select_related("parent")
            .order_by("parent__name", "name")
        )
        self.fields["team"].empty_label = _("(no team)")
        # The languages most spoken at work first (the list's own order).
        self.fields["languages"].choices = list(SPOKEN_LANGUAGES.items())
        if not person.photo:
            del self.fields["remove_photo"]
        self.style_widgets()

    @staticmethod
    def initial_for(person) -> dict:
        return {
            "name": person.name,
            "handle": person.handle,
            "function": person.function,
            "team": person.team_id,
            "location": person.location,
            "languages": person.languages,
            "working_days": person.working_days,
            "bio": person.bio,
            "expertise": ", ".join(e.name for e in person.expertise.all()),
            "ask_me_about": person.ask_me_about,
            "language": person.language,
        }

    def profile_fields(self) -> dict:
        """The cleaned data as keyword arguments of ``save_profile``."""
        data = dict(self.cleaned_data)
        photo = data.pop("photo", None)
        remove = data.pop("remove_photo", False)
        return {**data, "photo": photo, "remove_current_photo": remove}


class WelcomeForm(ProfileForm):
    """The first-run page: the essentials only."""

    ESSENTIALS = ("function", "team", "location", "languages", "expertise", "photo")

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, person=person, **kwargs)
        for name in list(self.fields):
            if name not in self.ESSENTIALS:
                del self.fields[name]
        self.fields["function"].help_text = _("For example: wijkverpleegkundige, HR-adviseur.")
        self.style_widgets()


class InvitationAcceptForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.CharField(label=_("E-mail address"), max_length=254)
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("The password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        if invitation.email:
            self.fields["email"].initial = invitation.email
            self.fields["email"].widget.attrs["readonly"] = True
        self.style_widgets()

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class InvitationCreateForm(BootstrapMixin, forms.Form):
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        required=False,
        help_text=_("With an address, only that person can use the link."),
    )
    role = forms.ChoiceField(label=_("Invite as"), choices=InvitationRole.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    team = TeamChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    send_email = forms.BooleanField(
        label=_("E-mail the link to this address"), required=False, initial=True
    )
    # Not required: a form posted without it writes in the page's language.
    language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=[("nl", "Nederlands"), ("en", "English")],
        required=False,
    )
    message = forms.CharField(
        label=_("Personal note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Put in the e-mail, under your name. At most 1000 characters."),
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        # The mail is written in the inviter's own language unless they choose otherwise.
        language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        self.fields["language"].initial = language
        if viewer.is_admin:
            organisations = Organisation.objects.order_by("name")
            teams = Team.objects.all()
        else:
            organisations = Organisation.objects.filter(pk=viewer.organisation_id)
            teams = Team.objects.filter(organisation_id=viewer.organisation_id)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].initial = viewer.organisation_id
        self.fields["team"].queryset = teams.select_related("parent", "organisation").order_by(
            "organisation__name", "parent__name", "name"
        )
        self.fields["team"].empty_label = _("(no team)")
        self.style_widgets()
