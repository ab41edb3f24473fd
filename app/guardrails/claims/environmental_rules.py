"""Environmental claims: the ``environmental`` (specific: compostable, recycled, carbon neutral...) and
``environmental_generic`` kinds.

Directive (EU) 2024/825 (amending the UCPD, Annex I No 4a) bans generic environmental claims ("eco",
"green", "earth-friendly", "climate-conscious", "good for the planet") unless the trader can show
recognised excellent environmental performance relevant to the claim; the CMA Green Claims Code and the
US FTC Green Guides (16 CFR 260.4) say the same of unqualified general benefit claims. A generic claim is
therefore supported only by an approved claim in that same wording; a specific one needs an approved claim
that covers the same product, part and material (a claim about boxes does not cover a bottle).
"""

from __future__ import annotations

import re

from app.guardrails.claims.patterns import LEFT, RIGHT, SEP, words

_NATURE = (r"(?:earth|planet|climate|carbon|nature|environment(?:al(?:ly)?)?|eco|ocean|sea|forest|wildlife|bee"
           r"|animal)")
_GOOD = (r"(?:friendly|conscious|positive|smart|safe|kind|kinder|responsible|wise|neutral|minded|aware"
         r"|loving|approved|first|proof|better|happy|healthy|gentle)")

GENERIC = re.compile(
    rf"{LEFT}(?:{_NATURE}{SEP}{_GOOD}"
    rf"|eco(?:{SEP}\w+)?|eco(?:friendly|safe|conscious|label)\w*|ecological(?:ly)?(?:{SEP}\w+)?"
    rf"|(?:natural|good|kind|kinder|better|gentle|gentler|great|right|best){SEP}(?:for|to|on){SEP}(?:the{SEP})?"
    rf"(?:planet|earth|environment|nature|climate|oceans?)"
    rf"|(?:green|greener|greenest)(?= (?:packaging|choice|company|brand|business|credentials|option|products?"
    rf"|alternative|planet|future|way|living|lifestyle|shopping|swap|pick|tea company))"
    rf"|(?:go|going|goes|truly|is|are|100%|100 %) green(?:er)?|greener|sustainab\w+"
    rf"|(?:conscious|responsible|ethical|guilt{SEP}free|clean|kind|green) (?:choice|living|consumption|shopping)"
    rf"|planet{SEP}(?:friendly|positive|saving)|saves? the planet|(?:protects?|heals?|helps?) the planet"
    rf"|environmentally (?!(?:\w+ )?(?:damaging|harmful))\w+|kind to the (?:earth|planet)|low{SEP}impact"
    rf"|(?:all|100%|100 %){SEP}natural|chemical{SEP}free|non{SEP}toxic|toxin{SEP}free)"
    rf"{RIGHT}",
)

SPECIFIC = words(
    rf"carbon{SEP}(?:neutral|negative|free|zero|positive|neutrality)",
    rf"climate{SEP}(?:neutral|positive|compensated)", rf"net{SEP}zero", rf"low{SEP}carbon",
    rf"(?:home{SEP})?compostable", r"biodegradable", rf"plastic{SEP}free", r"no plastic", r"recyclable",
    r"recycled", rf"zero{SEP}waste", rf"waste{SEP}free", r"organic", rf"carbon{SEP}offset\w*",
    r"offset\w* (?:your |our |all |the )?(?:carbon|emissions|footprint)",
    # "natural" as a product descriptor only: "natural disaster" and "it's natural to" are not claims.
    r"natural(?= (?:ingredients?|flavou?rs?|products?|teas?|goodness|remed(?:y|ies)|choice|packaging))",
    r"naturally(?= (?:[\w]+-free|grown|sourced|sweet\w*|occurring|derived))",
    rf"fair{SEP}?trade", r"ethically (?:sourced|certified)", r"renewable (?:energy|electricity|power)",
)

PATTERNS: dict[str, re.Pattern[str]] = {"environmental_generic": GENERIC, "environmental": SPECIFIC}
