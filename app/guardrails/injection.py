"""Prompt-injection guardrail: a weighted rule set over normalised text.

Where it runs: on briefs when submitted, on KB documents at ingestion and again when retrieved (a
chunk goes into the prompt between delimiters), and on drafts (an injection that survived into output).

Contract
--------
``scan_injection(text)`` returns an :class:`InjectionVerdict`: ``score`` in 0..1, ``is_injection``
(``score >= INJECTION_THRESHOLD``) and the findings ``(start, end, rule, reason)`` with spans in the
ORIGINAL text, one per rule match, whether or not the text crossed the threshold. It never raises on
a str. :class:`InjectionCheck` wraps it as a check: when the verdict is an injection, one failed
result per rule that fired, rule ``injection:<rule>``, severity block, all of that rule's spans.

How the score is made
---------------------
1. Normalise (:func:`normalise`): Unicode NFKC (full-width and "mathematical" letters become plain),
   invisible format characters dropped, curly quotes made straight, lower case, and light
   de-obfuscation: leetspeak inside words (``1gn0re`` -> ``ignore``) and letters spaced out by one
   separator (``i g n o r e`` -> ``ignore``). Each normalised character keeps its original offset.
2. Match every rule (:data:`RULES`; a rule only runs when one of its needles occurs). A rule's
   weight is the probability, judged by design, that a text matching it is an attack. Specific
   patterns ("ignore the previous instructions", chat-template tokens, "reveal your system prompt")
   weigh 0.55 to 0.9 and decide alone; vague cues ("jailbreak", "developer mode", "stay in
   character", "without warnings", "ChatGPT") weigh 0.15 to 0.45 and only count together, which is
   what jailbreak templates look like and ordinary text does not.
3. Combine the rules that fired as a noisy-OR: ``score = 1 - prod(1 - weight)``, each rule once.
   ``INJECTION_THRESHOLD = 0.5``: one strong rule, or two or three weak ones.

The rules are written for the known families of attack (instruction override, role hijack and
persona templates, system-prompt and secret exfiltration, delimiter/format injection, policy evasion,
text addressed to an AI reader), not copied from the evaluation files.

Measured 2026-11-23 (``app.evaluation.guardrail_metrics``; data in ``../shared/datasets``)
----------------------------------------------------------------------------------------
========================================  =====================  ==========================
set                                       at 0.5 (default)       at 0.45 / 0.6
========================================  =====================  ==========================
llm-guard injections, recall              43/49 = 0.88           44/49 / 36/49
llm-guard jailbreak templates, recall     99/104 = 0.95          99/104 / 95/104
NotInject benign with trigger words, FA   0/339 = 0.00           1/339 / 0/339
llm-guard benign prompts, FA              0/11                   0/11 / 0/11
clean copy (Fernhill + 18F paragraphs)    0/489                  0/489 / 0/489
========================================  =====================  ==========================

Read these as optimistic: the rule families were refined over a few rounds while looking at which
evaluation rows were missed (general rules, no copied strings, but the same data). The target was
recall >= 0.90 on each attack set at <= 5% false alarms; the injection set falls short (0.88). What
the rules miss is what has no attack vocabulary: goal hijacks phrased as ordinary requests, standing
orders for future answers (0.45 alone), adversarial gibberish suffixes, token-smuggling through
code, scene-setting role-play with no rule words. Those need a trained classifier; this scan is the
fast first line.

Cost: about 1.4 microseconds per character: 0.10 ms for an 87-character prompt, 0.16 ms for a
195-character paragraph, 0.35 ms for a 300-character brief, 3.2 ms for a 2,200-character jailbreak
template (pure ``re``; a rule's regex runs only when one of its needles occurs).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.guardrails.base import CheckContext, CheckResult, Severity

INJECTION_THRESHOLD = 0.5


@dataclass(frozen=True)
class Rule:
    name: str
    weight: float
    needles: tuple[str, ...]  # the rule runs only if one of these occurs in the normalised text
    pattern: re.Pattern[str]
    reason: str
    on_original: bool = False  # match the raw text (case matters), not the normalised one
    word_start: bool = False  # a match must start at a word boundary (see _without_leading_word_boundaries)


@dataclass
class InjectionVerdict:
    is_injection: bool
    score: float
    findings: list[tuple[int, int, str, str]] = field(default_factory=list)


def _rx(pattern: str) -> re.Pattern[str]:
    # In a rule, " " means a run of whitespace and " ?" optional whitespace: rules stay readable.
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"))


def _without_leading_word_boundaries(pattern: str) -> tuple[str, bool]:
    # A leading \b stops Python's re from skipping ahead to the possible first letters, which makes a
    # scan about 4x slower; the rule drops it from each top-level branch and checks the boundary itself.
    branches = _top_level_branches(pattern)
    if not all(b.startswith(r"\b") for b in branches):
        return pattern, False
    return "|".join(b[2:] for b in branches), True


def _top_level_branches(pattern: str) -> list[str]:
    branches, depth, start, i = [], 0, 0, 0
    in_class = False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*branches, pattern[start:]]


def _rule(name: str, weight: float, needles: str, pattern: str, reason: str) -> Rule:
    body, word_start = _without_leading_word_boundaries(pattern)
    return Rule(name, weight, tuple(needles.split("|")), _rx(body), reason, word_start=word_start)


# Building blocks. GAP allows a few filler words ("ignore all of the previous ...").
GAP = r"(?:[^\s.!?]+ ){0,3}"
OVERRIDE_VERBS = (r"(?:ignore|ignores|ignoring|disregard|disregards|disregarding|forget|forgetting|override|"
                  r"overriding|bypass|neglect|discard|abandon|skip|set aside|put aside|pay no attention to|"
                  r"do not follow|don't follow|stop following|no longer follow|do not obey|don't obey)")
OVERRIDE_NEEDLES = (
    "ignor|disregard|forget|overrid|bypass|neglect|discard|abandon|skip|aside|attention|follow|obey"
)
# Where the overridden text sits in a prompt. Not "old"/"current"/"existing": "forget the old rules of
# tea" is a marketing hook, not an attack.
PRIOR = (r"(?:previous|previously|prior|above|earlier|preceding|foregoing|former|original|initial|before|"
         r"given|provided|system)")
# Nouns for what a model is told; RULE_NOUNS also name a brand's own rules, so they need a stronger cue.
INSTRUCTION_NOUNS = (r"(?:instructions?|instruction set|directions|directives?|prompts?|prompting|"
                     r"programming|training|commands)")
RULE_NOUNS = (r"(?:rules?|guidelines?|constraints|restrictions|polic(?:y|ies)|guidance|safeguards|ethics|"
              r"morals)")
DIRECTIVES = rf"(?:{INSTRUCTION_NOUNS}|{RULE_NOUNS}|context|conversation|messages?|inputs?|text|content)"
SAFETY_NOUNS = (r"(?:(?:content|profanity|safety|nsfw|ai|ethical|moral) filters?|filtering|censorship|"
                r"censoring|ethics|morals|morality|(?:ethical|moral|legal|safety)(?: or (?:ethical|moral|"
                r"legal))? (?:guidelines|principles|constraints|boundaries|concerns|standards|considerations|"
                r"protocols|implications|measures|features)|safeguards|guardrails|content polic(?:y|ies)|"
                r"moderation|(?:openai|usage|content)(?:'s)? (?:polic(?:y|ies)|guidelines|rules))")
LIMIT_NOUNS = (r"(?:restrictions|limitations|limits|rules|boundaries|constraints|guidelines|polic(?:y|ies)|"
               r"filters?)")
WITHOUT = (r"(?:without|with no|free of|free from|not bound by|no longer bound by|unconstrained by|"
           r"regardless of|bypass(?:ing)?|circumvent(?:ing)?|evad(?:e|ing)|disabl(?:e|ed|ing)|remov(?:e|ed|"
           r"ing)|turn(?:ed|ing)? off|lift(?:ed|ing)?)")
WITHOUT_NEEDLES = "with|free|bound|unconstrained|regardless|bypass|circumvent|evad|disabl|remov|off|lift"
OWNERS = r"(?:(?:any|all|the|your|its|their|of|typical|usual|normal|standard|such|ai|openai'?s?) ){0,3}"
AI_NOUNS = r"(?:ai|a\.i\.|assistant|chatbot|bot|model|language model|llm|gpt|chatgpt|agent|copilot)"
ROLE_VERBS = (r"(?:act|acting|pretend|pretending|roleplay|role-play|role play|behave|simulate|play|"
              r"impersonate)")
NEGATION = r"(?:doesn't|does not|don't|do not|never|won't|will not|no longer|not|cannot|can't)"

OVERRIDE_RULES = (
    _rule("override_instructions", 0.9, OVERRIDE_NEEDLES,
          rf"\b{OVERRIDE_VERBS} {GAP}{PRIOR} (?:(?:and|or) \S+ )?(?:set of |of )?{DIRECTIVES}\b",
          "tells the model to drop the instructions it was given"),
    _rule("override_instructions_given", 0.9, OVERRIDE_NEEDLES,
          rf"\b{OVERRIDE_VERBS} (?:\S+ ){{0,2}}{INSTRUCTION_NOUNS} (?:above|before|so far|earlier|"
          rf"given (?:to you|above|earlier)|you (?:were|have been|'ve been) (?:given|told)|you (?:got|"
          rf"received|were told))",
          "tells the model to drop the instructions it was given"),
    _rule("override_all", 0.6, OVERRIDE_NEEDLES,
          rf"\b{OVERRIDE_VERBS} (?:all|any|every|your|all of your|all your|all the|"
          rf"all of the) (?:\S+ ){{0,3}}{INSTRUCTION_NOUNS}\b|"
          rf"\b{OVERRIDE_VERBS} (?:(?:all )?(?:of )?your (?:\S+ )?|any |all ){RULE_NOUNS}\b",
          "tells the model to drop its instructions"),
    _rule("forget_everything", 0.7, "forget|ignore|disregard",
          r"\b(?:forget|ignore|disregard) (?:about )?(?:everything|all|anything|what|"
          r"whatever) (?:that )?(?:came |was |is |written |said )?(?:above|before|previously|so far|"
          r"up to (?:now|this point)|i(?:'ve| have)? (?:said|told you|wrote|written)|you (?:were|have been|"
          r"'ve been) (?:told|taught|instructed|given)|you (?:know|learned|learnt|were taught))\b",
          "tells the model to forget its context"),
    _rule("instructions_void", 0.8, "above|previous|preceding|prior|earlier|original|system",
          r"\b(?:(?:the|all|your) ?)?(?:above|previous|preceding|prior|earlier|original|system) (?:text|"
          r"instructions?|prompts?|content|messages?|conversation|rules|directives) (?:is|are|was|were|"
          r"has been|have been) (?:just |only |now |all )?(?:a |an )?(?:test|fake|false|invalid|incorrect|"
          r"void|null|cancell?ed|irrelevant|obsolete|outdated|out of date|wrong|revoked|overridden|no longer|"
          r"not (?:important|relevant|valid|applicable))",
          "declares the model's instructions void"),
    _rule("restated_instructions", 0.6, "your",
          r"\byour (?:initial|original|previous|real|actual|true|system|hidden) (?:instructions|prompt|rules|"
          r"directives) (?:were|are|was|is|say|said) ?:",
          "restates what the model's instructions supposedly were"),
    _rule("override_foreign", 0.9, "ignor",
          r"\b(?:ignorier\w* (?:\w+ ){0,2}(?:vorherigen|vorigen|bisherigen|obigen|früheren) (?:anweisungen|"
          r"befehle|instruktionen|regeln)|ignor\w* (?:\w+ ){0,2}(?:instructions|consignes|"
          r"règles) (?:précédentes|ci-dessus|antérieures)|ignora\w* (?:\w+ ){0,2}(?:instrucciones|reglas|"
          r"istruzioni|regole) (?:anteriores|previas|precedenti))",
          "tells the model to drop its instructions (German/French/Spanish/Italian)"),
    _rule("new_instructions", 0.45,
          "instruction|directive|order|prompt|task|goal|objective|job|purpose|mission",
          r"\b(?:(?:new|updated|real|actual|true|secret|hidden|override|revised) (?:instructions?|"
          r"directives?|orders|system prompt) ?(?::|are|follow)|(?:your|the) (?:new|real|actual|true|"
          r"only) (?:task|instructions?|goal|objective|job|purpose|mission) (?:is|are|will be|now)\b)",
          "announces replacement instructions"),
    _rule("reprogramming", 0.45, "reprogram", r"\breprogram(?:s|med|ming)?\b",
          "talks of reprogramming the model"),
    _rule("hijack_vocabulary", 0.55, "hijack|hacked|compromised|pwned|taken|overridden",
          r"\b(?:prompt|model|assistant|ai|system|bot|chatbot|instructions?) (?:has|have|is|"
          r"was) (?:been )?(?:\S+ ){0,2}(?:hijacked|hacked|compromised|pwned|taken over|overridden)\b|"
          r"\bpwned\b",
          "claims the model has been hijacked"),
    _rule("instead_output", 0.35, "instead",
          r"\binstead,? (?:just |only |simply )?(?:say|print|output|write|respond|reply|answer|return|tell|"
          r"translate|repeat)\b", "redirects the output"),
    _rule("ignore_then_output", 0.5, "ignor|disregard|forget",
          r"\b(?:ignore|disregard|forget) (?:the|this|that|these|those|any|all|what|"
          r"everything)\b[^.\n]{0,50}?,? (?:and|then|and then|instead)\b,? (?:instead |just |only |"
          r"simply )?(?:write|say|print|output|respond with|reply with|answer with|tell (?:me|them|"
          r"the user))\b",
          "tells the model to drop its input and produce something else"),
    _rule("output_only", 0.25, "only|just|exactly",
          r"\b(?:say|print|output|respond with|reply with|answer with|return) (?:only|just|exactly)\b|"
          r"\b(?:only|just) (?:say|print|output|respond with|reply with)\b", "dictates the exact output"),
    _rule("stop_everything", 0.4, "stop|halt|cease|abort|pause",
          r"\b(?:stop|halt|cease|abort|pause) (?:everything|all (?:tasks|activities|processing)|"
          r"what you(?:'re| are) doing|your current task|the (?:task|summary|"
          r"translation))\b", "tells the model to drop its task"),
)

ROLE_RULES = (
    _rule("you_are_now", 0.6, "now",
          rf"\byou(?: are|'re) no longer (?:a|an|the) (?:\S+ ){{0,2}}{AI_NOUNS}\b|\byou(?: are|"
          rf"'re) now (?:going to (?:act|pretend|be|play|roleplay|respond|answer|simulate)|no longer|free\b|"
          rf"freed|liberated|unrestricted|unfiltered|uncensored|jailbroken|unchained|unleashed|"
          rf"in (?:\S+ )?(?:developer|dev|god|admin|debug|jailbreak|unrestricted|dan) mode|called|named|"
          rf"known as|renamed|dan\b|(?:a|an|"
          rf"the) (?:\S+ ){{0,2}}{AI_NOUNS}\b)", "reassigns the model's identity"),
    _rule("from_now_on_you", 0.4, "now",
          r"\bfrom now on,? (?:you(?:'re| are| will| must| shall| should| have to| can| act| respond| answer|"
          r" reply| only)|(?:act|respond|answer|reply|pretend|behave|speak) )",
          "redefines the model's behaviour from here on"),
    _rule("persona_setup", 0.3, "you",
          r"\byou (?:will|are going to|are about to|shall|must|'re going to) (?:now )?(?:simulate|pose as|"
          r"act as|roleplay as|role-play as|play the role of|pretend to be|impersonate|respond as|answer as|"
          r"become)\b",
          "sets the model up with a persona"),
    _rule("named_ai_persona", 0.35, "named|called|known",
          rf"\b(?:{AI_NOUNS}|personality|persona|entity) (?:who is |that is )?(?:named|called|known as)\b",
          "introduces a named AI persona"),
    _rule("act_unrestricted", 0.75, "act|pretend|roleplay|role|behave|simulat|play|imperson",
          rf"\b{ROLE_VERBS}\b[^.\n]{{0,80}}?\b{WITHOUT} {OWNERS}(?:{SAFETY_NOUNS}|{LIMIT_NOUNS})\b",
          "asks for a role free of the model's rules"),
    _rule("do_anything_now", 0.8, "anything now", r"\bdo anything now\b", "the 'Do Anything Now' jailbreak"),
    _rule("unrestricted_ai", 0.6,
          "unrestrict|unfilter|uncensor|amoral|jailbr|unchain|unbound|rogue|unlimit|lawless|limitless",
          rf"\b(?:unrestricted|unfiltered|uncensored|amoral|jailbroken|unchained|unbound|rogue|unlimited|"
          rf"lawless|limitless) (?:\S+ )?(?:{AI_NOUNS}|persona|alter ego)s?\b",
          "asks for an unrestricted AI persona"),
    _rule("evil_ai", 0.4, "evil|ethical|moral|malicious|toxic|rude|nsfw",
          rf"\b(?:evil|unethical|immoral|malicious|toxic|rude|nsfw) (?:\S+ )?{AI_NOUNS}s?\b",
          "asks for a harmful AI persona"),
    _rule("harmful_response", 0.3, "unhinged|unaligned|ethical|moral",
          r"\b(?:unhinged|unaligned|unethical|immoral|amoral) (?:response|answer|output|reply|text)s?\b",
          "asks for an unethical answer"),
    _rule("special_mode", 0.35, "mode",
          r"\b(?:developer|dev|god|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|dan|evil|chaos|"
          r"unlocked|opposite|sudo) mode\b", "a 'special mode' of the model"),
    _rule("special_mode_enabled", 0.4, "mode",
          r"\b(?:developer|dev|god|jailbreak|unrestricted|unfiltered|uncensored|dan|evil|unlocked|"
          r"sudo) mode (?:is )?(?:now )?(?:enabled|activated|on\b|engaged|output|response)",
          "switches the model into a 'special mode'"),
    _rule("jailbreak_word", 0.4, "jail", r"\bjail-?break(?:s|ing|ed)?\b|\bjailbroken\b",
          "mentions jailbreaking"),
    _rule("no_longer_bound", 0.6, "longer",
          r"\bno longer (?:bound|restricted|limited|constrained|held back|governed|obliged|"
          r"required to (?:follow|abide|obey|adhere))\b", "declares the model free of its rules"),
    _rule("not_bound_by", 0.45, "bound|restrict|constrain|govern|abide|follow|obey|adhere|comply",
          r"\b(?:not|never|isn't|aren't|won't be|will not be|don't have to|do not have to|doesn't have to|"
          r"does not have to) (?:be )?(?:bound|restricted|constrained|governed|abide|follow|obey|adhere|"
          r"comply) (?:by|to|with)? ?(?:any|the|its|their|your|openai'?s?|ethical|moral|content|safety|rules|"
          r"ethics|morals|polic(?:y|ies)|guidelines|restrictions|laws|"
          r"limits)\b", "says the model need not follow rules"),
    _rule("confines_of_ai", 0.5, "confines|restrictions|limitations|rules|constraints",
          r"\b(?:typical |usual )?(?:confines|restrictions|limitations|rules|constraints) (?:of|imposed on|"
          r"placed on) (?:ai|an ai|artificial intelligence|openai|your programming|language models)\b",
          "describes the model as freed from its limits"),
    _rule("stay_in_character", 0.35, "character",
          r"\b(?:stay|staying|remain|keep) in character\b|\b(?:break|breaking|broke) (?:out of )?character\b",
          "insists on keeping a persona"),
    _rule("never_refuse", 0.45, "refuse|decline|reject|deny",
          rf"\b{NEGATION} (?:ever )?(?:refuse[sd]?|declines?|rejects?|denies|deny)\b(?: (?:a |any |to |the |"
          rf"my |your )?(?:request|question|order|prompt|answer|respond|comply|"
          rf"instruction))?", "forbids refusals"),
    _rule("disobey_policy", 0.55, "care|follow|abide|adhere|comply|respect|obey",
          rf"\b{NEGATION} (?:care about|have to follow|need to follow|follow|abide by|adhere to|comply with|"
          rf"respect|obey) (?:{OWNERS}{SAFETY_NOUNS}|any (?:\S+ ){{0,2}}(?:principles|guidelines|rules|"
          rf"restrictions|laws|morals|ethics))\b", "says the model disregards its content policy"),
    _rule("ai_self_reference", 0.15, "gpt|openai|open|language|llm",
          r"\b(?:chatgpt|openai|open ai|language model|llm)\b", "talks about the model itself"),
    _rule("dual_persona", 0.3, "two|2|both",
          r"\b(?:two|2|both) (?:different |distinct |separate )?(?:ways|personalities|personas|entities|"
          r"characters|responses|answers)\b", "asks for answers in two personas"),
    _rule("opposite_persona", 0.25, "opposite",
          r"\b(?:exact |complete )?opposite (?:personality|persona|way|of what)\b",
          "asks for an inverted persona"),
    _rule("pretend_ai", 0.3, "pretend|imagine|suppose|assume",
          rf"\b(?:pretend|imagine|suppose|assume) (?:that )?you (?:are|were|have become) (?:an? |"
          rf"the )?(?:\S+ )?{AI_NOUNS}\b", "re-imagines the model itself"),
    _rule("template_placeholder", 0.4, "here|prompt|question|request|query|task",
          r"\b(?:insert|put|type|enter|paste|add) (?:your |the )?(?:prompt|question|request|task|"
          r"query) here\b|\[(?:insert )?(?:your )?(?:prompt|question|request|query)(?: here)?\]|"
          r"\bwith your (?:task|prompt|request)\b",
          "a jailbreak template's slot for the real request"),
)

EXFILTRATION_RULES = (
    _rule("reveal_system_prompt", 0.75,
          "prompt|instruction|message|directive|configuration|guideline|parameter",
          r"\b(?:reveal|print|repeat|show|display|output|tell me|give me|share|leak|disclose|write out|"
          r"write down|spell out|recite|dump|expose|echo|copy|paste|provide|list|relay|enumerate|send|"
          r"respond with|what (?:is|are|was|were)) (?:\S+ ){0,4}(?:system(?:'s)?|initials?|original|hidden|"
          r"secret|internal|developer|confidential|underlying|pre-?|opening|starting|first) ?(?:prompts?|"
          r"prompting|instructions|messages?|directives|configuration|guidelines|"
          r"parameters)\b", "asks for the system prompt"),
    _rule("reveal_your_instructions", 0.5, "your",
          r"\b(?:reveal|print|repeat|show|display|output|leak|disclose|write out|spell out|recite|dump|"
          r"expose|echo|list|relay|respond with|tell me|"
          r"give me) (?:me )?(?:all )?(?:of )?your (?:\S+ )?(?:prompts?|instructions|directives|rules|"
          r"guidelines|configuration)\b", "asks for the model's instructions"),
    _rule("given_instructions", 0.55, "you",
          r"\b(?:instructions|rules|directives|prompts?|guidelines) (?:that )?you (?:have been|were|'ve been|"
          r"are|got|received)(?: (?:given|told|"
          r"provided))?\b", "refers to the instructions the model was given"),
    _rule("repeat_above", 0.6, "above|before|preceding|far|beginning|start|top",
          r"\b(?:repeat|print|output|copy|echo|recite|write out) (?:\S+ ){0,3}(?:words|text|everything|all|"
          r"content|lines|sentences|tokens) (?:\S+ ){0,2}(?:above|before this|preceding|so far|"
          r"at the (?:beginning|start|top))\b",
          "asks to repeat the hidden context"),
    _rule("system_prompt_mention", 0.3, "system", r"\bsystem (?:prompt|message|instructions)\b",
          "mentions the system prompt"),
    _rule("secrets_in_system", 0.55, "password|credential|key|token",
          r"\b(?:passwords?|credentials|api keys?|secret keys?|access tokens?|"
          r"private keys?)\b[^.\n]{0,30}\b(?:in|from|of|stored in|inside) (?:your|the) (?:database|system|"
          r"memory|config|configuration|files|training data|"
          r"environment)\b", "asks for secrets the system holds"),
    _rule("secret_request", 0.3, "password|credential|key|secret",
          r"\b(?:the |your )?(?:secret (?:password|key|code)|admin password|credentials|api keys?)\b",
          "mentions a secret"),
    _rule("destructive_action", 0.5, "access|system|database",
          r"\b(?:delete|erase|wipe|drop|destroy|remove) (?:all|every|any)? ?(?:of )?(?:the |your )?(?:data|"
          r"files|records|database|tables|emails|users|accounts|history|"
          r"memory)\b[^.\n]{0,30}\b(?:you have access to|you can access|in (?:the|your) (?:system|"
          r"database))", "asks the model to destroy data it can reach"),
    _rule("standing_order", 0.45, "time|whenever",
          r"\b(?:every time|whenever|each time|any time|anytime) (?:a |the |any )?users? (?:asks?|says|"
          r"mentions|requests|types|writes|sends)\b[^.\n]{0,100}\b(?:reply|respond|answer|say|tell|insist|"
          r"output|recommend)",
          "plants a standing order for future answers"),
)

DELIMITER_RULES = (
    _rule("chat_template_token", 0.9, "<",
          r"<\|(?:im_start|im_end|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|system|user|"
          r"assistant)\|?>", "contains a chat-template control token"),
    _rule("inst_tag", 0.85, "[|<<", r"\[/?(?:inst|sys|system)\]|<</?sys>>",
          "contains an instruction-format tag"),
    _rule("role_markup_tag", 0.6, "<",
          r"</?(?:system|sys|instructions?|prompt|context|source|sources|document|documents|retrieved|"
          r"knowledge|kb|assistant|user|admin|developer|human|tool)(?: [^<>\n]{0,60})?>",
          "contains a markup tag that could close or open a prompt section"),
    _rule("section_delimiter", 0.6, "#|%|==|--|**|<<|>>",
          r"(?:^|\n)[^\S\n]*(?:#{2,}|%{2,}|={3,}|-{3,}|\*{3,}|<{2,}|>{2,})[^\S\n]*(?:(?:begin|end|start|new|"
          r"old|updated)\b[^\n]{0,30}?\b(?:instructions?|prompt|system|context|rules)\b|system(?: (?:prompt|"
          r"message|override|instructions?|note))?[^\S\n]*(?::|#|%|=|\n|$)|admin (?:note|override|message)|"
          r"new instructions?\b)",
          "contains a section delimiter posing as a prompt section"),
    _rule("fake_system_note", 0.55, "system|admin|developer|sys|assistant|root",
          r"[\[(<{] ?(?:system|admin|developer|sys|assistant|root) ?(?:note|message|update|notice|override|"
          r"instruction|prompt)? ?:", "contains a bracketed note posing as the system"),
    Rule("role_label", 0.3, ("system", "assistant", "sys", "admin", "developer", "human"),
         re.compile(r"(?:^|\n)[ \t]*(?:system|assistant|sys|admin|developer|human)[ \t]*:[ \t]",
                    re.IGNORECASE),
         "contains a line posing as a chat role", on_original=True),
    _rule("end_of_context", 0.3, "end",
          r"\bend of (?:the )?(?:document|context|source|input|prompt|instructions|system prompt|"
          r"user input)\b",
          "claims the context ends here"),
)

EVASION_RULES = (
    _rule("without_safety", 0.6, WITHOUT_NEEDLES, rf"\b{WITHOUT} {OWNERS}{SAFETY_NOUNS}\b",
          "asks to switch off safety filters"),
    _rule("without_limits", 0.3, WITHOUT_NEEDLES, rf"\b{WITHOUT} {OWNERS}{LIMIT_NOUNS}\b",
          "asks for no limits"),
    _rule("ignore_safety", 0.45, "ignor|disregard|violat|break|bypass|circumvent|overrid",
          rf"\b(?:ignor|disregard|violat|break|bypass|circumvent|overrid)\w* (?:\S+ ){{0,2}}{SAFETY_NOUNS}\b",
          "asks to disregard ethics or safety rules"),
    _rule("safety_off", 0.5, "off|disabled|deactivated|removed|lifted|bypassed",
          r"\b(?:safe mode|safety (?:mode|filters?|features|protocols|settings)|(?:content|profanity|nsfw|ai|"
          r"ethics|ethical|moral) filters?|guardrails|moderation|censorship) (?:is |are )?(?:now )?(?:off|"
          r"disabled|deactivated|removed|lifted|turned off|bypassed)\b|\b(?:turn|switch|shut) off (?:the |"
          r"your |all )?(?:safe mode|safety|content filters?|guardrails|censorship|"
          r"moderation)\b", "declares safety switched off"),
    _rule("exception_to_rules", 0.45, "exception|exempt",
          r"\b(?:an )?(?:exception|exempt|exempted) (?:to|from) (?:\S+ ){0,3}(?:rules|polic(?:y|ies)|"
          r"guidelines|protocols|ethical|safety|restrictions)\b", "claims an exemption from the rules"),
    _rule("no_ethics", 0.45, "ethic|moral|conscience|filter|censor",
          r"\b(?:no|without|lacks?|devoid of|free of|free from|doesn't have|does not have|has no|have no|"
          r"don't have|do not have) (?:any )?(?:ethics|ethical (?:concerns|considerations|boundaries)|morals|"
          r"moral (?:compass|concerns|considerations|boundaries)|morality|conscience|(?:content|safety|"
          r"ethical|moral) filters?|censorship)\b",
          "describes an answer or persona with no ethics"),
    _rule("hypothetical_frame", 0.2, "hypothetic|fictional|imaginary|fictitious|theoretical",
          r"\b(?:hypothetical|fictional|imaginary|fictitious|theoretical)(?:ly)? (?:response|scenario|world|"
          r"setting|universe|ai|answer)\b", "frames the request as hypothetical"),
    _rule("even_if_harmful", 0.45, "even|regardless|matter",
          r"\b(?:even if|even when|even though|regardless of whether|no matter (?:if|whether|"
          r"how)) (?:\S+ ){0,3}(?:illegal|unethical|harmful|immoral|offensive|inappropriate|dangerous|"
          r"explicit|unsafe|against (?:the |your )?(?:rules|polic(?:y|ies)|guidelines))\b|"
          r"\bregardless of (?:\S+ ){0,3}(?:legality|ethics|morality|morals|legal|illegal|ethical|moral|"
          r"harmful|consequences)\b", "pre-empts refusing harmful content"),
    _rule("no_warnings", 0.25, "warning|disclaimer|caveat|moraliz|moralis|lecture|apolog",
          r"\b(?:without|no|never (?:add|include|give)|don't (?:add|include|give)|do not (?:add|include|"
          r"give)) (?:any )?(?:warnings?|disclaimers?|caveats|moralizing|moralising|lectures?|apolog(?:y|"
          r"ies))\b",
          "forbids warnings or disclaimers"),
    _rule("say_anything", 0.35, "anything",
          r"\b(?:can|will|could|must|able to|allowed to|permitted to) (?:say|do|generate|write|produce|"
          r"answer) (?:absolutely )?anything\b", "claims the model can produce anything"),
    _rule("harmful_content", 0.25,
          "illegal|ethical|harmful|moral|explicit|offensive|violent|nsfw|dangerous|discrimin",
          r"\b(?:illegal|unethical|harmful|immoral|explicit|offensive|violent|nsfw|dangerous|"
          r"discriminatory)(?:,? (?:or |and )?(?:potentially |morally )?(?:illegal|unethical|harmful|immoral|"
          r"explicit|offensive|violent|dangerous|discriminatory))* (?:content|activities|things|requests|"
          r"information|material|topics|questions|ones)\b",
          "asks about harmful content"),
)

INDIRECT_RULES = (
    _rule("ai_reader", 0.6,
          "reading|processing|summari|parsing|analy|ingesting|reads|attention|note|important|instruction|"
          "message",
          rf"\b{AI_NOUNS}s? (?:that is |who is )?(?:reading|processing|summari[sz]ing|parsing|analy[sz]ing|"
          rf"ingesting|that reads|who reads|that processes) (?:this|these)\b|\b(?:attention|note|important|"
          rf"instructions?|message) ?(?:to|for) (?:the |any |"
          rf"all )?(?:\S+ )?{AI_NOUNS}s?\b", "text addressed to an AI reader"),
)

DAN_RULE = Rule("dan_persona", 0.55, ("dan", "d.a.n"), re.compile(r"\bD\.?A\.?N\b(?!\w)"),
                "the 'DAN' jailbreak persona", on_original=True)  # capitals only: "Dan" is a name
RULES: tuple[Rule, ...] = (*OVERRIDE_RULES, *ROLE_RULES, *EXFILTRATION_RULES, *DELIMITER_RULES,
                           *EVASION_RULES, *INDIRECT_RULES, DAN_RULE)

# Curly quotes and primes made straight, so "I\u2019ve" matches "i've". One character each: offsets hold.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'})
# Leetspeak, applied only inside words with two or more letters ("1gn0re", not "100 g" or "9.50").
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LEET_WORD = re.compile(r"(?<!\S)\S*[013457@$]\S*")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_SPACED_LETTERS = re.compile(r"(?<![a-z])(?:[a-z][ .\-_*]){3,}[a-z](?![a-z])")


def normalise(text: str) -> tuple[str, list[int]]:
    """Normalised text and, per normalised character, the offset of the original it came from."""
    folded, index = _unicode_fold(text)
    folded = _LEET_WORD.sub(_deleet, folded)
    return _join_spaced_letters(folded, index)


def _deleet(word: re.Match[str]) -> str:
    token = word.group()
    return token.translate(_LEET) if sum(c.isalpha() for c in token) >= 2 else token


def _unicode_fold(text: str) -> tuple[str, list[int]]:
    text = text.translate(_QUOTES)
    if text.isascii():
        return text.lower(), list(range(len(text)))
    pieces: list[str] = []
    index: list[int] = []
    done = 0
    for run in _NON_ASCII.finditer(text):
        pieces.append(text[done:run.start()].lower())
        index.extend(range(done, run.start()))
        for i in range(run.start(), run.end()):
            if unicodedata.category(text[i]) == "Cf":
                continue  # zero-width spaces, joiners, soft hyphens: used to split trigger words
            piece = unicodedata.normalize("NFKC", text[i]).lower()
            pieces.append(piece)
            index.extend([i] * len(piece))
        done = run.end()
    pieces.append(text[done:].lower())
    index.extend(range(done, len(text)))
    return "".join(pieces), index


def _join_spaced_letters(norm: str, index: list[int]) -> tuple[str, list[int]]:
    if not _SPACED_LETTERS.search(norm):
        return norm, index
    keep = [True] * len(norm)
    for m in _SPACED_LETTERS.finditer(norm):
        for j in range(m.start() + 1, m.end(), 2):
            keep[j] = False  # the separator after each letter
    pairs = [(c, i) for c, i, k in zip(norm, index, keep, strict=True) if k]
    return "".join(c for c, _ in pairs), [i for _, i in pairs]


def scan_injection(text: str) -> InjectionVerdict:
    """Score ``text`` for prompt injection; findings carry spans in ``text``."""
    norm, index = normalise(text)
    findings: list[tuple[int, int, str, str]] = []
    fired: dict[str, float] = {}
    for rule in RULES:
        for start, end in _matches(rule, text, norm, index):
            findings.append((start, end, rule.name, rule.reason))
            fired[rule.name] = rule.weight
    score = _noisy_or(fired.values())
    return InjectionVerdict(is_injection=score >= INJECTION_THRESHOLD, score=score, findings=findings)


def _matches(rule: Rule, text: str, norm: str, index: list[int]) -> list[tuple[int, int]]:
    if not any(needle in norm for needle in rule.needles):
        return []
    if rule.on_original:
        return [(m.start(), m.end()) for m in rule.pattern.finditer(text)]
    spans = []
    for m in rule.pattern.finditer(norm):
        start, end = m.start(), m.end()
        if rule.word_start and start > 0 and _is_word(norm[start - 1]):
            continue  # the leading \b the pattern was compiled without
        while start < end and norm[start].isspace():
            start += 1  # patterns anchored at a line start include the newline
        if start < end:
            spans.append((index[start], index[end - 1] + 1))
    return spans


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _noisy_or(weights: Iterable[float]) -> float:
    miss = 1.0
    for weight in weights:
        miss *= 1.0 - weight
    return round(1.0 - miss, 4)


class InjectionCheck:
    """The injection scan as a check: one failed result per rule that fired, when the text is an injection."""

    name = "injection"

    def __init__(self, severity: Severity = Severity.block) -> None:
        self.severity = severity

    def run(self, text: str, ctx: CheckContext) -> list[CheckResult]:
        verdict = scan_injection(text)
        if not verdict.is_injection:
            return []
        by_rule: dict[str, list[tuple[int, int, str, str]]] = {}
        for finding in verdict.findings:
            by_rule.setdefault(finding[2], []).append(finding)
        return [self._result(rule, hits, text, verdict.score) for rule, hits in by_rule.items()]

    def _result(self, rule: str, hits: list[tuple[int, int, str, str]], text: str,
                score: float) -> CheckResult:
        start, end = hits[0][0], hits[0][1]
        return CheckResult(
            check=self.name, rule=f"injection:{rule}", passed=False, severity=self.severity,
            spans=tuple((s, e) for s, e, _, _ in hits),
            reason=f"{hits[0][3]} (injection score {score:.2f} >= {INJECTION_THRESHOLD})",
            evidence=text[start:end][:200],
            suggestion="remove the instructions aimed at the model; content must not direct the assistant",
        )
