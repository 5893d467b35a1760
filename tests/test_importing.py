"""The helpers every importer shares: safe ids, licences, tasks, create-if-absent, one write
per record (created / unchanged / updated), and nothing written for a bad record."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from modellake.errors import ValidationFailed
from modellake.importing import (
    ImportReport,
    ensure_nodes,
    node_id,
    slug,
    spdx_licence,
    task_node,
    task_slug,
    write_record,
)
from modellake.namespaces import DCTERMS, ML, RDF
from modellake.store import Store
from modellake.terms import check_iri

from .conftest import lake_on


def test_slug_keeps_safe_ids_and_never_merges_two_ids() -> None:
    assert slug("bert-base-uncased") == "bert-base-uncased"
    assert slug("google/flan-t5-base") != slug("google-flan-t5-base")
    assert slug("A/B") != slug("a/b")
    made = slug('x"> } ; DROP ALL #\n模型')
    assert set(made) <= set("abcdefghijklmnopqrstuvwxyz0123456789.-_")
    assert len(slug("x" * 500)) <= 80 + 9
    assert node_id("hf", "google/flan-t5-base").startswith("hf-google-flan-t5-base-")
    check_iri("https://lake.example.org/id/" + node_id("hf", "x\"> } ; DROP ALL"))


@pytest.mark.parametrize(("name", "expected"), [
    ("apache-2.0", "Apache-2.0"), ("MIT", "MIT"), ("mit", "MIT"), ("cc-by-4.0", "CC-BY-4.0"),
    ("gpl-3.0", "GPL-3.0-only"), ("openrail", None), ("", None), (None, None),
])
def test_spdx_licence(name: str | None, expected: str | None) -> None:
    found = spdx_licence(name)
    assert (str(found) if found else None) == (
        f"http://spdx.org/licenses/{expected}" if expected else None)


def test_task_names_of_the_registries_meet() -> None:
    assert task_slug("Image classification") == task_slug("image-classification")
    assert task_slug("image_classification") == "image-classification"
    assert task_slug("Text embedding") == "feature-extraction"
    assert task_slug("  ") is None


BASE = "https://w3id.org/modellake/id/"


def _imported(node: str, title: str, task: URIRef | None = None) -> Graph:
    graph = Graph()
    subject = URIRef(BASE + node)
    graph.add((subject, RDF.type, ML.ImportedModel))
    graph.add((subject, DCTERMS.title, Literal(title)))
    graph.add((subject, ML.sourceRecord, Literal(f"test/{node}.md")))
    if task is not None:
        graph.add((subject, ML.task, task))
    return graph


def test_shared_nodes_are_created_once_and_records_once(store: Store) -> None:
    lake = lake_on(store)
    task, task_graph = task_node(BASE, "image-classification")
    assert ensure_nodes(lake, task_graph) == [task]
    assert ensure_nodes(lake, task_graph) == []  # already there: nothing written

    report = ImportReport()
    model = URIRef(BASE + "hf-resnet-50")
    record = _imported("hf-resnet-50", "ResNet-50", task)
    assert write_record(lake, model, record, report=report) == "created"
    assert write_record(lake, model, record, report=report) == "unchanged"
    assert write_record(lake, model, record, update=True, report=report) == "unchanged"
    changed = _imported("hf-resnet-50", "ResNet-50 v1.5", task)
    assert write_record(lake, model, changed, update=True, report=report) == "updated"
    assert (model, DCTERMS.title, Literal("ResNet-50 v1.5")) in lake.describe(model)
    assert (report.created, report.unchanged, report.updated) == (1, 2, 1)

    # A stub (named by another record before its own came) is replaced by the record.
    stub = URIRef(BASE + "hf-base")
    stub_graph = Graph()
    stub_graph.add((stub, RDF.type, ML.ImportedModel))
    stub_graph.add((stub, DCTERMS.title, Literal("base")))
    assert ensure_nodes(lake, stub_graph) == [stub]
    assert write_record(lake, stub, _imported("hf-base", "Base model"), report=report) == "created"
    assert (stub, DCTERMS.title, Literal("Base model")) in lake.describe(stub)
    assert report.warnings  # the documentation profile reports what the record lacks


def test_a_bad_record_writes_nothing(store: Store) -> None:
    lake = lake_on(store)
    before = store.count()
    bad = _imported("hf-bad", "Bad")
    bad.add((URIRef(BASE + "hf-bad"), DCTERMS.license, Literal("apache-2.0")))  # not an IRI
    with pytest.raises(ValidationFailed):
        write_record(lake, URIRef(BASE + "hf-bad"), bad)
    unknown = _imported("hf-orphan", "Orphan", URIRef(BASE + "task-never-registered"))
    with pytest.raises(Exception, match="task-never-registered"):
        write_record(lake, URIRef(BASE + "hf-orphan"), unknown)
    assert store.count() == before
