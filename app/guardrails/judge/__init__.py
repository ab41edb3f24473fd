"""The judge: a local (or any OpenAI-compatible) model that decides candidates the rules found."""

from app.guardrails.judge.contract import Judge, JudgeRequest, JudgeVerdict, rules_only_note

__all__ = ["Judge", "JudgeRequest", "JudgeVerdict", "rules_only_note"]
