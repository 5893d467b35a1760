"""The Model Lake vocabulary as the write path needs it: class and property hierarchies.

A triplestore does no reasoning, so every write states the rdf:type super-classes and the
super-properties of what it says (``Vocabulary.close``). The hierarchies are computed once from
``ontology/modellake.ttl`` (plus any extra graphs, e.g. pinned imports) and then only looked up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from types import MappingProxyType

from rdflib import Graph, URIRef
from rdflib.term import Node

from .namespaces import OWL, RDF, RDFS
from .resources import ontology_file

_CLASS_TYPES = frozenset({OWL.Class, RDFS.Class})
_PROPERTY_TYPES = frozenset({
    RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
    OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.TransitiveProperty,
    OWL.SymmetricProperty,
})


def _closure(graph: Graph, relation: URIRef) -> dict[URIRef, frozenset[URIRef]]:
    """Reflexive-transitive closure of ``relation`` over named IRIs (blank nodes are skipped)."""
    direct: dict[URIRef, set[URIRef]] = {}
    for sub, sup in graph.subject_objects(relation):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(sub, set()).add(sup)
            direct.setdefault(sup, set())
    result: dict[URIRef, frozenset[URIRef]] = {}
    for start in direct:
        seen = {start}
        todo = [start]
        while todo:
            for sup in direct[todo.pop()]:
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        result[start] = frozenset(seen)
    return result


def _subjects_typed(graph: Graph, types: Iterable[URIRef]) -> frozenset[URIRef]:
    return frozenset(
        s for t in types for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef)
    )


class Vocabulary:
    """Class and property hierarchies, declared terms and named individuals of the ontology."""

    def __init__(self, ontology: Graph) -> None:
        self._super_classes = _closure(ontology, RDFS.subClassOf)
        self._super_properties = _closure(ontology, RDFS.subPropertyOf)
        self.classes: frozenset[URIRef] = _subjects_typed(ontology, _CLASS_TYPES)
        self.properties: frozenset[URIRef] = _subjects_typed(ontology, _PROPERTY_TYPES)
        #: Properties whose values are nodes (owl:ObjectProperty), e.g. ml:trainedOn.
        self.object_properties: frozenset[URIRef] = _subjects_typed(
            ontology, (OWL.ObjectProperty,))
        individuals: dict[URIRef, frozenset[URIRef]] = {}
        for subject in set(ontology.subjects(RDF.type, None)):
            if not isinstance(subject, URIRef):
                continue
            types = {t for t in ontology.objects(subject, RDF.type) if isinstance(t, URIRef)}
            is_term = subject in self.classes or subject in self.properties
            if not is_term and (OWL.NamedIndividual in types or types & self.classes):
                individuals[subject] = frozenset(types - {OWL.NamedIndividual})
        #: The named individuals (measures, lifecycle stages, algorithms …) with their classes.
        self.individuals: Mapping[URIRef, frozenset[URIRef]] = MappingProxyType(individuals)
        self._terms = self.classes | self.properties | frozenset(individuals)

    @classmethod
    def load(cls, extra: Iterable[Graph] = ()) -> Vocabulary:
        """Read ``ontology/modellake.ttl`` (never over the network) plus ``extra`` graphs."""
        graph = Graph()
        graph.parse(ontology_file(), format="turtle")
        for other in extra:
            graph += other
        return cls(graph)

    def super_classes(self, iri: URIRef) -> frozenset[URIRef]:
        """``iri`` and all its named super-classes (rdfs:subClassOf*), external ones included."""
        return self._super_classes.get(iri) or frozenset({iri})

    def super_properties(self, iri: URIRef) -> frozenset[URIRef]:
        """``iri`` and all its named super-properties (rdfs:subPropertyOf*)."""
        return self._super_properties.get(iri) or frozenset({iri})

    def is_ontology_term(self, iri: Node) -> bool:
        """True if ``iri`` is declared in the ontology as a class, a property or an individual."""
        return iri in self._terms

    def close(self, graph: Graph) -> Graph:
        """A new graph: ``graph`` plus the rdf:type super-classes and super-property triples.

        owl:inverseOf is not materialised; nor is anything else a reasoner would add.
        """
        closed = Graph()
        for prefix, namespace in graph.namespaces():
            closed.bind(prefix, namespace, override=True, replace=True)
        for s, p, o in graph:
            closed.add((s, p, o))
            if p == RDF.type:
                if isinstance(o, URIRef):
                    for cls in self._super_classes.get(o, ()):
                        closed.add((s, p, cls))
            elif isinstance(p, URIRef):
                for prop in self._super_properties.get(p, ()):
                    closed.add((s, prop, o))
        return closed


@cache
def load_vocabulary() -> Vocabulary:
    """The vocabulary of ``ontology/modellake.ttl``, loaded once per process."""
    return Vocabulary.load()
