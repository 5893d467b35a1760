"""Lake hygiene and accountability checks, on both stores: owners, unused data sets, models
without lineage, and who approved each production model on which evidence."""

from __future__ import annotations

from rdflib import Graph

from modellake.lake import Lake
from modellake.store import Store

from .scenario import (
    PREFIXES,
    approved,
    dataset,
    evaluation,
    found,
    model,
    operation,
    register,
    run,
    source,
    transition,
)


def test_nodes_without_owner(lake: Lake) -> None:
    # The core shapes ask data sets and models for an owner (an administrator is one), but not
    # data sources.
    register(
        lake,
        'id:source-orphan a ml:FileSource ; dct:title "Orphan export" ;'
        ' ml:storageLocation "/exports/orphan.csv" .',
        source("source-owned"),
        dataset("dataset-owned", "ml:ingestedFrom id:source-orphan"),
        model("model-owned", "ml:trainedOn id:dataset-owned"),
    )
    (row,) = run(lake, "nodes-without-owner")
    assert (row["node"], row["kind"], row["title"]) == (
        "source-orphan", "data source", "Orphan export")
    assert row["detail"].startswith("Data source 'Orphan export' has no owner")


def test_unused_datasets(lake: Lake) -> None:
    register(
        lake,
        dataset("dataset-orphan"),
        dataset("dataset-trained-on"),
        model("model-user", "ml:trainedOn id:dataset-trained-on"),
        dataset("dataset-evaluated-on"),
        evaluation("evaluation-user", "model-user", 0.9, on="dataset-evaluated-on"),
        dataset("dataset-processed"),
        operation("ml:Cleaning", "op-clean", ["dataset-processed"], ["dataset-derived"],
                  "2024-02-01T00:00:00Z"),
        dataset("dataset-derived", "prov:wasGeneratedBy id:op-clean"),
        dataset("dataset-parent"),
        dataset("dataset-child", "prov:wasDerivedFrom id:dataset-parent"),
    )
    # dataset-derived and dataset-child are the ends of their chains: nothing uses them yet.
    assert found(lake, "unused-datasets") == {"dataset-orphan", "dataset-derived",
                                              "dataset-child"}


def test_models_without_lineage(lake: Lake, store: Store) -> None:
    register(lake, dataset("dataset-lineage"),
             model("model-traced", "ml:trainedOn id:dataset-lineage"))
    assert run(lake, "models-without-lineage") == []
    # The shapes refuse a model without lineage on every write, so the only way such a record
    # reaches the store is around the lake's write path, e.g. a bulk load: done here directly.
    iri = "https://w3id.org/modellake/id/model-untraced"
    record = Graph().parse(data=PREFIXES + """
        id:model-untraced a ml:Model, prov:Entity ; dct:title "Untraced" ;
            ml:usesAlgorithm ml:RandomForest ; ml:administrator id:agent-ana ;
            ml:owner id:agent-ana ; dct:created "2024-02-01"^^xsd:date .""", format="turtle")
    store.replace_graphs({iri: record})
    (row,) = run(lake, "models-without-lineage")
    assert row["node"] == "model-untraced" and "no lineage" in row["detail"]


def test_accountability(lake: Lake) -> None:
    register(
        lake,
        dataset("dataset-acc"),
        # Approved, with a transition resting on an evaluation.
        model("model-evidenced", "ml:trainedOn id:dataset-acc", *approved()),
        evaluation("evaluation-evidenced", "model-evidenced", 0.9),
        transition("transition-evidenced", "model-evidenced", "2024-03-10T12:00:00Z",
                   "evaluation-evidenced"),
        # Approved, but no transition was recorded.
        model("model-unrecorded", "ml:trainedOn id:dataset-acc", *approved()),
        # The older transition had evidence; the latest one has none.
        model("model-latest-bare", "ml:trainedOn id:dataset-acc", *approved()),
        evaluation("evaluation-latest-bare", "model-latest-bare", 0.9),
        transition("transition-latest-bare-1", "model-latest-bare", "2024-03-01T12:00:00Z",
                   "evaluation-latest-bare"),
        transition("transition-latest-bare-2", "model-latest-bare", "2024-04-01T12:00:00Z",
                   from_stage="ml:Retired"),
        # Not in production: not listed.
        model("model-staging", "ml:trainedOn id:dataset-acc", "ml:lifecycleStage ml:Staging"),
    )
    rows = {r["node"]: r for r in run(lake, "accountability")}
    assert set(rows) == {"model-evidenced", "model-unrecorded", "model-latest-bare"}
    assert {n for n, r in rows.items() if r["missing"]} == {"model-unrecorded",
                                                           "model-latest-bare"}
    evidenced = rows["model-evidenced"]
    assert evidenced["approvedBy"] == "Ben"
    assert evidenced["approvedAt"].isoformat() == "2024-03-10T12:00:00+00:00"
    assert evidenced["transition"] == "transition-evidenced"
    assert evidenced["evidence"].endswith("/evaluation-evidenced")
    assert "approved by Ben" in evidenced["detail"]
    assert "no dated transition to production" in rows["model-unrecorded"]["detail"]
    latest = rows["model-latest-bare"]
    assert latest["transition"] == "transition-latest-bare-2"
    assert "no evidence for the transition" in latest["detail"]
    assert "no approver" not in latest["detail"]
