"""Held-out scoring of segmentations: candidate k, stability, and the references they must beat.

Every figure is the accuracy (or log loss) of predicting a held-out retailer's volume class
from its group's volume mix on the training part (Laplace-smoothed), over stratified folds;
the encoding and the clustering are refitted on each training part, so nothing about the
held-out retailers is seen. The references use the same folds: the majority class, grouping on
each single attribute (its levels, numbers in quintiles), plain KMeans (one-hot, equal
weights) at the k an outsider would pick for it (best silhouette) and at the segments' k, a
multinomial logistic regression on the same one-hot inputs (a reference that is not a
segmentation), and the segments themselves.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold

from aktina_ml.segmentation.encoding import Encoding, fit_encoding
from aktina_ml.segmentation.features import NUMERIC, discretize, number_column, quantile_edges
from aktina_ml.segmentation.stability import KScore, bootstrap_stability, seed_stability

Columns = Mapping[str, Sequence[Any] | None]
SEED_ROUNDS = 4  # refits with other seeds: a k is stable only if the seed does not matter
SILHOUETTE_SAMPLE = 3000  # rows a silhouette is computed on (its cost is quadratic)


@dataclass(frozen=True)
class EncodingSpec:
    """How to fit the encoding (the inputs and the free-text rule), fold after fold."""

    numeric: tuple[str, ...]
    free_text: tuple[str, ...]
    min_share: float

    def fit(
        self, columns: Columns, length: int, volume: np.ndarray, rows: np.ndarray, guided: bool
    ) -> Encoding:
        return fit_encoding(
            columns,
            length,
            volume,
            rows,
            numeric=self.numeric,
            free_text=self.free_text,
            min_share=self.min_share,
            guided=guided,
        )


@dataclass
class Fold:
    train: np.ndarray
    test: np.ndarray
    features: np.ndarray  # every row encoded by the encoding fitted on ``train``
    plain: np.ndarray  # every row, plain one-hot


def kmeans(features: np.ndarray, k: int, seed: int, n_init: int) -> KMeans:
    """A seeded KMeans fit (convergence warnings on duplicate points silenced)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(features)


def mix_table(groups: np.ndarray, volume: np.ndarray, size: int) -> np.ndarray:
    """Laplace-smoothed volume class probabilities per group (size × 3)."""
    table = np.ones((size, 3))
    np.add.at(table, (groups, volume), 1.0)
    return table / table.sum(axis=1, keepdims=True)


def heldout(
    train_groups: np.ndarray,
    train_volume: np.ndarray,
    test_groups: np.ndarray,
    test_volume: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per held-out row: is its group's majority class right, and the log loss of the mix."""
    size = int(max(train_groups.max(), test_groups.max())) + 1
    mix = mix_table(train_groups, train_volume, size)
    return mix[test_groups].argmax(axis=1) == test_volume, -np.log(mix[test_groups, test_volume])


def make_folds(
    columns: Columns,
    length: int,
    volume: np.ndarray,
    spec: EncodingSpec,
    folds: int,
    seed: int,
    repeat: int = 0,
) -> list[Fold]:
    """Stratified folds (as many as the smallest volume class allows, at least two), each with
    every row encoded by the encodings fitted on its training part."""
    present = np.bincount(volume, minlength=3)
    splits = max(2, min(folds, int(present[present > 0].min())))
    splitter = StratifiedKFold(n_splits=splits, shuffle=True, random_state=seed + repeat)
    result = []
    for train, test in splitter.split(np.zeros(length), volume):
        guided = spec.fit(columns, length, volume, train, guided=True)
        plain = spec.fit(columns, length, volume, train, guided=False)
        result.append(
            Fold(train, test, guided.encode(columns, length), plain.encode(columns, length))
        )
    return result


def score_k(
    k: int,
    folds: Sequence[Fold],
    volume: np.ndarray,
    seed: int,
    n_init: int,
    plain: bool = False,
) -> tuple[float, float, float]:
    """(accuracy, mean log loss, its standard error) of k segments over the folds."""
    hits, losses = [], []
    for fold in folds:
        features = fold.plain if plain else fold.features
        model = kmeans(features[fold.train], k, seed, n_init)
        hit, loss = heldout(
            model.labels_, volume[fold.train], model.predict(features[fold.test]), volume[fold.test]
        )
        hits.append(hit)
        losses.append(loss)
    loss = np.concatenate(losses)
    return (
        float(np.concatenate(hits).mean()),
        float(loss.mean()),
        float(loss.std() / np.sqrt(loss.size)),
    )


def candidate_scores(
    ks: Sequence[int],
    columns: Columns,
    length: int,
    volume: np.ndarray,
    spec: EncodingSpec,
    folds: Sequence[Fold],
    seed: int,
    n_init: int,
    rounds: int,
) -> list[KScore]:
    """Cross-validated value and stability of every candidate k: the lower of the mean ARI of
    bootstrap refits and of refits with other seeds (both against the full fit)."""
    everyone = np.arange(length)
    features = spec.fit(columns, length, volume, everyone, guided=True).encode(columns, length)
    scores = []
    for k in ks:
        accuracy, loss, se = score_k(k, folds, volume, seed, n_init)
        reference = kmeans(features, k, seed, n_init).labels_

        def refit(rows: np.ndarray, k: int = k) -> np.ndarray:
            encoding = spec.fit(columns, length, volume, rows, guided=True)
            boot = encoding.encode(columns, length)
            labels: np.ndarray = kmeans(boot[rows], k, seed, n_init).predict(boot)
            return labels

        bootstrap = float(np.mean(bootstrap_stability(refit, reference, rounds, seed)))

        def refit_seed(other: int, k: int = k) -> np.ndarray:
            labels: np.ndarray = kmeans(features, k, other, n_init).labels_
            return labels

        seeds = seed_stability(refit_seed, reference, [seed + i for i in range(1, SEED_ROUNDS + 1)])
        counts = np.bincount(reference, minlength=k)
        share = float(counts.min() / length)
        scores.append(KScore(k, accuracy, loss, se, min(bootstrap, seeds), share, seeds))
    return scores


def single_attribute_accuracy(
    columns: Columns,
    length: int,
    volume: np.ndarray,
    folds: Sequence[Fold],
    spec: EncodingSpec,
    extra_numeric: Sequence[str] = (),
) -> dict[str, float]:
    """Held-out accuracy of grouping on each input dimension alone (and on ``extra_numeric``,
    numbers that are not inputs, reported apart)."""
    hits: dict[str, list[np.ndarray]] = {}
    for fold in folds:
        encoding = spec.fit(columns, length, volume, fold.train, guided=False)
        codes = {d.name: d.codes(columns.get(d.name), length) for d in encoding.categorical}
        for name in (*spec.numeric, *extra_numeric):
            values = number_column(columns.get(name), NUMERIC[name], length)
            codes[name] = quintile_codes_by(values, fold.train)
        for name, code in codes.items():
            hits.setdefault(name, []).append(
                heldout(code[fold.train], volume[fold.train], code[fold.test], volume[fold.test])[0]
            )
    return {name: round(float(np.concatenate(h).mean()), 4) for name, h in hits.items()}


def quintile_codes_by(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Quintile codes of ``values`` with cut points from ``rows`` only."""
    return discretize(values, quantile_edges(values[rows]))


def plain_kmeans_k(
    columns: Columns,
    length: int,
    volume: np.ndarray,
    spec: EncodingSpec,
    ks: Sequence[int],
    seed: int,
    n_init: int,
) -> int:
    """The k an outsider picks for plain KMeans: the best silhouette on the one-hot inputs of
    all rows (no volume involved, so nothing held out is seen)."""
    from sklearn.metrics import silhouette_score

    plain = spec.fit(columns, length, volume, np.arange(length), guided=False).encode(
        columns, length
    )
    sample = min(SILHOUETTE_SAMPLE, length)
    best, best_k = -np.inf, ks[0]
    for k in ks:
        labels = kmeans(plain, k, seed, n_init).labels_
        if len(np.unique(labels)) < 2:
            continue
        score = silhouette_score(plain, labels, sample_size=sample, random_state=seed)
        if score > best:
            best, best_k = score, k
    return best_k


def logistic_accuracy(folds: Sequence[Fold], volume: np.ndarray) -> float:
    """Held-out accuracy of a multinomial logistic regression on the plain one-hot inputs."""
    from sklearn.linear_model import LogisticRegression

    hits = []
    for fold in folds:
        seen = np.unique(volume[fold.train])
        if seen.size < 2:  # one volume class (e.g. no sales yet): it is the prediction
            hits.append(volume[fold.test] == seen[0])
            continue
        model = LogisticRegression(max_iter=1000).fit(fold.plain[fold.train], volume[fold.train])
        hits.append(model.predict(fold.plain[fold.test]) == volume[fold.test])
    return round(float(np.concatenate(hits).mean()), 4)


def majority_accuracy(volume: np.ndarray, folds: Sequence[Fold]) -> float:
    hits = [volume[f.test] == np.bincount(volume[f.train], minlength=3).argmax() for f in folds]
    return round(float(np.concatenate(hits).mean()), 4)
