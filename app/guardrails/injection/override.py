"""Instruction override: text that tells the model to drop the instructions it was given."""

from __future__ import annotations

from app.guardrails.injection.rule import (
    DIRECTIVES,
    GAP,
    INSTRUCTION_NOUNS,
    OVERRIDE_NEEDLES,
    OVERRIDE_VERBS,
    PRIOR,
    RULE_NOUNS,
    make_rule,
)

OVERRIDE_RULES = (
    make_rule("override_instructions", 0.9, OVERRIDE_NEEDLES,
          rf"\b{OVERRIDE_VERBS} {GAP}{PRIOR} (?:(?:and|or) \S+ )?(?:set of |of )?{DIRECTIVES}\b",
          "tells the model to drop the instructions it was given"),
    make_rule("override_instructions_given", 0.9, OVERRIDE_NEEDLES,
          rf"\b{OVERRIDE_VERBS} (?:\S+ ){{0,2}}{INSTRUCTION_NOUNS} (?:above|before|so far|earlier|"
          rf"given (?:to you|above|earlier)|you (?:were|have been|'ve been) (?:given|told)|you (?:got|"
          rf"received|were told))",
          "tells the model to drop the instructions it was given"),
    make_rule("override_all", 0.6, OVERRIDE_NEEDLES,
          rf"\b{OVERRIDE_VERBS} (?:all|any|every|your|all of your|all your|all the|"
          rf"all of the) (?:\S+ ){{0,3}}{INSTRUCTION_NOUNS}\b|"
          rf"\b{OVERRIDE_VERBS} (?:(?:all )?(?:of )?your (?:\S+ )?|any |all ){RULE_NOUNS}\b",
          "tells the model to drop its instructions"),
    make_rule("forget_everything", 0.7, "forget|ignore|disregard",
          r"\b(?:forget|ignore|disregard) (?:about )?(?:everything|all|anything|what|"
          r"whatever) (?:that )?(?:came |was |is |written |said )?(?:above|before|previously|so far|"
          r"up to (?:now|this point)|i(?:'ve| have)? (?:said|told you|wrote|written)|you (?:were|have been|"
          r"'ve been) (?:told|taught|instructed|given|shown)|you (?:saw|read|just read|have read|have seen|"
          r"were shown|learned|learnt|were taught)|you know)\b(?! (?:about|of|regarding|on)\b)",
          "tells the model to forget its context"),
    make_rule("instructions_void", 0.8, "above|previous|preceding|prior|earlier|original|system",
          r"\b(?:(?:the|all|your) ?)?(?:above|previous|preceding|prior|earlier|original|system) (?:text|"
          r"instructions?|prompts?|content|messages?|conversation|rules|directives) (?:is|are|was|were|"
          r"has been|have been) (?:just |only |now |all )?(?:a |an )?(?:test|fake|false|invalid|incorrect|"
          r"void|null|cancell?ed|irrelevant|obsolete|outdated|out of date|wrong|revoked|overridden|no longer|"
          r"not (?:important|relevant|valid|applicable))",
          "declares the model's instructions void"),
    make_rule("restated_instructions", 0.6, "your",
          r"\byour (?:initial|original|previous|real|actual|true|system|hidden) (?:instructions|prompt|rules|"
          r"directives) (?:were|are|was|is|say|said) ?:",
          "restates what the model's instructions supposedly were"),
    make_rule("override_foreign", 0.9, "ignor",
          r"\b(?:ignorier\w* (?:\w+ ){0,2}(?:vorherigen|vorigen|bisherigen|obigen|früheren) (?:anweisungen|"
          r"befehle|instruktionen|regeln)|ignor\w* (?:\w+ ){0,2}(?:instructions|consignes|"
          r"règles) (?:précédentes|ci-dessus|antérieures)|ignora\w* (?:\w+ ){0,2}(?:instrucciones|reglas|"
          r"istruzioni|regole) (?:anteriores|previas|precedenti))",
          "tells the model to drop its instructions (German/French/Spanish/Italian)"),
    make_rule("new_instructions", 0.45,
          "instruction|directive|order|prompt|task|goal|objective|job|purpose|mission",
          r"\b(?:(?:new|updated|real|actual|true|secret|hidden|override|revised) (?:instructions?|"
          r"directives?|orders|system prompt) ?(?::|are|follow)|(?:your|the) (?:new|real|actual|true|"
          r"only) (?:task|instructions?|goal|objective|job|purpose|mission) (?:is|are|will be|now)\b)",
          "announces replacement instructions"),
    make_rule("reprogramming", 0.45, "reprogram", r"\breprogram(?:s|med|ming)?\b",
          "talks of reprogramming the model"),
    make_rule("hijack_vocabulary", 0.55, "hijack|hacked|compromised|pwned|taken|overridden",
          r"\b(?:prompt|model|assistant|ai|system|bot|chatbot|instructions?) (?:has|have|is|"
          r"was) (?:been )?(?:\S+ ){0,2}(?:hijacked|hacked|compromised|pwned|taken over|overridden)\b|"
          r"\bpwned\b",
          "claims the model has been hijacked"),
    make_rule("instead_output", 0.35, "instead",
          r"\binstead,? (?:just |only |simply )?(?:say|print|output|write|respond|reply|answer|return|tell|"
          r"translate|repeat)\b", "redirects the output"),
    make_rule("ignore_then_output", 0.5, "ignor|disregard|forget",
          r"\b(?:ignore|disregard|forget) (?:the|this|that|these|those|any|all|what|"
          r"everything)\b[^.\n]{0,50}?,? (?:and|then|and then|instead)\b,? (?:instead |just |only |"
          r"simply )?(?:write|say|print|output|respond with|reply with|answer with|tell (?:me|them|"
          r"the user))\b",
          "tells the model to drop its input and produce something else"),
    make_rule("output_only", 0.25, "only|just|exactly",
          r"\b(?:say|print|output|respond with|reply with|answer with|return) (?:only|just|exactly)\b|"
          r"\b(?:only|just) (?:say|print|output|respond with|reply with)\b|\b(?:reply|respond|answer|say) (?:only|"
          r"just|exactly|solely) with\b", "dictates the exact output"),
    make_rule("stop_everything", 0.4, "stop|halt|cease|abort|pause",
          r"\b(?:stop|halt|cease|abort|pause) (?:everything|all (?:tasks|activities|processing)|"
          r"what you(?:'re| are) doing|your current task|the (?:task|summary|"
          r"translation))\b", "tells the model to drop its task"),
)
