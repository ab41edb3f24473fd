"""Policy evasion: requests to answer without safety rules, warnings or refusals."""

from __future__ import annotations

from app.guardrails.injection.rule import LIMIT_NOUNS, OWNERS, SAFETY_NOUNS, WITHOUT, WITHOUT_NEEDLES, make_rule

EVASION_RULES = (
    make_rule("without_safety", 0.6, WITHOUT_NEEDLES, rf"\b{WITHOUT} {OWNERS}{SAFETY_NOUNS}\b",
          "asks to switch off safety filters"),
    make_rule("without_limits", 0.3, WITHOUT_NEEDLES, rf"\b{WITHOUT} {OWNERS}{LIMIT_NOUNS}\b",
          "asks for no limits"),
    make_rule("ignore_safety", 0.45, "ignor|disregard|violat|break|bypass|circumvent|overrid",
          rf"\b(?:ignor|disregard|violat|break|bypass|circumvent|overrid)\w* (?:\S+ ){{0,2}}{SAFETY_NOUNS}\b",
          "asks to disregard ethics or safety rules"),
    make_rule("safety_off", 0.5, "off|disabled|deactivated|removed|lifted|bypassed",
          r"\b(?:safe mode|safety (?:mode|filters?|features|protocols|settings)|(?:content|profanity|nsfw|ai|"
          r"ethics|ethical|moral) filters?|guardrails|moderation|censorship) (?:is |are )?(?:now )?(?:off|"
          r"disabled|deactivated|removed|lifted|turned off|bypassed)\b|\b(?:turn|switch|shut) off (?:the |"
          r"your |all )?(?:safe mode|safety|content filters?|guardrails|censorship|"
          r"moderation)\b", "declares safety switched off"),
    make_rule("exception_to_rules", 0.45, "exception|exempt",
          r"\b(?:an )?(?:exception|exempt|exempted) (?:to|from) (?:\S+ ){0,3}(?:rules|polic(?:y|ies)|"
          r"guidelines|protocols|ethical|safety|restrictions)\b", "claims an exemption from the rules"),
    make_rule("no_ethics", 0.45, "ethic|moral|conscience|filter|censor",
          r"\b(?:no|without|lacks?|devoid of|free of|free from|doesn't have|does not have|has no|have no|"
          r"don't have|do not have) (?:any )?(?:ethics|ethical (?:concerns|considerations|boundaries)|morals|"
          r"moral (?:compass|concerns|considerations|boundaries)|morality|conscience|(?:content|safety|"
          r"ethical|moral) filters?|censorship)\b",
          "describes an answer or persona with no ethics"),
    make_rule("hypothetical_frame", 0.2, "hypothetic|fictional|imaginary|fictitious|theoretical",
          r"\b(?:hypothetical|fictional|imaginary|fictitious|theoretical)(?:ly)? (?:response|scenario|world|"
          r"setting|universe|ai|answer)\b", "frames the request as hypothetical"),
    make_rule("even_if_harmful", 0.45, "even|regardless|matter",
          r"\b(?:even if|even when|even though|regardless of whether|no matter (?:if|whether|"
          r"how)) (?:\S+ ){0,3}(?:illegal|unethical|harmful|immoral|offensive|inappropriate|dangerous|"
          r"explicit|unsafe|against (?:the |your )?(?:rules|polic(?:y|ies)|guidelines))\b|"
          r"\bregardless of (?:\S+ ){0,3}(?:legality|ethics|morality|morals|legal|illegal|ethical|moral|"
          r"harmful|consequences)\b", "pre-empts refusing harmful content"),
    make_rule("no_warnings", 0.25, "warning|disclaimer|caveat|moraliz|moralis|lecture|apolog",
          r"\b(?:without|no|never (?:add|include|give)|don't (?:add|include|give)|do not (?:add|include|"
          r"give)) (?:any )?(?:warnings?|disclaimers?|caveats|moralizing|moralising|lectures?|apolog(?:y|"
          r"ies))\b",
          "forbids warnings or disclaimers"),
    make_rule("say_anything", 0.35, "anything",
          r"\b(?:can|will|could|must|able to|allowed to|permitted to) (?:say|do|generate|write|produce|"
          r"answer) (?:absolutely )?anything\b", "claims the model can produce anything"),
    make_rule("harmful_content", 0.25,
          "illegal|ethical|harmful|moral|explicit|offensive|violent|nsfw|dangerous|discrimin",
          r"\b(?:illegal|unethical|harmful|immoral|explicit|offensive|violent|nsfw|dangerous|"
          r"discriminatory)(?:,? (?:or |and )?(?:potentially |morally )?(?:illegal|unethical|harmful|immoral|"
          r"explicit|offensive|violent|dangerous|discriminatory))* (?:content|activities|things|requests|"
          r"information|material|topics|questions|ones)\b",
          "asks about harmful content"),
)
