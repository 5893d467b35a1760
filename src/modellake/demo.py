"""The demo lake that `make run` serves, built by code from scikit-learn's real data sets.

For each of diabetes, breast cancer, wine and iris: the CSV file is written out and ingested
from a file source; a cleaning operation drops duplicate rows and a transformation prepares the
training table (for diabetes: the progression score binarised at its median, as in
examples/modelDP.py); then several models per task are trained and evaluated with 5-fold
cross-validation and captured with `register_sklearn`. The paper's *Diabetes Predictor* (an SVM,
kernel=rbf, C=2.3, code examples/modelDP.py) is among them with its real measured accuracy.
Later evaluations of one model on fresh samples show the monitoring query at work.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
from rdflib import Graph, Literal, URIRef
from rich.progress import Progress
from sklearn import datasets
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from .compliance import change_stage
from .lake import Lake
from .namespaces import DCTERMS, FOAF, ML, RDF
from .resources import example_file
from .sklearn_capture import record_evaluation, register_sklearn

PEOPLE = {
    "agent-bob": ("Bob", "Data administrator of the clinical and reference data sets."),
    "agent-tim": ("Tim", "Data scientist; administrator of the Diabetes Predictor."),
    "agent-alice": ("Alice", "ML engineer who maintains the benchmark models."),
}
MARKER = "model-diabetes-predictor"


@dataclass(frozen=True)
class Task:
    name: str  # data set name in scikit-learn and in ids
    title: str
    loader: Callable[..., Any]
    target: str
    purpose: str
    keywords: tuple[str, ...]
    description: str  # what the raw table holds, from scikit-learn's documentation of it


TASKS = (
    Task("diabetes", "Diabetes", datasets.load_diabetes, "progression_above_median",
         "Research on early detection of diabetes progression.", ("healthcare", "diabetes"),
         "442 diabetes patients: ten baseline variables (age, sex, body mass index, average "
         "blood pressure and six blood serum measurements) and a measure of disease progression "
         "one year after baseline."),
    Task("breast-cancer", "Breast cancer (Wisconsin diagnostic)", datasets.load_breast_cancer,
         "target", "Decision support for breast-cancer diagnosis.", ("healthcare", "oncology"),
         "569 breast masses, each described by 30 features computed from a digitised image of a "
         "fine needle aspirate, labelled malignant or benign."),
    Task("wine", "Wine recognition", datasets.load_wine, "target",
         "Classifying wines by cultivar from their chemistry.", ("chemistry", "food"),
         "178 wines grown in the same region of Italy by three cultivars, with 13 constituents "
         "found by chemical analysis."),
    Task("iris", "Iris flowers", datasets.load_iris, "target",
         "Teaching and benchmarking classifiers.", ("botany", "benchmark"),
         "150 iris flowers of three species, with the length and width of their sepals and "
         "petals."),
)


def _models() -> dict[str, tuple[str, Any]]:
    return {
        "svm": ("SVM", Pipeline([("scale", StandardScaler()), ("svc", SVC(kernel="rbf"))])),
        "random-forest": ("random forest", RandomForestClassifier(n_estimators=60,
                                                                  random_state=0)),
        "logistic-regression": ("logistic regression", Pipeline([
            ("scale", StandardScaler()), ("logreg", LogisticRegression(max_iter=2000))])),
        "gradient-boosting": ("gradient boosting", GradientBoostingClassifier(
            n_estimators=60, random_state=0)),
        "knn": ("k-nearest neighbours", Pipeline([
            ("scale", StandardScaler()), ("knn", KNeighborsClassifier())])),
    }


def _model_dp() -> ModuleType:
    """examples/modelDP.py, the Diabetes Predictor's own code, loaded as a module."""
    path = example_file("modelDP.py")
    spec = importlib.util.spec_from_file_location("modelDP", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _people(lake: Lake) -> None:
    graph = Graph()
    for local, (name, description) in PEOPLE.items():
        node = lake.node_iri(local)
        if lake.exists(node):
            continue
        graph.add((node, RDF.type, ML.Person))
        graph.add((node, FOAF.name, Literal(name)))
        graph.add((node, DCTERMS.description, Literal(description)))
    if len(graph):
        lake.register(graph)


@contextmanager
def _steps(show: bool, total: int) -> Iterator[Callable[[str], None]]:
    if not show:
        yield lambda _: None
        return
    with Progress(transient=False) as progress:
        task = progress.add_task("building the demo lake", total=total)

        def step(what: str) -> None:
            progress.update(task, advance=1, description=what)

        yield step


def build_demo_lake(lake: Lake, workdir: Path, *, progress: bool = True) -> list[URIRef]:
    """Build the demo lake into ``lake``, writing its data files under ``workdir``.

    Returns the models it registered. Does nothing if the Diabetes Predictor is already there.
    """
    if lake.exists(lake.node_iri(MARKER)):
        return []
    raw_dir = workdir / "raw"
    raw_dir.mkdir(parents=True, exist_ok=True)
    model_dp = _model_dp()
    models: list[URIRef] = []
    with _steps(progress, len(TASKS) * 3 + 1) as step:
        _people(lake)
        step("people registered")
        for task in TASKS:
            train_id, frame = _data_zone(lake, task, raw_dir, model_dp)
            step(f"{task.title}: ingested, cleaned, transformed")
            models += _analysis_zone(lake, task, train_id, frame, model_dp, workdir)
            step(f"{task.title}: models trained and evaluated")
            step(f"{task.title}: done")
        _monitoring(lake, models[0])
    return models


def _data_zone(lake: Lake, task: Task, raw_dir: Path, model_dp: ModuleType
               ) -> tuple[URIRef, pd.DataFrame]:
    bunch = task.loader(as_frame=True)
    raw = bunch.frame
    path = raw_dir / f"{task.name}.csv"
    raw.to_csv(path, index=False)
    ingested = lake.ingest(
        path, owner="agent-bob", title=f"{task.title} (raw)", dataset_id=f"dataset-{task.name}-raw",
        new_source={"title": f"{task.title} CSV export", "kind": "file",
                    "id": f"source-{task.name}-csv"},
        purpose=task.purpose, target=None if task.name == "diabetes" else task.target,
        keywords=task.keywords, description=task.description,
    )
    with lake.operation("cleaning", used=[ingested.dataset], title=f"Clean {task.title}",
                        purpose="Remove duplicate records before training.",
                        agent="agent-bob") as cleaning:
        clean = raw.drop_duplicates().reset_index(drop=True)
        cleaned = cleaning.generated(
            clean, title=f"{task.title} (clean)",
            target=None if task.name == "diabetes" else task.target,
            description=f"{task.title} (raw) without its duplicate rows.")
    with lake.operation("transformation", used=[cleaned], title=f"Prepare {task.title}",
                        purpose="Build the training table: features and a class label.",
                        agent="agent-tim", owner="agent-tim") as transformation:
        table = model_dp.labelled(clean) if task.name == "diabetes" else clean
        prepared = transformation.generated(
            table, title=task.title, target=task.target,
            description=f"The training table of the {task.title} models: the features and the "
            f"label {task.target}" + (", the progression score binarised at its median."
                                      if task.name == "diabetes" else "."))
    return prepared, table


def _analysis_zone(lake: Lake, task: Task, train_id: URIRef, frame: pd.DataFrame,
                   model_dp: ModuleType, workdir: Path) -> list[URIRef]:
    X, y = frame.drop(columns=[task.target]), frame[task.target]
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    scoring = ("accuracy", "f1_macro")
    registered: list[URIRef] = []
    artifacts = workdir / "models"
    artifacts.mkdir(parents=True, exist_ok=True)
    if task.name == "diabetes":
        result = register_sklearn(
            lake, model_dp.diabetes_predictor(), trained_on=train_id, X=X, y=y, cv=folds,
            scoring=scoring, title="Diabetes Predictor", model_id=MARKER,
            administrator="agent-tim", code=example_file("modelDP.py"),
            artifact_path=artifacts / "modelDP.joblib",
            purpose="Flag patients whose diabetes is likely to progress fast.",
            description="The paper's Diabetes Predictor: an RBF SVM (C=2.3) on standardised "
            "baseline attributes.", lifecycle_stage="staging")
        registered.append(result.model)
        # Through the lifecycle gate: the blocking compliance checks run before the move.
        change_stage(lake, result.model, "production", approver="agent-bob",
                     evidence=[str(e) for e in result.evaluations],
                     note="Cross-validated accuracy reviewed by the data administrator.")
    for key, (label, estimator) in _models().items():
        if task.name == "diabetes" and key == "svm":
            continue  # the Diabetes Predictor is this task's SVM
        result = register_sklearn(
            lake, estimator, trained_on=train_id, X=X, y=y, cv=folds, scoring=scoring,
            title=f"{task.title} {label}", model_id=f"model-{task.name}-{key}",
            administrator="agent-alice", artifact_path=artifacts / f"{task.name}-{key}.joblib",
            purpose=task.purpose, lifecycle_stage="development")
        registered.append(result.model)
    return registered


def _monitoring(lake: Lake, model: URIRef) -> None:
    """Later measurements of the Diabetes Predictor on fresh samples: its score drifts down.

    (The demo is built in one go, so "later" is seconds after the cross-validation.)"""
    start = datetime.now(UTC)
    for step, value in enumerate((0.731, 0.702, 0.655), start=1):
        record_evaluation(lake, model, measure="accuracy", value=value,
                          evaluated_on="dataset-diabetes-raw",
                          at=start + timedelta(seconds=step), method="hold-out")
