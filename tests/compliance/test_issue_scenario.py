"""The compliance issue's scenario, on both stores: a personal-data source, two processing steps,
a model trained on the result and a fine-tune of that model. The erasure impact of the source is
both models and the intermediate data sets; removing the personal-data flag makes the other
personal-data checks quiet, and the rest of the pack has nothing to say about either variant."""

from __future__ import annotations

import pytest

from modellake.catalogue import default_catalogue
from modellake.lake import Lake
from modellake.store import Store

from .scenario import (
    BASE,
    CONSENT_WITHDRAWN_AT,
    FINE_TUNE,
    FINE_TUNE_DATA,
    INTERMEDIATE,
    MODEL,
    SOURCE,
    found,
    issue_scenario,
    make_lake,
    register,
    run,
)

CHECKS = sorted(n.removeprefix("compliance/") for n in default_catalogue().names()
                if n.startswith("compliance/"))
PERSONAL_DATA_CHECKS = ["personal-data-without-legal-basis", "special-category-data",
                        "consent-withdrawn-after-training", "purpose-limitation"]
LISTINGS = ["erasure-impact", "accountability"]  # list nodes whatever the data says


@pytest.fixture(params=[True, False], ids=["personal", "not-personal"])
def personal(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
def lake(store: Store, personal: bool) -> Lake:
    lake = make_lake(store)
    register(lake, *issue_scenario(personal=personal))
    return lake


def test_the_pack_is_complete_and_described() -> None:
    catalogue = default_catalogue()
    assert set(PERSONAL_DATA_CHECKS + LISTINGS) < set(CHECKS)
    assert len(CHECKS) == 15
    for check in CHECKS:
        query = catalogue.get(f"compliance/{check}")
        assert query.title and query.description, check
        assert query.fields.get("regulation"), check
        assert query.fields.get("severity") in ("high", "medium", "low"), check


def test_erasure_impact_is_both_models_and_the_intermediate_data_sets(lake: Lake) -> None:
    rows = run(lake, "erasure-impact", node=BASE + SOURCE)
    assert {r["node"]: r["kind"] for r in rows} == {
        MODEL: "model", FINE_TUNE: "model", **{d: "data set" for d in INTERMEDIATE}}
    by_node = {r["node"]: r for r in rows}
    assert by_node[MODEL]["stage"].endswith("#Production")
    assert by_node[FINE_TUNE]["stage"].endswith("#Staging")
    assert "retrain" in by_node[FINE_TUNE]["detail"]
    assert "no stated lifecycle stage" in by_node[INTERMEDIATE[0]]["detail"]
    # From the middle of the chain: only what is downstream of it.
    assert found(lake, "erasure-impact", node=BASE + INTERMEDIATE[1]) == {
        INTERMEDIATE[2], MODEL, FINE_TUNE}
    # The fine-tune's own data set carries nothing of the source, and erasing it touches only
    # the fine-tune.
    assert found(lake, "erasure-impact", node=BASE + FINE_TUNE_DATA) == {FINE_TUNE}


def test_personal_data_checks_fire_only_with_the_flag(lake: Lake, personal: bool) -> None:
    results = {check: run(lake, check) for check in PERSONAL_DATA_CHECKS}
    if not personal:
        assert results == {check: [] for check in PERSONAL_DATA_CHECKS}
        return
    both = {MODEL, FINE_TUNE}
    legal = results["personal-data-without-legal-basis"]
    assert {(r["node"], r["source"]) for r in legal} == {(m, SOURCE) for m in both}
    special = results["special-category-data"]
    assert {(r["node"], r["category"]) for r in special} == {
        (m, "https://w3id.org/dpv/pd#Health") for m in both}  # pd:Age is not special
    assert all(r["legalBases"] == "" and "legal basis stated there: none" in r["detail"]
               for r in special)
    consent = results["consent-withdrawn-after-training"]
    assert {r["node"] for r in consent} == both
    assert {str(r["withdrawnAt"].isoformat()) for r in consent} == {
        CONSENT_WITHDRAWN_AT.replace("Z", "+00:00")}
    purpose = results["purpose-limitation"]
    assert [(r["node"], r["purpose"], r["source"]) for r in purpose] == [
        (FINE_TUNE, "https://w3id.org/dpv#Marketing", SOURCE)]
    assert "Research and Development" in purpose[0]["detail"]


def test_every_other_check_is_quiet(lake: Lake) -> None:
    for check in CHECKS:
        if check in PERSONAL_DATA_CHECKS or check in LISTINGS:
            continue
        assert run(lake, check) == [], check
    (accountable,) = run(lake, "accountability")
    assert accountable["node"] == MODEL and accountable["missing"] is False
    assert accountable["approvedBy"] == "Ben"
    assert accountable["evidence"] == BASE + "evaluation-readmission"


def test_every_check_returns_node_title_and_detail(lake: Lake, personal: bool) -> None:
    for check in CHECKS:
        params = {"node": BASE + SOURCE} if check == "erasure-impact" else {}
        result = lake.run_named_query(f"compliance/{check}", params)
        assert {"node", "title", "detail"} <= set(result.variables), check
        for row in result.rows:
            assert "node" in row and "detail" in row, (check, row)


def test_every_file_runs_on_its_own(lake: Lake) -> None:
    """The files are runnable as they are, with their parameters left unbound (erasure-impact
    then has no start node and returns nothing)."""
    catalogue = default_catalogue()
    for check in CHECKS:
        result = lake.sparql(catalogue.get(f"compliance/{check}").text)
        assert result.form == "SELECT", check
        if check in ("erasure-impact", "claimed-vs-measured"):
            assert result.rows == [], check
        else:
            assert len(result.rows) == len(run(lake, check)), check
