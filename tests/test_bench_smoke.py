"""Smoke test of the benchmark programs: generate and run at a tiny size, on both stores, with
the MLflow comparison. No assertion on any time: only that every measure was taken and that the
answers compared are the same answers."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODELS = 60


@pytest.mark.timeout(600)
def test_generate_then_run_at_a_tiny_size(tmp_path: Path) -> None:
    has_mlflow = importlib.util.find_spec("mlflow") is not None
    if not has_mlflow and os.environ.get("CI"):
        pytest.fail("mlflow is not installed: make test installs the bench extra")
    stores = ["embedded", "fuseki"] if shutil.which("java") or os.environ.get("CI") \
        else ["embedded"]
    lake = tmp_path / f"lake-{MODELS}-seed8.nq"
    generated = subprocess.run(
        [sys.executable, "-m", "bench.generate", "--models", str(MODELS), "--out", str(lake),
         "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert generated.returncode == 0, generated.stderr
    assert f"{MODELS} models:" in generated.stdout
    results = tmp_path / "results.json"
    ran = subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", str(MODELS), "--repeat", "2",
         "--workdir", str(tmp_path), "--json", str(results), "--stores", *stores,
         *([] if has_mlflow else ["--no-mlflow"])],
        cwd=ROOT, capture_output=True, text=True, timeout=540)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "reusing" in ran.stdout  # the generated file, not a second one
    report = json.loads(results.read_text())
    assert {"CPU", "cores", "RAM", "Python", "Java", "pyoxigraph"} <= set(report["machine"])
    size = report["sizes"][str(MODELS)]
    assert size["manifest"]["quads"] == sum(1 for _ in lake.open())
    for store in stores:
        r = size["results"][store]
        assert r["load_project_s"] > 0 and r["load_raw_s"] > 0
        for measure in ("register", "register_empty", "lineage_api", "lineage_direct",
                        "impact", "erasure_impact"):
            assert r[measure]["n"] >= 2, (store, measure)
        # The API at depth 10 and the direct CONSTRUCT answer the same graph.
        assert r["lineage_api_triples"] == r["lineage_direct_triples"]
        assert r["compliance"]["checks"] > 10 and r["compliance"]["findings"] > 0
        assert r["api_peak_mb"] > 0
    if has_mlflow:
        mlflow = size["results"]["embedded"]["mlflow"]
        assert mlflow["runs"] == MODELS
        assert mlflow["search_hits"] == mlflow["query_hits"]
        assert mlflow["log_run"]["n"] == 2 and mlflow["register"]["n"] == 2
    assert "models —" in ran.stdout  # the table was printed
