"""Small lakes for the compliance checks, written as Turtle and registered through the lake.

Every record here passes the write-path shapes (core, documentation, governance): a source has a
title and a location, a data set a title, a location, an owner and a creation date, an operation
used and generated something, a model a title, an algorithm, an administrator, a creation date
and its training data or base model. The builders return Turtle statements (without prefixes);
``register`` adds the prefixes and stores them in one write.

``issue_scenario`` is the scenario of the compliance issue: a personal-data source, two
processing steps, a model trained on the result and a fine-tune of that model.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import Graph, Literal, URIRef

from modellake.lake import Lake
from modellake.store import Store

from ..conftest import lake_on

BASE = "https://w3id.org/modellake/id/"

PREFIXES = f"""
@prefix ml:      <https://w3id.org/modellake#> .
@prefix id:      <{BASE}> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix dct:     <http://purl.org/dc/terms/> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dpv:     <https://w3id.org/dpv#> .
@prefix pd:      <https://w3id.org/dpv/pd#> .
@prefix eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#> .
@prefix spdx:    <http://spdx.org/licenses/> .
"""

AGENTS = """
id:agent-ana a ml:Person ; foaf:name "Ana" .
id:agent-ben a ml:Person ; foaf:name "Ben" .
"""


# --------------------------------------------------------------------------- the lake


def make_lake(store: Store) -> Lake:
    """A lake on an empty store with the ontology and shapes graphs installed."""
    return lake_on(store)


def register(lake: Lake, *statements: str, agents: bool = True) -> None:
    """Register the statements (plus the two agents) in one write."""
    text = PREFIXES + (AGENTS if agents else "") + "\n".join(statements)
    lake.register(Graph().parse(data=text, format="turtle"))


def run(lake: Lake, check: str, **params: object) -> list[dict[str, Any]]:
    """Run ``compliance/<check>``; rows with local ids for lake IRIs and Python values."""
    result = lake.run_named_query(f"compliance/{check}", params)
    return [{name: _value(term) for name, term in row.items()} for row in result.rows]


def found(lake: Lake, check: str, var: str = "node", **params: object) -> set[str]:
    """The distinct values of ``var`` in the check's rows."""
    return {str(row[var]) for row in run(lake, check, **params) if var in row}


def _value(term: object) -> Any:
    if isinstance(term, URIRef):
        text = str(term)
        return text[len(BASE):] if text.startswith(BASE) else text
    if isinstance(term, Literal):
        return term.toPython()
    return term


# --------------------------------------------------------------------------- building blocks


def _statement(subject: str, kinds: str, props: Iterable[str]) -> str:
    body = " ;\n    ".join(props)
    return f"id:{subject} a {kinds} ;\n    {body} .\n"


def source(name: str, *extra: str, created: str = "2024-01-10") -> str:
    """A database source owned by Ana (``extra``: more predicate-object pairs)."""
    return _statement(name, "ml:DatabaseSource", [
        f'dct:title "{name}"', f'ml:storageLocation "postgresql://db/{name}"',
        "ml:owner id:agent-ana", f'dct:created "{created}"^^xsd:date', *extra,
    ])


def dataset(name: str, *extra: str, created: str = "2024-01-20") -> str:
    """A data set administered by Ana."""
    return _statement(name, "ml:Dataset", [
        f'dct:title "{name}"', f'ml:storageLocation "s3://lake/{name}.parquet"',
        "ml:administrator id:agent-ana", f'dct:created "{created}"^^xsd:date', *extra,
    ])


def model(name: str, *extra: str, created: str = "2024-02-01") -> str:
    """A model administered by Ana; ``extra`` must give its training data or base model."""
    return _statement(name, "ml:Model", [
        f'dct:title "{name}"', "ml:usesAlgorithm ml:RandomForest",
        "ml:administrator id:agent-ana", f'dct:created "{created}"^^xsd:date', *extra,
    ])


def operation(kind: str, name: str, used: Iterable[str], generated: Iterable[str],
              ended: str) -> str:
    """An operation (ml:Ingestion, ml:Cleaning, ml:Training …) run by Ana, ending at ``ended``."""
    return _statement(name, kind, [
        "prov:used " + ", ".join(f"id:{u}" for u in used),
        "prov:generated " + ", ".join(f"id:{g}" for g in generated),
        "prov:wasAssociatedWith id:agent-ana",
        f'prov:startedAtTime "{ended}"^^xsd:dateTime',
        f'prov:endedAtTime "{ended}"^^xsd:dateTime',
    ])


def evaluation(name: str, of: str, value: float, *, at: str | None = None,
               kind: str = "ml:MeasuredEvaluation", measure: str = "ml:Accuracy",
               on: str | None = None) -> str:
    props = [f"ml:evaluatedModel id:{of}", f"ml:evaluationMeasure {measure}",
             f'ml:value "{value}"^^xsd:decimal']
    if at:
        props.append(f'prov:generatedAtTime "{at}"^^xsd:dateTime')
    if on:
        props.append(f"ml:evaluatedOn id:{on}")
    return _statement(name, kind, props)


def transition(name: str, of: str, at: str, *evidence: str,
               from_stage: str = "ml:Staging", to_stage: str = "ml:Production") -> str:
    """A stage transition of ``of`` approved by Ben at ``at``, resting on ``evidence``."""
    props = [f"prov:used id:{of}", f"ml:fromStage {from_stage}", f"ml:toStage {to_stage}",
             "prov:wasAssociatedWith id:agent-ben", f'prov:endedAtTime "{at}"^^xsd:dateTime']
    if evidence:
        props.append("ml:evidence " + ", ".join(f"id:{e}" for e in evidence))
    return _statement(name, "ml:StageTransition", props)


def approved(at: str = "2024-03-10T12:00:00Z") -> tuple[str, ...]:
    """The statements of a production model approved by Ben."""
    return ("ml:lifecycleStage ml:Production", "ml:approvedBy id:agent-ben",
            f'ml:approvedAt "{at}"^^xsd:dateTime')


# --------------------------------------------------------------------------- the issue's scenario

SOURCE = "source-clinic"
INTERMEDIATE = ("dataset-visits-raw", "dataset-visits-clean", "dataset-visits-features")
MODEL = "model-readmission"
FINE_TUNE = "model-readmission-tuned"
FINE_TUNE_DATA = "dataset-campaign"
CONSENT_WITHDRAWN_AT = "2024-06-01T00:00:00Z"


def issue_scenario(*, personal: bool = True) -> list[str]:
    """A clinic's database (personal data: health and age when ``personal``), ingested and then
    cleaned and turned into features (two processing steps), a production model trained on the
    features and a fine-tune of it on a second, non-personal data set.

    Both variants say the same about consent and purposes: the source's consent was withdrawn on
    2024-06-01, after both trainings; it was collected for research, and the fine-tune is for
    marketing. No node states a legal basis. Everything else is in order (owners, measured
    evaluations newer than the data, an approved production transition with evidence), so only
    the personal-data checks can fire, and only when the source holds personal data.
    """
    raw, clean, features = INTERMEDIATE
    personal_data = (["ml:containsPersonalData true", "dpv:hasPersonalData pd:Health, pd:Age",
                      'ml:retentionPeriod "P5Y"^^xsd:duration'] if personal else [])
    return [
        source(SOURCE, *personal_data,
               f'ml:consentWithdrawnAt "{CONSENT_WITHDRAWN_AT}"^^xsd:dateTime',
               "dpv:hasConsentStatus dpv:ConsentWithdrawn",
               "dpv:hasPurpose dpv:ResearchAndDevelopment"),
        operation("ml:Ingestion", "op-ingest-visits", [SOURCE], [raw], "2024-01-15T10:00:00Z"),
        dataset(raw, f"ml:ingestedFrom id:{SOURCE}", "prov:wasGeneratedBy id:op-ingest-visits",
                created="2024-01-15"),
        operation("ml:Cleaning", "op-clean-visits", [raw], [clean], "2024-01-20T10:00:00Z"),
        dataset(clean, f"prov:wasDerivedFrom id:{raw}", "prov:wasGeneratedBy id:op-clean-visits",
                created="2024-01-20"),
        operation("ml:Transformation", "op-features-visits", [clean], [features],
                  "2024-01-25T10:00:00Z"),
        dataset(features, f"prov:wasDerivedFrom id:{clean}",
                "prov:wasGeneratedBy id:op-features-visits", created="2024-01-25"),
        operation("ml:Training", "op-train-readmission", [features], [MODEL],
                  "2024-02-01T12:00:00Z"),
        model(MODEL, f"ml:trainedOn id:{features}", "prov:wasGeneratedBy id:op-train-readmission",
              "dpv:hasPurpose dpv:ResearchAndDevelopment", *approved(), created="2024-02-01"),
        dataset(FINE_TUNE_DATA, created="2024-02-10"),
        operation("ml:Training", "op-tune-readmission", [MODEL, FINE_TUNE_DATA], [FINE_TUNE],
                  "2024-03-01T12:00:00Z"),
        model(FINE_TUNE, f"ml:fineTunedFrom id:{MODEL}", f"ml:trainedOn id:{FINE_TUNE_DATA}",
              "prov:wasGeneratedBy id:op-tune-readmission", "dpv:hasPurpose dpv:Marketing",
              "ml:lifecycleStage ml:Staging", created="2024-03-01"),
        evaluation("evaluation-readmission", MODEL, 0.81, at="2024-03-05T09:00:00Z", on=features),
        evaluation("evaluation-readmission-tuned", FINE_TUNE, 0.84, at="2024-03-06T09:00:00Z",
                   on=FINE_TUNE_DATA),
        transition("transition-readmission", MODEL, "2024-03-10T12:00:00Z",
                   "evaluation-readmission"),
    ]
