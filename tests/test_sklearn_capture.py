"""Model capture from scikit-learn, on both stores: the paper's Diabetes Predictor (an RBF SVC with
C=2.3 behind a StandardScaler, on scikit-learn's diabetes data binarised at the median) and a
random forest on iris; the numbers are checked against cross_validate with the same folds."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import pytest
from rdflib import Graph, Literal, URIRef
from sklearn.base import clone
from sklearn.datasets import load_diabetes, load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from modellake.errors import BadInputError, ConflictError, UnknownReferenceError
from modellake.lake import Lake
from modellake.namespaces import DCAT, ML, PROV, RDF, RDFS, XSD
from modellake.sklearn_capture import (
    algorithm_family,
    register_sklearn,
    register_sklearn_artifact,
    setting_value,
)
from modellake.store import Store
from modellake.typed_records import _segment

from .conftest import lake_on

BASE = "https://w3id.org/modellake/id/"
DIABETES = URIRef(BASE + "dataset-diabetes-binary")
IRIS = URIRef(BASE + "dataset-iris")
DIABETES_COLUMNS = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
IRIS_COLUMNS = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]


def _dataset(node: URIRef, title: str, columns: list[str], instances: int) -> str:
    features = [f"<{node}/feature/{_segment(c)}>" for c in columns]
    described = "\n".join(f'{f} a ml:Feature ; ml:featureName "{c}" .'
                          for f, c in zip(features, columns, strict=True))
    return f"""
<{node}> a ml:Dataset ; dct:title "{title}" ; ml:storageLocation "s3://lake/{title}.csv" ;
    ml:administrator id:agent-ada ; dct:created "2024-02-25"^^xsd:date ;
    ml:hasMetafeatures <{node}/metafeatures> ; ml:hasFeature {", ".join(features)} .
<{node}/metafeatures> a ml:DatasetMetafeatures ; ml:numberOfInstances {instances} ;
    ml:numberOfAttributes {len(columns)} .
{described}
"""


# The diabetes data set describes every column but s6, so one column stays unlinked.
FIXTURE = f"""
@prefix ml: <https://w3id.org/modellake#> . @prefix id: <{BASE}> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:agent-ada a ml:Person ; foaf:name "Ada" .
id:agent-ci a ml:Service ; foaf:name "CI runner" .
{_dataset(DIABETES, "Diabetes (binary)", DIABETES_COLUMNS[:-1], 442)}
{_dataset(IRIS, "Iris", IRIS_COLUMNS, 150)}
"""


def make_lake(store: Store) -> Lake:
    return lake_on(store, FIXTURE)


@pytest.fixture
def lake(store: Store) -> Lake:
    return make_lake(store)


def diabetes_xy() -> tuple[pd.DataFrame, pd.Series]:
    data = load_diabetes(as_frame=True)
    return data.data, (data.target > data.target.median()).astype(int)


def iris_xy() -> tuple[pd.DataFrame, pd.Series]:
    data = load_iris(as_frame=True)
    return data.data, data.target


def predictor(c: float = 2.3) -> Any:
    return make_pipeline(StandardScaler(), SVC(kernel="rbf", C=c))


FOLDS = StratifiedKFold(5, shuffle=True, random_state=0)


def capture_predictor(lake: Lake, c: float = 2.3, **options: Any) -> Any:
    X, y = diabetes_xy()
    return register_sklearn(
        lake, predictor(c), trained_on="dataset-diabetes-binary", X=X, y=y,
        title=f"Diabetes Predictor C={c}", administrator="agent-ada", cv=FOLDS,
        scoring=["accuracy", "roc_auc"], **options)


def one(graph: Graph, subject: URIRef, predicate: URIRef) -> Any:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def test_the_diabetes_predictor_card_is_captured(lake: Lake, tmp_path: Path) -> None:
    X, y = diabetes_xy()
    estimator = predictor()
    expected = cross_validate(clone(estimator), X, y, cv=FOLDS, scoring=["accuracy", "roc_auc"])
    artifact = tmp_path / "modelDP.joblib"
    result = register_sklearn(
        lake, estimator, trained_on="dataset-diabetes-binary", X=X, y=y,
        title="Diabetes Predictor", model_id="model-diabetes-predictor",
        administrator="agent-ada", agent="agent-ci", cv=FOLDS, scoring=["accuracy", "roc_auc"],
        code=Path(__file__), artifact_path=artifact, purpose="Early detection of diabetes.",
        lifecycle_stage="development")
    model = URIRef(BASE + "model-diabetes-predictor")
    assert result.model == model
    g = lake.lineage(model)

    # the model
    assert one(g, model, ML.trainedOn) == DIABETES
    assert one(g, model, ML.administrator) == URIRef(BASE + "agent-ada")
    assert one(g, model, ML.lifecycleStage) == ML.Development
    assert one(g, model, PROV.wasGeneratedBy) == result.training
    # the algorithm: a lake node for the estimator class, in the SVM family
    algorithm = one(g, model, ML.usesAlgorithm)
    assert algorithm == result.algorithm == URIRef(BASE + "algorithm-sklearn-svm-svc")
    assert (algorithm, RDF.type, ML.Algorithm) in g
    assert str(one(g, algorithm, RDFS.label)) == "SVC"
    assert str(one(g, algorithm, ML.estimatorClass)) == "sklearn.svm.SVC"
    assert one(g, algorithm, ML.algorithmFamily) == ML.SupportVectorMachine
    # every hyperparameter, typed
    hyper = one(g, model, ML.hasHyperparameterSet)
    settings = {str(one(g, s, ML.parameterName)): one(g, s, ML.parameterValue)
                for s in g.objects(hyper, ML.hasSetting)}
    params = estimator.get_params(deep=True)
    assert set(settings) == set(params)
    assert settings["svc__C"] == Literal("2.3", datatype=XSD.double)
    assert settings["svc__kernel"] == Literal("rbf")
    assert settings["svc__shrinking"] == Literal(True)
    assert settings["svc__degree"] == Literal(3)
    assert settings["svc__random_state"] == Literal("None")
    assert settings["svc"] == Literal("SVC")
    assert str(settings["steps"]) == '[["standardscaler", "StandardScaler"], ["svc", "SVC"]]'
    # the training run
    training = result.training
    assert (training, RDF.type, ML.Training) in g
    assert set(g.objects(training, PROV.used)) >= {DIABETES, hyper}
    assert model in set(g.objects(training, PROV.generated))
    assert one(g, training, ML.usesAlgorithm) == algorithm
    assert str(one(g, training, ML.trainingMethod)) == "5-fold cross-validation (StratifiedKFold)"
    assert one(g, training, PROV.wasAssociatedWith) == URIRef(BASE + "agent-ci")
    assert str(one(g, training, ML.library)).startswith("scikit-learn ")
    assert one(g, training, PROV.startedAtTime).toPython() <= one(
        g, training, PROV.endedAtTime).toPython()
    # one measured evaluation per metric, mean and std over the same folds
    evaluations = {one(g, e, ML.evaluationMeasure): e
                   for e in g.subjects(ML.evaluatedModel, model)}
    assert set(evaluations) == {ML.Accuracy, ML.RocAuc}
    for name, measure in (("accuracy", ML.Accuracy), ("roc_auc", ML.RocAuc)):
        e = evaluations[measure]
        assert (e, RDF.type, ML.MeasuredEvaluation) in g
        scores = expected[f"test_{name}"]
        assert float(one(g, e, ML.value)) == pytest.approx(scores.mean(), rel=1e-12)
        assert float(one(g, e, ML.valueStandardDeviation)) == pytest.approx(scores.std(),
                                                                             rel=1e-12)
        assert one(g, e, ML.evaluatedOn) == DIABETES
        assert one(g, e, ML.evaluationMethod) == ML.CrossValidation
        assert one(g, e, ML.numberOfFolds) == Literal(5)
        assert one(g, e, PROV.generatedAtTime).datatype == XSD.dateTime
        assert result.scores[name].mean == pytest.approx(scores.mean(), rel=1e-12)
    # the artifact, its hash, and the features it was trained on
    digest = hashlib.sha256(artifact.read_bytes()).hexdigest()
    assert str(one(g, model, ML.contentHash)) == f"sha256:{digest}"
    assert str(one(g, model, ML.fileFormat)) == "joblib"
    assert int(one(g, model, DCAT.byteSize)) == artifact.stat().st_size
    assert str(one(g, model, ML.storageLocation)) == str(artifact.resolve())
    assert joblib.load(artifact).predict(X.iloc[:3]).shape == (3,)  # saved fitted
    linked = set(g.objects(model, ML.trainedOnFeature))
    assert linked == {URIRef(f"{DIABETES}/feature/{c}") for c in DIABETES_COLUMNS[:-1]}
    assert result.unmatched_columns == ["s6"] and any("s6" in n for n in result.notes)
    # the code
    code = one(g, model, ML.implementedBy)
    assert one(g, training, ML.implementedBy) == code == result.code
    assert str(one(g, code, ML.filePath)).endswith("test_sklearn_capture.py")
    source = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    assert str(one(g, code, ML.contentHash)) == f"sha256:{source}"
    commits = [str(c) for c in g.objects(code, ML.commit)]
    assert all(len(c) == 40 for c in commits)  # present when the tests run in a git checkout


def test_a_random_forest_on_iris(lake: Lake) -> None:
    X, y = iris_xy()
    forest = RandomForestClassifier(n_estimators=5, random_state=0)
    scoring = ["accuracy", "f1_macro", "neg_log_loss"]
    result = register_sklearn(lake, forest, trained_on=IRIS, X=X, y=y, title="Iris forest",
                              administrator="agent-ada", cv=3, random_state=1, scoring=scoring)
    folds = StratifiedKFold(3, shuffle=True, random_state=1)
    expected = cross_validate(clone(forest), X, y, cv=folds, scoring=scoring)
    g = lake.lineage(result.model)
    assert one(g, result.algorithm, ML.algorithmFamily) == ML.RandomForest
    assert str(one(g, result.algorithm, ML.estimatorClass)) == (
        "sklearn.ensemble.RandomForestClassifier")
    by_measure = {one(g, e, ML.evaluationMeasure): e
                  for e in g.subjects(ML.evaluatedModel, result.model)}
    assert set(by_measure) == {ML.Accuracy, ML.F1, ML.LogLoss}
    # neg_log_loss is stored as the log loss itself (positive), and the result says so
    log_loss = float(one(g, by_measure[ML.LogLoss], ML.value))
    assert log_loss == pytest.approx(-expected["test_neg_log_loss"].mean(), rel=1e-12)
    assert log_loss > 0 and result.scores["neg_log_loss"].negated
    assert any("neg_log_loss" in n for n in result.notes)
    assert float(one(g, by_measure[ML.F1], ML.value)) == pytest.approx(
        expected["test_f1_macro"].mean(), rel=1e-12)
    # column names with spaces and parentheses match the %-encoded feature parts
    assert len(result.features) == 4 and not result.unmatched_columns
    assert URIRef(f"{IRIS}/feature/sepal%20length%20%28cm%29") in set(
        g.objects(result.model, ML.trainedOnFeature))
    settings = {str(one(g, s, ML.parameterName)): one(g, s, ML.parameterValue)
                for s in g.objects(one(g, result.model, ML.hasHyperparameterSet), ML.hasSetting)}
    assert settings["n_estimators"] == Literal(5) and settings["max_depth"] == Literal("None")
    assert result.code is None and any("no code" in n for n in result.notes)
    forest.predict(X.iloc[:2])  # fitted on all the data


def test_a_second_capture_reuses_the_algorithm_node(lake: Lake) -> None:
    first = capture_predictor(lake, 2.3, code=Path(__file__))
    revision = lake.revision(first.algorithm)
    second = capture_predictor(lake, 1.0, code=Path(__file__))
    assert second.code == first.code  # the same file at the same commit: one code node
    assert first.algorithm_created and not second.algorithm_created
    assert second.algorithm == first.algorithm
    assert lake.revision(first.algorithm) == revision  # not rewritten
    assert one(lake.describe(second.model), second.model, ML.usesAlgorithm) == first.algorithm
    items, total = lake.list_nodes(ML.Algorithm)
    assert total == 1 and items[0]["iri"] == str(first.algorithm)


@pytest.mark.parametrize("change", [{"trained_on": "dataset-nowhere"},
                                    {"administrator": "agent-nobody"}])
def test_unknown_references_store_nothing(lake: Lake, tmp_path: Path,
                                          change: dict[str, str]) -> None:
    X, y = iris_xy()
    before = lake.store.quads()
    options: dict[str, Any] = {"trained_on": IRIS, "administrator": "agent-ada", **change}
    with pytest.raises(UnknownReferenceError, match=r"nowhere|nobody"):
        register_sklearn(lake, RandomForestClassifier(n_estimators=2), X=X, y=y, title="x",
                         artifact_path=tmp_path / "m.joblib", **options)
    assert lake.store.quads() == before
    assert not (tmp_path / "m.joblib").exists()


def test_bad_input_is_refused_before_any_work(lake: Lake) -> None:
    X, y = iris_xy()
    before = lake.store.quads()
    forest = RandomForestClassifier(n_estimators=2)
    common: dict[str, Any] = {"trained_on": IRIS, "title": "x", "administrator": "agent-ada"}
    with pytest.raises(BadInputError, match="150 samples but y has 149"):
        register_sklearn(lake, forest, X=X, y=y[:-1], **common)
    with pytest.raises(BadInputError, match="explained_variance"):
        register_sklearn(lake, forest, X=X, y=y, scoring="explained_variance", **common)
    with pytest.raises(BadInputError, match="not fitted"):
        register_sklearn(lake, forest, X=X, y=y, fit=False, **common)
    with pytest.raises(BadInputError, match="stage"):
        register_sklearn(lake, forest, X=X, y=y, lifecycle_stage="beta", **common)
    with pytest.raises(BadInputError, match="no code file"):
        register_sklearn(lake, forest, X=X, y=y, code="no/such/train.py", **common)
    with pytest.raises(ConflictError, match="already exists"):
        register_sklearn(lake, forest, X=X, y=y, model_id="dataset-iris", **common)
    assert lake.store.quads() == before


def test_a_saved_artifact_and_a_csv_are_captured(lake: Lake, tmp_path: Path) -> None:
    X, y = iris_xy()
    forest = RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    artifact = tmp_path / "forest.joblib"
    joblib.dump(forest, artifact)
    data = tmp_path / "iris.csv"
    X.assign(species=y, note="extra column the model does not use").to_csv(data, index=False)
    result = register_sklearn_artifact(
        lake, artifact, trained_on="dataset-iris", data_path=data, target="species",
        title="Iris forest (saved)", administrator="agent-ada", cv=3,
        scoring=["accuracy"], model_id="model-iris-saved")
    assert result.artifact is not None and not result.artifact.written
    g = lake.describe(result.model)
    digest = hashlib.sha256(artifact.read_bytes()).hexdigest()
    assert str(one(g, result.model, ML.contentHash)) == f"sha256:{digest}"
    assert len(result.features) == 4  # the model's own input columns, not "note"
    with pytest.raises(BadInputError, match="no column 'label'"):
        register_sklearn_artifact(lake, artifact, trained_on="dataset-iris", data_path=data,
                                  target="label", title="x", administrator="agent-ada")


def test_setting_values_are_typed() -> None:
    assert setting_value(None) == Literal("None")
    assert setting_value(True) == Literal(True)
    assert setting_value(np.int64(7)) == Literal(7)
    assert setting_value(np.float64(0.5)) == Literal("0.5", datatype=XSD.double)
    assert setting_value(float("inf")) == Literal("INF", datatype=XSD.double)
    assert setting_value(StandardScaler()) == Literal("StandardScaler")
    assert setting_value({"a": None, "b": [1, 2.5]}) == Literal('{"a": "None", "b": [1, 2.5]}')
    assert setting_value(len) == Literal("len")


def test_algorithm_families() -> None:
    assert algorithm_family("SVR") == ML.SupportVectorMachine
    assert algorithm_family("HistGradientBoostingClassifier") == ML.GradientBoosting
    assert algorithm_family("Ridge") == ML.LinearRegression
    assert algorithm_family("GaussianNB") == ML.NaiveBayes
    assert algorithm_family("MLPRegressor") == ML.NeuralNetwork
    assert algorithm_family("KMeans") is None
