"""The hand-copied records in tests/data/search/imported-models.ttl say what their published
records say: each record exists in the shared corpus, hub ids match the card files, and every
claimed value and declared licence is written in the record. Skips when ../shared is absent."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal

from modellake.namespaces import ML

from .conftest import IMPORTED

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the checkout")
def test_the_fixture_states_what_the_records_say() -> None:
    graph = Graph().parse(IMPORTED, format="turtle")
    checked = 0
    for model in graph.subjects(ML.sourceRecord, None):
        record = str(graph.value(model, ML.sourceRecord))
        path = CORPUS / record
        if record.startswith("onnx-model-zoo/"):  # the model file is not in the corpus
            path = CORPUS / "onnx-model-zoo" / "ONNX_HUB_MANIFEST.json"
        assert path.is_file(), record
        text = path.read_text(encoding="utf-8")
        hub_id = str(graph.value(model, ML.hubId))
        if record.startswith("model-cards/"):
            assert path.name == hub_id.replace("/", "__") + ".md"
        else:
            assert hub_id in text
        licence = graph.value(model, ML.declaredLicence)
        if licence is not None:
            assert f"license: {licence}" in text
        for evaluation in graph.objects(model, ML.hasEvaluation):
            value = graph.value(evaluation, ML.value)
            assert isinstance(value, Literal)
            source = text if not record.startswith("onnx-model-zoo/") else (
                CORPUS / "onnx-model-zoo/validated/vision/classification/resnet/README.md"
            ).read_text(encoding="utf-8")
            assert str(value) in source, (record, value)
        checked += 1
    assert checked == 16
