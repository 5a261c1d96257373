"""Figures in words: compact amounts ("1.25 M"), unit counts ("4,850"), percentages."""

from __future__ import annotations


def compact(value: float) -> str:
    """An amount in three significant figures with k/M/B ("1.25 M", "60.0 k", "42.5")."""
    rounded = float(f"{value:.3g}")  # 999.9 is "1.00 k", not "1.00e+03"
    size = abs(rounded)
    for limit, suffix in ((1e9, " B"), (1e6, " M"), (1e3, " k")):
        if size >= limit:
            return f"{rounded / limit:#.3g}".rstrip(".") + suffix
    return f"{rounded:#.3g}".rstrip(".") if size >= 1 else f"{value:.2f}"


def units(value: float) -> str:
    """A count of units, rounded, with thousands separators ("4,850")."""
    return f"{round(value):,}"


def percent(fraction: float) -> str:
    """A fraction as a whole percentage ("8 %")."""
    return f"{round(100 * fraction)} %"


def signed_percent(fraction: float) -> str:
    """A change as a signed percentage ("+15 %", "−4 %")."""
    value = round(100 * fraction)
    return f"+{value} %" if value > 0 else f"−{-value} %" if value < 0 else "0 %"


def ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator - 1``, or None when there is nothing to compare with."""
    return numerator / denominator - 1 if denominator > 0 else None
