"""The GDPR checks one by one, on both stores: for each, lineage chains that trigger it and
chains that do not, side by side in one lake (the chains share no node)."""

from __future__ import annotations

from modellake.lake import Lake

from .scenario import (
    BASE,
    dataset,
    found,
    model,
    operation,
    register,
    run,
    source,
)


def chain(name: str, *source_facts: str, model_facts: tuple[str, ...] = (),
          dataset_facts: tuple[str, ...] = (), models: int = 1) -> list[str]:
    """source-<name> → (ingestion) → dataset-<name> → model-<name> (and model-<name>-2 …)."""
    statements = [
        source(f"source-{name}", *source_facts),
        operation("ml:Ingestion", f"op-ingest-{name}", [f"source-{name}"], [f"dataset-{name}"],
                  "2024-01-15T10:00:00Z"),
        dataset(f"dataset-{name}", f"ml:ingestedFrom id:source-{name}",
                f"prov:wasGeneratedBy id:op-ingest-{name}", *dataset_facts),
    ]
    for i in range(1, models + 1):
        suffix = "" if i == 1 else f"-{i}"
        statements.append(model(f"model-{name}{suffix}", f"ml:trainedOn id:dataset-{name}",
                                *model_facts))
    return statements


PERSONAL = "ml:containsPersonalData true"


def test_legal_basis_on_the_way_clears_the_finding(lake: Lake) -> None:
    register(
        lake,
        *chain("with-basis", PERSONAL, "dpv:hasLegalBasis eu-gdpr:A6-1-a"),
        *chain("basis-downstream", PERSONAL, dataset_facts=("dpv:hasLegalBasis eu-gdpr:A6-1-f",)),
        *chain("basis-on-model", PERSONAL, model_facts=("dpv:hasLegalBasis eu-gdpr:A6-1-b",)),
        *chain("categories-only", "dpv:hasPersonalData pd:Name"),
        *chain("no-basis", PERSONAL, models=2),
        *chain("not-personal", "ml:containsPersonalData false"),
    )
    rows = run(lake, "personal-data-without-legal-basis")
    assert {(r["node"], r["source"]) for r in rows} == {
        ("model-categories-only", "source-categories-only"),
        ("model-no-basis", "source-no-basis"),
        ("model-no-basis-2", "source-no-basis"),
    }
    assert "'source-no-basis'" in rows[-1]["detail"]


def test_special_categories_follow_the_dpv_typing(lake: Lake) -> None:
    register(
        lake,
        *chain("genetic", PERSONAL, "dpv:hasPersonalData pd:Genetic, pd:Name",
               "dpv:hasLegalBasis eu-gdpr:A9-2-a"),
        *chain("ethnicity", "dpv:hasPersonalData pd:Ethnicity"),
        *chain("ordinary", PERSONAL, "dpv:hasPersonalData pd:Name, pd:EmailAddress"),
    )
    rows = run(lake, "special-category-data")
    assert {(r["node"], r["category"].rpartition("#")[2]) for r in rows} == {
        ("model-genetic", "Genetic"), ("model-ethnicity", "Ethnicity")}
    genetic = next(r for r in rows if r["node"] == "model-genetic")
    assert genetic["legalBases"] == "Art 9(2-a) explicit consent"
    assert "Genetic" in genetic["detail"] and "explicit consent" in genetic["detail"]


def test_consent_withdrawn_after_training(lake: Lake) -> None:
    withdrawn = 'ml:consentWithdrawnAt "2024-06-01T00:00:00Z"^^xsd:dateTime'
    register(
        lake,
        *chain("consent", PERSONAL, withdrawn, models=3),
        # Trained (its run ended) in March, created in September: the run's end counts.
        operation("ml:Training", "op-train-consent", ["dataset-consent"], ["model-late"],
                  "2024-03-01T12:00:00Z"),
        model("model-late", "ml:trainedOn id:dataset-consent",
              "prov:wasGeneratedBy id:op-train-consent", created="2024-09-01"),
        model("model-after", "ml:trainedOn id:dataset-consent", created="2024-07-01"),
        model("model-retired", "ml:trainedOn id:dataset-consent", "ml:lifecycleStage ml:Retired"),
        *chain("status-only", PERSONAL, "dpv:hasConsentStatus dpv:ConsentWithdrawn"),
        *chain("withdrawn-not-personal", withdrawn),
    )
    rows = run(lake, "consent-withdrawn-after-training")
    by_node = {r["node"]: r for r in rows}
    # model-consent(-2, -3) were created 2024-02-01, before the withdrawal; model-after (July)
    # and the retired model are not findings.
    assert set(by_node) == {"model-consent", "model-consent-2", "model-consent-3", "model-late",
                            "model-status-only"}
    assert by_node["model-late"]["trainedAt"].isoformat() == "2024-03-01T12:00:00+00:00"
    assert by_node["model-consent"]["trainedAt"].isoformat() == "2024-02-01T00:00:00+00:00"
    assert "withdrawnAt" not in by_node["model-status-only"]
    assert "no date recorded" in by_node["model-status-only"]["detail"]


def test_purpose_limitation(lake: Lake) -> None:
    collected = "dpv:hasPurpose dpv:ResearchAndDevelopment, dpv:ScientificResearch"
    register(
        lake,
        source("source-purpose", PERSONAL, collected),
        dataset("dataset-purpose", "ml:ingestedFrom id:source-purpose"),
        model("model-marketing", "ml:trainedOn id:dataset-purpose",
              "dpv:hasPurpose dpv:Marketing, dpv:ScientificResearch"),
        model("model-science", "ml:trainedOn id:dataset-purpose",
              "dpv:hasPurpose dpv:ScientificResearch"),
        model("model-no-purpose", "ml:trainedOn id:dataset-purpose"),
        *chain("no-collection-purpose", PERSONAL,
               model_facts=("dpv:hasPurpose dpv:Marketing",)),
    )
    rows = run(lake, "purpose-limitation")
    assert [(r["node"], r["purpose"].rpartition("#")[2], r["source"]) for r in rows] == [
        ("model-marketing", "Marketing", "source-purpose")]
    assert rows[0]["collectedFor"] in ("Research and Development, Scientific Research",
                                       "Scientific Research, Research and Development")


def test_erasure_impact_through_every_kind_of_derivation(lake: Lake) -> None:
    register(
        lake,
        *chain("erase", PERSONAL),
        model("model-adapter", "ml:adapterOf id:model-erase"),
        model("model-distilled", "ml:distilledFrom id:model-adapter"),
        model("model-merged", "ml:mergedFrom id:model-distilled, id:model-other"),
        *chain("other"),
        dataset("dataset-erase-v2", "prov:wasRevisionOf id:dataset-erase"),
    )
    assert found(lake, "erasure-impact", node=BASE + "source-erase") == {
        "dataset-erase", "dataset-erase-v2", "model-erase", "model-adapter", "model-distilled",
        "model-merged"}
    assert found(lake, "erasure-impact", node=BASE + "model-other") == {"model-merged"}
