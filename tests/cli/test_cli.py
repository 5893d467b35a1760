"""The command line, as a user runs it: output, files and exit codes (0 ok, 1 invalid, 2 error)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from modellake.cli import app

SHAPES = Path(__file__).resolve().parents[1] / "shapes"
runner = CliRunner()


@pytest.fixture
def lake_dir(tmp_path: Path) -> list[str]:
    args = ["--data-dir", str(tmp_path / "lake")]
    result = runner.invoke(app, [*args, "load-example"])
    assert result.exit_code == 0, result.output
    return args


def test_status_counts_the_worked_example(lake_dir: list[str]) -> None:
    result = runner.invoke(app, [*lake_dir, "status"])
    assert result.exit_code == 0
    assert "Model" in result.output and "Dataset" in result.output
    again = runner.invoke(app, [*lake_dir, "load-example"])
    assert "already in the lake" in again.output


def test_lineage_tree_reaches_the_source(lake_dir: list[str]) -> None:
    result = runner.invoke(app, [*lake_dir, "lineage", "model-diabetes-predictor"])
    assert result.exit_code == 0, result.output
    for text in ("Diabetes Predictor", "trainedOn", "Hospital EHR extract", "modelDP.py",
                 "Cleaning", "Tim", "Bob"):
        assert text in result.output


def test_lineage_as_turtle_and_limited_depth(lake_dir: list[str]) -> None:
    full = runner.invoke(app, [*lake_dir, "lineage", "model-diabetes-predictor",
                               "--format", "ntriples"])
    shallow = runner.invoke(app, [*lake_dir, "lineage", "model-diabetes-predictor",
                                  "--format", "ntriples", "--depth", "1"])
    assert full.exit_code == shallow.exit_code == 0
    assert "source-hospital-ehr>" in full.output
    assert "source-hospital-ehr> <http://www.w3.org/1999" not in shallow.output


def test_impact_of_the_source_reaches_the_model(lake_dir: list[str]) -> None:
    result = runner.invoke(app, [*lake_dir, "impact", "source-hospital-ehr"])
    assert result.exit_code == 0
    assert "Diabetes Predictor" in result.output and "^trainedOn" in result.output


def test_named_query_as_table_csv_and_json(lake_dir: list[str]) -> None:
    listing = runner.invoke(app, [*lake_dir, "query", "--list"])
    assert "records/list-nodes" in listing.output
    args = [*lake_dir, "query", "records/list-nodes", "-p",
            "class=https://w3id.org/modellake#Dataset"]
    table = runner.invoke(app, args)
    assert table.exit_code == 0 and "Diabetes (raw)" in table.output
    csv = runner.invoke(app, [*args, "--format", "csv"])
    assert csv.output.splitlines()[0] == "node,title,created"
    as_json = runner.invoke(app, [*args, "--format", "json"])
    assert '"bindings"' in as_json.output


@pytest.mark.parametrize("argv", [
    ["query", "records/list-nodes", "-p", "class=https://x.org/a> } ; DROP ALL ; #"],
    ["query", "records/list-nodes", "-p", "nope=1"],
    ["query", "records/list-nodes"],
    ["query", "no/such-query"],
    ["sparql", "DROP ALL"],
    ["sparql", "SELECT * WHERE { SERVICE <https://x.org/q> { ?s ?p ?o } }"],
    ["sparql", "SELECT * WHERE { ?s "],
    ["get", "no-such-node"],
    ["delete", "dataset-diabetes"],
])
def test_errors_exit_2_with_one_line_and_change_nothing(lake_dir: list[str],
                                                        argv: list[str]) -> None:
    before = runner.invoke(app, [*lake_dir, "export", "--format", "ntriples"]).output
    result = runner.invoke(app, [*lake_dir, *argv])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output and "Traceback" not in result.output
    assert runner.invoke(app, [*lake_dir, "export", "--format", "ntriples"]).output == before


def test_delete_with_cascade(lake_dir: list[str]) -> None:
    result = runner.invoke(app, [*lake_dir, "delete", "dataset-diabetes", "--cascade"])
    assert result.exit_code == 0, result.output
    assert "model-diabetes-predictor" in result.output
    assert runner.invoke(app, [*lake_dir, "get", "model-diabetes-predictor"]).exit_code == 2


def test_register_and_get(lake_dir: list[str], tmp_path: Path) -> None:
    doc = tmp_path / "agent.ttl"
    doc.write_text('@prefix ml: <https://w3id.org/modellake#> .\n'
                   '<agent-carol> a ml:Person ; <http://xmlns.com/foaf/0.1/name> "Carol" .\n')
    assert runner.invoke(app, [*lake_dir, "register", str(doc)]).exit_code == 0
    got = runner.invoke(app, [*lake_dir, "get", "agent-carol"])
    assert got.exit_code == 0 and "Carol" in got.output
    again = runner.invoke(app, [*lake_dir, "register", str(doc)])
    assert again.exit_code == 2 and "already exist" in again.output


def test_register_refuses_invalid_records_with_exit_1(lake_dir: list[str],
                                                      tmp_path: Path) -> None:
    doc = tmp_path / "bad.ttl"
    doc.write_text('@prefix ml: <https://w3id.org/modellake#> .\n'
                   '<model-x> a ml:Model ; <http://purl.org/dc/terms/title> "X" .\n')
    result = runner.invoke(app, [*lake_dir, "register", str(doc)])
    assert result.exit_code == 1
    assert "usesAlgorithm" in result.output


def test_validate_exit_codes(tmp_path: Path) -> None:
    valid = runner.invoke(app, ["validate", str(SHAPES / "ModelShape-valid.ttl")])
    assert valid.exit_code == 0, valid.output
    invalid = runner.invoke(app, ["validate", str(SHAPES / "ModelAlgorithmShape-invalid-01.ttl")])
    assert invalid.exit_code == 1
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> ")
    assert runner.invoke(app, ["validate", str(broken)]).exit_code == 2
    assert runner.invoke(app, ["validate", str(tmp_path / "missing.ttl")]).exit_code == 2


def test_cli_on_fuseki(fuseki: object) -> None:
    args = ["--sparql-url", fuseki.dataset_url,  # type: ignore[attr-defined]
            "--sparql-user", "modellake",
            "--sparql-password", fuseki.password]  # type: ignore[attr-defined]
    runner.invoke(app, [*args, "sparql", "ASK {}"])
    assert runner.invoke(app, [*args, "delete", "model-diabetes-predictor", "--cascade"]
                         ).exit_code in (0, 2)
    assert runner.invoke(app, [*args, "load-example"]).exit_code == 0
    tree = runner.invoke(app, [*args, "lineage", "model-diabetes-predictor"])
    assert tree.exit_code == 0 and "Hospital EHR extract" in tree.output
    down = runner.invoke(app, [*args, "--sparql-url", "http://127.0.0.1:9/none", "status"])
    assert down.exit_code == 2 and "127.0.0.1:9" in down.output


def test_ingest_capture_and_compare_from_the_command_line(lake_dir: list[str],
                                                           tmp_path: Path) -> None:
    import joblib
    from sklearn.datasets import load_iris
    from sklearn.tree import DecisionTreeClassifier

    frame = load_iris(as_frame=True).frame
    csv = tmp_path / "iris.csv"
    frame.to_csv(csv, index=False)
    ingested = runner.invoke(app, [*lake_dir, "ingest", str(csv), "--owner", "agent-bob",
                                   "--target", "target", "--title", "Iris", "--no-progress"])
    assert ingested.exit_code == 0, ingested.output
    dataset = ingested.output.split("registered ")[1].split()[0]
    again = runner.invoke(app, [*lake_dir, "ingest", str(csv), "--owner", "agent-bob",
                                "--target", "target", "--title", "Iris", "--no-progress"])
    assert "nothing changed" in again.output
    for depth in (2, 3):
        model = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(
            frame.drop(columns=["target"]), frame["target"])
        joblib.dump(model, tmp_path / f"tree{depth}.joblib")
        captured = runner.invoke(app, [
            *lake_dir, "register-sklearn", str(tmp_path / f"tree{depth}.joblib"),
            "--trained-on", dataset, "--data", str(csv), "--target", "target",
            "--title", f"Iris tree depth {depth}", "--administrator", "agent-tim",
            "--model-id", f"model-iris-tree-{depth}", "--cv", "3"])
        assert captured.exit_code == 0, captured.output
        assert "accuracy:" in captured.output
    compared = runner.invoke(app, [*lake_dir, "compare", "model-iris-tree-2", "model-iris-tree-3",
                                   "--only-differences"])
    assert compared.exit_code == 0, compared.output
    assert "max_depth" in compared.output
    assert runner.invoke(app, [*lake_dir, "compare", "model-iris-tree-2"]).exit_code == 2
    missing = runner.invoke(app, [*lake_dir, "ingest", str(tmp_path / "none.csv"),
                                  "--owner", "agent-bob"])
    assert missing.exit_code == 2 and "none.csv" in missing.output
