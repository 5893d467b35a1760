"""The DCAT-AP / MLDCAT-AP catalogue export, validated with pyshacl against the official shapes
(shapes/external/, byte copies of the published files), on the demo lake and on small lakes,
on both stores."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef

from modellake import conformance, export
from modellake.errors import NotFoundError
from modellake.lake import Lake
from modellake.namespaces import DCAT, DCTERMS, DQV, FOAF, MLDCAT, MLS, PROV, RDF, SH, SPDX, XSD
from modellake.settings import Settings
from modellake.store import Store

from ..conftest import lake_on

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT / "shapes" / "external"
SHARED = ROOT.parent / "shared" / "standards"
ID = "https://w3id.org/modellake/id/"
CATALOG = URIRef(ID + "catalog")
DCAT_RESOURCE = URIRef(str(DCAT) + "resource")  # DCAT 3 terms rdflib's DCAT does not list
DCAT_VERSION = URIRef(str(DCAT) + "version")
# Property shapes the DCAT-AP 3.0.1 ranges file lists but neither DCAT-AP file defines. NOTES.md
# in shared/standards names the last; the other four are there too.
DCAT_AP = "https://semiceu.github.io/DCAT-AP/releases/3.0.1#"
UNDEFINED_IN_RANGES = {URIRef(DCAT_AP + shape) for shape in (
    "dcat:DistributionShape/a07d6e7a0a1790b89a1ce7ff602cbbd9ea835282",
    "dcat:RelationshipShape/b7aa98e1befa5130659568aa62e7f38575dc17c1",
    "dcat:DatasetShape/4918ff7a6c1c4b0eea6403dca4b992b87ee1f4ab",
    "dcat:DatasetShape/95c69c99a1e3ade043911b51b942f206dea0e68d",
    "dcat:DistributionShape/653804840386e33525b3d39d205c174780be414b",
)}

DOCUMENTED = """
@prefix ml:   <https://w3id.org/modellake#> .
@prefix ex:   <https://w3id.org/modellake/id/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

ex:ann a ml:Person ; foaf:name "Ann" .
ex:data-team a ml:Team ; rdfs:label "Data team" .
ex:wine a ml:Dataset ; dct:title "Wine" ;
    dct:description "178 wines from three cultivars with 13 chemical constituents." ;
    dcat:downloadURL <https://data.example.org/wine.csv> ; ml:fileFormat "csv" ;
    dcat:byteSize 11136 ;
    ml:contentHash "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" ;
    dct:license <http://spdx.org/licenses/CC-BY-4.0> ;
    ml:administrator ex:ann ; dct:created "2024-02-25"^^xsd:date ;
    ml:purpose "Teaching." ; dcat:keyword "chemistry" ;
    ml:hasMetafeatures <https://w3id.org/modellake/id/wine/metafeatures> .
<https://w3id.org/modellake/id/wine/metafeatures> a ml:DatasetMetafeatures ;
    ml:numberOfInstances 178 ; ml:numberOfAttributes 14 ; ml:numberOfMissingValues 0 .
ex:wine-scaled a ml:Dataset ; dct:title "Wine (scaled)" ;
    dct:description "Wine with every feature scaled to unit variance." ;
    ml:storageLocation "/lake/wine-scaled.parquet" ; ml:fileFormat "parquet" ;
    ml:administrator ex:ann ; dct:created "2024-02-26"^^xsd:date ;
    prov:wasDerivedFrom ex:wine ; prov:wasGeneratedBy ex:scale ;
    ml:hasMetafeatures <https://w3id.org/modellake/id/wine-scaled/metafeatures> .
<https://w3id.org/modellake/id/wine-scaled/metafeatures> a ml:DatasetMetafeatures ;
    ml:numberOfInstances 178 .
ex:scale a ml:Transformation ; dct:title "Scale" ; prov:used ex:wine ;
    prov:generated ex:wine-scaled ; prov:wasAssociatedWith ex:ann ;
    prov:startedAtTime "2024-02-26T10:00:00Z"^^xsd:dateTime ;
    prov:endedAtTime "2024-02-26T10:01:00Z"^^xsd:dateTime .
ex:settings a ml:HyperparameterSet ; ml:hasSetting <https://w3id.org/modellake/id/settings/C> .
<https://w3id.org/modellake/id/settings/C> a ml:HyperparameterSetting ;
    ml:parameterName "C" ; ml:parameterValue 2.3 .
ex:train a ml:Training ; dct:title "Train the wine classifier" ;
    prov:used ex:wine-scaled , ex:settings ; prov:generated ex:classifier ;
    ml:usesAlgorithm ml:SupportVectorMachine ; prov:wasAssociatedWith ex:ann ;
    prov:startedAtTime "2024-03-01T10:00:00Z"^^xsd:dateTime ;
    prov:endedAtTime "2024-03-01T10:05:00Z"^^xsd:dateTime .
ex:classifier a ml:Model ; dct:title "Wine classifier" ;
    dct:description "An SVM that tells the cultivar from the chemistry." ;
    ml:usesAlgorithm ml:SupportVectorMachine ; ml:trainedOn ex:wine-scaled ;
    ml:hasHyperparameterSet ex:settings ; prov:wasGeneratedBy ex:train ;
    ml:administrator ex:ann ; dct:created "2024-03-01"^^xsd:date ;
    ml:storageLocation "https://models.example.org/wine/classifier.onnx"^^xsd:anyURI ;
    ml:fileFormat "onnx" ;
    ml:contentHash "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae" ;
    dct:license <http://spdx.org/licenses/Apache-2.0> ; ml:purpose "Teaching." .
ex:classifier-v2 a ml:Model ; dct:title "Wine classifier" ;
    dct:description "The wine classifier, retrained." ;
    ml:usesAlgorithm ml:SupportVectorMachine ; ml:trainedOn ex:wine-scaled ;
    prov:wasRevisionOf ex:classifier ; ml:administrator ex:ann ;
    dct:created "2024-04-01"^^xsd:date ;
    ml:storageLocation "/models/wine/classifier-v2.joblib" ; ml:fileFormat "joblib" .
ex:classifier-tuned a ml:Model ; dct:title "Wine classifier, tuned" ;
    ml:usesAlgorithm ml:SupportVectorMachine ; ml:fineTunedFrom ex:classifier ;
    ml:trainedOn ex:wine ; ml:administrator ex:ann ; dct:created "2024-04-02"^^xsd:date ;
    ml:storageLocation "https://models.example.org/wine/tuned.onnx" ; ml:fileFormat "onnx" .
ex:accuracy a ml:MeasuredEvaluation ; ml:evaluatedModel ex:classifier ;
    ml:evaluationMeasure ml:Accuracy ; ml:value 0.97 ; ml:evaluatedOn ex:wine .
""".replace("@prefix xsd:", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            "@prefix xsd:")


def ex(local: str) -> URIRef:
    return URIRef(ID + local)


@cache
def official_shapes(profile: str) -> Graph:
    """The official shapes of a profile, loaded here independently of modellake.conformance."""
    shapes = Graph()
    names = ["dcat-ap-3.0.1-SHACL.ttl", "dcat-ap-3.0.1-ranges.ttl"]
    if profile == "mldcat-ap":
        names.append("mldcat-ap-3.1.0-SHACL.ttl")
    for name in names:
        shapes.parse(EXTERNAL / name, format="turtle")
    # The ranges file references property shapes that no DCAT-AP file defines, and pyshacl
    # refuses the whole shapes graph for them (see shared/standards/NOTES.md): drop those
    # references.
    for shape in UNDEFINED_IN_RANGES:
        shapes.remove((None, SH.property, shape))
    return shapes


def violations(graph: Graph, profile: str) -> str:
    conforms, _, text = shacl_validate(graph, shacl_graph=official_shapes(profile),
                                       inference="none", allow_warnings=True)
    return "" if conforms else text


@pytest.mark.parametrize("profile", ["dcat-ap", "mldcat-ap"])
def test_demo_lake_conforms(demo_lake: Lake, profile: str) -> None:
    graph = export.catalog(demo_lake, profile)
    assert violations(graph, profile) == ""
    assert conformance.check(graph, profile).violations == []
    datasets = set(graph.objects(CATALOG, DCAT.dataset))
    assert len(datasets) == 12  # raw, clean and training table of four data sets
    distributions = set(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 4  # only the raw CSV files exist outside memory
    raw = ex("dataset-diabetes-raw")
    (dist,) = graph.objects(raw, DCAT.distribution)
    (url,) = graph.objects(dist, DCAT.accessURL)
    assert str(url).startswith("file:///") and str(url).endswith("/raw/diabetes.csv")
    assert (dist, DCAT.mediaType,
            URIRef("http://www.iana.org/assignments/media-types/text/csv")) in graph
    assert (dist, DCAT.byteSize, None) in graph
    assert (dist, SPDX.checksum, None) in graph
    models = set(graph.objects(CATALOG, DCAT_RESOURCE))
    if profile == "dcat-ap":
        assert not models and not set(graph.subjects(RDF.type, MLDCAT.MachineLearningModel))
        return
    assert len(models) == 20
    predictor = ex("model-diabetes-predictor")
    assert (predictor, RDF.type, MLDCAT.MachineLearningModel) in graph
    assert (predictor, DCAT_VERSION, Literal("1")) in graph
    (file,) = graph.objects(predictor, MLDCAT.hasFile)
    assert (file, DCTERMS.title, Literal("modelDP.joblib")) in graph
    assert len(set(graph.objects(dist, DQV.hasQualityMeasurement))) >= 6


@pytest.mark.parametrize("profile", ["dcat-ap", "mldcat-ap"])
def test_documented_small_lake_conforms(store: Store, profile: str) -> None:
    lake = lake_on(store, DOCUMENTED)
    graph = export.catalog(lake, profile)
    assert violations(graph, profile) == ""
    # The catalogue: its settings, the lake service as publisher, dates from the audit trail.
    assert (CATALOG, DCTERMS.title, Literal("Model Lake")) in graph
    (publisher,) = graph.objects(CATALOG, DCTERMS.publisher)
    assert (publisher, FOAF.name, Literal(f"Model Lake at {ID}")) in graph
    assert (CATALOG, DCTERMS.modified, None) in graph
    # A download URL is also the access URL; format, media type, size, checksum, licence.
    dist = URIRef(ID + "wine/distribution")
    assert (ex("wine"), DCAT.distribution, dist) in graph
    download = URIRef("https://data.example.org/wine.csv")
    assert (dist, DCAT.accessURL, download) in graph and (dist, DCAT.downloadURL, download) in graph
    assert (dist, DCAT.byteSize, Literal("11136", datatype=XSD.nonNegativeInteger)) in graph
    assert (dist, DCTERMS.license, URIRef("http://spdx.org/licenses/CC-BY-4.0")) in graph
    (checksum,) = graph.objects(dist, SPDX.checksum)
    assert (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256) in graph
    value = graph.value(checksum, SPDX.checksumValue)
    assert value is not None and value.datatype == XSD.hexBinary and str(value).startswith("9f86")
    # An absolute path becomes a file: URL; Parquet has no registered media type here.
    scaled = URIRef(ID + "wine-scaled/distribution")
    assert (scaled, DCAT.accessURL, URIRef("file:///lake/wine-scaled.parquet")) in graph
    assert (scaled, DCAT.mediaType, None) not in graph
    assert (ex("wine-scaled"), DCTERMS.source, ex("wine")) in graph
    assert (ex("wine-scaled"), PROV.wasGeneratedBy, ex("scale")) in graph
    if profile == "dcat-ap":
        return
    # Models: versions from the revision chain, files, training and test data, runs.
    assert (ex("classifier"), DCAT_VERSION, Literal("1")) in graph
    assert (ex("classifier-v2"), DCAT_VERSION, Literal("2")) in graph
    assert (ex("classifier-tuned"), MLDCAT.fineTunedFrom, ex("classifier")) in graph
    assert (ex("classifier"), MLDCAT.trainedOn, ex("wine-scaled")) in graph
    assert (ex("classifier"), MLDCAT.testedOn, ex("wine")) in graph
    assert (ex("classifier"), MLDCAT.intendedUse, Literal("Teaching.")) in graph
    files = {graph.value(f, MLDCAT.url) for f in graph.objects(ex("classifier-v2"),
                                                                MLDCAT.hasFile)}
    assert files == {URIRef("file:///models/wine/classifier-v2.joblib")}
    assert (ex("train"), MLS.realizes, URIRef("https://w3id.org/modellake#SupportVectorMachine")
            ) in graph
    assert (ex("train"), MLS.hasInput, ex("settings/C")) in graph
    assert (ex("accuracy"), MLS.hasValue, None) in graph
    # Meta-features are the data set's quality measurements.
    measured = {graph.value(m, DCTERMS.type) for m in graph.objects(dist,
                                                                    DQV.hasQualityMeasurement)}
    assert URIRef("https://w3id.org/modellake#numberOfInstances") in measured
    # A team named only by rdfs:label is a foaf:Agent with that name.
    assert (ex("data-team"), FOAF.name, Literal("Data team")) in graph


def test_what_the_lake_does_not_know_is_missing_not_invented(store: Store) -> None:
    """A data set without a description, a model without a file: registered (our shapes only
    warn), exported without those facts, and the check names them."""
    lake = lake_on(store)
    result = lake.register(Graph().parse(data=DOCUMENTED.replace(
        '    dct:description "178 wines from three cultivars with 13 chemical constituents." ;\n',
        "").replace('    ml:storageLocation "https://models.example.org/wine/tuned.onnx" ; '
                    'ml:fileFormat "onnx" .\n', "    .\n")
        .replace('ml:storageLocation "/lake/wine-scaled.parquet"',
                 'ml:storageLocation "lake/wine-scaled.parquet"'), format="turtle"))
    warned = {(w.focus_node, w.path) for w in result.warnings}
    assert (ID + "wine", "dct:description") in warned
    graph = export.catalog(lake, "mldcat-ap")
    assert (ex("wine"), DCTERMS.description, None) not in graph
    assert (ex("classifier-tuned"), MLDCAT.hasFile, None) not in graph
    # A relative path is no URL: that data set has no distribution.
    assert (ex("wine-scaled"), DCAT.distribution, None) not in graph
    report = conformance.check(graph, "mldcat-ap")
    assert not report.conforms
    assert {(f.focus_node, f.path) for f in report.violations} >= {
        (ID + "wine", "dct:description"), (ID + "classifier-tuned", "mldcat:hasFile")}
    assert violations(graph, "mldcat-ap") != ""


def test_a_configured_publisher(store: Store) -> None:
    lake = lake_on(store, DOCUMENTED)
    named = Lake(store, Settings(catalog_publisher="data-team", catalog_title="Wine lake"))
    graph = export.catalog(named, "dcat-ap")
    assert (CATALOG, DCTERMS.publisher, ex("data-team")) in graph
    assert (ex("data-team"), FOAF.name, Literal("Data team")) in graph
    assert (CATALOG, DCTERMS.title, Literal("Wine lake")) in graph
    assert violations(graph, "dcat-ap") == ""
    with pytest.raises(NotFoundError, match="not an agent with a name"):
        export.catalog(Lake(lake.store, Settings(catalog_publisher="nobody")), "dcat-ap")


def test_the_ranges_quirk_is_worked_around() -> None:
    """pyshacl refuses DCAT-AP with its ranges file as published; dropping the references to
    the five undefined property shapes is enough, and that is all conformance drops."""
    shapes = Graph()
    for name in ("dcat-ap-3.0.1-SHACL.ttl", "dcat-ap-3.0.1-ranges.ttl"):
        shapes.parse(EXTERNAL / name, format="turtle")
    dataset = Graph()
    dataset.add((ex("d"), RDF.type, DCAT.Dataset))
    dataset.add((ex("d"), DCAT.distribution, ex("d/distribution")))
    dataset.add((ex("d/distribution"), RDF.type, DCAT.Distribution))
    with pytest.raises(Exception, match="not a well-formed SHACL PropertyShape"):
        shacl_validate(dataset, shacl_graph=shapes, inference="none")
    assert set(conformance.drop_undefined_property_shapes(shapes)) == UNDEFINED_IN_RANGES
    conforms, _, text = shacl_validate(dataset, shacl_graph=shapes, inference="none")
    assert not conforms and "accessURL" in text  # the distribution has none


def test_vendored_shapes_are_the_published_files() -> None:
    if not SHARED.exists():
        pytest.skip("../shared/standards is not next to the repository")
    names = sorted(p.name for p in EXTERNAL.iterdir() if p.suffix in (".ttl", ".jsonld"))
    assert names
    for name in names:
        assert (EXTERNAL / name).read_bytes() == (SHARED / name).read_bytes(), name
