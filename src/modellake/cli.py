"""The `modellake` command line: the lake's power without HTTP.

Exit codes: 0 success, 1 validation failed (SHACL violations, unknown references), 2 any other
error (bad input, unknown node, store down …). Errors are one readable line, never a traceback.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import pandas as pd
import typer
from rdflib import Graph
from rich.console import Console
from rich.table import Table

from .api import negotiation
from .errors import BadInputError, ModelLakeError, UnknownReferenceError, ValidationFailed
from .importing import ImportReport
from .lake import Lake
from .rdfio import parse_rdf
from .resources import example_file, ontology_dir
from .settings import Settings
from .store.base import QueryResult
from .tree import lineage_tree
from .validation import Finding, Validator, split_references
from .vocabulary import load_vocabulary

app = typer.Typer(
    name="modellake", no_args_is_help=True, rich_markup_mode="rich",
    help="Model Lake: register, explore and govern ML metadata as a knowledge graph.\n\n"
    "Works on the embedded store (--data-dir) or a SPARQL server such as Fuseki (--sparql-url). "
    "Exit codes: 0 ok, 1 validation failed, 2 error.",
)
console = Console()
errors = Console(stderr=True)
T = TypeVar("T")

MEDIA_BY_SUFFIX = {".ttl": "text/turtle", ".nt": "application/n-triples",
                   ".jsonld": "application/ld+json", ".json": "application/ld+json"}


class _State:
    settings: Settings = Settings()


state = _State()


@app.callback()
def main(
    store: Annotated[str | None, typer.Option(
        help="embedded (default) or sparql", envvar="MODELLAKE_STORE")] = None,
    data_dir: Annotated[Path | None, typer.Option(
        help="Directory of the embedded store (default: in memory)",
        envvar="MODELLAKE_DATA_DIR")] = None,
    sparql_url: Annotated[str | None, typer.Option(
        help="Dataset URL of a SPARQL server, e.g. http://127.0.0.1:3030/modellake "
        "(…/query, …/update and …/data beneath it); implies --store sparql")] = None,
    sparql_user: Annotated[str | None, typer.Option(envvar="MODELLAKE_SPARQL_USER")] = None,
    sparql_password: Annotated[str | None, typer.Option(
        envvar="MODELLAKE_SPARQL_PASSWORD")] = None,
) -> None:
    settings = Settings()
    if sparql_url:
        settings = Settings.for_sparql_server(
            sparql_url, sparql_user or settings.sparql_user,
            sparql_password or settings.sparql_password,
            base_iri=settings.base_iri, tokens=settings.tokens)
    updates: dict[str, Any] = {}
    if store:
        updates["store"] = store
    if data_dir:
        updates["data_dir"] = data_dir
    state.settings = settings.model_copy(update=updates) if updates else settings


# -- plumbing ----------------------------------------------------------------------------------

@contextmanager
def _lake() -> Iterator[Lake]:
    lake = Lake.open(state.settings)
    try:
        yield lake
    finally:
        lake.close()


def _run(action: Callable[[], T]) -> T:
    """Run a command body, turning the project's errors into a message and an exit code."""
    try:
        return action()
    except (ValidationFailed, UnknownReferenceError) as exc:
        errors.print(f"[red]invalid:[/red] {exc}", highlight=False)
        report = getattr(exc, "report", None)
        if report is not None:
            _print_findings(report.violations, errors)
        raise typer.Exit(1) from None
    except ModelLakeError as exc:
        errors.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    except OSError as exc:
        errors.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None


def _read_rdf(path: Path, base_iri: str) -> Graph:
    media = MEDIA_BY_SUFFIX.get(path.suffix.lower())
    if media is None:
        raise typer.BadParameter(f"{path}: use .ttl, .nt or .jsonld")
    return parse_rdf(path.read_bytes(), media, base_iri=base_iri)


def _print_findings(findings: list[Finding], where: Console = console) -> None:
    if not findings:
        return
    table = Table("severity", "node", "path", "message", show_lines=False)
    for f in findings:
        colour = "red" if f.severity == "Violation" else "yellow"
        table.add_row(f"[{colour}]{f.severity}[/{colour}]", f.focus_node, f.path or "",
                      f.message)
    where.print(table)


def _emit_graph(graph: Graph, fmt: str) -> None:
    chosen = negotiation.choose(None, fmt, negotiation.GRAPH_FORMATS)
    sys.stdout.write(negotiation.serialize_graph(graph, chosen).decode("utf-8"))
    if not negotiation.serialize_graph(Graph(), chosen).endswith(b"\n"):
        sys.stdout.write("\n")


def _print_result(result: QueryResult, fmt: str) -> None:
    if result.form == "CONSTRUCT":
        assert result.graph is not None
        _emit_graph(result.graph, "turtle" if fmt == "table" else fmt)
        return
    if result.form == "ASK":
        console.print("true" if result.boolean else "false")
        return
    if fmt == "json":
        body = negotiation.serialize_result(result, negotiation.RESULTS_JSON)
        sys.stdout.write(json.dumps(json.loads(body), indent=2, ensure_ascii=False) + "\n")
        return
    frame = pd.DataFrame(
        [[str(row[v]) if v in row else "" for v in result.variables] for row in result.rows],
        columns=result.variables,
    )
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False))
        return
    if frame.empty:
        console.print("(no results)")
        return
    if len(frame) == 1 and len(frame.columns) > 4:
        # One wide row (a summary of counts) reads better as a list of name: value.
        frame = frame.T.reset_index()
        frame.columns = ["", "value"]
    with pd.option_context("display.max_rows", None, "display.max_columns", None,
                           "display.width", console.width, "display.max_colwidth", 80):
        console.print(frame.to_string(index=False), highlight=False, markup=False)
    if result.truncated:
        errors.print("[yellow]results were cut at the result limit[/yellow]")


# -- commands ----------------------------------------------------------------------------------

@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    demo: Annotated[bool, typer.Option(
        help="Build the demo lake from scikit-learn's real data sets if it is not there")]
    = False,
    store: Annotated[str | None, typer.Option(help="embedded or sparql")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Directory of the embedded store")]
    = None,
    sparql_url: Annotated[str | None, typer.Option(
        help="Dataset URL of a SPARQL server (implies --store sparql)")] = None,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs).

    The store options may also be given before the command, as for every other command."""
    import uvicorn

    from .api import create_app

    if store or data_dir or sparql_url:
        main(store=store, data_dir=data_dir or state.settings.data_dir, sparql_url=sparql_url,
             sparql_user=state.settings.sparql_user,
             sparql_password=state.settings.sparql_password)

    def start() -> None:
        lake = Lake.open(state.settings)
        if demo:
            _load_demo(lake)
        grants = state.settings.token_grants()
        if not grants:
            errors.print("[yellow]no tokens configured: writes are refused. Set "
                         "MODELLAKE_TOKENS='{\"<token>\": \"writer\"}' to allow them.[/yellow]")
        console.print(f"Model Lake on http://{host}:{port}/docs "
                      f"({lake.store.kind} store)", highlight=False)
        uvicorn.run(create_app(state.settings, store=lake.store), host=host, port=port,
                    log_level="info")
        lake.close()

    _run(start)


def _load_demo(lake: Lake) -> None:
    from .demo import build_demo_lake

    settings = state.settings
    workdir = (settings.data_dir / "demo-files") if settings.data_dir else Path("var/demo-files")
    if build_demo_lake(lake, workdir, progress=True):
        console.print("built the demo lake (try /api/v1/models/model-diabetes-predictor/lineage)")
    else:
        console.print("demo lake already built")


def _load_example(lake: Lake) -> None:
    graph = _read_rdf(example_file("diabetes.ttl"), lake.base_iri)
    model = lake.node_iri("model-diabetes-predictor")
    if lake.exists(model):
        console.print("worked example already in the lake")
        return
    result = lake.register(graph)
    console.print(f"loaded the worked example: {len(result.nodes)} nodes "
                  f"(try /api/v1/models/model-diabetes-predictor/lineage)")


@app.command("build-demo")
def build_demo() -> None:
    """Build the demo lake: scikit-learn's diabetes, breast cancer, wine and iris data, their
    operations, 20 cross-validated models and the paper's Diabetes Predictor."""
    def go() -> None:
        with _lake() as lake:
            _load_demo(lake)
    _run(go)


@app.command("load-example")
def load_example() -> None:
    """Register the paper's worked example (Diabetes data set → SVM Diabetes Predictor)."""
    def go() -> None:
        with _lake() as lake:
            _load_example(lake)
    _run(go)


@app.command()
def register(
    files: Annotated[list[Path], typer.Argument(help="RDF files: .ttl, .nt or .jsonld")],
) -> None:
    """Register the nodes described in RDF files (each file is one atomic write)."""
    def go() -> None:
        with _lake() as lake:
            for path in files:
                result = lake.register(_read_rdf(path, lake.base_iri))
                console.print(f"{path}: registered {len(result.nodes)} node(s), revision "
                              f"{result.revision}", highlight=False)
                _print_findings(result.warnings)
    _run(go)


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="A CSV, Parquet or JSON-lines file")],
    owner: Annotated[str, typer.Option(help="Id or IRI of the accountable agent")],
    source: Annotated[str | None, typer.Option(
        help="Id of an existing source, or 'new' to create one (see --source-title)")] = None,
    source_title: Annotated[str | None, typer.Option(help="Title of a new source")] = None,
    source_kind: Annotated[str, typer.Option(help="file, database, stream or api")] = "file",
    title: Annotated[str | None, typer.Option(help="Title of the data set")] = None,
    agent: Annotated[str | None, typer.Option(help="Who ran it (default: the owner)")] = None,
    purpose: Annotated[str | None, typer.Option(help="Why the data was collected")] = None,
    target: Annotated[str | None, typer.Option(help="Name of the target column")] = None,
    format: Annotated[str | None, typer.Option(help="csv, parquet or jsonl")] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar for large files")] = True,
) -> None:
    """Read a table, compute its meta-features and register it as an ingested data set.

    Ingesting the same content again changes nothing; changed content from the same source
    becomes a new version (prov:wasRevisionOf)."""
    def go() -> None:
        new_source = None
        if source in (None, "new") and source_title:
            new_source = {"title": source_title, "kind": source_kind}
        with _lake() as lake:
            result = lake.ingest(path, owner=owner, source=None if source == "new" else source,
                                 new_source=new_source, title=title, agent=agent,
                                 purpose=purpose, target=target, format=format,
                                 progress=progress)
        what = "registered" if result.created else "already in the lake (nothing changed):"
        console.print(f"{what} {result.dataset}", highlight=False)
        if result.revision_of is not None:
            console.print(f"  new version of {result.revision_of}", highlight=False)
        _print_findings(result.warnings)
    _run(go)


@app.command()
def compare(
    models: Annotated[list[str], typer.Argument(help="Two or more model ids or IRIs")],
    format: Annotated[str, typer.Option(help="table, csv or json")] = "table",
    only_differences: Annotated[bool, typer.Option(
        "--only-differences", help="Show only the rows where the models differ")] = False,
) -> None:
    """Algorithms, hyperparameters, training data, its meta-features and metrics side by side;
    rows where the models differ are marked."""
    def go() -> None:
        with _lake() as lake:
            comparison = lake.compare(models)
        if format == "json":
            sys.stdout.write(json.dumps(comparison.to_json(), indent=2, ensure_ascii=False,
                                        default=str) + "\n")
        elif format == "csv":
            sys.stdout.write(comparison.to_frame().to_csv())
        else:
            if only_differences:
                comparison = dataclasses.replace(comparison,
                                                 rows=tuple(comparison.differences))
            console.print(comparison.to_table())
    _run(go)


def _print_ranked(title: str, items: list[dict[str, Any]], columns: list[str],
                  fmt: str, document: dict[str, Any]) -> None:
    """Ranked results as a table (rank, the columns, reasons) or the whole JSON document."""
    if fmt == "json":
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    if fmt != "table":
        raise BadInputError(f"unknown format {fmt!r}; use table or json")
    table = Table(title=title)
    table.add_column("#", justify="right")
    for column in columns:
        table.add_column(column, overflow="fold")
    table.add_column("why", overflow="fold")
    for rank, item in enumerate(items, start=1):
        cells = ["—" if item.get(c) is None else str(item.get(c)) for c in columns]
        why = item.get("reasons") or item.get("filters") or [
            f"{field}: {', '.join(words)}" for field, words in item.get("matches", {}).items()]
        table.add_row(str(rank), *cells, "; ".join(why))
    console.print(table)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Free text (may be empty with filters)")] = "",
    task: Annotated[str | None, typer.Option(help="Task slug or label")] = None,
    licence: Annotated[str | None, typer.Option(help="Licence (SPDX id or as declared)")] = None,
    language: Annotated[str | None, typer.Option(help="Language tag, e.g. en")] = None,
    algorithm: Annotated[str | None, typer.Option(help="Algorithm name or label")] = None,
    trained_on: Annotated[str | None, typer.Option(
        help="Data set id: models trained on it or on data derived from it")] = None,
    metric: Annotated[str | None, typer.Option(help="Measure, with --min-value")] = None,
    min_value: Annotated[float | None, typer.Option(help="Smallest value of --metric")] = None,
    evaluated_on: Annotated[str | None, typer.Option(
        help="Only evaluations of --metric on this data set")] = None,
    similar_to: Annotated[str | None, typer.Option(
        help="Instead of models: data sets similar to this one by meta-features")] = None,
    limit: Annotated[int, typer.Option(help="How many results")] = 10,
    format: Annotated[str, typer.Option(help="table or json")] = "table",
) -> None:
    """Search models: free text ranked with BM25 (titles, descriptions, card sections, hub ids,
    tasks …) among the models passing the filters; or, with --similar-to, data sets ranked by
    the distance of their meta-features."""
    from .search import SearchFilters

    def go() -> None:
        with _lake() as lake:
            if similar_to is not None:
                found = lake.similar_datasets(similar_to, limit=limit)
                _print_ranked(f"data sets similar to {found['title'] or found['dataset']}",
                              found["similar"], ["id", "title", "similarity"], format, found)
                return
            filters = SearchFilters(task=task, licence=licence, language=language,
                                    algorithm=algorithm, trained_on=trained_on, metric=metric,
                                    min_value=min_value, evaluated_on=evaluated_on)
            result = lake.search(text, filters, limit=limit)
        _print_ranked(f"{result['total']} model(s)", result["results"],
                      ["id", "title", "score"], format, result)
    _run(go)


@app.command()
def related(
    model: Annotated[str, typer.Argument(help="Model id or IRI")],
    limit: Annotated[int, typer.Option(help="How many results")] = 10,
    format: Annotated[str, typer.Option(help="table or json")] = "table",
) -> None:
    """Models related to a model (shared training data, ancestry, task, architecture, name,
    similar training data), each with its score and reasons."""
    def go() -> None:
        with _lake() as lake:
            found = lake.related_models(model, limit=limit)
        _print_ranked(f"models related to {found['title'] or found['model']}", found["related"],
                      ["id", "title", "score"], format, found)
    _run(go)


@app.command()
def recommend(
    dataset: Annotated[str, typer.Argument(help="Data set id or IRI")],
    metric: Annotated[str, typer.Option(help="The measure to rank by")] = "accuracy",
    datasets: Annotated[int, typer.Option(help="How many nearest data sets to use")] = 5,
    min_similarity: Annotated[float, typer.Option(help="Smallest data-set similarity")] = 0.5,
    limit: Annotated[int, typer.Option(help="How many results")] = 10,
    format: Annotated[str, typer.Option(help="table or json")] = "table",
) -> None:
    """Models recommended for a data set: those trained on it or on data derived from it, then
    those trained on the data sets nearest by meta-features, best evaluation first."""
    def go() -> None:
        with _lake() as lake:
            found = lake.recommended_models(dataset, metric=metric, datasets=datasets,
                                            min_similarity=min_similarity, limit=limit)
        _print_ranked(f"models for {found['title']}", found["recommended"],
                      ["id", "title", "score", found["metric"]], format, found)
    _run(go)


@app.command("register-sklearn")
def register_sklearn_cmd(
    artifact: Annotated[Path, typer.Argument(help="A fitted estimator saved with joblib")],
    trained_on: Annotated[str, typer.Option(help="Id of the training data set in the lake")],
    data: Annotated[Path, typer.Option(help="CSV of the training data")],
    target: Annotated[str, typer.Option(help="Name of the target column in the CSV")],
    title: Annotated[str, typer.Option(help="Title of the model")],
    administrator: Annotated[str, typer.Option(help="Id of the accountable agent")],
    model_id: Annotated[str | None, typer.Option(help="Local id for the model")] = None,
    cv: Annotated[int, typer.Option(help="Number of cross-validation folds")] = 5,
    scoring: Annotated[list[str] | None, typer.Option(
        help="scikit-learn scorer names (repeat), default accuracy")] = None,
    code: Annotated[Path | None, typer.Option(help="The training script")] = None,
) -> None:
    """Register a saved scikit-learn model: algorithm, hyperparameters, cross-validated
    metrics, artifact hash, features and code. The artifact is unpickled: only load files you
    trust."""
    from .sklearn_capture import register_sklearn_artifact

    def go() -> None:
        with _lake() as lake:
            result = register_sklearn_artifact(
                lake, artifact, trained_on=trained_on, data_path=data, target=target,
                title=title, administrator=administrator, model_id=model_id, cv=cv,
                scoring=tuple(scoring or ("accuracy",)), code=code)
        console.print(f"registered {result.model}", highlight=False)
        for name, score in result.scores.items():
            console.print(f"  {name}: {score.mean:.4f} ± {score.std:.4f}", highlight=False)
    _run(go)


@app.command("register-onnx")
def register_onnx_cmd(
    file: Annotated[Path, typer.Argument(help="An ONNX model file (.onnx)")],
    title: Annotated[str | None, typer.Option(help="Title (default: the graph's name)")] = None,
    model_id: Annotated[str | None, typer.Option(
        help="Local id (default: onnx-file-<name>-<hash>, so the same file is one model)")]
    = None,
    trained_on: Annotated[str | None, typer.Option(
        help="Id of the training data set in the lake")] = None,
    administrator: Annotated[str | None, typer.Option(
        help="Id of the accountable agent")] = None,
    algorithm: Annotated[str | None, typer.Option(
        help="Learning algorithm, e.g. LogisticRegression or 'random forest'")] = None,
    created: Annotated[str | None, typer.Option(help="Creation date, YYYY-MM-DD")] = None,
    description: Annotated[str | None, typer.Option(help="What the model does")] = None,
    task: Annotated[str | None, typer.Option(
        help="Task, e.g. text-classification or 'image classification'")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON")]
    = False,
) -> None:
    """Register a model from an ONNX file: producer, opset, input and output tensors, parameter
    count, operator counts, SHA-256 and size, read from the file. With --trained-on,
    --administrator, --algorithm and --created it is an ml:Model; without any of them an
    ml:ImportedModel, and the missing facts are listed."""
    from .onnx_artifact import register_onnx

    def go() -> None:
        with _lake() as lake:
            result = register_onnx(
                lake, file, title=title, model_id=model_id, trained_on=trained_on,
                administrator=administrator, algorithm=algorithm, created=created,
                description=description, task=task)
        if json_output:
            sys.stdout.write(json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n")
            return
        facts = result.facts
        console.print(f"{result.outcome} {result.model} as {result.kind}", highlight=False)
        console.print(f"  opset {facts.opset}, IR {facts.ir_version}, producer "
                      f"{facts.producer or '?'}, {facts.parameters} parameters in initializers, "
                      f"{sum(facts.operators.values())} operators of "
                      f"{len(facts.operators)} types", highlight=False)
        if result.missing:
            console.print(f"  [yellow]missing for an ml:Model:[/yellow] "
                          f"{', '.join(result.missing)}", highlight=False)
        _print_findings(result.warnings)
    _run(go)


import_app = typer.Typer(help="Import published metadata from other registries and tools "
                         "(model cards, hubs, model zoos, MLflow).", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(import_app, name="import")


@import_app.command("mlflow")
def import_mlflow_cmd(
    tracking_uri: Annotated[str, typer.Option(
        "--tracking-uri", help="MLflow tracking URI: a directory or file:// store, "
        "sqlite:///… (needs the full mlflow package) or http(s)://server")],
    experiment: Annotated[list[str] | None, typer.Option(
        "--experiment", help="Import only this experiment (repeat; default: all)")] = None,
    owner: Annotated[str | None, typer.Option(
        help="Id of an agent in the lake to administer models whose run names no user")] = None,
    format: Annotated[str, typer.Option(help="text or json")] = "text",
) -> None:
    """Import MLflow runs, data sets, metrics, logged and registered models (versions and
    aliases) as training runs, data sets, evaluations and models with their lineage.

    Importing again writes only what changed in MLflow. Needs the MLflow client:
    pip install 'modellake[mlflow]'. Exit code 1 when some models could not be imported."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .mlflow_import import import_mlflow

    def go() -> int:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        with _lake() as lake, Progress(*columns, console=errors, transient=True) as bar:
            task = bar.add_task("opening the tracking store", total=None)

            def advance(done: int, total: int, what: str) -> None:
                bar.update(task, completed=done, total=total, description=what)

            report = import_mlflow(lake, tracking_uri, experiments=experiment or (),
                                   owner=owner, progress=advance)
        if format == "json":
            sys.stdout.write(json.dumps(report.to_json(), indent=2) + "\n")
        else:
            console.print(f"{report.runs} run(s) read, {len(report.imported_runs)} imported "
                          f"with {len(report.models)} model(s); {report.written} node(s) "
                          f"written", highlight=False)
            for line in report.skipped:
                console.print(f"  skipped: {line}", highlight=False)
        for line in report.problems:
            errors.print(f"[yellow]not imported:[/yellow] {line}", highlight=False)
        return 1 if report.problems else 0

    code = _run(go)
    if code:
        raise typer.Exit(code)


def _print_import_report(report: ImportReport, fmt: str) -> None:
    """The counts of an import, the skipped records with their reasons, the commonest gaps."""
    if fmt == "json":
        console.print_json(data=report.to_json())
    else:
        console.print(f"imported: {report.summary()}", highlight=False)
        if report.skipped:
            table = Table("skipped record", "reason", title="Skipped")
            for item in report.skipped:
                table.add_row(item.path, item.reason)
            console.print(table)
        if report.warnings:
            table = Table("records", "what the records leave out (warnings)",
                          title="Most common gaps")
            for message, count in report.warnings.most_common(10):
                table.add_row(str(count), message)
            console.print(table)
    if report.skipped:
        raise typer.Exit(1)


@import_app.command("hf-card")
def import_hf_card(
    paths: Annotated[list[Path], typer.Argument(
        help="Model-card files (owner__name.md) or directories of them")],
    update: Annotated[bool, typer.Option(help="Replace records that changed since the last "
                                         "import (default: leave them)")] = False,
    format: Annotated[str, typer.Option(help="table or json")] = "table",
) -> None:
    """Import Hugging Face model cards (README.md with YAML front matter): licence, data sets,
    base model and relation, language, tags, task, library, model-index results (as claimed
    evaluations) and the card's sections. Facts a card leaves out stay missing and are counted
    as warnings. A card that cannot be read is reported and skipped (exit code 1)."""
    from .hf_cards import import_cards

    def go() -> None:
        with _lake() as lake:
            report = import_cards(lake, paths, update=update)
        _print_import_report(report, format)
    _run(go)


@import_app.command("corpus")
def import_corpus(
    corpus: Annotated[Path, typer.Argument(help="A folder with one sub-folder per registry "
                                           "(model-cards/, …), e.g. ../shared/corpus")],
    format: Annotated[str, typer.Option(help="table or json")] = "table",
) -> None:
    """Build the combined real lake: import every registry found in the corpus folder, with a
    progress bar per registry, then print what each import did."""
    from .real_lake import build_real_lake

    def go() -> None:
        with _lake() as lake:
            reports = build_real_lake(lake, corpus)
        if format == "json":
            console.print_json(data={name: r.to_json() for name, r in reports.items()})
        else:
            table = Table("registry", "created", "updated", "unchanged", "skipped",
                          title="Real lake")
            for name, r in reports.items():
                table.add_row(name, str(r.created), str(r.updated), str(r.unchanged),
                              str(len(r.skipped)))
            console.print(table)
            for name, r in reports.items():
                for item in r.skipped[:20]:
                    errors.print(f"{name}: skipped {item.path}: {item.reason}", highlight=False)
        if any(r.skipped for r in reports.values()):
            raise typer.Exit(1)
    _run(go)


@import_app.command("tfhub")
def import_tfhub_cmd(
    directory: Annotated[Path, typer.Argument(
        help="A copy of the tensorflow/tfhub.dev repository (assets/docs and tags)")] = Path(
        "../shared/corpus/tfhub"),
    update: Annotated[bool, typer.Option(
        help="Replace models already in the lake whose page changed (default: leave them)")
    ] = False,
    format: Annotated[str, typer.Option(help="table or json")] = "table",
    progress: Annotated[bool, typer.Option(help="Show progress bars")] = True,
) -> None:
    """Import TensorFlow Hub's model pages: one model per version page, linked to its previous
    version, its model line, its publisher, tasks and data sets; Lite/TF.js/Coral pages as
    conversions; collections as catalogues. Pages that cannot be read or mapped are listed and
    skipped (exit code 1); importing again changes nothing."""
    from .tfhub import import_tfhub, skipped_reasons

    def go() -> None:
        if not directory.is_dir():
            raise typer.BadParameter(f"{directory} is not a directory")
        with _lake() as lake:
            result = import_tfhub(lake, directory, update=update, show_progress=progress)
        report = result.report
        if format == "json":
            console.print_json(data=result.to_json())
        else:
            table = Table("TensorFlow Hub import", "count")
            for label, value in [
                ("pages read", sum(result.pages.values())),
                *((f"  {kind} pages", n) for kind, n in sorted(result.pages.items())),
                ("model lines", result.lines), ("publishers", result.publishers),
                ("data sets", result.datasets), ("tasks", result.tasks),
                ("records created", report.created), ("records updated", report.updated),
                ("records unchanged", report.unchanged), ("pages skipped", len(report.skipped)),
            ]:
                table.add_row(label, str(value))
            console.print(table)
            for skipped in report.skipped:
                console.print(f"skipped {skipped.path}: {skipped.reason}", highlight=False,
                              markup=False, soft_wrap=True)
            for message, count in report.warnings.most_common():
                console.print(f"warning ×{count}: {message}", highlight=False, markup=False,
                              soft_wrap=True)
            if report.skipped:
                reasons = "; ".join(f"{n}× {r}" for r, n in
                                    skipped_reasons(report).most_common())
                console.print(f"skipped by reason: {reasons}", highlight=False, markup=False,
                              soft_wrap=True)
        if report.skipped:
            raise typer.Exit(1)
    _run(go)


@import_app.command("onnx-zoo")
def import_onnx_zoo_cmd(
    directory: Annotated[Path, typer.Argument(
        help="The ONNX Model Zoo's metadata: ONNX_HUB_MANIFEST.json, validated/ model pages "
        "and <Category>/<model>_Opset<N>_<source>/turnkey_stats.yaml records")]
    = Path("../shared/corpus/onnx-model-zoo"),
    update: Annotated[bool, typer.Option(
        help="Replace models already imported when their record changed")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON")]
    = False,
) -> None:
    """Import the ONNX Model Zoo: manifest models with their pages' claimed results, and the
    turnkey exports as conversions of their source networks. Records that cannot be read are
    skipped and listed; a re-import changes nothing."""
    from .onnx_zoo import import_onnx_zoo

    def go() -> None:
        with _lake() as lake:
            result = import_onnx_zoo(lake, directory, update=update, show_progress=True)
        if json_output:
            sys.stdout.write(json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n")
            return
        for name, count in result.counts.to_json().items():
            console.print(f"{name.replace('_', ' ')}: {count}", highlight=False)
        _print_import_report(result.report, "table")
    _run(go)


compliance_app = typer.Typer(help="Governance: the compliance pack, one check, and the "
                             "auditor's report.", no_args_is_help=True)
app.add_typer(compliance_app, name="compliance")


@compliance_app.command("list")
def compliance_list() -> None:
    """The checks of the pack, with the regulation or policy each serves."""
    from . import compliance as pack

    def go() -> None:
        with _lake() as lake:
            table = Table("check", "regulation or policy", "severity", "parameters")
            for c in pack.checks(lake):
                table.add_row(c.name, c.regulation, c.severity, ", ".join(c.parameters))
        console.print(table)
    _run(go)


@compliance_app.command("check")
def compliance_check(
    name: Annotated[str, typer.Argument(help="A check, e.g. erasure-impact")],
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="A parameter as name=value (repeat as needed)")] = None,
    format: Annotated[str, typer.Option(help="table, csv or json")] = "table",
) -> None:
    """Run one compliance check. Exit code 1 when it has findings."""
    from . import compliance as pack

    def go() -> None:
        with _lake() as lake:
            result = pack.run_check(lake, name, _params(param))
        _print_findings_table(result.check.title, result.findings, format)
        if result.findings:
            raise typer.Exit(1)
    _run(go)


@compliance_app.command("report")
def compliance_report_cmd(
    format: Annotated[str, typer.Option(help="table, csv, json-ld, json or html")] = "table",
    output: Annotated[Path | None, typer.Option(help="Write to this file")] = None,
) -> None:
    """Run the whole pack. Exit code 1 when any check has findings."""
    from . import compliance as pack
    from . import compliance_report as render

    def go() -> None:
        with _lake() as lake:
            report = pack.run_pack(lake)
            if format == "html":
                text = render.to_html(report)
            elif format == "csv":
                text = render.to_csv(report)
            elif format == "json":
                text = json.dumps(report.to_json(), indent=2, ensure_ascii=False)
            elif format == "json-ld":
                text = negotiation.serialize_graph(
                    render.to_graph(report, lake.base_iri), negotiation.JSON_LD).decode()
            elif format == "table":
                text = ""
            else:
                raise typer.BadParameter("format must be table, csv, json-ld, json or html")
        if format == "table":
            table = Table("check", "regulation or policy", "severity", "findings")
            for r in report.results:
                count = len(r.findings)
                table.add_row(r.check.name, r.check.regulation, r.check.severity,
                              "[green]0[/green]" if not count else f"[red]{count}[/red]")
            console.print(table)
        elif output is not None:
            output.write_text(text, encoding="utf-8")
            console.print(f"wrote {output}", highlight=False)
        else:
            sys.stdout.write(text)
        if any(not r.passed for r in report.results):
            raise typer.Exit(1)
    _run(go)


@app.command()
def score(
    models: Annotated[list[str] | None, typer.Argument(help="Model ids (default: all)")] = None,
) -> None:
    """Documentation completeness (0–100) of models, with what is missing."""
    from . import compliance as pack

    def go() -> None:
        with _lake() as lake:
            if models:
                scores = [pack.documentation_score(lake, lake.node_iri(m)) for m in models]
            else:
                scores = list(pack.documentation_scores(lake).values())
        table = Table("model", "score", "missing")
        for s in sorted(scores, key=lambda s: s.score):
            table.add_row(s.title, str(s.score), "\n".join(s.missing))
        console.print(table)
    _run(go)


@app.command()
def stage(
    model: Annotated[str, typer.Argument(help="Model id or IRI")],
    to: Annotated[str, typer.Argument(help="development, staging, production or retired")],
    approver: Annotated[str, typer.Option(help="Id of the approving agent in the lake")],
    evidence: Annotated[list[str] | None, typer.Option(help="Evidence ids (repeat)")] = None,
    note: Annotated[str | None, typer.Option(help="Why")] = None,
) -> None:
    """Move a model to a lifecycle stage (production is gated by the blocking checks)."""
    from . import compliance as pack

    def go() -> None:
        with _lake() as lake:
            change = pack.change_stage(lake, lake.node_iri(model), to, approver=approver,
                                       evidence=evidence or [], note=note,
                                       blocking=lake.settings.blocking_checks)
        console.print(f"{change.model} is now in {change.stage} ({change.transition})",
                      highlight=False)
    _run(go)


def _params(items: list[str] | None) -> dict[str, object]:
    values: dict[str, object] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--param {item!r}: write it as name=value")
        values[key.strip()] = value
    return values


def _print_findings_table(title: str, findings: list[dict[str, str]], fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(findings, indent=2, ensure_ascii=False) + "\n")
        return
    columns = sorted({k for f in findings for k in f}, key=lambda k: (k != "node", k))
    if fmt == "csv":
        sys.stdout.write(pd.DataFrame(findings, columns=columns).to_csv(index=False))
        return
    if not findings:
        console.print(f"{title}: no findings")
        return
    table = Table(*columns, title=f"{title}: {len(findings)} finding(s)")
    for f in findings:
        table.add_row(*(f.get(c, "") for c in columns))
    console.print(table)


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="An RDF file: .ttl, .nt or .jsonld")],
    profile: Annotated[list[str] | None, typer.Option(
        help="Shape profiles to use (default: core, documentation and governance)")] = None,
) -> None:
    """Check a file against the lake's SHACL shapes, without storing anything.

    Nodes the file gives only an rdf:type are taken as references to nodes described
    elsewhere and are not checked themselves.

    Exit code 0 when it conforms (warnings allowed), 1 on violations, 2 on errors."""
    def go() -> None:
        graph = _read_rdf(file, state.settings.base_iri)
        validator = (Validator.for_profiles(profile) if profile
                     else Validator.for_profiles(vocabulary=load_vocabulary()))
        data, context = split_references(graph)
        report = validator.validate(data, context=context)
        _print_findings(report.findings)
        if not report.conforms:
            errors.print(f"[red]{len(report.violations)} violation(s)[/red]")
            raise typer.Exit(1)
        console.print(f"conforms ({len(report.warnings)} warning(s))")
    _run(go)


@app.command()
def get(
    node: Annotated[str, typer.Argument(help="Local id or IRI")],
    format: Annotated[str, typer.Option(help="turtle, jsonld or ntriples")] = "turtle",
    at: Annotated[str | None, typer.Option(
        help="An ISO 8601 date-time: the description as recorded then")] = None,
) -> None:
    """Print a node's description (as it is, or as recorded at a past time)."""
    from .history import describe_at

    def go() -> None:
        with _lake() as lake:
            iri = lake.node_iri(node)
            _emit_graph(describe_at(lake, iri, at).graph if at else lake.describe(iri), format)
    _run(go)


def _walk(node: str, depth: int | None, format: str, upstream: bool,
          at: str | None = None) -> None:
    from .history import lineage_at

    with _lake() as lake:
        iri = lake.node_iri(node)
        if at is not None:
            graph = lineage_at(lake, iri, at, depth=depth)
        else:
            graph = (lake.lineage(iri, depth=depth) if upstream
                     else lake.impact(iri, depth=depth))
        if format == "tree":
            console.print(lineage_tree(graph, iri, lake.vocabulary, lake.base_iri,
                                       upstream=upstream))
        else:
            _emit_graph(graph, format)


@app.command()
def lineage(
    node: Annotated[str, typer.Argument(help="Local id or IRI of a model or other node")],
    depth: Annotated[int | None, typer.Option(help="Hops to follow (default: all)")] = None,
    format: Annotated[str, typer.Option(help="tree, turtle, jsonld or ntriples")] = "tree",
    at: Annotated[str | None, typer.Option(
        help="An ISO 8601 date-time: the lineage as recorded then")] = None,
) -> None:
    """Everything upstream of a node: data, model and code lineage (now, or as at a time)."""
    _run(lambda: _walk(node, depth, format, upstream=True, at=at))


@app.command()
def impact(
    node: Annotated[str, typer.Argument(help="Local id or IRI of a source, data set or model")],
    depth: Annotated[int | None, typer.Option(help="Hops to follow (default: all)")] = None,
    format: Annotated[str, typer.Option(help="tree, turtle, jsonld or ntriples")] = "tree",
) -> None:
    """Everything downstream of a node: derived data, models trained on it, evaluations."""
    _run(lambda: _walk(node, depth, format, upstream=False))


@app.command("list")
def list_nodes(
    kind: Annotated[str, typer.Argument(
        help="sources, datasets, operations, models, evaluations, hyperparameter-sets, code, "
        "agents")],
    q: Annotated[str, typer.Option(help="Only titles containing this text")] = "",
    limit: int = 50, offset: int = 0,
) -> None:
    """List the nodes of one kind."""
    from .api.routes.records import KIND_CLASSES

    def go() -> None:
        if kind not in KIND_CLASSES:
            raise typer.BadParameter(f"kind must be one of {', '.join(KIND_CLASSES)}")
        with _lake() as lake:
            items, total = lake.list_nodes(KIND_CLASSES[kind], text=q, limit=limit,
                                           offset=offset)
        table = Table("id", "title", "created", title=f"{kind}: {total} in all")
        for item in items:
            table.add_row(item["id"] or "", item["title"] or "", item["created"] or "")
        console.print(table)
    _run(go)


@app.command()
def query(
    name: Annotated[str | None, typer.Argument(help="Named query, e.g. lineage/upstream")] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="A parameter as name=value (repeat as needed)")] = None,
    format: Annotated[str, typer.Option(help="table, csv or json")] = "table",
    list_: Annotated[bool, typer.Option("--list", help="List the named queries")] = False,
) -> None:
    """Run a named query from the catalogue, with parameters bound safely."""
    def go() -> None:
        with _lake() as lake:
            if list_ or name is None:
                table = Table("name", "title", "parameters")
                for q in lake.named_queries():
                    params = ", ".join(f"{p.name} ({p.kind}{'' if p.required else ', optional'})"
                                       for p in q.parameters)
                    table.add_row(q.name, q.title, params)
                console.print(table)
                return
            _print_result(lake.run_named_query(name, _params(param)), format)
    _run(go)


@app.command()
def sparql(
    text: Annotated[str, typer.Argument(help="A SPARQL query (read-only); @FILE reads a file")],
    format: Annotated[str, typer.Option(help="table, csv or json (graphs: turtle …)")] = "table",
) -> None:
    """Run a read-only SPARQL query over the lake."""
    def go() -> None:
        query_text = Path(text[1:]).read_text(encoding="utf-8") if text.startswith("@") else text
        with _lake() as lake:
            _print_result(lake.sparql(query_text), format)
    _run(go)


@app.command()
def delete(
    node: Annotated[str, typer.Argument(help="Local id or IRI")],
    cascade: Annotated[bool, typer.Option(help="Also delete the nodes that depend on it")]
    = False,
) -> None:
    """Delete a node (refused while others depend on it, unless --cascade)."""
    def go() -> None:
        with _lake() as lake:
            deleted = lake.delete(lake.node_iri(node), cascade=cascade)
        for iri in deleted:
            console.print(f"deleted {iri}", highlight=False)
    _run(go)


@app.command()
def export(
    format: Annotated[str, typer.Option(help="turtle, jsonld or ntriples")] = "turtle",
    profile: Annotated[str | None, typer.Option(
        help="dcat-ap (a DCAT-AP 3 catalogue of the data sets), mldcat-ap (MLDCAT-AP 3.1: the "
        "models too) or prov (plain PROV-O of the whole lake); default: every node as stored")]
    = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Also check the export against the official DCAT-AP / MLDCAT-AP SHACL "
        "shapes; exit code 1 when it does not conform")] = False,
    output: Annotated[Path | None, typer.Option(help="Write to this file (default: stdout)")]
    = None,
) -> None:
    """Write the lake to stdout: every node's description as stored (without the ontology and
    shapes), or, with --profile, in the terms of a standard (see docs/standards.md)."""
    from . import conformance
    from . import export as exporter

    def go() -> None:
        if profile is not None:
            exporter.check_profile(profile)
            if check and profile not in exporter.CATALOG_PROFILES:
                raise typer.BadParameter("--check applies to the dcat-ap and mldcat-ap profiles")
        elif check:
            raise typer.BadParameter("--check needs --profile dcat-ap or mldcat-ap")
        with _lake() as lake:
            if profile is None:
                graph = Graph()
                for iri in lake.store.graphs():
                    if not iri.startswith("https://w3id.org/modellake/graph/"):
                        graph += lake.store.graph(iri)
            else:
                graph = exporter.export(lake, profile)
        if output is not None:
            chosen = negotiation.choose(None, format, negotiation.GRAPH_FORMATS)
            output.write_bytes(negotiation.serialize_graph(graph, chosen))
            errors.print(f"wrote {len(graph)} triples to {output}", highlight=False)
        else:
            _emit_graph(graph, format)
        if check and profile is not None:
            report = conformance.check(graph, profile)
            _print_findings(report.findings, errors)
            if not report.conforms:
                errors.print(f"[red]does not conform to {profile.upper()}: "
                             f"{len(report.violations)} violation(s)[/red]", highlight=False)
                raise typer.Exit(1)
            errors.print(f"[green]conforms to {profile.upper()}[/green] (official SHACL shapes, "
                         f"{len(report.warnings)} warning(s))", highlight=False)
    _run(go)


@app.command()
def status() -> None:
    """What the lake holds, by kind, and which store it is on."""
    def go() -> None:
        with _lake() as lake:
            counts = lake.summary()
            table = Table("kind", "nodes", title=f"Model Lake ({lake.store.kind} store)")
            for kind, count in counts.items():
                table.add_row(kind, str(count))
            console.print(table)
    _run(go)


@app.command()
def reindex() -> None:
    """Rebuild the lake's derived search index (the evaluation facets behind run searches such
    as `modellake query search/models-by-hyperparameter-and-metric`). Writes through the API or
    this command keep it up to date; run this after bulk-loading N-Quads into the store
    directly, or after restoring a dump that was taken without it."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    def go() -> None:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        with _lake() as lake, Progress(*columns, console=errors, transient=True) as bar:
            task = bar.add_task("evaluations", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            written = lake.reindex(progress=advance)
        console.print(f"{written} evaluation facet(s) written", highlight=False)
    _run(go)


@app.command("ontology-check")
def ontology_check() -> None:
    """Run HermiT on the ontology and its pinned imports (needs Java)."""
    from .reasoning import check_consistency

    def go() -> None:
        report = check_consistency()
        console.print(report.message, highlight=False)
        if not report.consistent:
            raise typer.Exit(1)
    console.print(f"ontology: {ontology_dir() / 'modellake.ttl'}", highlight=False)
    _run(go)



# -- provenance: verification, citation, versions ------------------------------------------------

@app.command("verify")
def verify_cmd(
    model: Annotated[str, typer.Argument(help="Model id or IRI")],
    tolerance: Annotated[float, typer.Option(
        help="Largest absolute gap that still counts as agreement")] = 0.02,
    trust_pickle: Annotated[bool, typer.Option(
        "--trust-pickle", help="Load a joblib/pickle artifact: loading it RUNS THE CODE IT "
        "HOLDS, so only for files you trust")] = False,
    trust_type: Annotated[list[str] | None, typer.Option(
        help="A type a skops artifact may hold beyond skops' safe defaults (repeat)")] = None,
    record: Annotated[bool, typer.Option(
        help="Record the measured evaluations (--no-record: a dry run)")] = True,
    format: Annotated[str, typer.Option(help="table or json")] = "table",
) -> None:
    """Re-run a model's claimed and recorded evaluations on its stored artifact and flag gaps
    above the tolerance, and card–graph drift. The artifact's sha256 is checked first.

    Exit code 0 when everything agrees, 1 on a gap or drift, 2 on an error (a refused artifact
    included: changed hash, pickle without --trust-pickle)."""
    from .verify import verify_model

    def go() -> None:
        with _lake() as lake:
            report = verify_model(lake, lake.node_iri(model), tolerance=tolerance,
                                  trust_pickle=trust_pickle, trusted_types=trust_type or (),
                                  record=record)
            local = lake.local_id
        if format == "json":
            sys.stdout.write(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")
        else:
            _print_verification(report, local)
        if not report.passed:
            raise typer.Exit(1)
    _run(go)


def _print_verification(report: Any, local: Callable[[str], str]) -> None:
    artifact = report.artifact
    console.print(f"artifact: {artifact.get('path') or artifact.get('location') or '—'} "
                  f"({artifact.get('format') or '?'}): {artifact.get('status')}",
                  highlight=False)
    table = Table("evaluation", "kind", "measure", "data set", "recorded", "measured", "gap",
                  "status", title=f"{local(str(report.model))}: tolerance {report.tolerance:g}")
    colours = {"ok": "green", "gap": "red", "skipped": "yellow"}
    for c in report.checks:
        status = f"[{colours[c.status]}]{c.status}[/{colours[c.status]}]"
        if c.reason:
            status += f" ({c.reason})"
        table.add_row(local(c.evaluation), c.kind, c.measure.rsplit("#", 1)[-1],
                      local(c.dataset) if c.dataset else "—", f"{c.recorded:.4f}",
                      "—" if c.measured is None else f"{c.measured:.4f}",
                      "—" if c.gap is None else f"{c.gap:.4f}", status)
    console.print(table)
    if report.drift:
        drift = Table("drift", "data set", "detail", title="card–graph drift")
        for d in report.drift:
            drift.add_row(d.kind, local(d.dataset) if d.dataset else d.name, d.detail)
        console.print(drift)
    verdict = "[green]passed[/green]" if report.passed else (
        f"[red]{len(report.gaps)} gap(s), {len(report.drift)} drift finding(s)[/red]")
    if all(c.status == "skipped" for c in report.checks):
        verdict += " [yellow](but no evaluation could be re-run: see the reasons)[/yellow]"
    recorded = f"; recorded as {local(str(report.run))}" if report.run else ""
    console.print(verdict + recorded, highlight=False)


@app.command("cite")
def cite_cmd(
    model: Annotated[str, typer.Argument(help="Model id or IRI")],
    format: Annotated[str, typer.Option(help="bibtex, csl-json or datacite")] = "bibtex",
) -> None:
    """Citations of a model and the data it was trained and evaluated on, up to the sources."""
    from .citation import check_format, cite

    def go() -> None:
        fmt = check_format(format)
        with _lake() as lake:
            sys.stdout.write(cite(lake, lake.node_iri(model), fmt))
    _run(go)


@app.command("versions")
def versions_cmd(
    node: Annotated[str, typer.Argument(help="Model or data set id or IRI")],
    format: Annotated[str, typer.Option(help="table or json")] = "table",
) -> None:
    """The version line of a model or data set, newest first, with labels and aliases."""
    from .versions import line_root, version_line

    def go() -> None:
        with _lake() as lake:
            line = version_line(lake, lake.node_iri(node))
            root = lake.local_id(line_root(line))
        if format == "json":
            sys.stdout.write(json.dumps([v.to_json() for v in line], indent=2,
                                        ensure_ascii=False) + "\n")
            return
        table = Table("id", "version", "title", "created", "stage", "aliases",
                      title=f"version line of {root}")
        for v in line:
            table.add_row(v.id, v.label or "—", v.title or "—", v.created or "—",
                          v.stage or "—", ", ".join(v.aliases))
        console.print(table)
    _run(go)


@app.command("alias")
def alias_cmd(
    model: Annotated[str, typer.Argument(help="The model version the alias should point at")],
    name: Annotated[str, typer.Argument(help="The alias, e.g. production or champion")],
) -> None:
    """Point an alias of a model line at a version (create or move it; a recorded write)."""
    from .versions import set_alias

    def go() -> None:
        with _lake() as lake:
            move = set_alias(lake, lake.node_iri(model), name)
            local = lake.local_id
        if not move.changed:
            console.print(f"{name} already points at {local(str(move.version))}",
                          highlight=False)
        elif move.previous is None:
            console.print(f"{name} → {local(str(move.version))} (new alias)", highlight=False)
        else:
            console.print(f"{name}: {local(str(move.previous))} → {local(str(move.version))}",
                          highlight=False)
    _run(go)


@app.command("diff")
def diff_cmd(
    old: Annotated[str, typer.Argument(help="The older model version")],
    new: Annotated[str, typer.Argument(help="The newer model version")],
    format: Annotated[str, typer.Option(help="table or json")] = "table",
) -> None:
    """What changed from one model version to another: hyperparameters, training data,
    metrics and documentation fields (added, removed, changed)."""
    from .compare import _text
    from .versions import diff

    def go() -> None:
        with _lake() as lake:
            result = diff(lake, lake.node_iri(old), lake.node_iri(new))
        if format == "json":
            sys.stdout.write(json.dumps(result.to_json(), indent=2, ensure_ascii=False,
                                        default=str) + "\n")
            return
        if not result.changes:
            console.print("no differences")
            return
        colours = {"added": "green", "removed": "red", "changed": "yellow"}
        table = Table("", "aspect", "name", old, new, title=f"{len(result.changes)} change(s)")
        for c in result.changes:
            table.add_row(f"[{colours[c.change]}]{c.change}[/{colours[c.change]}]", c.aspect,
                          c.name, _text(c.old), _text(c.new))
        console.print(table)
    _run(go)


@app.command("history")
def history_cmd(
    node: Annotated[str, typer.Argument(help="Local id or IRI (deleted nodes too)")],
) -> None:
    """Every recorded write of a node: action, time, revision, who, snapshot kept."""
    from .history import events

    def go() -> None:
        with _lake() as lake:
            rows = events(lake, lake.node_iri(node))
        table = Table("time", "action", "revision", "by", "snapshot")
        for e in rows:
            table.add_row(e["at"], e["action"], e["revision"],
                          f"{e['principal'] or '?'} ({e['role'] or '?'})",
                          "yes" if e["snapshot"] else "no")
        console.print(table)
    _run(go)
