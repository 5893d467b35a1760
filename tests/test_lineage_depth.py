"""Lineage and impact to a given depth, on both stores: exactly the nodes within that many
steps, whether the lake fetches all the steps of the walk in one request (its way over HTTP) or
steps one request at a time (in process, and for walks too big to fetch at once)."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from modellake import lake as lake_module
from modellake.errors import BadInputError, NotFoundError
from modellake.lake import Lake
from modellake.store import Store

from .conftest import lake_on

BASE = "https://w3id.org/modellake/id/"
# Four data sets in a derivation chain a ← b ← c ← d; model m trained on d and evaluated on it;
# model f fine-tuned from m and trained on d as well.
FIXTURE = f"""
@prefix ml: <https://w3id.org/modellake#> . @prefix id: <{BASE}> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:agent-ada a ml:Person ; foaf:name "Ada" .
id:algorithm-svm a ml:Algorithm ; dct:title "SVM" .
id:dataset-a a ml:Dataset ; dct:title "A" ; ml:storageLocation "s3://lake/a.csv" ;
    ml:owner id:agent-ada ; dct:created "2024-02-25"^^xsd:date .
id:dataset-b a ml:Dataset ; dct:title "B" ; ml:storageLocation "s3://lake/b.csv" ;
    ml:owner id:agent-ada ; dct:created "2024-02-25"^^xsd:date ; prov:wasDerivedFrom id:dataset-a .
id:dataset-c a ml:Dataset ; dct:title "C" ; ml:storageLocation "s3://lake/c.csv" ;
    ml:owner id:agent-ada ; dct:created "2024-02-25"^^xsd:date ; prov:wasDerivedFrom id:dataset-b .
id:dataset-d a ml:Dataset ; dct:title "D" ; ml:storageLocation "s3://lake/d.csv" ;
    ml:owner id:agent-ada ; dct:created "2024-02-25"^^xsd:date ; prov:wasDerivedFrom id:dataset-c .
id:model-m a ml:Model ; dct:title "M" ; ml:trainedOn id:dataset-d ;
    ml:usesAlgorithm id:algorithm-svm ; ml:administrator id:agent-ada ;
    dct:created "2024-02-26"^^xsd:date .
id:evaluation-e a ml:MeasuredEvaluation ; ml:evaluatedModel id:model-m ;
    ml:evaluationMeasure ml:Accuracy ; ml:value 0.8 ; ml:evaluatedOn id:dataset-d .
id:model-f a ml:Model ; dct:title "F" ; ml:trainedOn id:dataset-d ;
    ml:derivedFromModel id:model-m ; ml:usesAlgorithm id:algorithm-svm ;
    ml:administrator id:agent-ada ; dct:created "2024-02-27"^^xsd:date .
"""

# The nodes first reached at each depth.
UPSTREAM_OF_F = [
    {"model-f"},
    {"model-m", "dataset-d", "agent-ada", "algorithm-svm"},
    {"evaluation-e", "dataset-c"},
    {"dataset-b"},
    {"dataset-a"},
]
DOWNSTREAM_OF_A = [
    {"dataset-a"}, {"dataset-b"}, {"dataset-c"}, {"dataset-d"},
    {"model-m", "model-f", "evaluation-e"},
]


def node(local: str) -> URIRef:
    return URIRef(BASE + local)


def nodes_in(graph: Graph) -> set[str]:
    return {str(s).removeprefix(BASE) for s in graph.subjects() if str(s).startswith(BASE)}


def within(levels: list[set[str]], depth: int) -> set[str]:
    return set().union(*levels[: depth + 1])


@pytest.fixture
def lake(store: Store) -> Lake:
    return lake_on(store, FIXTURE)


@pytest.fixture(params=["one request", "step by step", "too many steps for one request"])
def walk(request: pytest.FixtureRequest, store: Store, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each way of walking, on each store (the lake picks by whether the store is in process)."""
    monkeypatch.setattr(store, "in_process", request.param == "step by step")
    if request.param == "too many steps for one request":
        monkeypatch.setattr(lake_module, "WALK_EDGE_LIMIT", 1)
    return str(request.param)


def test_lineage_holds_exactly_the_nodes_within_the_depth(lake: Lake, walk: str) -> None:
    for depth in range(len(UPSTREAM_OF_F) + 2):
        found = nodes_in(lake.lineage(node("model-f"), depth=depth))
        assert found == within(UPSTREAM_OF_F, depth), f"depth {depth}, {walk}"


def test_impact_holds_exactly_the_nodes_within_the_depth(lake: Lake, walk: str) -> None:
    for depth in range(len(DOWNSTREAM_OF_A) + 2):
        found = nodes_in(lake.impact(node("dataset-a"), depth=depth))
        assert found == within(DOWNSTREAM_OF_A, depth), f"depth {depth}, {walk}"


def test_a_deep_enough_walk_is_the_whole_lineage(lake: Lake, walk: str) -> None:
    whole = lake.lineage(node("model-f"))
    deep = lake.lineage(node("model-f"), depth=100)
    assert set(deep) == set(whole) and nodes_in(whole) == within(UPSTREAM_OF_F, 4)
    assert set(lake.impact(node("dataset-a"), depth=100)) == set(lake.impact(node("dataset-a")))


def test_the_walk_returns_whole_descriptions(lake: Lake) -> None:
    graph = lake.lineage(node("model-f"), depth=1)
    assert set(lake.describe(node("dataset-d"))) <= set(graph)


def test_bad_depth_and_unknown_node_are_refused(lake: Lake) -> None:
    for depth in (-1, 101):
        with pytest.raises(BadInputError, match="depth must be between 0 and 100"):
            lake.lineage(node("model-f"), depth=depth)
    with pytest.raises(NotFoundError, match="no node"):
        lake.impact(node("dataset-nowhere"), depth=3)
