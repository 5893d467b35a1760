"""Model Lake benchmarks, from a thousand to a million models, on both stores.

    python -m bench.run --sizes 1000 10000 [--stores embedded fuseki] [--workdir var/bench]
    make bench SIZE="1000 10000"

For each size it generates the lake (bench/generate.py, cached in the work directory) and, on
the embedded store (Oxigraph) and on Fuseki (started here with fuseki/start.sh on a free port in
a temporary directory, stopped after):

* bulk load: the project's loader (Store.bulk_load_file) against the raw store's own bulk load
  of the same file (pyoxigraph's Store.bulk_load; Jena's tdb2.tdbloader into a fresh TDB2
  directory and a plain Graph Store Protocol upload with curl), in triples per second;
* registration of one model (model, training run, hyperparameter set, evaluations) through the
  HTTP API with SHACL validation, on the lake loaded at that size and on an almost empty one
  (the generator's one-model lake): p50, p99, throughput;
* lineage at depth 10 through the API (JSON-LD), next to the same CONSTRUCT sent straight to the
  store — over the SPARQL protocol to Fuseki asking for JSON-LD, in process on Oxigraph;
* impact (lineage/downstream) and erasure impact (compliance/erasure-impact), p50 and p99;
* the whole compliance pack through the API, once;
* against MLflow (its tracking server started here on loopback with a SQLite store): logging one
  run with its params, metrics and input data set versus registering the same through the API,
  and a filtered search (a parameter value and a metric threshold) over the lake's runs versus
  the named query search/models-by-hyperparameter-and-metric (sizes up to 10^4 models);
* the peak resident memory of the API process (and of Fuseki's JVM).

The API runs as a real server (``modellake serve``, uvicorn) in its own process, so latencies
include HTTP and its memory is its own. Every figure is measured by this program; the table ends
with the targets of the benchmark issue and whether each is met.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

if __package__ in (None, ""):  # run as a script: python bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import FORMAT, LakeGenerator, generate, manifest_path
from modellake.catalogue import default_catalogue
from modellake.settings import Settings
from modellake.store import EmbeddedStore, RemoteStore

ROOT = Path(__file__).resolve().parent.parent
FUSEKI = ROOT / "fuseki"
TOKEN = "bench-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON_LD = "application/ld+json"
ML = "https://w3id.org/modellake#"
SEARCH = {"parameter": "max_depth", "value": "8", "measure": ML + "Accuracy",
          "threshold": "0.9"}
MLFLOW_FILTER = "params.max_depth = '8' and metrics.accuracy > 0.9"
console = Console()


# -- small helpers ---------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Timings:
    """Latencies in milliseconds, and how long the timed loop took in all."""

    values: list[float] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.values)

    @property
    def p99(self) -> float:
        return percentile(self.values, 0.99)

    @property
    def per_second(self) -> float:
        return len(self.values) / self.wall_s if self.wall_s else 0.0

    def to_json(self) -> dict[str, float]:
        return {"p50_ms": round(self.p50, 2), "p99_ms": round(self.p99, 2),
                "n": len(self.values), "per_s": round(self.per_second, 2)}


def timed(action: Callable[[int], object], repeat: int, warm_up: int = 3) -> Timings:
    for k in range(warm_up):
        action(-1 - k)
    out = Timings()
    started = time.perf_counter()
    for k in range(repeat):
        t0 = time.perf_counter()
        action(k)
        out.values.append((time.perf_counter() - t0) * 1000)
    out.wall_s = time.perf_counter() - started
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def wait_for(url: str, *, seconds: float, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process serving {url} exited ({process.returncode})")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


# -- the machine -----------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    jena = dict(line.split("=", 1) for line in (FUSEKI / "VERSION").read_text().splitlines()
                if "=" in line and not line.startswith("#"))
    try:
        import mlflow

        mlflow_version = mlflow.__version__
    except ImportError:
        mlflow_version = "not installed"
    return {
        "CPU": cpu, "cores": str(os.cpu_count()), "RAM": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "OS": platform.platform(), "Python": sys.version.split()[0],
        "Java": java.splitlines()[0] if java else "not found",
        "pyoxigraph": ox.__version__, "Jena Fuseki": jena.get("JENA_VERSION", "?"),
        "MLflow": mlflow_version,
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# -- stores and servers ----------------------------------------------------------------------------

@dataclass
class Fuseki:
    run_dir: Path
    url: str
    password: str

    @property
    def pid(self) -> int:
        return int((self.run_dir / "fuseki.pid").read_text())

    def remote(self) -> RemoteStore:
        return RemoteStore(Settings.for_sparql_server(self.url, "modellake", self.password))


@contextmanager
def fuseki(run_dir: Path, heap: str) -> Iterator[Fuseki]:
    port = free_port()
    proc = subprocess.run(["bash", str(FUSEKI / "start.sh"), str(run_dir), str(port)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "FUSEKI_HEAP": heap})
    if proc.returncode != 0:
        raise RuntimeError(f"Fuseki did not start: {proc.stderr.strip()}")
    server = Fuseki(run_dir, f"http://127.0.0.1:{port}/modellake",
                    (run_dir / "password").read_text().strip())
    try:
        yield server
    finally:
        subprocess.run(["bash", str(FUSEKI / "stop.sh"), str(run_dir)], check=False,
                       capture_output=True)


def fuseki_jar() -> str:
    return subprocess.run(["bash", str(FUSEKI / "install.sh")], capture_output=True, text=True,
                          check=True).stdout.strip()


@dataclass
class Api:
    base: str
    process: subprocess.Popen[bytes]
    client: httpx.Client

    @property
    def pid(self) -> int:
        return self.process.pid


@contextmanager
def api_server(store_args: list[str], env: dict[str, str], log: Path) -> Iterator[Api]:
    port = free_port()
    program = str(Path(sys.executable).with_name("modellake"))
    command = [program, *store_args, "serve", "--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, **env, "MODELLAKE_TOKENS": json.dumps({TOKEN: "admin"})})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz", seconds=300, process=process)
        with httpx.Client(base_url=base, timeout=httpx.Timeout(900, connect=10)) as client:
            yield Api(base, process, client)
    finally:
        stop(process)


def check(response: httpx.Response, *expected: int) -> httpx.Response:
    if response.status_code not in (expected or (200,)):
        raise RuntimeError(f"{response.request.method} {response.request.url} → "
                           f"{response.status_code}: {response.text[:400]}")
    return response


# -- the measurements ------------------------------------------------------------------------------

@dataclass
class Lake:
    """A generated lake: its file, its manifest and what the measurements start from."""

    size: int
    path: Path
    manifest: dict[str, Any]

    @property
    def quads(self) -> int:
        return int(self.manifest["quads"])

    @property
    def sample(self) -> dict[str, Any]:
        return dict(self.manifest["sample"])

    def local(self, iri: str) -> str:
        return iri[len(self.manifest["base_iri"]):]


def lake_file(workdir: Path, size: int, seed: int, compressed: bool = False) -> Lake:
    path = workdir / f"lake-{size}-seed{seed}.nq{'.gz' if compressed else ''}"
    meta = manifest_path(path)
    if path.is_file() and meta.is_file():
        manifest = json.loads(meta.read_text())
        if (manifest.get("file_bytes") == path.stat().st_size
                and manifest.get("format") == FORMAT):
            console.print(f"[dim]reusing {path} ({manifest['quads']:,} quads)[/dim]")
            return Lake(size, path, manifest)
    started = time.perf_counter()
    result = generate(path, size, seed=seed, progress=console.is_terminal)
    elapsed = time.perf_counter() - started
    result.manifest["generate_s"] = round(elapsed, 1)
    meta.write_text(json.dumps(result.manifest, indent=1) + "\n")
    console.print(f"generated {size:,} models: {result.manifest['quads']:,} quads in "
                  f"{elapsed:.1f} s")
    return Lake(size, path, result.manifest)


class Registrations:
    """New models to register on a lake: each a model with its training run, hyperparameter
    set and evaluations, pointing at data sets, people and code the lake already has."""

    def __init__(self, lake: Lake, prefix: str) -> None:
        self.generator = LakeGenerator(1, seed=99, base_iri=lake.manifest["base_iri"])
        self.sample = lake.sample
        self.prefix = prefix

    def write(self, k: int) -> Any:
        datasets = self.sample["final_datasets"]
        return self.generator.model_write(
            f"model-{self.prefix}-{k + 10}", dataset=datasets[k % len(datasets)],
            domain="benchmark", people=self.sample["people"], code=self.sample["code"],
            at=datetime(2025, 6, 1, tzinfo=UTC))


def measure_registration(api: Api, lake: Lake, prefix: str, repeat: int) -> Timings:
    writes = Registrations(lake, prefix)

    def register(k: int) -> None:
        body = writes.write(k).ntriples().encode()
        check(api.client.post("/api/v1/records", content=body,
                              headers={**AUTH, "Content-Type": "application/n-triples"}), 201)

    return timed(register, repeat, warm_up=5)


def lineage_sample(lake: Lake) -> list[str]:
    return list(lake.sample["models"])[:20]


def measure_api_reads(api: Api, lake: Lake, repeat: int) -> dict[str, Any]:
    models = lineage_sample(lake)
    out: dict[str, Any] = {}

    def lineage(k: int) -> None:
        model = lake.local(models[k % len(models)])
        check(api.client.get(f"/api/v1/models/{quote(model)}/lineage",
                             params={"depth": 10}, headers={"Accept": JSON_LD}))

    out["lineage_api"] = timed(lineage, repeat)
    sources = list(lake.sample["sources"])

    def impact(k: int) -> None:
        source = lake.local(sources[k % len(sources)])
        check(api.client.get(f"/api/v1/sources/{quote(source)}/impact",
                             headers={"Accept": JSON_LD}))

    out["impact"] = timed(impact, max(5, repeat // 2))
    personal = list(lake.sample["personal_sources"]) or sources

    def erasure(k: int) -> None:
        check(api.client.get("/api/v1/queries/compliance/erasure-impact",
                             params={"node": personal[k % len(personal)]}))

    out["erasure_impact"] = timed(erasure, max(5, repeat // 2))
    return out


def lineage_triples_api(api: Api, lake: Lake, model: str) -> int:
    from rdflib import Graph

    body = check(api.client.get(f"/api/v1/models/{quote(lake.local(model))}/lineage",
                                params={"depth": 10}, headers={"Accept": JSON_LD})).text
    return len(Graph().parse(data=body, format="json-ld"))


def measure_compliance(api: Api, limit_s: float) -> dict[str, Any]:
    """The whole pack once; measured last on a server, since a pack that outlasts the limit
    keeps the server busy."""
    started = time.perf_counter()
    try:
        response = api.client.get("/api/v1/compliance", timeout=limit_s,
                                  headers={**AUTH, "Accept": "application/json"})
    except httpx.TimeoutException:
        return {"seconds": limit_s, "error": f"no answer within {limit_s:.0f} s"}
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        return {"seconds": round(elapsed, 2), "error": f"{response.status_code}: "
                f"{response.text[:200]}"}
    body = response.json()
    return {"seconds": round(elapsed, 2), "checks": body["summary"]["checks"],
            "findings": body["summary"]["findings"],
            "scored_models": len(body.get("documentation", {}))}


def direct_lineage_oxigraph(path: Path, lake: Lake, repeat: int) -> tuple[Timings, list[int]]:
    catalogue = default_catalogue()
    store = ox.Store(str(path))
    models = lineage_sample(lake)
    queries = [catalogue.bind("lineage/upstream", {"node": m}) for m in models]
    counts = [len(list(store.query(q, use_default_graph_as_union=True))) for q in queries[:5]]

    def run(k: int) -> None:
        list(store.query(queries[k % len(queries)], use_default_graph_as_union=True))

    return timed(run, repeat), counts  # the store closes when the closure goes


def direct_lineage_fuseki(server: Fuseki, lake: Lake, repeat: int) -> tuple[Timings, list[int]]:
    from rdflib import Graph

    catalogue = default_catalogue()
    models = lineage_sample(lake)
    queries = [catalogue.bind("lineage/upstream", {"node": m}) for m in models]
    with httpx.Client(timeout=300) as client:
        def ask(query: str) -> httpx.Response:
            return check(client.post(f"{server.url}/query", data={"query": query},
                                     headers={"Accept": JSON_LD}))

        counts = [len(Graph().parse(data=ask(q).text, format="json-ld")) for q in queries[:5]]
        timings = timed(lambda k: ask(queries[k % len(queries)]), repeat)
    return timings, counts


# -- MLflow ----------------------------------------------------------------------------------------

@contextmanager
def mlflow_server(workdir: Path, runs: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """MLflow's tracking server on loopback with a SQLite store holding ``runs``."""
    import sqlalchemy
    from mlflow.entities import Dataset as MlflowDataset
    from mlflow.entities import DatasetInput, InputTag, Metric, Param, RunStatus
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    rmtree(workdir)
    workdir.mkdir(parents=True)
    db = f"sqlite:///{workdir / 'mlflow.db'}"
    artifacts = workdir / "artifacts"
    store = SqlAlchemyStore(db, str(artifacts))
    # The fill does not wait for the disk after each run (SQLite's synchronous=OFF, for these
    # connections only); the server opens its own, with MLflow's settings.
    store.engine.dispose()
    sqlalchemy.event.listen(store.engine, "connect",
                            lambda connection, _: connection.execute("PRAGMA synchronous=OFF"))
    experiment = store.create_experiment("model-lake-bench")
    # Filling the store is not timed: it goes through MLflow's own store code in process.
    started = time.perf_counter()
    now = int(time.time() * 1000)
    for i, run in enumerate(runs):
        created = store.create_run(experiment, "bench", now + i, [], run["title"])
        run_id = created.info.run_id
        store.log_batch(run_id, [Metric(k, float(v), now + i, 0)
                                 for k, v in run["metrics"].items()],
                        [Param(k, str(v)) for k, v in run["params"].items()], [])
        dataset = MlflowDataset(name=run["dataset"].rsplit("/", 1)[-1],
                                digest=f"{abs(hash(run['dataset'])) % 10**8:08d}",
                                source_type="http", source=json.dumps({"url": run["dataset"]}))
        store.log_inputs(run_id, [DatasetInput(dataset, [InputTag("mlflow.data.context",
                                                                  "training")])])
        store.update_run_info(run_id, RunStatus.FINISHED, now + i,
                              run["title"])
    console.print(f"[dim]MLflow store filled with {len(runs):,} runs in "
                  f"{time.perf_counter() - started:.1f} s[/dim]")
    store.engine.dispose()
    port = free_port()
    log = (workdir / "server.log").open("ab")
    # One worker like our API; no background job runner (scoring and trace schedulers), which a
    # tracking server for runs does not need and which would compete for the CPU.
    process = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "server", "--backend-store-uri", db,
         "--default-artifact-root", str(artifacts), "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1"], stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"})
    uri = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{uri}/health", seconds=180, process=process)
        yield uri, experiment
    finally:
        stop(process)
        log.close()


def measure_mlflow(workdir: Path, lake: Lake, api: Api, repeat: int) -> dict[str, Any]:
    from mlflow.entities import Dataset as MlflowDataset
    from mlflow.entities import DatasetInput, InputTag, Metric, Param
    from mlflow.tracking import MlflowClient

    os.environ["MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT"] = "true"
    runs = [w.run for w in LakeGenerator(lake.size, seed=lake.manifest["seed"]).writes()
            if w.kind == "model" and w.run]
    writes = Registrations(lake, "mlflow")
    out: dict[str, Any] = {"runs": len(runs)}
    with mlflow_server(workdir / "mlflow", runs) as (uri, experiment):
        client = MlflowClient(uri)

        # MLflow's leanest path for a whole run: four requests (the fluent API adds more, and
        # looks up git and the environment on every start_run).
        def log_run(k: int) -> None:
            run = writes.write(k).run
            now = int(time.time() * 1000)
            run_id = client.create_run(experiment, run_name=run["title"]).info.run_id
            client.log_batch(run_id, metrics=[Metric(n, float(v), now, 0)
                                              for n, v in run["metrics"].items()],
                             params=[Param(n, str(v)) for n, v in run["params"].items()])
            dataset = MlflowDataset(name=run["dataset"].rsplit("/", 1)[-1], digest="0" * 8,
                                    source_type="http",
                                    source=json.dumps({"url": run["dataset"]}))
            client.log_inputs(run_id, [DatasetInput(dataset, [
                InputTag("mlflow.data.context", "training")])])
            client.set_terminated(run_id)

        out["log_run"] = timed(log_run, repeat, warm_up=5)
        found = client.search_runs([experiment], filter_string=MLFLOW_FILTER,
                                   max_results=50_000)

        def search(k: int) -> None:
            client.search_runs([experiment], filter_string=MLFLOW_FILTER, max_results=50_000)

        out["search"] = timed(search, max(5, repeat // 5), warm_up=1)
        out["search_hits"] = len(found)
    # The same registration through the API, on the same lake, interleaved with nothing else.
    out["register"] = measure_registration(api, lake, "mlflow-ours", repeat)

    def named_query(k: int) -> httpx.Response:
        return check(api.client.get("/api/v1/queries/search/models-by-hyperparameter-and-metric",
                                    params=SEARCH))

    rows = named_query(0).json()["results"]["bindings"]
    # Models registered by the comparison above carry random metrics: count only the lake's own.
    out["query_hits"] = sum(1 for r in rows if "-mlflow" not in r["model"]["value"])
    out["query"] = timed(named_query, max(5, repeat // 5), warm_up=1)
    return out


# -- one store, one size ---------------------------------------------------------------------------

def run_embedded(lake: Lake, work: Path, args: argparse.Namespace,
                 baseline: Lake | None) -> dict[str, Any]:
    out: dict[str, Any] = {"store": "embedded"}
    raw_dir, project_dir = work / "oxigraph-raw", work / "oxigraph"
    rmtree(raw_dir)
    rmtree(project_dir)
    if not args.skip_raw:
        started = time.perf_counter()
        raw = ox.Store(str(raw_dir))
        raw.bulk_load(path=str(lake.path), format=ox.RdfFormat.N_QUADS)
        raw.flush()
        out["load_raw_s"] = time.perf_counter() - started
        del raw
        gc.collect()
        rmtree(raw_dir)
    started = time.perf_counter()
    store = EmbeddedStore(project_dir)
    store.bulk_load_file(lake.path)
    store.close()
    out["load_project_s"] = time.perf_counter() - started
    gc.collect()
    out["store_mb"] = round(sum(f.stat().st_size for f in project_dir.rglob("*")
                                if f.is_file()) / 1e6, 1)
    timings, counts = direct_lineage_oxigraph(project_dir, lake, args.repeat)
    gc.collect()  # Oxigraph's lock on the directory goes with the store object
    out["lineage_direct"], out["lineage_direct_triples"] = timings, counts
    log = work / "api-embedded.log"
    with api_server(["--data-dir", str(project_dir)], {}, log) as api:
        out["lineage_api_triples"] = [lineage_triples_api(api, lake, m)
                                      for m in lineage_sample(lake)[:5]]
        out.update(measure_api_reads(api, lake, args.repeat))
        if not args.only_load:
            out["register"] = measure_registration(api, lake, "bench", args.repeat)
            if args.mlflow and lake.size <= args.mlflow_max:
                out["mlflow"] = measure_mlflow(work, lake, api, args.repeat)
            if not args.skip_compliance:
                out["compliance"] = measure_compliance(api, args.compliance_limit)
        out["api_peak_mb"] = peak_rss_mb(api.pid)
    if baseline is not None:
        out["register_empty"] = baseline_registration_embedded(baseline, work, args)
    if not args.keep:
        rmtree(project_dir)
    return out


def baseline_registration_embedded(baseline: Lake, work: Path, args: argparse.Namespace,
                                   ) -> Timings:
    directory = work / "oxigraph-empty"
    rmtree(directory)
    store = EmbeddedStore(directory)
    store.bulk_load_file(baseline.path)
    store.close()
    gc.collect()
    with api_server(["--data-dir", str(directory)], {}, work / "api-embedded.log") as api:
        timings = measure_registration(api, baseline, "bench", args.repeat)
    rmtree(directory)
    return timings


def tdbloader(lake: Lake, directory: Path, heap: str) -> float:
    rmtree(directory)
    started = time.perf_counter()
    subprocess.run(["java", f"-Xmx{heap}", "-cp", fuseki_jar(), "tdb2.tdbloader",
                    "--loc", str(directory), str(lake.path)],
                   check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    rmtree(directory)
    return elapsed


def curl_upload(server: Fuseki, lake: Lake) -> float:
    started = time.perf_counter()
    subprocess.run(["curl", "-sS", "--fail", "-u", f"modellake:{server.password}", "-X", "POST",
                    "-H", "Content-Type: application/n-quads", "-T", str(lake.path),
                    f"{server.url}/data"], check=True, capture_output=True)
    return time.perf_counter() - started


def run_fuseki(lake: Lake, work: Path, args: argparse.Namespace,
               baseline: Lake | None) -> dict[str, Any]:
    out: dict[str, Any] = {"store": "fuseki"}
    if not args.skip_raw:
        out["load_raw_s"] = tdbloader(lake, work / "tdbloader", args.fuseki_heap)
        run_dir = Path(tempfile.mkdtemp(prefix="fuseki-raw-", dir=work))
        try:
            with fuseki(run_dir, args.fuseki_heap) as server:
                out["load_raw_gsp_s"] = curl_upload(server, lake)
        finally:
            rmtree(run_dir)
    run_dir = Path(tempfile.mkdtemp(prefix="fuseki-", dir=work))
    try:
        with fuseki(run_dir, args.fuseki_heap) as server:
            remote = server.remote()
            started = time.perf_counter()
            remote.bulk_load_file(lake.path)
            out["load_project_s"] = time.perf_counter() - started
            remote.close()
            timings, counts = direct_lineage_fuseki(server, lake, args.repeat)
            out["lineage_direct"], out["lineage_direct_triples"] = timings, counts
            store_args = ["--sparql-url", server.url, "--sparql-user", "modellake"]
            env = {"MODELLAKE_SPARQL_PASSWORD": server.password}
            with api_server(store_args, env, work / "api-fuseki.log") as api:
                out["lineage_api_triples"] = [lineage_triples_api(api, lake, m)
                                              for m in lineage_sample(lake)[:5]]
                out.update(measure_api_reads(api, lake, args.repeat))
                if not args.only_load:
                    out["register"] = measure_registration(api, lake, "bench", args.repeat)
                    if not args.skip_compliance:
                        out["compliance"] = measure_compliance(api, args.compliance_limit)
                out["api_peak_mb"] = peak_rss_mb(api.pid)
            out["fuseki_peak_mb"] = peak_rss_mb(server.pid)
            out["store_mb"] = round(sum(f.stat().st_size for f in (run_dir / "tdb2").rglob("*")
                                        if f.is_file()) / 1e6, 1)
        if baseline is not None:
            out["register_empty"] = baseline_registration_fuseki(baseline, work, args)
    finally:
        rmtree(run_dir)
    return out


def baseline_registration_fuseki(baseline: Lake, work: Path, args: argparse.Namespace,
                                 ) -> Timings:
    run_dir = Path(tempfile.mkdtemp(prefix="fuseki-empty-", dir=work))
    try:
        with fuseki(run_dir, args.fuseki_heap) as server:
            remote = server.remote()
            remote.bulk_load_file(baseline.path)
            remote.close()
            store_args = ["--sparql-url", server.url, "--sparql-user", "modellake"]
            env = {"MODELLAKE_SPARQL_PASSWORD": server.password}
            with api_server(store_args, env, work / "api-fuseki.log") as api:
                return measure_registration(api, baseline, "bench", args.repeat)
    finally:
        rmtree(run_dir)


# -- the report ------------------------------------------------------------------------------------

def _ms(t: Timings | Summary | None) -> str:
    return f"{t.p50:.1f} / {t.p99:.1f}" if t else "–"


def _ratio(a: float | None, b: float | None, digits: int = 2) -> str:
    return f"{a / b:.{digits}f}" if a and b else "–"


def report(size: int, lake: Lake, results: dict[str, dict[str, Any]]) -> tuple[Table, str]:
    """The results of one size as a rich table and as a Markdown table (for the docs)."""
    stores = [s for s in ("embedded", "fuseki") if s in results]
    title = (f"{size:,} models — {lake.quads:,} quads, {lake.manifest['graphs']:,} named graphs "
             f"({lake.manifest['bytes'] / 1e6:,.0f} MB of N-Quads)")
    table = Table(title=title, title_justify="left")
    table.add_column("measure")
    for store in stores:
        table.add_column(store, justify="right")
    markdown = [f"#### {title}", "", "| measure | " + " | ".join(stores) + " |",
                "|---|" + "---:|" * len(stores)]

    def row(name: str, value: Callable[[dict[str, Any]], str]) -> None:
        cells = []
        for store in stores:
            try:
                cells.append(value(results[store]))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("–")
        table.add_row(name, *cells)
        markdown.append(f"| {name} | " + " | ".join(cells) + " |")

    q = lake.quads
    row("load, project loader (triples/s)", lambda r: f"{q / r['load_project_s']:,.0f}")
    row("load, raw store (triples/s)", lambda r: f"{q / r['load_raw_s']:,.0f}"
        + (" tdbloader" if r["store"] == "fuseki" else ""))
    row("load, raw GSP upload by curl (triples/s)",
        lambda r: f"{q / r['load_raw_gsp_s']:,.0f}" if "load_raw_gsp_s" in r else "–")
    row("project / raw rate", lambda r: _ratio(r["load_raw_s"], r["load_project_s"])
        + (f" ({_ratio(r['load_raw_gsp_s'], r['load_project_s'])} vs GSP)"
           if "load_raw_gsp_s" in r else ""))
    row("store on disk (MB)", lambda r: f"{r['store_mb']:,.0f}")
    row("register p50 / p99 (ms)", lambda r: _ms(r["register"]))
    row("register throughput (per s)", lambda r: f"{r['register'].per_second:.1f}")
    row("register p50, nearly empty lake (ms)", lambda r: f"{r['register_empty'].p50:.1f}")
    row("register p50 / nearly empty", lambda r: _ratio(r["register"].p50,
                                                         r["register_empty"].p50))
    row("lineage depth 10, API JSON-LD p50 / p99 (ms)", lambda r: _ms(r["lineage_api"]))
    row("same CONSTRUCT direct p50 / p99 (ms)", lambda r: _ms(r["lineage_direct"])
        + (" JSON-LD" if r["store"] == "fuseki" else " in process"))
    row("lineage API / direct (p50; p99)",
        lambda r: f"{_ratio(r['lineage_api'].p50, r['lineage_direct'].p50, 1)}; "
                  f"{_ratio(r['lineage_api'].p99, r['lineage_direct'].p99, 1)}")
    row("lineage triples, API vs direct (5 models)",
        lambda r: f"{sum(r['lineage_api_triples'])} vs {sum(r['lineage_direct_triples'])}")
    row("impact of a source p50 / p99 (ms)", lambda r: _ms(r["impact"]))
    row("erasure impact p50 / p99 (ms)", lambda r: _ms(r["erasure_impact"]))
    row("compliance pack (s)", lambda r: f"{r['compliance']['seconds']:.1f}"
        + (f" ({r['compliance']['findings']:,} findings)" if "findings" in r["compliance"]
           else f" {r['compliance'].get('error', '')}"))
    row("MLflow: log one run p50 (ms)", lambda r: f"{r['mlflow']['log_run'].p50:.1f}")
    row("ours: register the same p50 (ms)", lambda r: f"{r['mlflow']['register'].p50:.1f}")
    row("ours / MLflow (logging)", lambda r: _ratio(r["mlflow"]["register"].p50,
                                                    r["mlflow"]["log_run"].p50))
    row("MLflow: search runs p50 (ms)",
        lambda r: f"{r['mlflow']['search'].p50:.1f} ({r['mlflow']['search_hits']} of "
                  f"{r['mlflow']['runs']:,})")
    row("ours: named query p50 (ms)",
        lambda r: f"{r['mlflow']['query'].p50:.1f} ({r['mlflow']['query_hits']})")
    row("MLflow / ours (search speed-up)", lambda r: _ratio(r["mlflow"]["search"].p50,
                                                            r["mlflow"]["query"].p50, 1))
    row("API process peak memory (MB)", lambda r: f"{r['api_peak_mb']:,.0f}")
    row("Fuseki JVM peak memory (MB)", lambda r: f"{r['fuseki_peak_mb']:,.0f}"
        if "fuseki_peak_mb" in r else "–")
    return table, "\n".join(markdown) + "\n"


@dataclass
class Summary:
    """Timings read back from a results file (p50, p99 and rate only)."""

    p50: float
    p99: float
    per_second: float


def from_json(value: Any) -> Any:
    if isinstance(value, dict) and "p50_ms" in value:
        return Summary(value["p50_ms"], value["p99_ms"], value["per_s"])
    if isinstance(value, dict):
        return {k: from_json(v) for k, v in value.items()}
    return value


def print_saved(path: Path) -> None:
    """Print the tables of a results file written by --json (and its Markdown beside it)."""
    saved = json.loads(path.read_text())
    for size, entry in saved["sizes"].items():
        lake = Lake(int(size), Path(), entry["manifest"])
        table, markdown = report(int(size), lake, from_json(entry["results"]))
        console.print(table)
        path.with_suffix(f".{size}.md").write_text(markdown, encoding="utf-8")


def to_json(value: Any) -> Any:
    if isinstance(value, Timings):
        return value.to_json()
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, float):
        return round(value, 3)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--stores", nargs="+", default=["embedded", "fuseki"],
                        choices=["embedded", "fuseki"])
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=50, help="timed calls per measure")
    parser.add_argument("--no-mlflow", dest="mlflow", action="store_false")
    parser.add_argument("--mlflow-max", type=int, default=10_000,
                        help="largest size with the MLflow comparison (its runs are filled in)")
    parser.add_argument("--skip-raw", action="store_true", help="no raw-store loads")
    parser.add_argument("--skip-compliance", action="store_true")
    parser.add_argument("--compliance-limit", type=float, default=600,
                        help="seconds to wait for the compliance pack")
    parser.add_argument("--only-load", action="store_true",
                        help="load and lineage only (for the largest sizes)")
    parser.add_argument("--no-baseline", dest="baseline", action="store_false",
                        help="skip registration on a nearly empty lake")
    parser.add_argument("--gzip", action="store_true",
                        help="write the generated lakes gzip-compressed and load them so (for "
                             "10^6 models, whose N-Quads take 24 GB); needs --skip-raw")
    parser.add_argument("--fuseki-heap", default="4g")
    parser.add_argument("--keep", action="store_true", help="keep the embedded store afterwards")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--print", type=Path, metavar="RESULTS",
                        help="only print the tables of a results file written by --json")
    args = parser.parse_args(argv)
    if args.gzip and not args.skip_raw:
        parser.error("--gzip needs --skip-raw (the raw stores' loaders read plain N-Quads here)")
    if args.print:
        print_saved(args.print)
        return 0
    if args.mlflow:
        try:
            import mlflow  # noqa: F401
        except ImportError:
            console.print("[yellow]mlflow is not installed (pip install -e '.[bench]'): "
                          "the MLflow comparison is skipped[/yellow]")
            args.mlflow = False
    args.workdir.mkdir(parents=True, exist_ok=True)
    info = machine()
    table = Table(title="Machine", show_header=False, title_justify="left")
    for key, value in info.items():
        table.add_row(key, value)
    console.print(table)
    baseline = lake_file(args.workdir, 1, args.seed) if args.baseline else None
    everything: dict[str, Any] = {"machine": info, "sizes": {}}
    for size in args.sizes:
        lake = lake_file(args.workdir, size, args.seed, compressed=args.gzip)
        results: dict[str, dict[str, Any]] = {}
        for store in args.stores:
            console.print(f"[bold]{size:,} models on {store}[/bold]")
            runner = run_embedded if store == "embedded" else run_fuseki
            work = args.workdir / f"{store}-{size}"
            work.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            results[store] = runner(lake, work, args, baseline)
            results[store]["total_s"] = time.perf_counter() - started
        table, markdown = report(size, lake, results)
        console.print(table)
        if args.json:
            args.json.with_suffix(f".{size}.md").write_text(markdown, encoding="utf-8")
        everything["sizes"][str(size)] = {"manifest": {k: v for k, v in lake.manifest.items()
                                                       if k != "sample"},
                                          "results": results}
        if args.json:
            args.json.write_text(json.dumps(to_json(everything), indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
