"""Lake.upsert: create new nodes, replace changed ones, leave unchanged ones alone, atomically."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, XSD

from modellake.errors import PreconditionFailedError, ValidationFailed
from modellake.namespaces import ML, RDF
from modellake.store import Store

from .conftest import lake_on

BASE = "https://w3id.org/modellake/id/"
BOB = URIRef(BASE + "agent-bob")
DATA = URIRef(BASE + "dataset-upsert")


def dataset(title: str, created: str = "2024-02-25") -> Graph:
    g = Graph()
    g.add((DATA, RDF.type, ML.Dataset))
    g.add((DATA, DCTERMS.title, Literal(title)))
    g.add((DATA, ML.storageLocation, Literal("s3://lake/upsert.csv")))
    g.add((DATA, ML.owner, BOB))
    g.add((DATA, DCTERMS.created, Literal(created, datatype=XSD.date)))
    return g


def bob() -> Graph:
    g = Graph()
    g.add((BOB, RDF.type, ML.Person))
    g.add((BOB, FOAF.name, Literal("Bob")))
    return g


def test_upsert_creates_then_leaves_alone_then_replaces(store: Store) -> None:
    lake = lake_on(store)
    first = lake.upsert(dataset("Upsert") + bob())
    assert first.created and sorted(map(str, first.nodes)) == [str(BOB), str(DATA)]
    quads = store.quads()

    again = lake.upsert(dataset("Upsert") + bob())
    assert not again.created
    assert store.quads() == quads  # nothing written, not even an audit record
    assert lake.revision(DATA) == first.revision

    changed = lake.upsert(dataset("Upsert, renamed") + bob())
    assert changed.created and changed.nodes == [DATA]  # Bob was unchanged
    assert lake.revision(BOB) == first.revision
    assert str(lake.describe(DATA).value(DATA, DCTERMS.title)) == "Upsert, renamed"


def test_upsert_refuses_a_stale_expectation_and_an_invalid_write(store: Store) -> None:
    lake = lake_on(store)
    lake.upsert(dataset("Upsert") + bob())
    quads = store.quads()
    with pytest.raises(PreconditionFailedError):
        lake.upsert(dataset("Other"), expected={str(DATA): "not-the-revision"})
    with pytest.raises(PreconditionFailedError):
        lake.upsert(dataset("Other"), expected={str(DATA): None})
    undated = dataset("Other")
    undated.remove((DATA, DCTERMS.created, None))
    with pytest.raises(ValidationFailed):  # a data set needs its creation date
        lake.upsert(undated)
    assert store.quads() == quads
