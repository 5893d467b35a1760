"""Model capture from scikit-learn: one call records what a model card shows, measured.

``register_sklearn`` cross-validates an estimator (so the numbers are real), fits it, and
registers in ONE write: the algorithm (an ml:Algorithm node per estimator class, reused by later
captures), every hyperparameter of ``get_params(deep=True)``, the training run, the model (with
its artifact file and hash and the data set features it was trained on), one measured evaluation
per metric (mean and standard deviation over the folds) and the code. ``record_evaluation`` adds a
dated measured evaluation of an existing model later (monitoring).

Loading an artifact (``register_sklearn_artifact``) unpickles it: only do that with files you
trust, never with uploads.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import os
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import import_module, metadata
from pathlib import Path
from typing import Any, Final

import joblib
import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError
from rdflib import Graph, Literal, URIRef
from sklearn.base import BaseEstimator, is_classifier
from sklearn.exceptions import NotFittedError
from sklearn.metrics import get_scorer
from sklearn.model_selection import KFold, StratifiedKFold, check_cv, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from .errors import BadInputError, ConflictError, NotFoundError, UnknownReferenceError
from .lake import LOCAL_USER, Lake, Principal
from .namespaces import DCAT, DCTERMS, ML, PROV, RDF, RDFS, XSD
from .operations import capture_code, code_graph
from .typed_records import Measure, Method, Stage, _segment, parse_record, to_graph

PathLike = str | os.PathLike[str]
CodeSpec = PathLike | URIRef | Mapping[str, Any]

# Estimator class name → algorithm family (an individual of the ontology).
_FAMILIES: Final = [
    (r"(Nu)?SV[CR]|Linear(SVC|SVR)|OneClassSVM", ML.SupportVectorMachine),
    (r"RandomForest(Classifier|Regressor)", ML.RandomForest),
    (r"LogisticRegression(CV)?", ML.LogisticRegression),
    (r"LinearRegression|Ridge(CV)?|Lasso(CV|Lars|LarsCV|LarsIC)?|ElasticNet(CV)?|Lars(CV)?"
     r"|BayesianRidge|ARDRegression", ML.LinearRegression),
    (r"(Hist)?GradientBoosting(Classifier|Regressor)|XGB\w+|LGBM\w+|CatBoost\w+",
     ML.GradientBoosting),
    (r"KNeighbors(Classifier|Regressor)", ML.KNearestNeighbours),
    (r"DecisionTree(Classifier|Regressor)", ML.DecisionTree),
    (r"(Gaussian|Multinomial|Bernoulli|Complement|Categorical)NB", ML.NaiveBayes),
    (r"MLP(Classifier|Regressor)", ML.NeuralNetwork),
]
# Averaging variants of a scorer measure the same thing as the plain one (f1_weighted → F1).
_AVERAGING = re.compile(r"_(macro|micro|weighted|samples|binary|ovr|ovo)(_weighted)?$")

_MEASURE = TypeAdapter(Measure)
_METHOD = TypeAdapter(Method)
_STAGE = TypeAdapter(Stage)


@dataclass(frozen=True)
class Score:
    """One metric of a capture: the scikit-learn scorer, the measure, mean and std over folds."""

    scorer: str
    measure: URIRef
    mean: float
    std: float
    negated: bool  # a neg_* scorer: the stored value is -mean of what scikit-learn returned
    evaluation: URIRef


@dataclass(frozen=True)
class Artifact:
    path: Path
    sha256: str
    byte_size: int
    written: bool  # False: the file existed and was recorded as it was


@dataclass(frozen=True)
class CaptureResult:
    model: URIRef
    training: URIRef
    hyperparameters: URIRef
    algorithm: URIRef
    algorithm_created: bool
    code: URIRef | None
    scores: dict[str, Score]
    features: dict[str, URIRef]  # column of X → the data set's feature node
    unmatched_columns: list[str]  # columns of X with no feature node in the data set
    artifact: Artifact | None
    revision: str
    notes: list[str] = field(default_factory=list)

    @property
    def evaluations(self) -> list[URIRef]:
        return [s.evaluation for s in self.scores.values()]

    def to_json(self) -> dict[str, Any]:
        return {
            "model": str(self.model), "training": str(self.training),
            "hyperparameters": str(self.hyperparameters), "algorithm": str(self.algorithm),
            "algorithm_created": self.algorithm_created,
            "code": str(self.code) if self.code else None,
            "scores": {name: {"measure": str(s.measure), "mean": s.mean, "std": s.std,
                              "negated": s.negated, "evaluation": str(s.evaluation)}
                       for name, s in self.scores.items()},
            "features": {col: str(f) for col, f in self.features.items()},
            "unmatched_columns": self.unmatched_columns,
            "artifact": None if self.artifact is None else {
                "path": str(self.artifact.path), "sha256": self.artifact.sha256,
                "byte_size": self.artifact.byte_size, "written": self.artifact.written},
            "revision": self.revision, "notes": self.notes,
        }


# -- the capture ---------------------------------------------------------------------------------

def register_sklearn(
    lake: Lake, estimator: Any, *, trained_on: str | URIRef, X: Any, y: Any, title: str,
    administrator: str | URIRef, cv: Any = 5,
    scoring: str | Sequence[str] | Mapping[str, Any] = ("accuracy",),
    model_id: str | None = None, agent: str | URIRef | None = None, code: CodeSpec | None = None,
    artifact_path: PathLike | None = None, purpose: str | None = None,
    description: str | None = None, lifecycle_stage: str | None = None, fit: bool = True,
    random_state: int | None = None, principal: Principal = LOCAL_USER,
) -> CaptureResult:
    """Cross-validate, fit (unless ``fit=False``) and register a scikit-learn estimator.

    ``cv`` is a number of folds or a scikit-learn splitter; with a number and ``random_state``
    the folds are shuffled (StratifiedKFold for classifiers, KFold otherwise). ``scoring`` names
    scikit-learn scorers (each must map to an evaluation measure of the ontology) or maps such
    names to scorer callables. Raises UnknownReferenceError before any work if the data set or
    agents are not in the lake, BadInputError for unusable input; nothing is stored on error.
    """
    notes: list[str] = []
    dataset = lake.node_iri(str(trained_on))
    admin = lake.node_iri(str(administrator))
    runner = lake.node_iri(str(agent)) if agent is not None else admin
    _require(lake, [(dataset, ML.trainedOn), (admin, ML.administrator),
                    (runner, PROV.wasAssociatedWith)])
    _check_samples(X, y)
    scorers = _scorers(scoring)
    final = estimator.steps[-1][1] if isinstance(estimator, Pipeline) else estimator
    if final in (None, "passthrough"):
        final = estimator
    if not fit:
        try:
            check_is_fitted(estimator)
        except NotFittedError:
            raise BadInputError("the estimator is not fitted: fit it first or pass fit=True")\
                from None
    splitter = _splitter(cv, y, estimator, random_state)
    folds = int(splitter.get_n_splits(X, y))
    stem = _stem(model_id)
    model = lake.node_iri(model_id or f"model-{stem}")
    if lake.exists(model):
        raise ConflictError(f"<{model}> already exists; choose another model_id", [str(model)])
    stage = URIRef(_resolve(_STAGE, lifecycle_stage, "stage")) if lifecycle_stage else None
    code_node, code_graph = _code(lake, code, stem, notes)
    features, unmatched = _feature_links(lake, dataset, X, notes)

    started = datetime.now(UTC)
    try:
        results = cross_validate(estimator, X, y, cv=splitter, error_score="raise",
                                 scoring={name: s for name, (s, _, _) in scorers.items()})
        if fit:
            estimator.fit(X, y)
    except (ValueError, TypeError) as exc:
        raise BadInputError(f"scikit-learn could not cross-validate or fit: {exc}") from exc
    ended = datetime.now(UTC)

    training = lake.node_iri(f"training-{stem}")
    hyper = lake.node_iri(f"hyperparameters-{stem}")
    class_path = _class_path(type(final))
    algorithm = lake.node_iri("algorithm-" + re.sub(r"[^a-z0-9]+", "-", class_path.lower()))
    libraries = sorted({_library("sklearn"), _library(type(final).__module__)})

    g = Graph()
    # the model
    g.add((model, RDF.type, ML.Model))
    g.add((model, DCTERMS.title, Literal(title)))
    g.add((model, ML.usesAlgorithm, algorithm))
    g.add((model, ML.trainedOn, dataset))
    g.add((model, ML.hasHyperparameterSet, hyper))
    g.add((model, ML.administrator, admin))
    g.add((model, DCTERMS.created, _when(ended)))
    g.add((model, PROV.wasGeneratedBy, training))
    g.add((model, ML.estimatorClass, Literal(_class_path(type(estimator)))))
    for library in libraries:
        g.add((model, ML.library, Literal(library)))
    for predicate, text in ((DCTERMS.description, description), (ML.purpose, purpose)):
        if text:
            g.add((model, predicate, Literal(text)))
    if stage is not None:
        g.add((model, ML.lifecycleStage, stage))
    for feature in features.values():
        g.add((model, ML.trainedOnFeature, feature))
    artifact = None
    if artifact_path is not None:
        artifact = _artifact(Path(artifact_path), estimator, notes)
        g.add((model, ML.storageLocation, Literal(str(artifact.path), datatype=XSD.anyURI)))
        g.add((model, ML.contentHash, Literal(f"sha256:{artifact.sha256}")))
        g.add((model, ML.fileFormat, Literal("joblib")))
        g.add((model, DCAT.byteSize, Literal(artifact.byte_size)))
    # the hyperparameters, one part per get_params(deep=True) entry
    g.add((hyper, RDF.type, ML.HyperparameterSet))
    g.add((hyper, DCTERMS.title, Literal(f"Hyperparameters of {title}")))
    for name, value in sorted(estimator.get_params(deep=True).items()):
        setting = URIRef(f"{hyper}/setting/{_segment(name)}")
        g.add((hyper, ML.hasSetting, setting))
        g.add((setting, RDF.type, ML.HyperparameterSetting))
        g.add((setting, ML.parameterName, Literal(name)))
        g.add((setting, ML.parameterValue, setting_value(value)))
    # the training run
    method = f"{folds}-fold cross-validation"
    g.add((training, RDF.type, ML.Training))
    g.add((training, DCTERMS.title, Literal(f"Training of {title}")))
    for used in (dataset, hyper):
        g.add((training, PROV.used, used))
    g.add((training, PROV.generated, model))
    g.add((training, ML.usesAlgorithm, algorithm))
    g.add((training, ML.hasHyperparameterSet, hyper))
    g.add((training, ML.trainingMethod, Literal(
        method if isinstance(cv, numbers.Integral) and random_state is None
        else f"{method} ({type(splitter).__name__})")))
    g.add((training, PROV.wasAssociatedWith, runner))
    g.add((training, PROV.startedAtTime, _when(started)))
    g.add((training, PROV.endedAtTime, _when(ended)))
    for library in libraries:
        g.add((training, ML.library, Literal(library)))
    # one measured evaluation per metric
    scores: dict[str, Score] = {}
    for name, (_, measure, negated) in scorers.items():
        values = np.asarray(results[f"test_{name}"], dtype=float)
        mean = float(-values.mean() if negated else values.mean())
        evaluation = lake.node_iri(f"evaluation-{stem}-{_segment(name)}")
        scores[name] = Score(name, measure, mean, float(values.std()), negated, evaluation)
        g += _evaluation_graph(evaluation, model=model, measure=measure, value=mean,
                               std=float(values.std()), dataset=dataset, at=ended,
                               method=ML.CrossValidation, folds=folds,
                               title=f"{name}, {method}")
        g.add((evaluation, PROV.wasGeneratedBy, training))
        g.add((training, PROV.generated, evaluation))
        if negated:
            g.add((evaluation, DCTERMS.description, Literal(
                f"scikit-learn's {name} negated: the value is the error itself")))
            notes.append(f"{name}: scikit-learn reports the negated error; stored {mean:g}")
    # the code
    if code_node is not None:
        g.add((model, ML.implementedBy, code_node))
        g.add((training, ML.implementedBy, code_node))
        g += code_graph
    # the algorithm, unless an earlier capture registered it
    algorithm_graph = _algorithm_graph(algorithm, type(final), class_path)
    created = not lake.exists(algorithm)
    try:
        try:
            write = lake.register(g + algorithm_graph if created else g, principal=principal)
        except ConflictError as exc:
            if not (created and exc.nodes == [str(algorithm)]):
                raise
            created = False  # registered meanwhile by another capture: point at that one
            write = lake.register(g, principal=principal)
    except BaseException:
        if artifact is not None and artifact.written:
            artifact.path.unlink(missing_ok=True)
        raise
    return CaptureResult(model, training, hyper, algorithm, created, code_node, scores,
                         features, unmatched, artifact, write.revision, notes)


def register_sklearn_artifact(
    lake: Lake, artifact_path: PathLike, *, trained_on: str | URIRef, data_path: PathLike,
    target: str, title: str, administrator: str | URIRef, **options: Any,
) -> CaptureResult:
    """Capture a saved (joblib) estimator with its training data read from a CSV file.

    The features are the estimator's ``feature_names_in_`` when it has them, otherwise every
    column but ``target``. The estimator is not refitted (cross-validation still refits clones).
    ``options`` are the other keyword arguments of ``register_sklearn``.
    """
    path = Path(artifact_path)
    if not path.is_file():
        raise BadInputError(f"no artifact file {path}")
    try:
        estimator = joblib.load(path)
        frame = pd.read_csv(data_path)
    except (OSError, ValueError, EOFError) as exc:
        raise BadInputError(f"could not read {path} or {data_path}: {exc}") from exc
    if target not in frame.columns:
        raise BadInputError(f"the data has no column {target!r} (columns: "
                            f"{', '.join(map(str, frame.columns))})")
    wanted = [str(c) for c in getattr(estimator, "feature_names_in_", [])]
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise BadInputError(f"the data lacks the model's input columns {missing}")
    X = frame[wanted] if wanted else frame.drop(columns=[target])
    return register_sklearn(
        lake, estimator, trained_on=trained_on, X=X, y=frame[target], title=title,
        administrator=administrator, artifact_path=path, **{**options, "fit": False},
    )


def record_evaluation(
    lake: Lake, model: str | URIRef, *, measure: str, value: float,
    evaluated_on: str | URIRef, at: datetime | None = None, std: float | None = None,
    method: str | None = None, folds: int | None = None, principal: Principal = LOCAL_USER,
) -> URIRef:
    """A new measured evaluation of an existing model (e.g. on new data), dated ``at``.

    ``measure`` and ``method`` are named as in the typed records ("accuracy", "ml:F1",
    "hold-out" …). A naive ``at`` is taken as UTC. Returns the evaluation's IRI.
    """
    node = lake.node_iri(str(model))
    if not lake.exists(node) or ML.Model not in lake.types(node):
        raise NotFoundError(f"no model <{node}> in the lake")
    dataset = lake.node_iri(str(evaluated_on))
    _require(lake, [(dataset, ML.evaluatedOn)])
    if not math.isfinite(value) or (std is not None and not (math.isfinite(std) and std >= 0)):
        raise BadInputError("value must be a finite number and std a finite number ≥ 0")
    measure_iri = URIRef(_resolve(_MEASURE, measure, "evaluation measure"))
    evaluation = lake.node_iri(f"evaluation-{uuid.uuid4().hex}")
    when = at or datetime.now(UTC)
    lake.register(_evaluation_graph(
        evaluation, model=node, measure=measure_iri, value=float(value), std=std,
        dataset=dataset, at=when, folds=folds,
        method=URIRef(_resolve(_METHOD, method, "evaluation method")) if method else None,
        title=f"{measure_iri.rsplit('#', 1)[-1]} at {_when(when)}"), principal=principal)
    return evaluation


# -- pieces --------------------------------------------------------------------------------------

def setting_value(value: Any) -> Literal:
    """A hyperparameter value as a typed literal: bool, int, float (xsd:double), str; None →
    "None"; estimators → their class name; anything else → a JSON or repr text."""
    if isinstance(value, bool | np.bool_):
        return Literal(bool(value))
    if isinstance(value, numbers.Integral):
        return Literal(int(value))
    if isinstance(value, numbers.Real):
        return _double(float(value))
    if isinstance(value, str):
        return Literal(value)
    plain = _plain(value)
    return Literal(plain if isinstance(plain, str) else json.dumps(plain, default=str))


def _plain(value: Any) -> Any:
    if value is None:
        return "None"
    if isinstance(value, BaseEstimator):
        return type(value).__name__
    if isinstance(value, type):
        return value.__name__
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray) and value.size <= 100:
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if callable(value):
        return str(getattr(value, "__qualname__", None) or type(value).__name__)
    return repr(value)[:1000]


def _double(value: float) -> Literal:
    text = "NaN" if math.isnan(value) else (
        ("INF" if value > 0 else "-INF") if math.isinf(value) else repr(value))
    return Literal(text, datatype=XSD.double)


def _when(moment: datetime) -> Literal:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    text = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return Literal(text, datatype=XSD.dateTime)


def _evaluation_graph(
    evaluation: URIRef, *, model: URIRef, measure: URIRef, value: float, std: float | None,
    dataset: URIRef, at: datetime, method: URIRef | None, folds: int | None, title: str,
) -> Graph:
    g = Graph()
    g.add((evaluation, RDF.type, ML.MeasuredEvaluation))
    g.add((evaluation, DCTERMS.title, Literal(title)))
    g.add((evaluation, ML.evaluatedModel, model))
    g.add((evaluation, ML.evaluationMeasure, measure))
    g.add((evaluation, ML.value, _double(value)))
    g.add((evaluation, ML.evaluatedOn, dataset))
    g.add((evaluation, PROV.generatedAtTime, _when(at)))
    if std is not None:
        g.add((evaluation, ML.valueStandardDeviation, _double(float(std))))
    if method is not None:
        g.add((evaluation, ML.evaluationMethod, method))
    if folds is not None:
        g.add((evaluation, ML.numberOfFolds, Literal(int(folds))))
    return g


def _algorithm_graph(algorithm: URIRef, cls: type, class_path: str) -> Graph:
    g = Graph()
    g.add((algorithm, RDF.type, ML.Algorithm))
    g.add((algorithm, RDFS.label, Literal(cls.__name__)))
    g.add((algorithm, ML.estimatorClass, Literal(class_path)))
    g.add((algorithm, ML.library, Literal(_library(cls.__module__).split(" ")[0])))
    family = algorithm_family(cls.__name__)
    if family is not None:
        g.add((algorithm, ML.algorithmFamily, family))
    return g


def algorithm_family(class_name: str) -> URIRef | None:
    """The ontology's algorithm individual for an estimator class name, if we know one."""
    return next((f for pattern, f in _FAMILIES if re.fullmatch(pattern, class_name)), None)


def _class_path(cls: type) -> str:
    """The public dotted path of a class (sklearn.svm.SVC rather than sklearn.svm._classes.SVC)."""
    parts = cls.__module__.split(".")
    public = ".".join(parts[:next((i for i, p in enumerate(parts) if p.startswith("_")),
                                  len(parts))])
    try:
        if public and getattr(import_module(public), cls.__name__, None) is cls:
            return f"{public}.{cls.__name__}"
    except ImportError:
        pass
    return f"{cls.__module__}.{cls.__qualname__}"


@cache
def _library(module: str) -> str:
    """'scikit-learn 1.9.1' for 'sklearn.svm._classes': the distribution and its version."""
    top = module.split(".")[0]
    name = (metadata.packages_distributions().get(top) or [top])[0]
    try:
        return f"{name} {metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return name


def _scorers(scoring: str | Sequence[str] | Mapping[str, Any]) -> dict[str, tuple[Any, URIRef,
                                                                               bool]]:
    """name → (scorer for cross_validate, measure, negate?)."""
    items = ({scoring: scoring} if isinstance(scoring, str) else
             dict(scoring) if isinstance(scoring, Mapping) else {s: s for s in scoring})
    if not items:
        raise BadInputError("scoring names no metric")
    out: dict[str, tuple[Any, URIRef, bool]] = {}
    for name, scorer in items.items():
        try:
            sign = getattr(get_scorer(scorer), "_sign", 1)
        except ValueError as exc:
            raise BadInputError(f"unknown scikit-learn scorer {scorer!r}: {exc}") from None
        measure = _measure_for(name)
        if measure is None:
            raise BadInputError(
                f"no evaluation measure of the ontology matches the scorer name {name!r}; name "
                f"it after one (accuracy, f1, roc_auc, r2, neg_mean_squared_error …) or pass "
                f"scoring as a dict whose keys are measure names")
        out[name] = (scorer, measure, name.startswith("neg_") or sign < 0)
    return out


def _measure_for(name: str) -> URIRef | None:
    for candidate in (name, _AVERAGING.sub("", name)):
        try:
            return URIRef(_MEASURE.validate_python(candidate))
        except ValidationError:
            continue
    return None


def _resolve(adapter: TypeAdapter[str], value: str, what: str) -> str:
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        raise BadInputError(f"{what}: {exc.errors()[0]['msg']}") from None


def _splitter(cv: Any, y: Any, estimator: Any, random_state: int | None) -> Any:
    classifier = is_classifier(estimator)
    if isinstance(cv, numbers.Integral) and random_state is not None:
        kind = StratifiedKFold if classifier else KFold
        return kind(int(cv), shuffle=True, random_state=random_state)
    try:
        return check_cv(cv, y, classifier=classifier)
    except ValueError as exc:
        raise BadInputError(f"cv: {exc}") from None


def _check_samples(X: Any, y: Any) -> None:
    def count(data: Any) -> int:
        shape = getattr(data, "shape", None)
        return int(shape[0]) if shape else len(data)
    try:
        n_x, n_y = count(X), count(y)
    except TypeError:
        raise BadInputError("X and y must be array-like (a DataFrame, array or list)") from None
    if n_x != n_y:
        raise BadInputError(f"X has {n_x} samples but y has {n_y}")
    if n_x == 0:
        raise BadInputError("X holds no samples")


def _require(lake: Lake, refs: list[tuple[URIRef, URIRef]]) -> None:
    """UnknownReferenceError (the write path's error) for references the lake lacks."""
    rows = lake.store.select(lake.catalogue.bind(
        "records/node-types", {"nodes": sorted({str(n) for n, _ in refs})}))
    found = {str(r["node"]) for r in rows}
    missing = [("(capture)", str(p), str(n)) for n, p in refs if str(n) not in found]
    if missing:
        shown = "; ".join(f"<{o}> (via <{p}>)" for _, p, o in missing)
        raise UnknownReferenceError(
            f"unknown lake node(s): {shown}. Register them first", missing)


def _feature_links(
    lake: Lake, dataset: URIRef, X: Any, notes: list[str],
) -> tuple[dict[str, URIRef], list[str]]:
    columns = [str(c) for c in getattr(X, "columns", [])]
    if not columns:
        notes.append("X has no column names (not a DataFrame): no links to data set features")
        return {}, []
    rows = lake.store.select(lake.catalogue.bind(
        "compare/dataset-features", {"dataset": str(dataset)}))
    by_name = {str(r["name"]): URIRef(str(r["feature"])) for r in rows}
    linked = {c: by_name[c] for c in columns if c in by_name}
    unmatched = [c for c in columns if c not in by_name]
    if unmatched:
        notes.append(f"{len(unmatched)} column(s) of X match no feature of <{dataset}>: "
                     f"{', '.join(unmatched[:10])}{' …' if len(unmatched) > 10 else ''}")
    return linked, unmatched


def _artifact(path: Path, estimator: Any, notes: list[str]) -> Artifact:
    path = path.resolve()
    written = not path.exists()
    if written:
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(estimator, path)
    else:
        notes.append(f"{path} existed and was recorded as it is (not overwritten)")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return Artifact(path, digest.hexdigest(), path.stat().st_size, written)


def _stem(model_id: str | None) -> str:
    if model_id and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}", model_id):
        return model_id.removeprefix("model-") or uuid.uuid4().hex
    return uuid.uuid4().hex


# -- code ----------------------------------------------------------------------------------------

def _code(lake: Lake, code: CodeSpec | None, stem: str, notes: list[str],
          ) -> tuple[URIRef | None, Graph]:
    """The code node and the triples to write for it (none when it is already in the lake)."""
    if code is None:
        notes.append("no code given: the model has no code lineage")
        return None, Graph()
    if isinstance(code, URIRef):
        return code, Graph()  # an existing code node; the write checks that it exists
    if isinstance(code, Mapping):
        data = dict(code)
        if "id" in data and lake.exists(lake.node_iri(str(data["id"]))):
            return lake.node_iri(str(data["id"])), Graph()
        data.setdefault("id", f"code-{stem}")
        return to_graph(parse_record("code", data), base_iri=lake.base_iri)
    if not Path(code).is_file():
        raise BadInputError(f"no code file {code}")
    # The same file at the same commit is one code node, shared with recorded operations.
    node, graph = code_graph(lake, capture_code(Path(code)))
    return node, Graph() if lake.exists(node) else graph
