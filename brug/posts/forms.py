"""Forms of the posts pages. They only shape input; the actions validate for real."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from brug.posts.actions import MAX_BODY_LENGTH, MAX_TITLE_LENGTH
from brug.posts.enums import PostKind

PROFILE = "profile"
COMPOSER_KINDS = [
    (PostKind.UPDATE.value, _("Update")),
    (PostKind.WORK_OUT_LOUD.value, _("What I'm working on")),
]


class PostForm(forms.Form):
    """The composer: where (a space or my profile), what kind, title and text."""

    space = forms.ChoiceField(label=_("Post in"), required=True)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=COMPOSER_KINDS, initial=PostKind.UPDATE, required=False
    )
    title = forms.CharField(
        label=_("Title (optional)"), max_length=MAX_TITLE_LENGTH, required=False
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=True,
    )

    def __init__(self, *args, spaces=(), allow_profile=True, fixed_space=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if fixed_space is not None:
            choices = [(str(fixed_space.pk), fixed_space.name)]
            self.fields["space"].initial = str(fixed_space.pk)
        else:
            if allow_profile:
                choices.append((PROFILE, _("My profile (working out loud)")))
            choices += [(str(space.pk), space.name) for space in spaces]
        self.fields["space"].choices = choices

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or PostKind.UPDATE


class EditPostForm(forms.Form):
    title = forms.CharField(
        label=_("Title (optional)"), max_length=MAX_TITLE_LENGTH, required=False
    )
    body = forms.CharField(
        label=_("Message"), max_length=MAX_BODY_LENGTH, widget=forms.Textarea(attrs={"rows": 8})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class EditCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
