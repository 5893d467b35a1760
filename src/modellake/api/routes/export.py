"""The lake in standard terms: the DCAT-AP / MLDCAT-AP catalogue, and its conformance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse

from ... import conformance
from ... import export as exporter
from .. import negotiation
from ..deps import LakeDep, Reader

router = APIRouter(tags=["standards"])


@router.get(
    "/catalog", summary="The lake as a DCAT-AP or MLDCAT-AP catalogue",
    responses={
        200: {"content": {**{f.media_type: {} for f in negotiation.GRAPH_FORMATS},
                          "application/json": {}},
              "description": "The catalogue (a graph), or with validate=true the conformance "
              "report (JSON)"},
        400: {"description": "Unknown profile or format"},
    },
)
def catalog(
    lake: LakeDep, principal: Reader,
    profile: Annotated[str, Query(
        description="dcat-ap (the data sets, DCAT-AP 3.0.1) or mldcat-ap (the models too, "
        "MLDCAT-AP 3.1.0)")] = "dcat-ap",
    validate: Annotated[bool, Query(
        description="Instead of the catalogue, say whether it conforms to the official SHACL "
        "shapes of the profile, with every violation")] = False,
    format: Annotated[str | None, Query(description="jsonld (default), turtle or ntriples")]
    = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """A `dcat:Catalog` of the lake's data sets, each a `dcat:Dataset` with its title,
    description, keywords, dates, lineage (`prov:wasGeneratedBy`, `dct:source`) and a
    `dcat:Distribution` where the lake knows a URL for it (access URL, media type, format,
    byte size, checksum, licence). With `profile=mldcat-ap` also the models, as
    `mldcat:MachineLearningModel`s with their training and test data, files, versions and
    licences, their training runs, hyperparameters and evaluations (ML-Schema), and the data
    sets' meta-features as MLDCAT-AP quality measurements. Nothing is invented: a fact the
    profile asks for that the lake does not have is missing, and `validate=true` names it.
    Which fact comes from where is in docs/standards.md."""
    graph = exporter.catalog(lake, profile)
    if validate:
        report = conformance.check(graph, profile)
        body: dict[str, Any] = {
            "profile": profile, "conforms": report.conforms, "triples": len(graph),
            "violations": [f.to_json() for f in report.violations],
            "warnings": [f.to_json() for f in report.warnings],
        }
        return JSONResponse(body)
    return negotiation.graph_response(graph, accept, format)
