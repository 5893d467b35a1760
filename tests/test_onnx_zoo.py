"""The ONNX Model Zoo importer on real zoo files (tests/data/corpus/onnx-model-zoo, see its
SOURCES.md): manifest models with their page's claimed results, turnkey exports as conversions
of one network, bad records skipped and reported, and a re-import that changes nothing."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from modellake.cli import app
from modellake.importing import node_id
from modellake.lake import Lake
from modellake.namespaces import DCTERMS, ML
from modellake.onnx_zoo import import_onnx_zoo, read_page
from modellake.store import Store

from .conftest import lake_on

ZOO = Path(__file__).parent / "data" / "corpus" / "onnx-model-zoo"
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "onnx-model-zoo"
RESNET_PAGE = "validated/vision/classification/resnet/README.md"
NETWORK_DIRS = [f"Computer_Vision/wide_resnet50_2_Opset{n}_torch_hub" for n in (16, 17, 18)]


def _manifest() -> list[dict[str, object]]:
    return list(json.loads((ZOO / "ONNX_HUB_MANIFEST.json").read_text(encoding="utf-8")))


def _model(lake: Lake, stem: str) -> URIRef:
    return lake.node_iri(node_id("onnx", stem))


def _one(lake: Lake, node: URIRef, prop: URIRef) -> object:
    values = list(lake.describe(node).objects(node, prop))
    assert len(values) == 1, f"{node} {prop}: {values}"
    return values[0].toPython() if isinstance(values[0], Literal) else values[0]


def _claims(lake: Lake, node: URIRef) -> dict[str, tuple[float, str | None]]:
    rows = lake.sparql(
        "PREFIX ml: <https://w3id.org/modellake#> SELECT ?measure ?value ?data WHERE { "
        f"?e a ml:ClaimedEvaluation ; ml:evaluatedModel <{node}> ; "
        "ml:evaluationMeasure ?measure ; ml:value ?value . OPTIONAL { ?e ml:evaluatedOn ?data } }"
    ).rows
    return {str(r["measure"]).rsplit("#", 1)[1]:
            (float(r["value"]), str(r["data"]) if "data" in r else None) for r in rows}


def test_import_reads_manifest_pages_and_turnkey_records(store: Store) -> None:
    lake = lake_on(store)
    result = import_onnx_zoo(lake, ZOO)
    report, counts = result.report, result.counts

    manifest = _manifest()
    assert counts.manifest_models == len(manifest) == 4
    assert counts.pages == counts.pages_matched == 1
    assert counts.turnkey_records == counts.conversions == len(NETWORK_DIRS)
    assert counts.networks == 1
    assert report.created == len(manifest) + 1 + len(NETWORK_DIRS)
    skipped = {s.path: s.reason for s in report.skipped}
    assert set(skipped) == {"Computer_Vision/broken_Opset17_timm/turnkey_stats.yaml",
                            "Computer_Vision/noparams_Opset17_timm/turnkey_stats.yaml"}
    assert "not valid YAML" in skipped["Computer_Vision/broken_Opset17_timm/turnkey_stats.yaml"]
    assert "'parameters'" in skipped["Computer_Vision/noparams_Opset17_timm/turnkey_stats.yaml"]

    # A manifest model: what the manifest says, and what its page says.
    entry = next(e for e in manifest if str(e["model_path"]).endswith("resnet18-v1-7.onnx"))
    meta = entry["metadata"]
    assert isinstance(meta, dict)
    resnet18 = _model(lake, "resnet18-v1-7")
    assert ML.ImportedModel in lake.types(resnet18)
    assert _one(lake, resnet18, ML.contentHash) == f"sha256:{meta['model_sha']}"
    assert _one(lake, resnet18, ML.opsetVersion) == entry["opset_version"]
    assert _one(lake, resnet18, ML.hubId) == entry["model_path"]
    assert _one(lake, resnet18, ML.publishedIn) == ML.ONNXModelZoo
    assert _one(lake, resnet18, ML.task) == lake.node_iri("task-image-classification")
    assert _one(lake, resnet18, ML.declaredLicence) == "Apache 2.0"
    assert _one(lake, resnet18, DCTERMS.license) == URIRef("http://spdx.org/licenses/Apache-2.0")
    size = next(lake.describe(resnet18).objects(resnet18, URIRef(
        "http://www.w3.org/ns/dcat#byteSize")))
    assert int(size) == meta["model_bytes"]
    inputs = lake.sparql(
        "PREFIX ml: <https://w3id.org/modellake#> SELECT ?name ?type ?shape WHERE { "
        f"<{resnet18}> ml:hasInput ?f . ?f ml:featureName ?name ; ml:dataType ?type ; "
        "ml:tensorShape ?shape }").rows
    ports = meta["io_ports"]
    assert isinstance(ports, dict)
    assert [(str(r["name"]), str(r["type"]), json.loads(str(r["shape"]))) for r in inputs] == [
        (p["name"], p["type"], p["shape"]) for p in ports["inputs"]]

    # The page's ResNet V1 table: "|ResNet18| … |7| 69.93 | 89.29|" on ImageNet, in per cent.
    imagenet = str(lake.node_iri("dataset-onnx-imagenet"))
    assert _claims(lake, resnet18) == {"Top1Accuracy": (pytest.approx(0.6993), imagenet),
                                       "Top5Accuracy": (pytest.approx(0.8929), imagenet)}
    assert ML.ImportedDataset in lake.types(URIRef(imagenet))
    # A manifest model without a vendored page: no claims, no licence, nothing invented.
    sr = _model(lake, "super-resolution-10")
    assert _claims(lake, sr) == {}
    assert not list(lake.describe(sr).objects(sr, DCTERMS.license))

    # The turnkey exports: conversions of one network, with their operator counts.
    network = lake.node_iri(node_id("onnx-network", "torch_hub/wide_resnet50_2"))
    record = yaml.safe_load((ZOO / NETWORK_DIRS[0] / "turnkey_stats.yaml").read_text())
    assert _one(lake, network, ML.parameterCount) == record["parameters"]
    assert _one(lake, network, ML.networkArchitecture) == record["class"]
    for directory in NETWORK_DIRS:
        record = yaml.safe_load((ZOO / directory / "turnkey_stats.yaml").read_text())
        export = lake.node_iri(node_id("onnx-turnkey", Path(directory).name))
        assert _one(lake, export, ML.convertedFrom) == network
        assert _one(lake, export, ML.opsetVersion) == record["onnx_model_information"]["opset"]
        rows = lake.sparql(
            "PREFIX ml: <https://w3id.org/modellake#> SELECT ?op ?n WHERE { "
            f"<{export}> ml:usesOperator ?u . ?u ml:operatorType ?op ; ml:operatorCount ?n "
            "}"
        ).rows
        assert {str(r["op"]): int(r["n"]) for r in rows} == record["onnx_ops_counter"]
    family = lake.family(lake.node_iri(node_id("onnx-turnkey", Path(NETWORK_DIRS[0]).name)))
    assert [a["iri"] for a in family["ancestors"]] == [str(network)]
    assert len(family["siblings"]) == len(NETWORK_DIRS) - 1

    # The named summary query counts what the import wrote.
    (row,) = lake.run_named_query("catalogues/onnx-zoo-summary", {}).rows
    assert int(row["manifestModels"]) == counts.manifest_models
    assert int(row["claimedEvaluations"]) == counts.claimed_evaluations == 6
    assert int(row["networks"]) == counts.networks
    assert int(row["exports"]) == counts.conversions


def test_reimport_changes_nothing_and_update_replaces_a_changed_record(
        store: Store, tmp_path: Path) -> None:
    zoo = tmp_path / "zoo"
    shutil.copytree(ZOO, zoo)
    lake = lake_on(store)
    first = import_onnx_zoo(lake, zoo).report
    quads = store.count()
    again = import_onnx_zoo(lake, zoo).report
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == first.created
    assert store.count() == quads  # not even a write event

    record = zoo / NETWORK_DIRS[1] / "turnkey_stats.yaml"
    record.chmod(0o644)
    record.write_text(record.read_text().replace("onnx_ops_counter:\n",
                                                 "onnx_ops_counter:\n  Gelu: 2\n", 1))
    updated = import_onnx_zoo(lake, zoo, update=True).report
    assert (updated.created, updated.updated) == (0, 1)
    export = lake.node_iri(node_id("onnx-turnkey", Path(NETWORK_DIRS[1]).name))
    operators = {str(o) for o in lake.describe(export).objects(None, ML.operatorType)}
    assert "Gelu" in operators


def test_unreadable_page_and_manifest_entry_are_skipped_the_rest_imported(
        store: Store, tmp_path: Path) -> None:
    zoo = tmp_path / "zoo"
    shutil.copytree(ZOO, zoo)
    page = zoo / RESNET_PAGE
    page.chmod(0o644)
    page.write_bytes(b"# ResNet\n\xff\xfe not UTF-8")
    manifest = _manifest()
    manifest.append({"model": "Broken", "model_path": "validated/x/model/broken.onnx",
                     "opset_version": 12, "onnx_version": "1.9",
                     "metadata": {"model_sha": "not-a-hash", "model_bytes": 1, "tags": []}})
    manifest.append({"model": "Unknown dims", "model_path": "validated/x/model/dims-12.onnx",
                     "opset_version": 12, "metadata": {
                         "model_sha": "0" * 64, "model_bytes": 1, "tags": [], "io_ports": {
                             "inputs": [{"name": "x", "shape": [None, 4],
                                         "type": "tensor(float)"}], "outputs": []}}})
    (zoo / "ONNX_HUB_MANIFEST.json").chmod(0o644)
    (zoo / "ONNX_HUB_MANIFEST.json").write_text(json.dumps(manifest))
    lake = lake_on(store)
    result = import_onnx_zoo(lake, zoo)
    skipped = {s.path: s.reason for s in result.report.skipped}
    assert "cannot read the page" in skipped[RESNET_PAGE]
    assert "SHA-256" in skipped["ONNX_HUB_MANIFEST.json#4"]
    assert not lake.exists(_model(lake, "broken"))
    dims = _model(lake, "dims-12")
    assert [str(o) for o in lake.describe(dims).objects(None, ML.tensorShape)] == ["[null, 4]"]
    resnet18 = _model(lake, "resnet18-v1-7")
    assert lake.exists(resnet18)  # imported from the manifest, without its page
    assert _claims(lake, resnet18) == {}
    assert result.counts.manifest_models == 5


def test_page_cells_become_claims_or_are_reported() -> None:
    text = (
        "# Detector\n\n## Model\n"
        "|Model |Download |ONNX version|Opset version|Accuracy |\n"
        "|------|---------|------------|-------------|---------|\n"
        "|A |[1 MB](model/a-10.onnx) |1.5 |10 |mAP of 0.35 |\n"
        "|B |[1 MB](model/b-12.onnx) |1.9 |12 |mAP of 0.36 & 0.33 |\n"
        "|C |[1 MB](model/c-9.onnx) |1.4 |9 |EM of 68.1 in SQuAD v1.1 |\n"
        "|D |[1 MB](model/d-9.onnx) |1.4 |9 | |\n\n"
        "## Validation accuracy\nMetric is COCO box mAP, computed over 2017 COCO val data.\n\n"
        "## License\nMIT License\n"
    )
    page = read_page("validated/vision/det/README.md", text)
    assert page.title == "Detector"
    assert page.licence == "MIT License"
    assert len(page.linked) == 4
    (a,) = page.claims["validated/vision/det/model/a-10.onnx"]
    assert (a.measure, a.measure_name, a.value, a.dataset) == (
        ML.MeanAveragePrecision, "mAP", Decimal("0.35"), "coco")
    (c,) = page.claims["validated/vision/det/model/c-9.onnx"]
    assert (c.measure, c.value, c.dataset) == (ML.ExactMatch, Decimal("0.681"), "squad-v1.1")
    assert "validated/vision/det/model/b-12.onnx" not in page.claims
    assert page.unread_cells == ["validated/vision/det/README.md: Accuracy = 'mAP of 0.36 & 0.33'"]


def test_cli_imports_and_reports(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--data-dir", str(tmp_path / "lake"), "import", "onnx-zoo", str(ZOO), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["created"] == 8 and len(report["skipped"]) == 2
    assert report["counts"]["networks"] == 1
    again = json.loads(runner.invoke(app, args).stdout)
    assert (again["created"], again["unchanged"]) == (0, 8)
    missing = runner.invoke(app, ["import", "onnx-zoo", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2


def test_vendored_files_match_the_corpus() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus/onnx-model-zoo is not beside the repository")
    copies = [RESNET_PAGE, *(f"{d}/turnkey_stats.yaml" for d in NETWORK_DIRS)]
    for relative in copies:
        assert (ZOO / relative).read_bytes() == (SHARED / relative).read_bytes(), relative
    real = json.loads((SHARED / "ONNX_HUB_MANIFEST.json").read_text(encoding="utf-8"))
    assert all(entry in real for entry in _manifest())
