"""Typed records → RDF: the paper's Diabetes example, ids, reference resolution, bad input."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from modellake.errors import BadInputError
from modellake.namespaces import DCTERMS, FOAF, ML, OWL, RDF, RDFS, XSD
from modellake.resources import ontology_file
from modellake.terms import write_ntriples
from modellake.typed_records import (
    KINDS,
    AgentIn,
    DatasetIn,
    EvaluationIn,
    MetafeaturesIn,
    ModelIn,
    OperationIn,
    parse_record,
    to_graph,
)

BASE = "https://w3id.org/modellake/id/"
ID = Namespace(BASE)
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "diabetes.ttl"

# Sub-node IRIs differ from the hand-written example: ours are <set>/setting/<name> and
# <data set>/metafeatures.
RENAMED: dict[Node, Node] = {
    ID["hyperparameters-diabetes-predictor-kernel"]:
        ID["hyperparameters-diabetes-predictor/setting/kernel"],
    ID["hyperparameters-diabetes-predictor-C"]: ID["hyperparameters-diabetes-predictor/setting/C"],
    ID["dataset-diabetes-metafeatures"]: ID["dataset-diabetes/metafeatures"],
}

MODEL = {
    "id": "model-diabetes-predictor", "title": "Diabetes Predictor",
    "description": "Predicts whether a patient has diabetes from the cleaned cohort's attributes.",
    "location": "modelDP.pkl", "administrator": "agent-tim", "algorithm": "SupportVectorMachine",
    "trained_on": "dataset-diabetes", "hyperparameters": "hyperparameters-diabetes-predictor",
    "implemented_by": "code-modelDP", "generated_by": "operation-train-diabetes-predictor",
    "purpose": "Early detection of diabetes in the hospital's patients.",
    "lifecycle_stage": "development", "keywords": ["healthcare", "classification"],
    "created": "2024-02-26",
}
HYPERPARAMETERS = {
    "id": "hyperparameters-diabetes-predictor",
    "title": "Hyperparameters of the Diabetes Predictor", "settings": {"kernel": "rbf", "C": 2.3},
}
EVALUATION = {
    "id": "evaluation-diabetes-predictor-accuracy", "claimed": False,
    "model": "model-diabetes-predictor", "measure": "accuracy", "value": 0.9354,
    "evaluated_on": "dataset-diabetes", "method": "cross-validation", "folds": 5,
}
# The rest of examples/diabetes.ttl that the models' OpenAPI examples do not cover.
OTHERS: list[tuple[str, dict[str, Any]]] = [
    ("agents", {"id": "agent-bob", "name": "Bob",
                "description": "Data administrator of the clinical data sets."}),
    ("datasets", {
        "id": "dataset-diabetes-raw", "title": "Diabetes (raw)",
        "description": "Raw diabetes records as ingested from the EHR extract.",
        "location": "s3://lake/raw/diabetes.csv", "administrator": "agent-bob",
        "ingested_from": "source-hospital-ehr", "generated_by": "operation-ingest-diabetes",
        "purpose": "Research on early diabetes detection.",
        "keywords": ["healthcare", "time-series"], "created": "2024-02-24"}),
    ("operations", {
        "id": "operation-ingest-diabetes", "kind": "ingestion",
        "title": "Ingest the diabetes cohort", "used": "source-hospital-ehr",
        "generated": "dataset-diabetes-raw", "associated_with": "agent-bob",
        "started_at": "2024-02-24T02:00:00Z", "ended_at": "2024-02-24T02:04:10Z",
        "purpose": "Bring the cohort into the lake."}),
    ("operations", {
        "id": "operation-clean-diabetes", "kind": "cleaning",
        "title": "Clean the diabetes records",
        "description": "Removes duplicate visits and imputes missing glucose readings.",
        "used": ["dataset-diabetes-raw"], "generated": ["dataset-diabetes"],
        "associated_with": ["agent-bob"], "implemented_by": "code-clean-diabetes",
        "started_at": "2024-02-25T09:00:00Z", "ended_at": "2024-02-25T09:12:30Z",
        "purpose": "Prepare the cohort for model training."}),
    ("code", {"id": "code-clean-diabetes", "title": "clean_diabetes.py",
              "file_path": "pipelines/clean_diabetes.py"}),
]


@pytest.fixture(scope="module")
def diabetes() -> Graph:
    graph = Graph().parse(EXAMPLE, format="turtle")
    renamed = Graph()
    for s, p, o in graph:
        renamed.add((RENAMED.get(s, s), p, RENAMED.get(o, o)))
    return renamed


def part(graph: Graph, *nodes: URIRef) -> Graph:
    """The triples of ``graph`` about ``nodes``."""
    out = Graph()
    for node in nodes:
        for triple in graph.triples((node, None, None)):
            out.add(triple)
    return out


def build(kind: str, data: dict[str, Any]) -> tuple[URIRef, Graph]:
    return to_graph(KINDS[kind].model_validate(data), base_iri=BASE)


def examples(model: type[BaseModel]) -> list[dict[str, Any]]:
    return list(model.model_json_schema()["examples"])


# -- the paper's example -------------------------------------------------------------------------

def test_model_matches_the_example(diabetes: Graph) -> None:
    node, graph = build("models", MODEL)
    assert node == ID["model-diabetes-predictor"]
    assert isomorphic(graph, part(diabetes, node))


def test_hyperparameter_set_matches_the_example(diabetes: Graph) -> None:
    node, graph = build("hyperparameter-sets", HYPERPARAMETERS)
    settings = [ID["hyperparameters-diabetes-predictor/setting/" + n] for n in ("kernel", "C")]
    assert isomorphic(graph, part(diabetes, node, *settings))
    assert graph.value(settings[1], ML.parameterValue) == Literal("2.3", datatype=XSD.decimal)


def test_evaluation_matches_the_example(diabetes: Graph) -> None:
    node, graph = build("evaluations", EVALUATION)
    assert isomorphic(graph, part(diabetes, node))
    assert graph.value(node, ML.value) == Literal("0.9354", datatype=XSD.decimal)


def test_json_body_gives_the_same_triples(diabetes: Graph) -> None:
    text = ('{"id": "evaluation-diabetes-predictor-accuracy", "claimed": false, "model": '
            '"model-diabetes-predictor", "measure": "ml:Accuracy", "value": 0.9354, '
            '"evaluated_on": "dataset-diabetes", "method": "CrossValidation", "folds": 5}')
    node, graph = to_graph(EvaluationIn.model_validate_json(text), base_iri=BASE)
    assert set(graph) == set(part(diabetes, node))


def test_whole_example_from_typed_records(diabetes: Graph) -> None:
    """The OpenAPI examples of every kind plus OTHERS give exactly examples/diabetes.ttl."""
    records = [(kind, ex) for kind, model in KINDS.items() for ex in examples(model)] + OTHERS
    assert sorted({kind for kind, _ in records}) == sorted(KINDS)
    union = Graph()
    for kind, data in records:
        union += build(kind, data)[1]
    assert set(union) - set(diabetes) == set()
    assert set(diabetes) - set(union) == set()


def test_every_field_is_documented() -> None:
    models: list[type[BaseModel]] = [*KINDS.values(), MetafeaturesIn]
    for model in models:
        assert model.__doc__
        assert model.model_config.get("extra") == "forbid"
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name}"
    used = OperationIn.model_json_schema()["properties"]["used"]
    assert {"type": "string"} in used["anyOf"]  # one id alone is accepted too


# -- ids ------------------------------------------------------------------------------------------

def test_missing_id_is_minted() -> None:
    record = AgentIn(name="Ann")
    first, graph = to_graph(record, base_iri=BASE)
    second, _ = to_graph(record, base_iri=BASE)
    assert re.fullmatch(re.escape(BASE) + r"agent-[0-9a-f]{32}", first)
    assert first != second
    assert (first, RDF.type, ML.Person) in graph
    node, _ = build("hyperparameter-sets", {"settings": {"C": 1}})
    assert node.startswith(BASE + "hyperparameters-")


@pytest.mark.parametrize("given", ["https://models.example.org/m/1", "urn:example:model:1"])
def test_whole_iri_id_is_kept(given: str) -> None:
    node, _ = build("models", {"id": given, "title": "M"})
    assert node == URIRef(given)


def test_bad_base_iri() -> None:
    with pytest.raises(BadInputError, match="base"):
        to_graph(AgentIn(name="Ann"), base_iri="https://example.org/a b/")
    with pytest.raises(BadInputError, match="must end"):
        to_graph(AgentIn(name="Ann"), base_iri="https://example.org/ids")


# -- ontology individuals -----------------------------------------------------------------------

@pytest.mark.parametrize(("field", "given", "expected"), [
    ("measure", "accuracy", ML.Accuracy), ("measure", "ACCURACY", ML.Accuracy),
    ("measure", "ml:Accuracy", ML.Accuracy), ("measure", str(ML.Accuracy), ML.Accuracy),
    ("measure", "F1 score", ML.F1), ("measure", "roc auc", ML.RocAuc), ("measure", "R²", ML.R2),
    ("measure", "top-1 accuracy", ML.Top1Accuracy),
    ("algorithm", "SupportVectorMachine", ML.SupportVectorMachine),
    ("algorithm", "support vector machine", ML.SupportVectorMachine),
    ("algorithm", "ml:SupportVectorMachine", ML.SupportVectorMachine),
    ("lifecycle_stage", "production", ML.Production),
    ("lifecycle_stage", "ml:Production", ML.Production),
    ("method", "cross-validation", ML.CrossValidation),
    ("method", "k-fold cross-validation", ML.CrossValidation),
    ("method", "hold-out", ML.HoldOut),
])
def test_individuals_by_name_label_or_prefixed_name(
    field: str, given: str, expected: URIRef
) -> None:
    model: type[BaseModel] = EvaluationIn if field in ("measure", "method") else ModelIn
    base: dict[str, Any] = {"claimed": True, "model": "m", "measure": "accuracy", "value": 1}
    data = {**base, field: given} if model is EvaluationIn else {"title": "M", field: given}
    node, graph = to_graph(model.model_validate(data), base_iri=BASE)
    assert expected in set(graph.objects(node, None))


def test_every_measure_in_the_ontology_resolves() -> None:
    ontology = Graph().parse(ontology_file(), format="turtle")
    measures = set(ontology.subjects(RDF.type, ML.EvaluationMeasure))
    assert len(measures) > 10
    for measure in measures:
        labels = [str(label) for label in ontology.objects(measure, RDFS.label)]
        for name in [str(measure).removeprefix(str(ML)), *labels]:
            record = EvaluationIn(claimed=True, model="m", measure=name, value=0.5)
            assert record.measure == str(measure)


def test_metafeatures_are_the_ontology_properties() -> None:
    ontology = Graph().parse(ontology_file(), format="turtle")
    declared = {p for p in ontology.subjects(RDFS.domain, ML.DatasetMetafeatures)}
    values = {name: 1 if name.startswith("number") else 0.5 for name in MetafeaturesIn.model_fields}
    node, graph = to_graph(DatasetIn(title="D", metafeatures=values), base_iri=BASE)  # type: ignore[arg-type]
    part_iri = URIRef(f"{node}/metafeatures")
    assert (node, ML.hasMetafeatures, part_iri) in graph
    assert {p for p in graph.predicates(part_iri, None)} - {RDF.type} == declared
    assert graph.value(part_iri, ML.classEntropy) == Literal("0.5", datatype=XSD.double)
    assert graph.value(part_iri, ML.numberOfClasses) == Literal(1)
    assert (ML.hasMetafeatures, RDF.type, OWL.ObjectProperty) in ontology


# -- values ----------------------------------------------------------------------------------------

def test_hyperparameter_values_are_typed() -> None:
    settings = {"shrinking": True, "max_iter": 100, "tol": 0.001, "kernel": "rbf",
                "degree": "3", "C": 1.0, "c": 2, "learning rate": 1e-7, "größe": "x"}
    node, graph = build("hyperparameter-sets", {"id": "hp", "settings": settings})
    values = {str(graph.value(s, ML.parameterName)): graph.value(s, ML.parameterValue)
              for s in graph.objects(node, ML.hasSetting)}
    assert values == {
        "shrinking": Literal(True), "max_iter": Literal(100),
        "tol": Literal("0.001", datatype=XSD.decimal), "kernel": Literal("rbf"),
        "degree": Literal("3"), "C": Literal("1.0", datatype=XSD.decimal), "c": Literal(2),
        "learning rate": Literal("0.0000001", datatype=XSD.decimal), "größe": Literal("x"),
    }
    assert (node, ML.hasSetting, ID["hp/setting/learning%20rate"]) in graph
    assert (node, ML.hasSetting, ID["hp/setting/gr%C3%B6%C3%9Fe"]) in graph


def test_dates_and_times() -> None:
    node, graph = build("models", {"title": "M", "created": "2024-02-26T14:03:42+02:00"})
    assert graph.value(node, DCTERMS.created) == Literal(
        "2024-02-26T14:03:42+02:00", datatype=XSD.dateTime)
    node, graph = build("models", {"title": "M", "created": "2024-02-26"})
    assert graph.value(node, DCTERMS.created) == Literal("2024-02-26", datatype=XSD.date)


def test_email_licence_and_urls() -> None:
    node, graph = build("agents", {"id": "ann", "kind": "team", "name": "Ann",
                                   "email": "ann@example.org"})
    assert (node, FOAF.mbox, URIRef("mailto:ann@example.org")) in graph
    assert (node, RDF.type, ML.Team) in graph
    node, graph = build("code", {"title": "t", "license": "Apache-2.0",
                                 "source_code_url": "https://git.example.org/a/b.py",
                                 "repository": "ssh://git@git.example.org/a.git"})
    assert graph.value(node, DCTERMS.license) == URIRef("http://spdx.org/licenses/Apache-2.0")
    assert graph.value(node, ML.sourceCodeURL) == Literal(
        "https://git.example.org/a/b.py", datatype=XSD.anyURI)


def test_hostile_title_is_kept_exactly() -> None:
    title = 'Robert"); DROP TABLE models; --\n\t\\u0022 "\'" > } ; <x> 🤖 ünïcödé\r\n'
    node, graph = build("models", {"title": title, "keywords": "a\"b"})
    assert graph.value(node, DCTERMS.title) == Literal(title)
    assert str(graph.value(node, DCTERMS.title)) == title
    again = Graph().parse(data=write_ntriples(graph), format="nt")  # as the store layer writes it
    assert again.value(node, DCTERMS.title) == Literal(title)


# -- bad input -----------------------------------------------------------------------------------

def errors_of(kind: str, data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        KINDS[kind].model_validate(data)
    with pytest.raises(BadInputError) as again:
        parse_record(kind, data)
    message = str(again.value)
    assert all(".".join(map(str, e["loc"])) in message for e in caught.value.errors())
    return message


def test_unknown_field() -> None:
    assert "titel" in errors_of("models", {"title": "M", "titel": "typo"})


@pytest.mark.parametrize("bad", ["a b", "../x", 'x"> } ; DROP ALL ; #', "", "-x", "a/b",
                                 "x" * 129, "javascript:alert(1)", "ftp://example.org/x"])
def test_bad_id(bad: str) -> None:
    assert errors_of("models", {"id": bad, "title": "M"}).startswith("invalid models record: id:")


@pytest.mark.parametrize(("field", "bad"), [
    ("trained_on", "https://example.org/a>b"), ("trained_on", "https://example.org/a b"),
    ("owner", "javascript:alert(1)"), ("fine_tuned_from", "https://exa mple.org/"),
    ("generated_by", "<https://example.org/x>"), ("license", "javascript:alert(1)"),
    ("lifecycle_stage", "shipped"), ("algorithm", "ml:Accuracy"), ("location", "a\nb"),
])
def test_bad_reference_names_the_field(field: str, bad: str) -> None:
    assert f"{field}" in errors_of("models", {"title": "M", field: bad})


@pytest.mark.parametrize("bad", ["high", True, None, "0.9", float("nan"), [0.9]])
def test_evaluation_value_must_be_a_number(bad: object) -> None:
    message = errors_of("evaluations", {**EVALUATION, "value": bad})
    assert "value" in message


def test_unknown_measure() -> None:
    message = errors_of("evaluations", {**EVALUATION, "measure": "accuracyy"})
    assert "measure" in message and "unknown evaluation measure" in message
    assert "accuracy" in message  # the known names are listed
    assert "measure" in errors_of("evaluations", {**EVALUATION, "measure": "production"})
    for bad in ["ml:Nope", "ml:Accuracy>", f"{ML}Accuracy x", "ml:top-1 accuracy"]:
        assert "measure" in errors_of("evaluations", {**EVALUATION, "measure": bad})


def test_other_bad_values() -> None:
    assert "email" in errors_of("agents", {"name": "A", "email": "a@b@c"})
    assert "folds" in errors_of("evaluations", {**EVALUATION, "folds": 1})
    assert "kind" in errors_of("sources", {"kind": "ftp", "title": "S"})
    assert "settings" in errors_of("hyperparameter-sets", {"settings": {}})
    assert "settings" in errors_of("hyperparameter-sets", {"settings": {"a": [1]}})
    assert "title" in errors_of("models", {"title": "\ud800"})
    assert "started_at" in errors_of("operations", {
        "kind": "training", "started_at": "2024-01-02T00:00:00Z",
        "ended_at": "2024-01-01T00:00:00Z"})
    assert "file_path" in errors_of("code", {"title": "t"})
    with pytest.raises(BadInputError, match="unknown kind"):
        parse_record("widgets", {})
