"""The demo lake `make run` serves: real data, real scores, full lineage."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from sklearn.datasets import load_diabetes
from sklearn.model_selection import cross_val_score

from modellake.demo import build_demo_lake
from modellake.lake import Lake
from modellake.namespaces import ML, PROV, RDF
from modellake.resources import example_file
from modellake.store import EmbeddedStore

from .conftest import lake_on


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    lake = lake_on(EmbeddedStore())
    models = build_demo_lake(lake, tmp_path_factory.mktemp("demo"), progress=False)
    assert len(models) == 20
    return lake


def test_building_twice_changes_nothing(demo: Lake, tmp_path: Path) -> None:
    before = demo.store.quads()
    assert build_demo_lake(demo, tmp_path, progress=False) == []
    assert demo.store.quads() == before


def test_the_diabetes_predictor_has_its_real_accuracy(demo: Lake) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("modelDP", example_file("modelDP.py"))
    assert spec is not None and spec.loader is not None
    model_dp = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model_dp)
    data = model_dp.labelled(load_diabetes(as_frame=True).frame)
    X, y = data.drop(columns=[model_dp.TARGET]), data[model_dp.TARGET]
    expected = cross_val_score(model_dp.diabetes_predictor(), X, y, cv=model_dp.folds(),
                               scoring="accuracy").mean()
    rows = demo.sparql("""PREFIX ml: <https://w3id.org/modellake#>
        PREFIX id: <https://w3id.org/modellake/id/>
        SELECT ?v WHERE { ?e ml:evaluatedModel id:model-diabetes-predictor ;
          ml:evaluationMeasure ml:Accuracy ; ml:evaluationMethod ml:CrossValidation ;
          ml:value ?v }""")
    (row,) = rows.rows
    assert float(row["v"]) == pytest.approx(expected, abs=1e-12)  # type: ignore[arg-type]


def test_lineage_reaches_the_source_file_through_every_operation(demo: Lake) -> None:
    model = demo.node_iri("model-diabetes-predictor")
    graph = demo.lineage(model)
    kinds = {o for o in graph.objects(None, RDF.type)}
    assert {ML.Ingestion, ML.Cleaning, ML.Transformation, ML.Training, ML.FileSource} <= kinds
    assert demo.node_iri("source-diabetes-csv") in set(graph.subjects())
    settings = {str(graph.value(s, ML.parameterName)): graph.value(s, ML.parameterValue)
                for s in graph.subjects(RDF.type, ML.HyperparameterSetting)}
    assert settings["svc__C"] == Literal(2.3) and str(settings["svc__kernel"]) == "rbf"
    for operation in graph.subjects(RDF.type, ML.Operation):
        assert graph.value(operation, PROV.wasAssociatedWith) is not None, operation
    code = {str(graph.value(c, ML.filePath)) for c in graph.subjects(RDF.type, ML.Code)}
    assert any(path.endswith("modelDP.py") for path in code)


def test_monitoring_flags_the_drifting_model(demo: Lake) -> None:
    rows = demo.run_named_query("monitoring/score-drop", {"margin": "0.05"}).rows
    assert [str(r["model"]) for r in rows] == [str(demo.node_iri("model-diabetes-predictor"))]
    assert demo.run_named_query("monitoring/score-drop", {"margin": "0.2"}).rows == []


def test_models_compare(demo: Lake) -> None:
    comparison = demo.compare(["model-wine-svm", "model-wine-random-forest"])
    differing = {r.name for r in comparison.differences}
    same = {r.name for r in comparison.rows if not r.differs}
    assert "algorithm" in differing
    assert any("Wine" in str(v) for r in comparison.rows for v in r.values)
    assert same, "the two models share their training data"
    assert isinstance(comparison.models[0].iri, URIRef)
