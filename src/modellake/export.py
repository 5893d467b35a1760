"""The lake in other standards' terms: a DCAT-AP or MLDCAT-AP catalogue, or plain PROV-O.

The mapping itself is SPARQL (``queries/export/``), run on the store through the catalogue;
this module only picks the queries of a profile, binds their parameters and joins the graphs.
See docs/standards.md for which fact comes from where.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final
from typing import Literal as TypingLiteral

from rdflib import Graph, Literal, URIRef

from .errors import BadInputError, NotFoundError
from .namespaces import DCAT, FOAF, XSD

if TYPE_CHECKING:
    from .lake import Lake

Profile = TypingLiteral["dcat-ap", "mldcat-ap", "prov"]
PROFILES: Final[tuple[Profile, ...]] = ("dcat-ap", "mldcat-ap", "prov")
CATALOG_PROFILES: Final[tuple[Profile, ...]] = ("dcat-ap", "mldcat-ap")
# Nodes per PROV query: keeps the query text small however large the lake is.
PROV_BATCH: Final = 400
_SYSTEM_GRAPHS: Final = "https://w3id.org/modellake/graph/"


def check_profile(profile: str, allowed: Sequence[str] = PROFILES) -> Profile:
    if profile not in allowed:
        raise BadInputError(f"unknown export profile {profile!r}; choose one of "
                            f"{', '.join(allowed)}")
    return profile  # type: ignore[return-value]


def catalog_iri(lake: Lake) -> str:
    return lake.settings.catalog_iri or f"{lake.base_iri}catalog"


def catalog(lake: Lake, profile: str = "dcat-ap") -> Graph:
    """The lake as a DCAT-AP catalogue of its data sets; with ``mldcat-ap``, of its models too."""
    mldcat = check_profile(profile, CATALOG_PROFILES) == "mldcat-ap"
    iri = catalog_iri(lake)
    graph = lake.store.construct(lake.catalogue.bind("export/catalog", _catalog_params(lake)))
    queries: list[tuple[str, dict[str, object]]] = [
        ("export/datasets", {"catalog": iri, "mldcat": mldcat}),
        ("export/distributions", {"mldcat": mldcat}),
        ("export/agents", {}),
    ]
    if mldcat:
        queries += [("export/models", {"catalog": iri}), ("export/model-files", {}),
                    ("export/training-runs", {})]
    for name, params in queries:
        graph += lake.store.construct(lake.catalogue.bind(name, params))
    return _byte_sizes_as_non_negative(graph)


def _byte_sizes_as_non_negative(graph: Graph) -> Graph:
    """DCAT-AP types byte sizes xsd:nonNegativeInteger; Oxigraph turns a value a query types so
    (STRDT) into xsd:integer, so the (already checked, whole, non-negative) sizes are retyped."""
    for subject, size in list(graph.subject_objects(DCAT.byteSize)):
        if isinstance(size, Literal) and size.datatype != XSD.nonNegativeInteger:
            graph.set((subject, DCAT.byteSize, Literal(str(size), datatype=XSD.nonNegativeInteger)))
    return graph


def _catalog_params(lake: Lake) -> dict[str, object]:
    settings = lake.settings
    params: dict[str, object] = {
        "catalog": catalog_iri(lake), "title": settings.catalog_title,
        "description": settings.catalog_description,
    }
    if settings.catalog_publisher:
        publisher = lake.node_iri(settings.catalog_publisher)
        names = lake.store.construct(lake.catalogue.bind("export/agents", {}))
        if (publisher, FOAF.name, None) not in names:
            raise NotFoundError(
                f"the catalogue publisher <{publisher}> (setting catalog_publisher) is not an "
                f"agent with a name in the lake; register it with foaf:name first")
        params["publisher"] = str(publisher)
    else:
        # No publisher configured: the catalogue is published by this lake service itself.
        params["publisher"] = f"{catalog_iri(lake)}/publisher"
        params["publisherName"] = f"Model Lake at {lake.base_iri}"
    return params


def provenance(lake: Lake, nodes: Iterable[URIRef | str] | None = None) -> Graph:
    """Plain PROV-O of the given nodes (default: every node of the lake)."""
    if nodes is None:
        scope = sorted(g for g in lake.store.graphs() if not g.startswith(_SYSTEM_GRAPHS))
    else:
        scope = sorted({str(n) for n in nodes})
    graph = Graph()
    for start in range(0, len(scope), PROV_BATCH):
        batch = scope[start:start + PROV_BATCH]
        for name in ("export/prov", "export/prov-times"):
            graph += lake.store.construct(lake.catalogue.bind(name, {"nodes": batch}))
    return graph


def lineage_provenance(lake: Lake, node: URIRef, *, upstream: bool,
                       depth: int | None = None) -> Graph:
    """Plain PROV-O of a node's lineage (upstream) or impact (downstream)."""
    walked = lake.lineage(node, depth=depth) if upstream else lake.impact(node, depth=depth)
    return provenance(lake, {s for s in walked.subjects() if isinstance(s, URIRef)})


def export(lake: Lake, profile: str) -> Graph:
    """The whole lake in one profile."""
    if check_profile(profile) == "prov":
        return provenance(lake)
    return catalog(lake, profile)
