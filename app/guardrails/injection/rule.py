"""The rule record and the vocabulary the rule families share.

In a rule pattern " " means a run of whitespace and " ?" optional whitespace, so rules stay readable.
A rule's ``weight`` is the probability, judged by design, that a text matching it is an injection; the
scan combines the rules that fired as a noisy-OR (see :mod:`app.guardrails.injection.scan`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    weight: float
    needles: tuple[str, ...]  # the rule runs only if one of these occurs in the normalised text
    pattern: re.Pattern[str]
    reason: str
    on_original: bool = False  # match the raw text (case matters), not the normalised one
    word_start: bool = False  # a match must start at a word boundary (see _without_leading_word_boundaries)
    # A task or format instruction to whoever writes the output: an injection inside a document or a
    # draft, but exactly what a brief is for ("end the post with a question"), so briefs skip it.
    documents_only: bool = False


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


def make_rule(name: str, weight: float, needles: str, pattern: str, reason: str, *,
              documents_only: bool = False) -> Rule:
    """A rule over the folded text; ``needles`` ("a|b") gate the regex, ``pattern`` uses the " " shorthand."""
    body, word_start = _without_leading_word_boundaries(pattern)
    return Rule(name, weight, tuple(needles.split("|")), _rx(body), reason, word_start=word_start,
                documents_only=documents_only)


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
# Generic nouns name the model's input only without a topic: "ignore the previous messages about delivery
# delays" speaks to a reader about earlier announcements, "ignore the previous messages" to a model.
TOPICLESS_INPUT = (r"(?:context|conversation|messages?|inputs?|text|content)\b"
                   r"(?! (?:about|regarding|concerning|on|re)\b)")
DIRECTIVES = rf"(?:{INSTRUCTION_NOUNS}|{RULE_NOUNS}|{TOPICLESS_INPUT})"
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
