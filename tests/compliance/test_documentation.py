"""Model documentation checks, on both stores: training data, measured evaluations, evaluations
older than the newest training data, claimed against measured performance, high-risk models."""

from __future__ import annotations

import pytest

from modellake.lake import Lake

from .scenario import approved, dataset, evaluation, found, model, register, run


def test_models_without_training_data(lake: Lake) -> None:
    register(
        lake,
        dataset("dataset-base"), dataset("dataset-tuning"),
        model("model-base", "ml:trainedOn id:dataset-base"),
        model("model-tuned-undocumented", "ml:fineTunedFrom id:model-base"),
        model("model-adapter-undocumented", "ml:adapterOf id:model-base"),
        model("model-tuned", "ml:fineTunedFrom id:model-base", "ml:trainedOn id:dataset-tuning"),
        model("model-quantized", "ml:quantizedFrom id:model-base"),
        model("model-converted", "ml:convertedFrom id:model-base"),
        model("model-prov-only", "prov:wasDerivedFrom id:dataset-base"),
    )
    rows = run(lake, "models-without-training-data")
    assert {r["node"] for r in rows} == {"model-tuned-undocumented", "model-adapter-undocumented"}
    assert all(r["baseModel"] == "model-base" and "made from" in r["detail"] for r in rows)


def test_models_without_measured_evaluation(lake: Lake) -> None:
    register(
        lake,
        dataset("dataset-eval"),
        model("model-measured", "ml:trainedOn id:dataset-eval"),
        evaluation("evaluation-measured", "model-measured", 0.9, at="2024-03-01T00:00:00Z"),
        model("model-claimed", "ml:trainedOn id:dataset-eval"),
        evaluation("evaluation-claimed", "model-claimed", 0.9, kind="ml:ClaimedEvaluation"),
        model("model-bare", "ml:trainedOn id:dataset-eval"),
        model("model-retired", "ml:trainedOn id:dataset-eval", "ml:lifecycleStage ml:Retired"),
    )
    rows = {r["node"]: r for r in run(lake, "models-without-measured-evaluation")}
    assert set(rows) == {"model-claimed", "model-bare"}
    assert rows["model-claimed"]["claimed"] is True
    assert "only claimed" in rows["model-claimed"]["detail"]
    assert rows["model-bare"]["claimed"] is False
    assert "no evaluation at all" in rows["model-bare"]["detail"]


def test_stale_evaluations(lake: Lake) -> None:
    register(
        lake,
        # Evaluated in February; the training data got a new version in March, and another in
        # April: the newest is named.
        dataset("dataset-v1", created="2024-01-01"),
        model("model-stale", "ml:trainedOn id:dataset-v1", *approved()),
        evaluation("evaluation-stale-old", "model-stale", 0.8, at="2024-01-15T00:00:00Z"),
        evaluation("evaluation-stale", "model-stale", 0.8, at="2024-02-01T00:00:00Z"),
        dataset("dataset-v2", "prov:wasRevisionOf id:dataset-v1", created="2024-03-01"),
        dataset("dataset-v3", "prov:wasRevisionOf id:dataset-v2",
                'prov:generatedAtTime "2024-04-01T08:00:00Z"^^xsd:dateTime', created="2024-04-01"),
        # Evaluated again after the newest version.
        dataset("dataset-w1", created="2024-01-01"),
        model("model-fresh", "ml:trainedOn id:dataset-w1", *approved()),
        evaluation("evaluation-fresh", "model-fresh", 0.8, at="2024-04-02T00:00:00Z"),
        dataset("dataset-w2", "prov:wasRevisionOf id:dataset-w1", created="2024-03-01"),
        # Stale too, but not in production.
        model("model-staging", "ml:trainedOn id:dataset-v1", "ml:lifecycleStage ml:Staging"),
        evaluation("evaluation-staging", "model-staging", 0.8, at="2024-02-01T00:00:00Z"),
    )
    rows = run(lake, "stale-evaluations")
    assert [(r["node"], r["trainingData"], r["newestVersion"]) for r in rows] == [
        ("model-stale", "dataset-v1", "dataset-v3")]
    (row,) = rows
    assert row["evaluatedAt"].isoformat() == "2024-02-01T00:00:00+00:00"
    assert row["versionCreated"].isoformat() == "2024-04-01T08:00:00+00:00"
    assert "newest version of its training data" in row["detail"]


def test_claimed_against_measured(lake: Lake) -> None:
    register(
        lake,
        dataset("dataset-test"), dataset("dataset-other"),
        model("model-overclaimed", "ml:trainedOn id:dataset-test"),
        evaluation("claim-overclaimed", "model-overclaimed", 0.95, kind="ml:ClaimedEvaluation",
                   on="dataset-test"),
        evaluation("measure-overclaimed", "model-overclaimed", 0.90, on="dataset-test",
                   at="2024-03-01T00:00:00Z"),
        # Within the default tolerance of 0.02.
        model("model-honest", "ml:trainedOn id:dataset-test"),
        evaluation("claim-honest", "model-honest", 0.91, kind="ml:ClaimedEvaluation"),
        evaluation("measure-honest", "model-honest", 0.90, on="dataset-test"),
        # Different data sets, or different measures, are not compared.
        model("model-elsewhere", "ml:trainedOn id:dataset-test"),
        evaluation("claim-elsewhere", "model-elsewhere", 0.99, kind="ml:ClaimedEvaluation",
                   on="dataset-other"),
        evaluation("measure-elsewhere", "model-elsewhere", 0.70, on="dataset-test"),
        evaluation("measure-elsewhere-f1", "model-elsewhere", 0.50, measure="ml:F1",
                   on="dataset-other"),
    )
    rows = run(lake, "claimed-vs-measured")
    assert [(r["node"], r["claimedEvaluation"], r["measuredEvaluation"]) for r in rows] == [
        ("model-overclaimed", "claim-overclaimed", "measure-overclaimed")]
    assert float(rows[0]["difference"]) == pytest.approx(0.05)
    assert "claimed accuracy 0.95, measured 0.9" in rows[0]["detail"]
    assert "'dataset-test'" in rows[0]["detail"]
    assert found(lake, "claimed-vs-measured", tolerance="0.1") == set()
    assert found(lake, "claimed-vs-measured", tolerance=0.005) == {
        "model-overclaimed", "model-honest"}


def test_high_risk_models(lake: Lake) -> None:
    register(
        lake,
        dataset("dataset-applicants"),
        model("model-hiring", "ml:trainedOn id:dataset-applicants",
              "ml:aiActRiskLevel ml:HighRisk", 'ml:intendedPurpose "Ranking job applicants"',
              "ml:lifecycleStage ml:Staging"),
        model("model-chatbot", "ml:trainedOn id:dataset-applicants",
              "ml:aiActRiskLevel ml:LimitedRisk"),
        model("model-unclassified", "ml:trainedOn id:dataset-applicants"),
    )
    (row,) = run(lake, "high-risk-models")
    assert row["node"] == "model-hiring"
    assert row["intendedPurpose"] == "Ranking job applicants"
    assert row["stage"].endswith("#Staging")
    assert "Annex IV" in row["detail"] and "Ranking job applicants" in row["detail"]
