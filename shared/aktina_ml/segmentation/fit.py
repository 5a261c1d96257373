"""Training the segmentation: volume-guided KMeans on demographics (scikit-learn).

* Inputs: the customer demographics only — the four Laravel enums, the city of its frequent
  values, the male/female ratio, and by a setting the business type — placed by
  :mod:`encoding` (each level by its volume profile, every dimension shrunk by its signal).
  Sales volume is the target, never an input, and so are the business figures (revenue,
  head count: they stand in for sales, see :mod:`features`); their held-out volume accuracy
  is reported next to the segments'. A new retailer is placed from its demographics alone.
* k is chosen for held-out value and stability (:mod:`stability`): cross-validated log loss
  of the volume class predicted by each segment's volume mix, among k whose bootstrap ARI is
  at least 0.8 and whose smallest segment is not too small; the one-standard-error rule takes
  the fewest such segments. Everything is seeded, so a run is deterministic.
* The metrics say how the segments compare with the best single attribute and with plain
  KMeans on the same inputs and folds (:mod:`assessment`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import normalized_mutual_info_score, silhouette_score
from threadpoolctl import threadpool_limits

from aktina_ml.data import retailer_columns
from aktina_ml.segmentation.artifact import SegmentationModel
from aktina_ml.segmentation.assessment import TOLERANCE, assess
from aktina_ml.segmentation.backtest import (
    SILHOUETTE_SAMPLE,
    EncodingSpec,
    Fold,
    candidate_scores,
    kmeans,
    logistic_accuracy,
    majority_accuracy,
    make_folds,
    plain_kmeans_k,
    score_k,
    single_attribute_accuracy,
)
from aktina_ml.segmentation.config import SegmentationConfig
from aktina_ml.segmentation.encoding import Encoding
from aktina_ml.segmentation.features import (
    BUSINESS_NUMERIC,
    DEMOGRAPHIC_NUMERIC,
    DIMENSIONS,
    NUMERIC,
    number_column,
    prepare_columns,
)
from aktina_ml.segmentation.quality import FitQuality
from aktina_ml.segmentation.stability import choose_k
from aktina_ml.segmentation.volume import volume_classes, volume_cut_points

MIN_RETAILERS = 10
FREE_TEXT = retailer_columns.FREE_TEXT  # always used (levels: their frequent values)
OPTIONAL_CATEGORICAL = retailer_columns.OPTIONAL_CATEGORICAL  # each by a setting


class DegenerateDataError(ValueError):
    """The data cannot be segmented (too few retailers, or no variation)."""


@dataclass
class SegmentationFit:
    """A fitted segmentation and what was learned on the way."""

    encoding: Encoding
    clustering: KMeans
    spec: EncodingSpec
    prepared: dict[str, np.ndarray]  # for the profiles (features.prepare_columns)
    labels: np.ndarray  # cluster index of every training retailer
    volume: np.ndarray
    cuts: tuple[float, float]
    weights: dict[str, float]
    quality: FitQuality

    @property
    def k(self) -> int:
        return int(self.clustering.n_clusters)

    @property
    def metrics(self) -> dict[str, Any]:
        """The quality under its published names (:meth:`FitQuality.to_dict`)."""
        return self.quality.to_dict()

    @property
    def k_scores(self) -> list[dict[str, Any]]:
        return self.quality.k_scores

    @property
    def numeric(self) -> tuple[str, ...]:
        return self.encoding.numeric

    def predict(self, columns: Mapping[str, Sequence[Any] | None], length: int) -> np.ndarray:
        """Cluster index of raw columns by scikit-learn's KMeans (the serving reference)."""
        return self.clustering.predict(self.encoding.encode(columns, length))

    def serving_model(
        self,
        segment_ids: np.ndarray,
        profiles: dict[int, dict[str, Any]],
        retailer_ids: np.ndarray,
        trained_at: str,
        next_segment_id: int,
    ) -> SegmentationModel:
        """The numpy-only artifact holding this fit's encoding and centroids."""
        return SegmentationModel(
            encoding=self.encoding,
            centroids=self.clustering.cluster_centers_.copy(),
            segment_ids=np.asarray(segment_ids, dtype=np.int64),
            profiles=profiles,
            retailer_ids=np.asarray(retailer_ids, dtype=np.int64),
            retailer_segments=np.asarray(segment_ids, dtype=np.int64)[self.labels],
            volume_cuts=self.cuts,
            metrics={k: v for k, v in self.quality.to_dict().items() if k != "k_scores"},
            trained_at=trained_at,
            next_segment_id=next_segment_id,
        )


def raw_columns(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """The model's input columns of a retailers frame, as plain lists (absent ones left out)."""
    names = (*DIMENSIONS, *FREE_TEXT, *OPTIONAL_CATEGORICAL)
    return {name: frame[name].tolist() for name in names if name in frame}


def prepare_frame(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """A retailers frame (source columns) → prepared arrays (see :mod:`features`)."""
    return prepare_columns(raw_columns(frame), len(frame))


def model_numeric(
    columns: Mapping[str, Sequence[Any] | None],
    length: int,
    min_coverage: float,
    candidates: tuple[str, ...] = DEMOGRAPHIC_NUMERIC,
) -> tuple[str, ...]:
    """Numeric ``candidates`` known for enough retailers to be worth a model input."""
    known = {
        n: float(np.mean(~np.isnan(number_column(columns.get(n), NUMERIC[n], length))))
        for n in candidates
    }
    return tuple(n for n in candidates if known[n] >= min_coverage)


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
    columns, length = raw_columns(frame), len(frame)
    sales = frame["total_sales"].to_numpy(dtype=float)
    cuts = volume_cut_points(sales, config.volume_thresholds)
    volume = volume_classes(sales, cuts)
    spec = EncodingSpec(
        model_numeric(columns, length, config.min_numeric_coverage),
        (*FREE_TEXT, *config.extra_categorical),
        config.min_level_share,
    )
    encoding = spec.fit(columns, length, volume, np.arange(length), guided=True)
    features = encoding.encode(columns, length)
    selection = _Selection.of(columns, volume, spec, config)
    ks = _candidate_ks(features, selection.length, config)
    scores = candidate_scores(
        ks,
        selection.columns,
        selection.length,
        selection.volume,
        spec,
        selection.folds,
        config.seed,
        config.selection_n_init,
        config.stability_rounds,
    )
    references = selection.references(ks, config)
    floor = references["best_single_attribute_accuracy"] - TOLERANCE
    choice = choose_k(scores, config.min_stability, config.min_segment_fraction, floor)
    clustering = kmeans(features, choice.k, config.seed, config.n_init)
    prepared = prepare_frame(frame)
    for dimension in encoding.categorical:  # free-text inputs as their levels, for profiles
        if dimension.free_text:
            codes = dimension.codes(columns.get(dimension.name), length)
            prepared[dimension.name] = np.array(dimension.levels, dtype=object)[codes]
    labels = clustering.predict(features)
    weights = _weights(encoding, features)
    chosen = next(s for s in scores if s.k == choice.k)
    values = {
        **_fit_metrics(
            encoding,
            int(clustering.n_clusters),
            labels,
            volume,
            cuts,
            weights,
            features,
            config.seed,
        ),
        "k_rule": choice.rule,
        "heldout_accuracy": round(chosen.heldout_accuracy, 4),
        "heldout_log_loss": round(chosen.heldout_log_loss, 4),
        "stability": round(chosen.stability, 4),
        "seed_stability": round(chosen.seed_stability, 4),
        "stable": chosen.stability >= config.min_stability,
        **references,
        "plain_kmeans_same_k_accuracy": selection.plain_at(choice.k, config),
        "k_scores": [s.rounded() for s in scores],
    }
    quality = FitQuality(**values, assessment=assess(values))
    return SegmentationFit(
        encoding, clustering, spec, prepared, labels, volume, cuts, weights, quality
    )


@dataclass
class _Selection:
    """The retailers k is chosen on (all, or a seeded sample of ``selection_sample``) and
    their folds; the references are measured on the same folds."""

    columns: dict[str, list[Any]]
    length: int
    volume: np.ndarray
    spec: EncodingSpec
    folds: list[Fold]

    @classmethod
    def of(
        cls,
        columns: Mapping[str, Sequence[Any]],
        volume: np.ndarray,
        spec: EncodingSpec,
        config: SegmentationConfig,
    ) -> _Selection:
        rows = np.arange(len(volume))
        if rows.size > config.selection_sample:
            rng = np.random.default_rng(config.seed)
            rows = np.sort(rng.choice(rows, config.selection_sample, replace=False))
        picked = rows.tolist()
        sample = {name: [values[i] for i in picked] for name, values in columns.items()}
        folds = make_folds(sample, rows.size, volume[rows], spec, config.folds, config.seed)
        return cls(sample, int(rows.size), volume[rows], spec, folds)

    def references(self, ks: list[int], config: SegmentationConfig) -> dict[str, Any]:
        """What an outsider would compare the segments with, held out on the same folds:
        plain KMeans at its own best k (silhouette over ``ks``), a logistic regression, the
        majority class and every single attribute."""
        plain_k = plain_kmeans_k(
            self.columns, self.length, self.volume, self.spec, ks, config.seed, config.n_init
        )
        business = model_numeric(
            self.columns, self.length, config.min_numeric_coverage, BUSINESS_NUMERIC
        )
        attributes = single_attribute_accuracy(
            self.columns, self.length, self.volume, self.folds, self.spec, business
        )
        inputs = {n: a for n, a in attributes.items() if n not in business}
        best = max(inputs, key=inputs.__getitem__)
        return {
            "plain_kmeans_k": plain_k,
            "plain_kmeans_accuracy": self.plain_at(plain_k, config),
            "logistic_regression_accuracy": logistic_accuracy(self.folds, self.volume),
            "majority_class_accuracy": majority_accuracy(self.volume, self.folds),
            "best_single_attribute": best,
            "best_single_attribute_accuracy": inputs[best],
            "single_attribute_accuracy": inputs,
            "business_field_accuracy": {n: attributes[n] for n in business},
            "folds": len(self.folds),
        }

    def plain_at(self, k: int, config: SegmentationConfig) -> float:
        """Held-out accuracy of plain KMeans (one-hot, equal weights) with ``k`` clusters."""
        plain = score_k(k, self.folds, self.volume, config.seed, config.selection_n_init, True)
        return round(plain[0], 4)


def _candidate_ks(features: np.ndarray, rows: int, config: SegmentationConfig) -> list[int]:
    """The k to score: the fixed one, or k_min..k_max (at most one per 10 retailers and no
    more than the distinct demographic profiles); impossible requests are refused."""
    distinct = len(np.unique(features, axis=0))
    if distinct < 2:
        raise DegenerateDataError("degenerate: the retailers do not differ in any demographic")
    if config.k:
        if config.k > distinct:
            raise DegenerateDataError(
                f"{config.k} segments asked for, but the retailers have only {distinct} "
                f"distinct demographic profiles; ask for at most {distinct}"
            )
        return [config.k]
    k_max = min(config.k_max, max(config.k_min, rows // 10), distinct)
    return list(range(config.k_min, max(k_max, config.k_min) + 1))


def _weights(encoding: Encoding, features: np.ndarray) -> dict[str, float]:
    """A dimension's weight: its share of the distance relative to the largest share (all 1
    for the plain encoding, where every dimension is weighted alike by construction)."""
    shares = encoding.dimension_shares(features)
    top = max(shares.values(), default=0.0)
    return {d: round(s / top, 4) if encoding.guided and top > 0 else 1.0 for d, s in shares.items()}


def _fit_metrics(
    encoding: Encoding,
    k: int,
    labels: np.ndarray,
    volume: np.ndarray,
    cuts: tuple[float, float],
    weights: dict[str, float],
    features: np.ndarray,
    seed: int,
) -> dict[str, Any]:
    """The final fit's sizes, structure, volume NMI and inputs."""
    counts = np.bincount(labels, minlength=k)
    return {
        "k": k,
        "retailers": len(labels),
        "segments_found": int(np.count_nonzero(counts)),
        "silhouette": round(_silhouette(features, labels, seed), 4),
        "min_segment_fraction": round(float(counts.min() / counts.sum()), 4),
        "volume_nmi": round(float(normalized_mutual_info_score(volume, labels)), 4),
        "volume_guided": encoding.guided,
        "dimension_weights": weights,
        "dimension_shares": encoding.dimension_shares(features),
        "categorical_inputs": {d.name: list(d.levels) for d in encoding.categorical},
        "numeric_inputs": list(encoding.numeric),
        "volume_cut_points": list(cuts),
    }


def _silhouette(features: np.ndarray, labels: np.ndarray, seed: int) -> float:
    if len(np.unique(labels)) < 2 or len(np.unique(features, axis=0)) < 2:
        return -1.0
    sample = min(SILHOUETTE_SAMPLE, len(labels))
    return float(silhouette_score(features, labels, sample_size=sample, random_state=seed))
