"""Licence conflicts, on both stores, with the SPDX licence facts the store's ontology graph
holds: non-commercial, share-alike and no-derivatives terms upstream of a model, through
training data and through a base model."""

from __future__ import annotations

from modellake.store import Store

from .scenario import dataset, make_lake, model, register, run


def licensed(name: str, licence: str) -> str:
    return dataset(name, f"dct:license spdx:{licence}")


def test_licence_conflicts(store: Store) -> None:
    lake = make_lake(store)
    register(
        lake,
        licensed("dataset-nc", "CC-BY-NC-4.0"),
        model("model-nc-commercial", "ml:trainedOn id:dataset-nc", "ml:commercialUse true"),
        model("model-nc-licensed", "ml:trainedOn id:dataset-nc", "dct:license spdx:MIT"),
        model("model-nc-research", "ml:trainedOn id:dataset-nc", "dct:license spdx:Apache-2.0",
              "ml:commercialUse false"),
        model("model-nc-unlicensed", "ml:trainedOn id:dataset-nc"),
        licensed("dataset-sa", "CC-BY-SA-4.0"),
        model("model-sa-mit", "ml:trainedOn id:dataset-sa", "dct:license spdx:MIT"),
        model("model-sa-same", "ml:trainedOn id:dataset-sa", "dct:license spdx:CC-BY-SA-4.0"),
        model("model-sa-gpl", "ml:trainedOn id:dataset-sa", "dct:license spdx:GPL-3.0-only"),
        model("model-sa-unlicensed", "ml:trainedOn id:dataset-sa"),
        licensed("dataset-nd", "CC-BY-ND-4.0"),
        model("model-nd", "ml:trainedOn id:dataset-nd", "dct:license spdx:CC-BY-ND-4.0"),
        licensed("dataset-by", "CC-BY-4.0"),
        model("model-by", "ml:trainedOn id:dataset-by", "dct:license spdx:MIT",
              "ml:commercialUse true"),
        # A base model released for non-commercial use only, and a commercial fine-tune of it.
        model("model-base-nc", "ml:trainedOn id:dataset-by", "dct:license spdx:CC-BY-NC-4.0"),
        model("model-tuned-commercial", "ml:fineTunedFrom id:model-base-nc",
              "ml:trainedOn id:dataset-by", "ml:commercialUse true"),
    )
    rows = run(lake, "licence-conflicts")
    assert {(r["node"], r["conflict"], r["upstream"]) for r in rows} == {
        ("model-nc-commercial", "non-commercial", "dataset-nc"),
        ("model-nc-licensed", "non-commercial", "dataset-nc"),
        ("model-sa-mit", "share-alike", "dataset-sa"),
        ("model-nd", "no-derivatives", "dataset-nd"),
        ("model-tuned-commercial", "non-commercial", "model-base-nc"),
    }
    details = {r["node"]: r["detail"] for r in rows}
    assert "Creative Commons Attribution Non Commercial 4.0 International" in (
        details["model-nc-licensed"])
    assert "licence: MIT License" in details["model-sa-mit"]
    assert "share-alike" in details["model-sa-mit"]
    assert "derivative" in details["model-nd"]
