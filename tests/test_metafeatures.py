"""Meta-features and column statistics equal what pandas (and scipy) compute on real data.

Every expected value is computed here with a pandas expression on the frame, never with the
module under test.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from scipy.stats import entropy
from sklearn.datasets import load_breast_cancer, load_iris, load_wine

from modellake.errors import BadInputError
from modellake.ingest import read_table
from modellake.metafeatures import (
    Metafeatures,
    compute_metafeatures,
    feature_stats,
    metafeatures_graph,
)
from modellake.namespaces import ML, RDF

DATASET = URIRef("https://w3id.org/modellake/id/dataset-test")


def expected(df: pd.DataFrame, target: str | None) -> dict[str, object]:
    """The meta-features as pandas computes them directly."""
    numeric = df.select_dtypes("number")
    if target is not None and target in numeric.columns:
        numeric = numeric.drop(columns=[target])
    others = df.shape[1] - numeric.shape[1] - (1 if target is not None else 0)
    values: dict[str, object] = {
        "number_of_instances": len(df),
        "number_of_attributes": len(df.columns),
        "number_of_numeric_attributes": numeric.shape[1],
        "number_of_categorical_attributes": others,
        "number_of_missing_values": int(df.isna().sum().sum()),
        "mean_skewness_of_numeric_atts": numeric.skew().mean(),
        "mean_kurtosis_of_numeric_atts": numeric.kurt().mean(),
        "min_means_of_numeric_atts": numeric.mean().min(),
        "mean_means_of_numeric_atts": numeric.mean().mean(),
        "max_means_of_numeric_atts": numeric.mean().max(),
        "mean_std_dev_of_numeric_atts": numeric.std().mean(),
        "number_of_classes": None if target is None else df[target].nunique(),
        "class_entropy": None if target is None else entropy(df[target].value_counts(), base=2),
    }
    return values


def assert_matches(mf: Metafeatures, df: pd.DataFrame, target: str | None) -> None:
    for name, value in expected(df, target).items():
        got = getattr(mf, name)
        if name == "class_entropy" and value is not None:
            assert got == pytest.approx(value, rel=1e-12), name  # numpy vs scipy summation
        else:
            assert got == value, f"{name}: {got!r} != {value!r}"


def frame(loader: object) -> pd.DataFrame:
    return loader(as_frame=True).frame  # type: ignore[operator]


def test_breast_cancer_read_back_from_csv_equals_pandas(tmp_path: Path) -> None:
    original = frame(load_breast_cancer)
    path = tmp_path / "breast_cancer.csv"
    original.to_csv(path, index=False)
    table = read_table(path, progress=False)
    mf = compute_metafeatures(table.frame, target="target")
    assert_matches(mf, pd.read_csv(path), "target")
    # The CSV round trip keeps every value, so the figures are those of the original frame too.
    for name, value in expected(original, "target").items():
        assert getattr(mf, name) == pytest.approx(value, rel=1e-12), name
    assert (mf.number_of_instances, mf.number_of_attributes) == (569, 31)
    assert (mf.number_of_numeric_attributes, mf.number_of_categorical_attributes) == (30, 0)
    assert mf.number_of_classes == 2
    assert mf.class_entropy == pytest.approx(0.952635, abs=1e-6)  # 212 malignant, 357 benign
    assert mf.number_of_missing_values == 0


@pytest.mark.parametrize("loader", [load_wine, load_iris], ids=["wine", "iris"])
def test_wine_and_iris_equal_pandas(loader: object) -> None:
    df = frame(loader)
    assert_matches(compute_metafeatures(df, target="target"), df, "target")
    assert_matches(compute_metafeatures(df), df, None)  # no target: all columns are attributes


def test_iris_class_entropy_is_log2_of_three_balanced_classes() -> None:
    df = frame(load_iris)
    df["target"] = df["target"].map(dict(enumerate(["setosa", "versicolor", "virginica"])))
    mf = compute_metafeatures(df, target="target")
    assert mf.number_of_classes == 3
    assert mf.class_entropy == pytest.approx(math.log2(3), rel=1e-12)
    assert (mf.number_of_attributes, mf.number_of_numeric_attributes) == (5, 4)
    assert mf.number_of_categorical_attributes == 0  # the target is neither numeric nor not
    assert_matches(mf, df, "target")


def test_missing_values_are_counted_and_skipped_as_pandas_does() -> None:
    df = frame(load_wine)
    rng = np.random.default_rng(7)
    cells = rng.choice(df.shape[0] * 13, size=40, replace=False)
    for cell in cells:
        df.iat[cell // 13, cell % 13] = np.nan
    mf = compute_metafeatures(df, target="target")
    assert mf.number_of_missing_values == 40
    assert_matches(mf, df, "target")
    stats = {s.name: s for s in feature_stats(df, target="target")}
    for name in df.columns[:13]:
        assert stats[name].missing_count == int(df[name].isna().sum())
        assert stats[name].mean == df[name].mean()
        assert stats[name].standard_deviation == df[name].std()


def test_feature_statistics_equal_pandas() -> None:
    df = frame(load_breast_cancer)
    stats = feature_stats(df, target="target")
    assert [s.name for s in stats] == list(df.columns)
    assert [s.index for s in stats] == list(range(31))
    for s in stats[:-1]:
        column = df[s.name]
        assert s.numeric and not s.is_target and s.data_type == "float64"
        assert (s.mean, s.standard_deviation) == (column.mean(), column.std())
        assert (s.minimum, s.maximum) == (column.min(), column.max())
        assert s.distinct_count is None
    target = stats[-1]
    assert target.is_target and target.distinct_count == 2 and target.data_type == "int64"


def test_a_frame_without_numeric_columns() -> None:
    df = pd.DataFrame({"colour": ["red", "green", None, "red"],
                       "ok": [True, False, True, True],
                       "size": pd.Categorical(["S", "M", "L", "M"])})
    mf = compute_metafeatures(df)
    assert mf.number_of_numeric_attributes == 0
    assert mf.number_of_categorical_attributes == 3  # booleans are not numbers here
    assert mf.number_of_missing_values == 1
    assert mf.mean_skewness_of_numeric_atts is None
    assert mf.min_means_of_numeric_atts is None
    assert mf.mean_std_dev_of_numeric_atts is None
    assert [s.distinct_count for s in feature_stats(df)] == [2, 2, 3]
    g = metafeatures_graph(DATASET, mf, feature_stats(df))
    part = URIRef(f"{DATASET}/metafeatures")
    assert (part, ML.meanSkewnessOfNumericAtts, None) not in g
    assert g.value(part, ML.numberOfCategoricalAttributes) == Literal(3)


def test_unknown_target_is_refused() -> None:
    with pytest.raises(BadInputError, match="'label' is not in the table"):
        compute_metafeatures(frame(load_iris), target="label")


def test_graph_types_values_and_leaves_out_undefined_numbers() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0, 4.0, 8.0], "constant": [3.0] * 4,
                       "big": [1.0, np.inf, 2.0, 3.0], "mean radius": [1, 2, 3, 4],
                       "Mean Radius": [5, 6, 7, 9], "label": ["a", "b", "a", "a"]})
    mf = compute_metafeatures(df, target="label")
    # pandas gives no skew for a constant column and leaves it out of the mean of skews
    assert mf.mean_skewness_of_numeric_atts == df[["x", "constant", "big", "mean radius",
                                                   "Mean Radius"]].skew().mean()
    assert mf.max_means_of_numeric_atts == math.inf
    g = metafeatures_graph(DATASET, mf, feature_stats(df, target="label"))
    part = URIRef(f"{DATASET}/metafeatures")
    assert g.value(DATASET, ML.hasMetafeatures) == part
    assert (part, RDF.type, ML.DatasetMetafeatures) in g
    assert g.value(part, ML.numberOfInstances) == Literal(4)
    assert g.value(part, ML.numberOfInstances).datatype == XSD.integer  # type: ignore[union-attr]
    skew = g.value(part, ML.meanSkewnessOfNumericAtts)
    assert isinstance(skew, Literal) and skew.datatype == XSD.double
    assert (part, ML.maxMeansOfNumericAtts, None) not in g  # infinite: not written
    assert g.value(part, ML.classEntropy).toPython() == pytest.approx(  # type: ignore[union-attr]
        entropy([3, 1], base=2))
    for s, _, o in g.triples((None, None, None)):
        if isinstance(o, Literal) and o.datatype == XSD.double:
            assert math.isfinite(float(o)), s
    features = sorted(str(f) for f in g.objects(DATASET, ML.hasFeature))
    assert len(features) == 6
    names = {str(g.value(URIRef(f), ML.featureName)): URIRef(f) for f in features}
    assert str(names["mean radius"]).endswith("/feature/mean-radius")
    assert str(names["Mean Radius"]).endswith("/feature/mean-radius-4")  # slug taken: index
    big = names["big"]
    assert (big, ML.mean, None) not in g and g.value(big, ML.minimum) == Literal(
        1.0, datatype=XSD.double)
    label = names["label"]
    assert g.value(label, ML.isTarget) == Literal(True)
    assert g.value(label, ML.distinctCount) == Literal(2)
    assert g.value(label, ML.dataType) == Literal(str(df["label"].dtype))
    assert g.value(names["x"], ML.featureIndex) == Literal(0)
    assert g.value(names["x"], ML.standardDeviation) == Literal(
        float(df["x"].std()), datatype=XSD.double)
