"""OpenLineage: run events from OpenLineage clients and integrations (Airflow, Spark, dbt …)."""

from __future__ import annotations

import zlib
from typing import Any, Final

from fastapi import APIRouter, Request, Response

from ...errors import BadInputError
from ..deps import BodyTooLargeError, LakeDep, Writer, read_body

router = APIRouter(tags=["lineage"])

_EVENT_BODY: Final[dict[str, Any]] = {
    "requestBody": {
        "required": True,
        "description": "One OpenLineage RunEvent (JSON; gzip with Content-Encoding: gzip).",
        "content": {"application/json": {"schema": {"type": "object"}, "example": {
            "eventType": "COMPLETE", "eventTime": "2024-05-01T02:03:10.000Z",
            "producer": "https://example.org/my-pipeline",
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            "run": {"runId": "0190d9b4-8b7e-7c1a-9d55-6f0e2b1c3a4d"},
            "job": {"namespace": "etl", "name": "clean_orders"},
            "inputs": [{"namespace": "postgres://db.example:5432", "name": "shop.public.orders"}],
            "outputs": [{"namespace": "s3://lake", "name": "clean/orders.parquet"}],
        }}},
    }
}
_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    200: {"description": "The event changed nothing (it was recorded before)"},
    400: {"description": "The body is not JSON (or not valid gzip)"},
    401: {"description": "No token"},
    403: {"description": "The token may not write"},
    409: {"description": "The run id belongs to another job, or a node at a derived IRI "
                         "was not recorded from OpenLineage"},
    413: {"description": "Body too large"},
    422: {"description": "Not an OpenLineage run event (the message names the field), or "
                         "the lake's shapes refuse what it says"},
}
DESCRIPTION: Final = """Records one OpenLineage **RunEvent** (eventType START, RUNNING, COMPLETE,
FAIL, ABORT, OTHER or none), as Marquez does. Point any OpenLineage client at the lake:
`OPENLINEAGE_URL=<lake>` and `OPENLINEAGE_API_KEY=<writer token>` (the client sends it as
`Authorization: Bearer <token>` and posts to `/api/v1/lineage`, the default endpoint; the same
route is also at `/api/v1/openlineage`).

The **job** (namespace + name) becomes an `ml:Job` (and, once its runs read and wrote data sets,
an `ml:Processing` operation that used and generated them); the **run** an `ml:JobRun` with its
state and start/end times, updated by each event of the run; **inputs and outputs** become
`ml:Dataset` nodes (one per version with a `version` facet) with their `schema` (features),
`documentation`, `ownership` and `dataSource`; `sourceCodeLocation` becomes an `ml:Code`.
Ids are derived from the OpenLineage names (slug + hash). The event is one validated write:
`201` with the nodes, or an error and nothing stored."""


@router.post("/openlineage", status_code=201, summary="Record an OpenLineage run event",
             description=DESCRIPTION, responses=_RESPONSES, openapi_extra=_EVENT_BODY)
async def record_event(
    request: Request, response: Response, lake: LakeDep, principal: Writer,
) -> dict[str, Any]:
    body = await read_body(request)
    if request.headers.get("content-encoding", "").lower() == "gzip":
        body = _gunzip(body, lake.settings.max_body_bytes)
    result = lake.record_openlineage(body, principal=principal)
    if not result.written:
        response.status_code = 200
    return result.to_json()


# The path the OpenLineage HTTP transport posts to by default (HttpConfig.endpoint).
router.add_api_route(
    "/lineage", record_event, methods=["POST"], status_code=201, responses=_RESPONSES,
    summary="Record an OpenLineage run event (the OpenLineage client's default path)",
    description=DESCRIPTION, openapi_extra=_EVENT_BODY, name="record_event_default_path")


def _gunzip(data: bytes, limit: int) -> bytes:
    """The gzip body inflated, refused (413) once it grows past ``limit``."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise BadInputError(f"the body is not valid gzip: {exc}") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise BodyTooLargeError(f"the inflated body is over the limit of {limit} bytes")
    return out
