"""The PROV-O export: plain PROV that a PROV tool reads and whose constraints hold, on the demo
lake and on small hostile lakes (both stores)."""

from __future__ import annotations

from collections import Counter

from prov.model import ProvDocument
from rdflib import Graph, Literal, URIRef

from modellake import export
from modellake.lake import Lake
from modellake.namespaces import PROV, RDF, RDFS, XSD
from modellake.store import Store

from ..conftest import lake_on
from .prov_rules import problems

ID = "https://w3id.org/modellake/id/"
PREDICTOR = URIRef(ID + "model-diabetes-predictor")
TRAINING = URIRef(ID + "training-diabetes-predictor")
RAW = URIRef(ID + "dataset-diabetes-raw")

HOSTILE = """
@prefix ml:   <https://w3id.org/modellake#> .
@prefix ex:   <https://w3id.org/modellake/id/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

ex:ann a ml:Person ; foaf:name "Ann" .
ex:robot a prov:Agent , prov:SoftwareAgent .
ex:src a ml:FileSource ; dct:title "Source" ; ml:storageLocation "/data/src.csv" ;
    ml:owner ex:ann .
ex:raw a ml:Dataset ; dct:title "Raw" ; ml:storageLocation "/data/raw.csv" ;
    ml:administrator ex:ann ; dct:created "2024-05-01"^^xsd:date ; ml:ingestedFrom ex:src ;
    prov:wasGeneratedBy ex:ingest .
ex:ingest a ml:Ingestion ; dct:title "Ingest" ; prov:used ex:src ; prov:generated ex:raw ;
    prov:wasAssociatedWith ex:robot ;
    prov:startedAtTime "2024-05-01T00:00:00Z"^^xsd:dateTime ;
    prov:endedAtTime "2024-05-01T01:00:00Z"^^xsd:dateTime .
# Used the raw data two months before the raw data was ingested: the times contradict.
ex:clean a ml:Cleaning ; dct:title "Clean" ; prov:used ex:raw ; prov:generated ex:twice ;
    prov:startedAtTime "2024-03-01T00:00:00Z"^^xsd:dateTime ;
    prov:endedAtTime "2024-03-02T00:00:00Z"^^xsd:dateTime .
# A second activity claims to have generated the same data set.
ex:merge a ml:Integration ; dct:title "Merge" ; prov:used ex:raw ; prov:generated ex:twice ;
    prov:startedAtTime "2024-06-01T00:00:00+02:00"^^xsd:dateTime ;
    prov:endedAtTime "2024-06-01T01:00:00+02:00"^^xsd:dateTime .
ex:twice a ml:Dataset ; dct:title "Generated twice" ; ml:storageLocation "/data/twice.csv" ;
    ml:administrator ex:ann ; dct:created "2024-06-01"^^xsd:date ; prov:wasDerivedFrom ex:raw .
# A start time without a time zone cannot be ordered against the others.
ex:reshape a ml:Transformation ; dct:title "Reshape" ; prov:used ex:twice ;
    prov:generated ex:third ;
    prov:startedAtTime "2024-07-01T00:00:00"^^xsd:dateTime ;
    prov:endedAtTime "2024-07-01T01:00:00Z"^^xsd:dateTime .
ex:third a ml:Dataset ; dct:title "Third" ; ml:storageLocation "/data/third.csv" ;
    ml:administrator ex:ann ; dct:created "2024-07-01"^^xsd:date ;
    prov:wasGeneratedBy ex:reshape ; prov:wasDerivedFrom ex:twice .
# Two models each fine-tuned from the other: a derivation cycle.
ex:model-a a ml:Model ; dct:title "A" ; ml:usesAlgorithm ml:Transformer ;
    ml:trainedOn ex:raw ; ml:fineTunedFrom ex:model-b ; ml:administrator ex:ann ;
    dct:created "2024-08-01"^^xsd:date .
ex:model-b a ml:Model ; dct:title "B" ; ml:usesAlgorithm ml:Transformer ;
    ml:trainedOn ex:raw ; ml:fineTunedFrom ex:model-a ; ml:administrator ex:ann ;
    dct:created "2024-08-01"^^xsd:date .
# A plain PROV activity (no lake operation, so no core shape) that ends before it starts.
ex:odd a prov:Activity ; dct:title "Odd" ; prov:used ex:raw ;
    prov:startedAtTime "2024-09-02T00:00:00Z"^^xsd:dateTime ;
    prov:endedAtTime "2024-09-01T00:00:00Z"^^xsd:dateTime .
# An evaluation generated four days after its run ended.
ex:eval-run a ml:EvaluationRun ; dct:title "Evaluate A" ; prov:used ex:model-a , ex:raw ;
    prov:generated ex:eval ;
    prov:startedAtTime "2024-08-01T00:00:00Z"^^xsd:dateTime ;
    prov:endedAtTime "2024-08-01T01:00:00Z"^^xsd:dateTime .
ex:eval a ml:MeasuredEvaluation ; ml:evaluatedModel ex:model-a ;
    ml:evaluationMeasure ml:Accuracy ; ml:value 0.9 ; prov:wasGeneratedBy ex:eval-run ;
    prov:generatedAtTime "2024-08-05T00:00:00Z"^^xsd:dateTime .
"""


def ex(local: str) -> URIRef:
    return URIRef(ID + local)


def test_demo_lake_as_prov(demo_lake: Lake) -> None:
    graph = export.provenance(demo_lake)
    assert problems(graph) == []
    types = Counter(o for o in graph.objects(None, RDF.type))
    assert types[PROV.Activity] >= 4 * 3 + 20  # ingest, clean, prepare per task; 20 trainings
    assert types[PROV.Agent] == 3
    assert (PREDICTOR, PROV.wasGeneratedBy, TRAINING) in graph
    assert (PREDICTOR, RDFS.label, Literal("Diabetes Predictor")) in graph
    assert (TRAINING, PROV.wasAssociatedWith, ex("agent-tim")) in graph
    assert any(graph.triples((TRAINING, PROV.used, None)))
    assert (RAW, PROV.wasDerivedFrom, ex("source-diabetes-csv")) in graph
    starts = list(graph.objects(TRAINING, PROV.startedAtTime))
    assert len(starts) == 1 and starts[0].datatype == XSD.dateTime
    # Only PROV-O terms and labels: none of the lake's own vocabulary.
    assert not [p for p in graph.predicates() if "modellake#" in str(p)]
    assert not [o for o in graph.objects(None, RDF.type) if "modellake#" in str(o)]


def test_a_prov_tool_reads_the_export(demo_lake: Lake) -> None:
    graph = export.provenance(demo_lake)
    document = ProvDocument.deserialize(
        content=graph.serialize(format="turtle"), format="rdf", rdf_format="turtle")
    records = Counter(type(r).__name__ for r in document.get_records())
    assert records["ProvActivity"] == len(set(graph.subjects(RDF.type, PROV.Activity)))
    assert records["ProvGeneration"] == len(list(graph.triples((None, PROV.wasGeneratedBy, None))))
    assert records["ProvUsage"] == len(list(graph.triples((None, PROV.used, None))))
    assert not document.bundles


def test_lineage_of_a_model_as_prov(demo_lake: Lake) -> None:
    graph = export.lineage_provenance(demo_lake, PREDICTOR, upstream=True)
    assert problems(graph) == []
    assert (PREDICTOR, PROV.wasGeneratedBy, TRAINING) in graph
    assert (RAW, PROV.wasGeneratedBy, None) in graph  # the ingestion, far upstream
    whole = export.provenance(demo_lake)
    assert len(graph) < len(whole)
    # Other models' training runs are not upstream of the Diabetes Predictor.
    assert (ex("model-iris-svm"), PROV.wasGeneratedBy, None) not in graph


def test_hostile_lake_gives_sound_prov(store: Store) -> None:
    lake = lake_on(store, HOSTILE)
    # What the lake holds breaks PROV's constraints …
    assert len(list(lake.store.construct(
        "CONSTRUCT { ?a <http://www.w3.org/ns/prov#generated> ?e } WHERE { ?a "
        f"<http://www.w3.org/ns/prov#generated> <{ex('twice')}> BIND(<{ex('twice')}> AS ?e) }}"
    ))) == 2
    graph = export.provenance(lake)
    # … the export does not.
    assert problems(graph) == [], problems(graph)
    twice = ex("twice")
    assert set(graph.objects(twice, PROV.wasGeneratedBy)) == set()
    assert set(graph.objects(twice, PROV.wasInfluencedBy)) == {ex("clean"), ex("merge")}
    assert (ex("third"), PROV.wasGeneratedBy, ex("reshape")) in graph
    # The cycle between the two models is left out, their other derivations are kept.
    assert (ex("model-a"), PROV.wasDerivedFrom, ex("model-b")) not in graph
    assert (ex("model-b"), PROV.wasDerivedFrom, ex("model-a")) not in graph
    assert (ex("model-a"), PROV.wasDerivedFrom, ex("raw")) in graph
    assert (ex("third"), PROV.wasDerivedFrom, ex("twice")) in graph
    # Contradicting times are left out, consistent ones kept.
    for activity in ("clean", "ingest", "odd", "eval-run"):
        assert not set(graph.objects(ex(activity), PROV.startedAtTime)), activity
        assert not set(graph.objects(ex(activity), PROV.endedAtTime)), activity
    assert (ex("eval"), PROV.generatedAtTime, None) not in graph
    assert len(set(graph.objects(ex("merge"), PROV.startedAtTime))) == 1
    assert len(set(graph.objects(ex("merge"), PROV.endedAtTime))) == 1
    assert not set(graph.objects(ex("reshape"), PROV.startedAtTime))  # no time zone
    assert len(set(graph.objects(ex("reshape"), PROV.endedAtTime))) == 1
    # A nameless agent is still an agent; a named one has its label.
    assert (ex("robot"), RDF.type, PROV.SoftwareAgent) in graph
    assert (ex("ingest"), PROV.wasAssociatedWith, ex("robot")) in graph
    assert (ex("ann"), RDFS.label, Literal("Ann")) in graph
    # The lake's own bookkeeping (write events) is not provenance of the data.
    assert not [s for s in graph.subjects() if "/audit/" in str(s)]


def test_the_rules_catch_what_they_check() -> None:
    """The checker itself fails on unsound PROV (so its silence above means something)."""
    a, b, e = URIRef("urn:x:a"), URIRef("urn:x:b"), URIRef("urn:x:e")
    bad = Graph()
    for activity in (a, b):
        bad.add((activity, RDF.type, PROV.Activity))
        bad.add((e, PROV.wasGeneratedBy, activity))
    bad.add((e, RDF.type, PROV.Entity))
    bad.add((a, PROV.startedAtTime, Literal("2024-01-02T00:00:00Z", datatype=XSD.dateTime)))
    bad.add((a, PROV.endedAtTime, Literal("2024-01-01T00:00:00Z", datatype=XSD.dateTime)))
    bad.add((e, PROV.wasDerivedFrom, e))
    bad.add((e, URIRef(str(PROV) + "hadFoo"), a))
    found = "\n".join(problems(bad))
    for expected in ("not a PROV-O term", "generated by 2", "ends before it starts",
                     "cycle"):
        assert expected in found, found
