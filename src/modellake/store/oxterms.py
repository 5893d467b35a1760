"""Oxigraph terms as rdflib terms, for both stores: the embedded store's answers are Oxigraph
terms, and the remote store parses the N-Triples a server sends with Oxigraph's parser, which
is several times faster than rdflib's."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from ..errors import StoreError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: object) -> Identifier:
    """An Oxigraph term as the equivalent rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:  # RDF 1.1: the same as a plain literal
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"unsupported term from Oxigraph: {term!r}")


def converter() -> Callable[[object], Identifier]:
    """to_rdflib with a memory: a graph repeats its subjects, predicates and classes many times,
    and building rdflib literals (which parse their value) is the slow part of a conversion."""
    seen: dict[object, Identifier] = {}

    def convert(term: object) -> Identifier:
        found = seen.get(term)
        if found is None:
            found = seen[term] = to_rdflib(term)
        return found

    return convert


def graph_of(triples: Iterable[ox.Triple | ox.Quad]) -> Graph:
    """An rdflib graph of Oxigraph triples (the graph name of quads is dropped)."""
    graph = Graph()
    term = converter()
    graph.addN((term(t.subject), term(t.predicate), term(t.object), graph) for t in triples)
    return graph


def parse_ntriples(data: bytes) -> Graph:
    """N-Triples sent by a SPARQL server, as an rdflib graph."""
    try:
        return graph_of(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise StoreError(f"the SPARQL store sent N-Triples that do not parse: {exc}") from exc
