"""Where the project's RDF resources (ontology, shapes, queries) are found.

In a source checkout (editable install) they sit at the repository root; a wheel carries them
under ``modellake/_resources``. Nothing here touches the network.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_CANDIDATES = (_PACKAGE_DIR.parent.parent, _PACKAGE_DIR / "_resources")


def _find(name: str) -> Path:
    for root in _CANDIDATES:
        path = root / name
        if path.is_dir():
            return path
    raise FileNotFoundError(f"resource directory {name!r} not found under {_CANDIDATES}")


def ontology_dir() -> Path:
    return _find("ontology")


def shapes_dir() -> Path:
    return _find("shapes")


def queries_dir() -> Path:
    return _find("queries")


def ontology_file() -> Path:
    return ontology_dir() / "modellake.ttl"


def example_file(name: str) -> Path:
    return _find("examples") / name


def context_file() -> Path:
    return ontology_dir() / "context.jsonld"
