"""The spaces of the demo network (``brug demo``, small tier), after the people.

About thirty spaces across the three demo organisations: an organisation-wide
announcement space, the "Durf te vragen" spaces, team spaces made from the
team tree, cross-team communities (information security, onboarding buddies,
hybrid working, data & AI, wound care …), private and secret spaces, a space
shared with the home-care partner that holds the guest, and one shared with
the ICT supplier. Memberships are Zipf-like: a few big spaces, many small
ones, and people join the communities that match their work more often.
Some requests to join and invitations are left pending, so moderators and
the demo member have something to act on. Everything goes through
``brug.spaces.actions`` and is drawn from ``rng`` only.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from brug.people.enums import Role
from brug.people.models import Organisation, Team, User
from brug.spaces import actions
from brug.spaces.enums import SpaceKind, SpaceRole, Visibility
from brug.spaces.models import Membership, Space

CARE_GROUP = "Zorggroep De Linde"
PARTNER = "Thuiszorg Partners"
SUPPLIER = "Nexa IT"

COMMUNITY_MANAGER = "femke.bakker@delinde.example"
MEMBER = "sanne.dewit@delinde.example"
ANALYST = "mark.jansen@delinde.example"
GUEST = "emma.clarke@partner.example"
ADMIN = "admin@brug.example"

ANNOUNCEMENTS = "Mededelingen De Linde"

# Teams of the care group that get a team space (the department "Wijkzorg" too).
TEAM_SPACES = [
    "Wijkzorg",
    "Wijkteam Noord",
    "Wijkteam Zuid",
    "Afdeling Kastanje",
    "HR",
    "ICT & Informatievoorziening",
]


@dataclass
class Community:
    """A cross-team space: who owns it, who it attracts, how big it grows."""

    name: str
    description: str
    keywords: tuple[str, ...]  # people whose function or expertise matches join more often
    visibility: str = Visibility.OPEN
    kind: str = SpaceKind.COMMUNITY
    cover: tuple[int, int, int] | None = None
    teams: tuple[str, ...] = ()  # teams whose people join more often
    extra: dict = field(default_factory=dict)


# In order of size: the first grows biggest (Zipf-like).
COMMUNITIES = [
    Community(
        "Onboarding buddies",
        "Nieuw bij De Linde? Hier vind je een buddy en antwoorden op je eerste vragen. "
        "— New here? Find a buddy and answers to your first questions.",
        ("onboarding", "werving", "zij-instromers", "teamleider", "HR"),
        cover=(94, 160, 140),
        teams=("HR",),
    ),
    Community(
        "Hybride werken",
        "Thuis, op kantoor of onderweg: tips, afspraken en ervaringen met hybride werken. "
        "— Tips and agreements for working from home, the office and on the road.",
        ("Microsoft 365", "planning", "roosters", "beleid"),
        teams=("Financiën", "HR", "ICT & Informatievoorziening", "Kwaliteit & Veiligheid"),
    ),
    Community(
        "Wondzorg",
        "Lastige wonden, nieuwe verbandmiddelen en foto's van de voortgang (zonder "
        "herleidbare gegevens). — Wound care: difficult wounds, dressings, progress.",
        ("wondzorg", "decubitus", "diabetische voet", "compressietherapie", "wondconsulent"),
        cover=(170, 90, 90),
        teams=("Wijkteam Noord", "Wijkteam Zuid", "Wijkteam Oost"),
    ),
    Community(
        "Informatiebeveiliging",
        "Phishing gezien? Twijfel over een bijlage? Vraag het hier, en lees wat er speelt "
        "rond NEN 7510. — Information security: phishing, NEN 7510, safe sharing.",
        ("informatiebeveiliging", "NEN 7510", "AVG", "phishing", "privacy"),
        cover=(40, 70, 120),
        teams=("ICT & Informatievoorziening", "Kwaliteit & Veiligheid"),
    ),
    Community(
        "Dementie netwerk",
        "Casemanagers, verzorgenden en verpleegkundigen delen wat werkt bij onbegrepen "
        "gedrag. — What works with dementia and challenging behaviour.",
        ("dementie", "onbegrepen gedrag", "casemanagement", "mantelzorg"),
        teams=("Afdeling Kastanje", "Afdeling Eik", "Wijkteam Zuid"),
    ),
    Community(
        "Data & AI",
        "Dashboards, Power BI, Python and what AI can (and cannot) do for care. "
        "Posts in English welcome. — Dashboards, data en AI in de zorg.",
        ("Power BI", "SQL", "Python", "dashboards", "datakwaliteit", "data"),
        cover=(90, 70, 150),
        teams=("ICT & Informatievoorziening", "Financiën"),
    ),
    Community(
        "Nedap Ons gebruikers",
        "Handige trucs in het ECD, vragen over rapporteren en wat er verandert bij een "
        "update. — Tips and questions about our client record system.",
        ("Nedap Ons", "ECD", "autorisaties", "functioneel beheerder"),
        teams=("ICT & Informatievoorziening",),
    ),
    Community(
        "Palliatieve zorg",
        "Samen leren over zorg in de laatste levensfase. — Learning together about "
        "palliative and end-of-life care.",
        ("palliatieve zorg", "advance care planning", "levensvragen"),
    ),
    Community(
        "Valpreventie",
        "Minder valincidenten: wat werkt op de afdelingen en in de wijk? — Fall prevention.",
        ("valpreventie", "bewegen", "kwaliteitsadviseur", "incidentmeldingen"),
    ),
    Community(
        "Duurzaam inzetbaar",
        "Gezond en met plezier blijven werken: verzuim, roosters, energie. — Staying "
        "healthy at work.",
        ("duurzame inzetbaarheid", "verzuim", "re-integratie", "teamcoach"),
        teams=("HR",),
    ),
    Community(
        "English corner",
        "For colleagues who speak English at work, and everyone who wants to practise. "
        "— Voor wie Engels spreekt of wil oefenen.",
        ("Engels",),
    ),
    Community(
        "Hardloopclub De Linde",
        "Samen rennen op dinsdagavond in het bos bij Zeist. — Running together on "
        "Tuesday evenings.",
        (),
    ),
]

PRIVATE_SPACES = [
    (
        "Teamleiders overleg",
        "Voor teamleiders en managers: roosters, verzuim en lastige gesprekken. — For team "
        "leaders and managers.",
        ("teamleider", "manager", "teamcoach"),
    ),
    (
        "OR-achterban",
        "De ondernemingsraad en zijn achterban overleggen hier. — The works council and "
        "the colleagues it consults.",
        ("beleidsadviseur", "verzorgende IG", "wijkverpleegkundige"),
    ),
]

SECRET_SPACE = (
    "Reorganisatie Bedrijfsvoering 2027",
    "Vertrouwelijk: voorbereiding van de nieuwe indeling van Bedrijfsvoering. "
    "— Confidential: preparing the reorganisation of Business Operations.",
)

PARTNER_SPACE = (
    "Samenwerking Wijkzorg Noord",
    "Wijkteam Noord van De Linde en van Thuiszorg Partners stemmen hier overdrachten, "
    "roosters en scholing af, met Emma als adviseur digitale zorg. — Joint space of both "
    "Noord district teams and our external digital-care adviser.",
)

SUPPLIER_SPACE = (
    "ICT-samenwerking met Nexa IT",
    "Storingen, wijzigingen en de roadmap, samen met de servicedesk van Nexa IT. "
    "— Incidents, changes and the roadmap with our ICT supplier.",
)


def _cover(rng: random.Random, colour: tuple[int, int, int], name: str) -> SimpleUploadedFile:
    """A quiet banner: a colour gradient with a few soft diagonal bands."""
    from PIL import Image, ImageDraw

    width, height = 960, 240
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    for x in range(width):
        shade = int(40 * x / width)
        draw.line(
            [(x, 0), (x, height)],
            fill=tuple(min(255, c + shade) for c in colour),
        )
    for _ in range(4):
        start = rng.randint(-200, width)
        lighter = tuple(min(255, c + 30) for c in colour)
        draw.polygon(
            [(start, height), (start + 120, 0), (start + 180, 0), (start + 60, height)],
            fill=lighter,
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(f"{name}.png", out.getvalue(), content_type="image/png")


def _weighted_sample(rng: random.Random, people: list[User], weights: list[float], k: int):
    """Draw k distinct people, each draw proportional to the remaining weights."""
    pool = list(zip(people, weights, strict=True))
    chosen = []
    while pool and len(chosen) < k:
        total = sum(weight for _person, weight in pool)
        point = rng.uniform(0, total)
        for index, (person, weight) in enumerate(pool):
            point -= weight
            if point <= 0:
                chosen.append(person)
                del pool[index]
                break
        else:
            chosen.append(pool.pop()[0])
    return chosen


def _matches(person: User, expertise: dict[int, set[str]], keywords: tuple[str, ...]) -> bool:
    text = " ".join([person.function.lower(), *expertise.get(person.pk, ())])
    return any(keyword.lower() in text for keyword in keywords)


def _zipf_size(rank: int, population: int, *, top: float = 0.55, minimum: int = 4) -> int:
    """A space size that falls off like 1/rank^0.9 from ``top`` of the population."""
    return max(minimum, min(population, round(population * top / (rank**0.9))))


def _leaders(people: list[User]) -> list[User]:
    return [p for p in people if p.function.startswith(("teamleider", "manager", "teamcoach"))]


def load(*, rng: random.Random, out) -> None:
    """Load the demo spaces and memberships (once; a second run does nothing)."""
    if Space.objects.filter(name=ANNOUNCEMENTS).exists():
        out.write("The demo spaces are loaded already.")
        return
    by_email = {p.email: p for p in User.objects.filter(is_active=True).select_related("team")}
    manager = by_email[COMMUNITY_MANAGER]
    admin = by_email[ADMIN]
    sanne, mark, emma = by_email[MEMBER], by_email[ANALYST], by_email[GUEST]
    organisations = {o.name: o for o in Organisation.objects.all()}
    care = organisations[CARE_GROUP]
    expertise: dict[int, set[str]] = {}
    for person_id, name in User.expertise.through.objects.values_list("user_id", "expertise__name"):
        expertise.setdefault(person_id, set()).add(name.lower())

    def staff(organisation_name: str) -> list[User]:
        return sorted(
            (
                p
                for p in by_email.values()
                if p.organisation_id == organisations[organisation_name].pk
                and p.role != Role.GUEST
                and p.role != Role.ADMIN
            ),
            key=lambda p: p.email,
        )

    care_people = staff(CARE_GROUP)
    created: list[Space] = []
    memberships = 0

    def fill(space: Space, people: list[User], *, by: User, direct: bool = False) -> None:
        nonlocal memberships
        for person in people:
            if Membership.objects.filter(space=space, person=person).exists():
                continue
            if direct or space.visibility != Visibility.OPEN:
                actions.add_member(by=by, space=space, person=person)
            else:
                actions.join_space(person=person, space=space)
            memberships += 1

    # The organisation-wide announcement space: everyone of the care group.
    announcements = actions.create_space(
        creator=manager,
        name=ANNOUNCEMENTS,
        description=(
            "Nieuws van de bestuurder, het MT en de afdelingen. Alleen redactie en "
            "moderatoren plaatsen; iedereen reageert. — Organisation-wide announcements."
        ),
        kind=SpaceKind.ANNOUNCEMENT,
        cover=_cover(rng, (30, 110, 150), "mededelingen"),
    )
    fill(announcements, care_people, by=manager)
    created.append(announcements)

    # "Durf te vragen" of each organisation; about two thirds join it.
    for name in (CARE_GROUP, PARTNER, SUPPLIER):
        questions = actions.ensure_questions_space(organisation=organisations[name])
        people = staff(name)
        fill(questions, rng.sample(people, k=round(len(people) * 0.66)), by=admin)
        created.append(questions)

    # Team spaces from the team tree; the team's leader co-owns it.
    for team_name in TEAM_SPACES:
        team = Team.objects.get(organisation=care, name=team_name)
        space = actions.create_team_space(by=manager, team=team)
        members = Membership.objects.filter(space=space).select_related("person")
        leaders = _leaders([m.person for m in members])
        if leaders:
            actions.change_role(by=manager, space=space, person=leaders[0], role=SpaceRole.OWNER)
        memberships += space.member_count
        created.append(space)

    # Cross-team communities, Zipf-like in size, drawn towards the people they fit.
    for rank, community in enumerate(COMMUNITIES, start=1):
        fits = [
            p
            for p in care_people
            if _matches(p, expertise, community.keywords)
            or (p.team and p.team.name in community.teams)
        ]
        owner = rng.choice(fits) if fits else rng.choice(care_people)
        space = actions.create_space(
            creator=owner,
            name=community.name,
            description=community.description,
            visibility=community.visibility,
            kind=community.kind,
            cover=_cover(rng, community.cover, community.name) if community.cover else None,
        )
        size = _zipf_size(rank, len(care_people))
        weights = [6.0 if p in fits else (0.2 if community.keywords else 1.0) for p in care_people]
        if community.name == "English corner":
            weights = [
                6.0 if any(p.name.startswith(f) for f in ("Emma", "Oliver", "James")) else 1.0
                for p in care_people
            ]
        fill(space, _weighted_sample(rng, care_people, weights, size - 1), by=owner)
        moderator = next(
            (
                m.person
                for m in Membership.objects.filter(space=space, role=SpaceRole.MEMBER)
                .select_related("person")
                .order_by("person__email")[:1]
            ),
            None,
        )
        if moderator is not None:
            actions.change_role(by=owner, space=space, person=moderator, role=SpaceRole.MODERATOR)
        created.append(space)

    # The demo member's own corner: she is in the wound-care and palliative spaces,
    # and has one invitation waiting.
    by_name = {space.name: space for space in created}
    for name in ("Wondzorg", "Palliatieve zorg", "Nedap Ons gebruikers"):
        fill(by_name[name], [sanne], by=sanne)
    fill(by_name["Data & AI"], [mark], by=mark)
    actions.mute_space(person=mark, space=announcements)
    inviter = Membership.objects.filter(
        space=by_name["Dementie netwerk"], role=SpaceRole.OWNER
    ).first()
    if (
        inviter
        and not Membership.objects.filter(space=by_name["Dementie netwerk"], person=sanne).exists()
    ):
        actions.invite_to_space(by=inviter.person, space=by_name["Dementie netwerk"], person=sanne)

    # Private spaces: members added by their owner; a few requests wait.
    private: dict[str, Space] = {}
    for name, description, keywords in PRIVATE_SPACES:
        fits = [p for p in care_people if _matches(p, expertise, keywords)]
        owner = fits[0] if fits else manager
        space = actions.create_space(
            creator=owner, name=name, description=description, visibility=Visibility.PRIVATE
        )
        fill(space, rng.sample(fits[1:], k=min(len(fits) - 1, 14)), by=owner)
        private[name] = space
        created.append(space)
    leaders_space = private["Teamleiders overleg"]
    outsiders = [
        p
        for p in care_people
        if p != mark and not Membership.objects.filter(space=leaders_space, person=p).exists()
    ]
    for person in rng.sample(outsiders, k=min(2, len(outsiders))):
        actions.request_to_join(
            person=person,
            space=leaders_space,
            message="Ik word binnenkort teamleider en wil graag meelezen.",
        )
    works_council = private["OR-achterban"]
    if not Membership.objects.filter(space=works_council, person=mark).exists():
        actions.request_to_join(
            person=mark,
            space=works_council,
            message="Mag ik meelezen? I would like to follow the discussions.",
        )

    # A secret space: the HR and business-operations managers only.
    secret = actions.create_space(
        creator=manager,
        name=SECRET_SPACE[0],
        description=SECRET_SPACE[1],
        visibility=Visibility.SECRET,
    )
    insiders = [
        p
        for p in care_people
        if p.team
        and p.team.name in {"HR", "Financiën", "ICT & Informatievoorziening"}
        and p.function.startswith(("teamleider", "manager"))
    ]
    fill(secret, insiders[:5], by=manager)
    created.append(secret)

    def let_in(space: Space, people: list[User], *, by: User) -> None:
        """People of a sharing organisation ask to join, and the owner lets them in."""
        nonlocal memberships
        for person in people:
            join_request = actions.request_to_join(person=person, space=space)
            actions.approve_request(by=by, join_request=join_request)
            memberships += 1

    # Shared with the home-care partner, with the external guest in it.
    partner_space = actions.create_space(
        creator=admin,
        name=PARTNER_SPACE[0],
        description=PARTNER_SPACE[1],
        visibility=Visibility.PRIVATE,
        shared_with=[organisations[PARTNER]],
        cover=_cover(rng, (200, 130, 60), "samenwerking"),
    )
    actions.add_member(by=admin, space=partner_space, person=sanne, role=SpaceRole.OWNER)
    actions.leave_space(person=admin, space=partner_space)
    noord = sorted(
        (p for p in by_email.values() if p.team and p.team.name == "Wijkteam Noord"),
        key=lambda p: p.email,
    )
    fill(partner_space, [p for p in noord if p.organisation_id == care.pk], by=sanne)
    let_in(partner_space, [p for p in noord if p.organisation_id != care.pk], by=sanne)
    fill(partner_space, [emma], by=sanne, direct=True)
    created.append(partner_space)

    # Shared with the ICT supplier.
    supplier_space = actions.create_space(
        creator=admin,
        name=SUPPLIER_SPACE[0],
        description=SUPPLIER_SPACE[1],
        visibility=Visibility.PRIVATE,
        shared_with=[organisations[SUPPLIER]],
    )
    ict = [p for p in care_people if p.team and p.team.name == "ICT & Informatievoorziening"]
    fill(supplier_space, ict, by=admin, direct=True)
    let_in(supplier_space, staff(SUPPLIER), by=admin)
    created.append(supplier_space)

    # The partner and the supplier have their own announcement spaces.
    for name in (PARTNER, SUPPLIER):
        people = staff(name)
        leader = (_leaders(people) or people)[0]
        space = actions.create_space(
            creator=leader,
            name=f"Mededelingen {name}",
            description=f"Nieuws voor iedereen bij {name}. — News for everyone at {name}.",
            kind=SpaceKind.ANNOUNCEMENT,
        )
        fill(space, people, by=leader)
        created.append(space)

    out.write(f"  {len(created)} spaces, {memberships} memberships.")
