"""Forms of the questions pages. They shape input; the actions validate for real."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from brug.posts.actions import MAX_BODY_LENGTH
from brug.questions.actions import MAX_REASON_LENGTH, MAX_TITLE_LENGTH


class AskForm(forms.Form):
    """Ask: where, the question itself, a few words of context, tags, anonymously or not."""

    space = forms.ChoiceField(label=_("Ask in"))
    title = forms.CharField(
        label=_("Your question"),
        max_length=MAX_TITLE_LENGTH,
        help_text=_("One sentence, ending in a question mark, works best."),
    )
    body = forms.CharField(
        label=_("More context (optional)"),
        max_length=MAX_BODY_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What did you try, what do you need? Markdown works."),
    )
    tags = forms.CharField(
        label=_("Tags (optional)"),
        required=False,
        max_length=300,
        help_text=_("Up to five, separated by commas: wondzorg, ECD, verlof."),
    )
    anonymous = forms.BooleanField(label=_("Ask anonymously"), required=False)

    def __init__(self, *args, spaces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.spaces = {str(space.pk): space for space in spaces}
        self.fields["space"].choices = [(str(s.pk), s.name) for s in spaces]
        if spaces and not self.is_bound:
            self.fields["space"].initial = str(spaces[0].pk)

    @property
    def anonymous_space_ids(self) -> list[str]:
        return [pk for pk, space in self.spaces.items() if space.allow_anonymous]

    def chosen_space(self):
        return self.spaces.get(self.cleaned_data.get("space", ""))


class EditQuestionForm(forms.Form):
    title = forms.CharField(label=_("Your question"), max_length=MAX_TITLE_LENGTH)
    body = forms.CharField(
        label=_("More context (optional)"),
        max_length=MAX_BODY_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    tags = forms.CharField(label=_("Tags (optional)"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class UnmaskForm(forms.Form):
    reason = forms.CharField(
        label=_("Why must the asker be known?"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("This reason, your name and the time are kept in the audit log."),
    )
