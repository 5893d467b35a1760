"""Service routes: health, the published JSON-LD context, a pointer to the docs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, RedirectResponse

from ...rdfio import published_context
from ..deps import LakeDep

router = APIRouter(tags=["service"])


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    return RedirectResponse("/docs")


@router.get("/healthz", summary="Is the service up and its store answering?")
def healthz(lake: LakeDep) -> dict[str, Any]:
    """Runs a real query on the store (a down store gives `503` naming its URL)."""
    lake.store.ping()
    return {"status": "ok", "store": lake.store.kind}


@router.get(
    "/api/v1/context.jsonld", summary="The lake's JSON-LD context",
    response_class=JSONResponse,
)
def context() -> JSONResponse:
    """The one JSON-LD context the API reads and writes; also in `ontology/context.jsonld`."""
    return JSONResponse({"@context": published_context()}, media_type="application/ld+json")
