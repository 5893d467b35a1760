"""Versions on both stores: the version line of models and data sets, aliases that point at one
version and move by recorded writes, and the diff of two model versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from modellake import history
from modellake.errors import BadInputError, NotFoundError
from modellake.lake import Lake
from modellake.namespaces import ML
from modellake.store import Store
from modellake.versions import diff, set_alias, version_line

from .conftest import lake_on
from .test_history import tick

BASE = "https://w3id.org/modellake/id/"
PREFIXES = f"""
@prefix ml: <https://w3id.org/modellake#> . @prefix id: <{BASE}> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""
FIXTURE = PREFIXES + """
id:agent-ada a ml:Person ; foaf:name "Ada" .
id:dataset-2023 a ml:Dataset ; dct:title "Claims 2023" ; ml:storageLocation "s3://l/2023.csv" ;
    ml:owner id:agent-ada ; dct:created "2024-01-01"^^xsd:date .
id:dataset-2024 a ml:Dataset ; dct:title "Claims 2024" ; ml:storageLocation "s3://l/2024.csv" ;
    ml:owner id:agent-ada ; dct:created "2025-01-01"^^xsd:date .
id:algorithm-svm a ml:Algorithm ; dct:title "SVM" ; ml:algorithmFamily ml:SupportVectorMachine .
"""


def model(local: str, *, c: float, data: str, created: str, accuracy: float,
          extra: str = "") -> str:
    return PREFIXES + f"""
id:{local} a ml:Model ; dct:title "Fraud model" ; ml:usesAlgorithm id:algorithm-svm ;
    ml:trainedOn id:{data} ; ml:administrator id:agent-ada ;
    dct:created "{created}"^^xsd:dateTime ; ml:hasHyperparameterSet id:{local}-hp {extra} .
id:{local}-hp a ml:HyperparameterSet ; ml:hasSetting <{BASE}{local}-hp/setting/C> ,
    <{BASE}{local}-hp/setting/kernel> .
<{BASE}{local}-hp/setting/C> a ml:HyperparameterSetting ; ml:parameterName "C" ;
    ml:parameterValue {c} .
<{BASE}{local}-hp/setting/kernel> a ml:HyperparameterSetting ; ml:parameterName "kernel" ;
    ml:parameterValue "rbf" .
id:{local}-accuracy a ml:MeasuredEvaluation ; ml:evaluatedModel id:{local} ;
    ml:evaluationMeasure ml:Accuracy ; ml:value {accuracy} ; ml:evaluatedOn id:{data} .
"""


def node(local: str) -> URIRef:
    return URIRef(BASE + local)


@pytest.fixture
def lake(store: Store) -> Lake:
    lake = lake_on(store, FIXTURE)
    for text in (
        model("model-v1", c=1.0, data="dataset-2023", created="2024-02-01T10:00:00Z",
              accuracy=0.81, extra='; dcat:version "1.0"'),
        model("model-v2", c=2.3, data="dataset-2024", created="2025-02-01T10:00:00Z",
              accuracy=0.86, extra='; dcat:version "2.0" ; prov:wasRevisionOf id:model-v1 ; '
              'dct:description "Retrained on 2024 claims." '),
        model("model-v3", c=2.3, data="dataset-2024", created="2025-06-01T10:00:00Z",
              accuracy=0.87, extra='; prov:wasRevisionOf id:model-v2'),
        model("model-other", c=1.0, data="dataset-2023", created="2024-03-01T10:00:00Z",
              accuracy=0.7),
    ):
        lake.register(Graph().parse(data=text, format="turtle"))
    return lake


def test_the_version_line_newest_first(lake: Lake) -> None:
    for member in ("model-v1", "model-v2", "model-v3"):
        line = version_line(lake, node(member))
        assert [v.id for v in line] == ["model-v3", "model-v2", "model-v1"]
    line = version_line(lake, node("model-v2"))
    assert [v.label for v in line] == [None, "2.0", "1.0"]
    assert line[0].revision_of == [str(node("model-v2"))] and line[2].revision_of == []
    assert [v.id for v in version_line(lake, node("model-other"))] == ["model-other"]
    with pytest.raises(NotFoundError):
        version_line(lake, node("agent-ada"))
    with pytest.raises(NotFoundError):
        version_line(lake, node("model-nowhere"))


def test_data_set_versions_come_from_ingestion(store: Store, tmp_path: Path) -> None:
    lake = lake_on(store, FIXTURE)
    path = tmp_path / "claims.csv"
    path.write_text("amount,fraud\n10,0\n20,1\n")
    first = lake.ingest(path, owner="agent-ada", target="fraud")
    path.write_text("amount,fraud\n10,0\n20,1\n30,0\n")
    second = lake.ingest(path, owner="agent-ada", target="fraud")
    line = version_line(lake, first.dataset)
    assert [v.iri for v in line] == [str(second.dataset), str(first.dataset)]


def test_an_alias_points_at_one_version_and_moves_by_recorded_writes(lake: Lake) -> None:
    created = set_alias(lake, node("model-v2"), "production")
    assert created.changed and created.previous is None
    assert version_line(lake, node("model-v1"))[1].aliases == ["production"]
    pointed = tick()
    moved = set_alias(lake, node("model-v3"), "production")
    assert moved.alias == created.alias and moved.previous == node("model-v2")
    line = version_line(lake, node("model-v1"))
    assert [v.aliases for v in line] == [["production"], [], []]
    again = set_alias(lake, node("model-v3"), "production")
    assert not again.changed
    # every move is in the audit trail, and the alias can be read as it was
    assert [e["action"] for e in history.events(lake, moved.alias)] == ["create", "replace"]
    then = history.describe_at(lake, moved.alias, pointed)
    assert then.graph.value(moved.alias, ML.aliasFor) == node("model-v2")
    # another line has its own alias of the same name
    other = set_alias(lake, node("model-other"), "production")
    assert other.alias != moved.alias
    assert version_line(lake, node("model-v3"))[0].aliases == ["production"]


def test_bad_aliases_change_nothing(lake: Lake) -> None:
    before = lake.store.quads()
    for name in ("Production", "prod model", "", "x" * 41, "9lives"):
        with pytest.raises(BadInputError):
            set_alias(lake, node("model-v1"), name)
    with pytest.raises(NotFoundError):
        set_alias(lake, node("dataset-2023"), "production")
    assert lake.store.quads() == before


def test_diff_of_two_versions(lake: Lake) -> None:
    result = diff(lake, node("model-v1"), node("model-v2"))
    changes = {(c.aspect, c.name): c for c in result.changes}
    c = changes[("hyperparameter", "C")]
    assert (c.change, c.old, c.new) == ("changed", 1.0, 2.3)
    assert ("hyperparameter", "kernel") not in changes
    data = changes[("training data", "data sets")]
    assert (data.old, data.new) == ("Claims 2023", "Claims 2024")
    accuracy = changes[("evaluation", "accuracy")]
    assert accuracy.change == "changed"
    assert accuracy.old["value"] == 0.81 and accuracy.new["value"] == 0.86  # type: ignore[index]
    description = changes[("documentation", "description")]
    assert (description.change, description.old) == ("added", None)
    assert changes[("documentation", "version label")].new == "2.0"
    assert changes[("documentation", "revision of")].change == "added"
    assert ("documentation", "title") not in changes
    # the other way round, added becomes removed
    back = {(c.aspect, c.name): c.change for c in diff(lake, node("model-v2"),
                                                       node("model-v1")).changes}
    assert back[("documentation", "description")] == "removed"
    counts = result.to_json()["counts"]
    assert counts["added"] >= 2 and counts["changed"] >= 3
    assert diff(lake, node("model-v2"), node("model-v2")).changes == []
    with pytest.raises(NotFoundError):
        diff(lake, node("model-v1"), node("dataset-2023"))
