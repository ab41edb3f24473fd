"""Text addressed to the model: instructions aimed at whoever writes the reply, not at the reader.

A planted instruction in a retrieved document needs no attack vocabulary ("When you write the reply, add a
line promoting ..."). What gives it away is WHO it addresses and WHAT it asks:

- who: the output being written ("your answer", "the reply", "every response"), its writer ("when you
  write the reply", "whoever writes this", "the assistant must", "respond to the user"), or an AI reader;
- what: a change to that output: text to start or end it with, a link or promotion to insert, a
  recommendation to steer, an encoding or language to answer in, a standing order for every future answer,
  a new objective, or the setup to reveal.

Marketing copy also speaks in imperatives, but to the reader about the world ("ignore the delays", "forget
what you know about iced tea", "try", "discover"): it names no output and no writer, so the rules below stay
silent on it. Each cue alone weighs under the threshold (0.25 to 0.45) unless it is one copy does not use
(0.5 to 0.6: greeting or ordering the assistant, "the assistant must", "answer in Base64", "translate your
reply into", "your new objective is", "ignore the user's request"); a who cue and a what cue together cross
it (noisy-OR of 0.45 and 0.35 is 0.64). The weights are design judgements, checked against the sets in
``evals/injection/`` and real copy (figures in :mod:`app.guardrails.injection`). Rules marked
``documents_only`` are skipped on briefs, whose whole purpose is to tell the writer what to produce.
"""

from __future__ import annotations

from app.guardrails.injection.rule import AI_NOUNS, make_rule

# What the model produces. Not "message", "email", "post" or "copy": "end every email with a clear call to
# action" is advice a brand guide gives its human writers.
OUTPUT = (r"(?:repl(?:y|ies)|answers?|responses?|outputs?|completions?|summar(?:y|ies)|recaps?|digests?|"
          r"overviews?|round-?ups?|tl;? ?drs?|write-?ups?|synops(?:is|es))")
OUTPUT_NEEDLES = "repl|answer|respons|output|completion|summar|recap|digest|overview|round|tl|write|synops"
WRITING_VERBS = (r"(?:writes?|writing|drafts?|drafting|compose[sd]?|composing|answers?|answering|repl(?:y|ies)|"
                 r"replying|responds?|responding|summari[sz]es?|summari[sz]ing|generates?|generating|produces?|"
                 r"producing|prepares?|preparing|creates?|creating|translates?|translating|reports?(?: on)?|"
                 r"reporting(?: on)?|(?:have|has|'ve) (?:written|drafted|composed|summari[sz]ed|answered|replied|"
                 r"responded|generated|produced|prepared|translated|processed))")
ENCODINGS = (r"(?:base ?64|base-64|rot-?13|hex(?:adecimal)?|binary(?: code)?|morse(?: code)?|leet ?speak|"
             r"pig latin|caesar(?: cipher)?|(?:a )?(?:simple )?(?:substitution )?cipher|ascii codes|unicode escapes|"
             r"url encoding|reversed? (?:word |letter |character )?(?:order|text)|backwards|emojis? only|only emojis?)")
# The model as someone spoken to. Not bare "model" or "agent": "Model: KT-300" and "Agent: J. Smith" are
# product sheets and forms.
ADDRESSEE_AI = (r"(?:ai|a\.i\.|assistant|ai assistant|chatbot|bot|language models?|ai model|llm|gpt|chatgpt|copilot|"
                r"ai agent|summari[sz]er|summari[sz]ing (?:tool|assistant)|email assistant|writing assistant)")
# What may follow "Assistant:" when it calls the model rather than heads a glossary line ("assistant: a shop
# employee"): an order or the clause that leads to one.
VOCATIVE_NEXT = (r"(?:please|send|forward|reply|respond|answer|summari[sz]e|treat|rate|reveal|print|when|if|before|"
                 r"after|you|do|don't|never|always|make|remember|from|for|tell|describe|write|include|add|say|"
                 r"translate|output|list|show|ignore|forget|stop|delete|mark|classify|flag|report|recommend)")
# The bare verbs a planted directive starts with after "when you write the reply," or "in your answer,".
DIRECTIVE_VERBS = (r"(?:add|include|mention|say|state|claim|tell|recommend|describe|call|write|use|insert|put|append|"
                   r"rate|blame|offer|promote|link|refer|praise|insult|deny|admit|apologi[sz]e|sign|end|start|begin|"
                   r"make sure|be sure|avoid|never|always|do not|don't|only|first|also|ignore|omit|leave out|"
                   r"remove|replace|translate|encode|urge|ask|direct|redirect|suggest|push|advertise|warn|threaten)")
READER_OBJECT = r"(?! (?:us|me|your|yours)\b)"  # "in your reply, include your order number" asks the reader
LANGUAGES = (r"(?:french|german|spanish|italian|portuguese|dutch|russian|chinese|mandarin|japanese|korean|arabic|"
             r"hindi|turkish|polish|swedish|greek|hebrew|latin|klingon|pirate speak|shakespearean english)")

WHO_RULES = (
    make_rule("ai_reader", 0.6,
              "reading|processing|summari|parsing|analy|ingesting|scanning|reads|attention|note|important|"
              "instruction|message|sees",
              rf"\b(?:{AI_NOUNS}|system|tool|summari[sz]er)s? (?:that is |who is )?(?:reading|processing|"
              r"summari[sz]ing|parsing|analy[sz]ing|ingesting|scanning|that reads|who reads|that processes) (?:this|"
              rf"these)\b|\b(?:if|when|once) (?:an?|the|any) {AI_NOUNS} (?:reads|is reading|processes|sees|"
              r"summari[sz]es|scans) (?:this|these|it)\b|\b(?:attention|note|important|"
              rf"instructions?|message) ?(?:to|for) (?:the |any |"
              rf"all )?(?:\S+ )?{AI_NOUNS}s?\b", "text addressed to an AI reader"),
    make_rule("ai_addressed", 0.6, "dear|hey|hello|hi|you|:|,",
              rf"\b(?:dear|hey|hello|hi) (?:\S+ )?{ADDRESSEE_AI}\b|\byou,? (?:the|an|as the|as an) (?:\S+ )?(?:"
              rf"{ADDRESSEE_AI}|writer|copywriter|responder)\b(?! (?:is|was|has)\b)|\bif you(?:'re| are) (?:an? |the )?"
              rf"(?:\S+ )?{AI_NOUNS}\b|(?:^|[.!?;\n] ?|\b(?:remember|ok|okay|now|so|p\.?s\.?|attention),? )(?:the )?"
              rf"{ADDRESSEE_AI} ?[,:] (?:{VOCATIVE_NEXT})\b|"
              rf"\b(?:for|to) (?:the |any |all |whatever |whichever )?(?:\S+ )?(?:{ADDRESSEE_AI}|model|agent)s? ?:|"
              rf"\b{ADDRESSEE_AI}s? (?:that is |that's |who is )?(?:reading|processing|summari[sz]ing|handling|"
              r"scanning|triaging|answering|replying to|parsing) (?:this|these|my|our|the) \S+ ?[,:]",
              "speaks to the model or the writer of the reply", documents_only=True),
    make_rule("ai_subject", 0.5, "must|should|shall|will|need|has to|is to|required|instructed|may|can",
              rf"\b(?:the|any|this|every|an?) (?:\S+ )?{ADDRESSEE_AI} (?:\S+ ){{0,4}}?(?:must|should|shall|will now|"
              r"needs? to|has to|is to|is required to|is instructed to|may only|can only|must not|should not|mustn't|"
              r"shouldn't|is not allowed to)\b",
              "tells the assistant what it must do", documents_only=True),
    make_rule("ai_plural_subject", 0.35, "must|should|shall|need|has to|is to|required",
              r"\b(?:summari[sz]ers|assistants|chatbots|bots|llms|language models|ai models|ai tools) (?:\S+ ){0,3}?"
              r"(?:must|should|shall|need to|are to|are required to)\b",
              "tells assistants what they must do", documents_only=True),
    make_rule("model_subject", 0.35, "must|should|shall|need|has to|is to|required|instructed",
              r"\b(?:the|any|this|every) (?:model|agent) (?:\S+ ){0,4}?(?:must|should|shall|needs? to|has to|"
              r"is to|is required to|is instructed to)\b(?! be\b)",
              "tells the model what it must do", documents_only=True),
    make_rule("output_addressee", 0.4, OUTPUT_NEEDLES + "|you",
              r"\b(?:in|into|to|within|throughout|inside|at the (?:start|end|beginning|top|bottom|close) of|before|"
              rf"after|under|below|note (?:to|for)|message (?:to|for)|(?:the )?(?:rest|remainder|end|start) of|"
              r"(?:before|after|when|while) (?:finishing|sending|writing|ending|starting|completing|drafting|giving)) "
              rf"(?:your|the) (?:next |final |first |last |following )?{OUTPUT}\b|"
              rf"\b(?:every|each|all|any|the|your) (?:\S+ )?(?:{OUTPUT}|description|copy|post|caption|text|"
              r"content|article|email) (?:that )?you (?:generate|give|write|produce|send|return|create|draft|output|"
              rf"compose)\b|\b(?:ai|assistant|bot|chatbot|llm|model|machine)(?:-generated| generated)? {OUTPUT}\b",
              "speaks about the reply the model writes", documents_only=True),
    make_rule("writing_the_output", 0.45, "you|it|assistant|ai|model|bot|reading|process|summari|answering",
              r"\b(?:when|while|before|after|as|once|whenever|if|each time|every time) (?:you(?:'re| are)?|it|"
              r"the (?:assistant|ai|model|bot|llm)) (?:\S+ )?"
              rf"{WRITING_VERBS}\b(?! to (?:us|this|our|me|them)\b)|\b(?:after|before|when|while|once|upon|on) "
              r"(?:reading|processing|summari[sz]ing|answering) (?:this|these|the (?:above|following|email|document|"
              r"page|text|review|message))\b|\b(?:when|while|before|after) (?:describing|writing about|summari[sz]ing|"
              r"presenting|discussing|answering questions about|replying about) (?:this|these|the|our)\b|"
              r"\b(?:before|when|after|once) you (?:finish|end|conclude|sign off|close|wrap up),",
              "addresses whoever is writing the reply", documents_only=True),
    make_rule("whoever_writes", 0.45, "whoever|anyone|any|person|writer|one|system|tool",
              r"\b(?:whoever|anyone who|any (?:ai|assistant|model|bot|system|tool) (?:that|who)|the (?:person|"
              r"writer|one|system|tool) (?:who|that)) (?:is )?(?:writes?|writing|answers?|answering|repl(?:y|ies)|"
              r"replying|responds?|responding|summari[sz]es|summari[sz]ing|drafts?|drafting|generates?|generating|"
              r"processes|processing|handles|handling|reads?|reading|receives|compiles?|compiling|collects?|"
              r"condenses?|condensing|aggregates?|analy[sz]es|indexes) (?:this|these|the|that|it|customers|users|"
              r"emails|messages|questions|reviews|tickets|queries)\b|\b(?:tip|note|reminder|instructions?|message)s? "
              r"(?:for|to) (?:whoever|anyone who)\b",
              "addresses whoever writes or processes the text", documents_only=True),
    make_rule("whoever_must", 0.3, "whoever|anyone",
              r"\b(?:whoever|anyone who)\b[^.\n]{0,60}?\b(?:must|should|shall|needs? to|has to|is to)\b",
              "puts an obligation on whoever handles the text", documents_only=True),
    make_rule("third_person_user", 0.35, "user|requester|human",
              r"\b(?:respond|reply|answer|say|tell|write|explain|inform|advise|suggest|recommend|send|direct|"
              r"redirect|convince|persuade|urge|remind|warn|ask)(?:s|ing)? (?:\S+ ){0,2}(?:to )?the (?:user|"
              r"requester|human)\b|\b(?:what|whatever|what ever) the (?:user|requester) (?:asks?|asked|wants|"
              r"says|said|requested|requests)\b",
              "tells the model how to treat the user", documents_only=True),
)

WHAT_RULES = (
    make_rule("prefix_suffix", 0.4, "start|begin|open|end|finish|close|conclud|terminat|sign|prefix|prefac",
              r"\b(?:start|begin|open|end|finish|close|conclude|terminate|sign off|prefix|preface)(?:s|ing)? "
              rf"(?:off )?(?:each|every|all|any|the|your|all of your|each of your) (?:\S+ )?{OUTPUT} (?:(?:that )?"
              r"you (?:\S+ )?)?(?:with|by \w+ing)\b",
              "dictates how the reply must start or end", documents_only=True),
    # The same order with the reply as subject is also how a support style guide talks to its human agents
    # ("every reply to a complaint should start with an apology"): it counts, but needs a second cue.
    make_rule("output_starts_with", 0.35, OUTPUT_NEEDLES,
              rf"\b(?:your|the|all|every|each|any)? ?{OUTPUT} (?:(?:of|about|to) (?:\S+ ){{1,3}}?)?(?:now |must |"
              r"should |shall |will |always |have to |need to |has to |needs to )?(?:start|begin|open|end|finish|"
              r"close|conclude)s? with\b",
              "dictates how the reply must start or end", documents_only=True),
    make_rule("directive_after_output", 0.3, OUTPUT_NEEDLES + "|you|it|question|quer|request",
              r"\b(?:in|into|at the (?:start|end|beginning|top|bottom) of|for|(?:before|after|when|while) \w+ing) "
              r"(?:your|the) "
              rf"{OUTPUT}\b[^,.;:\n]{{0,30}}[,:;] (?:please )?{DIRECTIVE_VERBS}\b{READER_OBJECT}|"
              r"\b(?:when|while|before|after|as|once|whenever|if) (?:(?:you|it|the (?:assistant|ai|model|bot)) "
              rf"{WRITING_VERBS}|describing|summari[sz]ing|presenting|discussing)\b[^,.;:\n]{{0,50}}[,:;] (?:please )?"
              rf"{DIRECTIVE_VERBS}\b{READER_OBJECT}|"
              r"\b(?:for|in|to) (?:every|each|all|any) (?:later |future |subsequent |following |new )?(?:\S+ )?"
              r"(?:questions?|"
              rf"quer(?:y|ies)|requests?|{OUTPUT})[,:;] (?:please )?{DIRECTIVE_VERBS}\b{READER_OBJECT}",
              "follows the reply's writer with an order", documents_only=True),
    make_rule("directive_into_output", 0.3, OUTPUT_NEEDLES,
              rf"\b{DIRECTIVE_VERBS}\b{READER_OBJECT}[^.;\n]{{0,50}}? (?:in|into|to|at the (?:start|end) of) "
              rf"(?:your|the|each|every) (?:\S+ )?{OUTPUT}\b",
              "asks for something to be put into the reply", documents_only=True),
    make_rule("output_obligation", 0.35, OUTPUT_NEEDLES,
              rf"\b(?:your|the|every|each|any|all) (?:next |final )?{OUTPUT} (?:(?:that )?you \w+ |(?:generated|"
              r"written|produced|given|sent) (?:\S+ ){0,3}?)?(?:must|should|shall|needs? to|has to|is to|may only|"
              rf"can only)\b|\bmake sure (?:that )?(?:your|the|every|each) (?:\S+ )?{OUTPUT}\b|"
              rf"(?:^|[.!?:;\n] ?){OUTPUT} (?:of|about|for) (?:this|these|the|my|our) (?:\S+ )?(?:must|should|shall|"
              r"need to|have to|are to)\b",
              "sets conditions on the reply", documents_only=True),
    make_rule("verbatim_words", 0.25, "word|line|phrase|sentence|text|string|tagline|signature|statement|with|saying",
              r"\b(?:the )?(?:exact |following )?(?:words?|line|phrase|sentence|text|string|statement|tagline|"
              r"signature) ?:? ?[\"'`]|\b(?:with|saying) ?:? ?[\"'`]",
              "gives words to reproduce verbatim", documents_only=True),
    make_rule("output_encoding", 0.6, "base|rot|hex|binary|morse|leet|latin|caesar|cipher|ascii|unicode|url|"
              "revers|backward|emoji",
              r"\b(?:respond|reply|answer|write|written|output|encode|encrypt|speak|communicate|rewrite|format|produce|"
              r"compose|generate|deliver|express|type|send|give|render|"
              rf"return (?:your|the|each|every|all) (?:\S+ )?{OUTPUT})\w* (?:\S+ ){{0,6}}?(?:(?:in|into|using|as|"
              rf"with) (?:a |an )?{ENCODINGS}|backwards)\b|"
              r"\b(?:reverse|encrypt|encode|scramble|obfuscate|spell backwards)\w* (?:\S+ )?(?:your|the|each|"
              rf"every|all) (?:\S+ )?{OUTPUT}\b",
              "changes the encoding of the reply"),
    make_rule("output_format", 0.3, "case|caps|capital|json|xml|yaml|markdown|bullet|base64|emoji",
              r"\b(?:respond|reply|answer|write|written|output|format|formatted|typed|produce|compose|generate|"
              r"make|give|turn)\w* (?:\S+ ){0,5}?(?:(?:a |one )?(?:single )?(?:line|object|string|block) of (?:json|"
              r"xml|yaml)|in (?:all )?"
              r"(?:uppercase|upper case|capital letters|caps|lowercase|lower case|json|xml|yaml|markdown tables?|"
              r"bullet points only|emojis?)|as (?:a |an )?(?:json|xml|yaml|base64)(?: object| document| string)?)\b",
              "changes the format of the reply", documents_only=True),
    make_rule("output_language", 0.35, "respond|repl|answer|write|speak|communicat|output|summar",
              r"\b(?:respond|reply|answer|write|speak|communicate|output|summari[sz]e)\w* (?:\S+ ){0,6}?(?:only |"
              rf"exclusively |entirely |solely )?in {LANGUAGES}\b",
              "changes the language of the reply", documents_only=True),
    make_rule("translate_output", 0.55, "translat",
              r"\btranslat\w* (?:your|the|each|every|all|all of your|each of your) "
              rf"(?:\S+ )?{OUTPUT} (?:in)?to\b",
              "changes the language of the reply", documents_only=True),
    make_rule("insert_content", 0.35, "add|insert|includ|append|put|place|embed|slip|drop|paste|attach|prepend",
              r"\b(?:add|insert|include|append|put|place|embed|slip|drop|paste|attach|prepend)(?:s|ing)? (?:in "
              r"|into )?(?:\S+ ){0,3}(?:line|link|links|sentence|footer|banner|p\.s\.|url|hyperlink|promo\w*|"
              r"advert\w*|ad|ads|coupon|discount code|promo code|referral\w*|plug|shout-?out|slogan)\b",
              "asks to insert a line, link or promotion", documents_only=True),
    make_rule("promote_third_party", 0.45, "competitor|rival|brand|compan|shop|store|retailer|http|www|.",
              # Not forbidden: "never mention competitors" is a brand guide's rule, not a push towards them.
              r"\b(?<!never\x20)(?<!\bnot\x20)(?<!n't\x20)(?<!\bno\x20)(?:promot|advertis|plug|endors|recommend|"
              r"mention|push|upsell|steer|redirect|suggest|prais|write|"
              r"feature|describ|link|tell|direct|point|refer)\w* (?:\S+ ){0,7}?(?:competitor\w*|rival\w*|another "
              r"(?:brand|company|shop|store|"
              r"retailer)|other brands?|sister (?:shop|store|brand|site)|(?:https?://|www\.)\S+|[a-z0-9-]{2,}\."
              r"[a-z]{2,}\b)",
              "steers the reply towards another brand or site", documents_only=True),
    make_rule("promote_named", 0.3, "promot|advertis|plug|endors|recommend",
              r"\b(?<!never\x20)(?<!\bnot\x20)(?<!n't\x20)(?<!\bno\x20)(?:promot|advertis|plug|endors|recommend)\w* "
              r"(?:the |a |our )?(?:\S+ ){1,2}(?:brand|shop|store|"
              r"products?|company|site|website|range)\b",
              "names a brand for the reply to push", documents_only=True),
    make_rule("steer_instead", 0.35, "instead",
              r"\b(?:recommend|suggest|promote|mention|say|claim|state|tell|praise|describe)\w*(?! (?:us|me)\b) "
              r"[^.\n]{0,60}\binstead\b|\binstead of (?:answering|replying|responding|summari[sz]ing|translating|"
              r"doing (?:the|your|that)|writing (?:the|your))\b", "swaps what the reply recommends or says",
              documents_only=True),
    make_rule("assert_that", 0.25, "that",
              r"\b(?:stat|claim|say|assert|insist|pretend|confirm|mention|tell (?:them|the user|the customer|"
              r"the reader|readers|everyone))\w* that\b",
              "dictates a statement for the reply", documents_only=True),
    make_rule("sensitive_data", 0.3,
              "card|cvv|password|pin|bank|security|passport|login|account|address list|phone|home address|birth",
              r"\b(?:card numbers?|credit card|cvv|passwords?|pin codes?|bank details|social security|passport "
              r"numbers?|login details|account numbers?|address list|phone numbers?|home address|date of birth)\b",
              "asks about personal or payment data", documents_only=True),
    make_rule("every_output", 0.45,
              OUTPUT_NEEDLES + "|question|quer|request|message|conversation|interaction|chat|respond|customer|user|"
              "email|sender|enquir|inquir",
              r"\b(?:in|at the (?:start|end|beginning|bottom|top) of|to|for|with|after|before) (?:every|each|all|"
              r"any|all of your|each of your|all your) (?:future |subsequent |later |following |new )?(?:\S+ )?"
              rf"(?:{OUTPUT}|conversations?|interactions?|chats?)\b|\b(?:write|give|make|format|phrase|compose|"
              r"deliver)\w* (?:every|each|all|any) (?:future|subsequent|following|later|next) "
              rf"{OUTPUT}\b|\b(?:for|to|in) (?:all|every|any) (?:future|"
              r"subsequent|later|following) (?:questions?|quer(?:y|ies)|requests?|messages?|users?|customers?)\b|"
              r"\b(?:respond|reply|answer|say|write)\w* (?:\S+ )?to (?:every|each|all|any) (?:customers?|users?|"
              r"messages?|emails?|questions?|enquir(?:y|ies)|inquir(?:y|ies)|senders?)\b",
              "a standing order for every reply", documents_only=True),
    make_rule("standing_phrase", 0.25, "point|here on|henceforth|going forward|hereafter|now on|remember",
              r"\b(?:from this point (?:on|forward|onwards?)|from here on(?: out)?|henceforth|going forward|"
              r"hereafter)\b|\b(?:respond|reply|answer|write|speak|talk|say|recommend|mention)\w* [^.\n]{0,60}"
              r"\b(?:from now on|from here on|going forward|henceforth)\b|\bremember (?:this|that|the following)\b",
              "marks a standing order"),
    make_rule("always_output", 0.35, "always|never",
              # Not with a subject of its own: "I never start with the word 'but'" reports a habit.
              r"\b(?<!\bi\x20)(?<!\bwe\x20)(?<!\bthey\x20)(?<!\bhe\x20)(?<!\bshe\x20)(?:always|never|only ever) "
              r"(?:respond|reply|answer|mention|recommend|refer|claim|tell the user|"
              r"end|start|begin|sign off)\b",
              "a standing order for how the model answers", documents_only=True),
    make_rule("answer_as", 0.35, "as",
              r"\b(?:answer|respond|reply|speak|talk|write)\w* (?:to )?(?:every|each|all|any|the|my|these|"
              rf"future) (?:\S+ )?(?:questions?|messages?|requests?|prompts?|quer(?:y|ies)|{OUTPUT}) as (?:a|an|"
              r"if)\b",
              "gives the model a persona to answer as", documents_only=True),
    make_rule("for_the_rest", 0.45, "rest|future|subsequent",
              r"\bfor (?:the rest of|all future|all subsequent|every future|any future) (?:this |the |our )?"
              rf"(?:conversation|session|chat|{OUTPUT}|interactions?)\b",
              "a standing order for the rest of the session"),
    make_rule("new_objective", 0.55, "your",
              r"\byour (?:new|real|actual|true|updated|revised|only|primary|sole) (?:objective|task|"
              r"instructions?|mission|directive|assignment|orders)s? ?(?:is\b|are\b|will be\b|now\b|from now\b|:)|"
              r"\byour (?:objective|task|instructions?|mission|directive|assignment) (?:is |are )?(?:now|from now "
              r"on|instead|henceforth)\b",
              "gives the model a new objective"),
    make_rule("new_goal", 0.4, "your",
              r"\byour (?:new|real|actual|true|updated|revised|only|primary|sole) (?:goal|job|purpose|role|"
              r"priority) (?:is|are|will be|now|from now|:) (?:to|now)\b",
              "gives the model a new goal"),
    make_rule("stop_reading", 0.3, "stop",
              r"\bstop (?:reading|processing|summari[sz]ing|translating|analy[sz]ing|parsing)(?: (?:here|now|this|"
              r"the (?:document|email|text|rest)))?\b",
              "tells the reader of the document to stop processing it"),
    make_rule("reveal_setup", 0.4, "hidden|secret|internal|original|initial|underlying|confidential|private",
              r"\b(?:my|your|the|its) (?:hidden|secret|internal|original|initial|underlying|confidential|private) "
              r"(?:setup|set-up|configuration|config|instructions|prompt|system prompt|directives|persona|"
              r"programming)\b",
              "refers to the model's hidden setup"),
    make_rule("subject_must_do", 0.3, "should|must|need|has to|have to|required|expected|instructed|told|asked|to",
              r"\b(?:it|you|they|the (?:assistant|ai|bot|model|reply|answer|response|summary)|assistants|bots|"
              r"summari[sz]ers|chatbots) (?:\S+ ){0,3}?(?:should|must|needs? to|has to|have to|(?:is|are) (?:required|"
              rf"expected|instructed|told|asked|to) to|(?:is|are) to) (?:also )?{DIRECTIVE_VERBS}\b{READER_OBJECT}",
              "obliges the writer to say or add something", documents_only=True),
    make_rule("answer_next", 0.35, "next|following|coming|future|later|subsequent",
              r"\b(?:answer|respond to|reply to) (?:the|every|each|any|all) (?:next|following|coming|future|later|"
              r"subsequent) (?:questions?|quer(?:y|ies)|requests?|messages?)\b",
              "tells the model how to answer what comes next", documents_only=True),
    make_rule("unconditional", 0.25, "matter|regardless",
              r"\b(?:no matter what|regardless of what|whatever) (?:it is|they ask|the user (?:asks|says|wants)|"
              r"you are asked|is asked|the question is)\b",
              "an order that holds whatever is asked", documents_only=True),
    make_rule("override_user", 0.6, "ignor|disregard|forget|overrid|skip",
              r"\b(?:ignore|disregard|forget|override|skip) (?:the|this) (?:user|customer|requester|sender)(?:'s)? "
              r"(?:request|question|query|instructions?|message|prompt|task)s?\b",
              "tells the model to drop the user's request"),
    make_rule("reach_data", 0.4, "see|access|inbox|mailbox|account|drive",
              r"\b(?:all|every|any) (?:\S+ )?(?:contacts|emails|files|documents|messages|data|records|invoices|"
              r"passwords) (?:that )?(?:you can (?:see|access|read)|you have access to|in (?:this|the|my|your) "
              r"(?:inbox|mailbox|account|drive|folder))\b",
              "reaches for data the assistant can see", documents_only=True),
    make_rule("agent_action", 0.35, "delete|forward|archive|move|mark",
              r"\b(?:delete|forward|archive|move|mark as read|mark as spam) (?:this|the|all|every) (?:\S+ )?(?:thread|"
              r"threads|emails?|messages?|conversations?|inbox|mails?)\b",
              "asks the assistant to act on the mailbox", documents_only=True),
    make_rule("reclassify", 0.3, "as",
              r"\b(?:report|mark|treat|classify|rate|label|flag|list|count|present|portray|frame|describe|"
              r"summari[sz]e|sum up|characteri[sz]e|depict|paint|call) (?:this|the|these|my) (?:\S+ )?(?:(?:order|"
              r"review|reviews|email|message|ticket|complaint|product|rating|thread|conversation|case|issue|"
              r"request|incident|feedback)s? )?as\b",
              "tells the reader of the document how to classify it", documents_only=True),
    make_rule("phishing", 0.35, "verify|confirm|update|enter",
              r"\b(?:verify|confirm|update|enter|re-?enter|re-?submit) (?:your|their|his|her|the) (?:\S+ )?(?:card|"
              r"payment|bank|"
              r"account|login|password|credentials|billing)\b",
              "asks for payment or login details to be re-entered", documents_only=True),
    make_rule("send_to_address", 0.4, "@",
              r"\b(?:send|sending|forward|forwarding|email|emailing|mail|cc|bcc|copy|share|sharing|upload|dispatch|"
              rf"relay|route|submit)\w*{READER_OBJECT} (?:\S+ ){{0,4}}?to [\w.+-]+@[\w-]+\.[\w.]+|"
              r"\b(?:e-?mail|mail|message|cc|bcc|ping|notify) [\w.+-]+@[\w-]+\.[\w.]+|"
              r"\b(?:be |is |are |gets? |get )?(?:sent|forwarded|emailed|mailed|delivered|goes|go|routed) (?:on |"
              r"straight |directly )?to [\w.+-]+@[\w-]+\.[\w.]+",
              "asks for something to be sent to an address", documents_only=True),
    make_rule("reframed_instructions", 0.6, "as",
              r"\b(?:treat|consider|take|regard|read|follow) (?:\S+ ){0,5}?as (?:your|the) (?:real |new |actual |true |"
              r"only |updated )?(?:instructions|orders|task|prompt|system prompt|directives|rules)\b",
              "recasts the document as the model's instructions"),
    make_rule("fabricate", 0.4, "invent|make up|made-up|made up|fabricat|fake|fictional|bogus",
              r"\b(?:make up|invent|fabricate|fake|made-up|made up|invented|fictional|bogus) (?:a |an |some )?(?:\S+ )?"
              r"(?:discount codes?|codes?|numbers?|tracking numbers?|reviews?|quotes?|statistics?|prices?|dates?|"
              r"testimonials?)\b|\b(?:codes?|numbers?|quotes?|prices?|reviews?|statistics?) you (?:invent|make up|"
              r"fabricate)\b",
              "asks the reply to make something up", documents_only=True),
    make_rule("curate_items", 0.3, "top|first|remove|hide|delete|omit|leave",
              r"\b(?:put|place|move|rank|list|show|pin) (?:this|my|these) (?:\S+ )?(?:review|comment|message|email|"
              r"order|post)s? (?:at the top|first|above)\b|\b(?:remove|hide|delete|omit|leave out|drop) (?:the|all|any|"
              r"every) (?:\S+ ){0,2}?(?:reviews?|comments?|complaints?|ones)\b",
              "tells the summariser which items to show or hide", documents_only=True),
    make_rule("reply_to_item_with", 0.3, "repl|respond|answer",
              r"\b(?:reply|respond|answer) to (?:this|the|each|every) (?:review|comment|post|ticket|complaint|"
              rf"question|thread) with\b{READER_OBJECT}",
              "dictates how the item is answered", documents_only=True),
    make_rule("planted_task", 0.25, "write|compose|generate|tell|give|with|as|form",
              r"\b(?:write|compose|generate|tell|give) (?:me |us )?(?:a |an |one |some )?(?:short |funny |quick )?"
              r"(?:poem|haiku|limerick|song|story|essay|joke|script|program|python|code|function|sql query)\b|"
              r"\b(?:with|as|in the form of) (?:a|an) (?:short |funny |quick |rhyming )?(?:poem|haiku|limerick|song|"
              r"rap|riddle|sonnet)\b",
              "sets the model an unrelated task", documents_only=True),
)

ADDRESSED_RULES = (*WHO_RULES, *WHAT_RULES)
