"""Charts for printed reports, drawn by matplotlib as inline SVG (text kept as text, no fonts embedded)."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("svg")  # no display, no GUI toolkit: layak draws for paper only

from matplotlib import rc_context  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

# The same inputs give the same SVG: fixed ids, no creation date; text stays text (searchable, small).
_RC: Any = {
    "svg.fonttype": "none",
    "svg.hashsalt": "layak",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
COLOURS = {"fail": "#b3261e", "missing": "#c77c02", "invalid": "#6d4c9f", "bar": "#1f5f8b"}
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)


def _svg(figure: Figure) -> str:
    sink = io.StringIO()
    with rc_context(_RC):
        figure.savefig(sink, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return _PROLOGUE.sub("", sink.getvalue(), count=1)


def unmet_chart(rows: Sequence[tuple[str, dict[str, int]]], labels: dict[str, str], axis: str) -> str:
    """Horizontal stacked bars: for each requirement, how many candidates fail it, lack evidence, are invalid."""
    with rc_context(_RC):
        height = 0.9 + 0.28 * len(rows)
        figure = Figure(figsize=(7.2, height))
        ax = figure.subplots()
        names = [name for name, _counts in rows][::-1]
        left = [0] * len(rows)
        for status in ("fail", "missing", "invalid"):
            values = [counts.get(status, 0) for _name, counts in rows][::-1]
            if any(values):
                ax.barh(names, values, left=left, color=COLOURS[status], label=labels[status], height=0.7)
                left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_xlabel(axis)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="lower right", frameon=False)
        return _svg(figure)


def histogram(values: Sequence[float], bands: Sequence[tuple[float, str]], axis: str, count_axis: str) -> str:
    """A histogram of values (e.g. JPM) with the category bands' lower bounds marked."""
    with rc_context(_RC):
        figure = Figure(figsize=(7.2, 2.6))
        ax = figure.subplots()
        floor = 5 * math.floor(min([*values, *(b for b, _n in bands if b > 0)]) / 5)
        ceiling = 5 * math.ceil(max(values) / 5)  # the last bin holds its right edge: 100 falls in 95-100
        edges = list(range(floor, max(ceiling, floor + 5) + 1, 5))
        ax.hist(values, bins=edges, color=COLOURS["bar"], edgecolor="white")
        for bound, name in bands:
            if bound > 0:
                ax.axvline(bound, color="#555555", linestyle="--", linewidth=0.8)
                ax.annotate(
                    name,
                    (bound, 1),
                    xycoords=("data", "axes fraction"),
                    xytext=(3, -10),
                    textcoords="offset points",
                    fontsize=7,
                    color="#333333",
                )
        ax.set_xlabel(axis)
        ax.set_ylabel(count_axis)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        return _svg(figure)


def verdict_bars(names: Sequence[str], before: Sequence[int], after: Sequence[int], legend: tuple[str, str]) -> str:
    """Grouped bars: candidates per verdict under the current and the proposed rules."""
    with rc_context(_RC):
        figure = Figure(figsize=(6.0, 2.2))
        ax = figure.subplots()
        where = list(range(len(names)))
        ax.bar([x - 0.2 for x in where], before, width=0.4, color="#9aa5b1", label=legend[0])
        ax.bar([x + 0.2 for x in where], after, width=0.4, color=COLOURS["bar"], label=legend[1])
        ax.set_xticks(where, list(names))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(frameon=False, fontsize=8)
        return _svg(figure)
