"""Search, related models, similar data sets and recommendations over the fixture lake (the
demo lake plus real published records), on both stores."""

from __future__ import annotations

import random

import pytest

from modellake.errors import BadInputError, NotFoundError
from modellake.lake import Lake
from modellake.search import SearchFilters
from modellake.search_quality import lake_ranker, load_labelled, precision_at_k

from .conftest import LABELLED

# A ranker that works reaches 0.57 on these queries (the best possible is 0.60, since some
# queries have fewer than five relevant models); random rankings reach about 0.1.
PRECISION_FLOOR = 0.45


def ids(result: dict[str, object], key: str = "results") -> list[str]:
    return [item["id"] for item in result[key]]  # type: ignore[attr-defined, index]


def test_precision_at_5_over_the_labelled_queries(search_lake: Lake) -> None:
    queries = load_labelled(LABELLED)
    quality = precision_at_k(lake_ranker(search_lake), queries, k=5)
    assert quality.precision >= PRECISION_FLOOR, [
        (s.query, s.top) for s in quality.scores if s.precision == 0]
    # the floor means something: rankings that ignore the text stay far below it
    everyone = sorted(search_lake.local_id(m) for m in search_lake.discovery_index().models)
    rng = random.Random(7)
    shuffled = precision_at_k(lambda _: rng.sample(everyone, 5), queries, k=5)
    by_name = precision_at_k(lambda _: everyone[:5], queries, k=5)
    assert shuffled.precision < PRECISION_FLOOR / 2
    assert by_name.precision < PRECISION_FLOOR / 2
    assert quality.precision <= quality.ideal


def test_text_ranks_names_and_card_sections(search_lake: Lake) -> None:
    found = search_lake.search("named entity recognition", limit=5)
    assert set(ids(found)[:2]) == {"hf-dslim-bert-base-ner", "hf-51la5-bert-large-ner"}
    first = found["results"][0]
    assert first["score"] > found["results"][2]["score"] > 0
    assert "description" in first["matches"]
    # a hub id written differently still matches: "ResNet-50" ~ resnet_v2_50 and ResNet50-v2
    assert set(ids(search_lake.search("ResNet-50", limit=2))) == {
        "tfhub-google-imagenet-resnet_v2_50-classification-5", "onnx-resnet50-v2-7"}
    assert search_lake.search("zebra quagga", limit=5)["results"] == []


@pytest.mark.parametrize("text", [
    '" } ; DROP ALL ; SELECT * { ?s ?p ?o',
    "<http://example.org/x> ?s ?p ?o . FILTER(true)",
    "\\u0000 \x00 ' \" $task ${x} %00",
])
def test_hostile_text_is_only_ranked_never_queried(search_lake: Lake, text: str) -> None:
    before = search_lake.store.count()
    result = search_lake.search(text, limit=5)
    assert isinstance(result["results"], list)
    assert search_lake.store.count() == before


def test_filters_narrow_and_say_why(search_lake: Lake) -> None:
    by_task = search_lake.search("", SearchFilters(task="text classification"), limit=50)
    assert set(ids(by_task)) == {"hf-2en-distilbert-base-uncased-finetuned-emotion",
                                 "hf-nlptown-bert-base-multilingual-uncased-sentiment"}
    assert by_task["results"][0]["filters"] == ["task: text classification"]
    assert ids(search_lake.search("", SearchFilters(task="text-classification"))) == ids(by_task)
    assert set(ids(search_lake.search("", SearchFilters(licence="MIT"), limit=50))) == {
        "hf-roberta-base", "hf-51la5-bert-large-ner", "hf-facebook-bart-large-cnn"}
    assert ids(search_lake.search("", SearchFilters(language="de"))) == [
        "hf-nlptown-bert-base-multilingual-uncased-sentiment"]
    svms = search_lake.search("", SearchFilters(algorithm="SVM"), limit=50)
    assert set(ids(svms)) == {"model-diabetes-predictor", "model-breast-cancer-svm",
                              "model-wine-svm", "model-iris-svm"}
    assert ids(search_lake.search("", SearchFilters(algorithm="support vector machine"),
                                  limit=50)) == ids(svms)


def test_trained_on_follows_data_derived_from_the_data_set(search_lake: Lake) -> None:
    found = search_lake.search("", SearchFilters(trained_on="dataset-diabetes-raw"), limit=50)
    assert len(ids(found)) == 5 and all(i.startswith("model-diabetes-") for i in ids(found))
    assert found["results"][0]["filters"] == [
        "trained on data derived from <dataset-diabetes-raw>"]
    direct = search_lake.search("", SearchFilters(trained_on="dataset-hf-conll2003"))
    assert {r["filters"][0] for r in direct["results"]} == {"trained on <dataset-hf-conll2003>"}


def test_metric_at_least_a_value_on_a_data_set(search_lake: Lake) -> None:
    rows = search_lake.sparql("""PREFIX ml: <https://w3id.org/modellake#>
        SELECT ?model ?value WHERE { ?e ml:evaluatedModel ?model ;
          ml:evaluationMeasure ml:Accuracy ; ml:value ?value }""").rows
    best: dict[str, float] = {}
    for row in rows:
        model = search_lake.local_id(str(row["model"]))
        best[model] = max(best.get(model, 0.0), float(str(row["value"])))
    expected = {m for m, v in best.items() if v >= 0.97}
    assert expected  # the demo has models that good
    found = search_lake.search("", SearchFilters(metric="accuracy", min_value=0.97), limit=100)
    assert set(ids(found)) == expected
    ner = search_lake.search("bert", SearchFilters(metric="f1", min_value=91.5,
                                                   evaluated_on="dataset-hf-conll2003"))
    assert ids(ner) == ["hf-51la5-bert-large-ner"]
    assert ner["results"][0]["filters"] == ["f1 91.7 ≥ 91.5 on <dataset-hf-conll2003>"]
    both = search_lake.search("", SearchFilters(task="token-classification", licence="mit"))
    assert ids(both) == ["hf-51la5-bert-large-ner"]


@pytest.mark.parametrize(("text", "filters", "error"), [
    ("", SearchFilters(), BadInputError),
    ("x" * 501, SearchFilters(), BadInputError),
    ("", SearchFilters(language="english; DROP"), BadInputError),
    ("", SearchFilters(task='image" } #'), BadInputError),
    ("", SearchFilters(metric="accuracy"), BadInputError),
    ("", SearchFilters(min_value=0.5), BadInputError),
    ("", SearchFilters(metric="accuracy", min_value=float("nan")), BadInputError),
    ("", SearchFilters(evaluated_on="dataset-hf-emotion"), BadInputError),
    ("", SearchFilters(trained_on="no such data set"), BadInputError),
    ("", SearchFilters(trained_on="dataset-nowhere"), NotFoundError),
    ("", SearchFilters(trained_on="hf-gpt2"), NotFoundError),  # a model, not a data set
])
def test_bad_filters_are_refused(search_lake: Lake, text: str, filters: SearchFilters,
                                 error: type[Exception]) -> None:
    with pytest.raises(error):
        search_lake.search(text, filters)


def test_related_by_ancestry_data_task_and_architecture(search_lake: Lake) -> None:
    related = search_lake.related_models("hf-distilbert-base-uncased")["related"]
    reasons = {r["id"]: r["reasons"] for r in related}
    assert "it is fine-tuned from this model" in reasons[
        "hf-2en-distilbert-base-uncased-finetuned-emotion"]
    assert "this model is distilled from it" in reasons["hf-bert-base-uncased"]
    assert "both trained on <bookcorpus>" in reasons["hf-bert-base-cased"]
    assert "same task: fill mask" in reasons["hf-roberta-base"]
    scores = [r["score"] for r in related]
    assert scores == sorted(scores, reverse=True)

    ner = {r["id"]: r for r in search_lake.related_models("hf-dslim-bert-base-ner")["related"]}
    assert ner["hf-51la5-bert-large-ner"]["reasons"][:3] == [
        "both trained on <conll2003>", "same task: token classification",
        "same architecture: BERT"]
    # siblings: both fine-tuned from distilbert-base-uncased
    emotion = {r["id"]: r["reasons"] for r in search_lake.related_models(
        "hf-2en-distilbert-base-uncased-finetuned-emotion")["related"]}
    assert "both derived from <DistilBERT base model (uncased)>" in emotion[
        "hf-2020uee0139-distilbert-base-uncased-finetuned-squad"]
    assert any(r.startswith("an ancestor of this model (2 steps up)")
               for r in emotion["hf-bert-base-uncased"])


def test_the_same_network_in_two_registries_is_related(search_lake: Lake) -> None:
    related = search_lake.related_models("onnx-resnet50-v2-7")["related"]
    assert related[0]["id"] == "tfhub-google-imagenet-resnet_v2_50-classification-5"
    assert "same task: image classification" in related[0]["reasons"]
    assert any(r.startswith("similar name:") and "resnet" in r for r in related[0]["reasons"])


def test_related_demo_models_share_their_training_data(search_lake: Lake) -> None:
    related = search_lake.related_models("model-wine-svm")["related"]
    wine = [r for r in related if r["id"].startswith("model-wine-")]
    assert len(wine) == 4 and related[:4] == wine
    assert all("both trained on <Wine recognition>" in r["reasons"] for r in wine)
    assert any("same algorithm: support vector machine" in r["reasons"] for r in related)
    with pytest.raises(NotFoundError):
        search_lake.related_models("model-nowhere")
    with pytest.raises(NotFoundError):
        search_lake.related_models("dataset-diabetes-raw")  # not a model
    with pytest.raises(BadInputError):
        search_lake.related_models("model-wine-svm", limit=0)


def test_similar_data_sets_by_metafeatures(search_lake: Lake) -> None:
    found = search_lake.similar_datasets("dataset-diabetes-raw")
    first = found["similar"][0]
    # cleaning dropped no row of the diabetes data: the same meta-features
    assert first["title"] == "Diabetes (clean)" and first["distance"] == 0.0
    assert "number of instances: 442 vs 442" in first["reasons"]
    distances = [s["distance"] for s in found["similar"]]
    assert distances == sorted(distances) and all(0 <= d <= 1 for d in distances)
    assert "dataset-diabetes-raw" not in ids(found, "similar")
    with pytest.raises(BadInputError, match="meta-features"):
        search_lake.similar_datasets("dataset-hf-squad")  # imported: none recorded
    with pytest.raises(NotFoundError):
        search_lake.similar_datasets("hf-gpt2")


def test_recommended_models_for_a_data_set(search_lake: Lake) -> None:
    found = search_lake.recommended_models("dataset-diabetes-raw", limit=20)
    items = found["recommended"]
    diabetes = [i for i in items if i["id"].startswith("model-diabetes-")]
    assert items[:5] == diabetes and len(diabetes) == 5
    assert all(i["reasons"][0] == "trained on <Diabetes>, derived from this data set"
               for i in diabetes)
    accuracies = [i["accuracy"] for i in diabetes]
    assert None not in accuracies and accuracies == sorted(accuracies, reverse=True)
    # then the models of the nearest other data sets, nearest first
    rest = items[5:]
    assert rest and all("close by meta-features" in i["reasons"][0] for i in rest)
    assert [i["score"] for i in rest] == sorted((i["score"] for i in rest), reverse=True)
    # an imported data set without meta-features: the models trained on it
    squad = search_lake.recommended_models("dataset-hf-squad_v2")
    assert ids(squad, "recommended") == ["hf-deepset-roberta-base-squad2"]
    assert squad["has_metafeatures"] is False
    with pytest.raises(BadInputError):
        search_lake.recommended_models("dataset-diabetes-raw", metric="acc'uracy")
    with pytest.raises(NotFoundError):
        search_lake.recommended_models("dataset-nowhere")
