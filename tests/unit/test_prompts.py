"""Versioned prompts: strict rendering, declared variables, labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import PromptError
from app.prompting.registry import PromptRegistry, parse_version
from app.settings import PROJECT_ROOT

VERSION = b"""
name: greet
version: 1
variables: [name]
params: {temperature: 0.1}
system: You greet people.
user: Say hello to {{ name }}.
"""


def test_rendering_fails_on_a_missing_variable():
    with pytest.raises(PromptError, match=r"missing variables \['name'\]"):
        parse_version(VERSION).render({})


def test_rendering_fails_on_an_unknown_variable():
    with pytest.raises(PromptError, match=r"unknown variables \['nmae'\]"):
        parse_version(VERSION).render({"name": "Ada", "nmae": "typo"})


def test_template_that_uses_an_undeclared_variable_is_refused_at_load():
    with pytest.raises(PromptError, match="templates use"):
        parse_version(VERSION.replace(b"{{ name }}", b"{{ name }} {{ surname }}"))


def test_content_hash_changes_with_the_file():
    assert parse_version(VERSION).content_hash != parse_version(VERSION + b"\n").content_hash


def test_labels_resolve_to_versions(tmp_path: Path):
    folder = tmp_path / "greet"
    folder.mkdir()
    (folder / "v1.yaml").write_bytes(VERSION)
    (folder / "v2.yaml").write_bytes(VERSION.replace(b"version: 1", b"version: 2"))
    (folder / "labels.yaml").write_text("production: 1\ncandidate: 2\n")
    registry = PromptRegistry(tmp_path)
    assert registry.resolve("greet@production").ref == "greet@1"
    assert registry.resolve("greet@candidate").ref == "greet@2"
    assert registry.resolve("greet@2").version == 2
    with pytest.raises(PromptError, match="no label 'beta'"):
        registry.resolve("greet@beta")


def test_shipped_prompts_load_and_declare_their_schemas():
    registry = PromptRegistry(PROJECT_ROOT / "prompts")
    for name in registry.names():
        for version in registry.versions(name):
            assert registry.load(name, version).output_schema in {"IdeaList", "DraftCopy"}
