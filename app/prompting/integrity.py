"""Registering prompt versions and verifying that none was edited or deleted.

``register`` adds a version's current hash to its prompt's lock file (idempotent; refuses a version
whose file no longer matches an existing entry). ``verify`` returns every problem it finds, as
sentences a person can act on:

- a locked version whose file is missing or whose hash differs from its lock entry;
- with a database session: a version in use (named by an LLM call or a published variant) that is
  missing, not locked, or whose file hash differs from the hash recorded on its LLM calls.

An empty list means every version that was ever registered or used is intact.
"""

from __future__ import annotations

import hashlib

from sqlmodel import Session, select

from app.errors import PromptError
from app.file_locks import exclusive
from app.models import LLMCall, Variant
from app.prompting.locks import LOCK_FILE, read_lock, write_lock
from app.prompting.registry import PromptRegistry, PromptVersion, is_version
from app.states import VariantState


def register(registry: PromptRegistry, name: str, version: int) -> PromptVersion:
    """Lock ``name@version`` at its current hash (validating it first); a no-op when already locked."""
    return lock(registry, registry.load(name, version))  # load validates, and refuses an edited locked version


def lock(registry: PromptRegistry, loaded: PromptVersion) -> PromptVersion:
    """Lock a version just loaded (and so validated) at its hash; a no-op when already locked."""
    folder = registry.root / loaded.name
    if loaded.version in read_lock(folder):
        return loaded  # the common case (every pin after the first) writes nothing
    with exclusive(folder / LOCK_FILE):  # FilesNotWritable (naming the folder) on a read-only deployment
        entries = read_lock(folder)
        if loaded.version not in entries:
            entries[loaded.version] = loaded.content_hash
            write_lock(folder, entries)
    return loaded


def register_all(registry: PromptRegistry) -> list[str]:
    """Lock every version that is not locked yet; returns the refs it locked."""
    added: list[str] = []
    for name in registry.names():
        locked = registry.locked(name)
        for version in registry.versions(name):
            if version not in locked:
                register(registry, name, version)
                added.append(f"{name}@{version}")
    return added


def verify(registry: PromptRegistry, session: Session | None = None) -> list[str]:
    """Every integrity problem found (see the module docstring); empty when all is well."""
    problems = _verify_locks(registry)
    if session is not None:
        problems += _verify_in_use(registry, session)
    return problems


def in_use(session: Session) -> dict[str, set[str]]:
    """Refs named by LLM calls or published variants, with the file hashes their LLM calls recorded."""
    used: dict[str, set[str]] = {}
    for ref, digest in session.exec(select(LLMCall.prompt_ref, LLMCall.prompt_hash).distinct()):
        used.setdefault(ref, set()).add(digest)
    published = select(Variant.prompt_ref).where(Variant.state == VariantState.published).distinct()
    for ref in session.exec(published):
        if ref:  # a published variant pins its ref even without a recorded hash
            used.setdefault(ref, set())
    return used


def _verify_locks(registry: PromptRegistry) -> list[str]:
    problems: list[str] = []
    for folder in sorted(p for p in registry.root.iterdir() if p.is_dir()):
        try:
            entries = read_lock(folder)
        except PromptError as exc:
            problems.append(exc.message)
            continue
        for version, expected in sorted(entries.items()):
            path = folder / f"v{version}.yaml"
            if not path.exists():
                problems.append(f"{folder.name}@{version} is locked but {path} was deleted; restore it")
            elif (actual := hashlib.sha256(path.read_bytes()).hexdigest()) != expected:
                problems.append(
                    f"{folder.name}@{version} was edited after it was locked (sha256 {actual[:12]}, locked "
                    f"{expected[:12]}); restore it and create a new version instead"
                )
    return problems


def _verify_in_use(registry: PromptRegistry, session: Session) -> list[str]:
    problems: list[str] = []
    for ref, digests in sorted(in_use(session).items()):
        name, _, selector = ref.partition("@")
        if not is_version(selector):
            continue  # eval fakes and old rows may name labels; only pinned versions are checked
        path = registry.root / name / f"v{selector}.yaml"
        if not path.exists():
            problems.append(f"{ref} is in use (LLM calls or published copy) but its file is gone; restore it")
            continue
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if int(selector) not in read_lock(path.parent):
            problems.append(f"{ref} is in use but not locked; run `factory prompts register {ref}`")
        stale = sorted(d[:12] for d in digests if d != actual)
        if stale:
            problems.append(f"{ref} is in use and its file changed since it was used (used {stale}, "
                            f"now {actual[:12]}); restore it and create a new version instead")
    return problems
