"""Upstream lineage and downstream impact of a node, as a graph in any RDF serialisation."""

from __future__ import annotations

from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from rdflib import Graph, URIRef

from ... import export as exporter
from ... import history
from ...errors import BadInputError
from ...lake import Lake
from .. import negotiation
from ..deps import LakeDep, Reader
from .records import _check_kind, _resolve, raw_identifier, recorded_at

router = APIRouter(tags=["lineage"])

_GRAPH_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {f.media_type: {} for f in negotiation.GRAPH_FORMATS},
          "description": "The nodes reached, each with its whole description"},
    404: {"description": "No such node"},
}
Depth = Annotated[int | None, Query(
    ge=0, le=100, description="How many hops to follow (default: all)")]
FormatParam = Annotated[str | None, Query(description="jsonld (default), turtle or ntriples")]
ProfileParam = Annotated[str | None, Query(
    description="prov: the same nodes in plain PROV-O terms only (entities, activities, agents, "
    "usage, generation, derivation, attribution, association, times, labels) for PROV tools; "
    "default: the nodes' descriptions as stored")]


def _walked(lake: Lake, node: URIRef, *, upstream: bool, depth: int | None,
            profile: str | None) -> Graph:
    if profile is None:
        return lake.lineage(node, depth=depth) if upstream else lake.impact(node, depth=depth)
    exporter.check_profile(profile, ("prov",))
    return exporter.lineage_provenance(lake, node, upstream=upstream, depth=depth)


def _node(lake: Lake, kind: str, identifier: str, request: Request) -> URIRef:
    _check_kind(kind)
    return _resolve(lake, kind, raw_identifier(request, identifier))


@router.get("/{kind}/{identifier:path}/lineage", summary="Upstream lineage of a node",
            responses=_GRAPH_RESPONSES)
def lineage(
    kind: str, identifier: str, request: Request, lake: LakeDep, principal: Reader,
    depth: Depth = None, profile: ProfileParam = None,
    format: FormatParam = None, accept: Annotated[str | None, Header()] = None,
    at: Annotated[str | None, Query(
        description="An ISO 8601 date-time: the lineage as the lake had recorded it then")]
    = None,
) -> Response:
    """Model lineage = data lineage + model lineage + code lineage: the training runs,
    hyperparameter sets and settings, evaluations, code, the data sets the model was trained
    and evaluated on, the operations that produced them, the intermediate data sets, the sources
    they were ingested from, the people involved, and base models (fine-tuned from …) with their
    own lineage. Works for any node (a data set's lineage is its data lineage). With
    `profile=prov`, the same nodes as plain PROV-O (see docs/standards.md). With `at`, the
    lineage as the lake knew it then: the same walk over the descriptions recorded at that time
    in the audit trail (nodes added later are absent, deleted ones present, replaced ones as
    they were)."""
    if at is not None:
        _check_kind(kind)
        if profile is not None:
            raise BadInputError("'at' and 'profile' cannot be combined: the PROV-O export is "
                                "of the lineage as it is now")
        recorded = recorded_at(lake, kind, raw_identifier(request, identifier), at)
        return negotiation.graph_response(
            history.lineage_at(lake, recorded.node, at, depth=depth), accept, format,
            {"Memento-Datetime": format_datetime(recorded.recorded_at, usegmt=True)})
    node = _node(lake, kind, identifier, request)
    graph = _walked(lake, node, upstream=True, depth=depth, profile=profile)
    return negotiation.graph_response(graph, accept, format)


@router.get("/models/{identifier:path}/family", summary="The derivation family of a model",
            responses=_GRAPH_RESPONSES)
def family(
    identifier: str, request: Request, lake: LakeDep, principal: Reader,
    format: Annotated[str | None, Query(
        description="json (default: the family as a table) or jsonld, turtle, ntriples "
        "(every member with its whole lineage)")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """Ancestors (what the model was fine-tuned, adapted, quantized, merged, distilled or
    converted from, at any depth), descendants (what was made from it) and siblings (other
    models made from the same parent), each with its stage and training data, plus the
    derivation edges. As RDF, every member with its whole lineage, so "every model that
    descends from base model B and everything it was trained on" is one call."""
    model = _node(lake, "models", identifier, request)
    wants_rdf = format not in (None, "json") or (format is None and any(
        f.media_type in (accept or "") for f in negotiation.GRAPH_FORMATS))
    if not wants_rdf:
        import json

        return Response(json.dumps(lake.family(model)), media_type="application/json")
    return negotiation.graph_response(lake.family_lineage(model), accept, format)


@router.get("/{kind}/{identifier:path}/impact", summary="Downstream impact of a node",
            responses=_GRAPH_RESPONSES)
def impact(
    kind: str, identifier: str, request: Request, lake: LakeDep, principal: Reader,
    depth: Depth = None, profile: ProfileParam = None,
    format: FormatParam = None, accept: Annotated[str | None, Header()] = None,
) -> Response:
    """Everything downstream of a source, data set or model: derived and intermediate data
    sets, the operations that used them, models trained on them directly or through any chain
    of operations and fine-tunes, newer versions, and the evaluations of all of these. With
    `profile=prov`, the same nodes as plain PROV-O."""
    node = _node(lake, kind, identifier, request)
    graph = _walked(lake, node, upstream=False, depth=depth, profile=profile)
    return negotiation.graph_response(graph, accept, format)
