"""Dataset meta-features and per-column statistics, computed by pandas, written as RDF.

Everything here is a pure function of a pandas DataFrame, and every number is the one pandas
itself gives, so a data scientist can check any value in the lake with one pandas expression:

- *numeric attributes* are ``df.select_dtypes("number")`` without bool, complex and timedelta
  columns (pandas counts the last two as numbers, but they have no real-valued mean or skew) and
  without the target; every other column, the target excepted, is *categorical* (strings,
  categories, booleans, dates …);
- ``numberOfAttributes`` counts **all** columns, the target included, as the Model Lake paper
  (and OpenML) do: ``numberOfAttributes = numeric + categorical + (1 if a target is named)``;
- per numeric column: mean ``Series.mean()``, standard deviation ``Series.std()`` (ddof=1),
  skewness ``Series.skew()`` (bias-corrected), kurtosis ``Series.kurt()`` (excess, Fisher,
  bias-corrected), all skipping missing values; the aggregates are pandas' own over those
  per-column values, e.g. ``meanSkewnessOfNumericAtts = numeric.skew().mean()`` (so a column
  whose skew is undefined, such as a constant one, is left out of the mean, as pandas does);
- ``numberOfMissingValues = df.isna().sum().sum()``;
- with a target: ``numberOfClasses = target.nunique()`` and ``classEntropy`` the Shannon
  entropy in bits of ``target.value_counts()`` (missing values left out), the value
  ``scipy.stats.entropy(counts, base=2)`` gives.

An aggregate that pandas cannot define (no numeric column; skew of fewer than three values) is
``None`` and is not written; NaN and infinite values are never written to the graph.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd
from rdflib import Graph, Literal, URIRef

from .errors import BadInputError
from .namespaces import ML, RDF, XSD

NON_NUMERIC_NUMBERS = ("bool", "complex", "timedelta")


@dataclass(frozen=True)
class Metafeatures:
    """One field per ml: meta-feature property (snake_case of its local name)."""

    number_of_instances: int
    number_of_attributes: int
    number_of_numeric_attributes: int
    number_of_categorical_attributes: int
    number_of_missing_values: int
    number_of_classes: int | None
    class_entropy: float | None
    mean_skewness_of_numeric_atts: float | None
    mean_kurtosis_of_numeric_atts: float | None
    min_means_of_numeric_atts: float | None
    mean_means_of_numeric_atts: float | None
    max_means_of_numeric_atts: float | None
    mean_std_dev_of_numeric_atts: float | None


@dataclass(frozen=True)
class FeatureStats:
    """One column: mean/std/min/max when numeric, the distinct count otherwise (and always
    for the target, where it is the number of classes)."""

    name: str
    index: int
    data_type: str  # str(dtype), as pandas reports it: float64, int64, str, category …
    missing_count: int
    numeric: bool
    is_target: bool = False
    mean: float | None = None
    standard_deviation: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    distinct_count: int | None = None


def numeric_columns(df: pd.DataFrame, target: str | None = None) -> pd.DataFrame:
    """The numeric attributes: real-valued number columns, the target left out."""
    numeric = df.select_dtypes(include="number", exclude=list(NON_NUMERIC_NUMBERS))
    return numeric.drop(columns=[target]) if target in numeric.columns else numeric


def compute_metafeatures(df: pd.DataFrame, target: str | None = None) -> Metafeatures:
    """The data set's meta-features (see the module docstring for each definition)."""
    _check_target(df, target)
    with np.errstate(all="ignore"):  # infinities give NaN/inf, as pandas says, without warnings
        return _metafeatures(df, target)


def _metafeatures(df: pd.DataFrame, target: str | None) -> Metafeatures:
    numeric = numeric_columns(df, target)
    predictive = df.shape[1] - (1 if target is not None else 0)
    classes: int | None = None
    entropy: float | None = None
    if target is not None:
        classes = _distinct(df[target])
        entropy = class_entropy(df[target])
    means = numeric.mean()
    return Metafeatures(
        number_of_instances=int(df.shape[0]),
        number_of_attributes=int(df.shape[1]),
        number_of_numeric_attributes=int(numeric.shape[1]),
        number_of_categorical_attributes=int(predictive - numeric.shape[1]),
        number_of_missing_values=int(df.isna().sum().sum()),
        number_of_classes=classes,
        class_entropy=entropy,
        mean_skewness_of_numeric_atts=_number(numeric.skew().mean()),
        mean_kurtosis_of_numeric_atts=_number(numeric.kurt().mean()),
        min_means_of_numeric_atts=_number(means.min()),
        mean_means_of_numeric_atts=_number(means.mean()),
        max_means_of_numeric_atts=_number(means.max()),
        mean_std_dev_of_numeric_atts=_number(numeric.std().mean()),
    )


def class_entropy(values: pd.Series) -> float | None:
    """Shannon entropy in bits of the value counts (missing values left out); None if empty."""
    try:
        counts = values.value_counts(dropna=True).to_numpy(dtype=float)
    except TypeError:  # unhashable cells (lists, dicts read from JSON)
        return None
    counts = counts[counts > 0]
    if counts.size == 0:
        return None
    p = counts / counts.sum()
    return float(max(0.0, -(p * np.log2(p)).sum()))


def feature_stats(df: pd.DataFrame, target: str | None = None) -> list[FeatureStats]:
    """Statistics of every column, in column order (positions from 0)."""
    _check_target(df, target)
    with np.errstate(all="ignore"):
        return _feature_stats(df, target)


def _feature_stats(df: pd.DataFrame, target: str | None) -> list[FeatureStats]:
    numeric = set(numeric_columns(df).columns)
    stats: list[FeatureStats] = []
    for index, name in enumerate(df.columns):
        column = df.iloc[:, index]
        is_target = target is not None and name == target
        stat = FeatureStats(
            name=str(name), index=index, data_type=str(column.dtype),
            missing_count=int(column.isna().sum()), numeric=name in numeric, is_target=is_target,
        )
        if stat.numeric:
            stat = replace(
                stat, mean=_number(column.mean()), standard_deviation=_number(column.std()),
                minimum=_number(column.min()), maximum=_number(column.max()),
                distinct_count=_distinct(column) if is_target else None,
            )
        else:
            stat = replace(stat, distinct_count=_distinct(column))
        stats.append(stat)
    return stats


# -- RDF --------------------------------------------------------------------------------------

def metafeatures_iri(dataset: URIRef) -> URIRef:
    return URIRef(f"{dataset}/metafeatures")


def metafeatures_graph(
    dataset: URIRef, mf: Metafeatures, features: Sequence[FeatureStats],
) -> Graph:
    """The ``<dataset>/metafeatures`` part (ml:DatasetMetafeatures) and one
    ``<dataset>/feature/<slug>`` part (ml:Feature) per column, linked from the data set with
    ml:hasMetafeatures and ml:hasFeature. Counts are xsd:integer, the rest xsd:double; values
    that are None, NaN or infinite are left out."""
    g = Graph()
    part = metafeatures_iri(dataset)
    g.add((dataset, ML.hasMetafeatures, part))
    g.add((part, RDF.type, ML.DatasetMetafeatures))
    for f in fields(mf):
        _add(g, part, ML[_camel(f.name)], getattr(mf, f.name))
    slugs: set[str] = set()
    for feature in features:
        slug = slugify(feature.name, default="column")
        if slug in slugs:
            slug = f"{slug}-{feature.index}"
        slugs.add(slug)
        node = URIRef(f"{dataset}/feature/{slug}")
        g.add((dataset, ML.hasFeature, node))
        g.add((node, RDF.type, ML.Feature))
        g.add((node, ML.featureName, Literal(feature.name)))
        g.add((node, ML.featureIndex, Literal(feature.index)))
        g.add((node, ML.dataType, Literal(feature.data_type)))
        g.add((node, ML.isTarget, Literal(feature.is_target)))
        for prop, value in (
            (ML.missingCount, feature.missing_count), (ML.mean, feature.mean),
            (ML.standardDeviation, feature.standard_deviation), (ML.minimum, feature.minimum),
            (ML.maximum, feature.maximum), (ML.distinctCount, feature.distinct_count),
        ):
            _add(g, node, prop, value)
    return g


def slugify(text: str, *, default: str = "data", max_length: int = 40) -> str:
    """Lower-case ASCII letters and digits joined by '-', e.g. "Mean radius (mm)" → "mean-
    radius-mm"; ``default`` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or default


# -- helpers ----------------------------------------------------------------------------------

def _check_target(df: pd.DataFrame, target: str | None) -> None:
    if target is not None and target not in df.columns:
        shown = ", ".join(map(str, list(df.columns)[:20]))
        raise BadInputError(f"target column {target!r} is not in the table (columns: {shown})")


def _distinct(column: pd.Series) -> int | None:
    try:
        return int(column.nunique(dropna=True))
    except TypeError:  # unhashable cells (lists, dicts read from JSON): no distinct count
        return None


def _number(value: object) -> float | None:
    """A pandas scalar as a float; None for NaN/NA (undefined). Infinities are kept here and
    left out when written."""
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.capitalize() for w in rest)


def _add(g: Graph, node: URIRef, prop: URIRef, value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        g.add((node, prop, Literal(value)))
    elif isinstance(value, int):
        g.add((node, prop, Literal(int(value))))
    elif isinstance(value, float) and math.isfinite(value):
        g.add((node, prop, Literal(float(value), datatype=XSD.double)))
