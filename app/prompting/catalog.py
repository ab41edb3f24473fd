"""What the registry holds, described for people: one row per version, and diffs between versions.

The CLI (``factory prompts list|diff``) and the API (``GET /prompts``, ``GET /prompts/{name}/diff``)
both read through here, so they always agree. A version that no longer loads (malformed, or edited
after its lock) is listed with ``valid=False`` and the reason rather than hidden: that is exactly the
file someone needs to look at.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from app.errors import FactoryError, NotFound
from app.prompting.registry import PromptRegistry, PromptVersion, is_version


@dataclass(frozen=True)
class VersionInfo:
    name: str
    version: int
    sha256: str | None
    locked: bool
    labels: list[str]
    description: str
    error: str | None  # None when the version loads

    @property
    def valid(self) -> bool:
        return self.error is None


def describe(registry: PromptRegistry, name: str) -> list[VersionInfo]:
    """Every version of ``name``, oldest first, with its lock state and the labels pointing at it."""
    rows = []
    for version in registry.versions(name):
        try:
            rows.append(info(registry, registry.load(name, version)))
        except FactoryError as exc:
            rows.append(_row(registry, name, version, None, "", exc.message))
    return rows


def info(registry: PromptRegistry, loaded: PromptVersion) -> VersionInfo:
    """The row of one version already loaded (so valid)."""
    return _row(registry, loaded.name, loaded.version, loaded.content_hash, loaded.description, None)


def _row(registry: PromptRegistry, name: str, version: int, sha256: str | None, description: str,
         error: str | None) -> VersionInfo:
    here = sorted(label for label, v in registry.labels(name).items() if v == version)
    return VersionInfo(name, version, sha256, version in registry.locked(name), here, description, error)


def existing(registry: PromptRegistry, name: str) -> str:
    """``name`` when the registry has such a prompt, else NotFound naming the ones it has.

    Checked against the listing (never used as a path first), so a name like ``..`` cannot reach
    outside the prompts folder.
    """
    names = registry.names()
    if name not in names:
        raise NotFound(f"no prompt named {name!r}; prompts: {names}")
    return name


def resolve(registry: PromptRegistry, name: str, selector: str) -> PromptVersion:
    """``name@selector`` (a version number or a label) loaded; NotFound when either does not exist."""
    existing(registry, name)
    if is_version(selector):
        if int(selector) not in registry.versions(name):
            raise NotFound(f"prompt {name} has no version {selector}; versions: {registry.versions(name)}")
    elif selector not in registry.labels(name):
        raise NotFound(f"prompt {name} has no label {selector!r}; labels: {sorted(registry.labels(name))}")
    return registry.resolve(f"{name}@{selector}")


def unified_diff(left: PromptVersion, right: PromptVersion) -> str:
    """Unified diff of two versions' files (empty when they are byte-identical)."""
    assert left.path is not None and right.path is not None  # loaded from files, never built in memory here
    lines = difflib.unified_diff(left.path.read_text(encoding="utf-8").splitlines(),
                                 right.path.read_text(encoding="utf-8").splitlines(),
                                 fromfile=left.ref, tofile=right.ref, lineterm="")
    return "\n".join(lines)
