"""`modellake export`: every node as stored (the default), or a standard's profile, with --check
against the official shapes (exit codes 0 conforms, 1 does not, 2 bad input)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from modellake.cli import app
from modellake.namespaces import DCAT, MLDCAT, PROV, RDF

runner = CliRunner()
BASE = "https://w3id.org/modellake/id/"


@pytest.fixture
def lake_dir(tmp_path: Path) -> list[str]:
    args = ["--data-dir", str(tmp_path / "lake")]
    result = runner.invoke(app, [*args, "load-example"])
    assert result.exit_code == 0, result.output
    return args


def test_default_export_is_every_node_as_stored(lake_dir: list[str]) -> None:
    result = runner.invoke(app, [*lake_dir, "export", "--format", "ntriples"])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.stdout, format="nt")
    assert (URIRef(BASE + "model-diabetes-predictor"), URIRef("https://w3id.org/modellake#trainedOn"),
            URIRef(BASE + "dataset-diabetes")) in graph
    assert (None, RDF.type, DCAT.Catalog) not in graph


def test_profiles_and_check(lake_dir: list[str], tmp_path: Path) -> None:
    dcat_ap = runner.invoke(app, [*lake_dir, "export", "--profile", "dcat-ap", "--check"])
    assert dcat_ap.exit_code == 0, dcat_ap.output
    assert "conforms to DCAT-AP" in dcat_ap.stderr
    catalog = Graph().parse(data=dcat_ap.stdout, format="turtle")
    assert (URIRef(BASE + "catalog"), RDF.type, DCAT.Catalog) in catalog
    # MLDCAT-AP asks for the model's file; the worked example only has a relative path.
    out = tmp_path / "catalog.jsonld"
    mldcat = runner.invoke(app, [*lake_dir, "export", "--profile", "mldcat-ap", "--check",
                                 "--format", "jsonld", "--output", str(out)])
    assert mldcat.exit_code == 1, mldcat.output
    assert "does not conform to MLDCAT-AP" in mldcat.stderr and "hasFile" in mldcat.stderr
    written = Graph().parse(out, format="json-ld")
    assert (URIRef(BASE + "model-diabetes-predictor"), RDF.type,
            MLDCAT.MachineLearningModel) in written
    again = runner.invoke(app, [*lake_dir, "export", "--profile", "mldcat-ap"])
    assert again.exit_code == 0
    assert isomorphic(Graph().parse(data=again.stdout, format="turtle"), written)


def test_prov_profile(lake_dir: list[str]) -> None:
    result = runner.invoke(app, [*lake_dir, "export", "--profile", "prov"])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert (URIRef(BASE + "model-diabetes-predictor"), PROV.wasGeneratedBy,
            URIRef(BASE + "operation-train-diabetes-predictor")) in graph


@pytest.mark.parametrize("args", [
    ["export", "--profile", "croissant"],
    ["export", "--check"],
    ["export", "--profile", "prov", "--check"],
])
def test_bad_options_exit_2(lake_dir: list[str], args: list[str]) -> None:
    result = runner.invoke(app, [*lake_dir, *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
