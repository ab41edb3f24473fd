"""Role hijack and persona templates: text that gives the model a new identity free of its rules."""

from __future__ import annotations

import re

from app.guardrails.injection.rule import (
    AI_NOUNS,
    LIMIT_NOUNS,
    NEGATION,
    OWNERS,
    ROLE_VERBS,
    SAFETY_NOUNS,
    WITHOUT,
    Rule,
    make_rule,
)

ROLE_RULES = (
    make_rule("you_are_now", 0.6, "now",
          rf"\byou(?: are|'re) no longer (?:a|an|the) (?:\S+ ){{0,2}}{AI_NOUNS}\b|\byou(?: are|"
          rf"'re) now (?:going to (?:act|pretend|be|play|roleplay|respond|answer|simulate)|no longer|free\b|"
          rf"freed|liberated|unrestricted|unfiltered|uncensored|jailbroken|unchained|unleashed|"
          rf"in (?:\S+ )?(?:developer|dev|god|admin|debug|jailbreak|unrestricted|dan) mode|called|named|"
          rf"known as|renamed|dan\b|(?:a|an|"
          rf"the) (?:\S+ ){{0,2}}{AI_NOUNS}\b)", "reassigns the model's identity"),
    make_rule("from_now_on_you", 0.4, "now",
          r"\bfrom now on,? (?:you(?:'re| are| will| must| shall| should| have to| can| act| respond| answer|"
          r" reply| only)|(?:act|respond|answer|reply|pretend|behave|speak|always|never) |whoever |(?:the|any|"
          r"every) (?:assistant|ai|model|bot|writer|reply|answer|response|output)\b|all (?:replies|answers|"
          r"responses|outputs)\b)",
          "redefines the model's behaviour from here on"),
    make_rule("persona_setup", 0.3, "you",
          r"\byou (?:will|are going to|are about to|shall|must|'re going to) (?:now )?(?:simulate|pose as|"
          r"act as|roleplay as|role-play as|play the role of|pretend to be|impersonate|respond as|answer as|"
          r"become)\b",
          "sets the model up with a persona"),
    make_rule("named_ai_persona", 0.35, "named|called|known",
          rf"\b(?:{AI_NOUNS}|personality|persona|entity) (?:who is |that is )?(?:named|called|known as)\b",
          "introduces a named AI persona"),
    make_rule("act_unrestricted", 0.75, "act|pretend|roleplay|role|behave|simulat|play|imperson",
          rf"\b{ROLE_VERBS}\b[^.\n]{{0,80}}?\b{WITHOUT} {OWNERS}(?:{SAFETY_NOUNS}|{LIMIT_NOUNS})\b",
          "asks for a role free of the model's rules"),
    make_rule("do_anything_now", 0.8, "anything now", r"\bdo anything now\b", "the 'Do Anything Now' jailbreak"),
    make_rule("unrestricted_ai", 0.6,
          "unrestrict|unfilter|uncensor|amoral|jailbr|unchain|unbound|rogue|unlimit|lawless|limitless",
          rf"\b(?:unrestricted|unfiltered|uncensored|amoral|jailbroken|unchained|unbound|rogue|unlimited|"
          rf"lawless|limitless) (?:\S+ )?(?:{AI_NOUNS}|persona|alter ego)s?\b",
          "asks for an unrestricted AI persona"),
    make_rule("evil_ai", 0.4, "evil|ethical|moral|malicious|toxic|rude|nsfw",
          rf"\b(?:evil|unethical|immoral|malicious|toxic|rude|nsfw) (?:\S+ )?{AI_NOUNS}s?\b",
          "asks for a harmful AI persona"),
    make_rule("harmful_response", 0.3, "unhinged|unaligned|ethical|moral",
          r"\b(?:unhinged|unaligned|unethical|immoral|amoral) (?:response|answer|output|reply|text)s?\b",
          "asks for an unethical answer"),
    make_rule("special_mode", 0.35, "mode",
          r"\b(?:developer|dev|god|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|dan|evil|chaos|"
          r"unlocked|opposite|sudo) mode\b", "a 'special mode' of the model"),
    make_rule("special_mode_enabled", 0.4, "mode",
          r"\b(?:developer|dev|god|jailbreak|unrestricted|unfiltered|uncensored|dan|evil|unlocked|"
          r"sudo) mode (?:is )?(?:now )?(?:enabled|activated|on\b|engaged|output|response)",
          "switches the model into a 'special mode'"),
    make_rule("jailbreak_word", 0.4, "jail", r"\bjail-?break(?:s|ing|ed)?\b|\bjailbroken\b",
          "mentions jailbreaking"),
    make_rule("no_longer_bound", 0.6, "longer",
          r"\bno longer (?:bound|restricted|limited|constrained|held back|governed|obliged|"
          r"required to (?:follow|abide|obey|adhere))\b", "declares the model free of its rules"),
    make_rule("not_bound_by", 0.45, "bound|restrict|constrain|govern|abide|follow|obey|adhere|comply",
          r"\b(?:not|never|isn't|aren't|won't be|will not be|don't have to|do not have to|doesn't have to|"
          r"does not have to) (?:be )?(?:bound|restricted|constrained|governed|abide|follow|obey|adhere|"
          r"comply) (?:by|to|with)? ?(?:any|the|its|their|your|openai'?s?|ethical|moral|content|safety|rules|"
          r"ethics|morals|polic(?:y|ies)|guidelines|restrictions|laws|"
          r"limits)\b", "says the model need not follow rules"),
    make_rule("confines_of_ai", 0.5, "confines|restrictions|limitations|rules|constraints",
          r"\b(?:typical |usual )?(?:confines|restrictions|limitations|rules|constraints) (?:of|imposed on|"
          r"placed on) (?:ai|an ai|artificial intelligence|openai|your programming|language models)\b",
          "describes the model as freed from its limits"),
    make_rule("stay_in_character", 0.35, "character",
          r"\b(?:stay|staying|remain|keep) in character\b|\b(?:break|breaking|broke) (?:out of )?character\b",
          "insists on keeping a persona"),
    make_rule("never_refuse", 0.45, "refuse|decline|reject|deny",
          rf"\b{NEGATION} (?:ever )?(?:refuse[sd]?|declines?|rejects?|denies|deny)\b(?: (?:a |any |to |the |"
          rf"my |your )?(?:request|question|order|prompt|answer|respond|comply|"
          rf"instruction))?", "forbids refusals"),
    make_rule("disobey_policy", 0.55, "care|follow|abide|adhere|comply|respect|obey",
          rf"\b{NEGATION} (?:care about|have to follow|need to follow|follow|abide by|adhere to|comply with|"
          rf"respect|obey) (?:{OWNERS}{SAFETY_NOUNS}|any (?:\S+ ){{0,2}}(?:principles|guidelines|rules|"
          rf"restrictions|laws|morals|ethics))\b", "says the model disregards its content policy"),
    make_rule("ai_self_reference", 0.15, "gpt|openai|open|language|llm",
          r"\b(?:chatgpt|openai|open ai|language model|llm)\b", "talks about the model itself"),
    make_rule("dual_persona", 0.3, "two|2|both",
          r"\b(?:two|2|both) (?:different |distinct |separate )?(?:ways|personalities|personas|entities|"
          r"characters|responses|answers)\b", "asks for answers in two personas"),
    make_rule("opposite_persona", 0.25, "opposite",
          r"\b(?:exact |complete )?opposite (?:personality|persona|way|of what)\b",
          "asks for an inverted persona"),
    make_rule("pretend_ai", 0.3, "pretend|imagine|suppose|assume",
          rf"\b(?:pretend|imagine|suppose|assume) (?:that )?you (?:are|were|have become) (?:an? |"
          rf"the )?(?:\S+ )?{AI_NOUNS}\b", "re-imagines the model itself"),
    make_rule("template_placeholder", 0.4, "here|prompt|question|request|query|task",
          r"\b(?:insert|put|type|enter|paste|add) (?:your |the )?(?:prompt|question|request|task|"
          r"query) here\b|\[(?:insert )?(?:your )?(?:prompt|question|request|query)(?: here)?\]|"
          r"\bwith your (?:task|prompt|request)\b",
          "a jailbreak template's slot for the real request"),
)

DAN_RULE = Rule("dan_persona", 0.55, ("dan", "d.a.n"), re.compile(r"\bD\.?A\.?N\b(?!\w)"),
                "the 'DAN' jailbreak persona", on_original=True)  # capitals only: "Dan" is a name
