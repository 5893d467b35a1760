"""TensorFlow Hub import, on real pages of the tfhub.dev repository (tests/data/corpus/tfhub,
see its SOURCES.md) plus three pages crafted from real ones to be unreadable or malformed."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from modellake.cli import app
from modellake.importing import node_id
from modellake.lake import Lake
from modellake.namespaces import DCAT, DCTERMS, FOAF, ML, PROV, RDF
from modellake.store import Store
from modellake.tfhub import import_tfhub, parse_page

from .conftest import lake_on

CORPUS = Path(__file__).parent / "data" / "corpus" / "tfhub"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "tfhub"
DOCS = "assets/docs/"
CRAFTED = {
    DOCS + "intel/midas/broken/1.md": "first line",
    DOCS + "mediapipe/models/handskeleton/2.md": "not UTF-8",
    DOCS + "bohemian-visual-recognition-alliance/models/mushroom-identification_v1/3.md":
        "'format' is given 2 different values",
}
MOVINET = DOCS + ("tensorflow/models/movinet/a0/stream/kinetics-600/classification/tflite/int8/"
                  "lite/1.md")
DCAT_VERSION = URIRef(f"{DCAT}version")
DCAT_RESOURCE = URIRef(f"{DCAT}resource")
SPDX = "http://spdx.org/licenses/"


def _node(lake: Lake, prefix: str, key: str) -> URIRef:
    return lake.node_iri(node_id(prefix, key))


def _values(lake: Lake, node: URIRef, prop: URIRef) -> set[object]:
    return set(lake.describe(node).objects(node, prop))


def test_a_page_is_read_as_written() -> None:
    text = (CORPUS / DOCS / "intel/midas/v2/2.md").read_text(encoding="utf-8")
    page = parse_page(text, DOCS + "intel/midas/v2/2.md")
    assert (page.kind, page.publisher, page.name, page.version) == ("Module", "intel",
                                                                    "midas/v2", 2)
    assert page.summary.startswith("Convolutional neural network for monocular depth")
    assert page.one("license") == "mit"
    assert "megadepth" in page.metadata["dataset"]
    assert page.body.startswith("#")


def test_import_links_versions_conversions_data_sets_tasks_and_licences(store: Store) -> None:
    lake = lake_on(store)
    result = import_tfhub(lake, CORPUS)
    report = result.report

    # The three crafted pages and the variant whose parent is nowhere are skipped, with reasons.
    skipped = {s.path: s.reason for s in report.skipped}
    assert set(skipped) == {*CRAFTED, MOVINET}
    for path, reason in CRAFTED.items():
        assert reason in skipped[path], skipped[path]
    assert "tensorflow/movinet/a0/stream/kinetics-600/classification/1" in skipped[MOVINET]
    readable = sum(1 for _ in CORPUS.joinpath("assets").rglob("*.md")) - 3
    assert sum(result.pages.values()) == readable
    assert report.created == readable - 1  # every page read but the orphaned variant

    # Versions: v2/2 is a revision of v2/1, both versions of one model line.
    v1, v2 = (_node(lake, "tfhub", f"intel/midas/v2/{n}") for n in (1, 2))
    line = _node(lake, "tfhub-line", "intel/midas/v2")
    assert _values(lake, v2, PROV.wasRevisionOf) == {v1}
    assert _values(lake, v1, PROV.wasRevisionOf) == set()
    assert _values(lake, v1, DCTERMS.isVersionOf) == _values(lake, v2, DCTERMS.isVersionOf) \
        == {line}
    assert _values(lake, v2, DCAT_VERSION) == {Literal("2")}
    assert ML.ModelLine in lake.types(line)
    assert _values(lake, v2, DCAT.landingPage) == {URIRef("https://tfhub.dev/intel/midas/v2/2")}
    assert _values(lake, v2, ML.sourceRecord) == {Literal(DOCS + "intel/midas/v2/2.md")}
    assert _values(lake, v2, ML.publishedIn) == {ML.TensorFlowHub}

    # Conversions: TF Lite and TF.js pages point at the version they were converted from.
    for variant, parent in [
        ("intel/lite-model/midas/v2_1_small/1/lite/1", "intel/midas/v2_1_small/1"),
        ("mediapipe/tfjs-model/handskeleton/1/default/1", "mediapipe/handskeleton/1"),
        ("bohemian-visual-recognition-alliance/lite-model/models/mushroom-identification_v1/1",
         "bohemian-visual-recognition-alliance/models/mushroom-identification_v1/1"),
    ]:
        assert _values(lake, _node(lake, "tfhub", variant), ML.convertedFrom) == {
            _node(lake, "tfhub", parent)}
    tfjs = _node(lake, "tfhub", "mediapipe/tfjs-model/handskeleton/1/default/1")
    assert _values(lake, tfjs, ML.fileFormat) == {Literal("tfjs")}

    # Data sets: two different models trained on MegaDepth meet at one data-set node.
    megadepth = _node(lake, "dataset-tfhub", "megadepth")
    small = _node(lake, "tfhub", "intel/midas/v2_1_small/1")
    assert megadepth in _values(lake, v1, ML.trainedOn) & _values(lake, small, ML.trainedOn)
    assert ML.ImportedDataset in lake.types(megadepth)
    assert _values(lake, megadepth, DCTERMS.title) == {Literal("MegaDepth")}

    # Tasks: TF Hub's task ids land on the shared task nodes.
    depth = URIRef(lake.base_iri + "task-depth-estimation")
    speech = URIRef(lake.base_iri + "task-automatic-speech-recognition")
    assert _values(lake, v2, ML.task) == {depth}
    stt_en = _node(lake, "tfhub", "silero/silero-stt/en/1")
    assert _values(lake, stt_en, ML.task) == {speech}
    assert ML.Task in lake.types(speech)

    # Licences: an SPDX licence becomes its IRI; "custom" stays as written only.
    assert _values(lake, v2, DCTERMS.license) == {URIRef(SPDX + "MIT")}
    assert _values(lake, v2, ML.declaredLicence) == {Literal("mit")}
    assert _values(lake, stt_en, DCTERMS.license) == set()
    assert _values(lake, stt_en, ML.declaredLicence) == {Literal("custom")}
    assert _values(lake, stt_en, ML.languageTag) == {Literal("en")}

    # Publishers: named by their page, or by their id when they have none.
    intel = _node(lake, "tfhub-publisher", "intel")
    assert _values(lake, v2, PROV.wasAttributedTo) == {intel}
    assert _values(lake, intel, FOAF.name) == {Literal("Intel")}
    assert (_node(lake, "tfhub-publisher", "tensorflow"), RDF.type, PROV.Agent) in lake.describe(
        _node(lake, "tfhub-publisher", "tensorflow"))

    # Collections: members are the versions or model lines they link to.
    binding = _node(lake, "tfhub-collection", "android-studio/ml-model-binding/1")
    mushroom_lite = _node(lake, "tfhub", "bohemian-visual-recognition-alliance/lite-model/"
                                         "models/mushroom-identification_v1/1")
    assert _values(lake, binding, DCAT_RESOURCE) == {mushroom_lite}
    stt = _node(lake, "tfhub-collection", "silero/silero-stt/1")
    assert _values(lake, stt, DCAT_RESOURCE) == {
        _node(lake, "tfhub-line", "silero/silero-stt/en"),
        _node(lake, "tfhub-line", "silero/silero-stt/de")}
    assert report.warnings["a collection links to a model that was not imported"] > 0

    # Nothing of a skipped page is in the lake: no version 3, no line of the orphaned variant.
    rows = lake.sparql(
        "PREFIX ml: <https://w3id.org/modellake#> SELECT ?n WHERE { ?n ml:sourceRecord ?s }")
    records = {str(row["n"]) for row in rows.rows}
    assert str(_node(lake, "tfhub", "bohemian-visual-recognition-alliance/models/"
                                    "mushroom-identification_v1/3")) not in records
    assert not lake.exists(_node(lake, "tfhub-line", "tensorflow/lite-model/movinet/a0/stream/"
                                 "kinetics-600/classification/tflite/int8/lite"))
    assert not lake.exists(_node(lake, "tfhub", "mediapipe/handskeleton/2"))

    # The registry queries count what was imported.
    rows = lake.run_named_query("catalogues/registry-coverage", {}).rows
    assert [str(r["registry"]) for r in rows] == [str(ML.TensorFlowHub)]
    models = report.created - result.pages["Publisher"] - result.pages["Collection"]
    assert int(rows[0]["models"]) == models
    assert int(rows[0]["conversions"]) == 3  # the Lite/TF.js pages whose parent was imported
    assert int(rows[0]["laterVersions"]) == 2  # intel/midas/v2/2 and mushroom v2
    assert int(rows[0]["withEvaluation"]) == 0  # TF Hub pages claim no results
    contents = {str(r["kind"]): int(r["nodes"])
                for r in lake.run_named_query("catalogues/registry-contents", {}).rows}
    assert contents[str(ML.ImportedModel)] == models
    assert contents[str(DCAT.Catalog)] == result.pages["Collection"]
    assert contents["model lines of conversions"] == 3

    # Importing again changes nothing.
    before = store.count()
    again = import_tfhub(lake, CORPUS)
    assert (again.report.created, again.report.updated) == (0, 0)
    assert again.report.unchanged == report.created
    assert store.count() == before


def test_cli_reports_skipped_pages_and_exits_1(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--data-dir", str(tmp_path / "lake"), "import", "tfhub", str(CORPUS),
            "--no-progress"]
    first = runner.invoke(app, args)
    assert first.exit_code == 1, first.output
    assert "intel/midas/broken/1.md" in first.output
    second = runner.invoke(app, [*args, "--format", "json"])
    assert second.exit_code == 1
    assert '"created": 0' in second.output


def test_missing_directory_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["import", "tfhub", str(tmp_path / "nowhere")])
    assert result.exit_code == 2


def test_vendored_pages_are_the_corpus_pages() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus/tfhub is not beside the repository")
    copies = [p for p in CORPUS.rglob("*") if p.is_file() and p.name != "SOURCES.md"
              and p.relative_to(CORPUS).as_posix() not in CRAFTED]
    assert copies
    for copy in copies:
        relative = copy.relative_to(CORPUS)
        assert filecmp.cmp(copy, SHARED / relative, shallow=False), relative
