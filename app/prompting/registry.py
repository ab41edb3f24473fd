"""The prompt registry: ``prompts/<name>/v<N>.yaml`` files and ``prompts/<name>/labels.yaml``.

A version file is immutable data: its declared ``variables``, ``output_schema``, model ``params``,
and the ``system`` and ``user`` templates (Jinja2). Loading validates that the templates use exactly
the declared variables, that ``output_schema`` names a schema in :data:`app.schemas.OUTPUT_SCHEMAS`
and that every ``params`` key is one the LLM seam passes on; rendering refuses a missing or an unknown
variable. A reference is written ``name@version`` or ``name@label`` (``draft@production``).

Immutability: ``prompts/<name>/versions.lock`` maps each registered version to the SHA-256 of its
file (see :mod:`app.prompting.locks`). :meth:`PromptRegistry.load` refuses a version whose file no
longer matches its lock entry: a changed prompt is a new version, never an edit.
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
from app.llm.openai_compatible import _ALLOWED_PARAMS
from app.prompting.locks import read_lock
from app.schemas import OUTPUT_SCHEMAS

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


def is_version(selector: str) -> bool:
    """True for a version number (ASCII digits only: ``"²".isdigit()`` is true but ``int("²")`` fails)."""
    return selector.isascii() and selector.isdigit()


class PromptRegistry:
    """Reads versions and labels from a prompts directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def names(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and any(p.glob("v*.yaml")))

    def versions(self, name: str) -> list[int]:
        folder = self._folder(name)
        return sorted(int(p.stem[1:]) for p in folder.glob("v*.yaml") if is_version(p.stem[1:]))

    def labels(self, name: str) -> dict[str, int]:
        path = self._folder(name) / "labels.yaml"
        if not path.exists():
            return {}
        try:
            data = yaml.safe_load(path.read_text()) or {}
            return {str(k): int(v) for k, v in data.items()}
        except (yaml.YAMLError, AttributeError, TypeError, ValueError) as exc:
            # A merge conflict or a hand edit: say which file, instead of failing every listing with a 500.
            raise PromptError(f"{path}: expected 'label: version' lines ({exc}); fix or restore the file") from exc

    def locked(self, name: str) -> dict[int, str]:
        """Registered versions of ``name`` and the SHA-256 each file must keep."""
        return read_lock(self._folder(name))

    def load(self, name: str, version: int) -> PromptVersion:
        """The validated version; PromptError if it is missing, malformed or edited after its lock."""
        path = self._folder(name) / f"v{version}.yaml"
        if not path.exists():
            raise PromptError(f"prompt {name}@{version} does not exist (have {self.versions(name)})")
        loaded = parse_version(path.read_bytes(), path=path)
        expected = self.locked(name).get(version)
        if expected is not None and expected != loaded.content_hash:
            newest = max(self.versions(name))
            raise PromptError(
                f"prompt {name}@{version} was edited after it was registered (file sha256 "
                f"{loaded.content_hash[:12]}, locked {expected[:12]}): versions are immutable. Restore "
                f"{path.name} and create v{newest + 1} instead."
            )
        return loaded

    def resolve(self, ref: str) -> PromptVersion:
        """``name@3``, ``name@production`` or bare ``name`` (= production)."""
        name, _, selector = ref.partition("@")
        selector = selector or "production"
        if is_version(selector):
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
    _check_schema_and_params(data, where)
    return PromptVersion(
        name=str(data["name"]), version=int(data["version"]), variables=declared,
        params=dict(data["params"]), system=str(data["system"]), user=str(data["user"]),
        content_hash=hashlib.sha256(raw).hexdigest(), output_schema=data.get("output_schema"),
        description=str(data.get("description", "")), path=path,
    )


def _check_schema_and_params(data: dict[str, Any], where: str) -> None:
    schema = data.get("output_schema")
    if schema is not None and schema not in OUTPUT_SCHEMAS:
        raise PromptError(f"{where}: output_schema {schema!r} is not one of {sorted(OUTPUT_SCHEMAS)}")
    if not isinstance(data["params"], dict):
        raise PromptError(f"{where}: params must be a mapping of generation parameters")
    unknown = sorted(set(data["params"]) - _ALLOWED_PARAMS)
    if unknown:
        # The seam drops unknown parameters silently; refusing them here keeps a file honest about what runs.
        raise PromptError(f"{where}: params {unknown} are not passed to the model; allowed: {sorted(_ALLOWED_PARAMS)}")


def _template_variables(source: str) -> set[str]:
    return set(meta.find_undeclared_variables(_ENV.parse(source)))
