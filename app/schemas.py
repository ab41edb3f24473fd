"""Input and output schemas: what a marketer submits, and what the LLM must return."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.errors import InvalidInput
from app.language import normalise_language

CHANNELS = ("linkedin", "instagram", "email", "blog", "x", "facebook", "web")

# A name people type and URLs carry: prompt labels, eval suite names. One pattern, checked everywhere.
NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,63}$"


class BriefCreate(BaseModel):
    """A marketer's brief. Validation errors name the field and what to change."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    brand: str = Field(min_length=1, max_length=64, description="Brand slug, a folder under brand_kb/.")
    product: str | None = Field(default=None, max_length=128, description="Product id from the brand KB.")
    channels: list[str] = Field(min_length=1, max_length=5, description=f"Any of {', '.join(CHANNELS)}.")
    audience: str = Field(min_length=3, max_length=500)
    goal: str = Field(min_length=3, max_length=500)
    key_message: str = Field(min_length=3, max_length=1000)
    constraints: str = Field(default="", max_length=2000)
    n_ideas: int = Field(default=2, ge=1, le=10)
    n_variants: int = Field(default=2, ge=1, le=5)
    language: str | None = Field(
        default=None, max_length=35,
        description="BCP 47 language of the copy: 'en' or 'de' ('de-DE' means 'de'); default: the brand's "
                    "default_language.")

    @field_validator("language")
    @classmethod
    def _supported_language(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return normalise_language(value)
        except InvalidInput as exc:
            raise ValueError(exc.message) from exc

    @field_validator("brand", "product", "audience", "goal", "key_message", "constraints")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        # PostgreSQL text cannot hold NUL; a brief read from a file must fail here, not in the database.
        if value is not None and "\x00" in value:
            raise ValueError("must not contain NUL characters (\\x00)")
        return value

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, value: list[str]) -> list[str]:
        cleaned = [c.strip().lower() for c in value]
        unknown = [c for c in cleaned if c not in CHANNELS]
        if unknown:
            raise ValueError(f"unknown channel{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                             f"choose from {', '.join(CHANNELS)}")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("channels must not repeat")
        return cleaned


class IdeaOut(BaseModel):
    title: str = Field(min_length=3, max_length=120)
    angle: str = Field(min_length=3, max_length=400)


class IdeaList(BaseModel):
    ideas: list[IdeaOut] = Field(min_length=1, max_length=10)


class DraftCopy(BaseModel):
    headline: str = Field(min_length=3, max_length=150)
    body: str = Field(min_length=10, max_length=1500)
    cta: str = Field(min_length=2, max_length=80)

    @field_validator("headline", "cta")
    @classmethod
    def _one_line(cls, value: str) -> str:
        # The checked text is "headline\nbody\ncta": single-line ends keep its three parts recoverable.
        return " ".join(value.split())

    @classmethod
    def from_text(cls, text: str) -> DraftCopy:
        """Inverse of ``variant_text``: first line headline, last line CTA, the rest body."""
        lines = text.split("\n")
        return cls(headline=lines[0], body="\n".join(lines[1:-1]), cta=lines[-1])


OUTPUT_SCHEMAS: dict[str, type[BaseModel]] = {"IdeaList": IdeaList, "DraftCopy": DraftCopy}


_GRAMMAR_MAX_LENGTH = 160  # bounds above this are left to validation (see endpoint_schema)


def endpoint_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema sent to the endpoint: the model's, without large string length bounds.

    llama.cpp compiles lengths into grammar repetitions and refuses long ones (a 1500-character
    bound exceeds its limits); upper bounds are still enforced when the output is validated, and
    ``max_tokens`` bounds what the model can write. Small bounds stay: they keep a constrained model
    from answering with empty strings or a paragraph-long call to action.
    """
    return _strip_lengths(model.model_json_schema())


def idea_list_schema(n: int) -> dict[str, Any]:
    """IdeaList's endpoint schema with exactly ``n`` ideas, so a constrained endpoint returns n."""
    schema = endpoint_schema(IdeaList)
    schema["properties"]["ideas"].update({"minItems": n, "maxItems": n})
    return schema


def _strip_lengths(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_lengths(v) for k, v in node.items()
                if not (k == "maxLength" and int(v) > _GRAMMAR_MAX_LENGTH)}
    if isinstance(node, list):
        return [_strip_lengths(v) for v in node]
    return node
