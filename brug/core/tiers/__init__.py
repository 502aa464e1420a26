"""The benchmark tiers of BENCHMARKS.md (``brug demo --size medium|large``), bulk-loaded.

The shape follows BENCHMARKS.md: organisations of unequal size with a team
tree, Zipf-like space sizes (a few organisation-wide spaces, a median of about
25 members), people in a median of 8 spaces and a few in a couple of hundred,
authorship along 90-9-1 (1 % create most, 9 % contribute, 90 % mostly read),
three years of weekday rhythm, Dutch and English text, 5 % of posts mentioning
someone, questions in the "Durf te vragen" spaces (some anonymous, most
answered, about half with an accepted answer), reactions, reads and the
activity log. Everything is drawn from one ``random.Random(seed)``: the same
seed gives the same network.

This is the one writer that goes around the actions (STYLE.md): rows are
written straight into the tables by ``brug.core.tiers.writer``, posts in
chunks of time (oldest first, so ids follow time), each chunk with its
comments, reactions, reads, activities and search documents, in one
transaction. People and spaces are few enough to be indexed for search by
``brug.search.indexing.reindex``; posts and comments get their search
documents here, with stems computed once per pooled sentence
(``brug.core.tiers.content``).

Tests never load a tier; ``Tier`` takes any size, and the tests load a tiny one.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils.text import slugify

from brug.core.tiers import writer
from brug.core.tiers.content import (
    FIRST_NAMES,
    FUNCTIONS,
    LAST_NAMES,
    LOCATIONS,
    ORGANISATION_NAMES,
    RARE_HIDDEN,
    RARE_TERM,
    RARE_VISIBLE,
    TOPICS,
    ContentPool,
)
from brug.people.handles import slug_handle
from brug.questions.apps import KNOWLEDGE_BOOST


@dataclass(frozen=True)
class Tier:
    name: str
    people: int
    organisations: int
    teams: int
    spaces: int
    posts: int  # questions included
    questions: int
    comments: int  # answers included
    answers: int
    reactions: int
    reads: int
    years: int = 3
    chunks: int = 40


TIERS = {
    "medium": Tier(
        "medium",
        people=10_000,
        organisations=5,
        teams=200,
        spaces=500,
        posts=330_000,
        questions=50_000,
        comments=670_000,
        answers=120_000,
        reactions=1_500_000,
        reads=3_500_000,
    ),
    "large": Tier(
        "large",
        people=100_000,
        organisations=7,
        teams=2_000,
        spaces=5_000,
        posts=3_300_000,
        questions=500_000,
        comments=6_700_000,
        answers=1_200_000,
        reactions=15_000_000,
        reads=35_000_000,
        chunks=400,
    ),
}

PASSWORD = "welkom-bij-brug"  # noqa: S105 (the demo password, printed by ``brug demo``)
ORG_WEIGHTS = (0.5, 0.2, 0.15, 0.1, 0.05, 0.03, 0.02)
REACTION_KINDS = ("like", "thanks", "helpful", "celebrate", "insightful")
REACTION_WEIGHTS = (60, 15, 10, 8, 7)
GUEST_SHARE = 0.02
ANONYMOUS_SHARE = 0.08
UNANSWERED_SHARE = 0.15
ACCEPTED_SHARE = 0.55
MENTION_SHARE = 0.05
PROFILE_POST_SHARE = 0.02
HOME_FEED_SPACES = 50


def bench_person():
    """The person ``brug bench`` works as: a member of the first organisation in about
    ``HOME_FEED_SPACES`` spaces (the lowest id among equals), or None."""
    from django.db.models import Count

    from brug.people.models import User

    members = (
        User.objects.filter(role="member", is_active=True, organisation__is_default=True)
        .annotate(spaces=Count("memberships"))
        .values_list("pk", "spaces")
    )
    best = min(members, key=lambda row: (abs(row[1] - HOME_FEED_SPACES), row[0]), default=None)
    return None if best is None else User.objects.get(pk=best[0])


class Document(NamedTuple):
    """A search document of a post or comment, before it gets its id."""

    kind: str
    object_id: int
    space_id: int | None
    post_id: int
    comment_id: int | None
    organisation_id: int
    author_id: int | None
    created_at: datetime
    title: str
    text: str
    title_stems: str
    stems: str
    boost: float = 0.0


@dataclass
class Person:
    id: int
    org: int  # index into the organisations
    team_id: int
    language: str
    handle: str
    weight: float  # how much they write (90-9-1)
    is_guest: bool = False


@dataclass
class SpaceRow:
    id: int
    org: int
    organisation_id: int
    name: str
    kind: str
    visibility: str
    team_id: int | None = None
    members: list[int] = field(default_factory=list)  # person indexes
    owners: list[int] = field(default_factory=list)
    activity: float = 1.0
    cum_weights: list[float] = field(default_factory=list)
    last_activity_at: datetime | None = None

    def author(self, rng: random.Random, people: list[Person]) -> int:
        """A member, drawn by how much each writes."""
        if not self.cum_weights:
            total, cumulative = 0.0, []
            for index in self.members:
                total += people[index].weight
                cumulative.append(total)
            self.cum_weights = cumulative
        position = bisect.bisect_left(self.cum_weights, rng.random() * self.cum_weights[-1])
        return self.members[min(position, len(self.members) - 1)]


class Loader:
    """Loads one tier; ``progress(step, done)`` is told what happens."""

    def __init__(self, tier: Tier, *, seed: int, progress: Callable[[str, int], None]) -> None:
        self.tier = tier
        self.rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
        self.progress = progress
        self.now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        self.start = self.now - timedelta(days=365 * tier.years)
        self.pool = ContentPool(random.Random(seed + 1))  # noqa: S311
        self.people: list[Person] = []
        self.spaces: list[SpaceRow] = []

    # People ---------------------------------------------------------------------

    def load(self) -> dict:
        from brug.people.models import User

        if User.objects.exclude(role="admin").exists():
            raise ValueError("A tier loads into an empty installation (only admins may exist).")
        with writer.bulk_session():
            with transaction.atomic():
                self._organisations()
                self._teams()
                self._people()
                self._spaces()
            self._content()
        self._finish()
        return self.summary()

    def _organisations(self) -> None:
        from brug.people.models import Organisation
        from brug.spaces.actions import ensure_questions_space

        default = Organisation.objects.get(is_default=True)
        default.name, default.slug = ORGANISATION_NAMES[0], slugify(ORGANISATION_NAMES[0])
        default.save(update_fields=["name", "slug"])
        self.organisations = [default]
        for name in ORGANISATION_NAMES[1 : self.tier.organisations]:
            self.organisations.append(Organisation.objects.create(name=name, slug=slugify(name)))
        weights = ORG_WEIGHTS[: len(self.organisations)]
        self.org_shares = [weight / sum(weights) for weight in weights]
        self.questions_spaces = [
            ensure_questions_space(organisation=organisation) for organisation in self.organisations
        ]

    def _teams(self) -> None:
        from brug.people.models import Team

        self.leaf_teams: list[list[Team]] = []
        for index, organisation in enumerate(self.organisations):
            count = max(1, round(self.tier.teams * self.org_shares[index]))
            departments = Team.objects.bulk_create(
                [
                    Team(
                        organisation=organisation, name=f"Afdeling {number + 1}", kind="department"
                    )
                    for number in range(max(1, count // 8))
                ]
            )
            teams = Team.objects.bulk_create(
                [
                    Team(
                        organisation=organisation,
                        parent=departments[number % len(departments)],
                        name=f"Team {TOPICS['nl'][number % len(TOPICS['nl'])][0].title()} "
                        f"{number // len(TOPICS['nl']) + 1}",
                        kind="team",
                    )
                    for number in range(count)
                ]
            )
            self.leaf_teams.append(teams)
        self.progress("teams", sum(len(teams) for teams in self.leaf_teams))

    def _people(self) -> None:
        from brug.people.models import Expertise, User

        rng = self.rng
        password = make_password(PASSWORD)
        names = {topic[0]: None for language in ("nl", "en") for topic in TOPICS[language]}
        expertise = [
            Expertise.objects.get_or_create(slug=f"tier-{slugify(name)}", defaults={"name": name})[
                0
            ]
            for name in names
        ]
        handles: set[str] = set(User.objects.values_list("handle", flat=True))
        users, chosen_expertise = [], []
        first_id = writer.next_id(User)
        org_cumulative = list(_accumulate(self.org_shares))
        for number in range(self.tier.people):
            org = min(bisect.bisect_left(org_cumulative, rng.random()), len(self.organisations) - 1)
            language = "en" if org == 2 or rng.random() < 0.2 else "nl"
            name = f"{rng.choice(FIRST_NAMES[language])} {rng.choice(LAST_NAMES[language])}"
            handle = base = slug_handle(name)[:34]  # as unique_handle, without a query each
            suffix = 1
            while handle in handles:
                suffix += 1
                handle = f"{base}{suffix}"
            handles.add(handle)
            team = rng.choice(self.leaf_teams[org])
            roll = rng.random()
            weight = 100.0 if roll < 0.01 else 10.0 if roll < 0.10 else 0.05
            is_guest = number > 10 and rng.random() < GUEST_SHARE
            role = "guest" if is_guest else "community_manager" if number % 997 == 5 else "member"
            person = Person(first_id + number, org, team.pk, language, handle, weight, is_guest)
            self.people.append(person)
            domain = self.organisations[org].slug
            users.append(
                User(
                    id=person.id,
                    email=f"{handle}@{domain}.example",
                    handle=handle,
                    name=name,
                    role=role,
                    organisation_id=self.organisations[org].pk,
                    team_id=None if is_guest else team.pk,
                    language=language,
                    password=password,
                    function=rng.choice(FUNCTIONS[language]),
                    location=rng.choice(LOCATIONS),
                    languages=["nl", "en"] if language == "nl" else ["en"],
                    working_days=["mon", "tue", "wed", "thu"],
                    date_joined=self.start + timedelta(days=rng.randrange(30)),
                    onboarded_at=self.start + timedelta(days=30),
                )
            )
            chosen_expertise.append(rng.sample(expertise, rng.choice((0, 1, 2, 3))))
        User.objects.bulk_create(users, batch_size=2000)
        self.org_members = [
            [i for i, p in enumerate(self.people) if p.org == org and not p.is_guest]
            for org in range(len(self.organisations))
        ]
        # Profile posts come from people who write (90-9-1).
        self.heavy_writers = [
            i for i, p in enumerate(self.people) if p.weight > 1 and not p.is_guest
        ] or self.org_members[0]
        through = User.expertise.through
        through.objects.bulk_create(
            [
                through(user_id=user.id, expertise_id=item.pk)
                for user, items in zip(users, chosen_expertise, strict=True)
                for item in items
            ],
            batch_size=5000,
        )
        self.progress("people", len(users))

    # Spaces ---------------------------------------------------------------------

    def _spaces(self) -> None:
        from brug.spaces.models import Space

        rng = self.rng
        first_id = writer.next_id(Space)
        by_org: list[list[int]] = [[] for _ in self.organisations]
        for index, person in enumerate(self.people):
            by_org[person.org].append(index)
        rows: list[SpaceRow] = []
        for org, organisation in enumerate(self.organisations):
            members = [i for i in by_org[org] if not self.people[i].is_guest]
            questions = self.questions_spaces[org]
            rows.append(
                SpaceRow(questions.pk, org, organisation.pk, questions.name, "questions", "open")
            )
            rows[-1].members = list(members)
            wide = SpaceRow(0, org, organisation.pk, f"{organisation.name}", "announcement", "open")
            wide.members = list(members)
            rows.append(wide)
            general = SpaceRow(0, org, organisation.pk, "Koffiehoek", "community", "open")
            general.members = [i for i in members if rng.random() < 0.6]
            rows.append(general)
            teams = self.leaf_teams[org]
            team_members: dict[int, list[int]] = {}
            for index in members:
                team_members.setdefault(self.people[index].team_id, []).append(index)
            budget = max(3, round(self.tier.spaces * self.org_shares[org]))
            for team in teams[: max(1, budget // 3)]:
                row = SpaceRow(0, org, organisation.pk, team.name, "community", "private")
                row.team_id = team.pk
                row.members = team_members.get(team.pk, [])
                rows.append(row)
            communities = []
            for number in range(max(1, budget - 2 - min(len(teams), max(1, budget // 3)))):
                topic = TOPICS["nl" if number % 3 else "en"][number % len(TOPICS["nl"])]
                roll = rng.random()
                visibility = "open" if roll < 0.7 else "private" if roll < 0.9 else "secret"
                row = SpaceRow(
                    0,
                    org,
                    organisation.pk,
                    f"{topic[0].title()} {topic[1]} {number + 1}",
                    "community",
                    visibility,
                )
                communities.append(row)
                rows.append(row)
            # Memberships: a median of about 8 spaces, a few people in very many.
            popularity = _accumulate([1.0 / (rank + 1) ** 0.9 for rank in range(len(communities))])
            for index in members:
                wanted = int(rng.lognormvariate(math.log(5), 0.7))
                if rng.random() < 0.005:
                    wanted = rng.randrange(150, 200)
                for _ in range(min(wanted, len(communities))):
                    position = bisect.bisect_left(popularity, rng.random() * popularity[-1])
                    communities[min(position, len(communities) - 1)].members.append(index)
            for index in by_org[org]:
                if self.people[index].is_guest and communities:
                    for row in rng.sample(communities, min(len(communities), rng.choice((1, 2)))):
                        row.members.append(index)
        for row in rows:
            row.members = sorted(set(row.members))
            row.activity = 0.01 if rng.random() < 0.1 else rng.lognormvariate(0, 0.8)
        rows = [row for row in rows if row.members]
        new = [row for row in rows if row.id == 0]
        for offset, row in enumerate(new):
            row.id = first_id + offset
        Space.objects.bulk_create(
            [
                Space(
                    id=row.id,
                    organisation_id=row.organisation_id,
                    name=row.name,
                    slug=f"{slugify(row.name)}-{row.id}",
                    description=self.pool.body(rng, "nl" if row.id % 3 else "en")[0],
                    visibility=row.visibility,
                    kind=row.kind,
                    join_policy={"open": "open", "private": "request", "secret": "invitation"}[
                        row.visibility
                    ],
                    team_id=row.team_id,
                    created_at=self.start,
                )
                for row in new
            ],
            batch_size=1000,
        )
        # Some spaces are shared with a partner organisation.
        through = Space.shared_with.through
        shared = [
            through(
                space_id=row.id,
                organisation_id=self.organisations[(row.org + 1) % len(self.organisations)].pk,
            )
            for row in new
            if row.kind == "community"
            and row.team_id is None
            and rng.random() < 0.05
            and len(self.organisations) > 1
        ]
        through.objects.bulk_create(shared)
        self.spaces = rows
        self._memberships()
        self.progress("spaces", len(rows))

    def _memberships(self) -> None:
        from brug.spaces.models import Membership, Space

        rng = self.rng
        rows = []
        for space in self.spaces:
            owners = [i for i in space.members if not self.people[i].is_guest][:2]
            if space.kind == "questions":
                owners = []
            space.owners = owners or space.members[:1]
            owner_set = set(owners)
            for index in space.members:
                role = "owner" if index in owner_set else "member"
                if role == "member" and rng.random() < 0.02:
                    role = "moderator"
                rows.append((space.id, self.people[index].id, role, self.start))
        writer.write(Membership, ["space_id", "person_id", "role", "joined_at"], rows)
        for space in self.spaces:
            Space.objects.filter(pk=space.id).update(member_count=len(space.members))
        self.progress("memberships", len(rows))

    def _rare_places(self) -> None:
        """Where ``RARE_TERM`` goes: ``RARE_VISIBLE`` posts in the bench person's spaces
        and ``RARE_HIDDEN`` in private or secret spaces they are not in, on every tier,
        so that its search does the same work on each and growth compares like with like."""
        person = bench_person()
        member_of = set()
        if person is not None:
            index = next(i for i, p in enumerate(self.people) if p.id == person.pk)
            member_of = {space.id for space in self.spaces if index in space.members}
        self.rare_visible = member_of
        self.rare_hidden = {
            space.id
            for space in self.spaces
            if space.visibility != "open" and space.id not in member_of
        }
        self.rare_left = {"visible": 0, "hidden": 0}

    # Content --------------------------------------------------------------------

    def _content(self) -> None:
        from brug.analytics.models import Activity, ObjectView
        from brug.posts.models import Comment, Mention, Post, Reaction
        from brug.questions.models import AnonymousAsker, Question
        from brug.search.models import SearchDocument

        self.ids = {
            "post": writer.next_id(Post),
            "comment": writer.next_id(Comment),
            "document": writer.next_id(SearchDocument),
        }
        self.writers = {
            "post": writer.TableWriter(
                Post,
                [
                    "id",
                    "kind",
                    "space_id",
                    "organisation_id",
                    "author_id",
                    "title",
                    "body",
                    "body_html",
                    "language",
                    "created_at",
                    "last_activity_at",
                    "comment_count",
                    "reaction_count",
                ],
            ),
            "question": writer.TableWriter(
                Question,
                [
                    "post_id",
                    "space_id",
                    "created_at",
                    "is_anonymous",
                    "accepted_answer_id",
                    "accepted_at",
                    "answer_count",
                    "last_answer_at",
                ],
            ),
            "asker": writer.TableWriter(AnonymousAsker, ["question_id", "person_id"]),
            "comment": writer.TableWriter(
                Comment,
                ["id", "post_id", "author_id", "body", "body_html", "created_at", "reaction_count"],
            ),
            "mention": writer.TableWriter(Mention, ["post_id", "person_id", "created_at"]),
            "reaction": writer.TableWriter(
                Reaction, ["post_id", "comment_id", "person_id", "kind", "created_at"]
            ),
            "view": writer.TableWriter(
                ObjectView, ["person_id", "verb", "post_id", "object_key", "day", "count"]
            ),
            "activity": writer.TableWriter(
                Activity,
                [
                    "actor_id",
                    "verb",
                    "ladder",
                    "actor_team_id",
                    "actor_organisation_id",
                    "owner_team_id",
                    "space_id",
                    "post_id",
                    "comment_id",
                    "created_at",
                ],
            ),
            # PostgreSQL: into a staging table, then moved with their vectors
            # (``_documents``), so that each row is written once.
            "document": writer.TableWriter(
                SearchDocument,
                table=self._staging(SearchDocument),
                columns=[
                    "id",
                    "kind",
                    "object_id",
                    "space_id",
                    "post_id",
                    "comment_id",
                    "organisation_id",
                    "author_id",
                    "created_at",
                    "indexed_at",
                    "boost",
                    "title",
                    "text",
                    "title_stems",
                    "stems",
                ],
            ),
        }
        self.counts = dict.fromkeys(self.writers, 0)
        tier = self.tier
        space_weights = _accumulate(
            [len(s.members) ** 0.8 * s.activity for s in self.spaces if s.kind != "questions"]
        )
        self.post_spaces = [s for s in self.spaces if s.kind != "questions"]
        self.post_weights = space_weights
        questions_spaces = [s for s in self.spaces if s.kind == "questions"]
        self.question_weights = _accumulate([len(s.members) for s in questions_spaces])
        self.question_spaces = questions_spaces
        self._rare_places()
        for chunk in range(tier.chunks):
            self.rare_left["visible"] += _share(RARE_VISIBLE, tier.chunks, chunk)
            self.rare_left["hidden"] += _share(RARE_HIDDEN, tier.chunks, chunk)
            with transaction.atomic():
                self._chunk(chunk)
            self.progress("content", chunk + 1)

    def _moment(self, chunk: int) -> datetime:
        """A weekday working-hours moment inside the chunk's slice of time."""
        span = (self.now - self.start) / self.tier.chunks
        while True:
            moment = self.start + span * chunk + span * self.rng.random()
            if moment.weekday() < 5 and 7 <= moment.hour < 19:
                return moment

    def _chunk(self, chunk: int) -> None:
        rng, tier = self.rng, self.tier
        share = _share(tier.posts, tier.chunks, chunk)
        questions = _share(tier.questions, tier.chunks, chunk)
        moments = sorted(self._moment(chunk) for _ in range(share))
        question_slots = set(rng.sample(range(share), min(questions, share)))
        mean_comments = (tier.comments - tier.answers) / max(1, tier.posts - tier.questions)
        mean_answers = tier.answers / max(1, tier.questions) / (1 - UNANSWERED_SHARE)
        mean_post_reactions = tier.reactions * 0.7 / max(1, tier.posts)
        mean_comment_reactions = tier.reactions * 0.3 / max(1, tier.comments)
        mean_reads = tier.reads / max(1, tier.posts)
        out: dict[str, list] = {name: [] for name in self.writers}
        documents: list[Document] = []
        accepted_answers: set[int] = set()
        for slot, moment in enumerate(moments):
            post_id = self.ids_next("post")
            is_question = slot in question_slots
            space, author = self._place(is_question)
            person = self.people[author]
            language = (
                person.language
                if rng.random() < 0.85
                else ("en" if person.language == "nl" else "nl")
            )
            kind = "question" if is_question else self._kind(space)
            extra = ""
            mentioned = None
            # A profile post is read by the author's organisation.
            audience = space.members if space is not None else self.org_members[person.org]
            if not is_question and rng.random() < MENTION_SHARE and audience:
                mentioned = rng.choice(audience)
                extra = f"@{self.people[mentioned].handle}"
            rare = self._rare_share(space, is_question)
            if rare:
                extra = f"{RARE_TERM} {extra}".strip()
            body, body_stems = self.pool.body(rng, language, extra=extra)
            title, title_stems = "", ""
            if is_question:
                sentence = self.pool.question(rng, language)
                title, title_stems = sentence.text, sentence.stems
            anonymous = is_question and rng.random() < ANONYMOUS_SHARE
            author_id = None if anonymous else person.id
            organisation_id = (
                space.organisation_id if space is not None else self.organisations[person.org].pk
            )
            space_id = space.id if space is not None else None
            # Replies: comments, or answers to a question.
            if is_question:
                count = (
                    0
                    if rng.random() < UNANSWERED_SHARE
                    else max(1, round(rng.expovariate(1 / mean_answers)))
                )
            else:
                count = int(rng.expovariate(1 / mean_comments) + 0.5) if mean_comments else 0
            last = moment
            comment_ids = []
            repliers = audience
            for _ in range(count):
                reply_at = min(moment + timedelta(hours=rng.expovariate(1 / 20)), self.now)
                replier = (
                    space.author(rng, self.people) if space is not None else rng.choice(repliers)
                )
                comment_id = self.ids_next("comment")
                reply_language = self.people[replier].language
                reply, reply_stems = self.pool.body(rng, reply_language)
                reactions = self._reactions(
                    out,
                    repliers,
                    mean_comment_reactions,
                    reply_at,
                    comment_id=comment_id,
                    post_id=None,
                )
                out["comment"].append(
                    (
                        comment_id,
                        post_id,
                        self.people[replier].id,
                        reply,
                        f"<p>{reply}</p>",
                        reply_at,
                        reactions,
                    )
                )
                documents.append(
                    Document(
                        "comment",
                        comment_id,
                        space_id,
                        post_id,
                        comment_id,
                        organisation_id,
                        self.people[replier].id,
                        reply_at,
                        "",
                        reply,
                        "",
                        reply_stems,
                    )
                )
                self._activity(
                    out,
                    replier,
                    "answer" if is_question else "comment",
                    space,
                    post_id,
                    comment_id,
                    person,
                    reply_at,
                )
                comment_ids.append(comment_id)
                last = max(last, reply_at)
            reactions = self._reactions(
                out, repliers, mean_post_reactions, moment, post_id=post_id, comment_id=None
            )
            body_html = f"<p>{body}</p>"
            out["post"].append(
                (
                    post_id,
                    kind,
                    space_id,
                    organisation_id,
                    author_id,
                    title,
                    body,
                    body_html,
                    language,
                    moment,
                    last,
                    count,
                    reactions,
                )
            )
            boost = 0.0
            if is_question:
                accepted = (
                    rng.choice(comment_ids)
                    if comment_ids and rng.random() < ACCEPTED_SHARE / (1 - UNANSWERED_SHARE)
                    else None
                )
                boost = KNOWLEDGE_BOOST if accepted else 0.0
                out["question"].append(
                    (
                        post_id,
                        space_id,
                        moment,
                        anonymous,
                        accepted,
                        last if accepted else None,
                        count,
                        last if count else None,
                    )
                )
                if anonymous:
                    out["asker"].append((post_id, person.id))
                if accepted:
                    accepted_answers.add(accepted)
            if mentioned is not None:
                out["mention"].append((post_id, self.people[mentioned].id, moment))
            documents.append(
                Document(
                    "post",
                    post_id,
                    space_id,
                    post_id,
                    None,
                    organisation_id,
                    author_id,
                    moment,
                    title,
                    body,
                    title_stems,
                    body_stems,
                    boost,
                )
            )
            verb = {"question": "ask", "work_out_loud": "work_out_loud"}.get(kind, "post")
            if not anonymous:
                self._activity(out, author, verb, space, post_id, None, person, moment)
            for reader in rng.sample(
                repliers, min(len(repliers), int(rng.expovariate(1 / mean_reads) + 0.5))
            ):
                day = min(moment + timedelta(days=rng.randrange(4)), self.now).date()
                out["view"].append(
                    (self.people[reader].id, "open_post", post_id, f"post:{post_id}", day, 1)
                )
            if space is not None:
                space.last_activity_at = max(space.last_activity_at or last, last)
        # Documents in time order, so that "newest" in search follows creation.
        documents.sort(key=lambda document: document.created_at)
        for d in documents:
            # Accepted answers rank first, as ``brug.questions.apps.boost_accepted`` has it.
            accepted = d.kind == "comment" and d.object_id in accepted_answers
            boost = KNOWLEDGE_BOOST if accepted else d.boost
            out["document"].append(
                (
                    self.ids_next("document"),
                    d.kind,
                    d.object_id,
                    d.space_id,
                    d.post_id,
                    d.comment_id,
                    d.organisation_id,
                    d.author_id,
                    d.created_at,
                    self.now,
                    boost,
                    d.title,
                    d.text,
                    d.title_stems,
                    d.stems,
                )
            )
        for name, rows in out.items():
            if rows:
                self.counts[name] += self.writers[name].write(rows)
        if connection.vendor == "postgresql" and documents:
            self._documents()

    def _rare_share(self, space: SpaceRow | None, is_question: bool) -> bool:
        """Whether this post carries ``RARE_TERM`` (a quota per chunk, carried over)."""
        if space is None or is_question:
            return False
        for side, spaces in (("visible", self.rare_visible), ("hidden", self.rare_hidden)):
            if self.rare_left[side] and space.id in spaces:
                self.rare_left[side] -= 1
                return True
        return False

    def ids_next(self, name: str) -> int:
        value = self.ids[name]
        self.ids[name] = value + 1
        return value

    def _place(self, is_question: bool) -> tuple[SpaceRow | None, int]:
        rng = self.rng
        if is_question:
            position = bisect.bisect_left(
                self.question_weights, rng.random() * self.question_weights[-1]
            )
            space = self.question_spaces[min(position, len(self.question_spaces) - 1)]
            return space, space.author(rng, self.people)
        if rng.random() < PROFILE_POST_SHARE:
            return None, rng.choice(self.heavy_writers)
        position = bisect.bisect_left(self.post_weights, rng.random() * self.post_weights[-1])
        space = self.post_spaces[min(position, len(self.post_spaces) - 1)]
        if space.kind == "announcement":
            return space, rng.choice(space.owners)
        return space, space.author(rng, self.people)

    def _kind(self, space: SpaceRow | None) -> str:
        if space is None:
            return "work_out_loud"
        if space.kind == "announcement":
            return "news"
        return "work_out_loud" if self.rng.random() < 0.1 else "update"

    def _reactions(self, out, audience, mean, moment, *, post_id, comment_id) -> int:
        rng = self.rng
        count = min(len(audience), int(rng.expovariate(1 / mean) + 0.5)) if mean else 0
        if not count:
            return 0
        for person in rng.sample(audience, count):
            kind = rng.choices(REACTION_KINDS, REACTION_WEIGHTS)[0]
            at = min(moment + timedelta(hours=rng.expovariate(1 / 6)), self.now)
            out["reaction"].append((post_id, comment_id, self.people[person].id, kind, at))
            out["activity"].append(
                (
                    self.people[person].id,
                    "react",
                    "contribute",
                    self.people[person].team_id,
                    self.organisations[self.people[person].org].pk,
                    None,
                    None,
                    post_id,
                    comment_id,
                    at,
                )
            )
        return count

    def _activity(self, out, actor, verb, space, post_id, comment_id, owner, at) -> None:
        person = self.people[actor]
        ladder = "create" if verb in ("post", "ask", "work_out_loud") else "contribute"
        out["activity"].append(
            (
                person.id,
                verb,
                ladder,
                person.team_id,
                self.organisations[person.org].pk,
                owner.team_id,
                space.id if space is not None else None,
                post_id,
                comment_id,
                at,
            )
        )

    STAGING = "bulk_staging_documents"

    def _staging(self, model) -> str:
        """PostgreSQL: a temporary table like ``model``'s, without its indexes (else "")."""
        if connection.vendor != "postgresql":
            return ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.STAGING}"
                f" (LIKE {model._meta.db_table} INCLUDING DEFAULTS)"
            )
            cursor.execute(f"TRUNCATE {self.STAGING}")
        return self.STAGING

    def _documents(self) -> None:
        """PostgreSQL: move the staged documents into the table, with their vectors.

        The text is ASCII (``content``), so lower-casing and keeping letters and
        digits gives exactly ``brug.search.text.normalized``.
        """
        words = "regexp_replace(lower({}), '[^a-z0-9]+', ' ', 'g')"
        title, body = words.format("title"), words.format("text")
        columns = ", ".join(connection.ops.quote_name(c) for c in self.writers["document"].names)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO search_searchdocument ({columns}, search_vector)"  # noqa: S608
                f" SELECT {columns},"
                f" setweight(to_tsvector('dutch'::regconfig, {title}), 'A')"
                f" || setweight(to_tsvector('english'::regconfig, {title}), 'A')"
                f" || setweight(to_tsvector('dutch'::regconfig, {body}), 'B')"
                f" || setweight(to_tsvector('english'::regconfig, {body}), 'B')"
                f" FROM {self.STAGING} ORDER BY id"
            )
            cursor.execute(f"TRUNCATE {self.STAGING}")

    # Finishing ------------------------------------------------------------------

    def _finish(self) -> None:
        from brug.analytics.models import Activity, ObjectView
        from brug.people.models import Team, User
        from brug.posts.models import Comment, Mention, Post, Reaction
        from brug.search.backends import get_backend
        from brug.search.indexing import reindex
        from brug.search.models import SearchDocument
        from brug.spaces.models import Membership, Space

        with transaction.atomic():
            for space in self.spaces:
                if space.last_activity_at is not None:
                    Space.objects.filter(pk=space.id).update(
                        last_activity_at=space.last_activity_at
                    )
            writer.reset_sequences(
                [
                    User,
                    Team,
                    Space,
                    Membership,
                    Post,
                    Comment,
                    Reaction,
                    Mention,
                    Activity,
                    ObjectView,
                    SearchDocument,
                ]
            )
        reindex(kinds=["person", "space"])
        get_backend().optimize()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Statistics and visibility maps for every table now, rather than
            # autovacuum working through millions of new rows during a benchmark.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        self.progress("search", 1)

    def summary(self) -> dict:
        return {
            "people": len(self.people),
            "spaces": len(self.spaces),
            "posts": self.counts["post"],
            "questions": self.counts["question"],
            "comments": self.counts["comment"],
            "reactions": self.counts["reaction"],
            "reads": self.counts["view"],
            "activities": self.counts["activity"],
            "documents": self.counts["document"],
        }


def _accumulate(values) -> list[float]:
    total, out = 0.0, []
    for value in values:
        total += value
        out.append(total)
    return out


def _share(total: int, parts: int, index: int) -> int:
    """The ``index``-th of ``parts`` near-equal shares of ``total``."""
    return total * (index + 1) // parts - total * index // parts


def load_tier(
    tier: Tier, *, seed: int = 1, progress: Callable[[str, int], None] | None = None
) -> dict:
    """Load ``tier`` into an empty installation; return what was written."""
    return Loader(tier, seed=seed, progress=progress or (lambda step, done: None)).load()
