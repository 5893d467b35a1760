"""The JSON-LD writer: every kind of triple comes back the same through rdflib and pyld, with
the published context's terms used where they fit and nothing fetched."""

from __future__ import annotations

import json

from pyld import jsonld as pyld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from modellake import jsonld
from modellake.namespaces import DCTERMS, ML, PROV, RDF, XSD
from modellake.resources import example_file

N = URIRef("https://w3id.org/modellake/id/model-1")


def _no_fetch(url: str, options: object = None) -> object:
    raise AssertionError(f"pyld was asked to fetch {url}")


def _both(text: bytes) -> tuple[Graph, Graph]:
    by_rdflib = Graph().parse(data=text, format="json-ld")
    nquads = pyld.to_rdf(json.loads(text), {"format": "application/n-quads",
                                            "documentLoader": _no_fetch})
    return by_rdflib, Graph().parse(data=nquads, format="nt")


def test_every_kind_of_value_means_the_same_to_rdflib_and_pyld() -> None:
    g = Graph()
    blank = BNode("b1")
    g.add((N, RDF.type, ML.Model))
    g.add((N, RDF.type, URIRef("https://example.org/OtherClass")))
    g.add((N, DCTERMS.title, Literal("Diabetes \"Predictor\"\n")))
    g.add((N, DCTERMS.title, Literal("Prédicteur", lang="fr")))
    g.add((N, ML.revision, Literal("abc123")))  # a term coerced to xsd:string
    g.add((N, ML.revision, Literal("7", datatype=XSD.integer)))  # the coercion does not fit
    g.add((N, ML.trainedOn, URIRef("https://w3id.org/modellake/id/dataset-1")))
    g.add((N, ML.value, Literal("0.93", datatype=XSD.double)))
    g.add((N, ML.value, URIRef("https://example.org/not-a-number")))
    g.add((N, PROV.startedAtTime, Literal("2024-02-25T10:00:00Z", datatype=XSD.dateTime)))
    g.add((N, URIRef("https://example.org/unknown#p"), blank))
    g.add((blank, URIRef("https://example.org/unknown#q"), Literal(True)))
    g.add((N, ML.containsPersonalData, Literal(False)))
    text = jsonld.dumps(g)
    by_rdflib, by_pyld = _both(text)
    assert isomorphic(by_rdflib, g)
    assert isomorphic(by_pyld, g)
    document = json.loads(text)
    model = next(n for n in document["@graph"] if n["@id"] == str(N))
    assert "Model" in model["@type"] and "trainedOn" in model
    assert document["@context"]["ml"] == str(ML)


def test_the_worked_example_round_trips() -> None:
    g = Graph().parse(example_file("diabetes.ttl"), format="turtle")
    by_rdflib, by_pyld = _both(jsonld.dumps(g))
    assert isomorphic(by_rdflib, g)
    assert isomorphic(by_pyld, g)
