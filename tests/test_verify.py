"""Documentation verification on both stores: claims re-run on the stored artifact, gaps flagged,
refused artifacts (changed hash, untrusted pickle), skops and ONNX artifacts, and card–graph
drift."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from rdflib import Literal, URIRef
from skl2onnx import to_onnx
from sklearn.model_selection import StratifiedKFold, cross_val_score

from modellake.errors import (
    ArtifactIntegrityError,
    BadInputError,
    ForbiddenPathError,
    NotFoundError,
    UntrustedArtifactError,
)
from modellake.namespaces import ML, PROV, RDF
from modellake.store import Store
from modellake.verify import artifact_format, card_drift, local_path, verify_model

from .provenance_setup import TARGET, Setup, attach_artifact, build, claim, set_text


@pytest.fixture
def setup(store: Store, tmp_path: Path) -> Setup:
    return build(store, tmp_path)


def test_a_wrong_claim_is_caught_and_the_measurement_recorded(setup: Setup) -> None:
    lake = setup.lake
    claimed = claim(lake, setup.model, 0.99, setup.test)
    report = verify_model(lake, setup.model, trust_pickle=True)
    check = next(c for c in report.checks if c.evaluation == str(claimed))
    assert check.kind == "claimed" and check.status == "gap"
    assert check.measured == pytest.approx(setup.real_accuracy)
    assert 0.6 < setup.real_accuracy < 0.85  # the claim is far off: ~0.74 is real
    assert check.gap == pytest.approx(0.99 - setup.real_accuracy)
    assert not report.passed and report.gaps == [check]
    # the cross-validated accuracy the capture recorded is reproduced exactly (same folds)
    cv = next(c for c in report.checks if c.kind == "measured")
    assert cv.status == "ok" and cv.gap == pytest.approx(0.0, abs=1e-12)
    # recorded: one evaluation run, one measured evaluation per re-run, linked to the claim
    assert report.run is not None
    run = lake.describe(report.run)
    assert (report.run, RDF.type, ML.EvaluationRun) in run
    assert run.value(report.run, PROV.startedAtTime) is not None
    assert run.value(report.run, PROV.endedAtTime) is not None
    assert run.value(report.run, ML.implementedBy) is not None
    assert float(run.value(report.run, ML.tolerance)) == 0.02
    measured = URIRef(check.measured_evaluation or "")
    node = lake.describe(measured)
    assert (measured, RDF.type, ML.MeasuredEvaluation) in node
    assert node.value(measured, ML.reproduces) == claimed
    assert node.value(measured, ML.withinTolerance) == Literal(False)
    assert float(node.value(measured, ML.value)) == pytest.approx(setup.real_accuracy)
    assert node.value(measured, ML.evaluatedOn) == setup.test
    assert node.value(measured, PROV.wasGeneratedBy) == report.run
    # the compliance check sees the recorded disagreement
    rows = lake.run_named_query("compliance/claimed-vs-measured", {}).rows
    assert any(r["claimedEvaluation"] == claimed for r in rows)


def test_a_correct_claim_passes(setup: Setup) -> None:
    claim(setup.lake, setup.model, round(setup.real_accuracy, 4), setup.test)
    report = verify_model(setup.lake, setup.model, trust_pickle=True)
    assert [c.status for c in report.checks] == ["ok", "ok"]
    assert report.passed and not report.drift


def test_the_tolerance_decides(setup: Setup) -> None:
    claim(setup.lake, setup.model, setup.real_accuracy + 0.05, setup.test)
    strict = verify_model(setup.lake, setup.model, trust_pickle=True, record=False)
    loose = verify_model(setup.lake, setup.model, trust_pickle=True, tolerance=0.1,
                         record=False)
    assert not strict.passed and loose.passed
    assert strict.run is None and loose.run is None  # dry runs write nothing
    with pytest.raises(BadInputError):
        verify_model(setup.lake, setup.model, tolerance=-1)


def test_a_changed_artifact_is_refused_before_loading(setup: Setup) -> None:
    claim(setup.lake, setup.model, 0.99, setup.test)
    with setup.artifact.open("ab") as handle:
        handle.write(b"\0")
    before = setup.lake.store.quads()
    with pytest.raises(ArtifactIntegrityError, match="sha256"):
        verify_model(setup.lake, setup.model, trust_pickle=True)
    assert setup.lake.store.quads() == before


def test_a_pickle_without_trust_is_refused(setup: Setup) -> None:
    claim(setup.lake, setup.model, 0.99, setup.test)
    before = setup.lake.store.quads()
    with pytest.raises(UntrustedArtifactError, match="--trust-pickle"):
        verify_model(setup.lake, setup.model)
    assert setup.lake.store.quads() == before


def test_a_skops_artifact_loads_without_trust(setup: Setup) -> None:
    path = setup.directory / "predictor.skops"
    sio.dump(setup.estimator, path)
    attach_artifact(setup.lake, setup.model, path, "skops")
    claim(setup.lake, setup.model, 0.99, setup.test)
    report = verify_model(setup.lake, setup.model)
    assert report.artifact["format"] == "skops"
    assert [c.status for c in report.checks if c.kind == "claimed"] == ["gap"]
    assert report.gaps[0].measured == pytest.approx(setup.real_accuracy)


def test_an_onnx_artifact_runs_in_onnxruntime(setup: Setup) -> None:
    X = setup.test_frame.drop(columns=[TARGET])
    path = setup.directory / "predictor.onnx"
    path.write_bytes(to_onnx(setup.estimator, X[:1].to_numpy(dtype=np.float32))
                     .SerializeToString())
    attach_artifact(setup.lake, setup.model, path, "onnx")
    claim(setup.lake, setup.model, round(setup.real_accuracy, 4), setup.test)
    report = verify_model(setup.lake, setup.model)
    by_kind = {c.kind: c for c in report.checks}
    assert by_kind["claimed"].status == "ok"
    assert by_kind["claimed"].measured == pytest.approx(setup.real_accuracy, abs=0.01)
    # a cross-validation needs refitting, which an ONNX graph cannot do
    assert by_kind["measured"].status == "skipped"
    assert "ONNX" in (by_kind["measured"].reason or "")


def test_what_cannot_be_computed_is_skipped_with_a_reason(setup: Setup) -> None:
    bleu = claim(setup.lake, setup.model, 30.0, setup.test, measure=ML.Bleu, name="bleu")
    report = verify_model(setup.lake, setup.model, trust_pickle=True, record=False)
    check = next(c for c in report.checks if c.evaluation == str(bleu))
    assert check.status == "skipped" and "Bleu" in (check.reason or "")
    # a data file that changed after ingestion is not used
    (setup.directory / "diabetes-test.csv").write_text("age,progression_high\n1,0\n")
    claim(setup.lake, setup.model, 0.99, setup.test)
    report = verify_model(setup.lake, setup.model, trust_pickle=True, record=False)
    changed = next(c for c in report.checks if c.dataset == str(setup.test)
                   and c.measure == str(ML.Accuracy))
    assert changed.status == "skipped" and "changed since it was recorded" in (
        changed.reason or "")


def test_files_outside_the_allowed_directories_are_refused(setup: Setup,
                                                           tmp_path_factory: pytest.TempPathFactory
                                                           ) -> None:
    claim(setup.lake, setup.model, 0.99, setup.test)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    with pytest.raises(ForbiddenPathError):
        verify_model(setup.lake, setup.model, trust_pickle=True, allowed_dirs=[elsewhere])
    report = verify_model(setup.lake, setup.model, trust_pickle=True, record=False,
                          allowed_dirs=[setup.directory])
    assert report.gaps


def test_unknown_model_is_not_found(setup: Setup) -> None:
    with pytest.raises(NotFoundError):
        verify_model(setup.lake, setup.lake.node_iri("model-nowhere"))
    with pytest.raises(NotFoundError):
        verify_model(setup.lake, setup.test)  # a data set, not a model


def test_card_graph_drift(setup: Setup) -> None:
    lake = setup.lake
    assert card_drift(lake, setup.model) == []  # no card text, no claims: nothing to compare
    # the card says it was trained on the test data; the lineage says the training data
    set_text(lake, setup.model, ML.trainingDataDescription,
             "Trained on the Diabetes test split of the 2004 study.")
    kinds = {(d.kind, d.dataset) for d in card_drift(lake, setup.model)}
    assert kinds == {("named-not-in-lineage", str(setup.test)),
                     ("lineage-not-named", str(setup.train))}
    set_text(lake, setup.model, ML.trainingDataDescription,
             "Trained on Diabetes train, 70% of the diabetes data.")
    assert card_drift(lake, setup.model) == []
    # a claimed test result on the training data, and a claim on an unseen training split
    claim(lake, setup.model, 0.8, setup.train, name="on-train")
    claim(lake, setup.model, 0.8, setup.test, split="train", name="train-split")
    drift = {(d.kind, d.dataset) for d in card_drift(lake, setup.model)}
    assert drift == {("claimed-on-training-data", str(setup.train)),
                     ("named-not-in-lineage", str(setup.test))}
    report = verify_model(lake, setup.model, trust_pickle=True, record=False)
    assert not report.passed and len(report.drift) == 2


def test_cross_validation_is_rerun_with_the_recorded_folds(setup: Setup) -> None:
    report = verify_model(setup.lake, setup.model, trust_pickle=True, record=False)
    (check,) = report.checks
    train = setup.lake.describe(setup.train)
    assert train.value(setup.train, ML.targetAttribute) == Literal(TARGET)
    frame = pd.read_csv(setup.directory / "diabetes-train.csv")
    expected = cross_val_score(setup.estimator, frame.drop(columns=[TARGET]), frame[TARGET],
                               cv=StratifiedKFold(5), scoring="accuracy").mean()
    assert check.measured == pytest.approx(expected)


def test_local_paths() -> None:
    assert local_path("file:///data/a.csv") == Path("/data/a.csv")
    assert local_path("file:///data/a%20b.csv") == Path("/data/a b.csv")
    assert local_path("/data/a.csv") == Path("/data/a.csv")
    assert local_path("s3://bucket/a.csv") is None
    assert local_path("file://otherhost/a.csv") is None


def test_the_artifact_format_comes_from_the_suffix_first() -> None:
    assert artifact_format("/m/model.skops", "joblib") == "skops"
    assert artifact_format("/m/model.onnx", None) == "onnx"
    assert artifact_format("/m/model.pkl", "skops") == "joblib"
    assert artifact_format("/m/model.bin", "skops") == "skops"
    assert artifact_format("/m/model.bin", None) is None
