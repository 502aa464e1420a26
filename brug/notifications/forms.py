"""The preferences form: a switch per kind and channel, and one per space to mute it."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from brug.notifications.enums import Channel, NotificationKind


class PreferencesForm(forms.Form):
    """Fields ``<kind>__<channel>`` (booleans) and ``muted`` (space ids)."""

    muted = forms.TypedMultipleChoiceField(
        label=_("Muted spaces"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, initial_preferences: dict, memberships: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind in NotificationKind:
            cells = []
            for channel in Channel:
                name = f"{kind.value}__{channel.value}"
                self.fields[name] = forms.BooleanField(
                    required=False,
                    initial=initial_preferences[kind.value][channel.value],
                    label=format_lazy(
                        _("{kind}: {channel}"), kind=kind.label, channel=channel.label
                    ),
                )
                cells.append(name)
            self.rows.append({"kind": kind, "fields": [self[name] for name in cells]})
        self.fields["muted"].choices = [(m.space_id, m.space.name) for m in memberships]
        self.fields["muted"].initial = [m.space_id for m in memberships if m.muted]
        self.channels = list(Channel)

    def preferences(self) -> dict[str, dict[str, bool]]:
        return {
            kind.value: {
                channel.value: bool(self.cleaned_data[f"{kind.value}__{channel.value}"])
                for channel in Channel
            }
            for kind in NotificationKind
        }

    def muted_space_ids(self) -> set[int]:
        return set(self.cleaned_data.get("muted") or [])
