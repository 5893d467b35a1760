"""The combined real lake: every public catalogue of a corpus folder imported into one lake.

A corpus folder holds one sub-folder per registry (``model-cards/`` for Hugging Face cards, and
the other registries' folders); each is imported by its own importer, in an order that lets
shared nodes (data sets, tasks, base models) meet across registries.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .importing import ImportReport
from .lake import Lake

Importer = Callable[[Lake, Path, bool], ImportReport]


def _hf_cards(lake: Lake, folder: Path, show_progress: bool) -> ImportReport:
    from .hf_cards import import_cards

    return import_cards(lake, [folder], show_progress=show_progress)


def _tfhub(lake: Lake, folder: Path, show_progress: bool) -> ImportReport:
    from .tfhub import import_tfhub

    return import_tfhub(lake, folder, show_progress=show_progress).report


def _onnx_zoo(lake: Lake, folder: Path, show_progress: bool) -> ImportReport:
    from .onnx_zoo import import_onnx_zoo

    return import_onnx_zoo(lake, folder, show_progress=show_progress).report


# registry name -> (folder inside the corpus, importer)
IMPORTERS: dict[str, tuple[str, Importer]] = {
    "huggingface": ("model-cards", _hf_cards),
    "tensorflow-hub": ("tfhub", _tfhub),
    "onnx-model-zoo": ("onnx-model-zoo", _onnx_zoo),
}


def build_real_lake(lake: Lake, corpus: Path, *, show_progress: bool = True
                    ) -> dict[str, ImportReport]:
    """Import every registry folder found in ``corpus``; a missing folder is reported skipped."""
    reports: dict[str, ImportReport] = {}
    for registry, (folder, importer) in IMPORTERS.items():
        path = corpus / folder
        if not path.is_dir():
            report = ImportReport()
            report.skip(str(path), f"no {registry} folder in the corpus")
            reports[registry] = report
            continue
        reports[registry] = importer(lake, path, show_progress)
    return reports
