"""Generated text for the benchmark tiers: Dutch and English, deterministic, ASCII.

Bodies are a few sentences drawn from a pool that is built once per seed from
templates and topic words, so the words of the tiers follow a skewed (Zipf-like)
distribution, like real posts: "project" and "team" are everywhere, rare
words (``RARE_TERMS``) appear in a few dozen documents of the medium tier, and
``RARE_TERM`` in the same few posts on every tier. The search stems of every pooled sentence are computed once, so a body's
stems are the join of its sentences' stems (exactly what
``brug.search.text.stems`` gives for the whole body: stems are per word and
sentences are separated by a space).

Text is ASCII letters, digits, spaces and ``.,?``: PostgreSQL's parser and
``brug.search.text.normalized`` then see the same words, so the bulk loader
may let PostgreSQL compute the vectors straight from the stored text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from brug.people.demo import DUTCH_FIRST, DUTCH_LAST, ENGLISH_FIRST, ENGLISH_LAST
from brug.search.text import stems

# The benchmark's terms. COMMON_TERM is in templates of both languages.
# RARE_TERM is planted by the loader in exactly RARE_VISIBLE posts that the
# bench person may read and RARE_HIDDEN that they may not, on every tier: a
# rare word that is equally rare on the medium and the large tier, so its
# growth measures the data around it. The other rare words are appended to
# about one document in RARE_ONE_IN, as rare words are in real text.
COMMON_TERM = "project"
RARE_TERM = "kwaliteitskompas"
RARE_VISIBLE = 12
RARE_HIDDEN = 24
RARE_TERMS = ("sterilisatieprotocol", "warmtepompsubsidie", "dienstroosterfeedback")
RARE_ONE_IN = 25_000

TOPICS = {
    "nl": [
        ("wondzorg", "wondzorgprotocol", "verbandmiddelen", "decubitus"),
        ("rooster", "dienstrooster", "weekendrooster", "planning"),
        ("inwerken", "onboarding", "buddy", "eerste werkdag"),
        ("medicatie", "medicatieveiligheid", "toediening", "dubbele controle"),
        ("dementie", "dagbesteding", "familiegesprek", "zorgplan"),
        ("valpreventie", "mobiliteit", "tillift", "beweegprogramma"),
        ("ict", "laptop", "wachtwoord", "teams vergadering"),
        ("budget", "begroting", "factuur", "inkoop"),
        ("kwaliteit", "audit", "verbeterplan", "klachten"),
        ("duurzaamheid", "energie", "afval", "fietsplan"),
        ("opleiding", "scholing", "workshop", "leerplatform"),
        ("werving", "vacature", "sollicitatie", "stagiair"),
    ],
    "en": [
        ("wound care", "dressing", "pressure ulcer", "protocol"),
        ("roster", "shift swap", "weekend shift", "planning"),
        ("onboarding", "buddy", "first day", "induction"),
        ("medication", "medication safety", "double check", "pharmacy"),
        ("dementia", "day care", "family meeting", "care plan"),
        ("fall prevention", "mobility", "hoist", "exercise programme"),
        ("laptop", "password", "video call", "helpdesk"),
        ("budget", "invoice", "purchasing", "forecast"),
        ("quality", "audit", "improvement plan", "complaints"),
        ("sustainability", "energy", "waste", "cycle scheme"),
        ("training", "workshop", "learning platform", "course"),
        ("recruitment", "vacancy", "interview", "intern"),
    ],
}

TEMPLATES = {
    "nl": [
        "Ons team werkt aan een project over {a}.",
        "Heeft iemand ervaring met {a} en {b}?",
        "Vandaag hebben we {a} besproken met het team van {c}.",
        "Het project rond {b} loopt goed, volgende week starten we met {c}.",
        "Wie weet hoe het zit met {a} in het weekend?",
        "We zoeken een collega die kan helpen met {b}.",
        "De nieuwe werkwijze voor {a} staat nu op het intranet.",
        "Bedankt aan het team voor de hulp bij {c}.",
        "Na de evaluatie van {a} passen we {d} aan.",
        "Ik ben bezig met {b} en zoek voorbeelden uit andere teams.",
        "Volgende maand is er een sessie over {d} voor iedereen.",
        "Kunnen we {a} en {c} combineren in een project?",
        "De resultaten van het project over {b} zijn binnen.",
        "Tip van de week: kijk eens naar {d}.",
    ],
    "en": [
        "Our team is working on a project about {a}.",
        "Does anyone have experience with {a} and {b}?",
        "Today we discussed {a} with the colleagues of {c}.",
        "The project on {b} is going well, next week we start with {c}.",
        "Who knows how {a} works at the weekend?",
        "We are looking for a colleague who can help with {b}.",
        "The new way of working for {a} is now on the intranet.",
        "Thanks to the team for the help with {c}.",
        "After the review of {a} we are changing {d}.",
        "I am working on {b} and looking for examples from other teams.",
        "Next month there is a session on {d} for everyone.",
        "Could we combine {a} and {c} in one project?",
        "The results of the project on {b} are in.",
        "Tip of the week: have a look at {d}.",
    ],
}

QUESTION_TEMPLATES = {
    "nl": [
        "Hoe regelen jullie {a}?",
        "Wie kan mij helpen met {b}?",
        "Wat is de beste aanpak voor {c}?",
        "Waar vind ik informatie over {d}?",
    ],
    "en": [
        "How do you handle {a}?",
        "Who can help me with {b}?",
        "What is the best approach to {c}?",
        "Where do I find information about {d}?",
    ],
}

# The demo's names (``brug.people.demo``), Dutch and English.
FIRST_NAMES = {"nl": DUTCH_FIRST, "en": ENGLISH_FIRST}
LAST_NAMES = {"nl": DUTCH_LAST, "en": ENGLISH_LAST}
FUNCTIONS = {
    "nl": [
        "Verpleegkundige",
        "Wijkverpleegkundige",
        "Teamleider",
        "Planner",
        "Beleidsmedewerker",
        "Fysiotherapeut",
        "Helpdeskmedewerker",
        "Controller",
        "Kwaliteitsadviseur",
        "Recruiter",
        "Opleidingsadviseur",
        "Zorgcoordinator",
    ],
    "en": [
        "Nurse",
        "District nurse",
        "Team lead",
        "Planner",
        "Policy officer",
        "Physiotherapist",
        "Service desk agent",
        "Controller",
        "Quality adviser",
        "Recruiter",
        "Learning adviser",
        "Care coordinator",
    ],
}
LOCATIONS = [
    "Utrecht",
    "Amersfoort",
    "Zwolle",
    "Arnhem",
    "Leiden",
    "Groningen",
    "Eindhoven",
    "Remote",
]
ORGANISATION_NAMES = [
    "Zorggroep Brugwijk",
    "Gemeente Lindendaal",
    "Partner Care UK",
    "Leverancier Noord",
    "Stichting Welzijn Oost",
    "Kennisnet Zorg",
    "Thuiszorg West",
]


@dataclass(frozen=True)
class Sentence:
    text: str
    stems: str


class ContentPool:
    """Sentences per language with their stems, drawn with a skew."""

    def __init__(self, rng: random.Random, *, size: int = 1500) -> None:
        self.sentences: dict[str, list[Sentence]] = {}
        self.questions: dict[str, list[Sentence]] = {}
        for language in ("nl", "en"):
            self.sentences[language] = self._pool(rng, TEMPLATES[language], language, size)
            self.questions[language] = self._pool(
                rng, QUESTION_TEMPLATES[language], language, size // 5
            )
        # Zipf-like weights over the pool: early sentences are drawn far more often.
        self._weights = {
            language: _cumulative([1.0 / (rank + 1) ** 0.8 for rank in range(len(pool))])
            for language, pool in self.sentences.items()
        }
        self._rare = [Sentence(term, stems(term)) for term in RARE_TERMS]

    @staticmethod
    def _pool(rng, templates, language, size) -> list[Sentence]:
        topics = TOPICS[language]
        pool = []
        for index in range(size):
            # Topics are skewed too: the first topics are discussed most.
            topic = topics[min(int(rng.paretovariate(1.2)) - 1, len(topics) - 1)]
            words = list(topic)
            rng.shuffle(words)
            template = templates[index % len(templates)]
            text = template.format(a=words[0], b=words[1], c=words[2], d=words[3])
            text = text[0].upper() + text[1:]
            if not text.isascii():
                raise ValueError(f"Tier text must be ASCII: {text!r}")
            pool.append(Sentence(text, stems(text)))
        return pool

    def body(self, rng: random.Random, language: str, *, extra: str = "") -> tuple[str, str]:
        """A body of 1 to 5 sentences and its stems (``extra`` is appended, e.g. a mention)."""
        count = rng.choice((1, 2, 2, 3, 3, 4, 5))
        chosen = rng.choices(self.sentences[language], cum_weights=self._weights[language], k=count)
        if rng.randrange(RARE_ONE_IN) == 0:
            chosen.append(rng.choice(self._rare))
        text = " ".join(sentence.text for sentence in chosen)
        stemmed = " ".join(sentence.stems for sentence in chosen if sentence.stems)
        if extra:
            text = f"{text} {extra}"
            extra_stems = stems(extra)
            stemmed = f"{stemmed} {extra_stems}" if extra_stems else stemmed
        return text, stemmed

    def question(self, rng: random.Random, language: str) -> Sentence:
        return rng.choice(self.questions[language])


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out
