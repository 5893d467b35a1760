"""Models whose training data are close by meta-features are related, and recommended for each
other's data: real ingested data (scikit-learn's iris, whole and without its last ten rows,
and wine), on both stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from sklearn import datasets

from modellake.lake import Lake
from modellake.store import Store

from ..conftest import lake_on

BASE = "https://w3id.org/modellake/id/"
PEOPLE = f"""@prefix ml: <https://w3id.org/modellake#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<{BASE}agent-bob> a ml:Person ; foaf:name "Bob" ."""


def _ingest(lake: Lake, frame: object, path: Path, title: str) -> str:
    frame.to_csv(path, index=False)  # type: ignore[attr-defined]
    return str(lake.ingest(path, owner="agent-bob", target="target", title=title).dataset)


def _model(lake: Lake, local: str, title: str, dataset: str) -> None:
    lake.register(Graph().parse(format="turtle", data=f"""
        @prefix ml: <https://w3id.org/modellake#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        <{BASE}{local}> a ml:ImportedModel ; dct:title "{title}" ; ml:trainedOn <{dataset}> ."""))


def test_close_training_data_relates_and_recommends(store: Store, tmp_path: Path) -> None:
    lake = lake_on(store, PEOPLE)
    iris = datasets.load_iris(as_frame=True).frame
    whole = _ingest(lake, iris, tmp_path / "iris.csv", "Iris")
    part = _ingest(lake, iris.iloc[:-10], tmp_path / "iris-part.csv", "Iris, part")
    wine = _ingest(lake, datasets.load_wine(as_frame=True).frame, tmp_path / "wine.csv", "Wine")
    _model(lake, "model-a", "Alpha", whole)
    _model(lake, "model-b", "Beta", part)
    _model(lake, "model-c", "Gamma", wine)

    similar = lake.similar_datasets(part)["similar"]
    assert [s["iri"] for s in similar] == [whole, wine]
    assert similar[0]["similarity"] > 0.8 > similar[1]["similarity"]

    related = lake.related_models("model-b")["related"]
    assert [r["id"] for r in related] == ["model-a"]  # wine is too far to count
    (reason,) = related[0]["reasons"]
    assert reason.startswith("trained on <Iris>, close by meta-features to <Iris, part> "
                             "(similarity 0.")
    assert related[0]["score"] == pytest.approx(3.0 * similar[0]["similarity"], abs=1e-3)

    recommended = lake.recommended_models(part, min_similarity=0.0)["recommended"]
    assert [r["id"] for r in recommended] == ["model-b", "model-a", "model-c"]
    assert recommended[0]["reasons"] == ["trained on this data set"]
    assert recommended[1]["score"] == similar[0]["similarity"]
    strict = lake.recommended_models(part, min_similarity=similar[1]["similarity"] + 0.01)
    assert [r["id"] for r in strict["recommended"]] == ["model-b", "model-a"]
