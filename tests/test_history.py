"""The lake as recorded at a past time, on both stores: descriptions and lineage from the
snapshots the write events keep, deleted and replaced nodes, and no leak into current facts."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from modellake import history
from modellake.errors import BadInputError, NotFoundError
from modellake.lake import Lake
from modellake.namespaces import DCTERMS, ML
from modellake.registration import snapshot_text
from modellake.store import Store

from .conftest import lake_on
from .provenance_setup import set_text

BASE = "https://w3id.org/modellake/id/"
FIXTURE = f"""
@prefix ml: <https://w3id.org/modellake#> . @prefix id: <{BASE}> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:agent-ada a ml:Person ; foaf:name "Ada" .
id:agent-bob a ml:Person ; foaf:name "Bob" .
id:dataset-a a ml:Dataset ; dct:title "Data A" ; ml:storageLocation "s3://lake/a.csv" ;
    ml:owner id:agent-ada ; dct:created "2024-02-25"^^xsd:date .
id:algorithm-svm a ml:Algorithm ; dct:title "SVM" .
id:model-m a ml:Model ; dct:title "Model M" ; ml:trainedOn id:dataset-a ;
    ml:usesAlgorithm id:algorithm-svm ; ml:administrator id:agent-bob ;
    dct:created "2024-02-26"^^xsd:date .
"""
EVALUATION = f"""
@prefix ml: <https://w3id.org/modellake#> . @prefix id: <{BASE}> .
id:evaluation-late a ml:MeasuredEvaluation ; ml:evaluatedModel id:model-m ;
    ml:evaluationMeasure ml:Accuracy ; ml:value 0.8 ; ml:evaluatedOn id:dataset-a .
"""


def node(local: str) -> URIRef:
    return URIRef(BASE + local)


def tick() -> datetime:
    """A moment strictly between two writes (event times have millisecond precision)."""
    time.sleep(0.005)
    moment = datetime.now(UTC)
    time.sleep(0.005)
    return moment


@pytest.fixture
def lake(store: Store) -> Lake:
    return lake_on(store, FIXTURE)


def titles(graph: Graph) -> set[str]:
    return {str(o) for o in graph.objects(None, DCTERMS.title)}


def test_a_replaced_node_reads_as_it_was(lake: Lake) -> None:
    before = tick()
    set_text(lake, node("model-m"), DCTERMS.title, "Model M, renamed")
    old = history.describe_at(lake, node("model-m"), before)
    assert old.graph.value(node("model-m"), DCTERMS.title) == Literal("Model M")
    assert old.recorded_at <= before
    now = history.describe_at(lake, node("model-m"), datetime.now(UTC))
    assert isomorphic(now.graph, lake.describe(node("model-m")))
    assert now.revision == lake.revision(node("model-m")) != old.revision
    # the current description holds only the current title
    assert titles(lake.describe(node("model-m"))) == {"Model M, renamed"}


def test_before_creation_and_after_deletion_there_is_nothing(lake: Lake) -> None:
    with pytest.raises(NotFoundError, match="did not exist"):
        history.describe_at(lake, node("model-m"), datetime(2000, 1, 1, tzinfo=UTC))
    lake.register(Graph().parse(data=EVALUATION, format="turtle"))
    alive = tick()
    lake.delete(node("evaluation-late"))
    with pytest.raises(NotFoundError, match="deleted"):
        history.describe_at(lake, node("evaluation-late"), datetime.now(UTC))
    kept = history.describe_at(lake, node("evaluation-late"), alive)
    assert kept.graph.value(node("evaluation-late"), ML.value) is not None
    actions = [e["action"] for e in history.events(lake, node("evaluation-late"))]
    assert actions == ["create", "delete"]


def test_lineage_as_at_a_time(lake: Lake) -> None:
    first = tick()
    lake.register(Graph().parse(data=EVALUATION, format="turtle"))
    set_text(lake, node("dataset-a"), DCTERMS.title, "Data A v2")
    then = history.lineage_at(lake, node("model-m"), first)
    now = history.lineage_at(lake, node("model-m"), datetime.now(UTC))
    assert "Data A" in titles(then) and "Data A v2" not in titles(then)
    assert (node("evaluation-late"), None, None) not in then
    assert (node("evaluation-late"), ML.evaluatedModel, node("model-m")) in now
    # today's walk over the snapshots is the lineage the store gives
    current = lake.lineage(node("model-m"))
    assert isomorphic(now, current)
    shallow = history.lineage_at(lake, node("model-m"), datetime.now(UTC), depth=1)
    assert (node("agent-ada"), None, None) not in shallow  # two hops away
    assert (node("agent-ada"), None, None) in now


def test_old_references_do_not_hold_current_nodes(lake: Lake) -> None:
    """A snapshot that points at a node is history, not a dependency."""
    before = tick()
    g = Graph()
    for triple in lake.describe(node("dataset-a")):
        if triple[1] not in (ML.owner, ML.revision) and "wasAttributedTo" not in str(triple[1]):
            g.add(triple)
    g.add((node("dataset-a"), ML.owner, node("agent-bob")))
    lake.replace(node("dataset-a"), g, if_match=lake.revision(node("dataset-a")))
    assert lake.dependents(node("agent-ada")) == []
    lake.delete(node("agent-ada"))
    then = history.lineage_at(lake, node("model-m"), before)
    assert (node("agent-ada"), None, None) in then  # deleted now, there then


def test_each_write_keeps_the_graph_it_stored(lake: Lake) -> None:
    event = history.events(lake, node("model-m"))[-1]
    recorded = history.describe_at(lake, node("model-m"), datetime.now(UTC))
    assert event["snapshot"] and str(recorded.event) == event["event"]
    assert snapshot_text(recorded.graph) == snapshot_text(lake.describe(node("model-m")))


def test_times_are_checked(lake: Lake) -> None:
    with pytest.raises(BadInputError, match="ISO 8601"):
        history.describe_at(lake, node("model-m"), "yesterday")
    naive = (datetime.now(UTC) + timedelta(minutes=1)).replace(tzinfo=None).isoformat()
    assert history.describe_at(lake, node("model-m"), naive).node == node("model-m")
    assert history.parse_time("2026-05-01").tzinfo is not None
    with pytest.raises(BadInputError):
        history.lineage_at(lake, node("model-m"), datetime.now(UTC), depth=101)
    with pytest.raises(NotFoundError):
        history.events(lake, node("model-nowhere"))
