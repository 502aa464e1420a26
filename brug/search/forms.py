"""The search form: the query and its filters, as a URL people can share."""

from django import forms
from django.utils.translation import gettext_lazy as _

from brug.search.enums import DocumentKind
from brug.search.queries import SearchFilters


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False, strip=True)
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Everything")), *DocumentKind.choices], required=False
    )
    space = forms.IntegerField(label=_("Space"), min_value=1, required=False)
    person = forms.CharField(label=_("Written by"), max_length=150, required=False)
    team = forms.IntegerField(label=_("Team"), min_value=1, required=False)
    after = forms.DateField(label=_("From"), required=False)
    before = forms.DateField(label=_("Until"), required=False)
    offset = forms.IntegerField(min_value=0, max_value=100_000, required=False)

    def clean(self):
        data = super().clean()
        after, before = data.get("after"), data.get("before")
        if after and before and after > before:
            self.add_error("before", _("The end date comes before the start date."))
        return data

    def filters(self, *, person_id: int | None) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            type=data.get("type") or None,
            space_id=data.get("space"),
            person_id=person_id,
            team_id=data.get("team"),
            after=data.get("after"),
            before=data.get("before"),
        )
