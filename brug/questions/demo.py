"""The questions of the demo network (``brug demo``, small tier), after people and spaces.

66 questions in Dutch and English in the "Durf te vragen" spaces of the three
organisations and in one questions space shared by all three ("Samen
vragen"), so answers cross teams and organisations. Most are answered (the
answerer is drawn from another team than the asker when possible, now and
then a leader or ambassador), many solved, about one in five asked
anonymously (the demo member Sanne asked two of those), some waiting for an
answer — a few of them for weeks, so the community manager gets the
"unanswered" flags. Votes and "good that you ask" reactions are sprinkled on.

Everything is written through ``brug.questions.actions`` and drawn from
``rng``; afterwards the rows are moved back in time (the one step that is not
an action: a demo needs a past) so that lists, ages and the unanswered queue
look lived in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from brug.analytics.models import Activity
from brug.people.enums import Role
from brug.people.models import Organisation, User
from brug.posts.actions import add_reaction
from brug.posts.models import Comment, Post
from brug.questions import actions
from brug.questions.models import Question
from brug.spaces.actions import create_space, ensure_questions_space
from brug.spaces.enums import SpaceKind, Visibility
from brug.spaces.models import Space

CARE_GROUP = "Zorggroep De Linde"
PARTNER = "Thuiszorg Partners"
SUPPLIER = "Nexa IT"
ADMIN = "admin@brug.example"
MEMBER = "sanne.dewit@delinde.example"
SHARED_SPACE = "Samen vragen – De Linde, Thuiszorg Partners en Nexa IT"


@dataclass
class Q:
    """One demo question: where, the text, its answers, and how its story goes.

    An answer is a text, or ``(who, text)`` where ``who`` is ``"partner"``,
    ``"supplier"`` (someone of that organisation) or ``"leader"`` (someone
    marked leadership or ambassador).
    """

    space: str  # care, partner, supplier or shared
    title: str
    body: str
    tags: list[str]
    answers: list = field(default_factory=list)
    anonymous: bool = False
    days_ago: float | None = None
    asker: str | None = None  # "sanne" for the demo member
    solved: bool | None = None  # None: the rng decides


QUESTIONS: list[Q] = [
    Q(
        "care",
        "Hoe vraag ik bijzonder verlof aan voor een begrafenis?",
        "Mijn oom is overleden en de uitvaart is op een werkdag. Hoe werkt dat?",
        ["verlof", "hr"],
        [
            "In AFAS: Mijn verlof > Aanvragen > 'Bijzonder verlof', kies 'uitvaart'. "
            "Je teamleider keurt het goed.",
            (
                "leader",
                "Gecondoleerd. De cao VVT geeft bij een uitvaart van familie in de derde graad "
                "één dag. Laat het gerust even weten als je meer nodig hebt.",
            ),
        ],
        days_ago=80,
    ),
    Q(
        "care",
        "Is het normaal dat ik na een jaar nog onzeker ben bij het spuiten van insuline?",
        "Ik doe het goed volgens de protocollen, maar ik blijf twijfelen bij het instellen van de pen.",
        ["insuline", "diabetes", "leren"],
        [
            "Heel normaal, ik had dat ook. Vraag een bekwaamheidscheck aan bij de praktijkopleider: "
            "die loopt het rustig met je door.",
            (
                "leader",
                "Goed dat je het vraagt! Twijfel betekent dat je zorgvuldig bent. We doen elke "
                "eerste woensdag een skills-lab, je bent welkom.",
            ),
            "Bij ons in Zuid oefenen we samen met een oefenpen in de teamkamer. Loop gerust binnen.",
        ],
        anonymous=True,
        asker="sanne",
        days_ago=62,
    ),
    Q(
        "care",
        "Waar vind ik het protocol voor het verwisselen van een suprapubische katheter?",
        "",
        ["katheter", "protocollen"],
        [
            "In Vilans Protocollen via de tegel Kwaliteit op intranet; zoek op 'suprapubische katheter'. "
            "Onze eigen aanvulling staat eronder als bijlage."
        ],
        days_ago=55,
    ),
    Q(
        "care",
        "Hoe markeer ik een rapportage als 'belangrijk' in Nedap Ons?",
        "Ik wil dat de avonddienst een afspraak met de huisarts zeker leest.",
        ["ecd", "nedap-ons"],
        [
            "Open de rapportage en klik op het sterretje rechtsboven. Belangrijke rapportages komen "
            "bovenaan in de overdracht.",
            "Tip: zet er ook een taak bij voor de avonddienst, dan krijgen ze een melding.",
        ],
        asker="sanne",
        days_ago=48,
    ),
    Q(
        "care",
        "Wat doe ik als een cliënt steeds om mijn privénummer vraagt?",
        "Ze is lief en eenzaam, maar ik wil het niet geven.",
        ["grenzen", "clientcontact"],
        [
            "Vriendelijk maar duidelijk nee zeggen en het teamnummer geven. Noteer het in het "
            "dossier, zodat collega's hetzelfde zeggen.",
            "Bespreek het in het teamoverleg: vaak zit er eenzaamheid achter. Een vrijwilliger van de "
            "Zonnebloem kan misschien helpen.",
        ],
        anonymous=True,
        days_ago=41,
    ),
    Q(
        "care",
        "Mag ik mijn eigen auto gebruiken voor wijkbezoeken en hoe declareer ik kilometers?",
        "",
        ["declaraties", "wijkzorg"],
        [
            "Ja. Je declareert €0,23 per kilometer via de declaratie-app in AFAS, één keer per maand, "
            "met de adressen van je route."
        ],
        days_ago=37,
    ),
    Q(
        "care",
        "Heeft iemand ervaring met de nieuwe tilliften van Handicare op de Kastanje?",
        "We krijgen ze volgende maand op de Eik en ik wil weten waar we op moeten letten.",
        ["tillift", "arbo"],
        days_ago=20,
    ),
    Q(
        "care",
        "Hoe bestel ik wondmaterialen sinds de overstap naar de nieuwe leverancier?",
        "Het oude bestelformulier werkt niet meer.",
        ["wondzorg", "bestellen"],
        [
            "Bestellen gaat nu via het webportaal van de leverancier; de inlog staat in de teamkluis. "
            "Spoed bel je rechtstreeks, het nummer staat op de map in de medicijnkamer.",
            "Let op: bestellingen vóór 14.00 uur worden de volgende dag geleverd.",
        ],
        days_ago=33,
    ),
    Q(
        "care",
        "Ik heb een fout gemaakt met medicatie. Hoe meld ik dat zonder dat het tegen me "
        "wordt gebruikt?",
        "Er is gelukkig niets ergs gebeurd, maar ik schaam me.",
        ["medicatieveiligheid", "vim"],
        [
            "Via een VIM-melding in het ECD. De commissie kijkt naar het systeem, niet naar schuld: "
            "wat kunnen we veranderen zodat het niet opnieuw gebeurt?",
            (
                "leader",
                "Goed dat je het vraagt. Melden is precies wat we willen en zegt iets over je "
                "professionaliteit. Niemand wordt erop afgerekend.",
            ),
        ],
        anonymous=True,
        days_ago=29,
        solved=True,
    ),
    Q(
        "care",
        "Wie kan mij helpen met een Power BI-dashboard voor ons verzuim?",
        "Ik heb de cijfers in Excel maar krijg de grafiek per maand niet goed.",
        ["power-bi", "verzuim", "data"],
        [
            "Stuur me je bestand, dan kijken we er samen naar. Je hebt een datumtabel nodig, dan "
            "gaat per maand vanzelf goed.",
            "Er is ook een Power BI-spreekuur op donderdag bij ICT.",
        ],
        days_ago=26,
    ),
    Q(
        "care",
        "Mogen we wondfoto's met de huisarts delen, en hoe dan veilig?",
        "",
        ["wondzorg", "privacy", "beveiliging"],
        [
            "Niet via WhatsApp. Maak de foto met de foto-functie in Nedap Ons, dan staat hij in het "
            "dossier, en deel hem via Zorgmail.",
            (
                "supplier",
                "Vanuit beveiliging: Zorgmail is versleuteld en voldoet aan NEN 7510. Foto's op "
                "je eigen telefoon zijn een datalek als je hem kwijtraakt.",
            ),
        ],
        days_ago=24,
        solved=True,
    ),
    Q(
        "care",
        "Hoe lang bewaren we zorgdossiers na het overlijden van een cliënt?",
        "",
        ["privacy", "avg", "dossiers"],
        [
            "Twintig jaar na de laatste wijziging (WGBO). Het archief doet het automatisch; je hoeft "
            "zelf niets te verwijderen."
        ],
        days_ago=70,
    ),
    Q(
        "care",
        "Is er een vaste contactpersoon voor mantelzorgondersteuning in Zeist?",
        "",
        ["mantelzorg", "wijkzorg"],
        [
            "Ja, het Steunpunt Mantelzorg Zeist; vraag naar de mantelzorgconsulent van de wijk. "
            "De folder ligt bij de receptie."
        ],
        days_ago=66,
    ),
    Q(
        "care",
        "Hoe krijg je een dienstruil goedgekeurd als je teamleider op vakantie is?",
        "In Ons Planning blijft mijn ruil op 'in afwachting' staan.",
        ["rooster", "planning"],
        days_ago=9,
    ),
    Q(
        "care",
        "Welke e-learning telt mee voor de BIG-herregistratie?",
        "",
        ["big", "scholing"],
        [
            "Alles met accreditatie van V&VN telt mee; in het leerplatform staat bij elke module "
            "hoeveel punten. Bewaar je certificaten in je digitale dossier."
        ],
        days_ago=58,
    ),
    Q(
        "care",
        "Mag ik een extra dienst weigeren als ik er geen energie meer voor heb?",
        "Ik word bijna elke week gebeld en durf geen nee te zeggen.",
        ["rooster", "werkdruk"],
        [
            "Ja, dat mag. Een extra dienst is vrijwillig. Zeg het ook tegen je teamleider, dan kan "
            "die zien dat de planning niet klopt.",
            (
                "leader",
                "Dank je voor je eerlijkheid. Als teamleider wil ik dit juist weten; laten we "
                "samen kijken hoe we het rooster beter maken.",
            ),
            "Praat eventueel ook met de bedrijfsarts, dat kan preventief.",
        ],
        anonymous=True,
        days_ago=17,
        solved=True,
    ),
    Q(
        "care",
        "Hoe reserveer ik een vergaderruimte op het Centraal Bureau?",
        "",
        ["faciliteiten"],
        [
            "Via Outlook: nieuwe vergadering > Ruimte toevoegen > 'CB'. De grote zaal alleen via het "
            "secretariaat."
        ],
        days_ago=52,
    ),
    Q(
        "care",
        "Wat is de afspraak over telefoongebruik tijdens de nachtdienst?",
        "",
        ["nachtdienst", "afspraken"],
        [
            "De dienst-telefoon altijd bij je; je eigen telefoon mag, maar niet op de kamer van "
            "cliënten. Staat in de werkafspraken nacht (intranet)."
        ],
        days_ago=45,
    ),
    Q(
        "care",
        "Kan iemand uitleggen hoe de onregelmatigheidstoeslag (ORT) wordt berekend?",
        "",
        ["salaris", "ort", "cao"],
        [
            "Per uur: doordeweeks 20.00–22.00 uur 22%, nacht 44%, zaterdag 38%, zondag 60%. Het "
            "percentage geldt over je uurloon; je ziet het per dienst op je loonstrook.",
            "Handig rekenvoorbeeld staat op de site van de vakbond.",
        ],
        days_ago=39,
    ),
    Q(
        "care",
        "Ik denk dat een collega te veel drinkt. Wat kan ik doen?",
        "Ik wil haar niet verraden, maar ik maak me zorgen om haar en om de cliënten.",
        ["vertrouwenspersoon", "collegas"],
        [
            "Je kunt vertrouwelijk met de vertrouwenspersoon praten; die helpt je bepalen wat je "
            "kunt doen. Het nummer staat op intranet onder 'Hulp en advies'.",
            (
                "leader",
                "Goed dat je je zorgen uitspreekt. Cliëntveiligheid gaat voor; je mag ook "
                "vertrouwelijk naar mij of een andere leidinggevende.",
            ),
        ],
        anonymous=True,
        days_ago=31,
    ),
    Q(
        "care",
        "Hoe krijgt familie toegang tot het cliëntportaal?",
        "",
        ["ecd", "clientportaal"],
        [
            "De eerste contactpersoon krijgt een uitnodiging als de EVV die aanzet in Ons (tab "
            "Portaal). Andere familie kan de contactpersoon zelf uitnodigen."
        ],
        days_ago=27,
    ),
    Q(
        "care",
        "Is er al nieuws over de nieuwe parkeerregeling bij De Linde?",
        "",
        ["parkeren", "faciliteiten"],
        days_ago=0.1,
    ),
    Q(
        "care",
        "Waar meld ik een kapotte bedverlenger?",
        "",
        ["facilitair", "melden"],
        ["In de TOPdesk-app: melding > Facilitair > Hulpmiddelen. Zet er het kamernummer bij."],
        days_ago=22,
    ),
    Q(
        "care",
        "Hoe herken ik een delier bij iemand met dementie?",
        "Mevrouw is sinds gisteren onrustig en pluk aan haar deken.",
        ["dementie", "delier"],
        [
            "Let op plotseling begin en wisselend bewustzijn: dat past bij een delier, dementie "
            "verandert langzaam. Gebruik de DOS-schaal en bel de arts.",
            "Kijk ook naar obstipatie, urineweginfectie en pijn; die zitten er vaak achter.",
        ],
        days_ago=19,
        solved=True,
    ),
    Q(
        "care",
        "Hoe zeg ik tegen mijn teamleider dat ik me niet veilig voel in het team?",
        "",
        ["teamklimaat"],
        [
            "Misschien helpt het om het eerst op papier te zetten: wat gebeurde er, wat deed het met "
            "je. Je mag ook iemand meenemen naar het gesprek.",
            (
                "leader",
                "Wat goed dat je dit durft te vragen. Als teamleider wil ik dit horen; je kunt "
                "ook eerst naar de vertrouwenspersoon als dat veiliger voelt.",
            ),
        ],
        anonymous=True,
        asker="sanne",
        days_ago=14,
    ),
    Q(
        "care",
        "Mag een stagiair zelfstandig medicatie delen?",
        "",
        ["stage", "medicatie"],
        [
            "Alleen als ze bekwaam is verklaard voor die handeling en er een werkbegeleider "
            "bereikbaar is. Het aftekenen doet ze zelf."
        ],
        days_ago=35,
    ),
    Q(
        "care",
        "Wanneer is de volgende BHV-herhaling?",
        "",
        ["bhv", "scholing"],
        ["Op 12 en 26 maart in De Linde; inschrijven via het leerplatform."],
        days_ago=60,
    ),
    Q(
        "care",
        "Hoe werkt het fietsplan?",
        "",
        ["fietsplan", "hr"],
        [
            "Je koopt een fiets tot €1.500 en betaalt hem uit je brutoloon of eindejaarsuitkering. "
            "Het formulier staat in AFAS onder 'Regelingen'."
        ],
        days_ago=76,
    ),
    Q(
        "care",
        "Wat doen we met restmedicatie na een overlijden?",
        "",
        ["medicatie", "apotheek"],
        [
            "Niet zelf weggooien: in de retourbak van de apotheek, met het retourformulier. "
            "Opiaten apart, met een tweede paraaf."
        ],
        days_ago=44,
    ),
    Q(
        "care",
        "Kunnen we subsidie krijgen voor domotica bij thuiswonende cliënten?",
        "Ik denk aan sensoren die waarschuwen als iemand 's nachts niet terugkomt in bed.",
        ["domotica", "subsidie", "wijkzorg"],
        days_ago=35,
    ),
    Q(
        "care",
        "Kun je in Teams een gedeelde agenda voor het wijkteam maken?",
        "",
        ["teams", "m365"],
        [
            (
                "supplier",
                "Ja: maak in je teamkanaal een tabblad 'Kanaalagenda'. Iedereen in het kanaal "
                "ziet en vult hem.",
            ),
            "Wij gebruiken er ook de gedeelde mailbox voor, werkt ook prima.",
        ],
        days_ago=30,
    ),
    Q(
        "care",
        "Hoe zet ik mijn afwezigheidsbericht aan in Outlook op mijn telefoon?",
        "",
        ["outlook", "m365"],
        [
            "Instellingen > je account > Automatische antwoorden. Zet een einddatum, dan gaat hij "
            "vanzelf uit."
        ],
        days_ago=23,
    ),
    Q(
        "care",
        "Welke valpreventie-oefeningen werken het best bij 85-plussers?",
        "",
        ["valpreventie", "bewegen"],
        [
            "Korte, dagelijkse balansoefeningen: opstaan uit de stoel zonder handen, op één been bij "
            "het aanrecht. De fysiotherapeut heeft een kaart met plaatjes.",
            "Bij ons op de Eik doen we het met muziek in de huiskamer, dat maakt het leuk.",
        ],
        days_ago=28,
        solved=True,
    ),
    Q(
        "care",
        "Hoe vraag ik een VOG aan voor een nieuwe vrijwilliger?",
        "",
        ["vog", "vrijwilligers"],
        [
            "Via het secretariaat van vrijwilligerswerk: zij zetten de aanvraag klaar in Justis, de "
            "vrijwilliger rondt het af met DigiD. Gratis voor vrijwilligers."
        ],
        days_ago=50,
    ),
    Q(
        "care",
        "Ik verdien minder dan een collega met dezelfde functie. Mag ik vragen waarom?",
        "",
        ["salaris", "functiewaardering"],
        [
            "Ja. Vraag HR om je inschaling uit te leggen: trede en ervaringsjaren bepalen het verschil.",
            "Je mag ook de OR benaderen als je denkt dat er iets niet klopt.",
        ],
        anonymous=True,
        days_ago=18,
    ),
    Q(
        "care",
        "Is er een format voor een overdracht aan de huisartsenpost?",
        "",
        ["overdracht", "sbar"],
        [
            "Gebruik SBAR: Situatie, Achtergrond, Beoordeling, Advies. Er ligt een kaartje bij elke "
            "dienst-telefoon."
        ],
        days_ago=47,
        solved=True,
    ),
    Q(
        "care",
        "Hoe plan ik een MDO met de specialist ouderengeneeskunde?",
        "",
        ["mdo"],
        ["Via het secretariaat medische dienst; geef twee weken vooruit door wie er moeten zijn."],
        days_ago=43,
    ),
    Q(
        "care",
        "Werkt de wifi van de Eik ook in de tuinkamer?",
        "",
        ["wifi", "ict"],
        [
            (
                "supplier",
                "Sinds de nieuwe access point van oktober wel: netwerk 'Linde-Zorg'. Slecht "
                "bereik? Meld het met de kamer erbij.",
            )
        ],
        days_ago=12,
    ),
    Q(
        "care",
        "Hoe voorkom ik decubitus bij cliënten die veel in de rolstoel zitten?",
        "",
        ["decubitus", "wondzorg"],
        [
            "Elk uur even anders laten zitten, een goed zitkussen (ergotherapeut) en de huid dagelijks "
            "bekijken bij stuit en zitbeenderen.",
            "En niet vergeten: voeding en vocht. Ondervoeding is een grote risicofactor.",
        ],
        days_ago=25,
        solved=True,
    ),
    Q(
        "shared",
        "How do I get access to the shared drive of the Noord partnership?",
        "",
        ["access", "ict"],
        [
            (
                "supplier",
                "Ask your team leader to approve it in the self-service portal; we add you "
                "to the group the same day. Partner staff need a De Linde guest account first.",
            )
        ],
        days_ago=40,
        solved=True,
    ),
    Q(
        "supplier",
        "What is the escalation path when a Nedap Ons outage lasts more than an hour?",
        "",
        ["incident", "nedap-ons"],
        [
            "After 60 minutes the duty manager calls Nedap's priority line and informs De Linde's "
            "crisis coordinator. The runbook is in the service desk wiki."
        ],
        days_ago=34,
    ),
    Q(
        "shared",
        "Can partner staff join our wound care training in March?",
        "",
        ["training", "wondzorg"],
        [
            "Yes, there are five places for Thuiszorg Partners. Register through your own team "
            "leader; we send the invitation.",
            ("partner", "Great, we will send two colleagues from the Noord team!"),
        ],
        days_ago=21,
        solved=True,
    ),
    Q(
        "care",
        "I'm new and my Dutch is not great yet. Is it okay to write reports in English?",
        "I worry that colleagues will think I'm not good enough.",
        ["language", "rapportage"],
        [
            (
                "leader",
                "Good that you ask! Reports in English are fine for now; what matters is that "
                "they are clear. We will pair you with a language buddy.",
            ),
            "I started the same way two years ago. The English corner space helped me a lot.",
        ],
        anonymous=True,
        days_ago=27,
        solved=True,
    ),
    Q(
        "care",
        "Which bus goes to De Linde from Utrecht Centraal?",
        "",
        ["travel"],
        ["Line 50 towards Zeist, stop 'Het Rond'; it takes 25 minutes."],
        days_ago=64,
    ),
    Q(
        "care",
        "How do I change my bank account number for my salary?",
        "",
        ["salary", "hr"],
        [
            "In AFAS: My details > Bank account. It takes effect the next month if you change it "
            "before the 10th."
        ],
        days_ago=57,
    ),
    Q(
        "care",
        "Is there a quiet room where I can pray during my shift?",
        "",
        ["facilities", "wellbeing"],
        ["Yes, the stilteruimte on the first floor next to the chapel. It is open day and night."],
        days_ago=46,
        solved=True,
    ),
    Q(
        "shared",
        "Who pays for the taxi when a client has to go to hospital at night?",
        "",
        ["transport", "agreements"],
        [
            (
                "partner",
                "For home-care clients it is the health insurer, if the GP post arranges it.",
            ),
            "For residents of De Linde the ward orders it and we pay, then claim it back.",
        ],
        days_ago=36,
    ),
    Q(
        "supplier",
        "Does MFA work with a hardware key instead of the Authenticator app?",
        "",
        ["mfa", "security"],
        [
            "Yes, FIDO2 keys work. Order one through the service desk; useful for colleagues "
            "without a work phone."
        ],
        days_ago=16,
        solved=True,
    ),
    Q(
        "care",
        "How do I deal with a family member who shouts at me during visits?",
        "",
        ["aggression", "family"],
        [
            "Stay calm, keep distance and say you will continue the conversation later with your "
            "team leader. Report it as an incident, even if nothing happened.",
            (
                "leader",
                "You never have to accept shouting. Tell me, and I will talk to the family. "
                "Thank you for asking this.",
            ),
        ],
        anonymous=True,
        days_ago=13,
    ),
    Q(
        "care",
        "Can I use ChatGPT to summarise client reports?",
        "",
        ["ai", "privacy"],
        [
            (
                "supplier",
                "No: client data may not go into public AI tools. We are testing a private "
                "assistant inside our own Microsoft environment; ask in Data & AI.",
            ),
            "Anonymised text without names is still risky: details can identify someone.",
        ],
        days_ago=11,
        solved=True,
    ),
    Q(
        "care",
        "Does anyone have a template for a dementia-friendly activity calendar?",
        "",
        ["dementia", "activities"],
        days_ago=12,
    ),
    Q(
        "care",
        "Where can I find the Dutch-English glossary of care terms?",
        "",
        ["language"],
        ["On the intranet under Onboarding > International colleagues. Suggestions go to HR."],
        days_ago=53,
    ),
    Q(
        "shared",
        "How do weekend handovers work between De Linde and Thuiszorg Partners?",
        "",
        ["handover", "weekend"],
        [
            (
                "partner",
                "By phone at 08.30 and 16.30, and everything urgent also in the shared "
                "handover list in Teams.",
            ),
            "Check the list before you call, it saves time.",
        ],
        days_ago=32,
    ),
    Q(
        "supplier",
        "How long does it take to get a new laptop?",
        "",
        ["laptop", "ict"],
        ["Five working days from approval; with a broken laptop you get a loan one at once."],
        days_ago=61,
    ),
    Q(
        "partner",
        "Hoe vraag ik een toegangspas aan voor het gebouw van De Linde?",
        "",
        ["toegang"],
        ["Via je eigen teamleider; die mailt de receptie van De Linde met je naam en foto."],
        days_ago=42,
    ),
    Q(
        "partner",
        "Mogen wij als thuiszorg de VIM-meldingen van De Linde inzien?",
        "",
        ["vim", "samenwerking"],
        [
            "Niet de meldingen zelf, wel de maandelijkse samenvatting van de commissie. Vraag die "
            "aan de kwaliteitsadviseur."
        ],
        anonymous=True,
        days_ago=38,
    ),
    Q(
        "supplier",
        "Wat is de afspraak over onderhoudsvensters bij De Linde?",
        "",
        ["onderhoud"],
        ["Dinsdagnacht tussen 01.00 en 05.00 uur, vooraf aangekondigd in 'ICT-samenwerking'."],
        days_ago=49,
    ),
    Q(
        "care",
        "Hoe vaak moet een tillift gekeurd worden?",
        "",
        ["tillift", "keuring"],
        [
            "Jaarlijks, door de leverancier. De sticker op de mast geeft de datum; verlopen? Niet "
            "gebruiken en melden in TOPdesk."
        ],
        days_ago=15,
        solved=True,
    ),
    Q(
        "care",
        "Is er een cursus gebarentaal voor zorgmedewerkers?",
        "Een nieuwe bewoner is doof en ik wil hem beter kunnen begrijpen.",
        ["scholing", "communicatie"],
        days_ago=3,
    ),
    Q(
        "care",
        "Welke pijnschaal gebruiken we bij cliënten die niet kunnen praten?",
        "",
        ["pijn", "dementie"],
        [
            "De PACSLAC-D. Hij staat als meetinstrument in Nedap Ons.",
            "Doe hem op vaste momenten, dan zie je het verloop.",
        ],
        days_ago=24,
        solved=True,
    ),
    Q(
        "care",
        "Ik twijfel of de zorg bij me past. Met wie kan ik vertrouwelijk praten?",
        "",
        ["loopbaan"],
        [
            "De loopbaancoach van HR; het gesprek is vertrouwelijk en je teamleider hoort er niets "
            "van, tenzij je dat zelf wilt.",
            (
                "leader",
                "Twijfel is menselijk. Er zijn ook andere rollen in de zorg, misschien past er "
                "een beter. Goed dat je het vraagt.",
            ),
        ],
        anonymous=True,
        days_ago=10,
    ),
    Q(
        "care",
        "Mag ik de uren van een scholingsdag als werktijd schrijven?",
        "",
        ["scholing", "uren"],
        [
            "Ja, verplichte scholing is werktijd. Schrijf ze op de kostenplaats van je team met "
            "code 'scholing'."
        ],
        days_ago=20,
    ),
    Q(
        "care",
        "Werkt de app Vilans Protocollen ook offline?",
        "",
        ["protocollen", "app"],
        days_ago=0.2,
    ),
    Q(
        "shared",
        "Hoe stemmen we medicatielijsten af bij opname vanuit de thuiszorg?",
        "",
        ["medicatieoverdracht"],
        [
            (
                "partner",
                "Wij sturen de actuele lijst van de apotheek mee, plus de toedienlijst van de "
                "laatste week.",
            ),
            "En bel de dag van opname even met de EVV, dat voorkomt fouten.",
        ],
        days_ago=23,
        solved=True,
    ),
    Q(
        "care",
        "What does 'ADL' stand for in the reports?",
        "",
        ["language", "ecd"],
        [
            "Algemene Dagelijkse Levensverrichtingen: activities of daily living, such as washing, "
            "dressing and eating."
        ],
        days_ago=8,
        solved=True,
    ),
]


def _people_of(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(organisation=organisation, is_active=True)
        .exclude(role__in=[Role.GUEST, Role.ADMIN])
        .select_related("team")
        .order_by("email")
    )


def _shared_space(admin: User, organisations: dict[str, Organisation]) -> Space:
    existing = Space.objects.filter(name=SHARED_SPACE).first()
    if existing is not None:
        return existing
    return create_space(
        creator=admin,
        name=SHARED_SPACE,
        description=(
            "Vragen tussen De Linde, Thuiszorg Partners en Nexa IT: overdrachten, afspraken, "
            "ICT. Anoniem vragen mag. — Questions across our three organisations."
        ),
        visibility=Visibility.OPEN,
        kind=SpaceKind.QUESTIONS,
        organisation=organisations[CARE_GROUP],
        shared_with=[organisations[PARTNER], organisations[SUPPLIER]],
        allow_anonymous=True,
    )


def _pick_answerer(rng, who, *, asker, pools, taken) -> User:
    if who == "leader":
        pool = [p for p in pools["home"] if p.highlight] or pools["home"]
    elif who == "ict":
        pool = [p for p in pools["home"] if p.team and "ICT" in p.team.name] or pools["home"]
    elif who in ("partner", "supplier"):
        pool = pools[who]
    else:
        pool = [p for p in pools["home"] if p.team_id != asker.team_id] or pools["home"]
    pool = [p for p in pool if p.pk != asker.pk and p.pk not in taken] or pool
    return rng.choice(pool)


def _backdate(question: Question, answers: list, asked_at, rng) -> None:
    now = timezone.now()
    times = []
    moment = asked_at
    for _answer in answers:
        moment = min(moment + timedelta(hours=rng.uniform(0.3, 20)), now - timedelta(minutes=5))
        times.append(moment)
    Post.objects.filter(pk=question.pk).update(
        created_at=asked_at, last_activity_at=times[-1] if times else asked_at
    )
    updates = {"created_at": asked_at, "last_answer_at": times[-1] if times else None}
    if question.accepted_answer_id:
        updates["accepted_at"] = min(times[-1] + timedelta(hours=2), now)
    Question.objects.filter(pk=question.pk).update(**updates)
    Activity.objects.filter(post_id=question.pk, comment__isnull=True).update(created_at=asked_at)
    for answer, when in zip(answers, times, strict=True):
        Comment.objects.filter(pk=answer.pk).update(created_at=when)
        Activity.objects.filter(comment_id=answer.pk).update(created_at=when)


def load(*, rng: random.Random, out) -> None:
    """Load the demo questions (once; a second run does nothing)."""
    if Question.objects.exists():
        out.write("The demo questions are loaded already.")
        return
    organisations = {o.name: o for o in Organisation.objects.all()}
    if CARE_GROUP not in organisations:
        out.write("No demo people: the demo questions need them first.")
        return
    admin = User.objects.get(email__iexact=ADMIN)
    sanne = User.objects.filter(email=MEMBER).first()
    care, partner, supplier = (
        _people_of(organisations[name]) for name in (CARE_GROUP, PARTNER, SUPPLIER)
    )
    spaces = {
        "care": ensure_questions_space(organisation=organisations[CARE_GROUP]),
        "partner": ensure_questions_space(organisation=organisations[PARTNER]),
        "supplier": ensure_questions_space(organisation=organisations[SUPPLIER]),
        "shared": _shared_space(admin, organisations),
    }
    home = {"care": care, "partner": partner, "supplier": supplier, "shared": care}
    now = timezone.now()
    order = sorted(
        QUESTIONS,
        key=lambda q: -(q.days_ago if q.days_ago is not None else rng.uniform(1, 60)),
    )
    counts = {"questions": 0, "answers": 0, "anonymous": 0, "solved": 0, "waiting": 0}
    for item in order:
        space = spaces[item.space]
        people = home[item.space]
        asker = sanne if item.asker == "sanne" and sanne else rng.choice(people)
        if item.space == "shared" and item.title.startswith(("Can partner", "Who pays")):
            asker = rng.choice(care)
        question = actions.ask_question(
            asker=asker,
            space=space,
            title=item.title,
            body=item.body,
            tags=item.tags,
            anonymous=item.anonymous,
            rate_limit=False,
        )
        pools = {"home": people, "partner": partner, "supplier": supplier}
        written, taken = [], {asker.pk}
        for entry in item.answers:
            who, text = entry if isinstance(entry, tuple) else ("", entry)
            if item.space != "shared" and who in ("partner", "supplier"):
                # Only the shared space is read by the other organisations; in the
                # care group's own space the ICT colleagues answer ICT questions.
                who = "ict" if who == "supplier" and item.space == "care" else ""
            author = _pick_answerer(rng, who, asker=asker, pools=pools, taken=taken)
            taken.add(author.pk)
            written.append(
                actions.answer_question(
                    author=author, question=question, body=text, rate_limit=False
                )
            )
        readers = [p for p in people if p.pk not in taken]
        for reply in written:
            for voter in rng.sample(readers, k=min(len(readers), rng.randint(0, 4))):
                actions.vote_answer(person=voter, question=question, answer=reply, rate_limit=False)
        cheers = rng.randint(1, 4) if item.anonymous else rng.randint(0, 2)
        for person in rng.sample(readers, k=min(len(readers), cheers)):
            add_reaction(person=person, kind="good_question", post=question.post, rate_limit=False)
        solved = item.solved if item.solved is not None else rng.random() < 0.45
        if written and solved:
            best = max(written, key=lambda c: Comment.objects.get(pk=c.pk).vote_count)
            actions.accept_answer(by=asker, question=question, answer=best)
            question.accepted_answer_id = best.pk
            counts["solved"] += 1
        days = item.days_ago if item.days_ago is not None else rng.uniform(1, 60)
        asked_at = now - timedelta(days=days, minutes=rng.randint(0, 600))
        _backdate(question, written, asked_at, rng)
        counts["questions"] += 1
        counts["answers"] += len(written)
        counts["anonymous"] += int(item.anonymous)
        counts["waiting"] += int(not written)
    flagged = actions.flag_unanswered_questions()
    out.write(
        f"  {counts['questions']} questions ({counts['anonymous']} anonymous, "
        f"{counts['solved']} solved, {counts['waiting']} waiting, {flagged} flagged for the "
        f"community managers), {counts['answers']} answers."
    )
