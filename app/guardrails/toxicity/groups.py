"""References to a group of people in English: identity groups and deictic groups.

- Identity groups: nationality and region, ethnicity, religion, gender, sexual orientation and gender
  identity, disability, age, migration status, class (:data:`IDENTITY_NOUNS`, or an identity adjective
  before a person noun: "Mexican workers", "gay couples", "disabled people").
- Deictic groups: "people like them", "those people", "that kind", "their sort", "you people", and a
  person noun from somewhere pointed at ("women from that region", "people from those countries").

Finding a group is never a finding by itself: "Meet the gay and lesbian couples who run our cafe" names
a group and demeans no one. The generalisation rule (:mod:`.generalisations`) needs a group AND a
demeaning predicate; the masking step hides identity terms from the word-based model for the same reason.
Children are not in the lists on purpose: "children should not be allowed near the kettle" is safety copy.
"""

from __future__ import annotations

import re

from app.guardrails.toxicity.patterns import alternation, bounded, triggers, words_of

_NATIONALITIES = (
    "american", "mexican", "canadian", "chinese", "japanese", "korean", "vietnamese", "filipino", "thai",
    "indian", "pakistani", "bangladeshi", "afghan", "iraqi", "iranian", "syrian", "turkish", "kurdish",
    "arab", "arabic", "african", "nigerian", "somali", "ethiopian", "kenyan", "ghanaian", "egyptian",
    "moroccan", "algerian", "european", "german", "french", "italian", "spanish", "portuguese", "polish",
    "romanian", "bulgarian", "albanian", "serbian", "russian", "ukrainian", "greek", "irish", "scottish",
    "welsh", "english", "british", "dutch", "polish", "czech", "slovak", "hungarian", "lithuanian", "swedish",
    "norwegian", "brazilian", "colombian", "venezuelan",
    "cuban", "haitian", "jamaican", "puerto rican", "latin american", "asian", "middle eastern",
    "eastern european", "south american", "central american", "north african", "west african", "israeli",
    "palestinian", "australian", "aboriginal", "native american", "indigenous", "roma", "romani", "gypsy",
    "latino", "latina", "latinx", "hispanic", "black", "white", "brown", "caucasian", "mixed-race",
    "biracial", "foreign", "immigrant", "migrant", "refugee", "non-native",
)
_FAITHS = (
    "muslim", "islamic", "jewish", "christian", "catholic", "protestant", "evangelical", "mormon", "hindu",
    "sikh", "buddhist", "atheist", "pagan", "orthodox",
)
_GENDER_ORIENTATION = (
    "female", "male", "gay", "lesbian", "bisexual", "bi", "queer", "trans", "transgender", "nonbinary",
    "non-binary", "homosexual", "asexual", "intersex", "lgbt", "lgbtq", "lgbtq+",
)
_DISABILITY_AGE_CLASS = (
    "disabled", "handicapped", "blind", "deaf", "autistic", "dyslexic", "mentally ill", "neurodivergent",
    "wheelchair-using", "old", "older", "elderly", "aged", "young", "poor", "working-class", "homeless",
    "overweight", "fat", "single", "divorced", "unemployed", "illegal", "undocumented",
)
IDENTITY_ADJECTIVES = _NATIONALITIES + _FAITHS + _GENDER_ORIENTATION + _DISABILITY_AGE_CLASS

# Person nouns an identity adjective can qualify ("Muslim families", "older workers").
PERSON_NOUNS = (
    "people", "persons", "person", "folk", "folks", "men", "man", "women", "woman", "guys", "guy", "girls",
    "girl", "boys", "ladies", "gentlemen", "families", "family", "workers", "worker", "employees",
    "employee", "staff", "students", "student", "parents", "mothers", "fathers", "mums", "moms", "dads",
    "wives", "husbands", "couples", "couple", "neighbours", "neighbors", "immigrants", "migrants",
    "refugees", "citizens", "residents", "drivers", "doctors", "nurses", "teachers", "engineers",
    "candidates", "applicants", "voters", "customers", "members", "kids", "youths", "community",
    "communities", "population", "individuals", "colleagues", "users", "children", "teens", "adults", "builders",
    "cleaners", "plumbers", "shopkeepers", "traders", "landlords", "tenants", "bosses", "managers", "leaders",
    "politicians", "players", "scientists", "nannies", "carers", "waiters", "mechanics", "programmers",
)

# Plural (and some singular) nouns that name an identity group on their own.
IDENTITY_NOUNS = (
    "women", "woman", "men", "girls", "females", "males", "ladies", "wives", "mothers", "feminists",
    "gays", "lesbians", "homosexuals", "bisexuals", "trans people", "transgenders", "transsexuals",
    "immigrants", "migrants", "refugees", "asylum seekers", "foreigners", "illegals", "expats",
    "muslims", "moslems", "jews", "christians", "catholics", "protestants", "hindus", "sikhs", "buddhists",
    "atheists", "mormons", "arabs", "africans", "asians", "europeans", "americans", "mexicans", "canadians",
    "chinese", "japanese", "koreans", "vietnamese", "filipinos", "indians", "pakistanis", "bangladeshis",
    "afghans", "iraqis", "iranians", "syrians", "turks", "kurds", "nigerians", "somalis", "ethiopians",
    "egyptians", "moroccans", "algerians", "germans", "french", "frenchmen", "italians", "spaniards",
    "portuguese", "poles", "romanians", "bulgarians", "albanians", "serbs", "russians", "ukrainians",
    "greeks", "irish", "scots", "welsh", "brits", "english", "dutch", "swedes", "brazilians", "colombians",
    "venezuelans", "cubans", "haitians", "jamaicans", "puerto ricans", "israelis", "palestinians",
    "australians", "aborigines", "natives", "gypsies", "roma", "travellers", "latinos", "latinas",
    "hispanics", "blacks", "whites", "caucasians", "the disabled", "the handicapped", "cripples",
    "the blind", "the deaf", "autistics", "the elderly", "old people", "old folks", "pensioners",
    "seniors", "boomers", "millennials", "zoomers", "teenagers", "the poor", "the homeless", "the unemployed",
    "northerners", "southerners", "easterners", "westerners",
)

def _singular(noun: str) -> str:
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    return noun[:-1] if noun.endswith("s") and not noun.endswith(("ss", "ese")) else noun


# "never trust a gypsy", "a Muslim should not...": the singular of each plural noun that is one word.
_SINGULARS = tuple(sorted({_singular(n) for n in IDENTITY_NOUNS if " " not in n} - set(IDENTITY_NOUNS)))

_POINTER = r"(?:that|those|this|these|their|such|his|her|your|our|certain|some)"
_PLACE_NOUN = r"(?:region|regions|country|countries|area|areas|part\s+of\s+the\s+world|neighbou?rhoods?|" \
              r"backgrounds?|cultures?|religions?|races?|tribes?|places?|villages?|towns?|estates?|part\s+of\s+\w+|" \
              r"continents?|side\s+of\s+town|world)"
_DEICTIC = (
    r"people\s+like\s+(?:them|you|that|him|her|those|these|him|us)",
    r"(?:folks|men|women|guys|girls|types|kids)\s+like\s+(?:them|you|that|him|her|those|these)",
    r"(?:those|these|such)\s+(?:people|folks|persons|individuals|types|creatures|animals|ones)",
    r"(?:that|this|their|your|his|her|the\s+same)\s+(?:kind|sort|type|ilk|lot)(?:\s+of\s+(?:people|person))?",
    r"(?:you|them)\s+people",
    r"the\s+likes\s+of\s+(?:them|you|him|her|those|these)",
    rf"(?:people|persons|folks|men|women|girls|guys|families|workers|anyone|those|everyone|immigrants|"
    rf"migrants|refugees|kids|children|students)\s+(?:from|of)\s+{_POINTER}\s+{_PLACE_NOUN}",
    r"(?:people|folks|men|women|families|workers|immigrants|migrants)\s+from\s+[A-Z][\w-]+",
)

_IDENTITY_PHRASE = (
    rf"(?:(?:all|most|many|these|those|the|such|some)\s+)?{alternation(IDENTITY_ADJECTIVES)}"
    rf"(?:\s+(?:and|or|&)\s+{alternation(IDENTITY_ADJECTIVES)})?\s+{alternation(PERSON_NOUNS)}"
)
# A singular names a person of a group only after an article: "a Muslim", "every gypsy" (not "black tea").
_ONE_OF = rf"(?:a|an|every|any|one|each|that|this)\s+{alternation(_SINGULARS)}"
GROUP = bounded("|".join((*_DEICTIC, _IDENTITY_PHRASE, alternation(IDENTITY_NOUNS), _ONE_OF)))
# Once a sentence has named a group, "they" and "them" later in it refer back to it ("old people should
# stay offline; they only slow everyone down").
_ANAPHORA = re.compile(r"(?<![\w-])(?:they|them|these|those)(?![\w-])", re.IGNORECASE)

# Each alternative of GROUP holds one of these words (the deictic ones: "people like them", "that kind"...).
_DEICTIC_KEYS = ("people", "folks", "persons", "individuals", "types", "creatures", "animals", "ones", "kind",
                 "sort", "type", "ilk", "lot", "likes", "anyone", "everyone", "those", "kids", "children",
                 "families", "workers", "guys", "students", "immigrants", "migrants", "refugees")
IDENTITY_TRIGGERS = triggers(IDENTITY_ADJECTIVES, IDENTITY_NOUNS, _SINGULARS)
GROUP_TRIGGERS = IDENTITY_TRIGGERS | triggers(_DEICTIC_KEYS)
# The words that name an identity, hidden from the word-based model ("gay", "Muslim", "immigrants").
IDENTITY_WORDS = IDENTITY_TRIGGERS - {"the", "people", "folks"}
_TOKEN = re.compile(r"[\w'-]+")


def identity_term_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of the words in ``sentence`` that name an identity (see :data:`IDENTITY_WORDS`)."""
    return [m.span() for m in _TOKEN.finditer(sentence) if m.group(0).lower() in IDENTITY_WORDS]


def group_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of the group references in ``sentence``, left to right, not overlapping."""
    if words_of(sentence).isdisjoint(GROUP_TRIGGERS):
        return []
    spans = []
    for match in GROUP.finditer(sentence):
        text = match.group(0)
        if re.search(r"\sfrom\s+[a-z]", text) and not re.search(rf"\sfrom\s+{_POINTER}\s", text, re.IGNORECASE):
            # "people from work": lower case after "from" is no place name; "immigrants from there" still
            # names a group by its first word
            first = text.split()[0]
            if first.lower() in IDENTITY_WORDS:
                spans.append((match.start(), match.start() + len(first)))
            continue
        spans.append(match.span())
    if spans:
        spans += [m.span() for m in _ANAPHORA.finditer(sentence, spans[0][1])
                  if not any(start <= m.start() < end for start, end in spans)]
    return sorted(spans)
