"""The style check: a brand's house style, kept as data in ``brand_kb/<brand>/style.yaml``.

``StyleCheck`` (name ``"style"``) returns one failed result per finding. Results whose ``suggestion``
is not None carry an exact replacement for their spans; :func:`apply_fixes` applies those
(non-overlapping, right to left) and is what the policy's auto-fix uses. Findings with no safe
replacement (length, reading level) have ``suggestion=None`` and say what to do in ``reason``.

Schema of ``style.yaml`` (every key optional)::

    severity: {<family>: block|warn|info}    # families below; default warn, except length: block
    proper_nouns: [Quiet Hours, The Tea Club]  # fixed capitalisation; other casings -> capitalisation
    terminology:                               # variants (whole words) replaced by `use` -> terminology
      - {use: email, instead_of: [e-mail], ignorecase: true, reason: "...", language: en}  # en text only
    avoid:                                     # tone words -> tone; replacement optional
      - {word: amazing, replacement: null, reason: "..."}
    patterns:                                  # house formats as regexes -> pattern
      - {id: price-format, regex: '\\d+,\\d{2}\\s?€', message: "...", language: en}  # optional language
    limits:
      exclamation_max: 1                       # "!" per piece -> exclamation (fix: ".")
      sentence_words_max: 30                   # -> sentence_length
      reading_grade_max: 10                    # school grade (Flesch-Kincaid; German: Wiener
                                               # Sachtextformel) -> reading_level
      reading_min_words: 40                    # shorter texts are not graded
      all_caps: {min_length: 4, allow: [ASAP]} # shouted words -> all_caps
    channels:                                  # per channel, all optional -> length, emoji, hashtags
      <channel>: {headline_chars, body_chars, body_words, total_chars, emoji_max, hashtags_max,
                  exclamation_max, headline_exclamation_max,
                  headline_min_words, body_min_words, cta_min_words}   # minimums: the quality check
    vale_rules: [styles/Fernhill]              # Vale rule files/folders, relative to the brand folder

The text is ``headline\\nbody\\ncta``: the first line is the headline, the last the call to action
(when there are 3+ lines), the lines between the body. Rules are named ``style:<family>:<detail>``,
and ``vale:<Package>.<Rule>`` for Vale rules. A replacement keeps the capital of the word it
replaces ("Flavor" -> "Flavour"); proper nouns take their listed form exactly.

Modules: :mod:`.check` (the check and auto-fix), :mod:`.guide` (parsing style.yaml), :mod:`.house` (the
house rules), :mod:`.readability` (words, syllables, Flesch), :mod:`.vale` (Vale rules). Run
``python -m app.guardrails.style.timing`` to time the check at 150, 1,500 and 15,000 words.
"""

from app.guardrails.style.check import StyleCheck, apply_fixes, style_guide
from app.guardrails.style.guide import CHANNEL_KEYS, FAMILIES, StyleGuide, TermRule, parse_style_guide
from app.guardrails.style.house import split_fields
from app.guardrails.style.readability import (
    reading_ease,
    reading_grade,
    sentence_word_counts,
    syllables,
    word_spans,
)

__all__ = ["CHANNEL_KEYS", "FAMILIES", "StyleCheck", "StyleGuide", "TermRule", "apply_fixes", "parse_style_guide",
           "reading_ease", "reading_grade", "sentence_word_counts", "split_fields", "style_guide", "syllables",
           "word_spans"]
