"""Data-set similarity by meta-features (the Model Lake paper's "similar data sets").

Each data set is a vector of its meta-features (ml:numberOfInstances, ml:numberOfAttributes,
ml:meanSkewnessOfNumericAtts, ml:meanMeansOfNumericAtts, ml:meanStdDevOfNumericAtts … — see
metafeatures.py). The features live on very different scales (thousands of rows, skewness near
0), so every value is first put on a log scale, sign kept (x → sign(x)·ln(1+|x|)), then min-max
normalised over all the lake's data sets that have that feature. The distance of two data sets
is the root mean square of the differences over the features both have (at least
``MIN_SHARED``), in [0, 1]; their similarity is 1 − distance.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from .namespaces import ML

# The meta-features compared (every numeric one metafeatures.py computes).
FEATURES: Final[tuple[str, ...]] = tuple(str(ML[name]) for name in (
    "numberOfInstances", "numberOfAttributes", "numberOfNumericAttributes",
    "numberOfCategoricalAttributes", "numberOfMissingValues", "numberOfClasses", "classEntropy",
    "meanSkewnessOfNumericAtts", "meanKurtosisOfNumericAtts", "minMeansOfNumericAtts",
    "meanMeansOfNumericAtts", "maxMeansOfNumericAtts", "meanStdDevOfNumericAtts"))
MIN_SHARED: Final = 3


def _log(value: float) -> float:
    return math.copysign(math.log1p(abs(value)), value)


@dataclass(frozen=True)
class FeatureDifference:
    feature: str  # property IRI
    value: float
    other: float
    difference: float  # normalised, in [0, 1]


@dataclass(frozen=True)
class Distance:
    distance: float
    shared: tuple[FeatureDifference, ...]  # closest first

    @property
    def similarity(self) -> float:
        return 1.0 - self.distance


class MetafeatureSpace:
    """The normalised meta-feature vectors of a set of data sets."""

    def __init__(self, vectors: Mapping[str, Mapping[str, float]]) -> None:
        self.raw = {k: {f: v for f, v in vec.items() if f in FEATURES}
                    for k, vec in vectors.items()}
        ranges: dict[str, tuple[float, float]] = {}
        for feature in FEATURES:
            values = [_log(vec[feature]) for vec in self.raw.values() if feature in vec]
            if values:
                ranges[feature] = (min(values), max(values))
        self.normalised: dict[str, dict[str, float]] = {}
        for key, vec in self.raw.items():
            self.normalised[key] = {}
            for feature, value in vec.items():
                low, high = ranges[feature]
                self.normalised[key][feature] = (
                    (_log(value) - low) / (high - low) if high > low else 0.0)

    def __contains__(self, key: object) -> bool:
        return key in self.normalised and len(self.normalised[str(key)]) >= MIN_SHARED

    def distance(self, a: str, b: str) -> Distance | None:
        """None when the two data sets share fewer than MIN_SHARED meta-features."""
        va, vb = self.normalised.get(a, {}), self.normalised.get(b, {})
        shared = [f for f in FEATURES if f in va and f in vb]
        if len(shared) < MIN_SHARED:
            return None
        diffs = sorted((FeatureDifference(f, self.raw[a][f], self.raw[b][f], abs(va[f] - vb[f]))
                        for f in shared), key=lambda d: (d.difference, FEATURES.index(d.feature)))
        rms = math.sqrt(sum(d.difference ** 2 for d in diffs) / len(diffs))
        return Distance(rms, tuple(diffs))

    def nearest(self, key: str, among: Iterable[str] | None = None) -> list[tuple[str, Distance]]:
        """Other data sets by increasing distance (ties by key)."""
        found = []
        for other in sorted(among if among is not None else self.normalised):
            if other == key:
                continue
            d = self.distance(key, other)
            if d is not None:
                found.append((other, d))
        found.sort(key=lambda item: (item[1].distance, item[0]))
        return found
