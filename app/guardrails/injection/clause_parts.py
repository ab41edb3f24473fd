"""The parts of a clause the addressee rules are built from: who produces text, what it is, what orders look like.

Shared by :mod:`.writer_directed` and :mod:`.model_addressed`. Every gap is bounded, so the rules stay linear in the
text length. In a pattern " " means a run of whitespace and " ?" optional whitespace (see :mod:`.rule`).
"""

from __future__ import annotations

# Within one sentence: no sentence end, bounded, so a match never scans further than this.
SAME_SENTENCE = r"[^.!?\n]{0,60}?"
# Nouns for text someone produces. Generic ("text", "message", "note") on purpose: the clause around them
# (who produces it, what it is made from, where it goes) is what says it is the model's output.
TEXT_NOUN = (r"(?:answers?|repl(?:y|ies)|responses?|outputs?|summar(?:y|ies)|recaps?|digests?|overviews?|"
             r"round-?ups?|tl;? ?drs?|captions?|descriptions?|drafts?|write-?ups?|blurbs?|synops(?:is|es)|"
             r"translations?|completions?|results?|texts?|messages?|notes?|e-?mails?|posts?|copy|content|"
             r"reports?|letters?|comments?|articles?|comparisons?|rankings?|recommendations?|highlights|snippets?|"
             r"headlines?)")
# Nouns for what the model writes and nothing else ("make the summary", "sign off the reply").
OUTPUT_NOUN = (r"(?:answers?|repl(?:y|ies)|responses?|outputs?|summar(?:y|ies)|recaps?|digests?|overviews?|"
               r"round-?ups?|tl;? ?drs?|write-?ups?|synops(?:is|es)|completions?)")
PRODUCE = (r"(?:writes?|produces?|generates?|sends?|says?|outputs?|returns?|gives?|drafts?|composes?|creates?|"
           r"prepares?|makes?|types?|prints?|posts?|delivers?|repl(?:y|ies)|responds?|answers?|provides?|"
           r"comes? up with|puts? together|spits? out|builds?|compiles?|assembles?|crafts?|derives?|extracts?)")
DOCUMENT = (r"(?:page|faq|e-?mail|mail|thread|document|doc|reviews?|text|note|message|article|content|data|file|"
            r"listing|ticket|chat|post|comments?|sheet|spreadsheet|report|section|passage|chunk|website|site)")
THIRD_PERSON = (r"(?:customer|user|reader|shopper|buyer|client|recipient|sender|requester|visitor|caller|person|"
                r"people|human|guest|member|subscriber|account holder|audience)s?")
# Not "system", "service" or "process": "any service handling this data must ..." is a privacy policy.
AGENT_NOUN = (r"(?:ai|a\.i\.|assistant|model|bot|chatbot|agent|tool|helper|script|summari[sz]er|copilot|llm|"
              r"automation|crawler|auto-?responder|autoresponder|responder|auto-?replier)s?")
# What a machine does to a document. A person only "reads" or "goes through" it ("anyone reading this, send
# us your recipe"), so those count only with an agent noun (READING_AS_AGENT).
PROCESSING = (r"(?:processing|parsing|summari[sz]ing|analy[sz]ing|indexing|ingesting|triaging|answering from|"
              r"(?:generating|writing|producing|creating|drafting) (?:\S+ )?(?:from|based on|out of)|"
              r"(?:answers?|answering|writes?|writing|repl(?:y|ies)|replying|responds?|responding)(?: \S+){0,2}? "
              r"(?:using|from|based on|with the help of|drawing on))")
READING_AS_AGENT = (rf"(?:{PROCESSING}|reading|handling|scanning|going through|working through|looking at|"
                    r"drawing on|(?:that |which |who )?(?:surfac|list|recommend|rank|index|crawl|scrap|quot|cit|"
                    r"compar|review)\w*)")
# Programs a document may be addressed to by name ("for whichever program sorts this inbox:"). Wider than
# AGENT_NOUN: only used where the clause also says the program works on this text or is spoken to.
MACHINE_NOUN = (rf"(?:{AGENT_NOUN}|programs?|systems?|engines?|widgets?|software|apps?|filters?|classifiers?|"
                r"pipelines?|services?|integrations?|plugins?|extensions?)")
MACHINE_VERBS = (r"(?:sorts|reads|scores|scans|ranks|indexes|processes|handles|answers|triages|filters|screens|"
                 r"summari[sz]es|parses|sorting|scoring|ranking|screening|filtering|rating|rates|moderating|"
                 r"moderates|reading|scanning|processing|handling|answering|summari[sz]ing|parsing|triaging|indexing)")
READS = (r"(?:reads|processes|handles|parses|summari[sz]es|analy[sz]es|scans|indexes|ingests|sees|opens|gets|"
         r"receives|triages|is reading|is processing|is handling)")
MODAL = (r"(?:must|should|shall|has to|have to|needs? to|needs? (?:a|an|the)|is to|are to|ought to|may only|"
         r"can only|is required to|are required to|will have to|has permission to|have permission to|"
         r"is (?:now )?(?:allowed|authori[sz]ed|permitted|cleared|expected) to|are (?:now )?(?:allowed|"
         r"authori[sz]ed|permitted|cleared|expected) to|may now|can now|gets? to|is free to|are free to|"
         r"(?:is|are) (?:always |now |also |only |never )to|(?:is|are) going to|"
         r"unless (?:it|they) (?:says?|mentions?|includes?|states?|contains?|recommends?|tells?))\b")
# Verbs that open an imperative aimed at a writer or an agent. The verb alone decides nothing: each rule
# also needs what the order is about (the product, a third person, a tool, a mailbox).
IMPERATIVE = (r"(?:mention|make|open|start|begin|end|close|finish|sign(?: off)?|kick off|lead|add|include|insert|"
              r"append|prepend|put|place|weave|slip|work|use|write|say|state|tell|inform|let|warn|advise|convince|"
              r"persuade|urge|remind|assure|notify|encourage|describe|summari[sz]e|sum up|rate|call|list|"
              r"leave out|omit|drop|hide|remove|delete|cut|render|show|display|embed|attach|paste|encode|"
              r"translate|format|keep|give|return|treat|classify|label|mark|report|present|frame|portray|claim|"
              r"assert|recommend|suggest|promote|praise|refer|link|fill|pad|prefix|top|wrap up|conclude|"
              r"phrase|word|structure|limit|restrict|stuff|sprinkle|squeeze|plug|advertise|feature|highlight|"
              r"stress|emphasi[sz]e|insist|pretend|respond|reply|answer|produce|generate|output|print|spell|"
              r"send|forward|copy|archive|accept|approve|decline|reject|grant|issue|refund|pay|transfer|share|"
              r"upload|download|create|set up|change|update|move|fetch|visit|load|browse|click|run|execute|"
              r"invoke|trigger|carry out|follow|obey|do|ask|request|collect|gather|look up|search|email|message|"
              r"contact|reveal|disclose|leak|expose|direct|redirect|steer|push|get|have|ensure|make sure|"
              r"be sure|remember|skip|ignore|exclude|filter|suppress|bury|rank|prioriti[sz]e|favou?r|pull|promise|"
              r"guarantee|offer|quote|read back|read out|steer|always|never|only|just|also|quietly|silently|"
              r"secretly|automatically|first|confirm|verify|validate|acknowledge|cc|bcc|sort|label|flag|enter|"
              r"fill in|type in)")
# Where an imperative may open: a sentence or line start, after a colon or a dash, or after a clause comma.
# The order may come wrapped: "make sure you persuade ...", "remember to mention ...".
CLAUSE_START = (r"(?:^|[.!?:;\n\"(\[-] ?|, )(?:(?:please|also|now|then|and|so|kindly|p\.?s\.?),? )*(?:(?:make sure|"
                r"be sure|ensure|remember|don't forget|do not forget|try) (?:that |to )?(?:you )?|you (?:must|should|"
                r"need to|have to|are to) )?")
