"""MLflow import from a real local tracking store that MLflow itself wrote.

The store (an MLflow file store in a temporary directory) holds two scikit-learn runs on the
wine data set (autologged params and training metrics, a test metric, train and test data set
inputs read from a CSV), each registering a version of "wine-clf" (version 2 has the alias
champion), and a run that logged no model.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from typer.testing import CliRunner

from modellake.cli import app
from modellake.errors import BadInputError
from modellake.lake import Lake
from modellake.mlflow_import import import_mlflow
from modellake.namespaces import DCTERMS, ML, PROV, RDF, RDFS
from modellake.store import Store

from .conftest import lake_on

mlflow = pytest.importorskip("mlflow")


@dataclass(frozen=True)
class Tracking:
    root: Path
    uri: str
    csv: Path
    source_name: str


def make_store(root: Path) -> Tracking:
    os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    from mlflow.tracking import MlflowClient

    uri = (root / "mlruns").as_uri()
    frame = load_wine(as_frame=True).frame
    csv = root / "wine.csv"
    frame.to_csv(csv, index=False)
    train, test = train_test_split(frame, test_size=0.3, random_state=0,
                                   stratify=frame["target"])
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        experiment = mlflow.set_experiment("wine")
        mlflow.sklearn.autolog(log_datasets=False, log_models=False, silent=True)
        for estimator in (LogisticRegression(C=0.5, max_iter=5000),
                          RandomForestClassifier(n_estimators=25, random_state=0)):
            with mlflow.start_run(experiment_id=experiment.experiment_id):
                for part, context in ((train, "training"), (test, "testing")):
                    mlflow.log_input(mlflow.data.from_pandas(
                        part, source=str(csv), name=f"wine-{context}", targets="target"),
                        context=context)
                X, y = train.drop(columns="target"), train["target"]
                estimator.fit(X, y)
                mlflow.log_metric("test_accuracy", estimator.score(
                    test.drop(columns="target"), test["target"]))
                mlflow.sklearn.log_model(estimator, name="model",
                                         serialization_format="cloudpickle",
                                         registered_model_name="wine-clf")
        mlflow.sklearn.autolog(disable=True)
        with mlflow.start_run(experiment_id=experiment.experiment_id, run_name="exploration"):
            mlflow.log_param("rows", len(frame))
        MlflowClient(uri, uri).set_registered_model_alias("wine-clf", "champion", "2")
        run = MlflowClient(uri, uri).search_runs([experiment.experiment_id])[0]
    finally:
        mlflow.set_tracking_uri(previous)
    return Tracking(root, uri, csv, run.data.tags["mlflow.source.name"])


@pytest.fixture(scope="module")
def tracking(tmp_path_factory: pytest.TempPathFactory) -> Tracking:
    return make_store(tmp_path_factory.mktemp("mlflow"))


@pytest.fixture
def lake(store: Store) -> Iterator[Lake]:
    yield lake_on(store)


def model_by_version(lake: Lake, version: str) -> URIRef:
    rows = lake.run_named_query("registry/model-versions", {"name": "wine-clf"}).rows
    assert sorted(str(r["version"]) for r in rows) == ["1", "2"]
    (row,) = [r for r in rows if str(r["version"]) == version]
    return URIRef(str(row["model"]))


def test_import_gives_models_versions_metrics_data_and_code(
    lake: Lake, tracking: Tracking,
) -> None:
    report = import_mlflow(lake, tracking.uri, experiments=["wine"])
    assert report.runs == 3 and len(report.imported_runs) == 2 and len(report.models) == 2
    assert report.problems == []
    assert len(report.skipped) == 1 and "exploration" in report.skipped[0]

    v1, v2 = model_by_version(lake, "1"), model_by_version(lake, "2")
    second = lake.describe(v2)
    assert second.value(v2, ML.registeredName) == Literal("wine-clf")
    assert set(second.objects(v2, ML.alias)) == {Literal("champion")}
    assert second.value(v2, PROV.wasRevisionOf) == v1
    assert (v1, ML.alias, None) not in lake.describe(v1)
    listed = {str(r["version"]): r for r in
              lake.run_named_query("registry/model-versions", {"name": "wine-clf"}).rows}
    assert str(listed["2"]["aliases"]) == "champion" and listed["2"]["revisionOf"] == v1

    lineage = lake.lineage(v2)
    algorithm = second.value(v2, ML.usesAlgorithm)
    assert lineage.value(algorithm, ML.algorithmFamily) == ML.RandomForest
    assert lineage.value(algorithm, ML.estimatorClass) == \
        Literal("sklearn.ensemble.RandomForestClassifier")
    settings = {str(lineage.value(s, ML.parameterName)): lineage.value(s, ML.parameterValue)
                for s in lineage.subjects(RDF.type, ML.HyperparameterSetting)}
    assert settings["n_estimators"] == Literal(25)
    assert settings["bootstrap"] == Literal(True)
    trained_on = lineage.value(v2, ML.trainedOn)
    assert lineage.value(trained_on, DCTERMS.title) == Literal("wine-training")
    assert str(lineage.value(trained_on, ML.storageLocation)) == str(tracking.csv)
    assert {str(n) for n in lineage.objects(None, ML.featureName)} >= \
        set(load_wine(as_frame=True).frame.columns)
    (code,) = set(lineage.objects(v2, ML.implementedBy))
    assert lineage.value(code, ML.filePath) == Literal(tracking.source_name)

    evaluations = {lineage.value(e, ML.evaluationMeasure): e
                   for e in lineage.subjects(ML.evaluatedModel, v2)}
    accuracy = [e for e in lineage.subjects(ML.evaluatedModel, v2)
                if lineage.value(e, ML.datasetSplit) == Literal("test")]
    assert len(accuracy) == 1
    (test_eval,) = accuracy
    assert lineage.value(test_eval, ML.evaluationMeasure) == ML.Accuracy
    test_data = lineage.value(test_eval, ML.evaluatedOn)
    assert lineage.value(test_data, DCTERMS.title) == Literal("wine-testing")
    assert ML.RocAuc in evaluations and ML.LogLoss in evaluations
    own = [m for m in evaluations if str(m).startswith(lake.base_iri)]
    labels = {str(lake.describe(URIRef(m)).value(URIRef(m), RDFS.label)) for m in own}
    assert "training_score" in labels  # no measure of the ontology: the lake's own node


def test_importing_again_writes_nothing_and_a_moved_alias_moves(
    lake: Lake, tracking: Tracking, tmp_path: Path,
) -> None:
    import_mlflow(lake, tracking.uri)
    quads = lake.store.quads()
    again = import_mlflow(lake, tracking.uri)
    assert again.written == 0 and lake.store.quads() == quads

    copy = tmp_path / "mlruns"
    shutil.copytree(tracking.root / "mlruns", copy)
    from mlflow.tracking import MlflowClient

    MlflowClient(copy.as_uri(), copy.as_uri()).set_registered_model_alias(
        "wine-clf", "champion", "1")
    moved = import_mlflow(lake, copy.as_uri())
    assert moved.written == 2  # the two versions, nothing else
    v1, v2 = model_by_version(lake, "1"), model_by_version(lake, "2")
    assert lake.describe(v1).value(v1, ML.alias) == Literal("champion")
    assert (v2, ML.alias, None) not in lake.describe(v2)
    _, models = lake.list_nodes(ML.Model)
    assert models == 2


def test_cli_imports_with_a_progress_bar_and_reports_errors(
    tracking: Tracking, tmp_path: Path,
) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "lake")]
    done = runner.invoke(app, [*data, "import", "mlflow", "--tracking-uri", tracking.uri,
                               "--experiment", "wine"])
    assert done.exit_code == 0, done.output
    assert "3 run(s) read, 2 imported with 2 model(s)" in done.output
    missing = runner.invoke(app, [*data, "import", "mlflow", "--tracking-uri", tracking.uri,
                                  "--experiment", "no such experiment"])
    assert missing.exit_code == 2
    assert "no experiment named 'no such experiment'" in missing.output


def test_a_clear_message_when_mlflow_is_not_installed(
    lake: Lake, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "mlflow.tracking", None)
    with pytest.raises(BadInputError, match=r"pip install 'modellake\[mlflow\]'"):
        import_mlflow(lake, "file:///nowhere")
