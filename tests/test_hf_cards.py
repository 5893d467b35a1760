"""Importing Hugging Face model cards: real cards from the shared corpus (copies in
tests/data/corpus/model-cards), on both stores."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
import yaml
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from modellake.cli import app
from modellake.hf_cards import (
    CardMapper,
    import_card,
    import_cards,
    parse_card,
    read_card,
    read_sources,
)
from modellake.lake import Lake
from modellake.namespaces import DCTERMS, ML, RDF
from modellake.store import Store

from .conftest import lake_on

CARDS = Path(__file__).parent / "data" / "corpus" / "model-cards"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "model-cards"
SPDX = "http://spdx.org/licenses/"


def _model(lake: Lake, hub_id: str) -> URIRef:
    return CardMapper(lake.base_iri).model_iri(hub_id)


def _card(lake: Lake, name: str) -> URIRef:
    source = read_sources(CARDS).get(name)
    model, _ = import_card(lake, read_card(CARDS / name, source=source))
    return model


def test_copies_are_the_published_cards() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus is not next to the repository")
    for card in CARDS.glob("*.md"):
        assert filecmp.cmp(card, SHARED / card.name, shallow=False), card.name


def test_a_card_becomes_an_imported_model_with_what_it_says(store: Store) -> None:
    lake = lake_on(store)
    model = _card(lake, "2en__distilbert-base-uncased-finetuned-emotion.md")
    graph = lake.describe(model)
    assert (model, RDF.type, ML.ImportedModel) in graph and (model, RDF.type, ML.Model) in graph
    assert (model, ML.hubId, Literal("2en/distilbert-base-uncased-finetuned-emotion")) in graph
    assert (model, DCTERMS.license, URIRef(SPDX + "Apache-2.0")) in graph
    assert (model, ML.declaredLicence, Literal("apache-2.0")) in graph
    emotion = CardMapper(lake.base_iri).dataset_iri("emotion")
    assert (model, ML.trainedOn, emotion) in graph
    assert (emotion, RDF.type, ML.ImportedDataset) in lake.describe(emotion)
    # model-index results are claimed evaluations, with measure, value, data set and split
    claims = {(str(graph.value(c, ML.measureName)), float(graph.value(c, ML.value)),
               graph.value(c, ML.evaluationMeasure), graph.value(c, ML.evaluatedOn),
               str(graph.value(c, ML.datasetSplit)))
              for c in graph.objects(model, ML.hasEvaluation)}
    assert claims == {("accuracy", 0.9285, ML.Accuracy, emotion, "train"),
                      ("f1", 0.9289358360077076, ML.F1, emotion, "train")}
    assert all((c, RDF.type, ML.ClaimedEvaluation) in graph
               for c in graph.objects(model, ML.hasEvaluation))


def test_unlisted_metrics_keep_their_name(store: Store) -> None:
    lake = lake_on(store)
    model = _card(lake, "0xid__ppo-LunarLander-v2.md")
    graph = lake.describe(model)
    (claim,) = graph.objects(model, ML.hasEvaluation)
    assert graph.value(claim, ML.evaluationMeasure) == ML.OtherMeasure
    assert str(graph.value(claim, ML.measureName)) == "mean_reward"
    assert float(graph.value(claim, ML.value)) == -147.07  # "-147.07 +/- 80.80"


def test_an_adapter_card_links_its_base_model_which_its_own_card_completes(
        store: Store) -> None:
    lake = lake_on(store)
    adapter = _card(lake, "blackhank__Langchain-side-project__finetuned_adapter.md")
    graph = lake.describe(adapter)
    base = _model(lake, "NousResearch/Llama-2-7b-chat-hf")
    assert (adapter, ML.adapterOf, base) in graph  # library peft, tag lora
    assert graph.value(adapter, ML.hubId) is None  # a card from a GitHub project: no hub id
    assert str(graph.value(adapter, ML.sourceRecord)).startswith(
        "https://github.com/blackhank/Langchain-side-project/blob/")
    assert (base, ML.hubId, Literal("NousResearch/Llama-2-7b-chat-hf")) in lake.describe(base)
    # The base model's own card arrives later: it replaces the stub, the link stays.
    card = parse_card("---\nlicense: llama2\npipeline_tag: text-generation\n---\n# Llama 2\n"
                      "Llama 2 chat, 7B.", name="NousResearch/Llama-2-7b-chat-hf",
                      hub_id="NousResearch/Llama-2-7b-chat-hf", source="test")
    assert import_card(lake, card)[1] == "created"
    assert (base, ML.declaredLicence, Literal("llama2")) in lake.describe(base)
    assert (adapter, ML.adapterOf, base) in lake.describe(adapter)
    family = lake.family(adapter)
    assert str(base) in str(family)


def test_a_card_without_front_matter_imports_with_its_text(store: Store) -> None:
    lake = lake_on(store)
    model = _card(lake, "Hate-speech-CNERG__dehatebert-mono-english.md")
    graph = lake.describe(model)
    assert graph.value(model, DCTERMS.description) is not None
    assert graph.value(model, DCTERMS.license) is None  # not invented
    assert graph.value(model, ML.trainedOn) is None


def test_placeholder_sections_stay_missing() -> None:
    card = read_card(CARDS / "2020uee0139__distilbert-base-uncased-finetuned-squad.md")
    _, record, _ = CardMapper("https://w3id.org/modellake/id/").map(card)
    texts = [str(o) for p in (ML.purpose, DCTERMS.description) for o in record.objects(None, p)]
    assert not any("More information needed" in t for t in texts)


def test_import_is_idempotent_and_reports_bad_cards(store: Store, tmp_path: Path) -> None:
    lake = lake_on(store)
    folder = tmp_path / "cards"
    folder.mkdir()
    for card in CARDS.glob("*.md"):
        (folder / card.name).write_bytes(card.read_bytes())
    (folder / "broken__latin1.md").write_bytes("---\nlicense: mit\n---\nd\xe9j\xe0".encode(
        "latin-1"))
    (folder / "odd__values.md").write_text(
        '---\nbase_model: "x> } ; DROP ALL #"\nlicense: "> } ;"\nmodel-index:\n- name: m\n'
        '  results:\n  - dataset: {type: "a b"}\n    metrics:\n    - {type: acc, value: n/a}\n'
        '---\n# m\n', encoding="utf-8")
    report = import_cards(lake, [folder], show_progress=False)
    assert report.created == 9 and [s.path for s in report.skipped] == [
        str(folder / "broken__latin1.md")]
    assert "UTF-8" in report.skipped[0].reason or "utf-8" in report.skipped[0].reason
    odd = lake.describe(_model(lake, "odd/values"))
    assert odd.value(_model(lake, "odd/values"), ML.derivedFromModel) is None  # not a hub id
    assert (_model(lake, "odd/values"), ML.declaredLicence, Literal("> } ;")) in odd
    before = store.count()
    again = import_cards(lake, [folder], show_progress=False)
    assert (again.created, again.unchanged) == (0, 9) and store.count() == before


def test_card_coverage_query_counts_what_the_cards_say(store: Store) -> None:
    lake = lake_on(store)
    import_cards(lake, [CARDS], show_progress=False)
    (row,) = lake.run_named_query("catalogues/card-coverage", {}).rows
    metas = []
    for card in sorted(CARDS.glob("*.md")):
        text = card.read_text(encoding="utf-8")
        metas.append(yaml.safe_load(text.split("---")[1]) if text.startswith("---") else {})
    def counted(key: str) -> int:
        return sum(1 for m in metas if m.get(key))
    claims = sum(len(r.get("metrics") or []) for m in metas
                 for e in m.get("model-index") or [] for r in e.get("results") or [])
    assert int(row["cards"]) == len(metas) == 8
    assert int(row["withLicence"]) == counted("license")
    assert int(row["withTrainingData"]) == counted("datasets")
    assert int(row["withBaseModel"]) == counted("base_model")
    assert int(row["withTask"]) == counted("pipeline_tag")
    assert int(row["claimedResults"]) == claims


def test_cli_imports_a_folder(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--data-dir", str(tmp_path / "lake"), "import", "hf-card",
                                 str(CARDS), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"created": 8' in result.output
    bad = tmp_path / "x__y.md"
    bad.write_bytes(b"\xff\xfe")
    result = runner.invoke(app, ["--data-dir", str(tmp_path / "lake"), "import", "hf-card",
                                 str(bad), "--format", "json"])
    assert result.exit_code == 1 and str(bad) in result.output
