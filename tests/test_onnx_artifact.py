"""Registering a model from an ONNX file: files the tests make from scikit-learn models with
skl2onnx (a logistic regression on iris, a random forest on breast cancer, a small MLP), read
back with the onnx package, on both stores, by the CLI and the API; a file that is no ONNX model
is refused and nothing is stored."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef
from skl2onnx import to_onnx
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from typer.testing import CliRunner

from modellake.api import create_app
from modellake.cli import app
from modellake.errors import BadInputError
from modellake.lake import Lake
from modellake.namespaces import ML
from modellake.onnx_artifact import read_onnx, register_onnx
from modellake.settings import Settings
from modellake.store import Store

from .conftest import lake_on

LAKE = """
@prefix ml: <https://w3id.org/modellake#> .
@prefix ex: <https://w3id.org/modellake/id/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:agent-tim a ml:Person ; foaf:name "Tim" .
ex:dataset-breast-cancer a ml:Dataset ; dct:title "Breast cancer Wisconsin" ;
    ml:storageLocation "sklearn:load_breast_cancer" ; ml:owner ex:agent-tim ;
    dct:created "2024-01-01"^^xsd:date .
"""


def _onnx(estimator: object, X: np.ndarray) -> bytes:
    return bytes(to_onnx(estimator, X[:1].astype(np.float32)).SerializeToString())


@pytest.fixture(scope="module")
def iris_lr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    X, y = load_iris(return_X_y=True)
    path = tmp_path_factory.mktemp("onnx") / "iris-logreg.onnx"
    path.write_bytes(_onnx(LogisticRegression(max_iter=500).fit(X, y), X))
    return path


@pytest.fixture(scope="module")
def cancer_rf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    X, y = load_breast_cancer(return_X_y=True)
    forest = RandomForestClassifier(n_estimators=5, max_depth=3, random_state=0).fit(X, y)
    path = tmp_path_factory.mktemp("onnx") / "cancer-forest.onnx"
    path.write_bytes(_onnx(forest, X))
    return path


def _values(lake: Lake, node: URIRef, prop: URIRef) -> list[object]:
    return [o.toPython() if isinstance(o, Literal) else o
            for o in lake.describe(node).objects(node, prop)]


def test_read_onnx_states_what_the_file_says(iris_lr: Path) -> None:
    import onnx

    data = iris_lr.read_bytes()
    facts = read_onnx(data)
    model = onnx.load(str(iris_lr))
    assert facts.sha256 == hashlib.sha256(data).hexdigest() and facts.size == len(data)
    assert facts.opset == next(o.version for o in model.opset_import if o.domain == "")
    assert facts.producer == f"{model.producer_name} {model.producer_version}"
    assert [(p.name, p.element_type, list(p.shape or [])) for p in facts.inputs] == [
        ("X", "tensor(float)", [None, 4])]
    assert [p.name for p in facts.outputs] == [o.name for o in model.graph.output]
    assert sum(facts.operators.values()) == len(model.graph.node)
    assert "ai.onnx.ml:LinearClassifier" in facts.operators


def test_parameter_count_is_the_weights_in_the_initializers() -> None:
    X, y = load_iris(return_X_y=True)
    mlp = MLPClassifier(hidden_layer_sizes=(6,), max_iter=50, random_state=0)
    with pytest.warns(Warning):
        mlp.fit(X, y)  # not converged: the weights are what they are
    expected = sum(w.size for w in mlp.coefs_) + sum(b.size for b in mlp.intercepts_)
    assert read_onnx(_onnx(mlp, X)).parameters == expected


def test_a_file_alone_is_an_imported_model_with_its_gaps_named(
        store: Store, iris_lr: Path) -> None:
    lake = lake_on(store)
    result = register_onnx(lake, iris_lr, task="tabular classification")
    assert (result.kind, result.outcome) == ("ml:ImportedModel", "created")
    assert len(result.missing) == 4
    node = result.model
    assert ML.ImportedModel in lake.types(node)
    assert _values(lake, node, ML.contentHash) == [f"sha256:{result.facts.sha256}"]
    assert _values(lake, node, ML.opsetVersion) == [result.facts.opset]
    assert _values(lake, node, ML.task) == [lake.node_iri("task-tabular-classification")]
    shapes = lake.sparql(
        "PREFIX ml: <https://w3id.org/modellake#> SELECT ?shape WHERE { "
        f"<{node}> ml:hasInput ?f . ?f ml:tensorShape ?shape " + "}").rows
    assert [json.loads(str(r["shape"])) for r in shapes] == [[None, 4]]
    messages = {w.message for w in result.warnings}
    assert any("trained on" in m for m in messages)

    again = register_onnx(lake, iris_lr, task="tabular classification")
    assert again.outcome == "unchanged" and again.model == node


def test_a_file_with_its_facts_is_a_model(store: Store, cancer_rf: Path) -> None:
    lake = lake_on(store, LAKE)
    result = register_onnx(
        lake, cancer_rf, title="Breast cancer forest", trained_on="dataset-breast-cancer",
        administrator="agent-tim", algorithm="random forest", created="2024-03-01")
    assert (result.kind, result.missing) == ("ml:Model", [])
    node = result.model
    assert ML.ImportedModel not in lake.types(node)
    assert _values(lake, node, ML.usesAlgorithm) == [ML.RandomForest]
    assert _values(lake, node, ML.trainedOn) == [lake.node_iri("dataset-breast-cancer")]
    assert "ai.onnx.ml:TreeEnsembleClassifier" in result.facts.operators
    lineage = lake.lineage(node)
    assert (node, ML.trainedOn, lake.node_iri("dataset-breast-cancer")) in lineage


def test_corrupt_file_is_refused_and_nothing_stored(store: Store, tmp_path: Path,
                                                    iris_lr: Path) -> None:
    lake = lake_on(store)
    before = store.count()
    for name, data in (("text.onnx", b"not a model at all\n"),
                       ("cut.onnx", iris_lr.read_bytes()[:200]), ("empty.onnx", b"")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(BadInputError, match="not a valid ONNX model"):
            register_onnx(lake, path)
    with pytest.raises(BadInputError, match="unknown algorithm"):
        register_onnx(lake, iris_lr, algorithm="alchemy")
    assert store.count() == before


def test_cli_register_onnx(tmp_path: Path, iris_lr: Path) -> None:
    runner = CliRunner()
    base = ["--data-dir", str(tmp_path / "lake"), "register-onnx"]
    result = runner.invoke(app, [*base, str(iris_lr), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["kind"] == "ml:ImportedModel" and body["outcome"] == "created"
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"garbage")
    refused = runner.invoke(app, [*base, str(bad)])
    assert refused.exit_code == 2
    assert "not a valid ONNX model" in refused.output


def test_api_upload(store: Store, iris_lr: Path) -> None:
    settings = Settings(tokens={"w": "writer"}, max_upload_bytes=100_000)
    with TestClient(create_app(settings, store=store)) as client:
        writer = {"Authorization": "Bearer w"}
        files = {"file": ("iris.onnx", iris_lr.read_bytes(), "application/octet-stream")}
        created = client.post("/api/v1/models/onnx", files=files, headers=writer,
                              data={"title": "Iris", "task": "tabular-classification"})
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["kind"] == "ml:ImportedModel" and body["facts"]["opset"] is not None
        assert client.get(body["href"]).status_code == 200
        again = client.post("/api/v1/models/onnx", files=files, headers=writer,
                            data={"title": "Iris", "task": "tabular-classification"})
        assert (again.status_code, again.json()["outcome"]) == (200, "unchanged")

        before = store.count()
        bad = client.post("/api/v1/models/onnx", headers=writer,
                          files={"file": ("x.onnx", b"garbage", "application/octet-stream")})
        assert bad.status_code == 400 and "not a valid ONNX model" in bad.text
        big = client.post("/api/v1/models/onnx", headers=writer,
                          files={"file": ("x.onnx", b"0" * 100_001, "application/octet-stream")})
        assert big.status_code == 413
        assert client.post("/api/v1/models/onnx", files=files).status_code == 401
        assert store.count() == before
