"""How long one validated registration takes as the lake grows (embedded store, in process).

    python bench/registration.py [--sizes 0 1000 10000] [--repeat 50]

For each lake size it fills a fresh in-memory lake with that many models (each with its data
set and administrator, written in batches through the same write path), then times single
registrations of a new model — parse-free, from a prepared graph — through Lake.register, which
splits, closes, checks references, validates with SHACL and writes in one transaction. It
prints p50/p99 and the ratio of p50 to the empty lake's p50: the design says it must stay flat.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from modellake.lake import Lake
from modellake.namespaces import DCTERMS, FOAF, ML, RDF
from modellake.settings import Settings
from modellake.store import EmbeddedStore
from modellake.system_graphs import install_system_graphs

BASE = Settings().base_iri


def model_graph(i: int, *, with_data: bool) -> Graph:
    g = Graph()
    agent, data, model = (URIRef(f"{BASE}{kind}-{i}") for kind in ("agent", "dataset", "model"))
    if with_data:
        g.add((agent, RDF.type, ML.Person))
        g.add((agent, FOAF.name, Literal(f"Person {i}")))
        g.add((data, RDF.type, ML.Dataset))
        g.add((data, DCTERMS.title, Literal(f"Data set {i}")))
        g.add((data, ML.storageLocation, Literal(f"s3://lake/{i}.csv", datatype=XSD.anyURI)))
        g.add((data, ML.owner, agent))
        g.add((data, DCTERMS.created, Literal("2024-01-01", datatype=XSD.date)))
    g.add((model, RDF.type, ML.Model))
    g.add((model, DCTERMS.title, Literal(f"Model {i}")))
    g.add((model, ML.usesAlgorithm, ML.RandomForest))
    g.add((model, ML.trainedOn, data))
    g.add((model, ML.administrator, agent))
    g.add((model, DCTERMS.created, Literal("2024-01-02", datatype=XSD.date)))
    return g


def fill(lake: Lake, size: int, batch: int = 500) -> None:
    for start in range(0, size, batch):
        g = Graph()
        for i in range(start, min(size, start + batch)):
            g += model_graph(i, with_data=True)
        lake.register(g)


def measure(size: int, repeat: int) -> list[float]:
    settings = Settings()
    store = EmbeddedStore()
    install_system_graphs(store)
    lake = Lake(store, settings)
    fill(lake, size)
    # The new models reuse data set 0 and agent 0 when the lake has them.
    seed = Graph() if size else model_graph(0, with_data=True)
    if not size:
        lake.register(seed)
    timings = []
    warm_up = 5  # the first writes of a process fill caches (shapes, vocabulary): not timed
    for k in range(repeat + warm_up):
        g = model_graph(0, with_data=False)
        g2 = Graph()
        new = URIRef(f"{BASE}model-new-{k}")
        for s, p, o in g:
            g2.add((new if s == URIRef(f"{BASE}model-0") else s, p, o))
        started = time.perf_counter()
        lake.register(g2)
        if k >= warm_up:
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
          f"Python {sys.version.split()[0]}, {platform.platform()}")
    print(f"{'models in lake':>15} {'p50 ms':>9} {'p99 ms':>9} {'p50 / empty':>12}")
    empty_p50 = None
    for size in args.sizes:
        timings = sorted(measure(size, args.repeat))
        p50 = statistics.median(timings)
        p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
        empty_p50 = empty_p50 or p50
        print(f"{size:>15} {p50:>9.1f} {p99:>9.1f} {p50 / empty_p50:>12.2f}", flush=True)


if __name__ == "__main__":
    main()
