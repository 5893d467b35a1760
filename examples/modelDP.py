"""modelDP.py — the Diabetes Predictor of the Model Lake paper, on scikit-learn's real data.

The paper's model is an SVM (kernel=rbf, C=2.3) that predicts diabetes, evaluated by 5-fold
cross-validation. scikit-learn's bundled diabetes data set (442 patients, 10 attributes) gives a
disease-progression score a year after baseline; the cleaned data set of the demo lake turns it
into a label: 1 when the progression is above the median. The demo lake captures this very
estimator with `register_sklearn`, so the lake records this file as the model's code.

Run it on its own to see the measured accuracy:  python examples/modelDP.py
"""

from __future__ import annotations

import pandas as pd
from sklearn.datasets import load_diabetes
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

TARGET = "progression_above_median"


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Binarise the progression score at its median (the demo's transformation step)."""
    out = frame.drop(columns=["target"])
    out[TARGET] = (frame["target"] > frame["target"].median()).astype(int)
    return out


def diabetes_predictor() -> Pipeline:
    """The paper's model: an RBF SVM with C=2.3, on standardised attributes."""
    return Pipeline([("scale", StandardScaler()), ("svc", SVC(kernel="rbf", C=2.3))])


def folds() -> StratifiedKFold:
    return StratifiedKFold(n_splits=5, shuffle=True, random_state=0)


if __name__ == "__main__":
    data = labelled(load_diabetes(as_frame=True).frame)
    X, y = data.drop(columns=[TARGET]), data[TARGET]
    scores = cross_val_score(diabetes_predictor(), X, y, cv=folds(), scoring="accuracy")
    print(f"Diabetes Predictor accuracy: {scores.mean():.4f} ± {scores.std():.4f} (5-fold CV)")
