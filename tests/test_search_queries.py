"""The named query behind the MLflow comparison: models by a hyperparameter value and a metric
threshold, checked against the runs the benchmark generator says it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.generate import LakeGenerator, generate

from modellake.store import Store

from .conftest import lake_on

QUERY = "search/models-by-hyperparameter-and-metric"
ACCURACY = "https://w3id.org/modellake#Accuracy"


@pytest.mark.parametrize(("parameter", "value", "threshold"),
                         [("max_depth", "8", 0.8), ("kernel", "rbf", 0.7), ("C", "0.1", 0.0)])
def test_finds_exactly_the_runs_with_that_value_above_the_threshold(
    store: Store, tmp_path: Path, parameter: str, value: str, threshold: float,
) -> None:
    generate(tmp_path / "lake.nq", 150, seed=4, progress=False)
    lake = lake_on(store)
    store.bulk_load_file(tmp_path / "lake.nq")
    runs = [w.run for w in LakeGenerator(150, seed=4).writes() if w.kind == "model" and w.run]
    expected = sorted(
        (r["model"], r["metrics"]["accuracy"]) for r in runs
        if parameter in r["params"] and str(r["params"][parameter]) == value
        and r["metrics"]["accuracy"] > threshold)
    result = lake.run_named_query(QUERY, {"parameter": parameter, "value": value,
                                          "measure": ACCURACY, "threshold": threshold})
    found = sorted((str(row["model"]), float(row["score"])) for row in result.rows)
    assert expected, "the fixture should have matching runs"
    assert found == expected
    scores = [float(row["score"]) for row in result.rows]
    assert scores == sorted(scores, reverse=True)


def test_claimed_evaluations_do_not_count(store: Store, tmp_path: Path) -> None:
    generate(tmp_path / "lake.nq", 150, seed=4, progress=False)
    lake = lake_on(store)
    store.bulk_load_file(tmp_path / "lake.nq")
    result = lake.run_named_query(QUERY, {"parameter": "max_depth", "value": "8",
                                          "measure": ACCURACY, "threshold": 0.0})
    assert result.rows
    assert all(not str(row["evaluation"]).endswith("-claimed") for row in result.rows)
