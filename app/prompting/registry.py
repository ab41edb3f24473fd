"""The prompt registry: ``prompts/<name>/v<N>.yaml`` files and ``prompts/<name>/labels.yaml``.

A version file is immutable data: its declared ``variables``, ``output_schema``, model ``params``,
and the ``system`` and ``user`` templates (Jinja2). Loading validates that the templates use exactly
the declared variables; rendering refuses a missing or an unknown variable. A reference is written
``name@version`` or ``name@label`` (``draft@production``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2 import meta

from app.errors import PromptError

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
_REQUIRED_KEYS = {"name", "version", "variables", "params", "system", "user"}


@dataclass(frozen=True)
class PromptVersion:
    """One immutable prompt version, as loaded and validated from its file."""

    name: str
    version: int
    variables: frozenset[str]
    params: dict[str, Any]
    system: str
    user: str
    content_hash: str
    output_schema: str | None = None
    description: str = ""
    path: Path | None = field(default=None, compare=False)

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def render(self, variables: dict[str, Any]) -> list[dict[str, str]]:
        """Chat messages for ``variables``; raises PromptError on a missing or unknown variable."""
        given = set(variables)
        missing = sorted(self.variables - given)
        unknown = sorted(given - self.variables)
        if missing or unknown:
            raise PromptError(
                f"prompt {self.ref}: missing variables {missing}, unknown variables {unknown}; "
                f"it declares {sorted(self.variables)}"
            )
        try:
            return [
                {"role": "system", "content": _ENV.from_string(self.system).render(**variables).strip()},
                {"role": "user", "content": _ENV.from_string(self.user).render(**variables).strip()},
            ]
        except jinja2.TemplateError as exc:
            raise PromptError(f"prompt {self.ref} failed to render: {exc}") from exc


class PromptRegistry:
    """Reads versions and labels from a prompts directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def names(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and any(p.glob("v*.yaml")))

    def versions(self, name: str) -> list[int]:
        folder = self._folder(name)
        return sorted(int(p.stem[1:]) for p in folder.glob("v*.yaml") if p.stem[1:].isdigit())

    def labels(self, name: str) -> dict[str, int]:
        path = self._folder(name) / "labels.yaml"
        if not path.exists():
            return {}
        data = yaml.safe_load(path.read_text()) or {}
        return {str(k): int(v) for k, v in data.items()}

    def load(self, name: str, version: int) -> PromptVersion:
        path = self._folder(name) / f"v{version}.yaml"
        if not path.exists():
            raise PromptError(f"prompt {name}@{version} does not exist (have {self.versions(name)})")
        return parse_version(path.read_bytes(), path=path)

    def resolve(self, ref: str) -> PromptVersion:
        """``name@3``, ``name@production`` or bare ``name`` (= production)."""
        name, _, selector = ref.partition("@")
        selector = selector or "production"
        if selector.isdigit():
            return self.load(name, int(selector))
        labels = self.labels(name)
        if selector not in labels:
            raise PromptError(f"prompt {name} has no label {selector!r} (labels: {sorted(labels)})")
        return self.load(name, labels[selector])

    def _folder(self, name: str) -> Path:
        folder = self.root / name
        if not folder.is_dir():
            raise PromptError(f"no prompt named {name!r} in {self.root}")
        return folder


def parse_version(raw: bytes, *, path: Path | None = None) -> PromptVersion:
    """Validate one version file's content and build the PromptVersion."""
    where = str(path or "<prompt>")
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise PromptError(f"{where}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not set(data) >= _REQUIRED_KEYS:
        raise PromptError(f"{where}: a prompt version needs the keys {sorted(_REQUIRED_KEYS)}")
    declared = frozenset(str(v) for v in data["variables"])
    used = _template_variables(str(data["system"])) | _template_variables(str(data["user"]))
    if used != declared:
        raise PromptError(
            f"{where}: templates use {sorted(used)} but the file declares {sorted(declared)}"
        )
    if path is not None and path.stem != f"v{data['version']}":
        raise PromptError(f"{where}: file name does not match version {data['version']}")
    return PromptVersion(
        name=str(data["name"]), version=int(data["version"]), variables=declared,
        params=dict(data["params"]), system=str(data["system"]), user=str(data["user"]),
        content_hash=hashlib.sha256(raw).hexdigest(), output_schema=data.get("output_schema"),
        description=str(data.get("description", "")), path=path,
    )


def _template_variables(source: str) -> set[str]:
    return set(meta.find_undeclared_variables(_ENV.parse(source)))
