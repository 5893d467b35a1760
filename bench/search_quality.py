"""Search quality (precision@5 over labelled queries) and discovery timings; writes the report.

    python bench/search_quality.py [--out docs/search-quality.md]

It builds the demo lake (modellake.demo, about 15–60 s) on an in-memory embedded store,
registers the published records of tests/data/search/imported-models.ttl, runs every query of
tests/data/search/labelled-queries.json through Lake.search and computes precision@5 — the same
computation tests/search/test_search.py checks against its floor — beside a random ranking of
the same models. It also times the index build and warm calls of search, related models and
recommendations. The report is written whole; do not edit it by hand.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from rdflib import Graph

from modellake.demo import build_demo_lake
from modellake.lake import Lake
from modellake.search_quality import lake_ranker, load_labelled, precision_at_k
from modellake.settings import Settings
from modellake.store import EmbeddedStore
from modellake.system_graphs import install_system_graphs

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "search"


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "search-quality.md")
    args = parser.parse_args()

    store = EmbeddedStore()
    install_system_graphs(store)
    lake = Lake(store, Settings())
    with tempfile.TemporaryDirectory() as workdir:
        build_demo_lake(lake, Path(workdir), progress=False)
    lake.register(Graph().parse(DATA / "imported-models.ttl", format="turtle"))
    queries = load_labelled(DATA / "labelled-queries.json")

    started = time.perf_counter()
    index = lake.discovery_index()
    build = time.perf_counter() - started
    quality = precision_at_k(lake_ranker(lake), queries, k=5)
    everyone = sorted(lake.local_id(m) for m in index.models)
    rng = random.Random(0)
    baseline = statistics.mean(
        precision_at_k(lambda _: rng.sample(everyone, 5), queries, k=5).precision
        for _ in range(100))

    search_times, related_times, recommend_times = [], [], []
    for labelled in queries:
        t = time.perf_counter()
        lake.search(labelled.query)
        search_times.append(time.perf_counter() - t)
    for model in everyone:
        t = time.perf_counter()
        lake.related_models(model)
        related_times.append(time.perf_counter() - t)
    for dataset in ("dataset-diabetes-raw", "dataset-iris-raw", "dataset-wine-raw",
                    "dataset-breast-cancer-raw"):
        t = time.perf_counter()
        lake.recommended_models(dataset)
        recommend_times.append(time.perf_counter() - t)

    lines = [
        "# Search quality",
        "",
        "Written by `bench/search_quality.py`; do not edit by hand. Lake: the demo lake",
        f"(`modellake.demo`) plus {len(index.models) - 20} published records copied by hand",
        "into `tests/data/search/imported-models.ttl` (Hugging Face cards, a TensorFlow Hub page,",
        f"an ONNX Model Zoo entry): {len(index.models)} models in all. Queries and the models",
        "judged relevant to each: `tests/data/search/labelled-queries.json`.",
        "",
        "Precision@5 is the share of the first five results that are relevant, averaged over",
        "the queries. A query with fewer than five relevant models cannot reach 1, so the best",
        "any ranker could reach on these queries is given beside it.",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| precision@5 (BM25 search) | {quality.precision:.3f} |",
        f"| best reachable precision@5 | {quality.ideal:.3f} |",
        f"| precision@5 of a random ranking (mean of 100) | {baseline:.3f} |",
        f"| queries | {len(queries)} |",
        "",
        "| query | relevant | found in top 5 | P@5 |",
        "|---|---:|---:|---:|",
    ]
    for labelled, score in zip(queries, quality.scores, strict=True):
        lines.append(f"| {labelled.query} | {len(labelled.relevant)} | {len(score.found)} | "
                     f"{score.precision:.1f} |")
    misses = [(q.query, sorted(q.relevant - set(s.top)))
              for q, s in zip(queries, quality.scores, strict=True)
              if len(s.found) < min(5, len(q.relevant))]
    if misses:
        lines += ["", "Relevant models missing from the top 5:", ""]
        lines += [f"- *{query}*: {', '.join(models)}" for query, models in misses]
    lines += [
        "",
        "## Timings (one run, embedded store, in process)",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()}; the machine is shared with other work, so these are",
        "one-off figures, not benchmarks.",
        "",
        "| operation | median ms | calls |",
        "|---|---:|---:|",
        f"| build the discovery index (5 queries) | {build * 1000:.1f} | 1 |",
        f"| search (warm index) | {_ms(search_times)} | {len(search_times)} |",
        f"| related models (warm index) | {_ms(related_times)} | {len(related_times)} |",
        f"| recommended models (warm index) | {_ms(recommend_times)} | "
        f"{len(recommend_times)} |",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"precision@5 {quality.precision:.3f} (best reachable {quality.ideal:.3f}, random "
          f"{baseline:.3f}); report written to {args.out}")


if __name__ == "__main__":
    main()
