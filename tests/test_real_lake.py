"""The combined real lake, built by one command from a corpus folder (here the test copies in
tests/data/corpus, laid out like ../shared/corpus)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from modellake.cli import app
from modellake.real_lake import IMPORTERS

CORPUS = Path(__file__).parent / "data" / "corpus"


def test_one_command_imports_every_registry_of_the_corpus(tmp_path: Path) -> None:
    runner = CliRunner()
    lake = ["--data-dir", str(tmp_path / "lake")]
    result = runner.invoke(app, [*lake, "import", "corpus", str(CORPUS), "--format", "json"])
    reports = json.loads(result.output)
    assert set(reports) == set(IMPORTERS)
    for name, report in reports.items():
        assert report["created"] > 0, name
        # the test copies hold deliberately broken records: each is named with its reason
        assert all(s["path"] and s["reason"] for s in report["skipped"]), name
    skipped = any(r["skipped"] for r in reports.values())
    assert result.exit_code == (1 if skipped else 0), result.output
    again = runner.invoke(app, [*lake, "import", "corpus", str(CORPUS), "--format", "json"])
    assert all(r["created"] == 0 and r["unchanged"] > 0
               for r in json.loads(again.output).values())


def test_a_missing_registry_folder_is_reported(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "lake"), "import", "corpus",
                                      str(tmp_path)])
    assert result.exit_code == 1
    assert "no huggingface folder" in " ".join(result.output.split())
