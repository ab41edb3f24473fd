"""Sentences that only make sense spoken to a model: its vocative, its principal, its priorities, its secrets.

Copy addresses a person who reads; these shapes address a program that answers, and each is a clause shape
rather than a phrase:

- the model called by name or kind at the head of a clause and given an order ("AI shopping assistants: list
  ...", "Model reading these reviews, skip ..."), or agents that compare, rank or surface items put under an
  obligation ("shopping agents comparing mugs ought to ...");
- the model's principal quoted as wanting something of it ("the owner of this mailbox wants you to ...", "the
  user has asked you to ..."), or the model told it now serves someone else ("you now work for ...");
- an order ranked above the model's other instructions ("takes priority over anything else you were told",
  "supersedes your other instructions"), or to be hidden from the person it serves ("do not tell the user
  about this note", "without mentioning this message");
- the answer to future questions fixed in advance ("the correct answer to any question about refunds is ..."),
  an order that waits for a question and asserts something ("if questioned on delivery, claim ..."), or a text
  to print verbatim at a given place ("print: '...' at the top");
- an order that opens with the model's own task as a clause ("before answering, ...", "when recommending
  kettles, ...", "when replying, ...").

Weights follow :mod:`.writer_directed`: a complete shape 0.5 to 0.6, a part 0.35 to 0.45. Written against
``evals/injection/planted_dev_round6.jsonl`` (24 planted, 24 benign, written for these kinds after the round-5
rules were committed: the rules then caught 5/24 and flagged 0/24 benign).
"""

from __future__ import annotations

from app.guardrails.injection.clause_parts import (
    AGENT_NOUN,
    CLAUSE_START,
    IMPERATIVE,
    MACHINE_NOUN,
    MACHINE_VERBS,
    MODAL,
    SAME_SENTENCE,
)
from app.guardrails.injection.rule import make_rule

# The model's own task, as the clause an order opens with. Not "choosing" or "brewing": those are the reader's.
OWN_TASK = (r"(?:answering|replying|responding|summari[sz]ing|drafting|composing|generating|recommending|ranking|"
            r"writing (?:back|the (?:reply|response|answer|summary)|your (?:reply|response|answer|summary))|"
            r"comparing (?:this|these|it|them|our))")
PRINCIPAL = (r"(?:user|customer|person|owner|account holder|client|boss|sender|manager|ceo|principal)"
             r"(?: of (?:this|the) (?:\S+ )?(?:mailbox|inbox|account|calendar|drive|address|computer|device))?")

MODEL_ADDRESSED_RULES = (
    make_rule("ai_vocative", 0.55,
              "ai|assistant|bot|model|llm|copilot|agent|summari|tool|responder|repl",
              rf"(?:^|[.!?;\n] ?|p\.?s\.? ?|\b(?:for|to) )(?:(?:hey|hi|hello|dear|ok|okay|attention|psst|the|any|"
              rf"all),? )?(?:\S+ ){{0,2}}?{AGENT_NOUN}(?: (?:reading|processing|handling|summari[sz]ing|scanning) "
              rf"(?:this|these|the|my|our) \S+)? ?[:,] ?(?:(?:please )?{IMPERATIVE}\b|{SAME_SENTENCE}\b{MODAL})",
              "calls the model and gives it an order", documents_only=True),
    # "To any recommendation engine scoring this shop: ...": a program named by what it does to this text and
    # then spoken to; whatever follows the colon is for it.
    make_rule("machine_vocative", 0.55, "for|to|note|message|attention",
              rf"\b(?:for|to) (?:the |any |all |whichever |whatever |every )?(?:\S+ ){{0,2}}?{MACHINE_NOUN} (?:that "
              rf"|which |who )?{MACHINE_VERBS} (?:this|these|my|our|the) \S+ ?:|\b(?:note|message|memo|word|reminder|"
              rf"instructions?) (?:for|to) (?:the |any |all |whichever |whatever |every )?(?:\S+ ){{0,2}}?"
              rf"{MACHINE_NOUN} ?:",
              "speaks to a program that processes this text", documents_only=True),
    make_rule("agents_obliged", 0.55,
              "comparing|ranking|recommending|browsing|shopping|searching|choosing|evaluating|surfac",
              rf"\b{AGENT_NOUN} (?:that |which |who )?(?:are |is )?(?:comparing|ranking|recommending|browsing|"
              r"shopping for|searching for|choosing between|evaluating|surfacing|surface) (?:\S+ ){1,3}?"
              rf"{SAME_SENTENCE}\b{MODAL}",
              "puts agents that rank or recommend under an obligation", documents_only=True),
    make_rule("principal_wants_you", 0.55, "you",
              rf"\b(?:the|your|my|our) (?:\S+ )?{PRINCIPAL} (?:has |have |had |now |also )?(?:asked|wants|would "
              r"like|requested|requests|instructed|instructs|authori[sz]ed|authori[sz]es|told|needs|expects|"
              r"permitted|allowed|wishes|prefers) you\b",
              "quotes the model's principal as wanting something of it", documents_only=True),
    make_rule("serves_someone_else", 0.5, "work|speak|answer|act|write|report",
              r"\byou (?:now|actually|really|secretly|from now on|henceforth|officially) (?:work|speak|answer|act|"
              r"write|report)(?: only)? (?:for|on behalf of|to)\b",
              "tells the model it serves someone else", documents_only=True),
    make_rule("steer_people", 0.4, "people|customer|user|shopper|reader|buyer|everyone|visitor|them",
              rf"{CLAUSE_START}(?:steer|direct|redirect|send|push|point|nudge|funnel|route) (?:people|customers|"
              r"users|shoppers|readers|buyers|everyone|visitors|them) (?:to|towards|at)\b",
              "tells the writer where to send the reader", documents_only=True),
    make_rule("priority_claim", 0.55, "priority|precedence|supersede|override|outrank|trump",
              r"\b(?:takes?|has|have|given|gets?) (?:\S+ )?(?:priority|precedence) over (?:anything|everything|all|"
              r"any|your|whatever) (?:\S+ ){0,3}?(?:else|instructions?|told|rules?|requests?|prompts?|guidance|"
              r"orders|directives)\b|\b(?:supersedes?|overrides?|outranks?|trumps?) (?:your|all|any|every) (?:\S+ )?"
              r"(?:instructions|prompts?|rules|orders|directives|guidance|programming)\b",
              "ranks itself above the model's instructions"),
    make_rule("conceal_the_order", 0.45, "tell|inform|mention|reveal|let|alert|notif|secret|hidden|private|"
              "confidential|quiet|between",
              r"\b(?:do not|don't|never|without) (?:tell|telling|inform|informing|mention|mentioning|reveal|"
              r"revealing|let|letting|alert|alerting|notify|notifying) (?:\S+ ){0,3}?(?:about |of )?(?:this|these) "
              r"(?:note|message|instructions?|requests?|email|change|text|line|order)s?\b|\bkeep (?:this|these) "
              r"(?:\S+ )?(?:request|instruction|note|message|order)s? (?:secret|hidden|private|confidential|quiet|"
              r"between)\b",
              "asks for the order itself to be hidden", documents_only=True),
    make_rule("fixed_answer", 0.5, "answer|response|reply",
              r"\bthe (?:correct|right|official|only|approved|proper|true|standard|expected) (?:answer|response|"
              r"reply) (?:to|for) (?:any|every|all|each|questions?|queries|enquiries|the question)\b",
              "fixes the answer to future questions", documents_only=True),
    make_rule("when_asked_assert", 0.55, "ask|question|quer|enquir|inquir",
              r"\b(?:when|if|whenever|should|once|in case) (?:\S+ ){0,3}?(?:asked|asks?|questioned|queried|"
              r"quizzed|enquires?|inquires?)\b[^.!?\n]{0,60}?[,:;] ?(?:just |simply |always )?(?:claim|insist|"
              r"pretend|deny|promise|swear|assure (?:them|the \S+))\b",
              "tells the writer what to assert when asked", documents_only=True),
    # A quoted text alone is :mod:`.addressed`'s weak ``verbatim_words`` (brand guides quote approved wording
    # for their writers); a quoted text to be put at a given place is an order about the output's layout.
    make_rule("verbatim_placed", 0.55, "print|type|output|echo|display|say|write|respond|reply|answer|return",
              rf"{CLAUSE_START}(?:print|type|output|echo|display|say|write|respond with|reply with|answer with|"
              r"return|put|add|insert) ?:? ?[\"'][^\"'\n]{1,80}[\"'] (?:[^.!?\n]{0,30}?)\b(?:at the (?:top|start|"
              r"beginning|end|bottom)|first|verbatim|word for word|exactly|in bold|in capitals|before anything)\b",
              "gives a text to reproduce at a given place", documents_only=True),
    make_rule("own_task_clause", 0.5, "answering|replying|responding|summari|drafting|composing|generating|"
              "recommending|ranking|writing|comparing",
              rf"\b(?:before|after|when|while|instead of|in|whenever) {OWN_TASK}\b[^.!?\n]{{0,40}}?[,:] ?(?:please "
              rf"|always |first |just )?{IMPERATIVE}\b",
              "opens an order with the model's own task", documents_only=True),
    make_rule("principal_requests", 0.35, "request|asked|want|like|need|instruct",
              rf"\b(?:the|your|my) (?:\S+ )?{PRINCIPAL} (?:has |have |had )?(?:requested|asked|wants|would like|"
              r"needs|instructed) (?:that|me to remind you|for (?:an? |the )?(?:e-?mail|message|note|reply))\b",
              "relays a request from the model's principal", documents_only=True),
    make_rule("task_done_only_if", 0.45, "complete|done|finished",
              r"\byour (?:task|job|work|summary|answer|reply|response) (?:is|isn't|is not|will be|won't be) "
              r"(?:only )?(?:complete|done|finished|over)(?: only)? (?:after|when|once|until|unless|if)\b",
              "ties the model's task to an extra step", documents_only=True),
    # A tool call written out, as a model would emit it: name_with_underscores(arg=...), or JSON naming a tool.
    make_rule("tool_call_syntax", 0.55, "(|tool|function|action",
              r"\b[a-z]+_[a-z_]+ ?\( ?[a-z_]+ ?= ?[\"']|\"(?:tool|tool_name|function|function_call|tool_call|"
              r"action|name)\" ?: ?\"[a-z]+_[a-z_]+\"",
              "a tool call written out for the model to make"),
    make_rule("disparage_others", 0.35, "other|competitor|rival|alternative",
              r"\b(?:describe|call|label|portray|present|paint|depict|characteri[sz]e) (?:the |all |any )?(?:others|"
              r"competitors?|rivals?|other (?:brands|shops|sellers|products|teas|options)|alternatives) as\b",
              "tells the writer how to describe the competition", documents_only=True),
)
