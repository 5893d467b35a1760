"""The catalogue of named queries: list them, run one with its parameters bound safely."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response

from ... import compliance
from .. import negotiation
from ..deps import LakeDep, Reader

router = APIRouter(tags=["queries"])
# Query-string names that steer the response; every other name is a query parameter.
_RESERVED = {"format", "max_results"}


@router.get("/queries", summary="List the named queries")
def list_queries(lake: LakeDep, principal: Reader) -> list[dict[str, Any]]:
    """Every named query with its title, description and parameters (name, kind, default,
    whether it is required). Run one with `GET /api/v1/queries/{name}?param=value`."""
    return [
        {
            "name": q.name, "title": q.title, "description": q.description, "form": q.form,
            "parameters": [
                {"name": p.name, "kind": p.kind, "description": p.description,
                 "default": p.default, "required": p.required}
                for p in q.parameters
            ],
            "href": f"/api/v1/queries/{q.name}",
        }
        for q in lake.named_queries()
    ]


@router.get(
    "/queries/{name:path}", summary="Run a named query",
    responses={200: {"content": {f.media_type: {} for f in
                                 (*negotiation.RESULT_FORMATS, *negotiation.GRAPH_FORMATS)},
                     "description": "SPARQL results, CSV, an HTML table, or a graph"},
               400: {"description": "A parameter is missing, unknown or of the wrong kind"},
               404: {"description": "No query of that name"}},
)
def run_query(
    name: str, request: Request, lake: LakeDep, principal: Reader,
    format: Annotated[str | None, Query(description="json, csv, tsv, xml, html; for "
                                                    "graphs jsonld, turtle, ntriples")] = None,
    max_results: Annotated[int | None, Query(
        ge=1, le=100_000, description="Cut the answer at this many rows or triples")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """Runs the query with the other query-string parameters bound as typed RDF terms (IRIs
    are checked, literals escaped); nothing a client sends becomes query text otherwise."""
    params = {k: v for k, v in request.query_params.items() if k not in _RESERVED}
    result = lake.run_named_query(name, params, limit=max_results)
    if name.startswith(compliance.PREFIX):  # every compliance run goes to the audit trail
        compliance.record_query_run(lake, name, params, len(result.rows), principal)
    return negotiation.result_response(result, accept, format)
