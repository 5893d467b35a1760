"""The lake as it was: node descriptions and lineage as recorded at a past time.

Every write event (``registration.audit_event``) keeps, next to who/when/what, a snapshot of
each node graph it stored: an ml:NodeSnapshot whose ``ml:snapshotContent`` is the graph's
N-Triples text, plus ``ml:snapshotRefersTo`` links to the nodes it pointed at. The text is a
literal, so past facts never take part in the queries over current facts; the links let the
walk go backwards (a model → the evaluations that named it). A node *as at T* is the snapshot of
the last event at or before T that touched it; a delete means it was gone. Nodes written before
snapshots were kept have events without one: their past cannot be told, and we say so.

Cost: each create or replace stores the node graph twice (as triples, and as text in the
event) plus one link per node it points at; docs/user-guide.md gives measured figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from rdflib import Graph, Literal, URIRef

from .errors import BadInputError, NotFoundError
from .lake import Lake
from .namespaces import ML, PROV, RDF

# The relations the upstream lineage query (queries/lineage/upstream.rq) follows forwards …
UPSTREAM: Final = frozenset({
    PROV.wasDerivedFrom, PROV.used, PROV.wasGeneratedBy, PROV.wasAssociatedWith,
    PROV.wasAttributedTo, PROV.wasRevisionOf, ML.hasHyperparameterSet, ML.hasSetting,
    ML.implementedBy, ML.usesAlgorithm, ML.hasMetafeatures, ML.hasFeature, ML.evaluatedOn,
})
# … and backwards (an evaluation names its model; the model does not name it).
UPSTREAM_INVERSE: Final = frozenset({ML.evaluatedModel})
MAX_NODES: Final = 5000


@dataclass(frozen=True)
class Recorded:
    """A node's description as the last write at or before ``asked`` stored it."""

    node: URIRef
    graph: Graph
    event: URIRef
    recorded_at: datetime  # when that write happened
    asked: datetime

    @property
    def revision(self) -> str | None:
        value = self.graph.value(self.node, ML.revision)
        return str(value) if value is not None else None


def parse_time(text: str | datetime) -> datetime:
    """An ISO 8601 date-time (or date: its midnight, UTC); naive times are taken as UTC."""
    if isinstance(text, datetime):
        when = text
    else:
        raw = text.strip()
        try:
            when = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
        except ValueError:
            raise BadInputError(
                f"{raw[:60]!r} is not an ISO 8601 date-time (e.g. 2026-05-01T12:00:00Z)"
            ) from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def describe_at(lake: Lake, node: URIRef, at: str | datetime) -> Recorded:
    """The node's description as recorded at ``at``; NotFoundError if it did not exist then
    or its description then was not kept."""
    when = parse_time(at)
    found = _snapshots(lake, [node], when)
    if node not in found:
        raise NotFoundError(_absent(lake, node, when))
    return found[node]


def lineage_at(lake: Lake, node: URIRef, at: str | datetime, *,
               depth: int | None = None) -> Graph:
    """Everything upstream of the node as the lake knew it at ``at``: the same walk as
    ``Lake.lineage`` over the descriptions recorded then."""
    when = parse_time(at)
    if depth is not None and not 0 <= depth <= 100:
        raise BadInputError("depth must be between 0 and 100")
    start = describe_at(lake, node, when)
    seen: dict[URIRef, Recorded] = {node: start}
    frontier = [node]
    hops = 0
    while frontier and (depth is None or hops < depth) and len(seen) < MAX_NODES:
        hops += 1
        candidates: set[URIRef] = set()
        for current in frontier:
            for _, p, o in seen[current].graph:
                if p in UPSTREAM and isinstance(o, URIRef) and o not in seen:
                    candidates.add(o)
        referrers = _referrers(lake, frontier, when)
        recorded = _snapshots(lake, sorted(candidates | set(referrers)), when)
        nxt: list[URIRef] = []
        for iri, item in recorded.items():
            if iri in seen:
                continue
            points_back = any((iri, p, target) in item.graph
                              for p in UPSTREAM_INVERSE for target in referrers.get(iri, ()))
            if iri in candidates or points_back:
                seen[iri] = item
                nxt.append(iri)
        frontier = sorted(nxt)
    graph = Graph()
    for item in seen.values():
        graph += item.graph
    return graph


def events(lake: Lake, node: URIRef) -> list[dict[str, Any]]:
    """The node's write history, oldest first (action, time, revision, who, snapshot kept)."""
    rows = lake.store.select(lake.catalogue.bind("history/events", {"node": str(node)}))
    if not rows:
        raise NotFoundError(f"the lake has no record of writes to <{node}>")
    return [{
        "event": str(r["event"]), "action": str(r["action"]), "at": str(r["time"]),
        "revision": str(r["revision"]),
        "principal": str(r["principal"]) if "principal" in r else None,
        "role": str(r["role"]) if "role" in r else None,
        "snapshot": _true(r.get("snapshotted")),
    } for r in rows]


# -- pieces ----------------------------------------------------------------------------------

def _snapshots(lake: Lake, nodes: Iterable[URIRef], when: datetime) -> dict[URIRef, Recorded]:
    """The recorded description at ``when`` of each node that existed then and was kept."""
    wanted = [str(n) for n in nodes]
    found: dict[URIRef, Recorded] = {}
    for chunk in (wanted[i:i + 200] for i in range(0, len(wanted), 200)):
        rows = lake.store.select(lake.catalogue.bind(
            "history/snapshots-at", {"nodes": chunk, "at": when}))
        latest: dict[URIRef, tuple[tuple[str, str], Any]] = {}
        for row in rows:
            iri = URIRef(str(row["node"]))
            key = (str(row["time"]), str(row["event"]))
            if iri not in latest or key > latest[iri][0]:
                latest[iri] = (key, row)
        for iri, (_, row) in latest.items():
            if str(row["action"]) == "delete" or "content" not in row:
                continue
            graph = Graph()
            graph.parse(data=str(row["content"]), format="nt")
            if (iri, RDF.type, None) not in graph:
                continue
            time = row["time"]
            recorded = time.toPython() if isinstance(time, Literal) else None
            found[iri] = Recorded(iri, graph, URIRef(str(row["event"])),
                                  recorded if isinstance(recorded, datetime) else when, when)
    return found


def _referrers(lake: Lake, nodes: list[URIRef], when: datetime) -> dict[URIRef, set[URIRef]]:
    """Candidate nodes (→ the nodes of ``nodes`` they pointed at) from recorded snapshots."""
    found: dict[URIRef, set[URIRef]] = {}
    for chunk in (nodes[i:i + 200] for i in range(0, len(nodes), 200)):
        rows = lake.store.select(lake.catalogue.bind(
            "history/referrers-at", {"nodes": [str(n) for n in chunk], "at": when}))
        for row in rows:
            found.setdefault(URIRef(str(row["referrer"])), set()).add(URIRef(str(row["node"])))
    return found


def _absent(lake: Lake, node: URIRef, when: datetime) -> str:
    stamp = when.isoformat().replace("+00:00", "Z")
    rows = lake.store.select(lake.catalogue.bind(
        "history/snapshots-at", {"nodes": [str(node)], "at": when}))
    if not rows:
        return f"<{node}> did not exist in the lake at {stamp} (no write had created it)"
    if any(str(r["action"]) == "delete" for r in rows):
        return f"<{node}> had been deleted by {stamp}"
    return (f"the lake kept no snapshot of <{node}> as at {stamp}: it was written before the "
            f"audit trail kept node descriptions")


def _true(term: object) -> bool:
    return isinstance(term, Literal) and term.toPython() is True
