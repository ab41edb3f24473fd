"""Structured output: local repair, re-asking with the error, and giving up with a record."""

from __future__ import annotations

import pytest

from app.llm.structured import StructuredOutputFailed, generate, parse
from app.prompting.registry import parse_version
from app.schemas import DraftCopy, endpoint_schema
from tests.fakes import CLEAN_DRAFT, FakeLLM

PROMPT = parse_version(b"""
name: draft
version: 9
variables: [x]
params: {temperature: 0.2, seed: 5}
system: s
user: "{{ x }}"
""")


def test_code_fences_and_prose_around_json_are_repaired():
    text = 'Sure! Here it is:\n```json\n{"headline": "Hello there", "body": "A body of text.", "cta": "Go",}\n```'
    assert parse(text, DraftCopy).headline == "Hello there"


def test_raw_newlines_inside_strings_are_accepted():
    assert parse('{"headline": "Two\nlines", "body": "A body of text.", "cta": "Go"}', DraftCopy)


def test_invalid_output_is_reasked_with_the_validation_error_and_a_new_seed():
    llm = FakeLLM().enqueue({"headline": "Hi"}, CLEAN_DRAFT)
    result = generate(llm, PROMPT, {"x": "1"}, DraftCopy)
    assert result.value.headline == CLEAN_DRAFT["headline"]
    assert [c.ok for c in result.calls] == [False, True]
    assert "body: Field required" in llm.history[1]["messages"][-1]["content"]
    assert [h["params"]["seed"] for h in llm.history] == [5, 6]


def test_gives_up_after_max_attempts_keeping_every_call():
    llm = FakeLLM().enqueue("no", "nope", "never")
    with pytest.raises(StructuredOutputFailed) as info:
        generate(llm, PROMPT, {"x": "1"}, DraftCopy, max_attempts=3)
    assert len(info.value.calls) == 3 and info.value.code == "malformed_output"


def test_endpoint_schema_drops_long_length_bounds_but_keeps_short_ones():
    schema = endpoint_schema(DraftCopy)
    assert "maxLength" not in schema["properties"]["body"]
    assert schema["properties"]["cta"]["maxLength"] == 80
