"""Model comparison, on both stores: captured models side by side, with differing rows marked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rich.console import Console
from sklearn.ensemble import RandomForestClassifier

from modellake.compare import Comparison, Row, compare_models
from modellake.errors import BadInputError, NotFoundError
from modellake.lake import Lake
from modellake.sklearn_capture import CaptureResult, register_sklearn
from modellake.store import Store

from .test_sklearn_capture import DIABETES, capture_predictor, diabetes_xy, make_lake

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "diabetes.ttl"


@pytest.fixture
def lake(store: Store) -> Lake:
    return make_lake(store)


def row(comparison: Comparison, aspect: str, name: str) -> Row:
    return next(r for r in comparison.rows if (r.aspect, r.name) == (aspect, name))


def forest(lake: Lake) -> CaptureResult:
    X, y = diabetes_xy()
    return register_sklearn(lake, RandomForestClassifier(n_estimators=5, random_state=0),
                            trained_on=DIABETES, X=X, y=y, title="Diabetes forest", cv=3,
                            administrator="agent-ada", scoring=["accuracy"])


def test_two_svms_differ_in_c_only(lake: Lake) -> None:
    strong, weak = capture_predictor(lake, 2.3), capture_predictor(lake, 0.5)
    comparison = compare_models(lake, [strong.model, weak.model])
    assert [m.title for m in comparison.models] == ["Diabetes Predictor C=2.3",
                                                    "Diabetes Predictor C=0.5"]
    c = row(comparison, "hyperparameter", "svc__C")
    assert c.values == (2.3, 0.5) and c.differs
    kernel = row(comparison, "hyperparameter", "svc__kernel")
    assert kernel.values == ("rbf", "rbf") and not kernel.differs
    algorithm = row(comparison, "algorithm", "algorithm")
    assert algorithm.values == ("support vector machine",) * 2 and not algorithm.differs
    data = row(comparison, "training data", "data sets")
    assert data.values == ("Diabetes (binary)",) * 2 and not data.differs
    instances = row(comparison, "meta-feature", "number of instances")
    assert instances.values == (442, 442) and not instances.differs
    features = row(comparison, "training data", "features")
    assert not features.differs and len(features.values[0]) == 9  # type: ignore[arg-type]
    accuracy = row(comparison, "evaluation", "accuracy")
    assert accuracy.values[0]["value"] == pytest.approx(  # type: ignore[index]
        strong.scores["accuracy"].mean)
    assert accuracy.values[0]["std"] == pytest.approx(  # type: ignore[index]
        strong.scores["accuracy"].std)
    assert {r.name for r in comparison.differences} >= {"svc__C", "accuracy", "title"}
    assert "svc__gamma" not in {r.name for r in comparison.differences}


def test_an_svm_and_a_forest_differ_in_algorithm(lake: Lake) -> None:
    svm, trees = capture_predictor(lake), forest(lake)
    comparison = compare_models(lake, [svm.model, trees.model])
    algorithm = row(comparison, "algorithm", "algorithm")
    assert algorithm.values == ("support vector machine", "random forest") and algorithm.differs
    assert row(comparison, "algorithm", "estimator class").values == (
        "sklearn.svm.SVC", "sklearn.ensemble.RandomForestClassifier")
    assert row(comparison, "hyperparameter", "n_estimators").values == (None, 5)
    assert row(comparison, "hyperparameter", "svc__C").values == (2.3, None)
    assert not row(comparison, "training data", "data sets").differs
    assert not row(comparison, "meta-feature", "number of attributes").differs
    # every output form
    document = json.loads(json.dumps(comparison.to_json()))
    assert document["differences"] == len(comparison.differences)
    assert [m["id"] for m in document["models"]] == [lake.local_id(svm.model),
                                                     lake.local_id(trees.model)]
    frame = comparison.to_frame()
    assert frame.loc[("algorithm", "algorithm"), "differs"]
    assert frame.loc[("hyperparameter", "svc__C"), lake.local_id(svm.model)] == 2.3
    console = Console(record=True, width=200)
    console.print(comparison.to_table())
    text = console.export_text()
    assert "≠" in text and "random forest" in text and "Diabetes forest" in text


def test_a_hand_registered_model_compares_with_a_captured_one(lake: Lake) -> None:
    lake.register(Graph().parse(EXAMPLE, format="turtle"))
    captured = capture_predictor(lake)
    comparison = compare_models(lake, ["model-diabetes-predictor", captured.model])
    # ml:SupportVectorMachine stated directly, or reached through the algorithm's family
    assert not row(comparison, "algorithm", "algorithm").differs
    assert row(comparison, "hyperparameter", "C").values == (2.3, None)
    assert row(comparison, "evaluation", "accuracy").differs
    assert row(comparison, "training data", "data sets").values == ("Diabetes",
                                                                    "Diabetes (binary)")
    assert row(comparison, "model", "lifecycle stage").values == ("development", None)


def test_what_cannot_be_compared(lake: Lake) -> None:
    svm = capture_predictor(lake)
    with pytest.raises(BadInputError, match="at least two"):
        compare_models(lake, [svm.model])
    with pytest.raises(BadInputError, match="at least two"):
        compare_models(lake, [svm.model, svm.model])
    with pytest.raises(NotFoundError, match="model-nowhere"):
        compare_models(lake, [svm.model, "model-nowhere"])
    with pytest.raises(NotFoundError, match="dataset-diabetes-binary"):
        compare_models(lake, [svm.model, DIABETES])  # a data set is not a model
