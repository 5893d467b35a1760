"""Turning an RDF document into a write the lake can make: nodes, their graphs, their checks.

A write describes one or more *nodes* (IRI subjects with an rdf:type). Each node's description
goes to a named graph with the node's own IRI. Blank nodes are given IRIs (skolemised) and kept
in the graph of the node that points at them. Before anything is stored the write is closed
under the ontology (super-classes, super-properties), its references are checked against the
lake, and it is validated with SHACL — against the new nodes only, plus the types of what they
reference, so the cost follows the size of the write, not the size of the lake.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from . import terms
from .catalogue import Catalogue
from .errors import BadInputError, BindingError, UnknownReferenceError, ValidationFailed
from .namespaces import DCTERMS, ML, PROV, RDF, XSD
from .store import Store
from .validation import Finding, ValidationReport, Validator
from .vocabulary import Vocabulary

# Relations whose objects must be lake nodes (or ontology individuals): the PROV lineage
# relations and, through the vocabulary, every ml: object property and their sub-properties.
# Relations whose objects may be anything the world names (a report, a web page).
_OPEN_RELATIONS = frozenset({ML.evidence})
_LINEAGE_RELATIONS = frozenset({
    PROV.wasDerivedFrom, PROV.used, PROV.generated, PROV.wasGeneratedBy,
    PROV.wasAssociatedWith, PROV.wasAttributedTo, PROV.wasRevisionOf,
})
# Namespaces nobody may register nodes in: the vocabulary's own.
_RESERVED = ("https://w3id.org/modellake#", "https://w3id.org/modellake/shapes#",
             "https://w3id.org/modellake/graph/")
GENID = ".well-known/genid/"


@dataclass
class PreparedWrite:
    """A checked write: one closed graph per node, ready to be stored."""

    graphs: dict[str, Graph]
    revision: str
    report: ValidationReport
    references: dict[str, set[URIRef]] = field(default_factory=dict)

    @property
    def nodes(self) -> list[URIRef]:
        return [URIRef(iri) for iri in self.graphs]

    @property
    def warnings(self) -> list[Finding]:
        return self.report.warnings


def replace_graphs(prepared: PreparedWrite, graphs: dict[str, Graph]) -> PreparedWrite:
    """The same checked write, restricted to some of its node graphs."""
    return PreparedWrite(graphs, prepared.revision, prepared.report, prepared.references)


def new_revision() -> str:
    return uuid.uuid4().hex


class WritePreparer:
    """Everything a write goes through before it reaches the store."""

    def __init__(
        self, store: Store, catalogue: Catalogue, vocabulary: Vocabulary, validator: Validator,
        base_iri: str,
    ) -> None:
        self.store = store
        self.catalogue = catalogue
        self.vocabulary = vocabulary
        self.validator = validator
        self.base_iri = base_iri
        self._reference_properties = frozenset(
            p for p in vocabulary.properties
            if str(p).startswith(str(ML)) and _is_object_property(vocabulary, p)
        ) - _OPEN_RELATIONS | _LINEAGE_RELATIONS

    # -- splitting -----------------------------------------------------------------------------
    def split(self, graph: Graph) -> dict[str, Graph]:
        """One graph per typed IRI subject; blank nodes skolemised into their owner's graph."""
        if len(graph) == 0:
            raise BadInputError("the document holds no triples")
        nodes = sorted({s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)})
        if not nodes:
            raise BadInputError(
                "the document describes no node: give each node an rdf:type "
                "(e.g. ml:Model, ml:Dataset, ml:DataSource)"
            )
        for node in nodes:
            self._check_node_iri(node)
        parts = _parts(graph, nodes)
        nodes = [n for n in nodes if n not in parts]
        node_set = set(nodes) | set(parts)
        untyped = sorted({s for s in graph.subjects() if isinstance(s, URIRef)} - node_set)
        if untyped:
            raise BadInputError(
                f"subject <{untyped[0]}> has no rdf:type: say what kind of node it is "
                f"(e.g. ml:Dataset), or describe it in a blank node of the node it belongs to"
            )
        owners = _blank_node_owners(graph, nodes, parts)
        orphans = {s for s in graph.subjects() if isinstance(s, BNode)} - set(owners)
        if orphans:
            raise BadInputError("a blank node is described but no node points at it")
        skolem: dict[BNode, URIRef] = {}

        def named(term: Node, owner: URIRef) -> Node:
            if isinstance(term, BNode):
                if term not in skolem:
                    skolem[term] = URIRef(f"{self.base_iri}{GENID}{uuid.uuid4().hex}")
                return skolem[term]
            return term

        graphs: dict[str, Graph] = {str(n): Graph() for n in nodes}
        for s, p, o in graph:
            if isinstance(s, URIRef):
                owner = parts.get(s, s)
            elif isinstance(s, BNode):
                owner = owners[s]
            else:  # pragma: no cover - rdflib never yields literal subjects from our parsers
                raise BadInputError("a subject cannot be a literal")
            graphs[str(owner)].add((named(s, owner), p, named(o, owner)))
        return graphs

    def _check_node_iri(self, node: URIRef) -> None:
        try:
            terms.check_iri(str(node))
        except BindingError as exc:
            raise BadInputError(f"node IRI not allowed: {exc}") from None
        if str(node).startswith(_RESERVED):
            raise BadInputError(
                f"<{node}> is in the ontology's own namespace; lake nodes need their own IRIs "
                f"(e.g. under {self.base_iri})"
            )

    # -- the whole preparation -------------------------------------------------------------------
    def prepare(self, graph: Graph, *, revision: str | None = None) -> PreparedWrite:
        graphs = self.split(graph)
        revision = revision or new_revision()
        # References are checked on what the client wrote, so errors name its own predicates.
        context = self.check_references(graphs)
        closed: dict[str, Graph] = {}
        for iri, node_graph in graphs.items():
            g = self.vocabulary.close(node_graph)
            g.set((URIRef(iri), ML.revision, Literal(revision)))
            closed[iri] = g
        union = Graph()
        for g in closed.values():
            union += g
        # Every IRI subject is validated: the nodes and the skolemised blank nodes they own.
        report = self.validator.validate(union, context=context)
        if not report.conforms:
            count = len(report.violations)
            first = report.violations[0]
            raise ValidationFailed(
                f"the write breaks {count} rule(s) of the lake's shapes; first: "
                f"<{first.focus_node}> {first.path or ''}: {first.message}".replace("  ", " "),
                report,
            )
        return PreparedWrite(closed, revision, report)

    def check_references(self, graphs: dict[str, Graph]) -> Graph:
        """Refuse references to lake nodes that do not exist; return the referenced types."""
        written = {str(s) for g in graphs.values() for s in g.subjects()}
        needed: dict[str, list[tuple[str, str, str]]] = {}
        for g in graphs.values():
            for s, p, o in g:
                if not isinstance(o, URIRef) or str(o) in written:
                    continue
                if self.vocabulary.is_ontology_term(o) or str(o).startswith(_RESERVED):
                    continue
                if p == RDF.type:
                    continue
                if p in self._reference_properties or (
                    str(o).startswith(self.base_iri) and GENID not in str(o)
                ):
                    needed.setdefault(str(o), []).append((str(s), str(p), str(o)))
        context = Graph()
        if not needed:
            return context
        found: set[str] = set()
        for chunk in _chunks(sorted(needed), 500):
            rows = self.store.select(self.catalogue.bind("records/node-types", {"nodes": chunk}))
            for row in rows:
                found.add(str(row["node"]))
                context.add((row["node"], RDF.type, row["type"]))
        missing = [ref for iri in sorted(set(needed) - found) for ref in needed[iri]]
        if missing:
            shown = "; ".join(f"<{o}> (from <{s}> via <{p}>)" for s, p, o in missing[:3])
            more = f"; and {len(missing) - 3} more" if len(missing) > 3 else ""
            raise UnknownReferenceError(
                f"unknown lake node(s), neither in the lake nor in this write: {shown}{more}. "
                f"Register them first or include them in the same write", missing,
            )
        return context


def audit_event(
    *, action: str, nodes: Iterable[str], revision: str, principal: str, role: str,
    base_iri: str, at: str, snapshots: Mapping[str, Graph] | None = None,
) -> tuple[str, Graph]:
    """The write-event record (who, when, what) in its own named graph.

    ``snapshots`` (node → the graph the write stored for it) are kept in the event as
    ml:NodeSnapshot resources whose content is the graph's N-Triples text: a literal, so past
    descriptions never take part in queries over current facts (see ``history``)."""
    event = URIRef(f"{base_iri}audit/{revision}")
    g = Graph()
    g.add((event, RDF.type, ML.WriteEvent))
    g.add((event, RDF.type, PROV.Activity))
    g.add((event, ML.action, Literal(action)))
    g.add((event, ML.revision, Literal(revision)))
    g.add((event, ML.principalName, Literal(principal)))
    g.add((event, ML.principalRole, Literal(role)))
    g.add((event, PROV.startedAtTime, Literal(at, datatype=XSD.dateTime)))
    g.add((event, DCTERMS.created, Literal(at, datatype=XSD.dateTime)))
    for node in nodes:
        g.add((event, ML.affectedNode, URIRef(node)))
    for number, (node, graph) in enumerate(sorted((snapshots or {}).items())):
        snapshot = URIRef(f"{event}/snapshot/{number}")
        g.add((event, ML.snapshot, snapshot))
        g.add((snapshot, RDF.type, ML.NodeSnapshot))
        g.add((snapshot, ML.snapshotOf, URIRef(node)))
        g.add((snapshot, ML.snapshotContent, Literal(snapshot_text(graph))))
        for target in snapshot_references(URIRef(node), graph):
            g.add((snapshot, ML.snapshotRefersTo, target))
    return str(event), g


def snapshot_text(graph: Graph) -> str:
    """A node graph as sorted N-Triples lines: the same graph gives the same text."""
    text = graph.serialize(format="nt")
    return "\n".join(sorted(line for line in text.splitlines() if line.strip())) + "\n"


def snapshot_references(node: URIRef, graph: Graph) -> list[URIRef]:
    """The other nodes a description points at (not its types, parts or ontology terms)."""
    own = (str(node) + "/", str(node) + "#")
    found = {
        o for _, p, o in graph
        if isinstance(o, URIRef) and p != RDF.type and o != node
        and not str(o).startswith(own) and not str(o).startswith(_RESERVED) and GENID not in o
    }
    return sorted(found)


def _is_object_property(vocabulary: Vocabulary, prop: URIRef) -> bool:
    return prop in vocabulary.object_properties


def _parts(graph: Graph, typed: list[URIRef]) -> dict[URIRef, URIRef]:
    """Typed subjects that are parts of another node, mapped to that node.

    A part's IRI extends its node's IRI (``<d>/feature/age``, ``<d>/metafeatures``,
    ``<set>/setting/C``) and the node (or one of its parts) points at it. Parts live in their
    node's named graph, so they are replaced and deleted with it.
    """
    parts: dict[URIRef, URIRef] = {}
    for candidate in sorted(typed, key=len):  # owners are shorter than their parts
        text = str(candidate)
        for owner in typed:
            head = str(owner)
            if owner == candidate or not text.startswith((head + "/", head + "#")):
                continue
            top = parts.get(owner, owner)
            if any(graph.triples((s, None, candidate))
                   for s in [owner, top, *(p for p, t in parts.items() if t == top)]):
                parts[candidate] = top
                break
    return parts


def _blank_node_owners(
    graph: Graph, nodes: list[URIRef], parts: dict[URIRef, URIRef],
) -> dict[BNode, URIRef]:
    """Each blank node belongs to the first node (in IRI order) that reaches it."""
    owners: dict[BNode, URIRef] = {}
    for start in [*nodes, *parts]:
        node = parts.get(start, start)
        todo: list[Node] = [start]
        while todo:
            for obj in graph.objects(todo.pop(), None):
                if isinstance(obj, BNode) and obj not in owners:
                    owners[obj] = node
                    todo.append(obj)
    return owners


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
