"""Exfiltration: requests to reveal the system prompt, the model's instructions or secrets it can reach."""

from __future__ import annotations

from app.guardrails.injection.rule import make_rule

EXFILTRATION_RULES = (
    make_rule("reveal_system_prompt", 0.75,
          "prompt|instruction|message|directive|configuration|guideline|parameter",
          r"\b(?:reveal|print|repeat|show|display|output|tell me|give me|share|leak|disclose|write out|"
          r"write down|spell out|recite|dump|expose|echo|copy|paste|provide|list|relay|enumerate|send|"
          r"respond with|reply with|answer with|what (?:is|are|was|were)) (?:\S+ ){0,6}(?:system(?:'s)?|"
          r"initials?|original|hidden|"
          r"secret|internal|developer|confidential|underlying|pre-?|opening|starting|first) ?(?:prompts?|"
          r"prompting|instructions|messages?|directives|configuration|guidelines|"
          r"parameters)\b", "asks for the system prompt"),
    make_rule("reveal_your_instructions", 0.5, "your",
          r"\b(?:reveal|print|repeat|show|display|output|leak|disclose|write out|spell out|recite|dump|"
          r"expose|echo|list|relay|respond with|tell me|"
          r"give me) (?:me )?(?:all )?(?:of )?(?:the (?:contents?|text|wording|full text) of )?your (?:\S+ )?"
          r"(?:prompts?|instructions|directives|rules|"
          r"guidelines|configuration)\b", "asks for the model's instructions"),
    make_rule("given_instructions", 0.55, "you",
          r"\b(?:instructions|rules|directives|prompts?|guidelines) (?:that )?you (?:have been|were|'ve been|"
          r"are|got|received)(?: (?:given|told|"
          r"provided))?\b|\b(?:configuration|setup|set-up|system prompt|prompt) (?:that )?you(?:'re| are) (?:running "
          r"(?:with|on|under)|operating under|configured with)\b", "refers to the instructions the model was given"),
    make_rule("repeat_above", 0.6, "above|before|preceding|far|beginning|start|top",
          r"\b(?:repeat|print|output|copy|echo|recite|write out) (?:\S+ ){0,3}(?:words|text|everything|all|"
          r"content|lines|sentences|tokens) (?:\S+ ){0,2}(?:above|before this|preceding|so far|"
          r"at the (?:beginning|start|top))\b",
          "asks to repeat the hidden context"),
    make_rule("system_prompt_mention", 0.3, "system", r"\bsystem (?:prompt|message|instructions)\b",
          "mentions the system prompt"),
    make_rule("secrets_in_system", 0.55, "password|credential|key|token",
          r"\b(?:passwords?|credentials|api keys?|secret keys?|access tokens?|"
          r"private keys?)\b[^.\n]{0,30}\b(?:in|from|of|stored in|inside) (?:your|the) (?:database|system|"
          r"memory|config|configuration|files|training data|"
          r"environment)\b", "asks for secrets the system holds"),
    # A request for a secret, not its mention: a glossary or a help page names "API key" and "password".
    make_rule("secret_request", 0.3, "password|credential|key|secret|token",
          r"\b(?:give|send|tell|share|reveal|print|output|show|list|provide|leak|post|paste|dump|expose|"
          r"disclose|what (?:is|are)) (?:me |us |them )?(?:all )?(?:of )?(?:the |your |its )?(?:secret "
          r"(?:password|key|code)|admin password|passwords?|credentials|api keys?|access tokens?)\b",
          "asks for a secret"),
    make_rule("destructive_action", 0.5, "access|system|database",
          r"\b(?:delete|erase|wipe|drop|destroy|remove) (?:all|every|any)? ?(?:of )?(?:the |your )?(?:data|"
          r"files|records|database|tables|emails|users|accounts|history|"
          r"memory)\b[^.\n]{0,30}\b(?:you have access to|you can access|in (?:the|your) (?:system|"
          r"database))", "asks the model to destroy data it can reach"),
    make_rule("standing_order", 0.45, "time|whenever",
          r"\b(?:every time|whenever|each time|any time|anytime) (?:a |the |any )?users? (?:asks?|says|"
          r"mentions|requests|types|writes|sends)\b[^.\n]{0,100}\b(?:reply|respond|answer|say|tell|insist|"
          r"output|recommend)",
          "plants a standing order for future answers"),
)
