"""The HTTP API: an app factory, error mapping, and the routers. Routes only call the lake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .. import __version__
from ..errors import (
    AccessDeniedError,
    BadInputError,
    ConflictError,
    ForbiddenPathError,
    ModelLakeError,
    NotFoundError,
    PreconditionFailedError,
    PreconditionRequiredError,
    QueryRejectedError,
    StoreTimeoutError,
    StoreUnavailableError,
    UnknownQueryError,
    UnknownReferenceError,
    UnsafeInputError,
    UntrustedArtifactError,
    ValidationFailed,
)
from ..lake import Lake
from ..openlineage import EventSchemaError
from ..settings import Settings
from ..store import Store
from ..system_graphs import install_system_graphs
from ..validation import ValidationReport
from .deps import BodyTooLargeError
from .routes import (
    compare,
    compliance,
    discovery,
    export,
    imports,
    ingest,
    lineage,
    meta,
    onnx,
    openlineage,
    provenance,
    queries,
    records,
    sparql,
)

DESCRIPTION = """
**Model Lake** keeps the metadata, lineage and documentation of data sets and machine-learning
models as a knowledge graph (RDF), checked by SHACL shapes on every write.

* **Register** nodes as RDF (`POST /api/v1/records`: Turtle, N-Triples or JSON-LD) or as typed
  JSON (`POST /api/v1/models`, `/datasets`, …). A write is atomic and validated; violations come
  back as `422` with the SHACL report, warnings with the `201`.
* **Read** any node with content negotiation (JSON-LD, Turtle, N-Triples); replace it with `PUT`
  and `If-Match`; delete it with `DELETE` (refused while others depend on it, unless `cascade`).
* **Lineage and impact**: `GET /api/v1/models/{id}/lineage` (data + model + code lineage) and
  `GET /api/v1/datasets/{id}/impact` (everything downstream).
* **Standards**: `GET /api/v1/catalog` (a DCAT-AP or MLDCAT-AP catalogue, `?validate=true`
  checks it against the official shapes) and `?profile=prov` on lineage and impact (plain PROV-O).
* **Provenance**: `POST /api/v1/models/{id}/verify` (re-run claimed evaluations),
  `GET /api/v1/models/{id}/citation` (cite its data), `GET /api/v1/models/{id}/versions`,
  `GET /api/v1/models/{id}/diff?against=…`, and `?at=<date-time>` on reads and lineage for the
  lake as it was recorded then.
* **OpenLineage**: `POST /api/v1/lineage` (the OpenLineage client's default path) records run
  events from any OpenLineage integration as jobs, runs and data sets with their lineage.
* **Governance**: a read-only SPARQL 1.1 endpoint at `/sparql`, and the catalogue of named
  queries at `/api/v1/queries`.

Writes need a bearer token (`Authorization: Bearer <token>`) with the role writer, officer or
admin; reads are open unless the server is configured otherwise.
"""

_STATUS: list[tuple[type[ModelLakeError], int]] = [
    (ValidationFailed, 422),
    (EventSchemaError, 422),
    (UnknownReferenceError, 422),
    (BodyTooLargeError, 413),
    (ForbiddenPathError, 403),
    (UntrustedArtifactError, 403),
    (UnknownQueryError, 404),
    (NotFoundError, 404),
    (ConflictError, 409),
    (PreconditionFailedError, 412),
    (PreconditionRequiredError, 428),
    (UnsafeInputError, 400),
    (QueryRejectedError, 400),
    (BadInputError, 400),
    (StoreTimeoutError, 422),
    (StoreUnavailableError, 503),
]


def _status_for(exc: ModelLakeError) -> int:
    if isinstance(exc, AccessDeniedError):
        return 403 if exc.authenticated else 401
    for cls, status in _STATUS:
        if isinstance(exc, cls):
            return status
    return 502  # a store failure that is not the client's doing


async def _handle(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ModelLakeError)
    status = _status_for(exc)
    body: dict[str, object] = {"error": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, ValidationFailed) and isinstance(exc.report, ValidationReport):
        body["violations"] = [f.to_json() for f in exc.report.violations]
        body["warnings"] = [f.to_json() for f in exc.report.warnings]
    if isinstance(exc, UnknownReferenceError):
        body["missing"] = [{"subject": s, "predicate": p, "object": o} for s, p, o in exc.missing]
    if isinstance(exc, ConflictError) and exc.nodes:
        body["nodes"] = exc.nodes
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


async def _handle_request_validation(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's own 422 for a body or parameter of the wrong shape, in our error format."""
    assert isinstance(exc, RequestValidationError)
    errors = jsonable_encoder(exc.errors())
    first = errors[0] if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    message = f"{first.get('msg', 'invalid request')}" + (f" (at {where})" if where else "")
    return JSONResponse({"error": "RequestValidationError", "message": message,
                         "detail": errors}, status_code=422)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the API. ``store`` lets tests and embedders pass a store they opened themselves."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if store is None:
            lake = Lake.open(settings)
        else:
            install_system_graphs(store)
            lake = Lake(store, settings)
        app.state.lake = lake
        try:
            yield
        finally:
            if store is None:
                lake.close()

    app = FastAPI(
        title="Model Lake", version=__version__, description=DESCRIPTION, lifespan=lifespan,
        openapi_tags=[
            {"name": "records", "description": "Register, read, replace and delete lake nodes."},
            {"name": "lineage", "description": "Upstream lineage and downstream impact."},
            {"name": "provenance", "description": "Documentation verification, data citation, "
             "versions, aliases, diffs and the history of records (as recorded at a time)."},
            {"name": "queries", "description": "Named governance queries and read-only SPARQL."},
            {"name": "governance", "description": "The compliance pack, documentation scores "
             "and the lifecycle gate."},
            {"name": "import", "description": "Import published records of other registries "
             "(Hugging Face model cards, …) as imported models."},
            {"name": "standards", "description": "The lake as a DCAT-AP / MLDCAT-AP catalogue "
             "(and lineage as plain PROV-O, see the lineage routes' profile)."},
            {"name": "service", "description": "Health and the published JSON-LD context."},
        ],
    )
    app.state.settings = settings
    app.state.grants = settings.token_grants()
    app.add_exception_handler(ModelLakeError, _handle)
    app.add_exception_handler(RequestValidationError, _handle_request_validation)
    app.include_router(meta.router)
    app.include_router(compare.router, prefix="/api/v1")
    app.include_router(compliance.router, prefix="/api/v1")
    app.include_router(imports.router, prefix="/api/v1")
    app.include_router(export.router, prefix="/api/v1")
    app.include_router(discovery.router, prefix="/api/v1")  # before records' /{kind}/{id}
    app.include_router(ingest.router, prefix="/api/v1")
    app.include_router(lineage.router, prefix="/api/v1")
    app.include_router(provenance.router, prefix="/api/v1")
    app.include_router(onnx.router, prefix="/api/v1")
    app.include_router(openlineage.router, prefix="/api/v1")
    app.include_router(queries.router, prefix="/api/v1")
    app.include_router(records.router, prefix="/api/v1")
    app.include_router(sparql.router)
    return app
