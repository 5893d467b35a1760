"""A small real lake for the provenance tests: scikit-learn's diabetes data (progression binarised
at the median), split 70/30 into a training and a test CSV, both ingested with their target, and
the paper's Diabetes Predictor (an RBF SVC, C=2.3, behind a StandardScaler) trained on the
training part and captured with its joblib artifact and 5-fold cross-validated accuracy."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from rdflib import Graph, Literal, URIRef
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from modellake.lake import Lake
from modellake.namespaces import DCTERMS, ML, RDF, XSD
from modellake.sklearn_capture import register_sklearn
from modellake.store import Store

from .conftest import lake_on

TARGET = "progression_high"
AGENTS = """
@prefix ml: <https://w3id.org/modellake#> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://w3id.org/modellake/id/agent-ada> a ml:Person ; foaf:name "Ada" .
"""


@dataclass
class Setup:
    lake: Lake
    model: URIRef
    train: URIRef
    test: URIRef
    estimator: Any
    test_frame: pd.DataFrame
    artifact: Path
    directory: Path

    @property
    def real_accuracy(self) -> float:
        """The model's accuracy on the test CSV, computed here with scikit-learn itself."""
        X = self.test_frame.drop(columns=[TARGET])
        return float(self.estimator.score(X, self.test_frame[TARGET]))


def diabetes_split(directory: Path) -> tuple[Path, Path, pd.DataFrame, pd.DataFrame]:
    data = load_diabetes(as_frame=True)
    frame = data.data.copy()
    frame[TARGET] = (data.target > data.target.median()).astype(int)
    train, test = train_test_split(frame, test_size=0.3, random_state=0,
                                   stratify=frame[TARGET])
    directory.mkdir(parents=True, exist_ok=True)
    train_path, test_path = directory / "diabetes-train.csv", directory / "diabetes-test.csv"
    train.to_csv(train_path, index=False)
    test.to_csv(test_path, index=False)
    return train_path, test_path, train, test


def build(store: Store, directory: Path) -> Setup:
    lake = lake_on(store, AGENTS)
    train_path, test_path, train, test = diabetes_split(directory)
    trained = lake.ingest(train_path, owner="agent-ada", target=TARGET, title="Diabetes train",
                          dataset_id="dataset-diabetes-train")
    tested = lake.ingest(test_path, owner="agent-ada", target=TARGET, title="Diabetes test",
                         dataset_id="dataset-diabetes-test")
    estimator = make_pipeline(StandardScaler(), SVC(kernel="rbf", C=2.3))
    artifact = directory / "predictor.joblib"
    result = register_sklearn(
        lake, estimator, trained_on=trained.dataset, X=train.drop(columns=[TARGET]),
        y=train[TARGET], title="Diabetes Predictor", administrator="agent-ada", cv=5,
        scoring=["accuracy"], model_id="model-predictor", artifact_path=artifact)
    return Setup(lake, result.model, trained.dataset, tested.dataset, estimator, test, artifact,
                 directory)


def claim(lake: Lake, model: URIRef, value: float, dataset: URIRef, *,
          measure: URIRef = ML.Accuracy, split: str = "test", name: str = "claim") -> URIRef:
    """A claimed evaluation, as a model card states it."""
    node = lake.node_iri(f"evaluation-{name}")
    g = Graph()
    g.add((node, RDF.type, ML.ClaimedEvaluation))
    g.add((node, ML.evaluatedModel, model))
    g.add((node, ML.evaluationMeasure, measure))
    g.add((node, ML.value, Literal(value)))
    g.add((node, ML.evaluatedOn, dataset))
    g.add((node, ML.datasetSplit, Literal(split)))
    lake.register(g)
    return node


def attach_artifact(lake: Lake, model: URIRef, path: Path, fmt: str) -> None:
    """Point the model at another stored artifact (location, sha256, format): a replace."""
    g = Graph()
    for triple in lake.describe(model):
        if triple[1] not in (ML.storageLocation, ML.contentHash, ML.fileFormat, ML.revision):
            g.add(triple)
    g.add((model, ML.storageLocation, Literal(str(path), datatype=XSD.anyURI)))
    g.add((model, ML.contentHash,
           Literal("sha256:" + hashlib.sha256(path.read_bytes()).hexdigest())))
    g.add((model, ML.fileFormat, Literal(fmt)))
    lake.replace(model, g, if_match=lake.revision(model))


def set_text(lake: Lake, node: URIRef, predicate: URIRef, text: str) -> None:
    g = Graph()
    for triple in lake.describe(node):
        if triple[1] not in (predicate, ML.revision):
            g.add(triple)
    g.add((node, predicate, Literal(text)))
    lake.replace(node, g, if_match=lake.revision(node))


def title(lake: Lake, node: URIRef) -> str:
    return str(lake.describe(node).value(node, DCTERMS.title))
