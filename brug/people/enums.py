from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    GUEST = "guest", _("Guest")
    COMMUNITY_MANAGER = "community_manager", _("Community manager")
    ADMIN = "admin", _("Admin")


class TeamKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    TEAM = "team", _("Team")


class Highlight(models.TextChoices):
    NONE = "", _("None")
    LEADERSHIP = "leadership", _("Leadership")
    AMBASSADOR = "ambassador", _("Ambassador")


class WorkingDay(models.TextChoices):
    MONDAY = "mon", _("Monday")
    TUESDAY = "tue", _("Tuesday")
    WEDNESDAY = "wed", _("Wednesday")
    THURSDAY = "thu", _("Thursday")
    FRIDAY = "fri", _("Friday")
    SATURDAY = "sat", _("Saturday")
    SUNDAY = "sun", _("Sunday")


class InvitationRole(models.TextChoices):
    """The roles an invitation can give (admins and managers are appointed, not invited)."""

    MEMBER = "member", _("Member")
    GUEST = "guest", _("Guest")


# Languages a person can say they speak: ISO 639-1 codes, the languages most
# spoken at work in the Netherlands and Flanders first. A fixed list, so that
# the directory filter matches exactly and the stored JSON holds only codes.
SPOKEN_LANGUAGES: dict[str, str] = {
    "nl": _("Dutch"),
    "en": _("English"),
    "de": _("German"),
    "fr": _("French"),
    "fy": _("Frisian"),
    "es": _("Spanish"),
    "pt": _("Portuguese"),
    "it": _("Italian"),
    "pl": _("Polish"),
    "ro": _("Romanian"),
    "bg": _("Bulgarian"),
    "tr": _("Turkish"),
    "ar": _("Arabic"),
    "ku": _("Kurdish"),
    "fa": _("Persian"),
    "ti": _("Tigrinya"),
    "so": _("Somali"),
    "uk": _("Ukrainian"),
    "ru": _("Russian"),
    "zh": _("Chinese"),
    "hi": _("Hindi"),
    "ur": _("Urdu"),
    "id": _("Indonesian"),
    "sr": _("Serbian"),
    "hr": _("Croatian"),
    "bs": _("Bosnian"),
    "el": _("Greek"),
    "hu": _("Hungarian"),
    "cs": _("Czech"),
    "sk": _("Slovak"),
    "lt": _("Lithuanian"),
    "lv": _("Latvian"),
    "da": _("Danish"),
    "sv": _("Swedish"),
    "no": _("Norwegian"),
    "fi": _("Finnish"),
    "ja": _("Japanese"),
    "ko": _("Korean"),
    "vi": _("Vietnamese"),
    "th": _("Thai"),
    "tl": _("Tagalog"),
    "sw": _("Swahili"),
    "am": _("Amharic"),
    "he": _("Hebrew"),
}
