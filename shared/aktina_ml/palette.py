"""Segment colours: one colour per stable segment id, the same in every answer and chart."""

from __future__ import annotations

# Colour-blind-safe categorical palette (Okabe–Ito, without black and yellow, which read
# poorly as thin lines), then Tableau's; ids past its end wrap around.
SEGMENT_COLORS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#4E79A7",
    "#F28E2B",
    "#59A14F",
    "#B07AA1",
)


def segment_color(segment_id: int) -> str:
    """The colour of segment ``segment_id`` (ids start at 0 or 1; both map stably)."""
    return SEGMENT_COLORS[int(segment_id) % len(SEGMENT_COLORS)]
