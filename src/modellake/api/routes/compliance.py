"""Governance: the compliance pack, one check, documentation scores, and the lifecycle gate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import BaseModel, Field

from ... import compliance, compliance_report
from ...errors import AccessDeniedError
from ...lake import Principal
from .. import negotiation
from ..deps import LakeDep, Reader, Writer, requires
from .records import _resolve, raw_identifier

router = APIRouter(tags=["governance"])
Officer = Annotated[Principal, Depends(requires(frozenset({"officer", "admin"}),
                                                "running compliance checks"))]
_PACK_FORMATS = ("json", "html", "csv", "jsonld", "turtle")


def _check_json(result: compliance.CheckResult) -> dict[str, Any]:
    c = result.check
    return {"name": c.name, "title": c.title, "regulation": c.regulation,
            "severity": c.severity, "description": c.description, "passed": result.passed,
            "findings": result.findings}


@router.get("/compliance/checks", summary="List the compliance checks")
def list_checks(lake: LakeDep, principal: Officer) -> list[dict[str, Any]]:
    """Every check of the pack: name, title, the regulation or policy it serves, severity and
    parameters. The SPARQL of each is in `queries/compliance/`."""
    return [{"name": c.name, "title": c.title, "regulation": c.regulation,
             "severity": c.severity, "description": c.description,
             "parameters": list(c.parameters), "href": f"/api/v1/compliance/{c.name}"}
            for c in compliance.checks(lake)]


@router.get("/compliance", summary="Run the whole compliance pack",
            responses={200: {"content": {"application/json": {}, "text/html": {},
                                         "text/csv": {}, "application/ld+json": {},
                                         "text/turtle": {}},
                             "description": "The report"}})
def run_pack(
    request: Request, lake: LakeDep, principal: Officer,
    format: Annotated[str, Query(description="json, html, csv, jsonld or turtle")] = "json",
) -> Response:
    """Runs every check that needs no starting node, and scores the documentation of every
    model. `format=html` gives one self-contained page for an auditor: a summary, the findings
    of each check with the affected nodes linked to their lineage, and a chart of documentation
    completeness. The run is recorded in the audit trail (who, when, which checks)."""
    if format not in _PACK_FORMATS:
        raise compliance.BadInputError(f"format must be one of {', '.join(_PACK_FORMATS)}")
    report = compliance.run_pack(lake, principal=principal)
    if format == "html":
        server = str(request.base_url).rstrip("/")
        return Response(compliance_report.to_html(report, server=server),
                        media_type="text/html")
    if format == "csv":
        return Response(compliance_report.to_csv(report), media_type="text/csv")
    if format in ("jsonld", "turtle"):
        return negotiation.graph_response(
            compliance_report.to_graph(report, lake.base_iri), None, format)
    import json

    return Response(json.dumps(report.to_json(), ensure_ascii=False),
                    media_type="application/json")


@router.get("/compliance/{check}", summary="Run one compliance check",
            responses={404: {"description": "No such check"}})
def run_check(
    check: str, request: Request, lake: LakeDep, principal: Officer,
) -> dict[str, Any]:
    """Runs one check; its parameters (e.g. `node` for erasure-impact, `tolerance` for
    claimed-vs-measured) come from the query string and are bound as checked RDF terms."""
    params = dict(request.query_params)
    return _check_json(compliance.run_check(lake, check, params, principal=principal))


@router.get("/models/{identifier:path}/documentation-score",
            summary="Documentation completeness of a model")
def documentation_score(
    identifier: str, request: Request, lake: LakeDep, principal: Reader,
) -> dict[str, Any]:
    """A score from 0 to 100: the share of the documentation profile's recommendations
    (purpose, description, licence, code, keywords, lifecycle stage …) the model meets, with
    what is missing."""
    model = _resolve(lake, "models", raw_identifier(request, identifier))
    return compliance.documentation_score(lake, model).to_json()


class StageChange(BaseModel):
    """Move a model to a lifecycle stage."""

    stage: str = Field(description="development, staging, production or retired")
    approver: str = Field(description="Id or IRI of the agent (in the lake) who approves")
    evidence: list[str] = Field(default_factory=list, description="Ids or IRIs of the "
                                "evidence: evaluations, reports, reviews")
    note: str | None = Field(None, description="Why the stage changes")


@router.post("/models/{identifier:path}/stage", summary="Change a model's lifecycle stage",
             responses={409: {"description": "Blocking compliance checks fail"}})
def change_stage(
    identifier: str, body: StageChange, request: Request, lake: LakeDep, principal: Writer,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Records an ml:StageTransition (from, to, approver, time, evidence) and updates the
    model's stage, approver and approval time in one write. Moving to **production** needs the
    officer or admin role and is refused with `409`, naming the failing checks, while the model
    has findings in a blocking check (configurable: `MODELLAKE_BLOCKING_CHECKS`)."""
    if body.stage == "production" and principal.role not in ("officer", "admin"):
        raise AccessDeniedError("approving a model for production needs the officer or admin "
                                "role", authenticated=True)
    model = _resolve(lake, "models", raw_identifier(request, identifier))
    change = compliance.change_stage(
        lake, model, body.stage, approver=body.approver, evidence=body.evidence,
        note=body.note, blocking=lake.settings.blocking_checks, principal=principal)
    return {"model": str(change.model), "stage": change.stage,
            "transition": str(change.transition), "revision": change.revision}
