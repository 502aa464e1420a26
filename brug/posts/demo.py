"""The conversations of the demo network (``brug demo``, small tier), after the spaces.

A few hundred posts and comments in Dutch and English spread over the spaces
(not the "Durf te vragen" spaces: the questions demo fills those), work-out-
loud posts on profiles ("Ik werk aan …", "I'm working on …"), mentions,
reactions (thanks, helpful …), a few images drawn with Pillow, pinned posts,
an edited post with its history, and people following each other. Everything
goes through ``brug.posts.actions`` (rate limits off: the demo writes a
month of conversation in seconds) and is drawn from ``rng`` only; afterwards
the timestamps are spread over the last eight weeks so feeds look lived in.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from brug.analytics.models import Activity
from brug.people.enums import Role
from brug.people.models import User
from brug.permissions.posts import can_comment_on_post
from brug.permissions.spaces import can_post_in_space
from brug.posts import actions
from brug.posts.enums import PostKind, ReactionKind
from brug.posts.models import Comment, Post
from brug.spaces.enums import SpaceKind
from brug.spaces.models import Membership, Space

# Posts per topic; "{at}" becomes a mention of a colleague who reads the space.
TOPICS: dict[str, list[tuple[str, str]]] = {
    "wound": [
        (
            "Nieuw schuimverband op proef",
            "We testen deze maand het nieuwe siliconen schuimverband bij drie cliënten met een decubitus graad 2. Eerste indruk: minder pijn bij het verwisselen. {at} jij had er vorig jaar ook ervaring mee?",
        ),
        (
            "",
            "Vraag aan de wondconsulenten: hoe vaak fotograferen jullie een wond voor het dossier? Wij doen het nu bij elke wissel, maar dat kost veel tijd.",
        ),
        (
            "Compressietherapie: wie heeft tips?",
            "Een cliënt weigert de compressiekousen omdat ze te strak zitten. Zijn er alternatieven die jullie goed bevallen? Klittenbandsystemen?",
        ),
        (
            "",
            "Fijne scholing gehad over de diabetische voet. De belangrijkste les: **elke dag** de voeten laten controleren, ook als de cliënt zegt dat het goed gaat. Slides staan in de bijlage.",
        ),
        (
            "Wound photos without identifiable details",
            "Reminder: when you share a wound photo here, crop out faces, tattoos and jewellery. The upload strips location data, but the picture itself must not identify the client.",
        ),
    ],
    "security": [
        (
            "Phishingmail over 'salarisstrook'",
            "Er gaat een mail rond met als onderwerp *Uw salarisstrook staat klaar*. Klik niet op de link! Meld hem met de knop **Phishing melden** in Outlook. {at} kun jij hem blokkeren?",
        ),
        (
            "",
            "Wist je dat je een bijlage met cliëntgegevens nooit via WhatsApp mag delen? Gebruik het ECD of Zivver. Twijfel je? Vraag het hier.",
        ),
        (
            "NEN 7510 audit in maart",
            "In maart komt de auditor voor de NEN 7510-hercertificering. We zoeken per afdeling iemand die wil laten zien hoe we met wachtwoorden en gedeelde computers omgaan.",
        ),
        (
            "Password managers: yes please",
            "We're rolling out a password manager for everyone in ICT first. If it works well, the rest of the organisation follows in spring. Questions welcome.",
        ),
        (
            "",
            "Tip: vergrendel je scherm met **Windows + L** als je even wegloopt van de computer op de zusterpost.",
        ),
    ],
    "ecd": [
        (
            "Update Nedap Ons op 14 november",
            "Na de update van donderdag verandert het rapportagescherm: de knop *Nieuwe rapportage* staat dan rechtsboven. {at} maakt een korte instructievideo.",
        ),
        (
            "",
            "Handig: met de zoekbalk in het zorgplan kun je filteren op doel. Scheelt veel scrollen bij cliënten met een groot dossier.",
        ),
        (
            "Autorisaties voor invalkrachten",
            "Invalkrachten krijgen voortaan binnen een uur toegang tot het ECD van hun afdeling. Aanvragen via de servicedesk met het formulier in de bijlage.",
        ),
        (
            "Reporting in English?",
            "Some of our new colleagues write their reports in English. Is that allowed in the ECD? What does the inspection say about it?",
        ),
    ],
    "onboarding": [
        (
            "Welkom aan de nieuwe collega's van november!",
            "Deze maand starten elf nieuwe collega's. Buddies: stel je even voor in de reacties, dan weten ze wie ze kunnen bellen. {at}",
        ),
        (
            "",
            "Wat had jij willen weten in je eerste week bij De Linde? Wij maken een nieuwe checklist en horen graag wat erop moet.",
        ),
        (
            "Buddy gezocht voor Wijkteam Zuid",
            "Voor een zij-instromer in Wijkteam Zuid zoeken we een buddy die de eerste zes weken een keer per week koffie drinkt en meeloopt.",
        ),
        (
            "First week checklist (English)",
            "For colleagues who don't read Dutch yet: the first-week checklist is now also in English. Badge, laptop, ECD account, e-learning *Veilig werken* and a walk through the building.",
        ),
    ],
    "hybrid": [
        (
            "Afspraken thuiswerken 2026",
            "Het nieuwe beleid: maximaal drie dagen thuis, teamdag op dinsdag. Wat vinden jullie ervan? {at}",
        ),
        (
            "",
            "Tip voor wie thuis werkt: blok in je agenda elke dag een half uur zonder Teams. Het helpt echt.",
        ),
        (
            "Hot desks on the second floor",
            "From next week the second floor of the head office has bookable desks. Book through the app; unbooked desks are free after 10:00.",
        ),
    ],
    "data": [
        (
            "Dashboard verzuim per team",
            "Het nieuwe Power BI-dashboard met verzuim per team staat live. Cijfers onder de 5 personen zie je niet, dat is zo afgesproken met de OR.",
        ),
        (
            "",
            "Is er iemand die met Python de exports uit het ECD opschoont? Ik wil niet opnieuw het wiel uitvinden. {at}",
        ),
        (
            "What can AI do for care planning?",
            "We're exploring whether a language model can summarise long care reports for the multidisciplinary meeting. No client data leaves our servers. Who wants to test it with us?",
        ),
        (
            "Datakwaliteit: ontbrekende BSN's",
            "In 3% van de dossiers ontbreekt het BSN. Dat geeft problemen bij de declaraties. We maken per team een lijstje.",
        ),
    ],
    "dementia": [
        (
            "Onbegrepen gedrag in de avond",
            "Bij mevrouw op kamer 12 helpt muziek uit haar jeugd enorm rond het avondeten. Wie heeft nog meer ervaring met muziek als interventie? {at}",
        ),
        (
            "",
            "Mooie training gevolgd over *Dementie en intimiteit*. Een lastig onderwerp, maar zo belangrijk. Aanrader!",
        ),
        (
            "Mantelzorgers ondersteunen",
            "We starten een gespreksgroep voor mantelzorgers van cliënten met dementie. Eerste bijeenkomst op woensdag de 20e.",
        ),
    ],
    "palliative": [
        (
            "",
            "Na een lang traject is een cliënt van ons vannacht rustig overleden, met haar kinderen erbij. Dank aan iedereen die de laatste weken zo goed voor haar heeft gezorgd.",
        ),
        (
            "Advance care planning gesprekken",
            "Hoe beginnen jullie het gesprek over de laatste levensfase? Ik vind de eerste zin altijd het moeilijkst. {at}",
        ),
    ],
    "falls": [
        (
            "Minder valincidenten op Kastanje",
            "Sinds we 's nachts sensormatten gebruiken zijn de valincidenten op Kastanje gehalveerd. Data in de bijlage.",
        ),
        (
            "",
            "Wie heeft ervaring met beweegprogramma's in de wijk? We willen iets opzetten samen met de fysiotherapeut.",
        ),
    ],
    "vitality": [
        (
            "Roosters en herstel",
            "We proberen in Wijkteam Noord een rooster met nooit meer dan vier diensten achter elkaar. Eerste reacties zijn positief. {at}",
        ),
        ("", "Lunchwandeling op donderdag, wie loopt er mee? Start 12:15 bij de hoofdingang."),
    ],
    "english": [
        (
            "Hello from the night shift",
            "Practising my Dutch every day, but it's nice to have a place to ask questions in English. What's the difference between *dienst* and *dienstverband*?",
        ),
        (
            "",
            "Tip for English speakers: the e-learning platform has an English version of most mandatory modules. Switch the language at the top right.",
        ),
    ],
    "running": [
        (
            "Dinsdag 19:00 bij de Zeisterbossen",
            "We lopen 5 of 8 km, iedereen welkom, ook als je net begint. {at} neem jij de route mee?",
        ),
        ("", "Wie doet er mee aan de Singelloop? We kunnen ons als team inschrijven."),
    ],
    "leaders": [
        (
            "Verzuimgesprekken voeren",
            "Ik merk dat ik verzuimgesprekken voor me uit schuif. Hoe pakken jullie dat aan? {at}",
        ),
        (
            "",
            "De formatie voor volgend jaar moet voor 1 december rond zijn. Zullen we een extra overleg plannen?",
        ),
    ],
    "council": [
        (
            "Achterbanraadpleging roosterbeleid",
            "De OR wil graag weten hoe jullie het nieuwe roosterbeleid ervaren. Reageer hieronder of stuur een bericht.",
        ),
    ],
    "reorg": [
        (
            "Planning reorganisatie",
            "Vertrouwelijk: de conceptplanning staat in de bijlage. Graag voor vrijdag reacties. {at}",
        ),
        ("", "Gesprek met de OR over de adviesaanvraag is verschoven naar de 12e."),
    ],
    "partner": [
        (
            "Overdracht weekenddiensten",
            "Vanaf december dragen we de weekenddiensten in Noord over via het gedeelde overdrachtsformulier. {at} kun je het even bekijken?",
        ),
        (
            "Joint training on digital care",
            "Next month we'll host a joint session on remote monitoring. Emma will show what Thuiszorg Partners learned from their pilot.",
        ),
    ],
    "supplier": [
        (
            "Storing Wi-Fi locatie Eik",
            "Sinds vanochtend valt de wifi op de tweede verdieping van Eik steeds weg. Ticket is aangemaakt. {at}",
        ),
        (
            "Change window Saturday",
            "Planned maintenance on the network this Saturday 22:00-02:00. The ECD stays available through the mobile app.",
        ),
    ],
    "announce": [
        (
            "Kerstborrel 19 december",
            "Iedereen is van harte welkom op de kerstborrel in de kantine van de hoofdlocatie, vanaf 16:00. Nachtdienst? Er staat een pakketje voor je klaar.",
        ),
        (
            "Nieuwe bestuurder stelt zich voor",
            "Vanaf 1 januari is Marjolein van Dijk onze bestuurder. Ze komt de komende maanden op alle locaties langs.",
        ),
        (
            "Griepprik",
            "De griepprik is dit jaar op 4 en 11 november op alle locaties. Aanmelden hoeft niet.",
        ),
        (
            "Salary increase per January",
            "Under the new collective agreement, salaries rise by 3% in January. The details are on the intranet page of HR.",
        ),
    ],
    "team": [
        (
            "Rooster december",
            "Het concept-rooster voor december staat klaar. Ruilen kan tot vrijdag. {at} jij had nog een vraag over de 24e?",
        ),
        ("", "Wie kan zaterdag een vroege dienst overnemen? Mijn dochter is jarig."),
        (
            "Teamdag",
            "Op de teamdag van dinsdag bespreken we de nieuwe werkverdeling en sluiten we af met eten. Ideeën voor de middag zijn welkom!",
        ),
        ("", "De nieuwe tilliften zijn binnen. Instructie volgt maandag om 14:00 op de afdeling."),
        (
            "Shift swap app",
            "Did everyone install the shift swap app? It saves a lot of phone calls. Ask {at} if it doesn't work.",
        ),
        (
            "",
            "Dank aan iedereen voor het extra werk deze week met de griepgolf. Jullie zijn toppers.",
        ),
    ],
}

# Posts that fit any community; bigger spaces get a few of them too.
GENERAL: list[tuple[str, str]] = [
    (
        "Verslag van de bijeenkomst",
        "Dank aan iedereen die er dinsdag bij was! De belangrijkste afspraken:\n\n1. We delen voortaan voorbeelden hier in de ruimte\n2. Elke maand een korte online sessie\n3. {at} verzamelt de vragen",
    ),
    ("", "Wie gaat er naar het V&VN-congres in april? Misschien kunnen we samen reizen."),
    (
        "Nieuwe collega in deze ruimte",
        "Welkom aan iedereen die de afgelopen weken lid is geworden. Stel je gerust voor in de reacties!",
    ),
    (
        "Summary in English",
        "For colleagues who don't read Dutch yet: a short summary of this month's discussion is now pinned at the top. {at} thanks for translating!",
    ),
    (
        "",
        "Ik heb een handige checklist gemaakt op basis van jullie tips. Feedback welkom voordat ik hem breder deel.",
    ),
    (
        "Save the date",
        "Our next meet-up is on the 28th at 15:00 in the Linde room and online. Topics: what went well this quarter and what we want to learn next.",
    ),
    ("", "Goed nieuws: de subsidie voor het scholingsproject is toegekend! Meer informatie volgt."),
    (
        "Vraag aan de experts",
        "Waar vind ik de meest recente richtlijn hierover? Op de website van Vilans kan ik hem niet meer vinden. {at}",
    ),
]

SPACE_TOPICS = [
    ("Wondzorg", "wound"),
    ("Informatiebeveiliging", "security"),
    ("Nedap", "ecd"),
    ("ICT-samenwerking", "supplier"),
    ("ICT", "ecd"),
    ("Onboarding", "onboarding"),
    ("Hybride", "hybrid"),
    ("Data", "data"),
    ("Dementie", "dementia"),
    ("Palliatieve", "palliative"),
    ("Valpreventie", "falls"),
    ("Duurzaam", "vitality"),
    ("English", "english"),
    ("Hardloop", "running"),
    ("Teamleiders", "leaders"),
    ("OR-", "council"),
    ("Reorganisatie", "reorg"),
    ("Samenwerking", "partner"),
    ("Mededelingen", "announce"),
]

WORK_OUT_LOUD = [
    "Ik werk aan een nieuwe werkinstructie voor het verwisselen van een PEG-sonde. Wie wil meelezen?",
    "Ik werk deze week aan de planning van de scholingen voor 2026. Mis je iets? Laat het weten.",
    "Ik werk aan een overzicht van alle Excel-lijstjes die we naast het ECD bijhouden. Doel: de helft opruimen.",
    "Ik werk aan de onboarding van drie nieuwe collega's in de wijk. Tips voor een goede eerste dag zijn welkom.",
    "Ik werk aan een voorstel om de overdracht in de ochtend korter te maken. {at} jij had daar ideeën over?",
    "Ik werk aan een dashboard voor valincidenten per locatie.",
    "Ik werk aan het nieuwe wachtwoordbeleid. Spoiler: langer, maar minder vaak wijzigen.",
    "I'm working on an English version of our welcome booklet for international colleagues.",
    "I'm working on a small Python script that checks the ECD export for missing fields. Happy to share.",
    "I'm working on the evaluation of our pilot with remote monitoring at home. First results next week.",
    "Ik werk aan een voorstel voor vaste invalkrachten per wijkteam.",
    "Ik werk aan de voorbereiding van de NEN 7510-audit: wie heeft een goed voorbeeld van een risicoanalyse?",
]

# What the people of the demo logins are working on (their profiles show it).
PERSONAS_WORKING_ON = {
    "sanne.dewit": (
        "Ik werk aan een wondzorgkaart voor de wijk: welk verband bij welke wond, op één A4."
        " Wie heeft een goed voorbeeld uit een andere regio?"
    ),
    "mark.jansen": (
        "I'm working on a Power BI dashboard of sick leave per team. Which figures would"
        " help you most in the monthly team meeting?"
    ),
    "femke.bakker": (
        "Ik werk aan het programma van de kennisdag in maart: wie wil tien minuten laten zien"
        " waar zijn of haar team trots op is?"
    ),
}

COMMENTS = [
    "Goed idee, ik doe mee!",
    "Dank je, dit helpt echt.",
    "Herkenbaar. Bij ons op de afdeling speelt precies hetzelfde.",
    "Kunnen we dit volgende week in het teamoverleg bespreken?",
    "Ik heb er goede ervaringen mee, stuur me gerust een berichtje.",
    "Weet iemand of dit ook voor de nachtdienst geldt?",
    "Top, dank voor het delen!",
    "Ik stuur je de instructie die wij gebruiken.",
    "Great, thanks for sharing!",
    "We tried this last year. Happy to tell you what worked and what didn't.",
    "Is there an English version of this?",
    "Mooi werk. {at} dit is ook iets voor jouw team.",
    "Ik twijfel nog, wat is het voordeel ten opzichte van hoe we het nu doen?",
    "Wij hebben daar een checklist voor, ik zet hem in de bijlage van het teamoverleg.",
    "Count me in.",
    "Dit gaat veel tijd schelen in de wijk.",
]

REPLIES = [
    "Dank je! Ik kom er bij je op terug.",
    "Goede vraag, ik zoek het uit.",
    "Ja, dat geldt ook voor de nacht.",
    "Thanks, that's really helpful.",
    "Helemaal mee eens.",
    "Stuur je hem ook naar mij?",
]

REACTION_KINDS = [
    ReactionKind.LIKE,
    ReactionKind.LIKE,
    ReactionKind.THANKS,
    ReactionKind.HELPFUL,
    ReactionKind.CELEBRATE,
    ReactionKind.INSIGHTFUL,
]


def _topic(space: Space) -> str:
    for needle, topic in SPACE_TOPICS:
        if needle.lower() in space.name.lower():
            return topic
    return "team"


def _image(rng: random.Random, title: str) -> SimpleUploadedFile:
    """A simple chart-like picture (bars and a caption), as a phone photo would be."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 960, 600
    base = rng.choice([(236, 244, 246), (246, 240, 232), (240, 246, 236)])
    image = Image.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 70), fill=(14, 90, 109))
    try:
        font = ImageFont.load_default(size=30)
    except TypeError:  # Pillow without scalable default font
        font = ImageFont.load_default()
    draw.text((24, 18), title, fill=(255, 255, 255), font=font)
    bars = rng.randint(5, 9)
    gap = (width - 80) // bars
    for n in range(bars):
        value = rng.randint(60, 440)
        colour = (14 + n * 12, 90 + n * 8, 109 + n * 10)
        draw.rounded_rectangle(
            (40 + n * gap, height - 40 - value, 40 + n * gap + gap - 24, height - 40),
            radius=8,
            fill=colour,
        )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return SimpleUploadedFile(f"{title.lower().replace(' ', '-')}.jpg", out.getvalue())


def load(*, rng: random.Random, out) -> None:
    """Load the demo conversations (once; a second run does nothing)."""
    if Post.objects.exists():
        out.write("The demo posts are loaded already.")
        return
    spaces = list(
        Space.objects.exclude(kind=SpaceKind.QUESTIONS)
        .select_related("organisation")
        .order_by("pk")
    )
    if not spaces:
        out.write("No spaces: load the spaces demo first.")
        return
    members: dict[int, list[User]] = {}
    for membership in Membership.objects.select_related("person").order_by("space_id", "person_id"):
        if membership.person.is_active:
            members.setdefault(membership.space_id, []).append(membership.person)
    images_left = 5
    made_posts: list[Post] = []

    def mention(candidates: list[User], author: User) -> str:
        others = [p for p in candidates if p.pk != author.pk]
        return f"@{rng.choice(others).handle}" if others else ""

    for space in spaces:
        people = members.get(space.pk, [])
        if not people:
            continue
        authors = [p for p in people if can_post_in_space(p, space)]
        if not authors:
            continue
        texts = list(TOPICS[_topic(space)])
        if len(people) > 12 and space.kind != SpaceKind.ANNOUNCEMENT:
            texts += rng.sample(GENERAL, k=min(len(GENERAL), 1 + len(people) // 15))
        for n, (title, body) in enumerate(texts):
            # Authorship follows 90-9-1: a few people write most posts.
            author = authors[min(int(rng.paretovariate(1.2)) - 1, len(authors) - 1)]
            if n % 3 == 2:
                author = rng.choice(authors)
            body = body.replace("{at}", mention(people, author))
            attachments = []
            if images_left and rng.random() < 0.2:
                upload = actions.add_attachment(
                    uploader=author, upload=_image(rng, title or space.name), rate_limit=False
                )
                attachments.append(upload)
                images_left -= 1
            post = actions.create_post(
                author=author,
                space=space,
                body=body,
                title=title,
                attachments=attachments,
                rate_limit=False,
            )
            made_posts.append(post)

    # Working out loud on profiles.
    care_people = list(
        User.objects.filter(
            is_active=True, role__in=[Role.MEMBER, Role.COMMUNITY_MANAGER]
        ).order_by("pk")
    )
    for text in WORK_OUT_LOUD:
        author = rng.choice(care_people)
        colleagues = [p for p in care_people if p.organisation_id == author.organisation_id]
        body = text.replace("{at}", mention(colleagues, author))
        made_posts.append(
            actions.create_post(
                author=author,
                space=None,
                body=body,
                kind=PostKind.WORK_OUT_LOUD,
                rate_limit=False,
            )
        )

    for person in User.objects.filter(handle__in=PERSONAS_WORKING_ON).order_by("pk"):
        made_posts.append(
            actions.create_post(
                author=person,
                space=None,
                body=PERSONAS_WORKING_ON[person.handle],
                kind=PostKind.WORK_OUT_LOUD,
                rate_limit=False,
            )
        )

    # Comments, replies and reactions from the people who read each post.
    comments = 0
    reactions = 0
    for post in made_posts:
        readers = (
            members.get(post.space_id, [])
            if post.space_id
            else [p for p in care_people if p.organisation_id == post.organisation_id]
        )
        readers = [p for p in readers if can_comment_on_post(p, post)]
        if not readers:
            continue
        tops: list[Comment] = []
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
            author = rng.choice(readers)
            body = rng.choice(COMMENTS).replace("{at}", mention(readers, author))
            parent = rng.choice(tops) if tops and rng.random() < 0.3 else None
            if parent is not None:
                body = rng.choice(REPLIES)
            comment = actions.create_comment(
                author=author, post=post, body=body, parent=parent, rate_limit=False
            )
            comments += 1
            if parent is None:
                tops.append(comment)
            if rng.random() < 0.3:
                actions.add_reaction(
                    person=rng.choice(readers),
                    kind=ReactionKind.HELPFUL,
                    comment=comment,
                    rate_limit=False,
                )
                reactions += 1
        for person in rng.sample(readers, k=min(len(readers), rng.randint(0, 6))):
            actions.add_reaction(
                person=person, kind=rng.choice(REACTION_KINDS), post=post, rate_limit=False
            )
            reactions += 1

    # Pins, an edit with history, people following people.
    for space in spaces:
        moderators = [p for p in members.get(space.pk, []) if p.role != Role.GUEST]
        in_space = [p for p in made_posts if p.space_id == space.pk]
        if in_space and space.kind == SpaceKind.ANNOUNCEMENT or (in_space and rng.random() < 0.15):
            for person in moderators:
                try:
                    actions.pin_post(moderator=person, post=in_space[0])
                    break
                except Exception:  # noqa: BLE001, S112 - try the next moderator
                    continue
    for post in made_posts[:: max(1, len(made_posts) // 6)][:6]:
        if post.author is not None:
            actions.edit_post(
                editor=post.author,
                post=post,
                body=post.body + "\n\n*Aangevuld: zie ook de reacties hieronder.*",
                version=post.version,
            )
    follows = 0
    for person in rng.sample(care_people, k=min(len(care_people), 30)):
        for other in rng.sample(care_people, k=min(len(care_people), 3)):
            if other.pk != person.pk and other.organisation_id == person.organisation_id:
                actions.follow_person(follower=person, person=other)
                follows += 1

    # Interleave the spaces in time, as a real month of conversation would.
    order = list(made_posts)
    rng.shuffle(order)
    _spread_over_weeks(rng, order)
    out.write(
        f"Loaded {len(made_posts)} posts, {comments} comments, {reactions} reactions, "
        f"{5 - images_left} images and {follows} follows."
    )


def _spread_over_weeks(rng: random.Random, posts: list[Post]) -> None:
    """Give the posts (and their comments and activity) times over the last eight weeks.

    Working hours on weekdays mostly; newest first in the list order. Written
    directly: the actions stamp "now", and a demo of a month of conversation
    needs a month of time.
    """
    now = timezone.now()
    for index, post in enumerate(reversed(posts)):
        days = index * 56 / max(1, len(posts)) + rng.random()
        moment = now - timedelta(days=days, hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
        if moment.weekday() >= 5:
            moment -= timedelta(days=moment.weekday() - 4)
        Post.objects.filter(pk=post.pk).update(created_at=moment, last_activity_at=moment)
        Activity.objects.filter(post=post, comment__isnull=True).update(created_at=moment)
        later = moment
        for comment in Comment.objects.filter(post=post).order_by("pk"):
            later = min(now, later + timedelta(minutes=rng.randint(5, 600)))
            Comment.objects.filter(pk=comment.pk).update(created_at=later)
            Activity.objects.filter(comment=comment).update(created_at=later)
        Post.objects.filter(pk=post.pk).update(last_activity_at=later)
