"""Conformance of an export to the official application profiles, checked with their own shapes.

The SHACL files are the published ones, byte for byte, in ``shapes/external/`` (see SOURCES.md
there): DCAT-AP 3.0.1 (its shapes and its ranges file) and MLDCAT-AP 3.1.0. A DCAT-AP export is
checked against DCAT-AP; an MLDCAT-AP export against DCAT-AP and MLDCAT-AP, since MLDCAT-AP
extends it.

One quirk is worked around here, in code, leaving the files as published: the DCAT-AP 3.0.1
ranges file lists, under ``dcat:DistributionShape``, a property shape (…/653804840386e3…) that
neither DCAT-AP file defines, and pyshacl refuses the whole shapes graph for it. References to
property shapes that have no definition are dropped before validating.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

from rdflib import Graph
from rdflib.term import Node

from .export import CATALOG_PROFILES, check_profile
from .namespaces import SH
from .resources import shapes_dir
from .validation import ValidationReport, Validator

DCAT_AP_FILES: Final = ("dcat-ap-3.0.1-SHACL.ttl", "dcat-ap-3.0.1-ranges.ttl")
MLDCAT_AP_FILES: Final = ("mldcat-ap-3.1.0-SHACL.ttl",)
SHAPES_BY_PROFILE: Final[dict[str, tuple[str, ...]]] = {
    "dcat-ap": DCAT_AP_FILES,
    "mldcat-ap": DCAT_AP_FILES + MLDCAT_AP_FILES,
}


def external_shapes_dir() -> Path:
    return shapes_dir() / "external"


def drop_undefined_property_shapes(shapes: Graph) -> list[Node]:
    """Remove ``sh:property`` links to shapes the graph says nothing about; return them."""
    dangling = [shape for shape in set(shapes.objects(None, SH.property))
                if (shape, None, None) not in shapes]
    for shape in dangling:
        shapes.remove((None, SH.property, shape))
    return dangling


@cache
def _validator(profile: str) -> Validator:
    shapes = Graph()
    for name in SHAPES_BY_PROFILE[profile]:
        shapes.parse(external_shapes_dir() / name, format="turtle")
    drop_undefined_property_shapes(shapes)  # the DCAT-AP ranges quirk, see the module docstring
    return Validator(shapes)


def check(graph: Graph, profile: str) -> ValidationReport:
    """Validate an export against the official shapes of its profile (every node, as is)."""
    return _validator(check_profile(profile, CATALOG_PROFILES)).validate_as_is(graph)
