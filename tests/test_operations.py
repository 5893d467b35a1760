"""Processing operations recorded as a pipeline runs, and the lineage they give a model."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, PROV
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

import modellake.operations as operations
from modellake.errors import BadInputError
from modellake.ingest import ingest
from modellake.lake import Lake
from modellake.namespaces import ML, RDF
from modellake.operations import capture_code, record_operation
from modellake.store import Store

from .conftest import lake_on

BASE = "https://w3id.org/modellake/id/"
BOB = URIRef(BASE + "agent-bob")
HERE = Path(__file__).resolve()
AGENT = f"""@prefix ml: <https://w3id.org/modellake#> . @prefix foaf: <{FOAF}> .
<{BOB}> a ml:Person ; foaf:name "Bob" ."""


@pytest.fixture
def lake(store: Store) -> Iterator[Lake]:
    yield lake_on(store, AGENT)


def git_head() -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(HERE.parent), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=5, check=False)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def raw_frame() -> pd.DataFrame:
    df = load_breast_cancer(as_frame=True).frame
    rng = np.random.default_rng(3)
    for row, col in zip(rng.integers(0, len(df), 25), rng.integers(0, 30, 25), strict=True):
        df.iat[int(row), int(col)] = np.nan
    return df


def test_pipeline_lineage_reaches_the_source_through_every_step(
    lake: Lake, tmp_path: Path,
) -> None:
    path = tmp_path / "breast_cancer_raw.csv"
    raw_frame().to_csv(path, index=False)
    raw = ingest(lake, path, owner="agent-bob", target="target", code=__file__,
                 purpose="Collect the screening data")

    df = pd.read_csv(path)
    with record_operation(lake, "cleaning", used=[raw.dataset], agent="agent-bob",
                          purpose="Drop rows with missing measurements") as cleaning:
        clean = df.dropna()
        clean_iri = cleaning.generated(clean, title="Breast cancer (clean)", target="target")
    with record_operation(lake, "transformation", used=[clean_iri], agent="agent-bob",
                          title="Standardise", purpose="Zero mean, unit variance") as scaling:
        features = clean.drop(columns=["target"])
        scaled = ((features - features.mean()) / features.std()).assign(target=clean["target"])
        scaled_iri = scaling.generated(scaled, title="Breast cancer (standardised)",
                                       target="target")
    assert cleaning.result is not None and scaling.result is not None
    model_fit = LogisticRegression(max_iter=500).fit(scaled.drop(columns=["target"]),
                                                     scaled["target"])
    assert model_fit.score(scaled.drop(columns=["target"]), scaled["target"]) > 0.9
    model = URIRef(BASE + "model-breast-cancer-lr")
    lake.register(Graph().parse(format="turtle", data=f"""
        @prefix ml: <https://w3id.org/modellake#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{model}> a ml:Model ; dct:title "Breast cancer logistic regression" ;
            ml:usesAlgorithm ml:LogisticRegression ; ml:trainedOn <{scaled_iri}> ;
            ml:administrator <{BOB}> ; dct:created "2024-03-01"^^xsd:date ."""))

    lineage = lake.lineage(model)
    steps = [
        (scaled_iri, scaling.iri, ML.Transformation, clean_iri),
        (clean_iri, cleaning.iri, ML.Cleaning, raw.dataset),
        (raw.dataset, raw.ingestion, ML.Ingestion, raw.source),
    ]
    head = git_head()
    for output, operation, kind, used in steps:
        assert lineage.value(output, PROV.wasGeneratedBy) == operation
        assert (operation, RDF.type, kind) in lineage
        assert (operation, PROV.used, used) in lineage
        assert (operation, PROV.generated, output) in lineage
        assert lineage.value(operation, PROV.wasAssociatedWith) == BOB
        assert lineage.value(BOB, FOAF.name) == Literal("Bob")
        start = lineage.value(operation, PROV.startedAtTime)
        end = lineage.value(operation, PROV.endedAtTime)
        assert isinstance(start, Literal) and isinstance(end, Literal)
        assert start.toPython() <= end.toPython()
        code = lineage.value(operation, ML.implementedBy)
        assert code is not None and (code, RDF.type, ML.Code) in lineage
        assert str(lineage.value(code, ML.filePath)).endswith("test_operations.py")
        if head is not None:  # running inside the git checkout
            assert lineage.value(code, ML.filePath) == Literal("tests/test_operations.py")
            assert lineage.value(code, ML.commit) == Literal(head)
            assert lineage.value(code, ML.repository) is not None
    assert (raw.source, RDF.type, ML.FileSource) in lineage
    assert (clean_iri, PROV.wasDerivedFrom, raw.dataset) in lineage
    assert (scaled_iri, PROV.wasDerivedFrom, clean_iri) in lineage
    assert lineage.value(cleaning.iri, ML.purpose) == Literal(
        "Drop rows with missing measurements")
    # one code record for the one file, shared by every step
    assert len(set(lineage.subjects(RDF.type, ML.Code))) == 1

    # The intermediate data sets carry pandas' meta-features of what the block produced.
    g = lake.describe(clean_iri)
    assert (clean_iri, RDF.type, ML.Dataset) in g
    assert str(g.value(clean_iri, ML.storageLocation)).startswith("memory://operation-cleaning-")
    mf = g.value(clean_iri, ML.hasMetafeatures)
    assert isinstance(mf, URIRef)
    numeric = clean.drop(columns=["target"])
    assert g.value(mf, ML.numberOfInstances).toPython() == len(clean)  # type: ignore[union-attr]
    assert g.value(mf, ML.numberOfMissingValues).toPython() == 0  # type: ignore[union-attr]
    assert g.value(mf, ML.meanMeansOfNumericAtts).toPython() == numeric.mean().mean()  # type: ignore[union-attr]
    assert g.value(mf, ML.meanStdDevOfNumericAtts).toPython() == numeric.std().mean()  # type: ignore[union-attr]
    assert len(raw_frame().dropna()) == len(clean) < 569


def test_an_exception_in_the_block_registers_nothing(lake: Lake, store: Store,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "bc.csv"
    load_breast_cancer(as_frame=True).frame.to_csv(path, index=False)
    raw = ingest(lake, path, owner="agent-bob")
    before = store.quads()
    with pytest.raises(ZeroDivisionError), record_operation(
        lake, "reduction", used=[raw.dataset], agent="agent-bob",
    ) as op:
        op.generated(pd.read_csv(path).iloc[:, :5], title="First five columns")
        _ = 1 / 0
    assert store.quads() == before
    assert not lake.exists(op.iri) and op.result is None
    with pytest.raises(BadInputError, match="generated nothing"), record_operation(
        lake, "integration", used=[raw.dataset], owner="agent-bob",
    ):
        pass
    with pytest.raises(BadInputError, match="not in the lake"):
        record_operation(lake, "cleaning", used=["dataset-nowhere"], agent="agent-bob")
    with pytest.raises(BadInputError, match="unknown operation kind"):
        record_operation(lake, "training", used=[raw.dataset],  # type: ignore[arg-type]
                         agent="agent-bob")
    assert store.quads() == before


def test_capture_code_outside_and_inside_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    script = tmp_path / "pipeline.py"
    script.write_text("print('hello')\n")
    monkeypatch.setattr(operations, "_git", lambda cwd, *args: None)  # not a checkout
    code = capture_code(script)
    assert code["file_path"] == str(script.resolve()) and code["title"] == "pipeline.py"
    assert code["content_hash"].startswith("sha256:")
    assert "repository" not in code and "commit" not in code

    answers = {"rev-parse": [str(tmp_path), "0123abcd" * 5],
               "config": ["https://alice:s3cret-token@git.example.org/team/pipes.git"]}
    monkeypatch.setattr(operations, "_git", lambda cwd, *args: answers[args[0]])
    code = capture_code(script)
    assert code["file_path"] == "pipeline.py"
    assert code["commit"] == "0123abcd" * 5
    assert code["repository"] == "https://git.example.org/team/pipes.git"  # no credentials
