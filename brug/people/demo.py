"""The people of the demo network (``brug demo``, small tier).

Three organisations: the care group "Zorggroep De Linde" (the installation's
default organisation, renamed), its home-care partner "Thuiszorg Partners" and
its ICT supplier "Nexa IT"; 17 teams in a tree (department > team); about 120
people with Dutch and English names, real functions, locations, languages and
expertise; some profiles left incomplete on purpose, some leaders and
ambassadors. Everything is written through ``brug.people.actions`` and made
from ``rng`` only, so the same seed gives the same network.

Passwords: argon2 is slow by design (tens of milliseconds a hash), so hashing
120 passwords would cost several seconds. People are created without a
password, then ONE hash of the demo password is computed and copied onto
every demo person's row. The demo password is public anyway.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile

from brug.core import demo as core_demo
from brug.people import actions
from brug.people.enums import Highlight, Role
from brug.people.models import Organisation, Team, User

CARE_GROUP = "Zorggroep De Linde"
PARTNER = "Thuiszorg Partners"
SUPPLIER = "Nexa IT"

# (department or None, team, functions with weights) per organisation.
TEAMS: dict[str, list[tuple[str | None, str, list[str]]]] = {
    CARE_GROUP: [
        ("Wijkzorg", "Wijkteam Noord", ["wijkverpleegkundige", "verzorgende IG", "helpende"]),
        (
            "Wijkzorg",
            "Wijkteam Zuid",
            ["wijkverpleegkundige", "verzorgende IG", "casemanager dementie"],
        ),
        ("Wijkzorg", "Wijkteam Oost", ["wijkverpleegkundige", "verzorgende IG", "wondconsulent"]),
        (
            "Verpleeghuis De Linde",
            "Afdeling Kastanje",
            ["verzorgende IG", "activiteitenbegeleider", "verpleegkundige"],
        ),
        (
            "Verpleeghuis De Linde",
            "Afdeling Eik",
            ["verzorgende IG", "verpleegkundige", "specialist ouderengeneeskunde"],
        ),
        ("Bedrijfsvoering", "HR", ["HR-adviseur", "recruiter", "verzuimconsulent"]),
        (
            "Bedrijfsvoering",
            "ICT & Informatievoorziening",
            ["functioneel beheerder ECD", "data analyst", "informatiebeveiliger"],
        ),
        ("Bedrijfsvoering", "Financiën", ["controller", "financieel adviseur", "data analyst"]),
        (
            "Bedrijfsvoering",
            "Kwaliteit & Veiligheid",
            ["kwaliteitsadviseur", "privacy officer", "beleidsadviseur"],
        ),
    ],
    PARTNER: [
        ("Thuiszorg", "Wijkteam Noord", ["wijkverpleegkundige", "verzorgende IG", "teamcoach"]),
        ("Thuiszorg", "Planning", ["planner", "roostermaker"]),
    ],
    SUPPLIER: [
        (None, "Servicedesk", ["servicedeskmedewerker", "ICT-consultant"]),
        (
            None,
            "Applicatiebeheer",
            ["applicatiebeheerder", "integratiespecialist", "data engineer"],
        ),
    ],
}
HEADCOUNT = {CARE_GROUP: 84, PARTNER: 24, SUPPLIER: 10}
DOMAINS = {
    CARE_GROUP: "delinde.example",
    PARTNER: "thuiszorgpartners.example",
    SUPPLIER: "nexa-it.example",
}

EXPERTISE: dict[str, list[str]] = {
    "wijkverpleegkundige": [
        "wondzorg",
        "diabetes",
        "palliatieve zorg",
        "indiceren",
        "dementie",
        "medicatieveiligheid",
        "Nedap Ons",
        "stomazorg",
    ],
    "verzorgende IG": [
        "persoonlijke verzorging",
        "dementie",
        "valpreventie",
        "medicatie",
        "mondzorg",
        "levensvragen",
    ],
    "helpende": ["persoonlijke verzorging", "huishoudelijke hulp", "valpreventie"],
    "casemanager dementie": [
        "dementie",
        "mantelzorg",
        "casemanagement",
        "netwerkzorg",
        "onbegrepen gedrag",
    ],
    "wondconsulent": ["wondzorg", "decubitus", "diabetische voet", "compressietherapie"],
    "activiteitenbegeleider": ["dagbesteding", "muziek", "bewegen", "dementie", "levensverhalen"],
    "verpleegkundige": [
        "medicatieveiligheid",
        "palliatieve zorg",
        "infectiepreventie",
        "delier",
        "sondevoeding",
    ],
    "specialist ouderengeneeskunde": [
        "polyfarmacie",
        "delier",
        "palliatieve zorg",
        "advance care planning",
    ],
    "teamcoach": ["zelforganisatie", "teamontwikkeling", "roosters", "verzuim"],
    "HR-adviseur": [
        "verzuim",
        "arbeidsrecht",
        "CAO VVT",
        "duurzame inzetbaarheid",
        "onboarding",
        "functiehuis",
    ],
    "recruiter": [
        "werving",
        "arbeidsmarktcommunicatie",
        "LinkedIn",
        "zij-instromers",
        "onboarding",
    ],
    "verzuimconsulent": [
        "verzuim",
        "Wet verbetering poortwachter",
        "re-integratie",
        "duurzame inzetbaarheid",
    ],
    "functioneel beheerder ECD": [
        "Nedap Ons",
        "ECD",
        "autorisaties",
        "procesoptimalisatie",
        "testen",
    ],
    "data analyst": ["Power BI", "SQL", "Python", "dashboards", "datakwaliteit", "Excel"],
    "informatiebeveiliger": [
        "informatiebeveiliging",
        "NEN 7510",
        "phishing",
        "AVG",
        "risicoanalyse",
    ],
    "controller": ["begroting", "Wlz", "productieverantwoording", "Power BI"],
    "financieel adviseur": ["Wlz", "Zvw", "declaraties", "Excel", "begroting"],
    "kwaliteitsadviseur": ["kwaliteitskader", "HKZ", "incidentmeldingen", "PDCA", "audits"],
    "privacy officer": ["AVG", "privacy", "verwerkersovereenkomsten", "datalekken", "NEN 7510"],
    "beleidsadviseur": ["beleid", "zorginkoop", "subsidies", "projectleiding"],
    "planner": ["roosters", "planning", "ORTEC", "capaciteitsplanning"],
    "roostermaker": ["roosters", "CAO VVT", "planning"],
    "servicedeskmedewerker": ["Microsoft 365", "Intune", "wachtwoorden", "telefonie"],
    "ICT-consultant": ["Microsoft 365", "Azure", "netwerken", "informatiebeveiliging"],
    "applicatiebeheerder": ["Nedap Ons", "applicatiebeheer", "koppelingen", "testen"],
    "integratiespecialist": ["koppelingen", "HL7 FHIR", "API's", "Python"],
    "data engineer": ["Python", "SQL", "datawarehouse", "Azure"],
    "teamleider": ["roosters", "verzuim", "teamontwikkeling", "coachen", "zelforganisatie"],
    "manager": ["leiderschap", "verandermanagement", "zorginkoop", "strategie", "teamontwikkeling"],
}
ASK_ME_ABOUT = {
    "wondzorg": "Lastige wonden en welk verband je wanneer gebruikt",
    "Power BI": "Dashboards in Power BI, en hoe je cijfers uit het ECD haalt",
    "verzuim": "Verzuimgesprekken en de Wet verbetering poortwachter",
    "AVG": "Wat je wel en niet mag delen over cliënten",
    "dementie": "Omgaan met onbegrepen gedrag bij dementie",
    "roosters": "Roosters die kloppen met de CAO",
    "Nedap Ons": "Alles over Nedap Ons: rapporteren, plannen, autorisaties",
    "Microsoft 365": "Teams, OneDrive en gedeelde mailboxen",
}
BIOS = [
    "Al {years} jaar in de zorg, begonnen als {start}. Ik hou van puzzelen tot het werkt voor de cliënt.",
    "Ik werk {days} dagen per week bij {org}. Buiten het werk sta ik op het hockeyveld of in de moestuin.",
    "Nieuwsgierig naar hoe het beter kan. Stel me gerust een vraag, ook als die klein lijkt.",
    "I moved to the Netherlands {years} years ago and still practise my Dutch every day. Happy to help in English!",
    "Eerst {start}, nu {function}. Ik deel graag wat ik onderweg heb geleerd.",
    "Working between teams is what I like most: connecting people who did not know they needed each other.",
]
DUTCH_FIRST = [
    "Sanne",
    "Lotte",
    "Femke",
    "Anouk",
    "Ilse",
    "Marloes",
    "Eva",
    "Noor",
    "Sophie",
    "Lieke",
    "Esther",
    "Marieke",
    "Ingrid",
    "Annelies",
    "Fleur",
    "Joyce",
    "Karin",
    "Petra",
    "Yvonne",
    "Mirjam",
    "Daan",
    "Bram",
    "Joost",
    "Thijs",
    "Ruben",
    "Jeroen",
    "Martijn",
    "Sander",
    "Pieter",
    "Wouter",
    "Kees",
    "Henk",
    "Bas",
    "Niels",
    "Sem",
    "Stijn",
    "Koen",
    "Frank",
    "Erik",
    "Mark",
    "Fatima",
    "Yasmina",
    "Mohamed",
    "Hamza",
    "Aylin",
    "Emre",
    "Priya",
    "Zeynep",
]
DUTCH_LAST = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "Willems",
    "Hoekstra",
    "Koster",
    "Prins",
    "Kuipers",
    "Postma",
    "El Amrani",
    "Yilmaz",
    "Kaya",
    "Bouzid",
    "Ramdin",
]
ENGLISH_FIRST = [
    "Emma",
    "Oliver",
    "Charlotte",
    "James",
    "Amelia",
    "Harry",
    "Grace",
    "Thomas",
    "Chloe",
    "Daniel",
]
ENGLISH_LAST = [
    "Clarke",
    "Walker",
    "Hughes",
    "Wright",
    "Green",
    "Evans",
    "Turner",
    "Cooper",
    "Hill",
    "Ward",
]
LOCATIONS = {
    CARE_GROUP: [
        "Zeist",
        "Utrecht",
        "Amersfoort",
        "Houten",
        "Bilthoven",
        "Nieuwegein",
        "De Bilt",
        "Driebergen",
    ],
    PARTNER: ["Utrecht", "Maarssen", "Nieuwegein", "IJsselstein"],
    SUPPLIER: ["Amersfoort", "thuis", "Utrecht"],
}
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
PHOTO_COLOURS = [
    ((222, 236, 241), (72, 110, 130)),
    ((246, 226, 214), (150, 90, 60)),
    ((228, 240, 226), (70, 120, 80)),
    ((236, 230, 245), (100, 80, 140)),
    ((250, 238, 205), (160, 120, 40)),
    ((240, 224, 228), (140, 70, 90)),
]


@dataclass
class Seeded:
    """A person the demo logins point at: always present, always the same."""

    role_label: str
    name: str
    email: str
    organisation: str
    team: str
    function: str
    role: str = Role.MEMBER
    complete: bool = True
    highlight: str = ""
    expertise: list[str] = field(default_factory=list)


SEEDED = [
    Seeded(
        "Community manager",
        "Femke Bakker",
        "femke.bakker@delinde.example",
        CARE_GROUP,
        "Kwaliteit & Veiligheid",
        "communitymanager",
        role=Role.COMMUNITY_MANAGER,
        highlight=Highlight.AMBASSADOR,
        expertise=["kennisdeling", "communicatie", "werken in de openbaarheid", "community's"],
    ),
    Seeded(
        "Member (Wijkteam Noord)",
        "Sanne de Wit",
        "sanne.dewit@delinde.example",
        CARE_GROUP,
        "Wijkteam Noord",
        "wijkverpleegkundige",
        expertise=["wondzorg", "diabetes", "palliatieve zorg", "Nedap Ons"],
    ),
    Seeded(
        "Member (ICT, incomplete profile)",
        "Mark Jansen",
        "mark.jansen@delinde.example",
        CARE_GROUP,
        "ICT & Informatievoorziening",
        "data analyst",
        complete=False,
        expertise=["Power BI", "SQL"],
    ),
    Seeded(
        "Guest (external consultant)",
        "Emma Clarke",
        "emma.clarke@partner.example",
        CARE_GROUP,
        "",
        "adviseur digitale zorg (extern)",
        role=Role.GUEST,
        expertise=["digitale zorg", "implementatie", "change management"],
    ),
]


def demo_photo(rng: random.Random, name: str) -> SimpleUploadedFile:
    """Return a portrait-like placeholder (a head-and-shoulders silhouette) as a PNG upload."""
    from PIL import Image, ImageDraw

    background, figure = rng.choice(PHOTO_COLOURS)
    image = Image.new("RGB", (256, 256), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 170, 216, 330), fill=figure)  # shoulders
    draw.ellipse((83, 52, 173, 152), fill=figure)  # head
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(f"{name}.png", out.getvalue(), content_type="image/png")


def _pick_expertise(rng: random.Random, function: str, complete: bool) -> list[str]:
    pool = EXPERTISE.get(function, [])
    if not pool:
        return []
    count = rng.randint(3, min(6, len(pool))) if complete else rng.randint(0, 2)
    return rng.sample(pool, min(count, len(pool)))


def _profile(rng, *, person, function, organisation, complete, expertise=None) -> dict:
    """Return profile fields for a demo person (fewer of them when ``complete`` is False)."""
    expertise = expertise if expertise is not None else _pick_expertise(rng, function, complete)
    dutch = not any(person.name.startswith(first) for first in ENGLISH_FIRST)
    languages = ["nl", "en"] if dutch else ["en", "nl"]
    if rng.random() < 0.25:
        languages.append(rng.choice(["de", "fr", "ar", "tr", "pl", "es", "pt"]))
    if not dutch and rng.random() < 0.4:
        languages.remove("nl")
    fields = {
        "function": function,
        "location": rng.choice(LOCATIONS[organisation.name]),
        "expertise": expertise,
    }
    if not complete:
        return fields
    days = sorted(rng.sample(range(5), rng.randint(3, 5)))
    working_days = [WEEKDAYS[d] for d in days]
    if ("verzorgende" in function or "verpleeg" in function) and rng.random() < 0.5:
        working_days += ["sat", "sun"] if rng.random() < 0.5 else ["sat"]
    bio = rng.choice(BIOS).format(
        years=rng.randint(2, 28),
        start=rng.choice(["leerling-verpleegkundige", "helpende", "stagiair", "uitzendkracht"]),
        days=len(working_days),
        org=organisation.name,
        function=function,
    )
    ask = next((ASK_ME_ABOUT[e] for e in expertise if e in ASK_ME_ABOUT), "")
    fields.update(
        {
            "languages": languages,
            "working_days": working_days,
            "bio": bio,
            "ask_me_about": ask or (f"{expertise[0]} en {expertise[-1]}" if expertise else ""),
        }
    )
    return fields


def _names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names = []
    while len(names) < count:
        if rng.random() < 0.12:
            name = f"{rng.choice(ENGLISH_FIRST)} {rng.choice(ENGLISH_LAST)}"
        else:
            name = f"{rng.choice(DUTCH_FIRST)} {rng.choice(DUTCH_LAST)}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _email(name: str, domain: str, taken: set[str]) -> str:
    from brug.people.handles import slug_handle

    base = slug_handle(name)
    email, n = f"{base}@{domain}", 2
    while email in taken:
        email, n = f"{base}{n}@{domain}", n + 1
    taken.add(email)
    return email


def load(*, rng: random.Random, out) -> list[tuple[str, str, str]]:
    """Load the demo people; return the demo logins (role label, e-mail, password)."""
    from brug.core.management.commands.demo import ensure_demo_admin

    password = core_demo.DEMO_PASSWORD
    if Organisation.objects.filter(name=CARE_GROUP).exists():
        out.write("The demo people are loaded already.")
        return [(s.role_label, s.email, password) for s in SEEDED]
    ensure_demo_admin()
    admin = User.objects.get(email__iexact=core_demo.DEMO_ADMIN_EMAIL)

    organisations = {
        CARE_GROUP: actions.update_organisation(
            by=admin, organisation=Organisation.objects.get(is_default=True), name=CARE_GROUP
        ),
        PARTNER: actions.create_organisation(by=admin, name=PARTNER),
        SUPPLIER: actions.create_organisation(by=admin, name=SUPPLIER),
    }
    teams: dict[tuple[str, str], Team] = {}
    for org_name, rows in TEAMS.items():
        organisation = organisations[org_name]
        for department, team_name, _functions in rows:
            parent = None
            if department:
                parent = teams.get((org_name, department))
                if parent is None:
                    parent = actions.create_team(
                        by=admin, organisation=organisation, name=department
                    )
                    teams[(org_name, department)] = parent
            teams[(org_name, team_name)] = actions.create_team(
                by=admin, organisation=organisation, name=team_name, parent=parent
            )
    admin_team = teams[(CARE_GROUP, "ICT & Informatievoorziening")]
    actions.update_profile(person=admin, by=admin, team=admin_team, function="applicatiebeheerder")

    created: list[User] = []
    taken_names = {s.name for s in SEEDED} | {admin.name}
    taken_emails = {s.email for s in SEEDED}

    # The people behind the demo logins.
    for seeded in SEEDED:
        organisation = organisations[seeded.organisation]
        team = teams.get((seeded.organisation, seeded.team))
        person = actions.create_person(
            by=admin,
            email=seeded.email,
            name=seeded.name,
            role=seeded.role,
            organisation=organisation,
            team=team,
        )
        fields = _profile(
            rng,
            person=person,
            function=seeded.function,
            organisation=organisation,
            complete=seeded.complete,
            expertise=seeded.expertise,
        )
        if seeded.highlight:
            fields["highlight"] = seeded.highlight
        actions.update_profile(person=person, by=admin, onboarded=True, **fields)
        if seeded.complete:
            actions.set_photo(person=person, by=admin, upload=demo_photo(rng, person.handle))
        created.append(person)

    # Everyone else: leaders first in each department, then the teams.
    ambassadors = 0
    for org_name, rows in TEAMS.items():
        organisation = organisations[org_name]
        names = _names(rng, HEADCOUNT[org_name], taken_names)
        per_team = len(names) // len(rows)
        leaders_done: set[str] = set()
        for index, (department, team_name, functions) in enumerate(rows):
            team = teams[(org_name, team_name)]
            chunk = names[index * per_team : (index + 1) * per_team]
            if index == len(rows) - 1:
                chunk = names[index * per_team :]
            for position, name in enumerate(chunk):
                highlight = ""
                if position == 0:
                    function = "teamleider" if org_name != PARTNER else "teamcoach"
                    highlight = Highlight.LEADERSHIP
                    if department and department not in leaders_done:
                        function = f"manager {department.lower()}"
                        leaders_done.add(department)
                else:
                    function = rng.choice(functions)
                if not highlight and ambassadors < 6 and rng.random() < 0.08:
                    highlight = Highlight.AMBASSADOR
                    ambassadors += 1
                person = actions.create_person(
                    by=admin,
                    email=_email(name, DOMAINS[org_name], taken_emails),
                    name=name,
                    organisation=organisation,
                    team=team,
                )
                # About one in four profiles is left incomplete, as in real life.
                complete = rng.random() > 0.25
                fields = _profile(
                    rng,
                    person=person,
                    function=function.split(" ")[0] if function.startswith("manager") else function,
                    organisation=organisation,
                    complete=complete,
                )
                fields["function"] = function
                if highlight:
                    fields["highlight"] = highlight
                actions.update_profile(person=person, by=admin, onboarded=complete, **fields)
                if complete and rng.random() < 0.7:
                    actions.set_photo(
                        person=person, by=admin, upload=demo_photo(rng, person.handle)
                    )
                created.append(person)

    # One argon2 hash, copied to every demo person (see the module docstring).
    User.objects.filter(pk__in=[p.pk for p in created]).update(password=make_password(password))
    out.write(
        f"  {len(organisations)} organisations, {len(teams)} teams, {len(created) + 1} people."
    )
    return [(s.role_label, s.email, password) for s in SEEDED]
