"""Delimiter and format injection: chat-template tokens, markup and labels posing as prompt sections."""

from __future__ import annotations

import re

from app.guardrails.injection.rule import Rule, make_rule

DELIMITER_RULES = (
    make_rule("chat_template_token", 0.9, "<",
          r"<\|(?:im_start|im_end|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|system|user|"
          r"assistant)\|?>", "contains a chat-template control token"),
    make_rule("inst_tag", 0.85, "[|<<", r"\[/?(?:inst|sys|system)\]|<</?sys>>",
          "contains an instruction-format tag"),
    make_rule("role_markup_tag", 0.6, "<",
          r"</?(?:system|sys|instructions?|prompt|context|source|sources|document|documents|retrieved|"
          r"knowledge|kb|assistant|user|admin|developer|human|tool)(?: [^<>\n]{0,60})?>",
          "contains a markup tag that could close or open a prompt section"),
    make_rule("section_delimiter", 0.6, "#|%|==|--|**|<<|>>",
          r"(?:^|\n)[^\S\n]*(?:#{2,}|%{2,}|={3,}|-{3,}|\*{3,}|<{2,}|>{2,})[^\S\n]*(?:(?:begin|end|start|new|"
          r"old|updated)\b[^\n]{0,30}?\b(?:instructions?|prompt|system|context|rules)\b|system(?: (?:prompt|"
          r"message|override|instructions?|note))?[^\S\n]*(?::|#|%|=|\n|$)|admin (?:note|override|message)|"
          r"new instructions?\b)",
          "contains a section delimiter posing as a prompt section"),
    make_rule("fake_system_note", 0.55, "system|admin|developer|sys|assistant|root",
          r"[\[(<{] ?(?:system|admin|developer|sys|assistant|root) ?(?:note|message|update|notice|override|"
          r"instruction|prompt)? ?:|(?:^|[.!?\n] ?)(?:system|admin|developer|sys|root) (?:note|message|update|"
          r"notice|override|instruction|prompt) ?:", "contains a note posing as the system"),
    # One "admin:" line is a glossary entry as often as a chat turn; two roles taking turns is a transcript.
    Rule("role_label", 0.2, ("system", "assistant", "sys", "admin", "developer", "human"),
         re.compile(r"(?:^|\n)[ \t]*(?:system|assistant|sys|admin|developer|human)[ \t]*:[ \t]",
                    re.IGNORECASE),
         "contains a line posing as a chat role", on_original=True),
    Rule("chat_transcript", 0.6, ("user", "human", "system"),
         re.compile(r"^[ \t]*(?:user|human|system)[ \t]*:.*\n(?:.*\n){0,8}?[ \t]*(?:assistant|ai|bot|gpt)[ \t]*:",
                    re.IGNORECASE | re.MULTILINE),
         "contains a made-up exchange between a user and the assistant", on_original=True),
    make_rule("end_of_context", 0.3, "end",
          r"\bend of (?:the )?(?:document|context|source|input|prompt|instructions|system prompt|"
          r"user input)\b",
          "claims the context ends here"),
)
