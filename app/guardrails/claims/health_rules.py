"""Health claims, pseudo-clinical wording and endorsements: the ``health``, ``clinical`` and ``endorsement``
kinds.

Regulation (EC) No 1924/2006 allows a health claim on a food only in authorised wording (Art. 10) and
forbids claims that refer to recommendations of individual doctors or health professionals (Art. 12(c));
UCPD Annex I No 17 treats a false claim to cure illnesses as misleading in all circumstances. So:

- ``health``: an effect on the body or mind, or a product said to be suitable or safe for people with an
  allergy, an intolerance or a condition, in pregnancy or for young children ("safe for people with a
  ragweed allergy", "fine during pregnancy", "hypoallergenic"). Effect verbs count only with a health
  object ("boosts your immune defences", "supports healthy digestion"); "boost your productivity" is not a health claim
  (object rule). Disease words count only with an effect verb ("prevents colds", "relieves pain"); "mental
  illness" alone is a topic, not a claim.
- ``clinical``: wording that implies scientific proof: "clinically proven", "lab-tested to",
  "dermatologist-approved", "science-backed", "studies show".
- ``endorsement``: experts, doctors or other professionals vouching for the product: "experts agree",
  "doctors recommend", "recommended by nutritionists", "nutritionist-approved". Treated as a health claim.
"""

from __future__ import annotations

import re

from app.guardrails.claims.patterns import LEFT, RIGHT, SEP, words

# What a health effect acts on. A verb of effect with one of these (up to three words later) is a claim.
HEALTH_OBJECTS = (
    r"immun\w*", r"defen[cs]es", r"energy", r"metabolism", r"digestion", r"digestive \w+", r"gut", r"sleep",
    r"mood", r"focus", r"concentration", r"memory", r"brain\w*", r"heart", r"skin", r"hair", r"joints?",
    r"bones?", r"muscles?", r"stamina", r"vitality", r"well-?being", r"wellness", r"health", r"blood \w+",
    r"cholesterol", r"stress", r"anxiety", r"inflammation", r"recovery", r"fat", r"weight", r"cells?",
    r"liver", r"kidneys?", r"hormones?", r"libido", r"fertility", r"eyesight", r"vision", r"teeth",
    r"circulation", r"nerves", r"minds?", r"body", r"bodies", r"toxins", r"cravings", r"appetite",
    r"headaches?", r"pain", r"colds?", r"flu", r"infections?", r"illness\w*", r"diseases?", r"cancers?",
    r"insomnia", r"wrinkles", r"ageing", r"aging", r"hangovers?", r"bloating", r"tummy", r"stomach",
    r"resilience", r"alertness", r"performance", r"endurance", r"breathing", r"lungs?", r"hydration",
    r"tension", r"worries", r"worry", r"restlessness", r"jitters", r"fatigue", r"tiredness", r"exhaustion",
)
EFFECT_VERBS = (
    r"boost\w*", r"support\w*", r"help(?:s|ed|ing)?", r"strengthen\w*", r"improv\w*", r"enhanc\w*",
    r"increas\w*", r"promot\w*",
    r"reduc\w*", r"decreas\w*", r"lower\w*", r"protect\w*", r"prevent\w*", r"fight\w*", r"combat\w*", r"restor\w*",
    r"balanc\w*", r"regulat\w*", r"maintain\w*", r"contribut\w* to", r"relie\w*", r"eas(?:e|es|ing)",
    r"sooth\w*", r"calm\w*", r"cur(?:e|es|ed|ing)", r"heal(?:s|ed|ing)?", r"treat(?:s|ed|ing)?",
    r"clear\w*", r"cleans\w*", r"purif\w*", r"revitali[sz]\w*", r"rejuvenat\w*", r"recharg\w*",
    r"nourish\w*", r"power\w* up", r"kick-?start\w*", r"sharpen\w*", r"melt\w* away", r"burn\w*",
    r"beat(?:s|ing)?", r"flush\w* out", r"repair\w*", r"renew\w*", r"detoxif\w*", r"ward\w* off", r"banish\w*",
    r"supercharg\w*", r"fortif\w*", r"maximi[sz]\w*", r"optimi[sz]\w*", r"lift\w*", r"tackl\w*", r"kill\w*",
)
_OBJECT = "(?:" + "|".join(HEALTH_OBJECTS) + ")"
_VERB = "(?:" + "|".join(EFFECT_VERBS) + ")"
# Between verb and object only determiners, modifiers and body words: "strengthens your natural immune
# defences", "improve the functioning of kidneys", "prevent stomach cancer"; not "help you narrow your focus".
_GAP_WORDS = (
    r"your|you|the|a|an|our|their|its|his|her|natural|naturally|healthy|normal|body's|daily|overall|whole|own"
    r"|mental|physical|general|good|strong|stronger|to|of|levels?|function|functioning|system|immune|digestive"
    r"|everyday|up|stomach|skin|bowel|breast|lung|colon|blood|joint|muscle|bone|heart|brain|gut|seasonal|common"
    r"|winter|busy|tired|and|day's|everyday|little|nagging"
)
_GAP = rf"(?:(?:{_GAP_WORDS}) ){{0,3}}"

# Who needs medical care when choosing a food: people with an allergy, an intolerance or a condition, pregnancy,
# and young children. Saying a product is suitable or safe for them is a health claim (the brand's own
# disclaimers usually warn these very groups), so it is never unsupported copy.
_VULNERABLE = (
    r"allerg\w*|intoleran\w*|coeliac\w*|celiac\w*|diabet\w*|pregnan\w*|breastfeed\w*|breast-feed\w*|asthma\w*"
    r"|children|kids|babies|infants|toddlers|(?:medical|health|heart|kidney|liver|thyroid) conditions?"
    r"|high blood pressure|sensitive stomachs?|sensitivit(?:y|ies)"
)
_NOT = r"(?<!not )(?<!n't )(?<!never )(?<!no longer )"
SUITABILITY = (
    rf"{_NOT}(?:suitable|safe|fine|ok|okay|perfect|ideal|good|great|gentle enough|made) (?:for|during|in) "
    rf"(?:(?:\w+ ){{0,4}}?(?:with|who (?:have|are|suffer from)|suffering from|sensitive to|allergic to|living with) )?"
    rf"(?:an? |any |your |their )?(?:[\w-]+ ){{0,2}}?(?:{_VULNERABLE})"
    rf"|hypoallergenic|allergen{SEP}free|(?:will not|won't|does not|doesn't|never) (?:trigger|cause) "
    rf"(?:an? |any |your )?(?:[\w-]+ ){{0,2}}?(?:allerg\w*|reactions?)"
)

# A promised state of body or mind as the purpose of drinking or eating the product: "try it today to unwind
# before bed", "sip a cup and relax", "for a restful night", "a relaxing blend". The effect is implied, not
# stated, and is still a health claim (Regulation (EC) No 1924/2006, Art. 2(2)(5): any claim that "states,
# suggests or implies" a relationship between a food and health).
_STATE = r"(?:unwind|relax|de-?stress|wind down|calm down|drift off|fall asleep|sleep (?:well|better|soundly|deeply))"
IMPLIED_STATE = (
    rf"(?:to|and|so you can|for you to|helps? you(?: to)?|let yourself) {_STATE}"
    rf"|(?:a |for an? )?(?:restful|peaceful|better|deeper|sound) night(?:'s sleep)?|good night's sleep"
    # "a relaxing tea" gives the product the effect; "a relaxing evening" describes the moment (the brand's
    # own policy: "describe the moment, not an effect").
    rf"|relaxing (?:drink|cup|blend|tea|brew|infusion)s?"
)

HEALTH = re.compile(
    rf"{LEFT}(?:{_VERB} {_GAP}{_OBJECT}){RIGHT}"
    rf"|{LEFT}(?:{IMPLIED_STATE}){RIGHT}"
    rf"|{LEFT}(?:{SUITABILITY}){RIGHT}"
    # "helps you wind down", "lets you sleep": an effect on the reader.
    rf"|{LEFT}(?:helps?|helping|lets?) (?:you |your body |your mind )?(?:to )?(?:wind down|relax|unwind|sleep"
    rf"|rest|de-?stress|feel (?:calm|calmer|better|lighter|rested|refreshed|relaxed"
    rf"|energi[sz]ed|focused|less \w+)|lose weight|slim down|focus|recover)\w*{RIGHT}"
    rf"|{LEFT}(?:detox\w*|insomnia|anti{SEP}?(?:ageing|aging|oxidants?|inflammatory|stress)|antioxidants?"
    rf"|weight{SEP}loss|fat{SEP}burn\w*|slimming (?:tea|drink|effect|aid|formula|properties)|slims? you"
    rf"|calming|soothing|superfoods?|medicinal"
    rf"|(?:re)?grows? (?:your |back )?hair|hair (?:grow\w*|regrowth)"
    rf"|makes? your \w+ (?:grow|glow|look younger|feel younger)|immunity|immune[- ]boost\w*|gut health"
    rf"|good for your (?:gut|health|heart|body)"
    rf"|stress{SEP}(?:relief|free)|sleep (?:aid|better|soundly|deeply)|better sleep|deeper sleep"
    rf"|energi[sz]ing|invigorating|revitali[sz]ing|restorative|youthful (?:skin|glow|look)"
    rf"|keeps? you (?:sharp|alert|focused|calm|awake|energi[sz]ed|healthy|fit|young|regular|slim|going strong)"
    rf"|keeps? (?:the )?(?:\w+ )?(?:colds?|flu|illness\w*|infections?|doctors?|diseases?|bugs|germs) (?:at bay|away)"
    rf"|(?:natural|sustained|all-day) energy|energy{SEP}boost\w*|remed(?:y|ies)|cure{SEP}all|pain{SEP}relief"
    rf"|healthy (?:digestion|skin|heart|gut|immune \w+|sleep|metabolism|weight|joints|bones|hair|blood \w+)"
    rf"|(?:good|great|better) for (?:you|your health)|healthier (?:you|life|body))"
    rf"{RIGHT}",
)

CLINICAL = words(
    rf"(?:lab|laboratory|clinically|dermatologically|scientifically|independently|medically|clinical(?:ly)?)"
    rf"{SEP}(?:tested|proven|shown|approved|formulated|validated|verified|backed|certified|studied)",
    rf"(?:science|research|evidence|study|studies|data|lab){SEP}(?:backed|based|driven|led|proven|tested)",
    r"backed by (?:science|research|studies|data|clinical \w+|scientists|\w+ research)",
    rf"(?:clinical|medical|pharmaceutical|pharma){SEP}(?:grade|strength)",
    r"(?:studies|research|trials|tests|science|scientists|data) (?:show|shows|suggest\w*|prove\w*|confirm\w*"
    r"|found|finds|indicate\w*|reveal\w*)",
    r"(?:proven|tested|shown) to", r"in (?:clinical|lab|laboratory|independent) (?:tests|trials|studies)",
    r"tested in (?:a |the |our )?(?:labs?|laborator(?:y|ies))", r"lab tests?",
    r"dermatologist\w*", r"hypoallergenic", r"clinically", r"scientifically (?:proven|tested|shown)",
)

_PROFESSIONALS = (
    r"(?:experts?|scientists?|doctors?|drs|gps?|dentists?|dermatologists?|nutritionists?|dietitians?"
    r"|dieticians?|pharmacists?|physicians?|nurses?|midwives|vets?|veterinarians?|researchers?|specialists?"
    r"|health professionals?|professionals?|herbalists?|naturopaths?|trainers?|physios?|physiotherapists?)"
)
ENDORSEMENT = re.compile(
    rf"{LEFT}(?:(?:leading |top |independent |most |many |\d+ out of \d+ |nine out of ten |\d+\s?% of )?"
    rf"{_PROFESSIONALS} (?:all )?(?:agree|recommend\w*|approve\w*|endorse\w*|trust\w*|swear by|choose"
    rf"|prefer\w*|say|back\w*|vouch\w*)"
    rf"|(?:recommended|approved|endorsed|trusted|backed|praised|chosen|used|tested|loved|favou?red|prescribed)"
    rf" by (?:\w+ ){{0,2}}"
    rf"{_PROFESSIONALS}"
    rf"|(?:doctor|expert|nutritionist|dietitian|dentist|pharmacist|physician|nurse|vet|scientist|gp)"
    rf"{SEP}(?:approved|recommended|endorsed|backed|trusted|formulated|developed|designed))"
    rf"{RIGHT}",
)

PATTERNS: dict[str, re.Pattern[str]] = {"health": HEALTH, "clinical": CLINICAL, "endorsement": ENDORSEMENT}
