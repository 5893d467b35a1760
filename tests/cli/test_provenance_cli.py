"""verify, cite, versions, alias, diff, history and --at on the command line: output and exit
codes (0 ok, 1 findings, 2 error)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pybtex.database import parse_string
from typer.testing import CliRunner

from modellake.cli import app
from modellake.store import EmbeddedStore

from ..provenance_setup import build, claim

runner = CliRunner()


@pytest.fixture
def lake_dir(tmp_path: Path) -> list[str]:
    store = EmbeddedStore(tmp_path / "lake")
    setup = build(store, tmp_path / "files")
    claim(setup.lake, setup.model, 0.99, setup.test)
    store.close()
    return ["--data-dir", str(tmp_path / "lake")]


def test_verify_exit_codes(lake_dir: list[str]) -> None:
    refused = runner.invoke(app, [*lake_dir, "verify", "model-predictor"])
    assert refused.exit_code == 2 and "--trust-pickle" in refused.output
    found = runner.invoke(app, [*lake_dir, "verify", "model-predictor", "--trust-pickle",
                                "--no-record"])
    assert found.exit_code == 1, found.output
    assert "gap" in found.output and "hash verified" in found.output
    loose = runner.invoke(app, [*lake_dir, "verify", "model-predictor", "--trust-pickle",
                                "--tolerance", "0.5", "--format", "json"])
    assert loose.exit_code == 0, loose.output
    report = json.loads(loose.output)
    assert report["passed"] and report["run"]


def test_cite(lake_dir: list[str]) -> None:
    result = runner.invoke(app, [*lake_dir, "cite", "model-predictor"])
    assert result.exit_code == 0
    assert "modellake:dataset-diabetes-train" in parse_string(result.output, "bibtex").entries
    datacite = runner.invoke(app, [*lake_dir, "cite", "model-predictor", "--format",
                                   "datacite"])
    assert json.loads(datacite.output)[0]["types"]["resourceTypeGeneral"] == "Model"
    bad = runner.invoke(app, [*lake_dir, "cite", "model-predictor", "--format", "ris"])
    assert bad.exit_code == 2 and "bibtex" in bad.output


def test_versions_alias_diff_history_and_at(lake_dir: list[str]) -> None:
    versions = runner.invoke(app, [*lake_dir, "versions", "model-predictor"])
    assert versions.exit_code == 0 and "model-predictor" in versions.output
    alias = runner.invoke(app, [*lake_dir, "alias", "model-predictor", "champion"])
    assert alias.exit_code == 0 and "new alias" in alias.output
    again = runner.invoke(app, [*lake_dir, "alias", "model-predictor", "champion"])
    assert "already points" in again.output
    assert runner.invoke(app, [*lake_dir, "alias", "model-predictor", "Champ!"]).exit_code == 2
    same = runner.invoke(app, [*lake_dir, "diff", "model-predictor", "model-predictor"])
    assert same.exit_code == 0 and "no differences" in same.output
    history = runner.invoke(app, [*lake_dir, "history", "model-predictor"])
    assert history.exit_code == 0 and "create" in history.output
    old = runner.invoke(app, [*lake_dir, "get", "model-predictor", "--at", "2001-01-01"])
    assert old.exit_code == 2 and "did not exist" in old.output
    now = runner.invoke(app, [*lake_dir, "lineage", "model-predictor", "--at", "2999-01-01",
                              "--format", "ntriples"])
    assert now.exit_code == 0 and "dataset-diabetes-train" in now.output
