"""Search quality (precision@5 over labelled queries) and discovery timings; writes the report.

    python bench/search_quality.py [--out docs/search-quality.md] [--scale 3000]

It builds the demo lake (modellake.demo, about 15–60 s) on an in-memory embedded store,
registers the published records of tests/data/search/imported-models.ttl, runs every query of
tests/data/search/labelled-queries.json through Lake.search and computes precision@5 — the same
computation tests/search/test_search.py checks against its floor — beside a random ranking of
the same models. It also times the index build and warm calls of search, related models and
recommendations, then (``--scale N``) adds N synthetic models and times them again. The
synthetic models are bulk-loaded as quads, without validation, only to size the index: each has
a title, hub id, description, task, training data set and, for most, a base model. The report is
written whole; do not edit it by hand.
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
from modellake.discovery_index import IndexCache
from modellake.lake import Lake
from modellake.search_quality import lake_ranker, load_labelled, precision_at_k
from modellake.settings import Settings
from modellake.store import EmbeddedStore
from modellake.system_graphs import install_system_graphs

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "search"


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f}"


WORDS = ("bert", "roberta", "distil", "gpt", "t5", "resnet", "vit", "whisper", "large", "base",
         "small", "uncased", "cased", "squad", "ner", "sentiment", "finetuned", "imdb", "german",
         "arabic", "mnli", "conll", "emotion", "qa", "summarization", "wav2vec", "tiny")
TASKS = ("text-classification", "fill-mask", "question-answering", "image-classification")


def synthetic_models(count: int) -> bytes:
    """N-Quads of ``count`` synthetic models, each in its own named graph."""
    rng = random.Random(1)
    base, ml = Settings().base_iri, "https://w3id.org/modellake#"
    quads = []
    for i in range(count):
        model = f"<{base}synthetic-{i}>"
        name = "-".join(rng.sample(WORDS, 3))
        triples = [
            ("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{ml}Model>"),
            (f"<{ml}revision>", f'"r{i}"'),
            ("<http://purl.org/dc/terms/title>", f'"{name}"'),
            (f"<{ml}hubId>", f'"user{i % 97}/{name}-{i}"'),
            ("<http://purl.org/dc/terms/description>",
             f'"A {name} model for {TASKS[i % 4]}, fine-tuned on data set {i % 60}."'),
            (f"<{ml}task>", f"<{base}task-{TASKS[i % 4]}>"),
            (f"<{ml}trainedOn>", f"<{base}dataset-synthetic-{i % 60}>"),
        ]
        if i >= 10:
            triples.append((f"<{ml}fineTunedFrom>", f"<{base}synthetic-{i // 10}>"))
        quads += [f"{model} {p} {o} {model} ." for p, o in triples]
    return "\n".join(quads).encode()


def _timings(lake: Lake, queries: list[str], models: list[str]) -> list[tuple[str, str, int]]:
    started = time.perf_counter()
    lake.discovery_index()
    build = time.perf_counter() - started
    search_times, related_times, recommend_times = [], [], []
    for query in queries:
        t = time.perf_counter()
        lake.search(query)
        search_times.append(time.perf_counter() - t)
    for model in models:
        t = time.perf_counter()
        lake.related_models(model)
        related_times.append(time.perf_counter() - t)
    for dataset in ("dataset-diabetes-raw", "dataset-iris-raw", "dataset-wine-raw",
                    "dataset-breast-cancer-raw"):
        t = time.perf_counter()
        lake.recommended_models(dataset)
        recommend_times.append(time.perf_counter() - t)
    return [("build the discovery index (5 queries)", f"{build * 1000:.1f}", 1),
            ("search (warm index)", _ms(search_times), len(search_times)),
            ("related models (warm index)", _ms(related_times), len(related_times)),
            ("recommended models (warm index)", _ms(recommend_times), len(recommend_times))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "search-quality.md")
    parser.add_argument("--scale", type=int, default=3000,
                        help="synthetic models to add for the second timing (0: none)")
    args = parser.parse_args()

    store = EmbeddedStore()
    install_system_graphs(store)
    lake = Lake(store, Settings())
    with tempfile.TemporaryDirectory() as workdir:
        build_demo_lake(lake, Path(workdir), progress=False)
    lake.register(Graph().parse(DATA / "imported-models.ttl", format="turtle"))
    queries = load_labelled(DATA / "labelled-queries.json")

    index = lake.discovery_index()
    quality = precision_at_k(lake_ranker(lake), queries, k=5)
    everyone = sorted(lake.local_id(m) for m in index.models)
    rng = random.Random(0)
    baseline = statistics.mean(
        precision_at_k(lambda _: rng.sample(everyone, 5), queries, k=5).precision
        for _ in range(100))
    lake.discovery_cache = IndexCache()  # time a cold build
    texts = [q.query for q in queries]
    timings = [(len(index.models), _timings(lake, texts, everyone))]
    if args.scale:
        store.bulk_load(synthetic_models(args.scale))
        lake.discovery_cache = IndexCache()
        step = max(1, args.scale // 20)
        sample = everyone + [f"synthetic-{i}" for i in range(0, args.scale, step)]
        timings.append((len(index.models) + args.scale, _timings(lake, texts, sample)))

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
        "| models in lake | operation | median ms | calls |",
        "|---:|---|---:|---:|",
    ]
    for size, rows in timings:
        lines += [f"| {size:,} | {name} | {ms} | {calls} |" for name, ms, calls in rows]
    lines.append("")
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"precision@5 {quality.precision:.3f} (best reachable {quality.ideal:.3f}, random "
          f"{baseline:.3f}); report written to {args.out}")


if __name__ == "__main__":
    main()
