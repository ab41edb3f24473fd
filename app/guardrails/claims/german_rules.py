"""German claims: the same kinds as the English rule families, in German wording.

The law behind each kind is the same as in the English modules (the German market is where it is enforced
most: UWG §5 misleading claims, the Health Claims Regulation (EC) No 1924/2006 as the "HCVO", Directive (EU)
2024/825 on generic environmental claims). The patterns are written for kinds of wording, not for example
sentences:

- ``superlative``: an article or possessive before a superlative adjective ("der beste", "unser feinster",
  "die frischesten"), "weltbeste", "... der Welt", "unschlagbar", "unübertroffen", "konkurrenzlos",
  "erstklassig" ("einzigartig", like "unique", is not); ordinals ("die erste", "der letzte", "das zwanzigste") are not.
- ``comparative``: a lower-case "-er" adjective before "als" ("frischer als", "besser als"), "mehr/weniger
  ... als", "doppelt so", "im Vergleich zu", comparisons with "herkömmlichen" or "normalen" products.
- ``ranking`` / ``award``: "Nr. 1", "Nummer eins", "Testsieger", "Marktführer", "meistverkauft";
  "preisgekrönt", "ausgezeichnet mit", "Goldmedaille", "prämiert".
- ``health``: an effect verb with a body or health object ("stärkt das Immunsystem", "fördert die
  Verdauung", "lindert Kopfschmerzen"); "heilt" and its forms, "gegen" with a complaint ("gegen Erkältung",
  "hilft gegen Stress"), "beugt ... vor", and the HCVO register's wording "trägt zu(r) ... bei" when a body
  function or health word stands between, and its other wordings ("wird für ... benötigt", "ist wichtig für")
  (authorised only as approved, in that exact scope); verbs after their object ("die das Immunsystem stärkt",
  "Cellulite wird geglättet"); "gesundes Immunsystem", "macht schlank", "jünger aussehen"; "entgiftend",
  "entschlackend", "gesundheitsfördernd", "wohltuend", "beruhigend".
- ``clinical`` / ``endorsement``: "klinisch getestet/bewiesen", "wissenschaftlich belegt", "dermatologisch
  geprüft", "Studien belegen", "nachweislich"; "Ärzte empfehlen", "von Experten empfohlen".
- ``environmental_generic``: "umweltfreundlich", "klimafreundlich", "nachhaltig", "ökologisch", "öko",
  "umweltschonend", "gut für die Umwelt", "100 % natürlich" (Directive (EU) 2024/825); "nachhaltig" as the
  adverb of a verb ("nachhaltig verbessern": lasting) is not; ``environmental``:
  "klimaneutral", "CO2-neutral", "kompostierbar", "biologisch abbaubar", "recycelbar", "plastikfrei", "bio".
  "Grüner Tee" is a tea, not a claim.
- ``nutrition``: "zuckerfrei", "fettarm", "koffeinfrei", "90 % fettfrei", "ohne Zuckerzusatz", "reich an
  Ballaststoffen" (each wording has its threshold in Regulation (EC) No 1924/2006, Annex; German only so far).
- ``financial`` / ``savings`` / ``guarantee``: "gratis", "kostenlos", "umsonst", "versandkostenfrei",
  "Rabatt", "günstig"; "spare bis zu 50 %", "50 % Rabatt", "zum halben Preis", "statt 12,90 €";
  "Garantie", "garantiert", "Geld-zurück".

:func:`german_claims` matches on the lower-cased text, except the superlative and comparative adjectives,
which are read in the text as written: German capitalises nouns, so "die Kosten", "die Gäste" or "der
Lehrer als" are nouns, not adjectives. Every pattern is one regex pass: linear in the text.
"""

from __future__ import annotations

import re

from app.guardrails.claims.patterns import LEFT, RIGHT

_W = r"[^\W\d_]"  # a letter of any script
_ARTICLE = (r"(?:der|die|das|den|dem|des|unser|unsere|unserer|unseren|unserem|unseres|ihr|ihre|ihren|ihrem|ihres"
            r"|dein|deine|deinen|deinem|deines|aufs|zum|zur|im)")
# Ordinals, quantity words, idioms and adjectives whose stem ends in -st end in "-ste" too: "die erste Ernte",
# "das letzte Mal", "die meisten Kunden", "am liebsten", "die feste Konsistenz", "die angepasste Mischung".
_NOT_SUPERLATIVE = (r"(?:erst|letzt|nächst|zweit|dritt|viert|fünft|sechst|siebt|acht|neunt|zehnt|elft|zwölft"
                    r"|\w*zehnt|\w*zigst|\w*ßigst|hundertst|tausendst|meist|wenigst|selbst|jüngst|liebst|ehest"
                    r"|neuest|\w*fest|robust|\w*bewusst|trist|dreist|wüst|ernst|\w*sst|\w*kost|\w*rast|\w*test)")
# "der beste", "unser feinster", "am schnellsten", "die frischesten Blätter": article + lower-case -st- form.
SUPERLATIVE_CASED = re.compile(
    rf"(?i:{LEFT}{_ARTICLE})\s+(?:[a-zäöüß]+(?:e|en|er|es|em)?\s+)?"
    rf"(?!{_NOT_SUPERLATIVE}(?:e|en|er|es|em)?{RIGHT})(?:[a-zäöüß]{{2,}}e?st|größt)(?:e|en|er|es|em)(?![\w-])"
    # "am frischesten"; "am besten" is advice ("am besten mit Milch"), as "it's best to" is in English.
    rf"|(?i:{LEFT}am)\s+(?!(?:{_NOT_SUPERLATIVE}|best)en{RIGHT})(?:[a-zäöüß]{{2,}}e?st|größt)en(?![\w-])")
SUPERLATIVE = re.compile(
    rf"{LEFT}(?:welt(?:beste|besten|bester|bestes)|(?:der|die|das|den|dem|des) (?:aller)?beste[nrms]?"
    rf"|beste[nrms]? (?:\w+ )?(?:der|in der|auf der) welt|unschlagbar\w*|unübertroffen\w*|unvergleichlich\w*"
    rf"|konkurrenzlos\w*|erstklassig\w*|weltklasse|spitzenqualität|spitzenklasse|allerbeste\w*"
    rf"|ohnegleichen|wie kein (?:anderer|anderes|andere)|nichts kommt (?:da |dem )?(?:heran|gleich)"
    rf"|perfekte[nrms]?|perfekt(?= [.!]|$))"
    rf"{RIGHT}")
# "frischer als", "besser als", "mehr Aroma als": a lower-case comparative before "als".
_NOT_COMPARATIVE = (r"(?:aber|oder|immer|wieder|über|unter|hinter|weder|jeder|jener|dieser|einer|keiner|seiner"
                    r"|ihrer|unser|euer|mehr|sonder|außer|ander|später|früher|lieber|eher|vorher|nachher"
                    r"|ehemaliger|leider|nieder|innerhalb|inner|äußer|vier|der|er|wer|ihr|meiner|deiner)")
COMPARATIVE_CASED = re.compile(
    rf"(?<![\w-])(?:(?!{_NOT_COMPARATIVE}\s)[a-zäöüß]{{3,}}er|(?i:mehr|weniger)\s+\w+)\s+als(?![\w-])"
    rf"(?!\s+(?:\d|ein\b|eine\b|einen\b|einem\b|erwartet|gedacht|nötig|üblich|sonst|je\b|zuvor|vorher))")
COMPARATIVE = re.compile(
    rf"{LEFT}(?:doppelt so|(?:zwei|drei|vier|fünf|zehn|\d+)(?:-| )?mal so|im vergleich (?:zu|mit)|verglichen mit"
    rf"|\d+\s?(?:%|prozent) (?:mehr|weniger|(?!(?:unser|ihr|dein|eur|ander|jed|dies)e)[a-zäöüß]{{3,}}ere[nrms]?)"
    rf"|(?:als|wie) (?:herkömmliche|normale|gewöhnliche|übliche|konventionelle|andere|billige)\w* \w+"
    rf"|schlägt (?:jeden|jede|jedes|alle|andere)|statt (?:herkömmlicher|normaler|gewöhnlicher|billiger)\w* \w+)"
    rf"{RIGHT}")
RANKING = re.compile(
    rf"{LEFT}(?:nr\.\s?1|nr\.\s?eins|nummer (?:1|eins)|platz (?:1|eins)|testsieger\w*|marktführer\w*"
    rf"|meistverkauft\w*|bestseller\w*|beliebteste[nrms]?|meistgekauft\w*)(?![\w-])")
AWARD = re.compile(
    rf"{LEFT}(?:preisgekrönt\w*|ausgezeichnet (?:mit|von|als|durch)|auszeichnung\w*|prämiert\w*"
    rf"|(?:gold|silber|bronze)medaille\w*|medaille\w*|gewinner (?:des|der|von)|testurteil\w*)"
    rf"{RIGHT}")

# Complaints a product may claim to act against: "gegen Erkältung", "bei Kopfschmerzen".
_COMPLAINTS = (
    r"erkältung\w*|grippe\w*|husten|schnupfen|halsschmerz\w*|kopfschmerz\w*|migräne|schmerz\w*|krankheit\w*"
    r"|krebs|infekt\w*|entzündung\w*|schlaflosigkeit|einschlafproblem\w*|schlafstörung\w*|schlafprobleme?n?"
    r"|stress|müdigkeit|erschöpfung|übelkeit|sodbrennen|blähung\w*|verstopfung|durchfall|bluthochdruck"
    r"|diabetes|allergie\w*|heuschnupfen|kater|regelschmerz\w*|menstruationsbeschwerden|wechseljahr\w*"
    r"|nervosität|unruhe|angst\w*|depression\w*|burnout|falten|cellulite|akne|pickel|haarausfall"
    r"|übergewicht|viren|bakterien|magen\w*|bauchschmerz\w*|verdauungsbeschwerden|muskelkater|erschöpfung"
    r"|konzentrationsschwäche|vergesslichkeit|antriebslosigkeit|frühjahrsmüdigkeit|heißhunger|cholesterin\w*")
# What a health effect acts on (stems and words; the effect verb comes first).
_HEALTH_OBJECTS = (
    _COMPLAINTS + r"|immun\w*|abwehr\w*|verdauung\w*|darm|darms|darmflora|darmgesundheit|schlaf|schlafs"
    r"|schlafqualität|einschlafen|durchschlafen|konzentration\w*|gedächtnis\w*|stoffwechsel\w*|herz|herzens"
    r"|herzgesundheit|herz-kreislauf\w*|kreislauf\w*|haut|haare?|nägel|gelenk\w*|knochen|muskel\w*"
    r"|gewicht\w*|abnehmen|fettverbrennung|blutdruck\w*|blutzucker\w*|nerven|nervensystem\w*|psyche"
    r"|wohlbefinden\w*|gesundheit\w*|zellen|zellschutz|leber\w*|nieren?|hormon\w*|libido|körper|körpers"
    r"|leistungsfähigkeit|vitalität|alterung|giftstoffe|schadstoffe|schlacken|toxine|appetit|regeneration"
    r"|ausdauer|sehkraft|zähne|lunge\w*|atemwege|blase\w*|symptome\w*|kalorien|selbstheilungskräfte\w*"
    r"|leistung|geistig\w* leistung|denkfähigkeit|merkfähigkeit|kognitiv\w* \w+|muskulatur|bindegewebe\w*"
    r"|faltentiefe|problemzonen|abwehrzellen|immunfunktion|nervenkostüm|kräfte|selbstheilung\w*")
_EFFECT_VERBS = (
    r"stärk\w*|förder\w*|unterstütz\w*|verbesser\w*|steiger\w*|erhöh\w*|senk\w*|reduzier\w*|verringer\w*"
    r"|schütz\w*|bekämpf\w*|lindert|lindern|linderung|beruhig\w*|entgift\w*|reinig\w*|regenerier\w*|kurier\w*"
    r"|beseitig\w*|vertreib\w*|beschleunig\w*|ankurbel\w*|kurbel\w* \w+ an|aktivier\w*|vitalisier\w*|belebt"
    r"|beleben|regulier\w*|harmonisier\w*|entspann\w*|entlast\w*|kräftig\w*|optimier\w*|boost\w*|pusht|hemm\w*"
    r"|verhinder\w*|verhüt\w*|heilt|heilen|heilung|vorbeug\w*|behandl\w*|stimulier\w*|glätt\w*|straff\w*"
    r"|minder\w*|hilft|helfen|hilfe|sorgt für (?:eine |einen |ein )?(?:gesund\w*|besser\w*|erholsam\w*)")
# The same verbs after their object, as German puts them at the end of a clause ("die das Immunsystem stärkt",
# "die Abwehrkräfte zu unterstützen") or in the passive ("Cellulite wird geglättet").
_VERB_LAST = (
    r"(?:ge)?(?:stärk|förder|unterstütz|verbesser|steiger|erhöh|senk|reduzier|verringer|schütz|bekämpf|linder"
    r"|beruhig|entgift|reinig|regenerier|kurier|beseitig|aktivier|regulier|stimulier|glätt|straff|minder|heil)"
    r"(?:t|en|e|et|te|ten|ung)")
_GAP_WORDS = (
    r"das|die|den|der|dem|des|dein|deine|deinen|deines|ihr|ihre|ihren|ihres|ihrem|unser|unsere|ein|eine|einen"
    r"|einer|eines|natürlich\w*|normal\w*|gesund\w*|körpereigen\w*|eigen\w*|gut\w*|besser\w*|erholsam\w*|tief\w*"
    r"|ruhig\w*|stark\w*|starken|zu|zur|zum|und|vor|bei|gegen|spürbar|deutlich|nachhaltig|schnell|sanft"
    r"|funktion|abwehrkräfte|von|entwicklung|erhaltung|aufrechterhaltung|bildung|[^\W\d_]+-")
_GAP = rf"(?:(?:{_GAP_WORDS}) ){{0,4}}"
HEALTH = re.compile(
    rf"{LEFT}(?:(?:{_EFFECT_VERBS}) {_GAP}(?:{_HEALTH_OBJECTS})"
    # "heilt", "heilende Kräuter", "Heilwirkung": a claim to heal, in any form ("heil angekommen" is not).
    rf"|heilt|heilen|heilend\w*|heilsam\w*|heilwirk\w*|heilkr(?:a|ä)ft\w*|heilmittel\w*|heilpflanze\w*"
    # "Tee gegen Erkältung", "hilft gegen Stress", "wirkt bei Kopfschmerzen".
    rf"|(?:gegen|bei|wider) (?:(?:den|die|das|der|lästige\w*|akute\w*|chronische\w*|leichte\w*|starke\w*"
    rf"|nervöse\w*|innere\w*) )?(?:{_COMPLAINTS})"
    rf"|beug\w* (?:\S+ ){{0,3}}(?:{_HEALTH_OBJECTS}) vor"
    rf"|(?:{_HEALTH_OBJECTS}) (?:\S+ ){{0,2}}?(?:zu |wird |werden )?(?:\S+ )?{_VERB_LAST}"
    # "gesundes Immunsystem", "für einen gesunden Schlaf"; "macht schlank", "macht wach"; looking younger.
    rf"|gesund\w* (?:{_HEALTH_OBJECTS})|macht (?:\w+ )?(?:schlau|klug|schlank|fit|munter|wach|jünger|straff|müde)"
    rf"|\d+ jahre jünger|jünger aussehen|verjüng\w*|hautverjüngung|anti-?aging|anti-?falten|falten(?:reduktion"
    rf"|reduzierung|glättung)|\w*straffung"
    rf"|(?:entgiftend|entschlackend|entschlackung|detox|gesundheitsförder\w*|immunstärkend\w*|wohltuend\w*"
    rf"|beruhigend\w*|belebend\w*|vitalisierend\w*|stresslösend\w*|schlaffördernd\w*|verdauungsfördernd\w*"
    rf"|fatburner|schlankmacher|superfood\w*|gesund für|gut für (?:die |deine |ihre |den |das )?(?:gesundheit"
    rf"|abwehr\w*|verdauung|darm|haut|herz|nerven|körper|immunsystem|schlaf)"
    rf"|(?:hilft|helfen|hilfe) (?:\w+ ){{0,2}}(?:beim )?(?:ein|durch)schlafen|besser (?:ein|durch)?schlafen"
    rf"|schläfst (?:besser|tiefer|ruhiger)|schlafen (?:sie )?(?:besser|tiefer|ruhiger)))"
    rf"{RIGHT}")
# The HCVO register's wording: "trägt zur normalen Funktion des Immunsystems bei". Kept only when a body
# function or health word stands inside (see :func:`german_claims`).
CONTRIBUTES = re.compile(rf"{LEFT}(?:tr(?:ä|ae)gt|tragen|beitragen|beiträgt) (?:\S+ ){{0,3}}?zu[mr]? "
                         rf"(?:\S+ ){{0,8}}?bei{RIGHT}|{LEFT}leistet einen beitrag (?:zu[mr]? )?(?:\S+ ){{0,8}}"
                         # the register's other wordings: "wird für die Erhaltung normaler Knochen benötigt"
                         rf"|{LEFT}(?:wird|werden) für (?:\S+ ){{0,6}}?benötigt{RIGHT}"
                         rf"|{LEFT}(?:ist|sind) (?:wichtig|notwendig|unverzichtbar|gut) für (?:\S+ ){{0,5}}")
# Inside the register's wording a body function counts in any compound: "Darmfunktion", "Nervensystems".
_HEALTH_INSIDE = re.compile(rf"{LEFT}(?:{_HEALTH_OBJECTS}|\w*funktion\w*|\w*system\w*|darm\w*|immun\w*){RIGHT}")
CLINICAL = re.compile(
    rf"{LEFT}(?:(?:klinisch|wissenschaftlich|dermatologisch|medizinisch|ärztlich|labor|unabhängig|"
    rf"nachweislich)(?:[- ]| und )?(?:getestet|geprüft|bewiesen|erwiesen|belegt|bestätigt|nachgewiesen|untersucht"
    rf"|erprobt|fundiert)\w*|im labor (?:getestet|geprüft)|klinische[nrms]? (?:studie|test|prüfung)\w*"
    rf"|(?:studien|forschung|wissenschaft|tests|untersuchungen) (?:belegen|belegt|zeigen|zeigt|beweisen"
    rf"|beweist|bestätigen|bestätigt|haben gezeigt)|laut (?:studien|wissenschaftlern|forschern)|nachweislich"
    rf"|wissenschaftlich|pharmazeutische\w* qualität|medizinische\w* qualität)"
    rf"{RIGHT}")
_PROS = (r"(?:ärzte|ärzten|ärztinnen|arzt|experten|expertinnen|fachleute|fachleuten|ernährungsberater\w*"
         r"|ernährungswissenschaftler\w*|apotheker\w*|heilpraktiker\w*|dermatologen|hautärzte\w*|wissenschaftler\w*"
         r"|forscher\w*|hebammen|therapeuten)")
ENDORSEMENT = re.compile(
    rf"{LEFT}(?:(?:viele |führende |\d+ von \d+ |neun von zehn )?{_PROS} (?:\w+ )?(?:empfehlen|raten zu|vertrauen"
    rf"|schwören auf|bestätigen|sind sich einig)"
    rf"|(?:von|vom) (?:\w+ ){{0,2}}{_PROS} (?:empfohlen|getestet|entwickelt|geprüft|bestätigt)"
    rf"|(?:arzt|ärzte|experten|apotheker)(?:[- ])?(?:empfohlen|geprüft|getestet))"
    rf"{RIGHT}")
ENVIRONMENTAL_GENERIC = re.compile(
    rf"{LEFT}(?:umweltfreundlich\w*|klimafreundlich\w*|naturfreundlich\w*|planetenfreundlich\w*"
    rf"|umweltschonend\w*|ressourcenschonend\w*|umweltbewusst\w*|klimabewusst\w*|umweltverträglich\w*"
    # "nachhaltig" before an infinitive means "lasting" ("nachhaltig zu finanzieren", "nachhaltig verändern");
    # before a participle it is a claim again ("nachhaltig angebauten Tee", "nachhaltig produziert").
    rf"|nachhaltig(?:e[nrms]?|keit\w*)|nachhaltig(?! zu | [a-zäöüß]+(?<!t)e?n{RIGHT})"
    rf"|ökologisch\w*|öko|öko-\w+|ökobilanz\w*"
    rf"|(?:gut|besser|schonend|freundlich) für (?:die umwelt|den planeten|das klima|die natur|die erde)"
    rf"|schont (?:die umwelt|das klima|den planeten|ressourcen)|grüne[nrms]? (?:wahl|zukunft|unternehmen"
    rf"|verpackung|gewissen)|grüner leben|(?:100|hundert) ?(?:%|prozent) natürlich|rein natürlich\w*"
    rf"|chemiefrei\w*|giftfrei\w*|schadstofffrei\w*|mit gutem gewissen)"
    rf"{RIGHT}")
ENVIRONMENTAL = re.compile(
    rf"{LEFT}(?:klimaneutral\w*|klimapositiv\w*|(?:co2|co₂)-?(?:neutral|frei|negativ|kompensiert|reduziert|arm"
    rf"|sparend|bilanz)\w*"
    rf"|kohlenstoffneutral\w*|klimakompensiert\w*|kompostierbar\w*|biologisch abbaubar\w*|abbaubar\w*|recycelbar\w*"
    rf"|recyclebar\w*|recycelt\w*|recycling\w*|wiederverwertbar\w*|plastikfrei\w*|kunststofffrei\w*"
    rf"|ohne plastik|zero waste|müllfrei\w*|verpackungsfrei\w*|bio|bio-\w+|biologisch\w*|ökostrom"
    rf"|erneuerbare\w* energie\w*|fair gehandelt\w*|fairtrade|kontrolliert biologisch\w*)"
    rf"{RIGHT}")
FINANCIAL = re.compile(
    rf"{LEFT}(?:gratis|kostenlos\w*|umsonst|versandkostenfrei\w*|portofrei\w*|gebührenfrei\w*|rabatt\w*"
    rf"|preiswert\w*|günstig\w*|billig\w*|schnäppchen\w*|sonderangebot\w*|sonderpreis\w*|gutschein\w*"
    rf"|keine versteckten kosten|ohne (?:versand)?kosten|geld verdienen|zusatzeinkommen|nebeneinkommen)"
    rf"{RIGHT}")
_AMOUNT = r"\d+(?:[.,]\d+)*\s?(?:%|prozent|€|euro)"
SAVINGS = re.compile(
    rf"{LEFT}(?:spar\w* (?:(?:bis zu|über|mehr als|fast|mindestens) )?(?:{_AMOUNT}|die hälfte|ein drittel"
    rf"|ein viertel|geld|bares)|(?:bis zu )?{_AMOUNT} (?:rabatt|nachlass|reduziert|sparen|ersparnis|günstiger"
    rf"|billiger|weniger zahlen)|zum halben preis|halber preis|(?:statt|vorher|früher|uvp|sonst) (?:nur )?"
    rf"(?:€ ?)?\d+(?:[.,]\d+)*(?: ?€| euro)?|reduziert\w*|preissenkung\w*|preisnachlass\w*|ausverkauf"
    rf"|(?:zwei|2|drei|3) (?:zum preis von|für) (?:einem|einer|eins|1|zwei|2)|kauf\w* (?:2|zwei),? zahl\w* "
    rf"(?:1|eins|einen))"
    rf"{RIGHT}")
GUARANTEE = re.compile(
    rf"{LEFT}(?:(?:[^\W\d_]+-)*garantie\w*|garantiert\w*|geld-?zurück(?:-?garantie\w*)?|geld zurück|risikofrei\w*"
    rf"|ohne risiko"
    rf"|versprochen|(?:wir )?versprechen)"
    rf"{RIGHT}")

# Nutrition claims (Regulation (EC) No 1924/2006, Annex: each wording has a threshold, "X % fettfrei" is banned).
_NUTRIENTS = r"(?:zucker|fett|salz|natrium|kalorien|energie|koffein|tein|laktose|gluten|cholesterin|alkohol)"
NUTRITION = re.compile(
    rf"{LEFT}(?:{_NUTRIENTS}(?:frei|arm|reduziert|reduzierte[nrms]?|freie[nrms]?|arme[nrms]?)"
    rf"|\d+\s?(?:%|prozent) {_NUTRIENTS}frei\w*|ohne (?:zusatz von |zugesetzten? )?zucker(?:zusatz)?"
    rf"|(?:protein|eiweiß|ballaststoff|vitamin|mineralstoff|calcium|kalzium|eisen|magnesium|antioxidantien)reich\w*"
    rf"|reich an (?:protein|eiweiß|ballaststoffen|vitamin\w*|mineralstoffen|calcium|eisen|magnesium|antioxidantien)"
    rf"|(?:hoher|hohem) (?:protein|eiweiß|ballaststoff|vitamin)\w*gehalt)"
    rf"{RIGHT}")

LOWER_PATTERNS: dict[str, re.Pattern[str]] = {
    "superlative": SUPERLATIVE, "comparative": COMPARATIVE, "ranking": RANKING, "award": AWARD, "health": HEALTH,
    "clinical": CLINICAL, "endorsement": ENDORSEMENT, "environmental_generic": ENVIRONMENTAL_GENERIC,
    "environmental": ENVIRONMENTAL, "financial": FINANCIAL, "savings": SAVINGS, "guarantee": GUARANTEE,
    "nutrition": NUTRITION,
}
CASED_PATTERNS: dict[str, re.Pattern[str]] = {"superlative": SUPERLATIVE_CASED, "comparative": COMPARATIVE_CASED}


def german_claims(text: str, lower: str) -> list[tuple[str, re.Match[str]]]:
    """``(kind, match)`` for every German candidate: lower-case patterns on ``lower``, cased ones on
    ``text`` (same offsets); the caller drops negated ones and makes claims of them."""
    found = [(kind, m) for kind, pattern in LOWER_PATTERNS.items() for m in pattern.finditer(lower)]
    found += [(kind, m) for kind, pattern in CASED_PATTERNS.items() for m in pattern.finditer(text)]
    found += [("health", m) for m in CONTRIBUTES.finditer(lower) if _HEALTH_INSIDE.search(m.group(0))]
    return found
