"""modellake search, related and recommend, as a user runs them (embedded store on disk)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modellake.cli import app

from .conftest import IMPORTED

runner = CliRunner()


@pytest.fixture
def lake_dir(tmp_path: Path) -> list[str]:
    args = ["--data-dir", str(tmp_path / "lake")]
    for command in (["load-example"], ["register", str(IMPORTED)]):
        result = runner.invoke(app, [*args, *command])
        assert result.exit_code == 0, result.output
    return args


def test_search_as_table_and_json(lake_dir: list[str]) -> None:
    table = runner.invoke(app, [*lake_dir, "search", "named entity recognition"])
    assert table.exit_code == 0, table.output
    assert "2 model(s)" in table.output and "entity, recognition" in table.output
    as_json = runner.invoke(app, [*lake_dir, "search", "--task", "question-answering",
                                  "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert [r["id"] for r in json.loads(as_json.output)["results"]] == [
        "hf-deepset-roberta-base-squad2"]


def test_similar_data_sets_related_and_recommended(lake_dir: list[str]) -> None:
    similar = runner.invoke(app, [*lake_dir, "search", "--similar-to", "dataset-diabetes",
                                  "--format", "json"])
    assert similar.exit_code == 0, similar.output
    # the worked example records meta-features for one data set only: nothing to compare with
    assert json.loads(similar.output) == {
        "dataset": "https://w3id.org/modellake/id/dataset-diabetes", "title": "Diabetes",
        "similar": []}
    table = runner.invoke(app, [*lake_dir, "related", "hf-distilbert-base-uncased"])
    assert table.exit_code == 0, table.output
    assert "models related to DistilBERT base model (uncased)" in table.output
    related = runner.invoke(app, [*lake_dir, "related", "hf-distilbert-base-uncased",
                                  "--format", "json"])
    reasons = {r["id"]: r["reasons"] for r in json.loads(related.output)["related"]}
    assert "it is fine-tuned from this model" in reasons[
        "hf-2en-distilbert-base-uncased-finetuned-emotion"]
    recommended = runner.invoke(app, [*lake_dir, "recommend", "dataset-hf-conll2003",
                                      "--metric", "f1", "--format", "json"])
    assert recommended.exit_code == 0, recommended.output
    items = json.loads(recommended.output)["recommended"]
    assert [i["id"] for i in items] == ["hf-51la5-bert-large-ner", "hf-dslim-bert-base-ner"]


@pytest.mark.parametrize("argv", [
    ["search"],
    ["search", "--language", "en;drop"],
    ["search", "bert", "--format", "yaml"],
    ["related", "model-nowhere"],
    ["recommend", "dataset-nowhere"],
    ["search", "--similar-to", "dataset-hf-squad"],
])
def test_errors_exit_2(lake_dir: list[str], argv: list[str]) -> None:
    result = runner.invoke(app, [*lake_dir, *argv])
    assert result.exit_code == 2, result.output
    assert "error" in result.output
