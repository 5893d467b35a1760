"""The evaluation facets: the derived index behind run searches stays in step with every write
(register, replace, upsert, delete) on both stores, equals what a rebuild computes, stays out
of what users read, and keys values the way the search compares them."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from bench.generate import PRINCIPAL, LakeGenerator, generate
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from modellake.cli import app
from modellake.errors import BindingError
from modellake.facets import FACET_GRAPH, FACET_NS, facet, number_key, search_keys, value_key
from modellake.lake import Lake, Principal
from modellake.namespaces import ML, XSD
from modellake.resources import example_file
from modellake.store import Store

from .conftest import lake_on

QUERY = "search/models-by-hyperparameter-and-metric"
ACCURACY = str(ML.Accuracy)


def _facets(store: Store) -> set[tuple[str, str, float]]:
    """(evaluation, search key, score) of every facet in the store."""
    found = {(str(s), _key(str(p)), float(o)) for s, p, o, g in store.quads()
             if str(g) == FACET_GRAPH}
    assert all(key for _, key, _ in found), "the facet graph holds facets only"
    return found


def _key(facet_property: str) -> str:
    return unquote(facet_property.removeprefix(FACET_NS)) if facet_property.startswith(
        FACET_NS) else ""


def _generated_facets(writes: object) -> set[tuple[str, str, float]]:
    return {(evaluation, _key(key), float(re.sub(r'^"([^"]*)".*$', r"\1", score)))
            for w in writes for evaluation, key, score in w.facets}  # type: ignore[attr-defined]


def _registered_lake(store: Store, models: int = 12, seed: int = 2) -> tuple[Lake, list[dict]]:
    lake = lake_on(store)
    runs = []
    for write in LakeGenerator(models, seed=seed).writes():
        lake.register(Graph().parse(data=write.ntriples(), format="nt"),
                      principal=Principal(*PRINCIPAL))  # type: ignore[arg-type]
        if write.kind == "model" and write.run:
            runs.append(write.run)
    return lake, runs


def _search(lake: Lake, parameter: str, value: str, threshold: float = 0.0) -> set[str]:
    result = lake.run_named_query(QUERY, {"parameter": parameter, "value": value,
                                          "measure": ACCURACY, "threshold": threshold})
    return {str(row["model"]) for row in result.rows}


def _a_run_with(runs: list[dict], parameter: str) -> dict:
    return next(r for r in runs if parameter in r["params"])


def _hyperparameters_of(lake: Lake, model: str) -> URIRef:
    found = lake.describe(URIRef(model)).value(URIRef(model), ML.hasHyperparameterSet)
    assert isinstance(found, URIRef)
    return found


def _accuracy_of(lake: Lake, model: str) -> URIRef:
    """The generator's measured accuracy evaluation of a model."""
    return URIRef(lake.base_iri + "evaluation-" + model[len(lake.base_iri):] + "-accuracy")


# -- value keys --------------------------------------------------------------------------------

def test_numbers_are_keyed_by_value_and_text_by_text() -> None:
    assert number_key("8") == number_key("8.0") == number_key("+8") == number_key("8e0") == "8"
    assert number_key("0.1") == number_key("1.0E-1") == number_key(".1") == "0.1"
    assert number_key("rbf") is None
    assert number_key("1e400") is None  # not finite: compared as text
    assert number_key("NaN") is None
    assert value_key(Literal(8)) == value_key(Literal("8.0", datatype=XSD.double)) == "8"
    assert value_key(Literal("1.0E-1", datatype=XSD.double)) == "0.1"
    # Text that looks like a number stays text: "8" the string is not filed under 8 …
    assert value_key(Literal("08")) == "08"
    assert value_key(Literal(True)) == "true"
    # … but a search for 8 reads both keys, so it finds the string "8" and the integer 8.
    assert [_key(k) for k in search_keys(ACCURACY, "max_depth", "8")] == [
        f"{ACCURACY} max_depth=8"]
    assert [_key(k) for k in search_keys(ACCURACY, "C", "0.10")] == [
        f"{ACCURACY} C=0.10", f"{ACCURACY} C=0.1"]


def test_every_key_is_a_short_iri_whatever_the_value() -> None:
    hostile = facet(ACCURACY, "kernel", '<x> } ; DROP ALL ; "\n \\ é')
    assert hostile.startswith(FACET_NS) and re.fullmatch(r"[A-Za-z0-9:/._~%-]+", hostile)
    assert _key(hostile) == f'{ACCURACY} kernel=<x> }} ; DROP ALL ; "\n \\ é'
    long = facet(ACCURACY, "prompt", "x" * 5000)
    assert len(long) < 200 and long == facet(ACCURACY, "prompt", "x" * 5000)
    assert long != facet(ACCURACY, "prompt", "x" * 4999)


# -- kept in step with writes ------------------------------------------------------------------

def test_registration_writes_the_facets_a_rebuild_computes(store: Store) -> None:
    lake, _ = _registered_lake(store)
    written = _facets(store)
    assert written, "registering measured evaluations writes facets"
    # The benchmark generator writes the same facets (it writes what the API writes).
    assert written == _generated_facets(LakeGenerator(12, seed=2).writes())
    assert lake.reindex() == len(written)
    assert _facets(store) == written


def test_settings_described_in_graphs_of_their_own_count_too(store: Store) -> None:
    lake = lake_on(store)
    example = Graph().parse(example_file("diabetes.ttl"), publicID=lake.base_iri)
    lake.register(example)
    # The worked example's settings are nodes of their own, next to their set.
    assert {key.split(" ", 1)[1] for _, key, _ in _facets(store)} == {"kernel=rbf", "C=2.3"}
    facets = _facets(store)
    assert lake.reindex() == 2
    assert _facets(store) == facets


def test_a_bulk_loaded_lake_is_searchable_after_reindex(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "lake.nq"
    generate(out, 30, seed=5, progress=False)
    without = "".join(line for line in out.read_text().splitlines(keepends=True)
                      if f"<{FACET_GRAPH}> ." not in line)
    lake = lake_on(store)
    store.bulk_load(without.encode())
    assert not _facets(store)
    assert not _search(lake, "max_depth", "8")
    progress: list[tuple[int, int]] = []
    written = lake.reindex(progress=lambda done, total: progress.append((done, total)))
    assert written == sum(1 for line in out.read_text().splitlines()
                          if f"<{FACET_GRAPH}> ." in line)
    assert progress and progress[-1][0] == progress[-1][1]
    assert _search(lake, "max_depth", "8")


def test_replacing_a_hyperparameter_set_moves_its_models_evaluations(store: Store) -> None:
    lake, runs = _registered_lake(store)
    run = _a_run_with(runs, "max_depth")
    old = str(run["params"]["max_depth"])
    hyper = _hyperparameters_of(lake, run["model"])
    graph = lake.describe(hyper)
    setting = URIRef(f"{hyper}/setting/max_depth")
    graph.remove((setting, ML.parameterValue, None))
    graph.add((setting, ML.parameterValue, Literal(99)))
    lake.replace(hyper, graph, if_match="*")
    assert run["model"] in _search(lake, "max_depth", "99")
    assert run["model"] in _search(lake, "max_depth", "99.0")  # the same number
    assert run["model"] not in _search(lake, "max_depth", old)
    facets = _facets(store)
    assert lake.reindex() == len(facets)
    assert _facets(store) == facets


def test_a_new_score_moves_the_evaluation_across_the_threshold(store: Store) -> None:
    lake, runs = _registered_lake(store)
    run = _a_run_with(runs, "max_depth")
    depth = str(run["params"]["max_depth"])
    evaluation = _accuracy_of(lake, run["model"])
    assert run["model"] not in _search(lake, "max_depth", depth, threshold=0.99)
    graph = lake.describe(evaluation)
    graph.remove((evaluation, ML.value, None))
    graph.add((evaluation, ML.value, Literal(0.995)))
    lake.replace(evaluation, graph, if_match="*")
    assert run["model"] in _search(lake, "max_depth", depth, threshold=0.99)
    assert {score for e, _, score in _facets(store) if e == str(evaluation)} == {0.995}
    facets = _facets(store)
    lake.reindex()
    assert _facets(store) == facets


def test_an_upsert_of_a_model_with_a_new_set_refiles_its_evaluations(store: Store) -> None:
    lake, runs = _registered_lake(store)
    run = _a_run_with(runs, "max_depth")
    model = URIRef(run["model"])
    new_set = URIRef(f"{model}/tuned-set")
    graph = lake.describe(model)
    graph.remove((model, ML.hasHyperparameterSet, None))
    graph.add((model, ML.hasHyperparameterSet, new_set))
    graph.parse(data=f"""
        @prefix ml: <{ML}> . @prefix dct: <http://purl.org/dc/terms/> .
        <{new_set}> a ml:HyperparameterSet ; dct:title "Tuned" ;
            ml:hasSetting <{new_set}/depth> .
        <{new_set}/depth> a ml:HyperparameterSetting ; ml:parameterName "max_depth" ;
            ml:parameterValue "very deep" .
    """, format="turtle")
    result = lake.upsert(graph)
    assert result.created
    assert _search(lake, "max_depth", "very deep") == {str(model)}
    assert str(model) not in _search(lake, "max_depth", str(run["params"]["max_depth"]))
    facets = _facets(store)
    lake.reindex()
    assert _facets(store) == facets


def test_deleting_an_evaluation_drops_its_facets(store: Store) -> None:
    lake, runs = _registered_lake(store)
    run = _a_run_with(runs, "max_depth")
    evaluation = _accuracy_of(lake, run["model"])
    assert any(s == str(evaluation) for s, _, _ in _facets(store))
    # The training run that generated it depends on it, and the model on the run.
    deleted = {str(n) for n in lake.delete(evaluation, cascade=True)}
    assert {str(evaluation), run["model"]} <= deleted
    assert not any(s in deleted for s, _, _ in _facets(store))
    assert run["model"] not in _search(lake, "max_depth", str(run["params"]["max_depth"]))
    facets = _facets(store)
    assert facets, "the other models' evaluations keep theirs"
    lake.reindex()
    assert _facets(store) == facets


def test_facets_stay_out_of_what_users_read(store: Store) -> None:
    lake, runs = _registered_lake(store, models=4)
    run = runs[0]
    evaluation = _accuracy_of(lake, run["model"])
    assert _facets(store)
    for graph in (lake.describe(evaluation), lake.lineage(URIRef(run["model"])),
                  lake.impact(URIRef(run["model"]))):
        assert not any(str(p).startswith(FACET_NS) for p in graph.predicates())
    for cls in (ML.Evaluation, ML.MeasuredEvaluation):
        items, _ = lake.list_nodes(cls, limit=1000)
        assert FACET_GRAPH not in {item["iri"] for item in items}
    assert lake.revision(FACET_GRAPH) is None and not lake.exists(FACET_GRAPH)


# -- bad input ---------------------------------------------------------------------------------

def test_a_hostile_value_is_only_ever_a_search_key(store: Store) -> None:
    lake, _ = _registered_lake(store, models=4)
    before = store.quads()
    for value in ('8" } } ; DROP ALL ; #', "8> } DROP ALL", "' ; CLEAR DEFAULT"):
        assert _search(lake, "max_depth", value) == set()
    assert store.quads() == before


def test_a_search_without_its_parameters_says_what_is_missing(store: Store) -> None:
    lake = lake_on(store)
    with pytest.raises(BindingError, match="value"):
        lake.run_named_query(QUERY, {"parameter": "max_depth", "measure": ACCURACY,
                                     "threshold": 0.5})
    with pytest.raises(BindingError):
        lake.run_named_query(QUERY, {"parameter": "max_depth", "value": ["8"],
                                     "measure": ACCURACY, "threshold": 0.5})


# -- the command -------------------------------------------------------------------------------

def test_the_reindex_command_rebuilds_and_reports(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--data-dir", str(tmp_path / "lake")]
    assert runner.invoke(app, [*args, "load-example"]).exit_code == 0
    result = runner.invoke(app, [*args, "reindex"])
    assert result.exit_code == 0, result.output
    # The worked example's SVM evaluation, filed under kernel=rbf and C=2.3.
    assert "2 evaluation facet(s) written" in result.output
    found = runner.invoke(app, [*args, "query", QUERY, "-p", "parameter=C", "-p", "value=2.30",
                                "-p", f"measure={ACCURACY}", "-p", "threshold=0.9",
                                "--format", "csv"])
    assert found.exit_code == 0, found.output
    assert "model-diabetes-predictor" in found.output and "0.9354" in found.output
