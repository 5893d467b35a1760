"""The project's error hierarchy. Every error a user can cause is a ModelLakeError with a message
that says what is wrong and, where possible, what to do; the API maps each class to one status."""

from __future__ import annotations


class ModelLakeError(Exception):
    """Base class of every error the project raises on purpose."""


class BadInputError(ModelLakeError):
    """The input cannot be used as it is (malformed RDF, a bad parameter, a hostile IRI …)."""


class RDFSyntaxError(BadInputError):
    """An RDF document did not parse."""


class UnsafeInputError(BadInputError):
    """The input asks for something we never do (remote JSON-LD context, RDF/XML, SERVICE …)."""


class BindingError(BadInputError):
    """A query parameter is missing, unknown, or its value is not a valid RDF term of its kind."""


class UnknownQueryError(BadInputError):
    """No query of that name is in the catalogue."""


class ValidationFailed(BadInputError):
    """A write violates the SHACL shapes; ``report`` holds the findings."""

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report


class StoreError(ModelLakeError):
    """The triplestore failed or refused a request."""


class StoreUnavailableError(StoreError):
    """The triplestore did not answer (down, wrong URL, time-out while connecting)."""


class StoreTimeoutError(StoreError):
    """The triplestore took longer than the configured time limit."""


class QueryRejectedError(StoreError):
    """The triplestore rejected a query or update as malformed or not allowed."""


class NotFoundError(ModelLakeError):
    """No lake node (or other resource) with that identifier."""


class UnknownReferenceError(BadInputError):
    """A write points at lake nodes that exist neither in the lake nor in the same write."""

    def __init__(self, message: str, missing: list[tuple[str, str, str]]) -> None:
        super().__init__(message)
        self.missing = missing  # (subject, predicate, object) of each dangling reference


class ConflictError(ModelLakeError):
    """The write conflicts with what is stored (the node exists, or others depend on it)."""

    def __init__(self, message: str, nodes: list[str] | None = None) -> None:
        super().__init__(message)
        self.nodes = nodes or []


class PreconditionFailedError(ModelLakeError):
    """If-Match named a revision that is no longer current: someone else wrote in between."""


class PreconditionRequiredError(ModelLakeError):
    """Replacing an existing node needs If-Match with the revision last read."""


class ForbiddenPathError(ModelLakeError):
    """A server-side path outside the directories the server may read."""


class AccessDeniedError(ModelLakeError):
    """The caller's token is missing, unknown, or its role may not do this."""

    def __init__(self, message: str, *, authenticated: bool) -> None:
        super().__init__(message)
        self.authenticated = authenticated


class UntrustedArtifactError(ModelLakeError):
    """Loading a model artifact would run code or types nobody said to trust (a pickle without
    the trust option, a skops file with untrusted types)."""


class ArtifactIntegrityError(ConflictError):
    """A model artifact's bytes are not the ones the lake recorded (its sha256 differs)."""
