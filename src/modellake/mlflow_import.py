"""MLflow import: runs, data sets, models and registry versions of an MLflow tracking store.

``import_mlflow(lake, tracking_uri, experiments=[…])`` reads the store with MLflow's own client
(``mlflow.tracking.MlflowClient``; ``pip install 'modellake[mlflow]'``) and writes, per run that
logged a model, in ONE validated write (``Lake.upsert``):

- the run as an ``ml:Training`` (run id, name, start and end, the user, the code) that used its
  data sets and hyperparameters and generated its models and evaluations;
- params → an ``ml:HyperparameterSet`` with one ``ml:HyperparameterSetting`` each (numbers and
  booleans typed, the rest text);
- metrics (latest value) → one ``ml:MeasuredEvaluation`` per model. A metric whose name, less a
  ``training_``/``test_``/``val_``/``eval_`` prefix and a ``_score`` suffix, names a measure of
  the ontology (accuracy, f1, roc_auc, log_loss, r2, rmse …) points at it; any other metric gets
  a measure node of its own in the lake (``measure-mlflow-<name>``, typed ml:EvaluationMeasure
  and labelled with the metric's name), created once and shared by every run that logs it;
- dataset inputs → ``ml:Dataset`` (name, location from the dataset source, MLflow digest, schema
  → features, row count → meta-features); inputs tagged for training (or untagged) are what the
  models were ``ml:trainedOn``, ``training_`` metrics are ``ml:evaluatedOn`` them and ``test_``/
  ``val_`` metrics on the test/validation inputs;
- the ``estimator_class`` tag (set by ``mlflow.sklearn.autolog``) → the ``ml:Algorithm``
  (the same node scikit-learn captures use); ``mlflow.source.name``, ``mlflow.source.git.commit``
  and ``mlflow.source.git.repoURL`` → an ``ml:Code``; ``mlflow.user`` → an agent;
- each registered model version → an ``ml:Model`` (``ml:registeredName``, ``dcat:version``,
  ``ml:alias`` for each alias such as champion or production, ``prov:wasRevisionOf`` the version
  before); a logged model that no version registers → an ``ml:Model`` of its own.

Ids come from MLflow's ids (run id, model id, registered name and version, dataset digest), so
importing again writes only what changed in MLflow (an alias that moved, a new run) and never
duplicates. Shared nodes (agents, code, data sets, algorithms, measures) are created once and
left as they are. A run that logged no model is skipped; a model whose run lacks a fact the
lake requires (its algorithm, its training data, a user) is reported and not imported.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from pydantic import TypeAdapter, ValidationError
from rdflib import Graph, Namespace, URIRef
from rdflib import Literal as RDFLiteral

from .errors import BadInputError, UnknownReferenceError, ValidationFailed
from .importing import agent, mint, only_missing, when
from .lake import LOCAL_USER, Lake, Principal
from .namespaces import DCAT, DCTERMS, ML, PROV, RDF, RDFS, XSD
from .typed_records import Measure, _segment

DCAT3: Final = Namespace(str(DCAT))  # rdflib's closed DCAT namespace lacks dcat:version
ORIGIN: Final = "mlflow"
INSTALL_HINT: Final = "pip install 'modellake[mlflow]'"
_MEASURE = TypeAdapter(Measure)
_PREFIX = re.compile(r"^(training|train|testing|test|validation|val|eval|evaluation)_")
_TRAIN_CONTEXTS: Final = frozenset({"", "train", "training"})
_SPLITS: Final = {"training": "train", "train": "train", "testing": "test", "test": "test",
                  "validation": "validation", "val": "validation", "eval": "validation",
                  "evaluation": "validation"}
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_FLOAT = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")
_HEX = re.compile(r"^[0-9A-Fa-f]+$")
Progress = Callable[[int, int, str], None]  # done, total, what


@dataclass
class ImportReport:
    """What an import did: runs read, nodes written, what was skipped and why."""

    runs: int = 0
    imported_runs: list[str] = field(default_factory=list)
    models: list[URIRef] = field(default_factory=list)
    written: int = 0
    skipped: list[str] = field(default_factory=list)  # runs without a model: nothing to do
    problems: list[str] = field(default_factory=list)  # models the lake could not take

    def to_json(self) -> dict[str, Any]:
        return {"runs": self.runs, "imported_runs": self.imported_runs,
                "models": [str(m) for m in self.models], "written_nodes": self.written,
                "skipped": self.skipped, "problems": self.problems}


def open_client(tracking_uri: str) -> Any:
    """MLflow's client on ``tracking_uri``; BadInputError if MLflow is missing or the store
    cannot be opened."""
    # Never report usage from here; and let MLflow open a file store it now only maintains
    # (reading an existing ./mlruns is what an import is for).
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("DO_NOT_TRACK", "true")
    if "://" not in tracking_uri or tracking_uri.startswith("file:"):
        os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    try:
        from mlflow.tracking import MlflowClient
    except ImportError:
        raise BadInputError(f"MLflow import needs the mlflow client: {INSTALL_HINT}") from None
    try:
        client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
        client.search_experiments(max_results=1)
    except ImportError as exc:
        raise BadInputError(
            f"cannot open the tracking store {tracking_uri!r}: {exc}; database stores need the "
            f"full MLflow package (pip install mlflow)") from None
    except Exception as exc:  # MLflow raises its own and its back ends' errors
        text = str(exc).strip().strip('"').strip()
        hint = "" if tracking_uri.startswith(("file:", "http:", "https:")) or \
            "://" not in tracking_uri else \
            "; database stores need the full MLflow package (pip install mlflow)"
        raise BadInputError(f"cannot open the tracking store {tracking_uri!r}: "
                            f"{text.splitlines()[0] if text else repr(exc)}{hint}") from None
    return client


def import_mlflow(
    lake: Lake, tracking_uri: str, *, experiments: Sequence[str] = (),
    owner: str | None = None, progress: Progress | None = None,
    principal: Principal = LOCAL_USER,
) -> ImportReport:
    """Import the runs of the named experiments (all when none is named); see the module
    docstring. ``owner`` (an agent in the lake) administers models whose run names no user."""
    client = open_client(tracking_uri)
    owner_node = lake.node_iri(owner) if owner else None
    if owner_node is not None and not lake.exists(owner_node):
        raise UnknownReferenceError(f"the owner <{owner_node}> is not in the lake",
                                    [("(import)", str(ML.administrator), str(owner_node))])
    found = _experiments(client, experiments)
    runs = sorted((run for exp in found for run in _runs(client, exp.experiment_id)),
                  key=lambda r: (r.info.start_time or 0, r.info.run_id))
    logged = {m.model_id: m for exp in found for m in _logged_models(client, exp.experiment_id)}
    report = ImportReport(runs=len(runs))
    importer = _Importer(lake, client, owner_node, logged, principal)
    units: list[_Unit] = []
    for i, run in enumerate(runs):
        if progress:
            progress(i, len(runs) * 2, f"reading run {run.info.run_name or run.info.run_id}")
        try:
            unit = importer.unit(run)
        except _Skip as skip:
            (report.problems if skip.problem else report.skipped).append(str(skip))
            continue
        units.append(unit)
    planned = {str(n) for u in units for n in u.models}
    for i, unit in enumerate(_ordered(units)):
        if progress:
            progress(len(runs) + i, len(runs) * 2, f"writing run {unit.name}")
        unit.drop_missing_revisions(lake, planned)
        try:
            result = lake.upsert(unit.graph + only_missing(lake, unit.shared),
                                 principal=principal)
        except (ValidationFailed, UnknownReferenceError) as exc:
            report.problems.append(f"run {unit.name}: the lake refused it: {exc}")
            continue
        report.imported_runs.append(unit.run_id)
        report.models.extend(unit.models)
        report.written += len(result.nodes) if result.created else 0
    if progress:
        progress(len(runs) * 2, len(runs) * 2, "done")
    return report


# -- reading MLflow -------------------------------------------------------------------------------

def _experiments(client: Any, names: Sequence[str]) -> list[Any]:
    if not names:
        return list(_pages(lambda token: client.search_experiments(page_token=token)))
    found = []
    for name in names:
        experiment = client.get_experiment_by_name(name)
        if experiment is None:
            raise BadInputError(f"the tracking store has no experiment named {name!r}")
        found.append(experiment)
    return found


def _runs(client: Any, experiment_id: str) -> Iterable[Any]:
    return _pages(lambda token: client.search_runs([experiment_id], page_token=token,
                                                   max_results=1000))


def _logged_models(client: Any, experiment_id: str) -> Iterable[Any]:
    if not hasattr(client, "search_logged_models"):  # MLflow 2: models live only in runs
        return []
    return _pages(lambda token: client.search_logged_models(
        experiment_ids=[experiment_id], page_token=token))


def _pages(fetch: Callable[[str | None], Any]) -> Iterable[Any]:
    token: str | None = None
    while True:
        page = fetch(token)
        yield from page
        token = getattr(page, "token", None)
        if not token:
            return


# -- one run ------------------------------------------------------------------------------------

class _Skip(Exception):
    def __init__(self, message: str, *, problem: bool) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass
class _Unit:
    """One run's write: its graph, the shared nodes it may create, and its models."""

    run_id: str
    name: str
    graph: Graph
    shared: list[tuple[URIRef, Graph]]
    models: list[URIRef]
    revision_of: dict[URIRef, URIRef]  # model version → the version before

    def drop_missing_revisions(self, lake: Lake, planned: set[str]) -> None:
        """Versions whose predecessor will never be in the lake lose the link (its run was
        not imported), rather than the whole run."""
        for model, before in self.revision_of.items():
            if str(before) not in planned and not lake.exists(before):
                self.graph.remove((model, PROV.wasRevisionOf, before))


def _ordered(units: list[_Unit]) -> list[_Unit]:
    """Units in an order where a version's predecessor is written before it."""
    by_model = {m: u for u in units for m in u.models}
    done: set[int] = set()
    ordered: list[_Unit] = []

    def visit(unit: _Unit, path: set[int]) -> None:
        if id(unit) in done or id(unit) in path:
            return
        for before in unit.revision_of.values():
            if before in by_model:
                visit(by_model[before], path | {id(unit)})
        done.add(id(unit))
        ordered.append(unit)

    for unit in units:
        visit(unit, set())
    return ordered


class _Importer:
    def __init__(self, lake: Lake, client: Any, owner: URIRef | None,
                 logged: dict[str, Any], principal: Principal) -> None:
        self.lake, self.client, self.owner, self.logged = lake, client, owner, logged
        self.principal = principal

    def unit(self, run: Any) -> _Unit:
        info, data = run.info, run.data
        run_id, tags = info.run_id, dict(data.tags)
        name = info.run_name or tags.get("mlflow.runName") or run_id
        versions = list(self.client.search_model_versions(f"run_id='{_hex(run_id)}'"))
        registered = {getattr(v, "model_id", None) for v in versions}
        unregistered = [m for m in self.logged.values()
                        if m.source_run_id == run_id and m.model_id not in registered]
        if not versions and not unregistered:
            raise _Skip(f"run {name} ({run_id}) logged no model: nothing to import",
                        problem=False)
        lake, g, shared = self.lake, Graph(), []
        user = tags.get("mlflow.user") or info.user_id
        if user:
            admin, agent_graph = agent(lake, user, origin=ORIGIN)
            shared.append((admin, agent_graph))
        elif self.owner is not None:
            admin = self.owner
        else:
            raise _Skip(f"run {name} ({run_id}): no user (mlflow.user) to administer its "
                        f"models; give --owner", problem=True)
        algorithm = self._algorithm(tags, shared)
        if algorithm is None:
            raise _Skip(f"run {name} ({run_id}): no estimator_class tag, so the algorithm of "
                        f"its model is unknown (log with mlflow.sklearn.autolog or set the tag)",
                        problem=True)
        datasets = self._datasets(run, admin, shared)
        training_data = [d for d, context in datasets if context in _TRAIN_CONTEXTS]
        if not training_data:
            raise _Skip(f"run {name} ({run_id}): no training data set among its inputs "
                        f"(mlflow.log_input with context 'training'); a model needs it",
                        problem=True)
        training = lake.node_iri(f"training-mlflow-{_hex(run_id)}")
        started = _time(info.start_time)
        g.add((training, RDF.type, ML.Training))
        g.add((training, DCTERMS.title, RDFLiteral(f"MLflow run {name}")))
        g.add((training, ML.runId, RDFLiteral(run_id)))
        g.add((training, PROV.wasAssociatedWith, admin))
        g.add((training, ML.usesAlgorithm, algorithm))
        if started is not None:
            g.add((training, PROV.startedAtTime, when(started)))
        ended = _time(info.end_time)
        if ended is not None and (started is None or ended >= started):
            g.add((training, PROV.endedAtTime, when(ended)))
        for dataset, _ in datasets:
            g.add((training, PROV.used, dataset))
        hyper = self._hyperparameters(run_id, name, dict(data.params), g)
        if hyper is not None:
            g.add((training, PROV.used, hyper))
            g.add((training, ML.hasHyperparameterSet, hyper))
        code = self._code(tags, shared)
        if code is not None:
            g.add((training, ML.implementedBy, code))

        models: list[URIRef] = []
        revision_of: dict[URIRef, URIRef] = {}
        for version in versions:
            model = lake.node_iri(mint("model-mlflow", f"{version.name} v{version.version}",
                                       version.name, version.version))
            g.add((model, DCTERMS.title, RDFLiteral(f"{version.name} version {version.version}")))
            g.add((model, ML.registeredName, RDFLiteral(version.name)))
            g.add((model, DCAT3.version, RDFLiteral(str(version.version))))
            for alias in sorted(getattr(version, "aliases", []) or []):
                g.add((model, ML.alias, RDFLiteral(alias)))
            if version.description:
                g.add((model, DCTERMS.description, RDFLiteral(version.description)))
            where = self._artifact(getattr(version, "model_id", None)) or version.source
            self._model(g, model, version.creation_timestamp, where)
            before = self._previous_version(version)
            if before is not None:
                revision_of[model] = before
                g.add((model, PROV.wasRevisionOf, before))
            models.append(model)
        for logged in unregistered:
            model = lake.node_iri(mint("model-mlflow", f"{name} {logged.name}",
                                       logged.model_id))
            g.add((model, DCTERMS.title, RDFLiteral(f"{logged.name} of MLflow run {name}")))
            self._model(g, model, logged.creation_timestamp, logged.artifact_location)
            models.append(model)
        for model in models:
            g.add((model, RDF.type, ML.Model))
            g.add((model, ML.usesAlgorithm, algorithm))
            g.add((model, ML.administrator, admin))
            g.add((model, PROV.wasGeneratedBy, training))
            g.add((training, PROV.generated, model))
            for dataset in training_data:
                g.add((model, ML.trainedOn, dataset))
            if hyper is not None:
                g.add((model, ML.hasHyperparameterSet, hyper))
            if code is not None:
                g.add((model, ML.implementedBy, code))
            if tags.get("estimator_class"):
                g.add((model, ML.estimatorClass, RDFLiteral(tags["estimator_class"])))
        measured_at = ended or started or datetime.now(UTC)
        for metric, value in sorted(dict(data.metrics).items()):
            measure = self._measure(metric, shared)
            prefix = _PREFIX.match(metric)
            split = _SPLITS[prefix.group(1)] if prefix else None
            on = [d for d, context in datasets
                  if split is not None and _SPLITS.get(context or "training") == split]
            for model in models:
                evaluation = lake.node_iri(mint("evaluation-mlflow", metric, run_id, metric,
                                                str(model)))
                g.add((evaluation, RDF.type, ML.MeasuredEvaluation))
                g.add((evaluation, DCTERMS.title, RDFLiteral(f"{metric} of MLflow run {name}")))
                g.add((evaluation, ML.evaluatedModel, model))
                g.add((evaluation, ML.evaluationMeasure, measure))
                g.add((evaluation, ML.value, _double(float(value))))
                g.add((evaluation, PROV.generatedAtTime, when(measured_at)))
                g.add((evaluation, PROV.wasGeneratedBy, training))
                g.add((training, PROV.generated, evaluation))
                if split is not None:
                    g.add((evaluation, ML.datasetSplit, RDFLiteral(split)))
                for dataset in on:
                    g.add((evaluation, ML.evaluatedOn, dataset))
        return _Unit(run_id, name, g, shared, models, revision_of)

    def _model(self, g: Graph, model: URIRef, created_ms: int | None, where: str | None,
               ) -> None:
        created = _time(created_ms)
        g.add((model, DCTERMS.created, when(created or datetime.now(UTC))))
        if where:
            g.add((model, ML.storageLocation, RDFLiteral(where)))

    def _artifact(self, model_id: str | None) -> str | None:
        logged = self.logged.get(model_id or "")
        return str(logged.artifact_location) if logged is not None else None

    def _previous_version(self, version: Any) -> URIRef | None:
        """The model node of the highest version below this one that the registry still has."""
        number = int(version.version)
        for earlier in range(number - 1, max(0, number - 100), -1):
            try:
                self.client.get_model_version(version.name, str(earlier))
            except Exception:  # MLflow raises when a version was deleted
                continue
            return self.lake.node_iri(mint("model-mlflow", f"{version.name} v{earlier}",
                                           version.name, str(earlier)))
        return None

    def _algorithm(self, tags: dict[str, str], shared: list[tuple[URIRef, Graph]],
                   ) -> URIRef | None:
        from .sklearn_capture import algorithm_family

        text = tags.get("estimator_class", "").strip()
        if not text:
            return None
        parts = text.split(".")
        # sklearn.linear_model._logistic.LogisticRegression → sklearn.linear_model.Logistic…,
        # the public path scikit-learn captures name their algorithm node by.
        public: list[str] = []
        for part in parts[:-1]:
            if part.startswith("_"):
                break
            public.append(part)
        class_path = ".".join([*public, parts[-1]])
        node = self.lake.node_iri("algorithm-" + re.sub(r"[^a-z0-9]+", "-", class_path.lower()))
        g = Graph()
        g.add((node, RDF.type, ML.Algorithm))
        g.add((node, RDFS.label, RDFLiteral(parts[-1])))
        g.add((node, ML.estimatorClass, RDFLiteral(class_path)))
        if parts[0] == "sklearn":
            g.add((node, ML.library, RDFLiteral("scikit-learn")))
        family = algorithm_family(parts[-1])
        if family is not None:
            g.add((node, ML.algorithmFamily, family))
        shared.append((node, g))
        return node

    def _datasets(self, run: Any, owner: URIRef, shared: list[tuple[URIRef, Graph]],
                  ) -> list[tuple[URIRef, str]]:
        """The run's dataset inputs as (node, context) pairs; their descriptions in shared."""
        out: list[tuple[URIRef, str]] = []
        inputs = getattr(getattr(run, "inputs", None), "dataset_inputs", None) or []
        for item in inputs:
            ds = item.dataset
            context = next((t.value for t in item.tags if t.key == "mlflow.data.context"), "")
            source = _json(ds.source)
            location = next((str(source[k]) for k in ("uri", "url", "path") if source.get(k)),
                            None) or f"memory://{run.info.run_id}/{ds.name}"
            node = self.lake.node_iri(mint("dataset", ds.name, ORIGIN, ds.name, ds.digest,
                                           ds.source_type, ds.source))
            out.append((node, (context or "").lower()))
            g = Graph()
            g.add((node, RDF.type, ML.Dataset))
            g.add((node, DCTERMS.title, RDFLiteral(ds.name)))
            g.add((node, ML.storageLocation, RDFLiteral(location)))
            g.add((node, ML.owner, owner))
            g.add((node, DCTERMS.created, when(_time(run.info.start_time) or datetime.now(UTC))))
            g.add((node, DCTERMS.description, RDFLiteral(
                f"Data set logged to MLflow (source type {ds.source_type})")))
            if ds.digest and _HEX.match(ds.digest):
                g.add((node, ML.contentHash, RDFLiteral(f"mlflow-digest:{ds.digest}")))
            columns = _json(ds.schema).get("mlflow_colspec") or []
            for index, column in enumerate(c for c in columns if isinstance(c, dict)):
                col = str(column.get("name", index))
                feature = URIRef(f"{node}/feature/{_segment(col)[:120]}")
                g.add((node, ML.hasFeature, feature))
                g.add((feature, RDF.type, ML.Feature))
                g.add((feature, ML.featureName, RDFLiteral(col)))
                g.add((feature, ML.featureIndex, RDFLiteral(index)))
                if column.get("type"):
                    g.add((feature, ML.dataType, RDFLiteral(str(column["type"]))))
            rows = _json(ds.profile).get("num_rows")
            if isinstance(rows, int) and rows >= 0:
                part = URIRef(f"{node}/metafeatures")
                g.add((node, ML.hasMetafeatures, part))
                g.add((part, RDF.type, ML.DatasetMetafeatures))
                g.add((part, ML.numberOfInstances, RDFLiteral(rows)))
            shared.append((node, g))
        return list(dict.fromkeys(out))

    def _hyperparameters(self, run_id: str, name: str, params: dict[str, str], g: Graph,
                         ) -> URIRef | None:
        if not params:
            return None
        hyper = self.lake.node_iri(f"hyperparameters-mlflow-{_hex(run_id)}")
        g.add((hyper, RDF.type, ML.HyperparameterSet))
        g.add((hyper, DCTERMS.title, RDFLiteral(f"Hyperparameters of MLflow run {name}")))
        for key, value in sorted(params.items()):
            setting = URIRef(f"{hyper}/setting/{_segment(key)[:200]}")
            g.add((hyper, ML.hasSetting, setting))
            g.add((setting, RDF.type, ML.HyperparameterSetting))
            g.add((setting, ML.parameterName, RDFLiteral(key)))
            g.add((setting, ML.parameterValue, _param(value)))
        return hyper

    def _code(self, tags: dict[str, str], shared: list[tuple[URIRef, Graph]]) -> URIRef | None:
        path = tags.get("mlflow.source.name")
        if not path:
            return None
        commit = tags.get("mlflow.source.git.commit", "")
        repository = tags.get("mlflow.source.git.repoURL", "")
        node = self.lake.node_iri(mint("code", path.rsplit("/", 1)[-1], ORIGIN, path, commit,
                                       repository))
        g = Graph()
        g.add((node, RDF.type, ML.Code))
        g.add((node, DCTERMS.title, RDFLiteral(path.rsplit("/", 1)[-1] or path)))
        g.add((node, ML.filePath, RDFLiteral(path)))
        if commit:
            g.add((node, ML.commit, RDFLiteral(commit)))
        if repository:
            g.add((node, ML.repository, RDFLiteral(
                repository, datatype=XSD.anyURI if "://" in repository else None)))
        shared.append((node, g))
        return node

    def _measure(self, metric: str, shared: list[tuple[URIRef, Graph]]) -> URIRef:
        """The ontology's measure the metric names, else the lake's measure node for it."""
        stem = _PREFIX.sub("", metric).removesuffix("_score")
        for candidate in (metric, stem):
            try:
                return URIRef(_MEASURE.validate_python(candidate))
            except ValidationError:
                continue
        node = self.lake.node_iri(mint("measure-mlflow", metric, metric))
        g = Graph()
        g.add((node, RDF.type, ML.EvaluationMeasure))
        g.add((node, RDFS.label, RDFLiteral(metric)))
        g.add((node, DCTERMS.description, RDFLiteral(
            f"The MLflow metric {metric!r}; no evaluation measure of the ontology matches it")))
        shared.append((node, g))
        return node


# -- values --------------------------------------------------------------------------------------

def _param(value: str) -> RDFLiteral:
    """An MLflow param (always text) typed as what it spells: integer, number, boolean."""
    text = value.strip()
    if _INTEGER.match(text):
        return RDFLiteral(int(text))
    if _FLOAT.match(text):
        return _double(float(text))
    if text in ("True", "False", "true", "false"):
        return RDFLiteral(text.lower() == "true")
    return RDFLiteral(value)


def _double(value: float) -> RDFLiteral:
    text = "NaN" if math.isnan(value) else (
        ("INF" if value > 0 else "-INF") if math.isinf(value) else repr(value))
    return RDFLiteral(text, datatype=XSD.double)


def _time(millis: int | None) -> datetime | None:
    return datetime.fromtimestamp(millis / 1000, tz=UTC) if millis else None


def _json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _hex(run_id: str) -> str:
    """MLflow run ids are hex; anything else is refused before it reaches a filter or an id."""
    if not re.fullmatch(r"[0-9A-Za-z-]{1,64}", run_id):
        raise BadInputError(f"unexpected MLflow run id {run_id[:80]!r}")
    return run_id
