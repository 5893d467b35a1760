"""The pure-Python rankers: BM25 over fielded text, distances between meta-feature vectors, and
the name and architecture normalisation related models use."""

from __future__ import annotations

import pytest

from modellake.bm25 import BM25Index, tokenize
from modellake.discovery import architecture_key, name_tokens
from modellake.namespaces import ML
from modellake.similarity import MetafeatureSpace


def test_tokens_are_folded_split_and_stemmed() -> None:
    assert tokenize("Élan of the Models") == ["elan", "model"]
    assert tokenize("ResNet50-v2") == ["resnet50", "resnet", "50", "v2", "v", "2"]
    assert tokenize("squad_v2 classes") == ["squad", "v2", "v", "2", "class"]
    assert tokenize("") == [] and tokenize("?!. ;") == []


def test_bm25_prefers_rare_terms_short_fields_and_weighted_fields() -> None:
    docs = {
        "title-hit": {"title": ["resnet image classifier"], "description": ["a model"]},
        "deep-hit": {"title": ["vision model"],
                     "description": ["a long text about many things " * 10 + "resnet"]},
        "common": {"title": ["model"], "description": ["model model"]},
    }
    index = BM25Index(docs, {"title": 3.0, "description": 1.0})
    hits = index.search("resnet model")
    assert [h.key for h in hits][:2] == ["title-hit", "deep-hit"]
    assert hits[0].matches == {"title": ["resnet"], "description": ["model"]}
    assert index.idf("resnet") > index.idf("model")
    assert [h.key for h in index.search("resnet", among=["deep-hit", "common"])] == ["deep-hit"]
    assert index.search("zebra") == [] and index.search("the of") == []


def test_bm25_ties_keep_insertion_order_and_empty_index_is_fine() -> None:
    index = BM25Index({"b": {"title": ["same"]}, "a": {"title": ["same"]}})
    assert [h.key for h in index.search("same")] == ["b", "a"]
    assert BM25Index({}).search("anything") == []


F = {name: str(ML[name]) for name in ("numberOfInstances", "numberOfAttributes",
                                      "numberOfClasses", "meanSkewnessOfNumericAtts")}


def test_metafeature_distance_is_normalised_and_needs_shared_features() -> None:
    space = MetafeatureSpace({
        "a": {F["numberOfInstances"]: 150, F["numberOfAttributes"]: 5, F["numberOfClasses"]: 3},
        "a2": {F["numberOfInstances"]: 149, F["numberOfAttributes"]: 5, F["numberOfClasses"]: 3},
        "big": {F["numberOfInstances"]: 100_000, F["numberOfAttributes"]: 50,
                F["numberOfClasses"]: 2},
        "thin": {F["numberOfInstances"]: 150, F["numberOfAttributes"]: 5},
        "other": {F["numberOfInstances"]: 150, "urn:not-a-metafeature": 1.0},
    })
    near = space.nearest("a")
    assert [key for key, _ in near] == ["a2", "big"]  # thin and other share too few features
    assert near[0][1].distance == pytest.approx(0.0, abs=0.01)
    assert near[1][1].distance == pytest.approx(1.0 - 0.0, abs=0.5)
    assert 0 <= near[1][1].distance <= 1 and near[1][1].similarity == 1 - near[1][1].distance
    assert near[0][1].shared[0].value in (150, 5, 3)
    assert space.distance("a", "thin") is None
    assert "thin" not in space and "a" in space


def test_names_and_architectures_are_compared_loosely() -> None:
    assert name_tokens("google/imagenet/resnet_v2_50/classification/5") >= {
        "resnet", "v2", "50"}
    assert name_tokens("ResNet50-v2") == {"resnet", "50", "v2"}
    assert architecture_key("ResNet V2 50") == architecture_key("resnet-v2-50") == \
        architecture_key("ResNet50-v2")
    assert architecture_key("ResNet V1 50") != architecture_key("ResNet V2 50")
