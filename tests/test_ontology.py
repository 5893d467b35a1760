"""The ontology, its pinned imports, its JSON-LD context, and what HermiT concludes from them.

HermiT runs (a JVM each, about 2-4 s) are shared through module-scoped fixtures: one for the
ontology alone, one for the classification example.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from modellake import reasoning
from modellake.namespaces import DCAT, FOAF, ML, MLS, PREFIXES, PROV, SCHEMA
from modellake.resources import context_file, ontology_dir, ontology_file

EX = Namespace("https://example.org/")

BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))
IMPORTS_DIR = ontology_dir() / "imports"

# Java is part of the project's requirements (Fuseki needs it too): in CI a missing Java fails.
needs_java = pytest.mark.skipif(
    shutil.which("java") is None and not os.environ.get("CI"), reason="HermiT needs Java"
)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_file(), format="turtle")


@pytest.fixture(scope="module")
def imports() -> Graph:
    graph = Graph()
    for path in sorted(IMPORTS_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def everything(onto: Graph, imports: Graph) -> Graph:
    return onto + imports


def ml_terms(graph: Graph, kind: URIRef) -> set[URIRef]:
    return {t for t in graph.subjects(RDF.type, kind) if isinstance(t, URIRef) and t in ML}


# --------------------------------------------------------------------------- imports


def test_imports_are_listed_and_pinned() -> None:
    readme = (IMPORTS_DIR / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in IMPORTS_DIR.glob("*.ttl"))
    published = ["prov-o.ttl", "dcat3.ttl", "dcterms.ttl", "mls.ttl"]
    assert files == sorted([*published, "foaf-subset.ttl", "schema-subset.ttl", "skos-subset.ttl",
                            "dpv-subset.ttl", "spdx-licences.ttl"])
    for name in files:
        assert f"`{name}`" in readme, f"{name} is not described in imports/README.md"
    # The published copies must stay byte for byte as the README pins them.
    for name, digest in re.findall(r"\| `([\w.-]+\.ttl)` \|.*\| `([0-9a-f]{64})` \|", readme):
        assert hashlib.sha256((IMPORTS_DIR / name).read_bytes()).hexdigest() == digest, name


def test_ontology_never_imports(onto: Graph) -> None:
    assert not list(onto.objects(None, OWL.imports))


# --------------------------------------------------------------------------- documentation


def test_every_ml_term_has_label_and_comment(onto: Graph) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
    terms = set().union(*(ml_terms(onto, kind) for kind in kinds))
    assert len(terms) > 100
    missing = sorted(
        f"{t} lacks {p.fragment}"
        for t in terms
        for p in (RDFS.label, RDFS.comment)
        if (t, p, None) not in onto
    )
    assert not missing


def test_every_ml_property_is_constrained(onto: Graph) -> None:
    """Each ml: property states a domain or a range, itself or through an ml: super-property.

    Most have both; a property that may sit on many kinds of node (purpose, owner, lifecycle
    stage …) states only its range, and the two whose values take any datatype (parameterValue,
    value) state only their domain. A property with neither would tell shapes and reasoners
    nothing."""

    def constrained(prop: URIRef) -> bool:
        for p in onto.transitive_objects(prop, RDFS.subPropertyOf):
            if (p, RDFS.domain, None) in onto or (p, RDFS.range, None) in onto:
                return True
        return False

    props = ml_terms(onto, OWL.ObjectProperty) | ml_terms(onto, OWL.DatatypeProperty)
    assert not sorted(p for p in props if not constrained(p))


def test_ranges_fit_the_property_kind(onto: Graph, everything: Graph) -> None:
    for prop in ml_terms(onto, OWL.ObjectProperty):
        for rng in onto.objects(prop, RDFS.range):
            assert (rng, RDF.type, OWL.Class) in everything, f"{prop} range {rng} is no class"
    for prop in ml_terms(onto, OWL.DatatypeProperty):
        for rng in onto.objects(prop, RDFS.range):
            is_datatype = str(rng).startswith(str(XSD)) or rng == RDFS.Literal
            assert is_datatype, f"{prop} range {rng} is no datatype"


# --------------------------------------------------------------------------- alignment

SUBCLASS_AXIOMS = [
    (ML.DataSource, PROV.Entity),
    (ML.DataSource, DCAT.Resource),
    (ML.FileSource, ML.DataSource),
    (ML.DatabaseSource, ML.DataSource),
    (ML.StreamSource, ML.DataSource),
    (ML.Dataset, DCAT.Dataset),
    (ML.Dataset, PROV.Entity),
    (ML.Model, MLS.Model),
    (ML.Model, PROV.Entity),
    (ML.Model, DCAT.Resource),
    (ML.Operation, PROV.Activity),
    (ML.Ingestion, ML.Operation),
    (ML.Processing, ML.Operation),
    (ML.Integration, ML.Processing),
    (ML.Cleaning, ML.Processing),
    (ML.Transformation, ML.Processing),
    (ML.Reduction, ML.Processing),
    (ML.Training, MLS.Run),
    (ML.Training, PROV.Activity),  # through ml:Operation
    (ML.EvaluationRun, PROV.Activity),
    (ML.Algorithm, MLS.Algorithm),
    (ML.HyperparameterSetting, MLS.HyperParameterSetting),
    (ML.Evaluation, MLS.ModelEvaluation),
    (ML.Evaluation, PROV.Entity),
    (ML.EvaluationMeasure, MLS.EvaluationMeasure),
    (ML.Code, PROV.Entity),
    (ML.Code, SCHEMA.SoftwareSourceCode),
    (ML.User, PROV.Agent),
    (ML.User, FOAF.Agent),
]

DERIVATION_PROPERTIES = [
    ML.ingestedFrom,
    ML.trainedOn,
    ML.fineTunedFrom,
    ML.adapterOf,
    ML.quantizedFrom,
    ML.mergedFrom,
    ML.distilledFrom,
]


def _curie(term: URIRef) -> str:
    return term.n3(Graph().namespace_manager)


@pytest.mark.parametrize(("sub", "sup"), SUBCLASS_AXIOMS, ids=_curie)
def test_subclass_alignment(everything: Graph, sub: URIRef, sup: URIRef) -> None:
    assert sup in set(everything.transitive_objects(sub, RDFS.subClassOf))


def test_training_is_an_activity_through_operation(onto: Graph) -> None:
    assert (ML.Training, RDFS.subClassOf, ML.Operation) in onto
    assert (ML.Operation, RDFS.subClassOf, PROV.Activity) in onto


@pytest.mark.parametrize("prop", DERIVATION_PROPERTIES, ids=lambda p: p.fragment)
def test_derivations_are_prov_derivations(everything: Graph, prop: URIRef) -> None:
    assert PROV.wasDerivedFrom in set(everything.transitive_objects(prop, RDFS.subPropertyOf))


def _axiom_objects(graph: Graph, node: Node) -> Iterator[Node]:
    """Every IRI a class expression mentions, walking restrictions and RDF lists."""
    if isinstance(node, URIRef):
        yield node
        return
    for p, o in graph.predicate_objects(node):
        if p in (OWL.intersectionOf, OWL.unionOf, OWL.members, OWL.oneOf):
            for item in Collection(graph, o):
                yield from _axiom_objects(graph, item)
        elif p != RDF.type:
            yield from _axiom_objects(graph, o)


def test_external_terms_are_defined_in_imports(onto: Graph, imports: Graph) -> None:
    """Catches typos such as prov:Entityy: each external term the ontology's axioms mention, and
    each external predicate it uses, is declared in one of the pinned imports."""
    logical = [RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range]
    logical += [OWL.equivalentClass, OWL.equivalentProperty, OWL.inverseOf, OWL.disjointWith]
    mentioned: set[Node] = set()
    for p in logical:
        for o in onto.objects(None, p):
            mentioned.update(_axiom_objects(onto, o))
    for node in onto.subjects(RDF.type, OWL.AllDisjointClasses):
        mentioned.update(_axiom_objects(onto, node))
    mentioned.update(onto.predicates())
    external = {t for t in mentioned if not str(t).startswith((str(ML), *BUILTIN))}
    assert PROV.Entity in external  # the check sees the alignment axioms
    undefined = sorted(str(t) for t in external if (t, RDF.type, None) not in imports)
    assert not undefined


# --------------------------------------------------------------------------- core terms (§3)

# fmt: off
CORE_CLASSES = [
    "DataSource", "FileSource", "DatabaseSource", "StreamSource", "Dataset", "DatasetMetafeatures",
    "Feature", "Operation", "Ingestion", "Processing", "Integration", "Cleaning", "Transformation",
    "Reduction", "Training", "EvaluationRun", "Model", "Algorithm", "HyperparameterSet",
    "HyperparameterSetting", "Evaluation", "EvaluationMeasure", "Code", "User",
]
CORE_OBJECT_PROPERTIES = [
    "ingestedFrom", "trainedOn", "fineTunedFrom", "adapterOf", "quantizedFrom", "mergedFrom",
    "distilledFrom", "hasHyperparameterSet", "hasSetting", "hasEvaluation", "evaluationMeasure",
    "evaluatedOn", "evaluationMethod", "usesAlgorithm", "implementedBy", "hasMetafeatures",
    "hasFeature",
]
CORE_DATATYPE_PROPERTIES = [
    "parameterName", "parameterValue", "value", "trainingMethod", "sourceCodeURL", "purpose",
    "numberOfInstances", "numberOfAttributes", "meanSkewnessOfNumericAtts",
    "minMeansOfNumericAtts", "meanMeansOfNumericAtts", "meanStdDevOfNumericAtts",
]
CORE_MEASURES = [
    "Accuracy", "Precision", "Recall", "F1", "RocAuc", "MeanSquaredError", "MeanAbsoluteError",
    "R2",
]
# fmt: on


def test_core_terms_exist(onto: Graph) -> None:
    expected = (
        [(ML[n], OWL.Class) for n in CORE_CLASSES]
        + [(ML[n], OWL.ObjectProperty) for n in CORE_OBJECT_PROPERTIES]
        + [(ML[n], OWL.DatatypeProperty) for n in CORE_DATATYPE_PROPERTIES]
        + [(ML[n], ML.EvaluationMeasure) for n in CORE_MEASURES]
    )
    missing = [f"{term} a {kind}" for term, kind in expected if (term, RDF.type, kind) not in onto]
    assert not missing


# --------------------------------------------------------------------------- HermiT

EXAMPLE = """
@prefix ml:   <https://w3id.org/modellake#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <https://example.org/> .

ex:source a ml:FileSource .
ex:ingest a ml:Ingestion ; prov:used ex:source .
ex:raw a ml:Dataset ; ml:ingestedFrom ex:source ; prov:wasGeneratedBy ex:ingest .
ex:clean a ml:Cleaning ; prov:used ex:raw .
ex:cleaned a ml:Dataset ; prov:wasGeneratedBy ex:clean ;
    dct:title "cleaned"@en ; dct:created "2024-05-01"^^xsd:date .
ex:base a ml:Model ; ml:trainedOn ex:cleaned .
ex:tuned a ml:Model ; ml:fineTunedFrom ex:base .
ex:eval a ml:Evaluation ; ml:evaluatedModel ex:tuned ; ml:evaluationMeasure ml:Accuracy .
"""


@pytest.fixture(scope="module")
def example() -> Graph:
    return Graph().parse(data=EXAMPLE, format="turtle")


@pytest.fixture(scope="module")
def base_report() -> reasoning.ReasoningReport:
    return reasoning.check_consistency()


@pytest.fixture(scope="module")
def inferred(example: Graph) -> Iterator[reasoning.Inferences]:
    with reasoning.Inferences(example) as inferences:
        yield inferences


@needs_java
def test_ontology_with_imports_is_consistent(base_report: reasoning.ReasoningReport) -> None:
    assert base_report.consistent, base_report.message
    assert base_report.inconsistent_classes == [], base_report.message
    assert base_report.coherent


@needs_java
def test_example_is_consistent(inferred: reasoning.Inferences) -> None:
    assert inferred.report().coherent, inferred.message


@needs_java
def test_model_trained_on_a_dataset_is_a_trained_model(inferred: reasoning.Inferences) -> None:
    types = inferred.types(str(EX.base))
    assert {str(ML.TrainedModel), str(ML.Model), str(MLS.Model), str(PROV.Entity)} <= types
    assert str(ML.DerivedModel) not in types
    assert inferred.objects(str(EX.base), str(PROV.wasDerivedFrom)) == {str(EX.cleaned)}


@needs_java
def test_fine_tuned_model_is_a_derived_model(inferred: reasoning.Inferences) -> None:
    assert str(ML.DerivedModel) in inferred.types(str(EX.tuned))
    assert inferred.objects(str(EX.tuned), str(ML.derivedFromModel)) == {str(EX.base)}
    assert inferred.objects(str(EX.tuned), str(PROV.wasDerivedFrom)) == {str(EX.base)}
    # through owl:inverseOf ml:evaluatedModel
    assert inferred.objects(str(EX.tuned), str(ML.hasEvaluation)) == {str(EX.eval)}


@needs_java
def test_dataset_generated_by_cleaning_is_intermediate(inferred: reasoning.Inferences) -> None:
    assert str(ML.IntermediateDataset) in inferred.types(str(EX.cleaned))
    assert {str(DCAT.Dataset), str(PROV.Entity)} <= inferred.types(str(EX.cleaned))
    # Open world: an ingested data set is not known to be intermediate, so it is not inferred.
    assert str(ML.IntermediateDataset) not in inferred.types(str(EX.raw))
    assert inferred.objects(str(EX.raw), str(PROV.wasDerivedFrom)) == {str(EX.source)}
    assert str(PROV.Activity) in inferred.types(str(EX.clean))


@needs_java
def test_public_functions(example: Graph, inferred: reasoning.Inferences) -> None:
    classes = reasoning.classify_individuals(example)
    assert set(classes) >= {str(EX[n]) for n in ("source", "raw", "cleaned", "base", "tuned")}
    assert classes[str(EX.cleaned)] == inferred.types(str(EX.cleaned))
    assert str(ML.TrainedModel) in classes[str(EX.base)]
    assert str(ML.Accuracy) in classes  # IRIs in object position are individuals too
    derived = reasoning.inferred_objects(example, str(EX.cleaned), str(PROV.wasGeneratedBy))
    assert derived == {str(EX.clean)}


@needs_java
@pytest.mark.parametrize(
    "data",
    [
        pytest.param("ex:x a ml:Model , ml:Dataset .", id="typed-model-and-dataset"),
        # ml:trainedOn has domain ml:Model, so a data set that is "trained on" something is a
        # model too, which the disjointness axiom forbids.
        pytest.param("ex:d a ml:Dataset ; ml:trainedOn ex:e . ex:e a ml:Dataset .", id="by-domain"),
    ],
)
def test_disjoint_kinds_are_inconsistent(data: str) -> None:
    prefixes = "@prefix ml: <https://w3id.org/modellake#> . @prefix ex: <https://example.org/> ."
    report = reasoning.check_consistency(Graph().parse(data=prefixes + data, format="turtle"))
    assert not report.consistent
    assert "inconsistent" in report.message
    assert not report.coherent


@needs_java
def test_unsatisfiable_class_is_reported() -> None:
    data = """@prefix ml: <https://w3id.org/modellake#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix owl: <http://www.w3.org/2002/07/owl#> .
    <https://example.org/CodeModel> a owl:Class ; rdfs:subClassOf ml:Model , ml:Code ."""
    report = reasoning.check_consistency(Graph().parse(data=data, format="turtle"))
    assert report.consistent
    assert report.inconsistent_classes == ["https://example.org/CodeModel"]


# --------------------------------------------------------------------------- JSON-LD context


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    document = json.loads(context_file().read_text(encoding="utf-8"))
    assert set(document) == {"@context"}
    ctx = document["@context"]
    assert isinstance(ctx, dict)
    return ctx


# fmt: off
PREFIX_NAMES = [
    "ml", "mlsh", "prov", "dcat", "dct", "mls", "foaf", "schema", "skos", "xsd", "rdfs", "owl",
    "dpv", "mldcat", "dqv", "spdx",
]
# fmt: on


def test_context_prefixes(context: dict[str, Any]) -> None:
    assert context["@version"] == 1.1
    for name in PREFIX_NAMES:
        assert context[name] == PREFIXES[name], name


def _expand(context: dict[str, Any], value: str) -> str:
    prefix, _, local = value.partition(":")
    assert prefix in PREFIX_NAMES, f"{value} uses no declared prefix"
    return str(context[prefix]) + local


def test_context_terms(context: dict[str, Any], onto: Graph, everything: Graph) -> None:
    nested = [k for k, v in context.items() if isinstance(v, dict) and "@context" in v]
    assert not nested and "@import" not in context  # no scoped or remote contexts
    for term, definition in context.items():
        if term.startswith("@") or term in PREFIX_NAMES:
            continue
        iri = _expand(context, definition if isinstance(definition, str) else definition["@id"])
        assert (URIRef(iri), RDF.type, None) in everything, f"{term} -> {iri} is not defined"
        if isinstance(definition, dict) and "@type" in definition:
            coercion = definition["@type"]
            assert coercion == "@id" or _expand(context, coercion).startswith(str(XSD)), term

    for cls in ml_terms(onto, OWL.Class):
        assert context[cls.fragment] == f"ml:{cls.fragment}"
    for prop in ml_terms(onto, OWL.ObjectProperty):
        assert context[prop.fragment] == {"@id": f"ml:{prop.fragment}", "@type": "@id"}
    for prop in ml_terms(onto, OWL.DatatypeProperty):
        ranges = [str(r) for r in onto.objects(prop, RDFS.range) if str(r).startswith(str(XSD))]
        expected = {"@id": f"ml:{prop.fragment}"}
        if len(ranges) == 1:
            expected["@type"] = ranges[0].replace(str(XSD), "xsd:")
        assert context[prop.fragment] == expected


def test_context_is_what_the_generator_builds() -> None:
    script = ontology_dir() / "build_context.py"
    spec = importlib.util.spec_from_file_location("build_context", script)
    assert spec is not None and spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render(module.build()) == context_file().read_text(encoding="utf-8")


JSONLD_EXPECTED = """
@prefix ml:   <https://w3id.org/modellake#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <https://example.org/> .

ex:model a ml:Model ;
    dct:title "Iris SVM"@en ;
    dct:created "2024-05-01T10:00:00Z"^^xsd:dateTime ;
    ml:trainedOn ex:iris ;
    prov:wasDerivedFrom ex:iris ;
    ml:lifecycleStage ml:Production ;
    ml:hasEvaluation ex:evaluation .
ex:evaluation a ml:Evaluation ;
    ml:evaluationMeasure ml:Accuracy ;
    ml:value "0.93"^^xsd:double .
ex:iris a ml:Dataset ;
    dcat:keyword "iris" , "flowers" ;
    dcat:byteSize "4551"^^xsd:nonNegativeInteger ;
    ml:containsPersonalData false ;
    ml:storageLocation "s3://lake/iris.csv"^^xsd:anyURI ;
    ml:hasMetafeatures ex:iris-mf .
ex:iris-mf a ml:DatasetMetafeatures ;
    ml:numberOfInstances 150 ;
    ml:classEntropy "1.58"^^xsd:double .
"""


def _canonical(graph: Graph) -> set[tuple[Node, Node, Node]]:
    """Triples with literals compared by value, so "1.58"/"1.58E0" or "Z"/"+00:00" agree."""

    def term(node: Node) -> Node:
        if isinstance(node, Literal) and node.datatype is not None and node.value is not None:
            return Literal(node.value, datatype=node.datatype)
        assert not isinstance(node, BNode), "the example names every node"
        return node

    return {(term(s), term(p), term(o)) for s, p, o in graph}


def test_jsonld_document_expands_with_the_context(context: dict[str, Any]) -> None:
    document = {
        "@context": context,  # inline, as a dict: never a URL
        "@graph": [
            {
                "@id": "https://example.org/model",
                "@type": "Model",
                "title": {"@value": "Iris SVM", "@language": "en"},
                "created": "2024-05-01T10:00:00Z",
                "trainedOn": "https://example.org/iris",
                "wasDerivedFrom": "https://example.org/iris",
                "lifecycleStage": "ml:Production",
                "hasEvaluation": {
                    "@id": "https://example.org/evaluation",
                    "@type": "Evaluation",
                    "evaluationMeasure": "ml:Accuracy",
                    "value": 0.93,
                },
            },
            {
                "@id": "https://example.org/iris",
                "@type": "Dataset",
                "keyword": ["iris", "flowers"],
                "byteSize": 4551,
                "containsPersonalData": False,
                "storageLocation": "s3://lake/iris.csv",
                "hasMetafeatures": {
                    "@id": "https://example.org/iris-mf",
                    "@type": "DatasetMetafeatures",
                    "numberOfInstances": 150,
                    "classEntropy": 1.58,
                },
            },
        ],
    }
    parsed = Graph().parse(data=json.dumps(document), format="json-ld")
    expected = Graph().parse(data=JSONLD_EXPECTED, format="turtle")
    assert _canonical(parsed) == _canonical(expected)
