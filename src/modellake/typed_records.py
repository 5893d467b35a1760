"""Typed JSON bodies of the registration API, for people who don't write RDF.

One pydantic model per kind of node (``KINDS``, keyed by URL path segment) and ``to_graph``, which
states the same triples as ``examples/diabetes.ttl`` for the same facts (no super-classes or
super-properties: the write path adds that closure). A reference is a local id (``"agent-bob"`` →
``<base_iri>agent-bob``) or a whole http(s)/urn IRI; ontology individuals (measures, methods,
algorithms, lifecycle stages, security levels) may also be named by local name, label or prefixed
name, case-insensitively: ``"accuracy"``, ``"ml:Accuracy"``, ``"cross-validation"``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache, partial
from typing import Annotated, Any, ClassVar, Final
from typing import Literal as Choice

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from rdflib import Graph, Literal, URIRef

from .errors import BadInputError, BindingError
from .namespaces import DCAT, DCTERMS, FOAF, ML, OWL, PREFIXES, PROV, RDF, RDFS, SKOS, XSD
from .resources import ontology_file
from .terms import DATA_SCHEMES, PARAMETER_SCHEMES, check_iri

LOCAL_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
SPDX_LICENSES: Final = "http://spdx.org/licenses/"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


# -- value checks (each raises ValueError, which pydantic reports under the field's name) -------

def _iri_or_error(value: str, schemes: frozenset[str] = PARAMETER_SCHEMES) -> str:
    try:
        return check_iri(value, schemes=schemes)
    except BindingError as exc:
        raise ValueError(str(exc)) from None


def _ref(value: str) -> str:
    if LOCAL_ID.fullmatch(value):
        return value
    try:
        return check_iri(value)
    except BindingError as exc:
        raise ValueError(
            f"{value[:80]!r} is neither a local id (letters, digits, '.', '_', '-'; at most 128 "
            f"characters, starting with a letter or digit) nor a usable IRI: {exc}"
        ) from None


def _text(value: str) -> str:
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise ValueError("text contains a lone surrogate code point, which RDF cannot hold")
    return value


def _listify(value: object) -> object:
    return [value] if isinstance(value, str) else value


def _when(value: object) -> object:
    """A bare ``YYYY-MM-DD`` is a date (xsd:date); anything longer is parsed as a datetime."""
    return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else value


def _email(value: str) -> str:
    _iri_or_error("mailto:" + value.removeprefix("mailto:"), frozenset({"mailto"}))
    return value.removeprefix("mailto:")


def _license(value: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.+-]{0,99}", value):
        return SPDX_LICENSES + value
    return _iri_or_error(value)


def _key(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


@cache
def _individuals() -> dict[URIRef, tuple[dict[str, URIRef], tuple[str, ...]]]:
    """Per class: (normalised local name / rdfs:label / skos:altLabel → individual, labels)."""
    graph = Graph().parse(ontology_file(), format="turtle")
    table: dict[URIRef, tuple[dict[str, URIRef], tuple[str, ...]]] = {}
    for ind in set(graph.subjects(RDF.type, OWL.NamedIndividual)):
        if not (isinstance(ind, URIRef) and ind.startswith(str(ML))):
            continue
        labels = [str(o) for p in (RDFS.label, SKOS.altLabel) for o in graph.objects(ind, p)]
        for cls in graph.objects(ind, RDF.type):
            if isinstance(cls, URIRef) and cls != OWL.NamedIndividual:
                names, shown = table.get(cls, ({}, ()))
                for name in [ind[len(ML):], *labels]:
                    names[_key(name)] = ind
                table[cls] = (names, (*shown, *(labels or [ind[len(ML):]])))
    return table


def _individual(cls: URIRef, what: str) -> Callable[[str], str]:
    def resolve(value: str) -> str:
        names, shown = _individuals().get(cls, ({}, ()))
        text = str(ML) + value[3:] if value.startswith("ml:") else value
        if text.startswith(str(ML)):  # a prefixed name or IRI: the local name, any case
            local = text[len(ML):]
            found = names.get(_key(local)) if local.isalnum() else None
        elif _SCHEME.match(text):
            return _iri_or_error(text)  # an IRI outside the ontology, e.g. a lake node
        else:
            found = names.get(_key(text))
        if found is None:
            raise ValueError(
                f"unknown {what} {value[:80]!r}; use one of {', '.join(sorted(shown))}, "
                f"or a whole IRI"
            )
        return str(found)
    return resolve


# -- field types ---------------------------------------------------------------------------------

Text = Annotated[str, StringConstraints(min_length=1, max_length=100_000), AfterValidator(_text)]
Ref = Annotated[str, AfterValidator(_ref)]
_ONE_OR_MORE = WithJsonSchema({"anyOf": [
    {"type": "string"}, {"type": "array", "items": {"type": "string"}}]})
Refs = Annotated[list[Ref], BeforeValidator(_listify), _ONE_OR_MORE]
Keywords = Annotated[list[Text], BeforeValidator(_listify), _ONE_OR_MORE]
When = Annotated[datetime | date, BeforeValidator(_when)]
Count = Annotated[int, Strict(), Field(ge=0)]
Real = Annotated[float, Strict()]
Measure = Annotated[str, AfterValidator(_individual(ML.EvaluationMeasure, "evaluation measure"))]
Method = Annotated[str, AfterValidator(_individual(ML.EvaluationMethod, "evaluation method"))]
Algorithm = Annotated[str, AfterValidator(_individual(ML.Algorithm, "algorithm"))]
Stage = Annotated[str, AfterValidator(_individual(ML.LifecycleStage, "lifecycle stage"))]
Security = Annotated[str, AfterValidator(_individual(ML.SecurityLevel, "security level"))]
SettingName = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_text)]
SettingValue = bool | int | float | Annotated[str, AfterValidator(_text)]
Location = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]+$")]  # no controls
License = Annotated[str, AfterValidator(_license)]
Hash = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]+:[0-9A-Fa-f]+$")]
Url = Annotated[str, AfterValidator(partial(_iri_or_error, schemes=frozenset({"http", "https"})))]
Repository = Annotated[
    str, AfterValidator(partial(_iri_or_error, schemes=frozenset({"http", "https", "ssh", "git"})))
]
Email = Annotated[str, AfterValidator(_email)]

_CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False)
# The "kind" of sources, operations and agents → the node's class (the kind names are unique).
_KIND_TYPES: Final = {
    "file": ML.FileSource, "database": ML.DatabaseSource, "stream": ML.StreamSource,
    "api": ML.APISource, "ingestion": ML.Ingestion, "cleaning": ML.Cleaning,
    "integration": ML.Integration, "transformation": ML.Transformation,
    "reduction": ML.Reduction, "processing": ML.Processing, "training": ML.Training,
    "evaluation": ML.EvaluationRun, "person": ML.Person, "team": ML.Team, "service": ML.Service,
}


def _f(description: str, default: Any = None) -> Any:
    return Field(default, description=description)


# -- records -------------------------------------------------------------------------------------

class _Record(BaseModel):
    model_config = _CONFIG
    MINT: ClassVar[str]
    TYPE: ClassVar[URIRef]

    id: Ref | None = _f(
        'Local id such as "model-diabetes-predictor" (stored as <base IRI>model-diabetes-predictor)'
        " or a whole http(s)/urn IRI. Minted as <base IRI><kind>-<uuid> when missing."
    )

    def rdf_type(self) -> URIRef:
        kind = getattr(self, "kind", None)
        return self.TYPE if kind is None else _KIND_TYPES[kind]

    def add_parts(self, node: URIRef, graph: Graph) -> None:
        """Add the triples of sub-nodes (hyperparameter settings, meta-features)."""


class _Titled(_Record):
    title: Text | None = _f("What: a short human-readable name (dct:title).")
    description: Text | None = _f("What: a longer description (dct:description).")


class _Catalogued(_Titled):
    keywords: Keywords = _f("What: tags (dcat:keyword).", [])
    created: When | None = _f("When: creation date (xsd:date) or date-time (xsd:dateTime).")
    purpose: Text | None = _f("Why: what it was made or collected for (ml:purpose).")
    owner: Ref | None = _f("Who: id or IRI of the accountable agent (ml:owner).")
    administrator: Ref | None = _f("Who: id or IRI of the administering agent (ml:administrator).")
    location: Location | None = _f('Where: a path or URL, e.g. "s3://lake/raw/diabetes.csv" or '
                                   '"modelDP.pkl" (ml:storageLocation, xsd:anyURI).')
    license: License | None = _f('Licence: an IRI, or an SPDX id such as "Apache-2.0" '
                                 "(→ <http://spdx.org/licenses/Apache-2.0>).")
    content_hash: Hash | None = _f('Digest as algorithm:hex, e.g. "sha256:9f86…" (ml:contentHash).')
    security_level: Security | None = _f("public, internal, confidential or restricted.")


class SourceIn(_Catalogued):
    """A data source (file, database, stream or API) that data sets are ingested from."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "source-hospital-ehr", "kind": "database", "title": "Hospital EHR extract",
        "description": "Nightly extract of the hospital's electronic health records "
                       "(diabetes cohort).",
        "location": "postgresql://ehr.hospital.example/diabetes_cohort", "owner": "agent-bob",
        "contains_personal_data": True, "created": "2024-02-20"}]})
    MINT = "source"

    kind: Choice["file", "database", "stream", "api"] = _f("What kind of source.", ...)
    title: Text = _f("What: a short human-readable name (dct:title).", ...)
    contains_personal_data: bool | None = _f("Whether it holds personal data (GDPR).")


class MetafeaturesIn(BaseModel):
    """Dataset meta-features as named in the Model Lake paper; one ml:DatasetMetafeatures node."""

    model_config = _CONFIG
    number_of_instances: Count | None = _f("Rows in the data set.")
    number_of_attributes: Count | None = _f("Columns in the data set.")
    number_of_numeric_attributes: Count | None = _f("Columns with numeric values.")
    number_of_categorical_attributes: Count | None = _f("Columns with non-numeric values.")
    number_of_missing_values: Count | None = _f("Empty cells in the whole data set.")
    number_of_classes: Count | None = _f("Distinct values of the target attribute.")
    class_entropy: Annotated[Real, Field(ge=0)] | None = _f("Entropy (bits) of the target.")
    mean_skewness_of_numeric_atts: Real | None = _f("Mean skewness of the numeric attributes.")
    mean_kurtosis_of_numeric_atts: Real | None = _f("Mean kurtosis of the numeric attributes.")
    min_means_of_numeric_atts: Real | None = _f("Smallest mean among the numeric attributes.")
    mean_means_of_numeric_atts: Real | None = _f("Mean of the numeric attributes' means.")
    max_means_of_numeric_atts: Real | None = _f("Largest mean among the numeric attributes.")
    mean_std_dev_of_numeric_atts: Annotated[Real, Field(ge=0)] | None = _f(
        "Mean of the numeric attributes' standard deviations.")


class DatasetIn(_Catalogued):
    """A raw or intermediate data set, with its lineage and (optionally) its meta-features."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "dataset-diabetes", "title": "Diabetes",
        "description": "Cleaned diabetes data set used to train the Diabetes Predictor.",
        "location": "s3://lake/clean/diabetes.parquet", "byte_size": 1300000000,
        "administrator": "agent-bob", "generated_by": "operation-clean-diabetes",
        "derived_from": ["dataset-diabetes-raw"], "keywords": ["healthcare", "time-series"],
        "purpose": "Research on early diabetes detection.", "created": "2024-02-25",
        "metafeatures": {"number_of_instances": 2358, "number_of_attributes": 45,
                         "mean_means_of_numeric_atts": 0.4124,
                         "mean_std_dev_of_numeric_atts": 5.3582}}]})
    MINT = "dataset"
    TYPE = ML.Dataset

    title: Text = _f("What: a short human-readable name (dct:title).", ...)
    contains_personal_data: bool | None = _f("Whether it holds personal data (GDPR).")
    ingested_from: Refs = _f("Sources it was read from (ml:ingestedFrom).", [])
    generated_by: Ref | None = _f("The operation that produced it (prov:wasGeneratedBy).")
    derived_from: Refs = _f("Data sets it was made from (prov:wasDerivedFrom).", [])
    byte_size: Count | None = _f("Size in bytes (dcat:byteSize).")
    lifecycle_stage: Stage | None = _f("development, staging, production or retired.")
    metafeatures: MetafeaturesIn | None = _f("Meta-features, one node <data set IRI>/metafeatures.")

    def add_parts(self, node: URIRef, graph: Graph) -> None:
        values = self.metafeatures.model_dump(exclude_none=True) if self.metafeatures else {}
        if values:
            part = _iri(f"{node}/metafeatures", "metafeatures")
            graph.add((node, ML.hasMetafeatures, part))
            graph.add((part, RDF.type, ML.DatasetMetafeatures))
            for name, value in values.items():
                head, *rest = name.split("_")
                graph.add((part, ML[head + "".join(w.capitalize() for w in rest)], Literal(value)))


class OperationIn(_Titled):
    """Something done to data or models: ingestion, processing, training or an evaluation run."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "operation-train-diabetes-predictor", "kind": "training",
        "title": "Train the Diabetes Predictor",
        "used": ["dataset-diabetes", "hyperparameters-diabetes-predictor"],
        "generated": ["model-diabetes-predictor"], "associated_with": ["agent-tim"],
        "algorithm": "SupportVectorMachine", "implemented_by": "code-modelDP",
        "started_at": "2024-02-26T14:00:00Z", "ended_at": "2024-02-26T14:03:42Z"}]})
    MINT = "operation"

    kind: Choice["ingestion", "cleaning", "integration", "transformation", "reduction",
                 "processing", "training", "evaluation"] = _f("What kind of operation.", ...)
    purpose: Text | None = _f("Why it was run (ml:purpose).")
    used: Refs = _f("Inputs: sources, data sets, models, hyperparameter sets (prov:used).", [])
    generated: Refs = _f("Outputs: data sets, models, evaluations (prov:generated).", [])
    associated_with: Refs = _f("Agents who ran it (prov:wasAssociatedWith).", [])
    started_at: datetime | None = _f("Start time (prov:startedAtTime).")
    ended_at: datetime | None = _f("End time (prov:endedAtTime).")
    implemented_by: Ref | None = _f("The code that ran (ml:implementedBy).")
    algorithm: Algorithm | None = _f('Algorithm of a training, e.g. "SupportVectorMachine".')
    hyperparameters: Ref | None = _f("Hyperparameter set of a training (ml:hasHyperparameterSet).")

    @model_validator(mode="after")
    def _in_order(self) -> OperationIn:
        start, end = self.started_at, self.ended_at
        if start and end and (start.tzinfo is None) == (end.tzinfo is None) and start > end:
            raise ValueError("started_at is after ended_at")
        return self


class ModelIn(_Catalogued):
    """A trained model with its data, model and code lineage."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "model-diabetes-predictor", "title": "Diabetes Predictor",
        "description": "Predicts whether a patient has diabetes from the cleaned cohort's "
                       "attributes.", "location": "modelDP.pkl",
        "administrator": "agent-tim", "algorithm": "SupportVectorMachine",
        "trained_on": ["dataset-diabetes"], "hyperparameters": "hyperparameters-diabetes-predictor",
        "implemented_by": "code-modelDP", "generated_by": "operation-train-diabetes-predictor",
        "purpose": "Early detection of diabetes in the hospital's patients.",
        "lifecycle_stage": "development", "keywords": ["healthcare", "classification"],
        "created": "2024-02-26"}]})
    MINT = "model"
    TYPE = ML.Model

    title: Text = _f("What: a short human-readable name (dct:title).", ...)
    trained_on: Refs = _f("Data sets it was trained on (ml:trainedOn).", [])
    fine_tuned_from: Ref | None = _f("Base model it was fine-tuned from (ml:fineTunedFrom).")
    adapter_of: Ref | None = _f("Base model this adapter applies to (ml:adapterOf).")
    quantized_from: Ref | None = _f("Model it is a quantization of (ml:quantizedFrom).")
    merged_from: Refs = _f("Models merged into it (ml:mergedFrom).", [])
    distilled_from: Ref | None = _f("Teacher model (ml:distilledFrom).")
    converted_from: Ref | None = _f("Model it is a format conversion of (ml:convertedFrom).")
    algorithm: Algorithm | None = _f('Learning algorithm, e.g. "SupportVectorMachine".')
    training_method: Text | None = _f('How it was trained, e.g. "supervised" (ml:trainingMethod).')
    hyperparameters: Ref | None = _f("Its hyperparameter set (ml:hasHyperparameterSet).")
    implemented_by: Ref | None = _f("Its code (ml:implementedBy).")
    generated_by: Ref | None = _f("The training that produced it (prov:wasGeneratedBy).")
    lifecycle_stage: Stage | None = _f("development, staging, production or retired.")
    byte_size: Count | None = _f("Size in bytes (dcat:byteSize).")


class EvaluationIn(_Titled):
    """One value of one evaluation measure for one model, claimed by its authors or measured."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "evaluation-diabetes-predictor-accuracy", "claimed": False,
        "model": "model-diabetes-predictor", "measure": "accuracy", "value": 0.9354,
        "evaluated_on": "dataset-diabetes", "method": "cross-validation", "folds": 5}]})
    MINT = "evaluation"

    claimed: bool = _f(
        "true: stated by the model's authors (ml:ClaimedEvaluation); false: measured by a "
        "recorded run (ml:MeasuredEvaluation).", ...)
    model: Ref = _f("The evaluated model (ml:evaluatedModel).", ...)
    measure: Measure = _f('The measure: "accuracy", "F1", "ml:RocAuc", … or an IRI.', ...)
    value: Real = _f("The number (ml:value, written as xsd:decimal).", ...)
    evaluated_on: Ref | None = _f("The data set it was measured on (ml:evaluatedOn).")
    method: Method | None = _f('How: "cross-validation", "hold-out" or "bootstrap".')
    folds: Annotated[int, Strict(), Field(ge=2)] | None = _f("k of a k-fold cross-validation.")
    split: Text | None = _f('The data set split, e.g. "test" (ml:datasetSplit).')
    generated_by: Ref | None = _f("The evaluation run that measured it (prov:wasGeneratedBy).")

    def rdf_type(self) -> URIRef:
        return ML.ClaimedEvaluation if self.claimed else ML.MeasuredEvaluation


class HyperparameterSetIn(_Titled):
    """The hyperparameters a model was trained with; each setting becomes its own node."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "hyperparameters-diabetes-predictor",
        "title": "Hyperparameters of the Diabetes Predictor",
        "settings": {"kernel": "rbf", "C": 2.3}}]})
    MINT = "hyperparameters"
    TYPE = ML.HyperparameterSet

    settings: Annotated[dict[SettingName, SettingValue], Field(min_length=1)] = _f(
        "name → value; true/false → xsd:boolean, integers → xsd:integer, other numbers → "
        "xsd:decimal, strings → strings. Node IRI: <set IRI>/setting/<name, %-encoded>.", ...)

    def add_parts(self, node: URIRef, graph: Graph) -> None:
        for name, value in self.settings.items():
            part = _iri(f"{node}/setting/{_segment(name)}", "settings")
            graph.add((node, ML.hasSetting, part))
            graph.add((part, RDF.type, ML.HyperparameterSetting))
            graph.add((part, ML.parameterName, Literal(name)))
            graph.add((part, ML.parameterValue, _literal(value)))


class CodeIn(_Catalogued):
    """Source code implementing an operation or a model: a file, a URL, a repository at a commit."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "code-modelDP", "title": "modelDP.py", "file_path": "modelDP.py",
        "description": "Trains and cross-validates the Diabetes Predictor with scikit-learn's SVC."
    }]})
    MINT = "code"
    TYPE = ML.Code

    source_code_url: Url | None = _f("http(s) URL where the code can be read (ml:sourceCodeURL).")
    file_path: Text | None = _f('Path of the file, e.g. "modelDP.py" (ml:filePath).')
    repository: Repository | None = _f(
        "http(s), ssh:// or git:// URL of the repository (ml:repository).")
    commit: Annotated[Text, StringConstraints(max_length=200)] | None = _f(
        "Revision that ran, e.g. a git commit hash (ml:commit).")

    @model_validator(mode="after")
    def _somewhere(self) -> CodeIn:
        if not (self.source_code_url or self.file_path or self.repository):
            raise ValueError("say where the code is: source_code_url, file_path or repository")
        return self


class AgentIn(_Record):
    """A person, team or service that owns, administers or runs things."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "agent-tim", "kind": "person", "name": "Tim",
        "description": "Data scientist; administrator of the Diabetes Predictor."}]})
    MINT = "agent"

    kind: Choice["person", "team", "service"] = _f("What kind of agent.", "person")
    name: Text = _f("Name (foaf:name).", ...)
    email: Email | None = _f("E-mail address (foaf:mbox).")
    description: Text | None = _f("Role or other description (dct:description).")


KINDS: dict[str, type[BaseModel]] = {
    "sources": SourceIn, "datasets": DatasetIn, "operations": OperationIn, "models": ModelIn,
    "evaluations": EvaluationIn, "hyperparameter-sets": HyperparameterSetIn, "code": CodeIn,
    "agents": AgentIn,
}

# -- records → RDF -------------------------------------------------------------------------------

# field → (predicate, how the value becomes a term): "lit" a literal typed by its Python type,
# "ref" a local id or IRI, "iri" an already absolute IRI, "uri" an xsd:anyURI literal.
_PREDICATES: dict[str, tuple[URIRef, str]] = {
    "title": (DCTERMS.title, "lit"), "description": (DCTERMS.description, "lit"),
    "keywords": (DCAT.keyword, "lit"), "created": (DCTERMS.created, "lit"),
    "purpose": (ML.purpose, "lit"), "owner": (ML.owner, "ref"),
    "administrator": (ML.administrator, "ref"), "location": (ML.storageLocation, "uri"),
    "license": (DCTERMS.license, "iri"), "content_hash": (ML.contentHash, "lit"),
    "security_level": (ML.securityLevel, "iri"), "lifecycle_stage": (ML.lifecycleStage, "iri"),
    "contains_personal_data": (ML.containsPersonalData, "lit"),
    "byte_size": (DCAT.byteSize, "lit"), "ingested_from": (ML.ingestedFrom, "ref"),
    "generated_by": (PROV.wasGeneratedBy, "ref"), "derived_from": (PROV.wasDerivedFrom, "ref"),
    "trained_on": (ML.trainedOn, "ref"), "fine_tuned_from": (ML.fineTunedFrom, "ref"),
    "adapter_of": (ML.adapterOf, "ref"), "quantized_from": (ML.quantizedFrom, "ref"),
    "merged_from": (ML.mergedFrom, "ref"), "distilled_from": (ML.distilledFrom, "ref"),
    "converted_from": (ML.convertedFrom, "ref"), "algorithm": (ML.usesAlgorithm, "iri"),
    "training_method": (ML.trainingMethod, "lit"),
    "hyperparameters": (ML.hasHyperparameterSet, "ref"),
    "implemented_by": (ML.implementedBy, "ref"), "used": (PROV.used, "ref"),
    "generated": (PROV.generated, "ref"), "associated_with": (PROV.wasAssociatedWith, "ref"),
    "started_at": (PROV.startedAtTime, "lit"), "ended_at": (PROV.endedAtTime, "lit"),
    "model": (ML.evaluatedModel, "ref"), "measure": (ML.evaluationMeasure, "iri"),
    "value": (ML.value, "lit"), "evaluated_on": (ML.evaluatedOn, "ref"),
    "method": (ML.evaluationMethod, "iri"), "folds": (ML.numberOfFolds, "lit"),
    "split": (ML.datasetSplit, "lit"), "source_code_url": (ML.sourceCodeURL, "uri"),
    "file_path": (ML.filePath, "lit"), "repository": (ML.repository, "uri"),
    "commit": (ML.commit, "lit"), "name": (FOAF.name, "lit"), "email": (FOAF.mbox, "mailto"),
}


def _segment(name: str) -> str:
    """An IRI path segment for ``name``: ASCII letters, digits, '_' and '-' kept, the rest
    %-encoded (UTF-8), so distinct names always give distinct segments."""
    return "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "_-")
        else "".join(f"%{byte:02X}" for byte in ch.encode()) for ch in name
    )


def _literal(value: object) -> Literal:
    if isinstance(value, float):  # free-form numbers are kept as the decimal the client wrote
        return Literal(format(Decimal(repr(value)), "f"), datatype=XSD.decimal)
    # str → plain string, bool → xsd:boolean, int → xsd:integer, date → xsd:date,
    # datetime → xsd:dateTime (rdflib writes UTC as +00:00, the same value as Z)
    return Literal(value)


def _iri(text: str, field: str, schemes: frozenset[str] = DATA_SCHEMES) -> URIRef:
    try:
        return URIRef(check_iri(text, schemes=schemes))
    except BindingError as exc:
        raise BadInputError(f"field {field!r}: {exc}") from None


def _term(value: object, how: str, base: str, field: str) -> URIRef | Literal:
    if how == "lit":
        return _literal(value)
    text = str(value)
    if how == "uri":
        return Literal(text, datatype=XSD.anyURI)
    if how == "mailto":
        return _iri("mailto:" + text, field, frozenset({"mailto"}))
    return _node(text, base, field) if how == "ref" else _iri(text, field, PARAMETER_SCHEMES)


def _node(ref: str, base: str, field: str) -> URIRef:
    return _iri(base + ref if LOCAL_ID.fullmatch(ref) else ref, field, PARAMETER_SCHEMES)


def to_graph(record: BaseModel, *, base_iri: str) -> tuple[URIRef, Graph]:
    """The main node's IRI and its triples, with those of its sub-nodes (settings, meta-features).

    Raises BadInputError if ``base_iri`` (or an IRI made from it) is not usable.
    """
    if not isinstance(record, _Record):
        raise TypeError(f"not a typed record: {type(record).__name__}")
    base = str(_iri(base_iri, "base_iri", PARAMETER_SCHEMES))
    if base[-1] not in "/#:":
        raise BadInputError(f"base IRI {base!r} must end with '/', '#' or ':'")
    local = record.id if record.id is not None else f"{record.MINT}-{uuid.uuid4().hex}"
    node = _node(local, base, "id")
    graph = Graph()
    for prefix in ("ml", "prov", "dcat", "dct", "foaf", "xsd"):
        graph.bind(prefix, PREFIXES[prefix], replace=True)
    graph.add((node, RDF.type, record.rdf_type()))
    for field in type(record).model_fields:
        value = getattr(record, field)
        if field in _PREDICATES and value is not None:
            predicate, how = _PREDICATES[field]
            for item in value if isinstance(value, list) else [value]:
                graph.add((node, predicate, _term(item, how, base, field)))
    record.add_parts(node, graph)
    return node, graph


def parse_record(kind: str, data: Mapping[str, object]) -> BaseModel:
    """Validate ``data`` as a ``kind`` record (a key of KINDS); BadInputError names the fields."""
    model = KINDS.get(kind)
    if model is None:
        raise BadInputError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or kind}: "
            f"{err['msg'].removeprefix('Value error, ')}" for err in exc.errors()
        )
        raise BadInputError(f"invalid {kind} record: {problems}") from None
