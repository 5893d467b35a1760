"""Registering, reading, replacing, listing and deleting lake nodes."""

from __future__ import annotations

import json
from email.utils import format_datetime
from typing import Annotated, Any, Final
from urllib.parse import quote, unquote

from fastapi import APIRouter, Body, Header, Query, Request, Response
from pydantic import BaseModel, ValidationError
from rdflib import Graph, URIRef

from ... import history, typed_records
from ...errors import BadInputError, NotFoundError
from ...lake import Lake, WriteResult
from ...namespaces import ML, PROV, RDF
from ...rdfio import parse_rdf
from .. import negotiation
from ..deps import LakeDep, Reader, Writer, read_body

router = APIRouter(tags=["records"])

# URL segment → the class every node under it has (writes state the type closure).
KIND_CLASSES: Final[dict[str, URIRef]] = {
    "sources": ML.DataSource,
    "datasets": ML.Dataset,
    "operations": ML.Operation,
    "models": ML.Model,
    "evaluations": ML.Evaluation,
    "hyperparameter-sets": ML.HyperparameterSet,
    "code": ML.Code,
    "agents": PROV.Agent,
}
RDF_MEDIA_TYPES: Final = "text/turtle, application/n-triples or application/ld+json"

_RDF_BODY: Final[dict[str, Any]] = {
    "requestBody": {
        "required": True,
        "description": "One or more nodes as RDF. Every node needs an rdf:type.",
        "content": {
            "text/turtle": {"schema": {"type": "string"}, "example": (
                "@prefix ml: <https://w3id.org/modellake#> .\n"
                "@prefix dct: <http://purl.org/dc/terms/> .\n"
                "<agent-alice> a ml:Person ; <http://xmlns.com/foaf/0.1/name> \"Alice\" .\n")},
            "application/ld+json": {"schema": {"type": "object"}},
            "application/n-triples": {"schema": {"type": "string"}},
        },
    }
}


class NodeRef(BaseModel):
    iri: str
    id: str
    href: str


class WriteResponse(BaseModel):
    """What a successful write returns: the nodes, their new revision, and any warnings."""

    nodes: list[NodeRef]
    revision: str
    warnings: list[dict[str, str | None]]


class NodePage(BaseModel):
    items: list[dict[str, str | None]]
    total: int
    limit: int
    offset: int


def node_href(lake: Lake, node: URIRef | str, kind: str = "nodes") -> str:
    text = str(node)
    local = lake.local_id(text)
    segment = quote(local, safe="/-._~") if local != text else quote(text, safe="")
    return f"/api/v1/{kind}/{segment}"


def _write_response(
    lake: Lake, result: WriteResult, response: Response, kind: str = "nodes",
) -> WriteResponse:
    nodes = [NodeRef(iri=str(n), id=lake.local_id(n), href=node_href(lake, n, kind))
             for n in result.nodes]
    response.headers["Location"] = nodes[0].href
    response.headers["ETag"] = f'"{result.revision}"'
    return WriteResponse(nodes=nodes, revision=result.revision,
                         warnings=[w.to_json() for w in result.warnings])


async def _rdf_from_request(request: Request, lake: Lake) -> Graph:
    body = await read_body(request)
    if not body.strip():
        raise BadInputError(f"the body is empty; send {RDF_MEDIA_TYPES}")
    return parse_rdf(body, request.headers.get("content-type"), base_iri=lake.base_iri)


@router.post(
    "/records", status_code=201, response_model=WriteResponse, openapi_extra=_RDF_BODY,
    summary="Register nodes described in RDF",
    responses={400: {"description": "Malformed or unsafe RDF"},
               409: {"description": "A node already exists"},
               413: {"description": "Body too large"},
               422: {"description": "SHACL violations or unknown references"}},
)
async def register_rdf(
    request: Request, response: Response, lake: LakeDep, principal: Writer,
) -> WriteResponse:
    """Registers one or more nodes of any kind, sent as Turtle, N-Triples or JSON-LD.

    The write is parsed without network access (a remote JSON-LD `@context` is refused),
    checked against the lake (references to unknown lake nodes are a `422` naming them),
    validated with the SHACL shapes, and stored in one transaction: all or nothing. Each node
    gets its own named graph; the write is recorded in the audit trail.
    """
    graph = await _rdf_from_request(request, lake)
    return _write_response(lake, lake.register(graph, principal=principal), response)


def _typed_endpoint(kind: str, model: type[BaseModel]) -> None:
    async def register_typed(
        record: BaseModel, response: Response, lake: LakeDep, principal: Writer,
    ) -> WriteResponse:
        _, graph = typed_records.to_graph(record, base_iri=lake.base_iri)
        return _write_response(lake, lake.register(graph, principal=principal), response, kind)

    # The body's model differs per kind; give FastAPI the real class (not a string annotation).
    register_typed.__annotations__["record"] = Annotated[model, Body()]

    register_typed.__doc__ = (
        f"Registers one {kind.rstrip('s').replace('-', ' ')} from a JSON body whose fields follow "
        f"the ontology; references to other nodes are local ids or IRIs. Returns `201` with the "
        f"node's IRI and a `Location` header; SHACL violations give `422`, warnings come back "
        f"with the `201`.\n\n{(model.__doc__ or '').strip()}"
    )
    router.add_api_route(
        f"/{kind}", register_typed, methods=["POST"], status_code=201,
        response_model=WriteResponse, summary=f"Register a {kind.rstrip('s').replace('-', ' ')}",
        name=f"register_{kind.replace('-', '_')}",
        responses={409: {"description": "The node already exists"},
                   422: {"description": "Invalid body, SHACL violations or unknown references"}},
    )


for _kind, _model in typed_records.KINDS.items():
    _typed_endpoint(_kind, _model)


def raw_identifier(request: Request, identifier: str) -> str:
    """The node id exactly as the client percent-encoded it, decoded once.

    Path parameters may arrive decoded more than once (a percent-encoded IRI that itself holds
    %-escapes would lose them), so the id is cut from the raw request path, using the matched
    route's template to find where it starts and ends.
    """
    route = request.scope.get("route")
    template = getattr(route, "path", "")
    if "{identifier" not in template:
        return identifier
    head = template.split("{identifier")[0].replace(
        "{kind}", request.path_params.get("kind", ""))
    tail = template.rsplit("}", 1)[-1]
    raw = request.scope.get("raw_path", b"").decode("latin-1").split("?")[0]
    start = raw.find(head)  # the template is relative to the router's prefix (/api/v1)
    if start < 0 or not raw.endswith(tail):
        return identifier
    segment = raw[start + len(head):]
    return unquote(segment[: len(segment) - len(tail)] if tail else segment)


def recorded_at(lake: Lake, kind: str, identifier: str, at: str) -> history.Recorded:
    """The node as recorded at ``at``, checked to be of ``kind`` then (404 otherwise)."""
    node = lake.node_iri(identifier)
    recorded = history.describe_at(lake, node, at)
    if kind != "nodes" and (node, RDF.type, KIND_CLASSES[kind]) not in recorded.graph:
        raise NotFoundError(f"<{node}> was not a {kind.rstrip('s').replace('-', ' ')} at {at}")
    return recorded


def _resolve(lake: Lake, kind: str, identifier: str) -> URIRef:
    node = lake.node_iri(identifier)
    if kind != "nodes":
        types = lake.types(node)  # NotFoundError when there is no such node
        if KIND_CLASSES[kind] not in types:
            raise NotFoundError(
                f"<{node}> is not a {kind.rstrip('s').replace('-', ' ')}; "
                f"read it at {node_href(lake, node)}")
    return node


@router.get(
    "/{kind}", response_model=NodePage, summary="List nodes of a kind",
)
def list_nodes(
    kind: str, lake: LakeDep, principal: Reader,
    q: Annotated[str, Query(description="Only nodes whose title contains this text")] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> NodePage:
    """Pages through the nodes of one kind (`sources`, `datasets`, `operations`, `models`,
    `evaluations`, `hyperparameter-sets`, `code`, `agents`), ordered by IRI."""
    if kind not in KIND_CLASSES:
        raise NotFoundError(f"unknown kind {kind!r}; use one of {', '.join(KIND_CLASSES)}")
    items, total = lake.list_nodes(KIND_CLASSES[kind], text=q, limit=limit, offset=offset)
    for item in items:
        item["href"] = node_href(lake, item["iri"] or "", kind)
    return NodePage(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/{kind}/{identifier:path}", summary="Read a node",
    responses={200: {"content": {f.media_type: {} for f in negotiation.GRAPH_FORMATS},
                     "description": "The node's description"},
               404: {"description": "No such node"}},
)
def get_node(
    kind: str, identifier: str, request: Request, lake: LakeDep, principal: Reader,
    accept: Annotated[str | None, Header()] = None,
    format: Annotated[str | None, Query(description="jsonld, turtle or ntriples")] = None,
    at: Annotated[str | None, Query(
        description="An ISO 8601 date-time: the description as the lake had recorded it "
        "then (from the audit trail)")] = None,
) -> Response:
    """The node's description (its named graph) as JSON-LD (default), Turtle or N-Triples.
    `identifier` is a local id or a whole, percent-encoded IRI. The `ETag` is the node's
    revision: send it back in `If-Match` to replace or delete the node. With `at`, the
    description as recorded at that time (also for nodes deleted since), with a
    `Memento-Datetime` header saying when that description was written; `404` if the node did
    not exist then."""
    _check_kind(kind)
    if at is not None:
        recorded = recorded_at(lake, kind, raw_identifier(request, identifier), at)
        return negotiation.graph_response(recorded.graph, accept, format, {
            "Memento-Datetime": format_datetime(recorded.recorded_at, usegmt=True)})
    node = _resolve(lake, kind, raw_identifier(request, identifier))
    return negotiation.graph_response(lake.describe(node), accept, format,
                                      {"ETag": f'"{lake.revision(node)}"'})


@router.put(
    "/{kind}/{identifier:path}", response_model=WriteResponse, openapi_extra=_RDF_BODY,
    summary="Replace a node",
    responses={201: {"description": "Created (the node did not exist)"},
               412: {"description": "If-Match does not match the current revision"},
               428: {"description": "If-Match is required to replace an existing node"}},
)
async def put_node(
    kind: str, identifier: str, request: Request, response: Response, lake: LakeDep,
    principal: Writer, if_match: Annotated[str | None, Header()] = None,
) -> WriteResponse:
    """Replaces the node's whole description atomically. The body is RDF describing exactly
    this node, or (for typed kinds) the same JSON as the POST endpoint. Replacing an existing
    node needs `If-Match` with the ETag from `GET`, so two writers cannot overwrite each other
    silently; a node that does not exist yet is created (`201`)."""
    _check_kind(kind)
    node = lake.node_iri(raw_identifier(request, identifier))
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media == "application/json" and kind in typed_records.KINDS:
        graph = _typed_graph(kind, await read_body(request), node, lake)
    else:
        graph = await _rdf_from_request(request, lake)
    result = lake.replace(node, graph, if_match=_etag(if_match), principal=principal)
    if result.created:
        response.status_code = 201
    return _write_response(lake, result, response, kind)


def _typed_graph(kind: str, body: bytes, node: URIRef, lake: Lake) -> Graph:
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise BadInputError(f"the body is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise BadInputError("the body must be a JSON object")
    data.setdefault("id", str(node))
    if lake.node_iri(str(data["id"])) != node:
        raise BadInputError("the body's id differs from the id in the URL")
    try:
        record = typed_records.KINDS[kind].model_validate(data)
    except ValidationError as exc:
        raise BadInputError(f"invalid {kind} body: {exc.errors()[0]['msg']} at "
                            f"{'.'.join(str(p) for p in exc.errors()[0]['loc'])}") from exc
    return typed_records.to_graph(record, base_iri=lake.base_iri)[1]


@router.delete(
    "/{kind}/{identifier:path}", summary="Delete a node",
    responses={404: {"description": "No such node"},
               409: {"description": "Other nodes depend on it"}},
)
def delete_node(
    kind: str, identifier: str, request: Request, lake: LakeDep, principal: Writer,
    cascade: Annotated[bool, Query(description="Also delete every node that depends on it")]
    = False,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Deletes the node's description. Refused (`409`, naming them) while other nodes depend
    on it — e.g. a data set a model was trained on — unless `cascade=true`, which deletes
    those too. The deletion is recorded in the audit trail."""
    _check_kind(kind)
    node = _resolve(lake, kind, raw_identifier(request, identifier))
    deleted = lake.delete(node, cascade=cascade, principal=principal, if_match=_etag(if_match))
    return {"deleted": [str(d) for d in deleted]}


def _check_kind(kind: str) -> None:
    if kind != "nodes" and kind not in KIND_CLASSES:
        raise NotFoundError(f"unknown kind {kind!r}; use one of nodes, {', '.join(KIND_CLASSES)}")


def _etag(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if value.startswith("W/"):
        value = value[2:]
    return value.strip('"')

