"""GET /api/v1/catalog and ?profile=prov on lineage and impact, on both stores."""

from __future__ import annotations

from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from modellake.namespaces import DCAT, MLDCAT, PROV, RDF, RDFS

from .conftest import BASE, register_diabetes

CATALOG = URIRef(BASE + "catalog")
MODEL = URIRef(BASE + "model-diabetes-predictor")


def test_catalog_in_each_format(client: TestClient) -> None:
    register_diabetes(client)
    as_jsonld = client.get("/api/v1/catalog")
    assert as_jsonld.status_code == 200, as_jsonld.text
    assert as_jsonld.headers["content-type"].startswith("application/ld+json")
    as_turtle = client.get("/api/v1/catalog", headers={"Accept": "text/turtle"})
    as_nt = client.get("/api/v1/catalog", params={"format": "ntriples"})
    graphs = [Graph().parse(data=as_jsonld.text, format="json-ld"),
              Graph().parse(data=as_turtle.text, format="turtle"),
              Graph().parse(data=as_nt.text, format="nt")]
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[1], graphs[2])
    catalog = graphs[0]
    assert (CATALOG, RDF.type, DCAT.Catalog) in catalog
    assert set(catalog.objects(CATALOG, DCAT.dataset)) == {
        URIRef(BASE + "dataset-diabetes-raw"), URIRef(BASE + "dataset-diabetes")}
    assert (None, RDF.type, MLDCAT.MachineLearningModel) not in catalog
    models = Graph().parse(data=client.get("/api/v1/catalog", params={
        "profile": "mldcat-ap", "format": "turtle"}).text, format="turtle")
    assert (MODEL, RDF.type, MLDCAT.MachineLearningModel) in models


def test_catalog_conformance_report(client: TestClient) -> None:
    register_diabetes(client)
    dcat_ap = client.get("/api/v1/catalog", params={"validate": "true"})
    assert dcat_ap.status_code == 200
    assert dcat_ap.json()["conforms"] is True and dcat_ap.json()["violations"] == []
    # The worked example's model file is a relative path (no URL, so no mldcat:File), and its
    # raw data set has no meta-features (so no quality measurement): MLDCAT-AP says so.
    body = client.get("/api/v1/catalog", params={"validate": "true",
                                                 "profile": "mldcat-ap"}).json()
    assert body["conforms"] is False and body["profile"] == "mldcat-ap"
    found = {(v["focus_node"], v["path"]) for v in body["violations"]}
    assert (str(MODEL), "mldcat:hasFile") in found
    assert (BASE + "dataset-diabetes-raw/distribution", "dqv:hasQualityMeasurement") in found


def test_bad_profiles_and_formats_are_400(client: TestClient) -> None:
    register_diabetes(client)
    unknown = client.get("/api/v1/catalog", params={"profile": "schema-org"})
    assert unknown.status_code == 400
    assert "dcat-ap" in unknown.json()["message"] and "schema-org" in unknown.json()["message"]
    assert client.get("/api/v1/catalog", params={"profile": "prov"}).status_code == 400
    assert client.get("/api/v1/catalog", params={"format": "yaml"}).status_code == 400
    lineage = client.get("/api/v1/models/model-diabetes-predictor/lineage",
                         params={"profile": "dcat-ap"})
    assert lineage.status_code == 400 and "prov" in lineage.json()["message"]
    missing = client.get("/api/v1/models/no-such-model/lineage", params={"profile": "prov"})
    assert missing.status_code == 404 and "no-such-model" in missing.json()["message"]


def test_lineage_and_impact_as_prov(client: TestClient) -> None:
    register_diabetes(client)
    lineage = client.get("/api/v1/models/model-diabetes-predictor/lineage",
                         params={"profile": "prov", "format": "turtle"})
    assert lineage.status_code == 200, lineage.text
    graph = Graph().parse(data=lineage.text, format="turtle")
    training = URIRef(BASE + "operation-train-diabetes-predictor")
    assert (MODEL, PROV.wasGeneratedBy, training) in graph
    assert (training, PROV.used, URIRef(BASE + "dataset-diabetes")) in graph
    assert (URIRef(BASE + "dataset-diabetes"), PROV.wasDerivedFrom,
            URIRef(BASE + "dataset-diabetes-raw")) in graph
    assert {str(p) for p in graph.predicates()} <= {
        str(RDF.type), "http://www.w3.org/2000/01/rdf-schema#label", *(
            str(PROV) + name for name in (
                "used", "wasGeneratedBy", "wasInfluencedBy", "wasDerivedFrom", "wasRevisionOf",
                "wasAttributedTo", "wasAssociatedWith", "startedAtTime", "endedAtTime",
                "generatedAtTime"))}
    impact = client.get("/api/v1/datasets/dataset-diabetes-raw/impact",
                        params={"profile": "prov", "format": "ntriples"})
    assert impact.status_code == 200
    downstream = Graph().parse(data=impact.text, format="nt")
    assert (MODEL, PROV.wasGeneratedBy, training) in downstream
    # The source is upstream: named as what the raw data came from, but not described.
    source = URIRef(BASE + "source-hospital-ehr")
    assert (URIRef(BASE + "dataset-diabetes-raw"), PROV.wasDerivedFrom, source) in downstream
    assert (source, RDFS.label, None) not in downstream
    assert (source, RDFS.label, None) in graph
