"""What the importers of other systems' records (OpenLineage, MLflow) share: deterministic node
ids, agents named by those systems, and date-time literals.

Ids are minted from the other system's own identifiers, so the same thing imported twice is the
same node, and names of any shape (slashes, colons, quotes, any script) give safe IRIs: a
readable slug of the name and a hash of the exact identifiers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Final

from rdflib import Graph, Literal, URIRef

from .lake import Lake
from .metafeatures import slugify
from .namespaces import DCTERMS, FOAF, ML, RDF, XSD

# An owner's name may say what it is: "user:alice", "team:data-eng" (OpenLineage's ownership
# facet writes them so).
_AGENT_KINDS: Final = {"user": ML.Person, "person": ML.Person, "team": ML.Team,
                       "group": ML.Team, "service": ML.Service, "application": ML.Service}


def mint(kind: str, title: str, *keys: object) -> str:
    """``<kind>-<slug of title>-<16 hex of the keys>``: readable, safe, the same for the same
    keys (the keys are joined with a separator no name holds, then hashed)."""
    digest = hashlib.sha256("\x1f".join(str(k) for k in keys).encode("utf-8", "surrogatepass"))
    return f"{kind}-{slugify(title, default=kind)}-{digest.hexdigest()[:16]}"


def agent(lake: Lake, name: str, *, origin: str, description: str | None = None,
          ) -> tuple[URIRef, Graph]:
    """The agent another system names ``name`` (kind from a ``user:``/``team:`` prefix, else
    ml:User), as a node id and its description. ``origin`` keeps agents of different systems
    apart (an MLflow user "alice" is not known to be the token holder "alice")."""
    prefix, sep, rest = name.partition(":")
    cls = _AGENT_KINDS.get(prefix.lower()) if sep and rest else None
    shown = rest if cls is not None else name
    node = lake.node_iri(mint("agent", shown, origin, name))
    g = Graph()
    g.add((node, RDF.type, cls or ML.User))
    g.add((node, FOAF.name, Literal(shown)))
    if description:
        g.add((node, DCTERMS.description, Literal(description)))
    return node, g


def only_missing(lake: Lake, parts: Iterable[tuple[URIRef, Graph]]) -> Graph:
    """The descriptions of the nodes the lake does not have yet: shared nodes (agents, code,
    sources, algorithms) are created once and never rewritten by an import."""
    parts = list(parts)
    if not parts:
        return Graph()
    rows = lake.store.select(lake.catalogue.bind(
        "records/node-types", {"nodes": sorted({str(node) for node, _ in parts})}))
    present = {str(r["node"]) for r in rows}
    out = Graph()
    for node, graph in parts:
        if str(node) not in present:
            out += graph
    return out


def when(moment: datetime) -> Literal:
    """An xsd:dateTime literal in UTC, to the millisecond."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return Literal(text, datatype=XSD.dateTime)
