from django.db import models
from django.utils.translation import gettext_lazy as _


class Ladder(models.TextChoices):
    CONSUME = "consume", _("Consume")
    CONTRIBUTE = "contribute", _("Contribute")
    CREATE = "create", _("Create")


class Verb(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    OPEN_POST = "open_post", _("Opened a post")
    OPEN_SPACE = "open_space", _("Opened a space")
    SEARCH = "search", _("Searched")
    READ_NEWS = "read_news", _("Read news")
    VIEW_PROFILE = "view_profile", _("Viewed a profile")
    COMMENT = "comment", _("Commented")
    ANSWER = "answer", _("Answered")
    REACT = "react", _("Reacted")
    MENTION = "mention", _("Mentioned someone")
    VOTE = "vote", _("Voted")
    ACCEPT = "accept", _("Accepted an answer")
    JOIN_SPACE = "join_space", _("Joined a space")
    POST = "post", _("Posted")
    ASK = "ask", _("Asked")
    WORK_OUT_LOUD = "work_out_loud", _("Worked out loud")
    CREATE_SPACE = "create_space", _("Created a space")


LADDER_OF_VERB: dict[str, str] = {
    Verb.SIGN_IN: "",
    Verb.OPEN_POST: Ladder.CONSUME,
    Verb.OPEN_SPACE: Ladder.CONSUME,
    Verb.SEARCH: Ladder.CONSUME,
    Verb.READ_NEWS: Ladder.CONSUME,
    Verb.VIEW_PROFILE: Ladder.CONSUME,
    Verb.COMMENT: Ladder.CONTRIBUTE,
    Verb.ANSWER: Ladder.CONTRIBUTE,
    Verb.REACT: Ladder.CONTRIBUTE,
    Verb.MENTION: Ladder.CONTRIBUTE,
    Verb.VOTE: Ladder.CONTRIBUTE,
    Verb.ACCEPT: Ladder.CONTRIBUTE,
    Verb.JOIN_SPACE: Ladder.CONTRIBUTE,
    Verb.POST: Ladder.CREATE,
    Verb.ASK: Ladder.CREATE,
    Verb.WORK_OUT_LOUD: Ladder.CREATE,
    Verb.CREATE_SPACE: Ladder.CREATE,
}
