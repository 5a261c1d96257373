"""Training the segmentation: volume-guided KMeans on demographics (scikit-learn).

* Inputs: the customer demographics of :mod:`features` (enums one-hot with unknown, the
  male/female ratio parsed, imputed, scaled). Sales volume is only the target; the business
  figures (revenue, head count) are not inputs either, as they stand in for sales (see
  :mod:`features`); their held-out volume accuracy is reported next to the segments'.
* Each dimension is weighted by how much it tells about the volume class (bias-corrected
  mutual information, relative to the most telling one), so dimensions without any volume
  signal drop out and the clustering concentrates on what matters for sales.
* k is chosen by cross-validation: held-out log loss of the volume class predicted by each
  segment's volume mix, among k whose segments are not too small and whose silhouette is
  not too low; among k within a small tolerance of the best, the clearest (highest
  silhouette) wins. Everything is seeded, so a run is deterministic.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.metrics import normalized_mutual_info_score, silhouette_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from aktina_ml.segmentation.artifact import SegmentationModel
from aktina_ml.segmentation.config import SegmentationConfig
from aktina_ml.segmentation.features import (
    BUSINESS_NUMERIC,
    CATEGORICAL,
    DEMOGRAPHIC_NUMERIC,
    DIMENSIONS,
    NUMERIC,
    attribute_codes,
    category_levels,
    mutual_information,
    prepare_columns,
    quantile_edges,
)
from aktina_ml.segmentation.volume import volume_classes, volume_cut_points

SILHOUETTE_SAMPLE = 3000
MIN_RETAILERS = 10


class DegenerateDataError(ValueError):
    """The data cannot be segmented (too few retailers, or no variation)."""


@dataclass
class SegmentationFit:
    """A fitted pipeline and what was learned on the way."""

    pipeline: Pipeline
    numeric: tuple[str, ...]
    weights: dict[str, float]
    prepared: dict[str, np.ndarray]
    labels: np.ndarray  # cluster index of every training retailer
    volume: np.ndarray
    cuts: tuple[float, float]
    metrics: dict[str, Any]
    k_scores: list[dict[str, Any]] = field(default_factory=list)

    @property
    def k(self) -> int:
        return int(self.pipeline.named_steps["cluster"].n_clusters)

    def predict(self, prepared: Mapping[str, np.ndarray]) -> np.ndarray:
        """Cluster index by the scikit-learn pipeline (the reference for serving parity)."""
        return self.pipeline.predict(_frame(prepared, self.numeric))

    def serving_model(
        self,
        segment_ids: np.ndarray,
        profiles: dict[int, dict[str, Any]],
        retailer_ids: np.ndarray,
        trained_at: str,
        next_segment_id: int,
    ) -> SegmentationModel:
        """The numpy-only artifact holding this pipeline's fitted tables."""
        encoder = self.pipeline.named_steps["encode"]
        if self.numeric:
            numeric = encoder.named_transformers_["numeric"]
            medians = numeric.named_steps["impute"].statistics_
            means = numeric.named_steps["scale"].mean_
            scales = numeric.named_steps["scale"].scale_
        else:
            medians = means = scales = np.empty(0)
        return SegmentationModel(
            categorical=tuple((n, category_levels(n)) for n in CATEGORICAL),
            numeric=self.numeric,
            medians=np.asarray(medians, dtype=float),
            means=np.asarray(means, dtype=float),
            scales=np.asarray(scales, dtype=float),
            column_weights=self.pipeline.named_steps["weigh"].kw_args["factors"],
            centroids=self.pipeline.named_steps["cluster"].cluster_centers_.copy(),
            segment_ids=np.asarray(segment_ids, dtype=np.int64),
            profiles=profiles,
            retailer_ids=np.asarray(retailer_ids, dtype=np.int64),
            retailer_segments=np.asarray(segment_ids, dtype=np.int64)[self.labels],
            volume_cuts=self.cuts,
            metrics={k: v for k, v in self.metrics.items() if k != "k_scores"},
            trained_at=trained_at,
            next_segment_id=next_segment_id,
        )


def raw_columns(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """The model's input columns of a retailers frame, as plain lists (absent ones left out)."""
    return {name: frame[name].tolist() for name in DIMENSIONS if name in frame}


def prepare_frame(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """A retailers frame (source columns) → prepared arrays (see :mod:`features`)."""
    return prepare_columns(raw_columns(frame), len(frame))


def model_numeric(
    prepared: Mapping[str, np.ndarray],
    min_coverage: float,
    candidates: tuple[str, ...] = DEMOGRAPHIC_NUMERIC,
) -> tuple[str, ...]:
    """Numeric ``candidates`` known for enough retailers to be worth a model input."""
    return tuple(n for n in candidates if np.mean(~np.isnan(prepared[n])) >= min_coverage)


def dimension_codes(
    prepared: Mapping[str, np.ndarray], numeric: tuple[str, ...], rows: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Integer codes of every model dimension (numbers in quintiles of ``rows``)."""
    subset = prepared if rows is None else {n: v[rows] for n, v in prepared.items()}
    codes = {}
    for name in (*CATEGORICAL, *numeric):
        edges = quantile_edges(subset[name]) if name in NUMERIC else None
        codes[name] = attribute_codes(prepared, name, edges)
    return codes


def dimension_weights(codes: Mapping[str, np.ndarray], volume: np.ndarray) -> dict[str, float]:
    """How much each dimension tells about volume, relative to the most telling one.

    With no volume signal at all every dimension gets weight 1 (plain demographic KMeans).
    """
    information = {name: mutual_information(c, volume) for name, c in codes.items()}
    top = max(information.values(), default=0.0)
    if top <= 0:
        return dict.fromkeys(codes, 1.0)
    return {name: round(value / top, 6) for name, value in information.items()}


def column_weights(weights: Mapping[str, float], numeric: tuple[str, ...]) -> np.ndarray:
    """Per-column factors: a differing category or a typical numeric gap costs the weight."""
    factors = [np.sqrt(weights[n] / 2) for n in CATEGORICAL for _ in category_levels(n)]
    factors += [np.sqrt(weights[n] / 2) for n in numeric]
    return np.array(factors)


def _weigh(features: np.ndarray, factors: np.ndarray) -> np.ndarray:
    return np.asarray(features) * factors


def build_encoder(numeric: tuple[str, ...]) -> ColumnTransformer:
    parts: list[tuple[str, Any, list[str]]] = [
        (
            "categorical",
            OneHotEncoder(
                categories=[list(category_levels(n)) for n in CATEGORICAL],
                sparse_output=False,
                dtype=float,
            ),
            list(CATEGORICAL),
        )
    ]
    if numeric:
        scaler = Pipeline(
            [
                ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
                ("scale", StandardScaler()),
            ]
        )
        parts.append(("numeric", scaler, list(numeric)))
    return ColumnTransformer(parts)


def build_pipeline(
    numeric: tuple[str, ...], factors: np.ndarray, k: int, seed: int, n_init: int
) -> Pipeline:
    """Encode → weigh → KMeans: the reference pipeline the serving artifact reproduces."""
    return Pipeline(
        [
            ("encode", build_encoder(numeric)),
            ("weigh", FunctionTransformer(_weigh, kw_args={"factors": factors})),
            ("cluster", KMeans(n_clusters=k, n_init=n_init, random_state=seed)),
        ]
    )


def _kmeans(features: np.ndarray, k: int, seed: int, n_init: int) -> KMeans:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(features)


def _mix_table(labels: np.ndarray, volume: np.ndarray, k: int) -> np.ndarray:
    """Laplace-smoothed volume class probabilities per segment (k × 3)."""
    table = np.ones((k, 3))
    np.add.at(table, (labels, volume), 1.0)
    return table / table.sum(axis=1, keepdims=True)


def _heldout(
    train_groups: np.ndarray,
    train_volume: np.ndarray,
    test_groups: np.ndarray,
    test_volume: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per held-out row: is its group's majority class right, and the log loss of the mix."""
    size = int(max(train_groups.max(), test_groups.max())) + 1
    mix = _mix_table(train_groups, train_volume, size)
    hit = mix[test_groups].argmax(axis=1) == test_volume
    return hit, -np.log(mix[test_groups, test_volume])


@dataclass
class _Fold:
    train: np.ndarray
    test: np.ndarray
    train_x: np.ndarray
    test_x: np.ndarray


def _folds(
    prepared: Mapping[str, np.ndarray],
    volume: np.ndarray,
    numeric: tuple[str, ...],
    config: SegmentationConfig,
) -> list[_Fold]:
    """Stratified folds with their encoded matrices (weights learned on the train part only)."""
    smallest = int(np.bincount(volume, minlength=3)[np.bincount(volume, minlength=3) > 0].min())
    splits = max(2, min(config.folds, smallest))
    splitter = StratifiedKFold(n_splits=splits, shuffle=True, random_state=config.seed)
    frame = pd.DataFrame({n: prepared[n] for n in (*CATEGORICAL, *numeric)})
    folds = []
    for train, test in splitter.split(np.zeros(len(volume)), volume):
        codes = dimension_codes(prepared, numeric, train)
        weights = dimension_weights({n: c[train] for n, c in codes.items()}, volume[train])
        encoder = build_encoder(numeric).fit(frame.iloc[train])
        factors = column_weights(weights, numeric)
        folds.append(
            _Fold(
                train,
                test,
                encoder.transform(frame.iloc[train]) * factors,
                encoder.transform(frame.iloc[test]) * factors,
            )
        )
    return folds


def _baselines(
    prepared: Mapping[str, np.ndarray],
    volume: np.ndarray,
    numeric: tuple[str, ...],
    folds: list[_Fold],
    business: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Held-out accuracy of the majority class and of grouping on each single attribute
    (the model's dimensions; the non-input ``business`` numbers reported apart)."""
    majority: list[np.ndarray] = []
    per_attribute: dict[str, list[np.ndarray]] = {
        name: [] for name in (*CATEGORICAL, *numeric, *business)
    }
    for fold in folds:
        train_volume, test_volume = volume[fold.train], volume[fold.test]
        majority.append(test_volume == np.bincount(train_volume, minlength=3).argmax())
        codes = dimension_codes(prepared, (*numeric, *business), fold.train)
        for name, code in codes.items():
            per_attribute[name].append(
                _heldout(code[fold.train], train_volume, code[fold.test], test_volume)[0]
            )
    accuracy = {
        name: round(float(np.concatenate(v).mean()), 4) for name, v in per_attribute.items()
    }
    attribute_accuracy = {n: a for n, a in accuracy.items() if n not in business}
    best = max(attribute_accuracy, key=attribute_accuracy.__getitem__)
    return {
        "majority_class_accuracy": round(float(np.concatenate(majority).mean()), 4),
        "best_single_attribute": best,
        "best_single_attribute_accuracy": attribute_accuracy[best],
        "single_attribute_accuracy": attribute_accuracy,
        "business_field_accuracy": {n: accuracy[n] for n in business},
    }


def _score_k(
    k: int, folds: list[_Fold], volume: np.ndarray, config: SegmentationConfig
) -> dict[str, float]:
    """Held-out accuracy and log loss over all folds (every row held out once)."""
    hits, losses = [], []
    for fold in folds:
        model = _kmeans(fold.train_x, k, config.seed, config.selection_n_init)
        test_labels = model.predict(fold.test_x)
        hit, loss = _heldout(model.labels_, volume[fold.train], test_labels, volume[fold.test])
        hits.append(hit)
        losses.append(loss)
    loss = np.concatenate(losses)
    return {
        "heldout_accuracy": float(np.concatenate(hits).mean()),
        "heldout_log_loss": float(loss.mean()),
        "heldout_log_loss_se": float(loss.std() / np.sqrt(loss.size)),
    }


def _structure(features: np.ndarray, k: int, config: SegmentationConfig) -> dict[str, float]:
    """Silhouette and smallest segment share of a k-means fit on ``features``."""
    labels = _kmeans(features, k, config.seed, config.selection_n_init).labels_
    counts = np.bincount(labels, minlength=k)
    silhouette = _silhouette(features, labels, config.seed)
    return {"silhouette": silhouette, "min_segment_fraction": float(counts.min() / counts.sum())}


def _silhouette(features: np.ndarray, labels: np.ndarray, seed: int) -> float:
    if len(np.unique(labels)) < 2:
        return -1.0
    sample = min(SILHOUETTE_SAMPLE, len(labels))
    return float(silhouette_score(features, labels, sample_size=sample, random_state=seed))


def _choose_k(scores: list[dict[str, Any]], config: SegmentationConfig) -> int:
    """Best held-out log loss among guarded k; the clearest k within one standard error wins.

    (The one-standard-error rule: differences smaller than the estimate's own noise do not
    justify more or different segments; among those, the highest silhouette is chosen.)
    """
    sized = [s for s in scores if s["min_segment_fraction"] >= config.min_segment_fraction]
    guarded = [s for s in sized if s["silhouette"] >= config.min_silhouette] or sized or scores
    best = min(guarded, key=lambda s: s["heldout_log_loss"])
    limit = best["heldout_log_loss"] + best["heldout_log_loss_se"]
    near = [s for s in guarded if s["heldout_log_loss"] <= limit]
    return int(max(near, key=lambda s: (s["silhouette"], -s["k"]))["k"])


def fit_segmentation(
    frame: pd.DataFrame, config: SegmentationConfig = SegmentationConfig()
) -> SegmentationFit:
    """Fit on a retailers frame (demographic columns and ``total_sales``).

    Runs single-threaded: the many small k-means fits are several times faster without
    OpenMP threads (and far faster when the CPU is shared).
    """
    with threadpool_limits(limits=1):
        return _fit(frame, config)


def _fit(frame: pd.DataFrame, config: SegmentationConfig) -> SegmentationFit:
    if len(frame) < MIN_RETAILERS:
        raise DegenerateDataError(
            f"need at least {MIN_RETAILERS} retailers to segment, got {len(frame)}"
        )
    prepared = prepare_frame(frame)
    sales = frame["total_sales"].to_numpy(dtype=float)
    cuts = volume_cut_points(sales, config.volume_thresholds)
    volume = volume_classes(sales, cuts)
    numeric = model_numeric(prepared, config.min_numeric_coverage)

    rows = _selection_rows(len(frame), config)
    sample = {n: v[rows] for n, v in prepared.items()}
    folds = _folds(sample, volume[rows], numeric, config)
    scores = _score_candidates(sample, volume[rows], numeric, folds, config)
    k = _choose_k(scores, config)

    weights = dimension_weights(dimension_codes(prepared, numeric), volume)
    pipeline = build_pipeline(
        numeric, column_weights(weights, numeric), k, config.seed, config.n_init
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pipeline.fit(_frame(prepared, numeric))
    fit = SegmentationFit(
        pipeline, numeric, weights, prepared, np.empty(0), volume, cuts, {}, scores
    )
    fit.labels = fit.predict(prepared)
    fit.metrics = {
        **_fit_metrics(fit, k, config),
        **_baselines(
            sample,
            volume[rows],
            numeric,
            folds,
            model_numeric(sample, config.min_numeric_coverage, BUSINESS_NUMERIC),
        ),
        "folds": len(folds),
        "dimension_weights": weights,
        "numeric_inputs": list(numeric),
        "volume_cut_points": list(cuts),
        "k_scores": [
            {key: round(v, 4) if isinstance(v, float) else v for key, v in s.items()}
            for s in scores
        ],
    }
    return fit


def _selection_rows(n_rows: int, config: SegmentationConfig) -> np.ndarray:
    """The retailers k is chosen on: all, or a seeded sample of ``selection_sample``."""
    rows = np.arange(n_rows)
    if n_rows > config.selection_sample:
        rng = np.random.default_rng(config.seed)
        rows = np.sort(rng.choice(rows, config.selection_sample, replace=False))
    return rows


def _score_candidates(
    sample: Mapping[str, np.ndarray],
    volume: np.ndarray,
    numeric: tuple[str, ...],
    folds: list[Any],
    config: SegmentationConfig,
) -> list[dict[str, Any]]:
    """Held-out volume scores and cluster structure of every candidate k on the sample."""
    n_rows = len(volume)
    k_max = min(config.k_max, max(config.k_min, n_rows // 10))
    candidates = [config.k] if config.k else list(range(config.k_min, k_max + 1))
    sample_weights = dimension_weights(dimension_codes(sample, numeric), volume)
    sample_x = build_encoder(numeric).fit_transform(_frame(sample, numeric)) * column_weights(
        sample_weights, numeric
    )
    return [
        {"k": k, **_score_k(k, folds, volume, config), **_structure(sample_x, k, config)}
        for k in candidates
    ]


def _fit_metrics(fit: SegmentationFit, k: int, config: SegmentationConfig) -> dict[str, Any]:
    """Quality of the final fit: sizes, silhouette, volume NMI and the chosen k's scores."""
    chosen = next(s for s in fit.k_scores if s["k"] == k)
    features = fit.pipeline[:-1].transform(_frame(fit.prepared, fit.numeric))
    counts = np.bincount(fit.labels, minlength=k)
    return {
        "k": k,
        "retailers": len(fit.labels),
        "segments_found": int(np.count_nonzero(counts)),
        "silhouette": round(_silhouette(features, fit.labels, config.seed), 4),
        "min_segment_fraction": round(float(counts.min() / counts.sum()), 4),
        "volume_nmi": round(float(normalized_mutual_info_score(fit.volume, fit.labels)), 4),
        "heldout_accuracy": round(chosen["heldout_accuracy"], 4),
        "heldout_log_loss": round(chosen["heldout_log_loss"], 4),
    }


def _frame(prepared: Mapping[str, np.ndarray], numeric: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({n: prepared[n] for n in (*CATEGORICAL, *numeric)})
