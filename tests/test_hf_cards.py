"""Importing Hugging Face model cards from the shared corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from modellake.hf_cards import import_card, import_cards
from modellake.lake import Lake
from modellake.namespaces import ML
from modellake.settings import Settings
from modellake.store import EmbeddedStore, Store
from modellake.system_graphs import install_system_graphs

CORPUS = Path("/work/shared/corpus/model-cards")
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="model-card corpus not present")


@pytest.fixture
def lake() -> Iterator[Lake]:
    store = EmbeddedStore()
    install_system_graphs(store)
    yield Lake(store, Settings())
    store.close()


def test_adapter_card_links_its_base_model(lake: Lake) -> None:
    result = import_card(lake, CORPUS / "blackhank__Langchain-side-project__finetuned_adapter.md")
    graph = lake.describe(result.node)
    base = lake.node_iri("hf/NousResearch/Llama-2-7b-chat-hf")
    assert (result.node, ML.adapterOf, base) in graph
    assert lake.exists(base)
    assert "ml:usesAlgorithm" not in result.missing  # tagged transformers


def test_model_index_results_become_claims(lake: Lake) -> None:
    result = import_card(lake, CORPUS / "0xid__ppo-LunarLander-v2.md")
    rows = lake.store.select(
        "PREFIX ml: <https://w3id.org/modellake#> SELECT ?v WHERE { GRAPH ?g { "
        f"?e ml:claimedResultOf <{result.node}> ; ml:value ?v ; ml:claimedOnDataset ?d }} }}")
    assert [float(r["v"]) for r in rows] == [-147.07]
    assert "dct:created" in result.missing and "ml:administrator" in result.missing


def test_card_without_front_matter_imports(lake: Lake) -> None:
    result = import_card(lake, CORPUS / "dslim__bert-base-NER.md")
    assert not result.had_front_matter
    assert lake.exists(result.node)


def test_cards_sharing_a_base_model_meet(lake: Lake) -> None:
    cards = [p for p in CORPUS.glob("*.md") if "base_model: meta-llama/Llama-2-7b-hf"
             in p.read_text(encoding="utf-8", errors="replace")]
    import_cards(lake, cards, progress=False)
    rows = lake.run_named_query("cards/shared-bases", {}).rows
    assert rows


def test_card_on_both_stores(store: Store) -> None:
    install_system_graphs(store)
    lake = Lake(store, Settings())
    result = import_card(lake, CORPUS / "0xid__ppo-LunarLander-v2.md")
    assert lake.exists(result.node)


def test_whole_corpus_imports(lake: Lake) -> None:
    results = import_cards(lake, sorted(CORPUS.glob("*.md")), progress=False)
    assert len(results) == len(list(CORPUS.glob("*.md")))
