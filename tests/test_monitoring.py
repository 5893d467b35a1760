"""Monitoring, on both stores: evaluations recorded over time, and the named query that flags
models whose latest measured score dropped more than a margin below their first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from rdflib import Graph, URIRef
from sklearn.ensemble import RandomForestClassifier

from modellake.errors import BadInputError, NotFoundError, UnknownReferenceError
from modellake.lake import Lake
from modellake.namespaces import ML, PROV
from modellake.sklearn_capture import record_evaluation, register_sklearn
from modellake.store import Store

from .test_sklearn_capture import BASE, IRIS, iris_xy, make_lake

MODELS = f"""
@prefix ml: <https://w3id.org/modellake#> . @prefix id: <{BASE}> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:model-drifting a ml:Model ; dct:title "Drifting" ; ml:usesAlgorithm ml:RandomForest ;
    ml:trainedOn id:dataset-iris ; ml:administrator id:agent-ada ;
    dct:created "2024-01-01"^^xsd:date .
id:model-stable a ml:Model ; dct:title "Stable" ; ml:usesAlgorithm ml:RandomForest ;
    ml:trainedOn id:dataset-iris ; ml:administrator id:agent-ada ;
    dct:created "2024-01-01"^^xsd:date .
id:model-regressor a ml:Model ; dct:title "Regressor" ; ml:usesAlgorithm ml:LinearRegression ;
    ml:trainedOn id:dataset-iris ; ml:administrator id:agent-ada ;
    dct:created "2024-01-01"^^xsd:date .
id:evaluation-drifting-claimed a ml:ClaimedEvaluation ; ml:evaluatedModel id:model-drifting ;
    ml:evaluationMeasure ml:Accuracy ; ml:value 0.99 .
"""
DRIFTING, STABLE, REGRESSOR = (URIRef(BASE + f"model-{n}")
                               for n in ("drifting", "stable", "regressor"))


def day(n: int) -> datetime:
    return datetime(2024, 1, 1, 12, tzinfo=UTC) + timedelta(days=n)


@pytest.fixture
def lake(store: Store) -> Lake:
    lake = make_lake(store)
    lake.register(Graph().parse(data=MODELS, format="turtle"))
    history = [
        (DRIFTING, "accuracy", [0.90, 0.86, 0.80]),  # drops by 0.10
        (DRIFTING, "f1", [0.70, 0.70, 0.71]),
        (STABLE, "accuracy", [0.90, 0.92, 0.895]),  # 0.005 below the first: noise
        (REGRESSOR, "MSE", [10.0, 10.2, 10.5]),  # an error measure: higher is worse
    ]
    for model, measure, values in history:
        for n, value in enumerate(values):
            record_evaluation(lake, model, measure=measure, value=value, evaluated_on=IRIS,
                              at=day(30 * n), method="hold-out")
    return lake


def drops(lake: Lake, margin: float, measure: str | None = None) -> dict[tuple[str, str], dict]:
    params: dict[str, object] = {"margin": margin}
    if measure:
        params["measure"] = measure
    rows = lake.run_named_query("monitoring/score-drop", params).rows
    return {(str(r["model"]), str(r["measure"])): {k: v.toPython() for k, v in r.items()}
            for r in rows}


def test_a_drop_beyond_the_margin_is_flagged(lake: Lake) -> None:
    flagged = drops(lake, 0.05)
    assert set(flagged) == {(str(DRIFTING), str(ML.Accuracy)),
                            (str(REGRESSOR), str(ML.MeanSquaredError))}
    row = flagged[(str(DRIFTING), str(ML.Accuracy))]
    assert row["title"] == "Drifting"
    assert float(row["firstValue"]) == pytest.approx(0.90)
    assert float(row["latestValue"]) == pytest.approx(0.80)
    assert float(row["drop"]) == pytest.approx(0.10)
    assert row["firstDate"] == day(0) and row["latestDate"] == day(60)
    assert float(flagged[(str(REGRESSOR), str(ML.MeanSquaredError))]["drop"]) == (
        pytest.approx(0.5))


def test_margins_and_measures(lake: Lake) -> None:
    assert set(drops(lake, 0.2)) == {(str(REGRESSOR), str(ML.MeanSquaredError))}
    assert drops(lake, 1) == {}
    assert set(drops(lake, 0.05, str(ML.Accuracy))) == {(str(DRIFTING), str(ML.Accuracy))}
    assert drops(lake, 0.0, str(ML.F1)) == {}  # F1 went up
    # the stable model's wobble stays within any useful margin; only 0 catches it
    assert not [k for k in drops(lake, 0.01) if k[0] == str(STABLE)]
    assert (str(STABLE), str(ML.Accuracy)) in drops(lake, 0.0)
    # the default margin is 0.05
    default = lake.run_named_query("monitoring/score-drop", {}).rows
    assert len(default) == 2


def test_recorded_evaluations_are_dated_measured_nodes(lake: Lake) -> None:
    node = record_evaluation(lake, STABLE, measure="ml:Accuracy", value=0.5,
                             evaluated_on="dataset-iris", at=datetime(2025, 1, 1), std=0.01)
    g = lake.describe(node)
    assert (node, ML.evaluatedModel, STABLE) in g
    assert next(g.objects(node, PROV.generatedAtTime)).toPython() == datetime(
        2025, 1, 1, tzinfo=UTC)  # a naive time is taken as UTC
    assert float(next(g.objects(node, ML.valueStandardDeviation))) == 0.01
    assert (str(STABLE), str(ML.Accuracy)) in drops(lake, 0.3)
    with pytest.raises(NotFoundError):
        record_evaluation(lake, "model-nowhere", measure="accuracy", value=0.5,
                          evaluated_on=IRIS)
    with pytest.raises(NotFoundError):  # a data set is not a model
        record_evaluation(lake, IRIS, measure="accuracy", value=0.5, evaluated_on=IRIS)
    with pytest.raises(UnknownReferenceError):
        record_evaluation(lake, STABLE, measure="accuracy", value=0.5,
                          evaluated_on="dataset-nowhere")
    with pytest.raises(BadInputError, match="unknown evaluation measure"):
        record_evaluation(lake, STABLE, measure="happiness", value=0.5, evaluated_on=IRIS)
    with pytest.raises(BadInputError):
        record_evaluation(lake, STABLE, measure="accuracy", value=float("nan"),
                          evaluated_on=IRIS)


def test_a_captured_model_monitored_on_new_data(lake: Lake) -> None:
    X, y = iris_xy()
    result = register_sklearn(lake, RandomForestClassifier(n_estimators=3, random_state=0),
                              trained_on=IRIS, X=X, y=y, title="Iris forest", cv=3,
                              administrator="agent-ada", scoring=["accuracy"])
    first = result.scores["accuracy"].mean
    record_evaluation(lake, result.model, measure="accuracy", value=first - 0.01,
                      evaluated_on=IRIS, at=datetime.now(UTC) + timedelta(days=1))
    assert (str(result.model), str(ML.Accuracy)) not in drops(lake, 0.05)
    record_evaluation(lake, result.model, measure="accuracy", value=first - 0.1,
                      evaluated_on=IRIS, at=datetime.now(UTC) + timedelta(days=2))
    row = drops(lake, 0.05)[(str(result.model), str(ML.Accuracy))]
    assert float(row["firstValue"]) == pytest.approx(first)
    assert float(row["drop"]) == pytest.approx(0.1)
    assert isinstance(row["drop"], float | Decimal)
