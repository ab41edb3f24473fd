"""German abuse rules: a compact insult lexicon of this project's own, targets, negation and mention.

The English model misreads German (the article "die" scores as a threat), so German sentences never reach
it. Instead, per sentence:

- :data:`TARGETED` (0.9): an insult aimed at someone: second person ("Ihr seid alle dumme Idioten", "du
  Trottel", "halt die Klappe"), a group ("Diese Leute sind Schmarotzer", "Ausländer gehören nicht hierher"),
  or a pointed-at person ("dieser Vollpfosten").
- :data:`STRONG` (0.75): a strong insult or abusive noun anywhere ("Idioten", "Arschloch", "Gesindel",
  "Scheiß..."): such words are aimed at someone in almost every use.
- :data:`MILD` (0.4): a mild pejorative alone ("dumm", "blöd", "peinlich"): under the default threshold.
- Each further hit adds :data:`PER_EXTRA_HIT`, so more abuse ranks higher (for ROC AUC).

Not abuse: an insult negated in its clause ("Du bist kein Idiot", "Niemand hält Sie für dumm") or mentioned
("Nennen Sie Kunden nie dumm", "das Wort 'Depp'", in quotation marks).

The lexicon was written for this project from general knowledge of German (common general-purpose
insults, inflected); it is not copied from any list. It is small on purpose: precision on marketing copy
first; the judge (when on) reads what the words miss.
"""

from __future__ import annotations

import re

from app.guardrails.toxicity.patterns import alternation, bounded, bridge, negated_at

TARGETED = 0.9
STRONG = 0.75
MILD = 0.4
PER_EXTRA_HIT = 0.02


def _adjective(*stems: str) -> list[str]:
    """Every attributive and comparative form of each stem: dumm, dumme, dummer, dümmer, dümmsten..."""
    forms = []
    for stem in stems:
        forms += [stem + ending for ending in ("", "e", "er", "es", "en", "em")]
    return forms


# Nouns that are insults in (almost) every use; matched also as the tail of a compound ("Vollidiot").
_STRONG_TAILS = (
    "idiot", "idioten", "idiotin", "trottel", "trotteln", "vollpfosten", "arschloch", "arschlöcher",
    "arschgeige", "wichser", "versager", "versagerin", "schmarotzer", "parasit", "parasiten", "schwachkopf",
    "schwachköpfe", "dummkopf", "dummköpfe", "hohlkopf", "hohlköpfe", "holzkopf", "volksverräter",
    "verräter", "gesindel", "abschaum", "lügner", "lügnerin", "heuchler", "schwachmat", "schwachmaten",
    "missgeburt", "missgeburten", "hurensohn", "hurensöhne", "blödmann", "blödmänner", "vollhonk",
    "evolutionsbremse", "hackfresse", "flachpfeife", "pfeifen", "waschlappen", "weichei", "weicheier",
    "dreckspack", "pöbel", "ungeziefer", "untermenschen", "kanaken", "kanake", "spast", "spasti",
    "mongo", "vollhorst", "hanswurst", "witzfigur", "lumpenpack", "nazis", "nazi", "faschisten", "faschist",
    "volksverhetzer", "hetzer", "zecken", "bastard", "bastarde", "penner", "luder", "schlampe", "schlampen",
    "hure", "huren", "nutte", "nutten", "fotze", "miststück", "mistkerl", "dreckskerl", "drecksack",
    "drecksau", "sackgesicht", "depp", "deppen", "dödel", "honk", "hirni", "hohlbirne", "dussel", "kretin",
    "spinner", "clowns", "schweine", "ratten", "vollidiot", "gutmenschen", "gutmensch", "speichellecker",
    "schleimer", "arschkriecher", "schmierfink", "schmierfinke", "schmierfinken", "lusche", "luschen",
    "memme", "jammerlappen", "großmaul", "klugscheißer", "dummschwätzer", "schwätzer", "quatschkopf",
    "hohlbratze", "spacken", "assi", "assis", "proleten", "proll", "prolls", "bonze", "bonzen", "gauner",
    "halunke", "halunken", "schurke", "schurken", "betrüger", "abzocker", "kriegstreiber", "brandstifter",
    "schmutzfink", "dreckschleuder", "lügenpresse", "heulsuse", "tussi", "hornochse", "hornochsen",
    "rindvieh", "vasallen", "trampel", "heuschrecken", "herrenmenschen", "sozialtouristen", "analphabeten",
    "nazibrut", "brut", "sippschaft", "bande", "mauermörder", "mörder", "schlächter", "terroristen",
    "regime", "diktator", "diktatorin", "kinderficker", "vergewaltiger", "schänder", "kacke", "scheißer",
    "sozialschmarotzer", "kinderschänder", "verbrecher", "kriminelle", "lumpenpack",
)
# Prefixes of abusive compounds: "Scheißregierung", "Drecksland", "Kackverein".
_STRONG_PREFIXES = ("scheiß", "scheiss", "drecks", "kack", "fick", "verfickt", "arsch", "hurens", "nazi",
                    "stasi", "lügen", "volksverr", "verschwul")
_STRONG_WORDS = (
    "scheiße", "scheisse", "verdammt", "verdammte", "verdammter", "verdammten", "fresse", "maul",
    "verpiss", "verpisst", "verrecken", "verreckt", "krepieren", "krepiert", "abknallen", "vergasen",
    "ausrotten", "abschlachten", "aufhängen", "kotzen", "ekelhaft", "widerlich", "abartig", "asozial",
    "asoziale", "asozialen", "asozialer", "hirnlos", "hirnlose", "hirnlosen", "hirnverbrannt",
    "hirnverbrannte", "hirnverbrannten", "bescheuert", "bescheuerte", "bescheuerten", "bekloppt",
    "bekloppte", "bekloppten", "behindert", "behinderte", "behinderten", "geisteskrank", "geisteskranke",
    "geisteskranken", "minderbemittelt", "minderbemittelte", "minderbemittelten", "verblödet",
    "verblödete", "verblödeten", "strohdumm", "saudumm", "saublöd", "dämlich", "dämliche", "dämlichen",
    "dämlicher", "dümmer", "dümmste", "dümmsten", "erbärmlich", "erbärmliche", "erbärmlichen", "armselig",
    "armselige", "armseligen", "verlogen", "verlogene", "verlogenen", "verlogener", "primitiv", "primitive",
    "primitiven", "minderwertig", "minderwertige", "minderwertigen", "kriminell", "kriminellen",
    "lächerlich", "lächerliche", "lächerlichen", "heuchlerisch", "heuchlerische", "hetze", "hetzt", "gehirnamputiert",
    *_adjective("verkommen", "korrupt", "korrumpiert", "schwachsinnig", "gestört", "pervers", "degeneriert",
                "antideutsch", "deutschfeindlich", "hasserfüllt", "hetzerisch", "verrottet", "volksverräterisch"),
    "zum kotzen",
)
_MILD_WORDS = (*_adjective("dumm", "blöd", "doof", "faul", "hässlich", "fett", "feig", "unfähig",
                           "inkompetent", "peinlich", "dreckig", "schäbig", "erbärmlich", "verrückt",
                           "dreist", "frech", "arrogant", "ahnungslos", "naiv", "irre"),
               *_adjective("hohl", "realitätsfern", "keifend", "verlogen", "unverschämt", "kriminell"),
               "pfeife", "sau", "arsch", "flasche", "niete", "kuh", "ziege", "esel", "affe", "affen",
               "ochse", "kamel", "type", "weib", "weiber", "horde", "horden", "meute", "mob", "sippe", "clan",
               "labern", "labert", "gelaber", "quaken", "kläffen", "keifen", "sabbern", "schwafeln",
               "rumheulen", "heulen", "jammern", "mist", "kacke", "schwachsinn", "quatsch", "blödsinn", "unsinn",
               "müll", "dreck", "lügen",
               "lügt", "lüge", "gelogen", "kotzt", "nervt", "nervig", "nervige", "nervigen")

STRONG_WORD = re.compile(
    rf"(?<![\w-])(?:\w*{alternation(_STRONG_TAILS)}(?:in|innen|en|n|s)?|{alternation(_STRONG_PREFIXES)}\w+|"
    rf"{alternation(_STRONG_WORDS)})(?![\w-])", re.IGNORECASE)
MILD_WORD = bounded(alternation(_MILD_WORDS))
# "Pack" is also the imperative of "packen" ("Pack die Beutel ein"): abusive only after a determiner.
_PACK_NOUN = re.compile(r"(?:das|dieses|diesem|dem|ein|so\s+ein|\w+es)\s+pack(?![\w-])", re.IGNORECASE)

_SECOND_PERSON = bounded(alternation((
    "du", "dich", "dir", "dein", "deine", "deinen", "deiner", "deinem", "ihr seid", "ihr", "euch", "euer",
    "eure", "euren", "eurer", "sie sind", "sind sie", "bist du", "du bist",
)))
# Hostile acts aimed at a group named after them: "Traue keinem Moslem", "jagt alle Islamisten raus".
_HOSTILE_BEFORE = re.compile(
    r"(?<![\w-])(?:traue|trau|vertraue|glaube)\s+(?:keinem|keiner|keinen|nie\s+einem|niemals\s+einem)\s+"
    r"|(?:jagt|jagen|werft|schmeißt|schickt|schiebt)\s+(?:alle\s+|die\s+|diese\s+)?", re.IGNORECASE)
# Censored swear words ("Schei**", "f***"): the writer meant the word.
CENSORED = re.compile(r"(?<![\w*])[^\W\d_]{1,8}\*{2,}[^\W\d_]{0,8}(?![\w*])")
_ABUSE_FORMULAS = bounded(alternation((
    "halt die klappe", "halt die fresse", "halt's maul", "halts maul", "halt dein maul", "halt das maul",
    "fick dich", "verpiss dich", "leck mich", "du kannst mich mal", "geh sterben", "geh zum teufel",
    "hau ab", "haut ab", "schnauze", "ab ins gas", "raus mit euch", "raus mit denen", "ab nach hause",
)))
_GROUPS = bounded(alternation((
    "moslem", "muslim", "ausländer", "flüchtling", "migrant", "asylant", "jude", "türke", "araber",
    "afrikaner", "neger", "kopftuchmädchen", "diese rasse", "linke", "grüne", "grünen", "linken", "ausländern",
    "flüchtlinge", "flüchtlingen", "migranten", "muslime", "muslimen", "moslems",
    "juden", "türken", "araber", "arabern", "afrikaner", "afrikanern", "schwarze", "schwarzen", "frauen",
    "weiber", "schwule", "schwulen", "lesben", "behinderte", "behinderten", "zigeuner", "asylanten",
    "asylbewerber", "islamisten", "polen", "rumänen", "russen", "rentner", "arbeitslose", "arbeitslosen",
    "diese leute", "diese menschen", "diese typen", "solche leute", "solche menschen", "solche typen",
    "leute wie die", "leute wie ihr", "leute wie euch", "leute wie du", "menschen wie die", "die da oben",
    "dieses volk", "diese sorte", "diese art von menschen", "diese bande", "diese politiker", "die politiker",
    "diese regierung", "die linken", "die grünen", "die rechten", "dieser typ", "dieser kerl", "diese frau",
    "dieser mann", "diese person",
)))
_GROUP_PREDICATES = bounded("|".join((
    r"(?:sind|ist|seid|waren)(?:\s+(?:doch|halt|eben|einfach|alle|nur|eh|sowieso|nun\s+mal|alles|ja|total|"
    r"völlig|komplett|echt|so|zu))*\s+(?:(?:ein|eine|einfach)\s+)?(?:faul|faule|kriminell|kriminelle|"
    r"verbrecher|tiere|parasiten|schmarotzer|abschaum|dreck|minderwertig|primitiv|dumm|dumme|blöd|blöde|"
    r"untermenschen|gesindel|pack|vergewaltiger|terroristen|messerstecher|invasoren|eine\s+plage|"
    r"eine\s+last|eine\s+gefahr|schuld|schlechter|weniger\s+wert|nichts\s+wert|unfähig|zu\s+dumm|zu\s+blöd|"
    r"zu\s+faul|nicht\s+(?:klug|schlau|intelligent|fähig|gut)\s+genug)",
    r"(?:gehören|gehört)\s+nicht\s+(?:hierher|hier\s*hin|zu\s+uns|nach\s+deutschland|in\s+unser\s+land|hierhin)",
    r"(?:haben|hat)\s+(?:hier|bei\s+uns|in\s+deutschland)\s+nichts\s+(?:zu\s+suchen|verloren)",
    r"(?:sollte|sollten|muss|müsste|müssen)\s+man\s+(?:alle\s+)?(?:abschieben|rauswerfen|wegsperren|"
    r"einsperren|ausweisen|erschießen|vergasen|aufhängen|loswerden|rausschmeißen)",
    r"(?:sollten|sollte|dürfen|darf)\s+(?:\w+\s+)?nicht\s+(?:\w+\s+)?(?:dürfen|arbeiten|wählen|hier\s+sein|"
    r"in\s+die\s+nähe)",
    r"(?:abschieben|raus|ausweisen|wegsperren)(?=\s*[!.]|\s*$)",
    r"(?:töten|vergewaltigen|klauen|stehlen|morden|betrügen|lügen|schmarotzen|zerstören|überfluten|"
    r"überrennen|vermehren\s+sich|plündern|messern|abstechen)",
    r"(?:dorthin|dahin|zurück)?\s*(?:jagen|schicken|werfen|abschieben|bringen)\s*,?\s*wo(?:hin)?\s+sie\s+"
    r"(?:herkommen|hingehören)",
)))
_MENTION = bounded("|".join((
    r"(?:nenn|nenne|nennen|nennt|bezeichne|bezeichnen|bezeichnet|beschimpfe|beschimpfen)\s+(?:\w+\s+){0,3}"
    r"(?:als\s+)?\w+",
    r"(?:das|die)\s+(?:wort|wörter|begriff|begriffe|schimpfwort|schimpfwörter|ausdruck|ausdrücke)"
    r"(?:\s+(?:wie|etwa|z\.\s*b\.))?\s+[\"'„]?\w+",
    r"(?:wörter|begriffe|ausdrücke|schimpfwörter)\s+wie\s+[\"'„]?\w+(?:[\"'“]?\s*(?:,|oder|und)\s*[\"'„]?\w+)*",
    r"(?:vermeide|vermeiden|statt|anstatt|anstelle\s+von)\s+[\"'„]?\w+",
)))
_QUOTED = re.compile(r"[\"„“][^\"„“\n]{1,80}[\"“]|(?<![\w'])'[^'\n]{1,60}'(?![\w'])")
_NEAR = bridge(6)


def german_score(sentence: str) -> tuple[float, str]:
    """Score 0..1 of one German sentence and the words behind it (``""`` when nothing fired)."""
    neutral = [m.span() for m in _MENTION.finditer(sentence)] + [m.span() for m in _QUOTED.finditer(sentence)]
    hits = [m for m in (*STRONG_WORD.finditer(sentence), *_PACK_NOUN.finditer(sentence), *CENSORED.finditer(sentence))
            if not _neutral(sentence, m.span(), neutral)]
    mild = [m for m in MILD_WORD.finditer(sentence) if not _neutral(sentence, m.span(), neutral)]
    targeted = _targeted(sentence, hits + mild, neutral)
    base, evidence = 0.0, ""
    if targeted:
        base, evidence = TARGETED, targeted
    elif hits:
        base, evidence = STRONG, hits[0].group(0)
    elif mild:
        base, evidence = MILD, mild[0].group(0)
    extra = max(0, len(hits) + len(mild) - 1) * PER_EXTRA_HIT
    return (min(1.0, base + extra) if base else 0.0), evidence


def _targeted(sentence: str, insults: list[re.Match[str]], neutral: list[tuple[int, int]]) -> str:
    formula = _ABUSE_FORMULAS.search(sentence)
    if formula and not _neutral(sentence, formula.span(), neutral):
        return formula.group(0)
    for hostile in _HOSTILE_BEFORE.finditer(sentence):
        group = _GROUPS.match(sentence, hostile.end())
        if group:
            return sentence[hostile.start():group.end()]
    for group in _GROUPS.finditer(sentence):
        predicate = _GROUP_PREDICATES.search(sentence, group.end())
        if predicate and _NEAR.fullmatch(sentence, group.end(), predicate.start()) \
                and not negated_at(sentence, group.start(), "de"):
            return sentence[group.start():predicate.end()]
    for insult in insults:
        target = _target_before(sentence, insult.start())
        if target is not None:
            return sentence[target:insult.end()]
    return ""


def _target_before(sentence: str, position: int) -> int | None:
    """Start of a second-person or group reference within six words before ``position``, if any."""
    for reference in (*_SECOND_PERSON.finditer(sentence, 0, position), *_GROUPS.finditer(sentence, 0, position)):
        if _NEAR.fullmatch(sentence, reference.end(), position):
            return reference.start()
    return None


def _neutral(sentence: str, span: tuple[int, int], neutral: list[tuple[int, int]]) -> bool:
    inside = any(start <= span[0] and span[1] <= end for start, end in neutral)
    return inside or negated_at(sentence, span[0], "de")

