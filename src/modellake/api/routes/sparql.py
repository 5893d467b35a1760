"""The read-only SPARQL 1.1 Protocol endpoint for governance officers and SPARQL clients."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Header, Query, Request, Response

from ...errors import BadInputError, UnsafeInputError
from ...lake import Lake
from .. import negotiation
from ..deps import LakeDep, Reader, read_body

router = APIRouter(tags=["queries"])

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Solutions (SELECT, ASK) or a graph (CONSTRUCT, DESCRIBE)",
          "content": {f.media_type: {} for f in
                      (*negotiation.RESULT_FORMATS, *negotiation.GRAPH_FORMATS)}},
    400: {"description": "Malformed query, an update, or SERVICE"},
    422: {"description": "The query ran over the time limit"},
}


def _answer(lake: Lake, query: str, accept: str | None, fmt_name: str | None) -> Response:
    if not query.strip():
        raise BadInputError("no query: send it as the 'query' parameter or the request body")
    return negotiation.result_response(lake.sparql(query), accept, fmt_name)


@router.get("/sparql", summary="SPARQL query (GET)", responses=_RESPONSES)
def sparql_get(
    lake: LakeDep, principal: Reader,
    query: Annotated[str | None, Query(description="The SPARQL query")] = None,
    update: Annotated[str | None, Query(include_in_schema=False)] = None,
    format: Annotated[str | None, Query(description="Override Accept, e.g. csv")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """A SPARQL 1.1 Protocol query endpoint over the whole lake (the default graph is the
    union of all node graphs). Read-only: updates and `SERVICE` are refused; queries are
    stopped at the time limit and results cut at the result limit (header
    `X-Results-Truncated`). Answers in SPARQL JSON/XML, CSV, TSV or HTML for SELECT and ASK,
    and JSON-LD, Turtle or N-Triples for CONSTRUCT and DESCRIBE, by `Accept`."""
    if update is not None:
        raise UnsafeInputError("this endpoint is read-only: SPARQL Update is refused")
    return _answer(lake, query or "", accept, format)


@router.post("/sparql", summary="SPARQL query (POST)", responses=_RESPONSES, openapi_extra={
    "requestBody": {"content": {
        "application/sparql-query": {"schema": {"type": "string"}},
        "application/x-www-form-urlencoded": {"schema": {
            "type": "object", "properties": {"query": {"type": "string"}}}},
    }}})
async def sparql_post(
    request: Request, lake: LakeDep, principal: Reader,
    format: Annotated[str | None, Query(description="Override Accept, e.g. csv")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """The same endpoint for queries sent in the body: `application/sparql-query`, or a form
    with a `query` field. A form with `update`, or `application/sparql-update`, is refused."""
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    body = await read_body(request)
    if media == "application/sparql-update":
        raise UnsafeInputError("this endpoint is read-only: SPARQL Update is refused")
    if media == "application/sparql-query":
        query = body.decode("utf-8")
    elif media == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        if "update" in form:
            raise UnsafeInputError("this endpoint is read-only: SPARQL Update is refused")
        query = (form.get("query") or [""])[0]
    else:
        raise BadInputError(
            "send the query as application/sparql-query or as a form field 'query'")
    return _answer(lake, query, accept, format)
