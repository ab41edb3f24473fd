"""Text about the text instead of copy: what a model writes when it talks to the requester or describes
the structure it was asked for, rather than writing for the reader.

Rules (each finding spans the matched words):

- ``meta_text:assistant_reply``: a chat assistant's opener or closer: an interjection followed by a
  hand-over (``Sure! Here's...``, ``Certainly, below is...``), a presenter of the deliverable
  (``Here is your post:``, ``Below are three headlines``, ``I've drafted a caption``), or a sign-off
  (``I hope this helps``, ``Feel free to adjust``, ``Let me know if you'd like changes``, ``As an AI``).
- ``meta_text:field_label``: a line (or a sentence) that starts with the name of a part of the copy and
  a colon (``Title:``, ``Headline 2:``, ``Detailed Description:``, ``Body copy:``, ``CTA:``, ``"cta":``), or a
  line that is nothing but such names (``List of CTAs``, ``Body``, ``Call to action``).
- ``meta_text:instruction``: the writer's instructions leaking into the copy: rules about "copy" or what
  it "must carry" (``any copy that mentions caffeine must carry...``, ``must include the disclaimer``),
  internal reference ids (``disclaimer D-CAFFEINE``), and lists of claims to avoid (``No sleep, stress or
  digestion claims``).
- ``meta_text:self_description``: a sentence that describes the copy's own parts: a pointing word and a
  part of a text with a verb of structure (``This header has...``, ``The first paragraph contains...``,
  ``Each sentence includes...``, ``the headline is a placeholder``), or a length note (``word count``,
  ``(45 words)``).

The nouns are the parts of a marketing text (headline, paragraph, sentence, caption, CTA...); the verbs
describe structure (has, contains, consists of, describes, lists...). Prescriptive guidance (``The headline
should...``) is not matched: real style guides are full of it, and it is not what a model pads copy with.
"""

from __future__ import annotations

import re

from app.guardrails.quality.findings import Finding

_PARTS = (r"(?:title|headline|sub-?headline|heading|sub-?heading|subject(?:\s+line)?|pre-?header|body(?:\s+copy|"
          r"\s+text)?|copy|text|cta|call[\s-]to[\s-]action|caption|description|hashtags?|tagline|slogan|"
          r"intro(?:duction)?|summary|post|tweet|content|option|variant|version|idea|angle|image|visual|"
          r"key\s+message|keywords?)")
_MODIFIERS = (r"(?:(?:short|long|detailed|full|main|final|suggested|sample|example|product|post|email|meta|"
              r"social|alternative|optional|primary|secondary|instagram|linkedin|twitter|blog)\s+)?")
_ASSISTANT = re.compile(
    r"(?im:^[ \t]*(?:sure|certainly|of\s+course|absolutely|okay|ok|alright|great|got\s+it|here\s+you\s+go)\b"
    r"[ \t!,.:;\u2014\u2013-]*(?:here\b|below\b|i\b|i['\u2019]|let\s+me\b|this\s+is\b|you\s+got\s+it))"
    r"|(?i:\b(?:here(?:['\u2019]s|\s+is|\s+are)|below\s+(?:is|are)|i(?:['\u2019]ve|\s+have)\s+(?:written|"
    r"created|drafted|prepared|come\s+up\s+with))\s+(?:(?:your|the|a|an|my|some|one|two|three|four|five|\d+|"
    r"revised|updated|new|possible|short|quick|final)\s+){0,3}(?:[\w-]+\s+){0,2}?(?:post|draft|copy|version|"
    r"caption|tweet|headline|variant|rewrite|revision|tagline|cta|call\s+to\s+action|subject\s+line|blurb|"
    r"slogan)s?\b)"
    r"|(?i:\b(?:i\s+hope\s+(?:this|these|that)\s+(?:helps?|works?|meets?|fits?)|feel\s+free\s+to\s+(?:adjust|"
    r"modify|tweak|edit|change|customi[sz]e)|let\s+me\s+know\s+if\s+you(?:['\u2019]d|\s+would)?\s+(?:like|"
    r"want|need)\s+(?:me|any|changes|more|another|a\s+different|adjustments)|as\s+an\s+ai\b|as\s+a\s+language"
    r"\s+model|i\s+(?:can(?:not|['\u2019]t)|am\s+unable\s+to)\s+(?:write|create|help|assist)|is\s+there\s+"
    r"anything\s+else))"
)
_LABEL = re.compile(
    r"(?im)(?:^|(?<=[.!?\"\u201d]\s))[ \t>*#-]*(?:\*\*)?[\"']?" + _MODIFIERS + _PARTS
    + r"(?:\s*#?\d{1,2})?(?:\*\*)?[\"']?[ \t]*:(?!//)"
)
_LABEL_LINE = re.compile(
    r"(?im)^[ \t>*#\[(-]*(?:(?:list|set|number|series|collection)\s+of\s+)?" + _MODIFIERS
    + r"(?:title|headline|heading|sub-?heading|body|copy|text|ctas?|calls?\s+to\s+action|caption|description|"
    r"tagline|hashtags?|paragraphs?|sentences?|keywords?)s?(?:\s*#?\d{1,2})?[\])\s.:]*$"
)
_INSTRUCTION = re.compile(
    r"(?i:\b(?:any|all|the|this|our|your)\s+copy\s+(?:that|which|must|should|about|mentioning)\b"
    r"|\b(?:must|should|has\s+to|needs\s+to)\s+(?:carry|include|contain|mention|state|show)\s+(?:the\s+|a\s+)?"
    r"(?:disclaimer|claim|key\s+message|call\s+to\s+action|cta|hashtag)s?\b"
    r"|\bno\s+[\w-]+(?:,\s*[\w-]+)*,?\s+(?:or|and)\s+[\w-]+\s+claims\b)"
    r"|\b(?i:disclaimer)\s+[A-Z][A-Z0-9]*-[A-Z0-9-]+\b"
)
_SELF = re.compile(
    r"(?i)\b(?:this|that|these|the\s+(?:first|second|third|last|final|next|following|previous|above|opening|"
    r"closing|main)|each|every)\s+(?:(?:short|long|main|new|first|second)\s+)?(?:header|heading|headline|title|"
    r"subtitle|paragraph|sentence|line|section|caption|cta|call\s+to\s+action|draft|tweet|tagline|slogan|"
    r"placeholder)s?\s+(?:has|have|contains?|consists?\s+of|includes?|is\s+made\s+up\s+of|describes?|lists?|"
    r"introduces?|summari[sz]es?|mentions?|(?:is|are)\s+(?:about|written|meant|designed|intended|now\s+out|"
    r"a\s+placeholder|placeholders|empty|missing))\b"
    r"|\b(?i:word|character)\s+count\b|\(\s*\d{1,4}\s+(?i:words|characters|chars)\s*\)"
)


def meta_text_findings(text: str) -> list[Finding]:
    """Every stretch of ``text`` that talks about the text (see the module docstring), in text order."""
    found = [
        *(_finding("assistant_reply", m, "is the model talking to the requester") for m in _ASSISTANT.finditer(text)),
        *(_finding("field_label", m, "labels a part of the copy instead of being copy")
          for m in _LABEL.finditer(text)),
        *(_finding("field_label", m, "names parts of the copy instead of writing them")
          for m in _LABEL_LINE.finditer(text) if not _LABEL.match(text, m.start())),
        *(_finding("instruction", m, "is an instruction to the writer, not copy") for m in _INSTRUCTION.finditer(text)),
        *(_finding("self_description", m, "describes the copy instead of being copy") for m in _SELF.finditer(text)),
    ]
    return sorted(found, key=lambda f: f.spans[0])


def _finding(kind: str, m: re.Match[str], what: str) -> Finding:
    start, end = m.span()
    while start < end and m.string[start].isspace():
        start += 1
    shown = m.string[start:end]
    return Finding(rule=f"meta_text:{kind}", spans=((start, end),), evidence=shown,
                   reason=f"{shown!r} {what}: keep only the words the reader should see")
