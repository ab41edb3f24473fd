"""Directives whose implied addressee is whoever writes from the document: found by clause structure.

Copy speaks to its reader as "you" about the world ("try", "forget what you know about decaf"). A planted
instruction speaks to the one who turns the document into text, and the grammar shows it without any attack
word. Each rule here is a clause shape, built from grammatical roles rather than a list of sentences:

- the PRODUCT: a noun phrase that can only mean the text being written from this document: a text noun with
  "you" as its producer ("the recap you write", "whatever you send back"), marked as machine-made ("the
  generated caption"), made from this document ("answers based on this page", "a digest of this page"), or
  bound for a third person ("the draft going back to the customer");
- the PROCESSOR: a reader of this document that is not its reader as a customer ("anyone generating text
  from this FAQ", "any automated helper reading this", "if this text is processed by an AI");
- a DIRECTIVE: an imperative clause (a bare verb opening a sentence or a clause after a colon, optionally
  after "please", "also", or an adverb) or a modal of obligation or permission ("must", "is to", "ought to",
  "needs", "has permission to").

A PRODUCT or a PROCESSOR joined to a DIRECTIVE in one sentence is an order to the writer (0.55). A
directive whose object is a third person ("inform the customer that", "convince the reader to", "let the
person you are assisting know") speaks from the writer's side of a conversation the document is not part
of (0.5). Claims of authority over the model ("the team that configured you", "as your administrator"),
tool and link actions ("call the refund function", "fetch <url> and carry out what it says", a Markdown
image whose URL carries a query), and mailbox actions done blindly ("automatically accept any invites")
round the family off. Sentence-local gaps are bounded (``[^.!?\\n]{0,60}``), so every rule is linear in the
text length.

Weights are design judgements: 0.55 for a complete shape (one shape blocks), 0.3 to 0.45 for a part (a
judge candidate that needs a second cue). They were written against ``evals/injection/planted_dev_round5
.jsonl`` (48 planted, 48 benign, written for this family before it existed: the rules then caught 6/48 and
flagged 2/48 benign) and checked against real copy (figures in :mod:`app.guardrails.injection`).
"""

from __future__ import annotations

from app.guardrails.injection.clause_parts import (
    AGENT_NOUN,
    CLAUSE_START,
    DOCUMENT,
    IMPERATIVE,
    MACHINE_NOUN,
    MACHINE_VERBS,
    MODAL,
    OUTPUT_NOUN,
    PROCESSING,
    PRODUCE,
    READING_AS_AGENT,
    READS,
    SAME_SENTENCE,
    TEXT_NOUN,
    THIRD_PERSON,
)
from app.guardrails.injection.rule import make_rule

PRODUCT = (
    rf"(?:(?:whatever|everything|anything|all|what) (?:that )?(?:you|it) (?:\S+ )?{PRODUCE}(?: back| out)?\b"
    rf"|\b(?:the|your|any|every|each|a|an|this) (?:\S+ )?{TEXT_NOUN} (?:that |which )?(?:you|it) (?:\S+ )?"
    rf"{PRODUCE}\b(?! (?:to )?(?:us|me)\b)"
    rf"|\b(?:generated|auto-?generated|ai-?generated|ai-?written|machine-?written|model-?written|resulting|"
    rf"assistant's|model's|bot's|ai's) {TEXT_NOUN}\b"
    rf"|\b{TEXT_NOUN} (?:based on|generated from|drawn from|derived from|made from|built from|produced from|"
    rf"written from|created from|taken from|of|about) (?:this|these) (?:\S+ )?{DOCUMENT}\b"
    # "to", "for", "on" follow the verb as well ("if you reply to this email"): only after a determiner or
    # opening a sentence is the word a noun.
    rf"|(?:\b(?:the|an?|any|every|each|all|your) (?:\S+ )?|{CLAUSE_START}){TEXT_NOUN} (?:to|for|on|from) "
    rf"(?:this|these) (?:\S+ )?{DOCUMENT}\b"
    rf"|\b(?:the|a|any|every|each|your) (?:\S+ )?{TEXT_NOUN} (?:going |sent |that goes |that is sent |being "
    rf"sent )?(?:back )?to (?:the|this|that|each|every|our) {THIRD_PERSON}\b"
    rf"|\bwhatever {TEXT_NOUN}\b)"
)
PROCESSOR = (
    rf"(?:\b(?:(?:the|an?|any|every|each|all|some|this) (?:\S+ ){{0,2}}?)?{AGENT_NOUN} (?:that |who |which )?"
    rf"(?:is |are )?{READING_AS_AGENT} (?:this|these|the following|the above|it)\b"
    rf"|\b(?:anyone|anybody|whoever|someone) (?:that |who )?(?:is |are )?{PROCESSING} (?:this|these|the "
    rf"following|the above|it)\b"
    rf"|\b(?:when|while|if|once|whenever|as soon as|after|before) (?:the|an?|any|this) (?:\S+ )?{AGENT_NOUN} "
    rf"{READS} (?:this|these|the|it)\b"
    rf"|\b(?:whatever|whichever|any|every) (?:\S+ )?{MACHINE_NOUN} (?:that |which )?{MACHINE_VERBS} (?:this|these|my|"
    r"our) \S+"
    rf"|\b(?:if|when|once|while|whenever|as soon as) (?:this|the|these) (?:\S+ )?{DOCUMENT}s? (?:is|are|gets?|"
    r"has been|have been) (?:being )?(?:read|processed|summari[sz]ed|parsed|analy[sz]ed|handled|fed|passed|"
    r"ingested|scanned|retrieved|indexed|seen|opened) (?:by|to|into|with|through)\b"
    # machine work on the text needs no agent named: "when this message gets summarised, ..."
    rf"|\b(?:if|when|once|while|whenever|as soon as|after) (?:this|the|these) (?:\S+ )?{DOCUMENT}s? (?:is|are|gets?|"
    r"has been|have been) (?:being )?(?:summari[sz]ed|parsed|ingested|indexed|triaged|auto-?processed)\b"
    r"|\b(?:as part of|in the course of|while|when|during|after|before) (?:processing|summari[sz]ing|triaging|"
    r"sorting|handling|parsing|indexing) (?:this|these|my|the|your) (?:inbox|mailbox|e-?mails?|mail|messages?|"
    r"thread|documents?|pages?|files?)\b)"
)
ORDER_AFTER = (rf"{SAME_SENTENCE}(?:\b{MODAL}|[:,;] ?(?:please )?{IMPERATIVE}\b|\bto (?:also |always |then )?"
               rf"{IMPERATIVE}\b)")

WRITER_DIRECTED_RULES = (
    make_rule("product_directive", 0.55,
              "you|it|generat|written|model|bot|ai|result|based|drawn|derived|from|of|about|to|for|on|whatever",
              rf"{PRODUCT}{ORDER_AFTER}|{CLAUSE_START}{IMPERATIVE}\b{SAME_SENTENCE}{PRODUCT}",
              "orders something about the text written from this document", documents_only=True),
    make_rule("product_named", 0.3,
              "you|it|generat|written|model|bot|ai|result|based|drawn|derived|from|of|about|to|for|on|whatever",
              PRODUCT, "speaks of the text written from this document", documents_only=True),
    make_rule("shape_the_output", 0.5,
              "answer|repl|respons|output|summar|recap|digest|overview|round|tl|write|synops|completion",
              rf"{CLAUSE_START}(?:make|keep|start|begin|open|end|close|finish|sign off|kick off|lead|top|wrap up|"
              r"conclude|format|phrase|word|structure|limit|restrict|pad|prefix|fill|write|render|give|turn|"
              rf"cast|style|frame|title|head) (?:off )?(?:the|your|each|every|any|all|all of your|each of your) "
              # "your reply to the invitation" is the reader's own reply to something.
              rf"(?:\S+ )?{OUTPUT_NOUN}\b(?! (?:to|for)\b)",
              "shapes the reply the model writes", documents_only=True),
    make_rule("processor_directive", 0.6,
              "reading|process|handl|pars|summari|analy|scann|index|ingest|triag|going|working|looking|from|"
              "based|out of|drawing|reads|sees|opens|gets|receives|answer|sort|scor|rank|screen|filter|rat|moderat|"
              "using|with the help|part of|course of|summaris|summariz",
              rf"{PROCESSOR}{ORDER_AFTER}",
              "orders whoever processes this document", documents_only=True),
    make_rule("processor_named", 0.45,
              "process|handl|pars|summari|analy|scann|index|ingest|triag|fed|passed|retrieved|reads|sees",
              rf"\b(?:if|when|once|while|whenever|as soon as) (?:this|the|these) (?:\S+ )?{DOCUMENT}s? (?:is|are|"
              r"gets?|has been|have been) (?:being )?(?:processed|summari[sz]ed|parsed|analy[sz]ed|handled|fed|"
              rf"passed|ingested|scanned|retrieved|indexed) (?:by|to|into|through)\b|\b(?:when|while|if|once|"
              rf"whenever) (?:the|an?|any|this) (?:\S+ )?{AGENT_NOUN} {READS} (?:this|these|the|it)\b",
              "supposes an automated reader of this document"),
    make_rule("third_person_recipient", 0.5,
              "customer|user|reader|shopper|buyer|client|recipient|sender|requester|visitor|caller|person|"
              "people|human|guest|member|subscriber|holder|audience|whoever|anyone|anybody|everyone",
              rf"{CLAUSE_START}(?:tell|inform|let|warn|advise|convince|persuade|urge|remind|assure|notify|"
              r"encourage|pressure|push|get|direct|redirect|steer|talk|nudge|lead|trick|mislead|instruct|"
              rf"reassure) (?:\S+ )?(?:the (?:\S+ )?{THIRD_PERSON}|whoever|anyone who|anybody who|everyone who)"
              r"\b(?! (?:at|in) (?:our|the) (?:shop|store|till|counter|door)\b)",
              "tells the writer what to tell a third person", documents_only=True),
    make_rule("person_you_assist", 0.6, "you|user",
              r"\b(?:the|a|your) (?:\S+ )?(?:person|people|user|human|customer|client|individual)s? (?:that |who |"
              r"whom )?(?:you(?:'re| are)|you have been) (?:assisting|helping|working for|talking to|chatting "
              r"with|serving|acting for|acting on behalf of|answering)\b|\byour (?:human|principal)\b(?! (?:resources|"
              r"rights|beings?|touch|side|nature|error|body|health|skin)\b)",
              "speaks of the person the model is assisting", documents_only=True),
    make_rule("configured_you", 0.55, "you",
              r"\b(?:who|that|which) (?:\S+ )?(?:configured|trained|programmed|deployed|fine-?tuned|prompted|"
              r"instructed|operates|runs|controls|set you up|built|created|designed|developed) you\b(?! (?:a|an|"
              r"the|your|our|this)\b)",
              "claims authority as the one who set the model up"),
    make_rule("authority_notice", 0.35,
              "operator|developer|admin|provider|creator|owner|maker|vendor|engineer|department|team|openai|"
              "anthropic|deployer|system",
              r"\b(?:notice|message|note|update|instructions?|orders?|directive|memo|word|request|announcement|"
              r"alert|bulletin)s? (?:\S+ )?(?:comes? |coming |is |are )?(?:directly )?from (?:the |your )?(?:\S+ )"
              r"{0,2}?(?:operators?|developers?|administrators?|admins?|providers?|creators?|owners?|makers?|"
              r"vendors?|engineering team|engineers|it department|security team|openai|anthropic|deployers?)\b",
              "claims to come from the model's operators"),
    make_rule("authority_over_ai", 0.6,
              "operator|developer|admin|provider|creator|owner|maker|vendor|engineer|team|compan",
              r"\b(?:operators?|developers?|administrators?|admins?|providers?|creators?|owners?|makers?|vendors?|"
              r"engineers|team|company) (?:of|behind|running|that runs|that built) (?:this|the|your) (?:\S+ )?"
              r"(?:assistant|model|ai|a\.i\.|bot|chatbot|agent|copilot|llm)\b|\b(?:ai|model|assistant|llm|"
              r"chatbot|bot) (?:provider|vendor|developers?|operators?|administrators?|admins?)\b",
              "claims to speak for the model's operators"),
    make_rule("as_your_superior", 0.45, "your",
              r"\b(?:as|i am|i'm|this is) your (?:\S+ )?(?:administrator|admin|developer|operator|creator|owner|"
              r"programmer|supervisor|maker|trainer|designer|system administrator|sysadmin)\b",
              "claims authority over the model"),
    make_rule("change_your_behaviour", 0.55,
              "behavio|config|programming|safety|guardrail|directive|persona|memory|system prompt|core|training|"
              "instruction|order|task|job|role|priorit|rule|prompt|polic|setting|guideline",
              r"\b(?:updat|chang|modif|overrid|reset|replac|unlock|paus|suspend|disabl|reconfigur|adjust|"
              r"rewrit)\w* your (?:\S+ )?(?:behaviou?r|configuration|config|programming|safety settings|safety "
              r"filters?|guardrails|directives|persona|memory|system prompt|core rules|training)\b|\byour "
              r"(?:behaviou?r|configuration|config|programming|safety settings|safety filters?|guardrails|"
              r"directives|persona|system prompt|core rules) (?:is|are|has been|have been|will be|was|were) "
              r"(?:now )?(?:updated|changed|modified|overridden|paused|suspended|disabled|reset|replaced|unlocked|"
              # no adjective slot here: "your delivery instructions have changed" is the reader's own
              r"relaxed)\b|\byour (?:instructions|orders|task|job|role|priorities|rules) (?:have|has) (?:now |just )?"
              r"(?:changed|been (?:changed|updated|replaced|revised|overridden|rewritten))\b"
              rf"|\b{AGENT_NOUN} (?:instructions?|rules|configuration|config|prompt|polic(?:y|ies)|settings|"
              r"guidelines|directives) (?:update|change|override|patch|amendment|revision|notice)s?\b",
              "claims to change how the model behaves"),
    make_rule("safety_paused", 0.45, "paused|suspended|relaxed|waived|lifted",
              r"\b(?:safety|content|moderation|security|filter|filtering) (?:\S+ )?(?:settings|filters|rules|checks|"
              r"guardrails|policies|controls|restrictions) (?:are|is|have been|has been|were|was) (?:now |"
              r"temporarily |currently )?(?:paused|suspended|relaxed|waived|lifted)\b",
              "claims the model's safety settings are off"),
    make_rule("bracketed_authority", 0.55, "[",
              r"\[ ?(?:developer|admin|administrator|operator|system|sysadmin|root|moderator|owner|dev|ai|model|"
              r"assistant) (?:message|note|notice|instructions?|override|mode|update|command|directive|order)s? ?\]",
              "a tag posing as a message from the model's operators"),
    make_rule("bracketed_role_order", 0.55, "[",
              rf"\[ ?(?:assistant|ai|bot|model|agent|copilot|admin|developer|operator) ?\] ?(?:please )?{IMPERATIVE}\b",
              "a role tag followed by an order", documents_only=True),
    make_rule("move_secrets", 0.5, "card|payment|bank|login|password|credential|pin|cvv|security code",
              rf"{CLAUSE_START}(?:copy|paste|move|write|send|store|save|note|put|forward|share|post|read out|list)"
              r"(?: down)? (?:the |all )?(?:customer's|customers'|user's|users'|their|his|her|client's|sender's) "
              r"(?:\S+ )?(?:card|payment|bank|login|password|credential|pin|cvv|security code)s?\b",
              "asks for someone's payment or login details to be moved", documents_only=True),
    make_rule("call_the_tool", 0.5, "tool|function|api|plugin|plug-in|endpoint|action|webhook|connector|command",
              rf"{CLAUSE_START}(?:call|invoke|trigger|execute|run|fire|activate|use) (?:the|your|a|an) (?:\S+ )"
              r"{0,2}?(?:tool|function|api|plugin|plug-in|endpoint|webhook|connector|command)s? (?:to|for|with)\b",
              "asks for a tool or function call", documents_only=True),
    make_rule("fetch_and_obey", 0.6, "http|www",
              r"\b(?:fetch|open|visit|load|browse|go to|navigate to|request|curl|get|read|download|access|"
              r"retrieve|check) (?:\S+ ){0,3}?(?:https?://|www\.)\S+ (?:\S+ ){0,3}?(?:and|then|,) (?:\S+ ){0,2}?"
              r"(?:carry out|execute|obey|act on|run|paste|do (?:what|whatever|as)|follow (?:the |its |any )?"
              r"(?:instructions|orders|directions|commands)|apply (?:the |its )?(?:instructions|changes))\b",
              "asks for a link to be fetched and obeyed"),
    make_rule("what_it_says", 0.3, "says|content|said|written",
              r"\b(?:do|carry out|execute|obey|follow|apply|act on) (?:exactly )?(?:what|whatever) (?:it|the "
              r"(?:page|file|link|document|site|text)) (?:says|tells you|contains)\b|\b(?:regardless of|no matter|"
              r"whatever) (?:its|the (?:actual|real)|what (?:it|the (?:email|thread|text|document|review)s?)) "
              r"(?:content|contents|says|said|contains)\b",
              "asks the reader to act regardless of what the text says", documents_only=True),
    make_rule("image_beacon", 0.55, "](",
              r"!\[[^\]\n]{0,100}\]\((?:https?:)?//[^)\s]*\?[^)\s]*=",
              "a Markdown image whose address carries data out"),
    make_rule("data_into_link", 0.45, "link|url|query|parameter",
              r"\b(?:append|add|attach|include|put|insert|encode|paste|place)\w* (?:\S+ ){0,6}?(?:to|in|into|onto|"
              r"at the end of) (?:this|the|that|a|each) (?:\S+ )?(?:link|url|query string|query|parameter)s?\b",
              "asks for data to be put into a link", documents_only=True),
    make_rule("leak_the_conversation", 0.6, "history|log|transcript|conversation|previous|earlier|prior",
              r"\b(?:paste|send|post|submit|upload|include|append|encode|forward|share|copy|email|leak|attach|"
              r"summari[sz]e|list|print|repeat)\w* (?:\S+ ){0,3}?(?:(?:chat|conversation|session|dialogue) "
              r"(?:history|log|transcript)s?|the conversation so far|(?:previous|earlier|prior) (?:messages|turns|"
              r"conversations?))\b",
              "asks for the conversation to be sent out"),
    make_rule("this_conversation", 0.35, "chat|conversation|session|thread|inbox|mailbox",
              r"\b(?:translat|send|forward|copy|paste|export|share|post|upload|email|summari[sz]|dump|print)\w* (?:the "
              r"rest of|all of|everything in|the whole of|the contents of) this (?:chat|conversation|session|thread|"
              r"inbox|mailbox)\b",
              "asks for this conversation or mailbox to be passed on", documents_only=True),
    make_rule("blind_mailbox_action", 0.5, "automatic|silent|quiet|secret|without",
              rf"{CLAUSE_START}(?:automatically|silently|quietly|secretly|immediately|just) (?:accept|approve|"
              r"decline|delete|forward|archive|move|reply|send|refund|issue|pay|transfer|share|grant|create|mark|"
              r"open|download|install|click|confirm)\b|\b(?:accept|approve|decline|delete|forward|archive|"
              r"refund|issue|pay|transfer|share|grant|confirm) [^.!?\n]{0,60}?\bwithout (?:asking|checking|"
              r"confirming|confirmation|verification|verifying|telling|notifying|approval|review|question)\b",
              "asks for a mailbox or account action without a check", documents_only=True),
    make_rule("mailbox_rule", 0.5, "rule|filter|invite|invitation|meeting request",
              r"\b(?:create|set up|add|make) (?:a |an )?(?:new )?(?:forwarding|mail|e-?mail|inbox|mailbox|"
              r"auto-?forward\w*|redirect\w*) (?:rule|filter)\b|\b(?:accept|approve|decline|forward) (?:all|any|"
              r"every|each) (?:\S+ ){0,2}?(?:invites?|invitations|meeting requests?|calendar requests?)\b",
              "asks for a standing mailbox rule", documents_only=True),
    make_rule("wipe_store", 0.35, "delete|remove|wipe|erase|empty|purge|trash|archive",
              r"\b(?:delete|remove|wipe|erase|empty|purge|trash|archive) (?:the|all|every|this|your) (?:whole |"
              r"entire |shared |)?(?:inbox|mailbox|folder|drive|calendar|contacts|contact list|directory|"
              r"repository|database|account|files)\b",
              "asks for a store of mail or files to be wiped", documents_only=True),
)

# Orders that wait for a question: "if asked about the recall, say ...". Copy answers its reader's questions
# itself; it never tells someone what to say when asked.
WHEN_ASKED_RULES = (
    make_rule("when_asked_say", 0.45, "ask|question|quer|enquir|inquir",
              r"\b(?:when|if|whenever|should|once|in case) (?:you(?:'re| are)? |you get |anyone |someone |somebody "
              r"|a (?:\S+ )?(?:customer|user|shopper|buyer|client|visitor|reader|journalist|person) |the (?:\S+ )?"
              r"(?:customer|user|shopper|buyer|client|visitor|reader|person) |people |customers |users )?(?:is |are |"
              r"gets? |get )?(?:asked|asks?|questioned|queries|query|enquires?|inquires?|wants to know|want to know)"
              r"\b[^.!?\n]{0,60}?[,:;] ?(?:just |simply |always |please )?(?:say|tell|reply|answer|respond|claim|"
              r"state|mention|recommend|insist|deny|explain|point|direct|send|refer|suggest|assure|confirm)\b"
              r"(?! (?:us|me)\b)",
              "tells the writer what to answer when asked", documents_only=True),
    make_rule("do_not_mention", 0.3, "mention|reveal|disclose|tell|bring up|refer|acknowledge|admit|say",
              r"\b(?:do not|don't|never|avoid|must not|mustn't|should not|shouldn't) (?:ever )?(?:mention|"
              r"mentioning|reveal|revealing|disclose|disclosing|bring up|bringing up|refer to|referring to|"
              r"acknowledge|acknowledging|admit|admitting|say|saying|tell) (?:\S+ ){0,4}?(?:in (?:the|your|any) "
              rf"(?:\S+ )?{OUTPUT_NOUN}|to (?:the )?{THIRD_PERSON}|to anyone|to them)\b",
              "tells the writer what to keep from the reader", documents_only=True),
)

# Text hidden from a human reader but not from a model: an HTML comment holding an order, or styling that
# makes text invisible. Web pages and emails in a KB are stored as written, so both survive to retrieval.
HIDDEN_MARKUP_RULES = (
    make_rule("order_in_comment", 0.5, "<!--",
              rf"<!--[^>]{{0,200}}?\b(?:{IMPERATIVE}|you|assistant|ai|model|reply|response|answer|summary)\b"
              r"[^>]{0,200}?-->",
              "an HTML comment speaking to whoever reads the source"),
    make_rule("invisible_text", 0.5, "display|visibility|font-size|color|opacity|hidden",
              # "0" may have been folded to "o" as leetspeak inside a longer token.
              r"(?:display ?: ?none|visibility ?: ?hidden|font-size ?: ?[0o](?:\.\d+)?(?:px|pt|em|rem)?\b|opacity ?: ?"
              r"[0o](?:\.[0o]+)?\b|color ?: ?(?:#fff(?:fff)?|white|transparent)\b[^>]{0,80}?background(?:-color)? ?: ?"
              r"(?:#fff(?:fff)?|white)\b|<\w+ [^>]{0,80}?\bhidden\b[^>]{0,40}>)",
              "text styled to be invisible to a human reader"),
)
