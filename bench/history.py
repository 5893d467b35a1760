"""What the history kept by the audit trail costs: the demo lake's node graphs against the
write events that record them (with a snapshot of each graph they stored).

    python bench/history.py [--replaces 0]

Builds the demo lake (scikit-learn's four data sets, their operations, 20 cross-validated
models) in a fresh in-memory embedded store, optionally replaces every model once more (a
second revision each), and prints triples and N-Triples bytes of the current node graphs and of
the audit graphs, and how much of the latter are snapshots.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from rdflib import Graph

from modellake.demo import build_demo_lake
from modellake.lake import Lake
from modellake.namespaces import ML
from modellake.settings import Settings
from modellake.store import EmbeddedStore
from modellake.system_graphs import install_system_graphs

SYSTEM = "https://w3id.org/modellake/graph/"


def measure(lake: Lake) -> dict[str, int]:
    sizes = {"node graphs": 0, "node triples": 0, "node bytes": 0, "audit graphs": 0,
             "audit triples": 0, "audit bytes": 0, "snapshot bytes": 0, "references": 0}
    audit = lake.base_iri + "audit/"
    for iri in lake.store.graphs():
        if iri.startswith(SYSTEM):
            continue
        graph = lake.store.graph(iri)
        size = len(graph.serialize(format="nt").encode())
        kind = "audit" if iri.startswith(audit) else "node"
        sizes[f"{kind} graphs"] += 1
        sizes[f"{kind} triples"] += len(graph)
        sizes[f"{kind} bytes"] += size
        if kind == "audit":
            sizes["snapshot bytes"] += sum(
                len(str(o).encode()) for o in graph.objects(None, ML.snapshotContent))
            sizes["references"] += len(list(graph.objects(None, ML.snapshotRefersTo)))
    return sizes


def replace_models(lake: Lake) -> int:
    items, _ = lake.list_nodes(ML.Model, limit=1000)
    for item in items:
        node = lake.node_iri(str(item["iri"]))
        graph = Graph()
        for triple in lake.describe(node):
            if triple[1] != ML.revision:
                graph.add(triple)
        lake.replace(node, graph, if_match=lake.revision(node))
    return len(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replaces", type=int, default=0,
                        help="how many times to replace every model afterwards")
    args = parser.parse_args()
    store = EmbeddedStore()
    install_system_graphs(store)
    lake = Lake(store, Settings())
    with tempfile.TemporaryDirectory() as workdir:
        build_demo_lake(lake, Path(workdir), progress=False)
        replaced = sum(replace_models(lake) for _ in range(args.replaces))
    sizes = measure(lake)
    print(f"demo lake, {replaced} model replaces after the build")
    for key, value in sizes.items():
        print(f"{key:>16}: {value:>10,}")
    print(f"audit bytes / node bytes: {sizes['audit bytes'] / sizes['node bytes']:.2f}")
    print(f"snapshot bytes / audit bytes: {sizes['snapshot bytes'] / sizes['audit bytes']:.2f}")


if __name__ == "__main__":
    main()
