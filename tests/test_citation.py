"""Data citation on both stores: the model's data up to its sources as BibTeX (parsed back with
pybtex), CSL-JSON (checked against the CSL data schema's structure) and DataCite JSON (the
mandatory properties), with missing facts left out or marked, never invented."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pybtex.database import parse_string
from rdflib import Graph

from modellake.citation import UNAVAILABLE, bibtex_escape, cite, cited_items
from modellake.errors import BadInputError, NotFoundError
from modellake.store import Store

from .provenance_setup import Setup, build, claim

HUB = """
@prefix ml: <https://w3id.org/modellake#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://w3id.org/modellake/id/dataset-hf-pima> a ml:ImportedDataset ;
    dct:title "Pima diabetes & {friends}: 100% _real_ #data" ; ml:hubId "nih/pima-diabetes" ;
    ml:publishedIn ml:HuggingFaceHub ; ml:declaredLicence "cc-by-4.0" ;
    dct:license <http://spdx.org/licenses/CC-BY-4.0> .
"""
CSL_TYPES = {"article", "book", "dataset", "document", "software", "webpage", "report"}
CSL_STRINGS = {"id", "type", "title", "version", "publisher", "URL", "source", "note"}


@pytest.fixture
def setup(store: Store, tmp_path: Path) -> Setup:
    setup = build(store, tmp_path)
    setup.lake.register(Graph().parse(data=HUB, format="turtle"))
    claim(setup.lake, setup.model, 0.7, setup.lake.node_iri("dataset-hf-pima"), name="pima")
    return setup


def test_the_items_walk_the_lineage_to_the_sources(setup: Setup) -> None:
    items = {i.id: i for i in cited_items(setup.lake, setup.model)}
    assert items["model-predictor"].roles == ["model"]
    assert items["dataset-diabetes-train"].roles == ["training", "evaluation"]
    assert "dataset-diabetes-test" not in items  # nothing of the model's came from it
    assert items["dataset-hf-pima"].roles == ["evaluation"]
    sources = [i for i in items.values() if i.kind == "source"]
    assert sources and all(i.roles == ["source"] for i in sources)
    train = items["dataset-diabetes-train"]
    assert train.title == "Diabetes train" and [a.name for a in train.authors] == ["Ada"]
    assert train.location and train.location.startswith("file://")
    assert train.content_hash and train.content_hash.startswith("sha256:")
    pima = items["dataset-hf-pima"]
    assert pima.publisher == "Hugging Face Hub" and pima.hub_id == "nih/pima-diabetes"
    assert pima.authors == [] and pima.date is None and "owner" in pima.missing()


def test_bibtex_parses_with_stable_keys_and_escaped_text(setup: Setup) -> None:
    text = cite(setup.lake, setup.model, "bibtex")
    assert text == cite(setup.lake, setup.model, "BibTeX")  # stable
    database = parse_string(text, "bibtex")
    keys = list(database.entries)
    assert len(keys) == len(set(keys)) == len(cited_items(setup.lake, setup.model))
    assert "modellake:model-predictor" in keys
    pima = database.entries["modellake:dataset-hf-pima"]
    assert pima.fields["title"] == "{Pima diabetes \\& \\{friends\\}: 100\\% \\_real\\_ \\#data}"
    assert "author" not in pima.persons and "year" not in pima.fields  # not invented
    assert "not recorded: owner, date" in pima.fields["note"]
    train = database.entries["modellake:dataset-diabetes-train"]
    assert [str(p) for p in train.persons["author"]] == ["{Ada}"]
    assert re.fullmatch(r"\d{4}", train.fields["year"])
    assert train.fields["url"].startswith("file://")
    assert bibtex_escape("a\\b~c^d$") == (
        r"a\textbackslash{}b\textasciitilde{}c\textasciicircum{}d\$")


def check_csl_item(item: dict[str, Any]) -> None:
    """The structure the CSL 1.0.2 data schema (csl-data.json) requires of an item."""
    assert isinstance(item["id"], str) and item["type"] in CSL_TYPES
    for key, value in item.items():
        if key in CSL_STRINGS:
            assert isinstance(value, str) and value, key
        elif key == "author":
            assert value and all(set(name) <= {"family", "given", "literal"} and
                                 all(isinstance(v, str) for v in name.values())
                                 for name in value)
        elif key == "issued":
            (parts,) = value["date-parts"]
            assert 1 <= len(parts) <= 3 and all(isinstance(p, int) for p in parts)
        else:
            pytest.fail(f"unexpected CSL field {key}")


def test_csl_json_is_structurally_valid(setup: Setup) -> None:
    items = json.loads(cite(setup.lake, setup.model, "csl-json"))
    assert isinstance(items, list) and len(items) >= 4
    for item in items:
        check_csl_item(item)
    by_id = {i["id"]: i for i in items}
    assert by_id["modellake:model-predictor"]["type"] == "software"
    assert by_id["modellake:dataset-diabetes-train"]["author"] == [{"literal": "Ada"}]
    assert "issued" not in by_id["modellake:dataset-hf-pima"]


def test_datacite_has_the_mandatory_properties(setup: Setup) -> None:
    records = json.loads(cite(setup.lake, setup.model, "datacite"))
    for record in records:
        assert record["identifiers"][0]["identifierType"] == "URL"
        assert record["creators"] and all(c["name"] for c in record["creators"])
        assert record["titles"][0]["title"]
        assert record["publisher"]
        assert re.fullmatch(r"\d{4}", record["publicationYear"]) or \
            record["publicationYear"] == UNAVAILABLE
        assert record["types"]["resourceTypeGeneral"] in {"Model", "Dataset"}
    pima = next(r for r in records if r["identifiers"][0]["identifier"].endswith("hf-pima"))
    assert pima["creators"] == [{"name": UNAVAILABLE}]
    assert pima["publicationYear"] == UNAVAILABLE and pima["publisher"] == "Hugging Face Hub"
    assert pima["rightsList"] == [{"rights": "cc-by-4.0",
                                   "rightsUri": "http://spdx.org/licenses/CC-BY-4.0"}]
    train = next(r for r in records if r["identifiers"][0]["identifier"].endswith("train"))
    assert train["creators"] == [{"name": "Ada", "nameType": "Personal"}]
    assert train["publisher"] == UNAVAILABLE  # the lake records no publisher: not invented
    assert {"relatedIdentifier": str(setup.model), "relatedIdentifierType": "URL",
            "relationType": "IsSourceOf"} in train["relatedIdentifiers"]


def test_bad_requests(setup: Setup) -> None:
    with pytest.raises(BadInputError, match="bibtex, csl-json, datacite"):
        cite(setup.lake, setup.model, "ris")
    with pytest.raises(NotFoundError):
        cite(setup.lake, setup.lake.node_iri("model-nowhere"), "bibtex")
    with pytest.raises(NotFoundError):
        cite(setup.lake, setup.train, "bibtex")
