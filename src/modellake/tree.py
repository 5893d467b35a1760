"""Readable trees of lineage and impact graphs, for the CLI."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.term import Node
from rich.tree import Tree

from .namespaces import DCTERMS, FOAF, ML, PROV, RDF, RDFS
from .vocabulary import Vocabulary

# Links that are bookkeeping, not lineage: never drawn as branches.
_SKIP = frozenset({RDF.type, ML.revision, ML.hasEvaluation})
# Links that point the other way than the tree grows (an activity's outputs, an evaluation's
# model): drawn from the other end instead.
_AGAINST = {True: frozenset({PROV.generated, ML.evaluatedModel}),
            False: frozenset({PROV.generated})}


def _label(graph: Graph, node: URIRef, vocabulary: Vocabulary, base_iri: str) -> str:
    name = (graph.value(node, DCTERMS.title) or graph.value(node, FOAF.name)
            or graph.value(node, RDFS.label))
    local = str(node)[len(base_iri):] if str(node).startswith(base_iri) else str(node)
    kind = _kind(graph, node, vocabulary)
    text = f"{name} ({local})" if name is not None else local
    return f"[bold]{kind}[/bold] {text}" if kind else text


def _kind(graph: Graph, node: URIRef, vocabulary: Vocabulary) -> str:
    """The most specific ml: class of the node (the one with the most super-classes)."""
    types = [t for t in graph.objects(node, RDF.type)
             if isinstance(t, URIRef) and str(t).startswith(str(ML))]
    if not types:
        return ""
    best = max(types, key=lambda t: (len(vocabulary.super_classes(t)), str(t)))
    return str(best)[len(str(ML)):]


def _direct_predicates(graph: Graph, vocabulary: Vocabulary) -> set[URIRef]:
    """Predicates that are not just stated super-properties of another predicate in use."""
    used = {p for p in graph.predicates() if isinstance(p, URIRef)}
    implied: set[URIRef] = set()
    for p in used:
        implied |= vocabulary.super_properties(p) - {p}
    return used - implied - _SKIP


def lineage_tree(
    graph: Graph, root: URIRef, vocabulary: Vocabulary, base_iri: str, *, upstream: bool,
) -> Tree:
    """Upstream: a node's branches are what it points at; downstream: what points at it."""
    nodes = {s for s in graph.subjects() if isinstance(s, URIRef)}
    direct = _direct_predicates(graph, vocabulary) - _AGAINST[upstream]

    def children(node: URIRef) -> list[tuple[str, URIRef]]:
        found: list[tuple[str, URIRef]] = []
        if upstream:
            for p, o in graph.predicate_objects(node):
                if p in direct and isinstance(o, URIRef) and o in nodes and o != node:
                    found.append((_short(p), o))
            # Evaluations point at their model; show them under it.
            for s in graph.subjects(ML.evaluatedModel, node):
                if isinstance(s, URIRef):
                    found.append(("evaluation", s))
        else:
            for s, p in graph.subject_predicates(node):
                if p in direct and isinstance(s, URIRef) and s in nodes and s != node:
                    found.append((_short(p, inverse=True), s))
        # Lineage relations first, evaluations last, each group in a stable order.
        return sorted(set(found), key=lambda item: (item[0] == "evaluation", item[0],
                                                    str(item[1])))

    tree = Tree(_label(graph, root, vocabulary, base_iri))
    seen = {root}

    def grow(branch: Tree, node: URIRef) -> None:
        for relation, child in children(node):
            label = f"[dim]{relation}[/dim] {_label(graph, child, vocabulary, base_iri)}"
            if child in seen:
                branch.add(label + " [dim](shown above)[/dim]")
                continue
            seen.add(child)
            grow(branch.add(label), child)

    grow(tree, root)
    return tree


def _short(predicate: Node, *, inverse: bool = False) -> str:
    text = str(predicate)
    name = text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return f"^{name}" if inverse else name
