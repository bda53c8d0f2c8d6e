"""The /stats chart as a PNG: the team's SPIN mix, and each person's rates side by side.

Drawn with matplotlib's object API (no pyplot, no global figure state), so it is safe in the
engine's worker threads. Chinese needs a CJK font, which the machine may not have: the Noto
Sans CJK font shipped by the `mplfonts` package is registered and used as a fallback behind
DejaVu Sans, glyph by glyph. All words on the chart arrive as arguments, from templates.
matplotlib (and numpy under it) is imported by the function that draws, so a process that never
draws a chart, such as `salescoach --help`, never loads it.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.text import cut

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
FAMILIES = ["DejaVu Sans", "Noto Sans CJK SC"]
SPIN_COLOURS = ("#9ecae1", "#4292c6", "#e6550d", "#31a354")
RATE_COLOURS = ("#31a354", "#4292c6", "#e6550d")
PEOPLE_SHOWN = 15


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: its label and its values (percentages, None when unknown)."""

    label: str
    values: Sequence[int | None]


@dataclass(frozen=True)
class ChartText:
    """Every word on the chart, in the reader's language."""

    title: str
    spin_title: str
    spin_names: Sequence[str]
    rates_title: str
    rate_names: Sequence[str]
    more_people: str  # "" when everyone is shown
    empty: str


def cjk_font_path() -> Path | None:
    """The shipped CJK font, found without importing its package."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / CJK_FONT_FILE
    return path if path.is_file() else None


def short(label: str, limit: int = 14) -> str:
    """A name cut to fit the fixed left margin."""
    return cut(label, limit)


@cache
def _fonts() -> None:
    """Register the CJK fallback font once per process."""
    import matplotlib
    from matplotlib import font_manager

    path = cjk_font_path()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams["font.family"] = FAMILIES


def stats_chart(*, text: ChartText, spin: Sequence[Bar], rates: Sequence[Bar]) -> bytes:
    """Two panels: SPIN mix as 100% stacked bars, then rates per person as grouped bars."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    _fonts()
    people = list(rates)[:PEOPLE_SHOWN]
    height = 2.2 + 0.45 * len(spin) + 0.55 * max(1, len(people))
    # Fixed margins instead of constrained layout, which would draw everything twice.
    figure = Figure(figsize=(8, height), dpi=100)
    FigureCanvasAgg(figure)
    figure.suptitle(text.title, fontsize=13, y=1 - 0.12 / height)
    top, bottom = figure.subplots(
        2,
        1,
        height_ratios=[max(1, len(spin)), max(1.5, 1.25 * len(people))],
        gridspec_kw={
            "left": 0.22,
            "right": 0.97,
            "top": 1 - 0.75 / height,
            "bottom": 0.85 / height,
            "hspace": 1.1 / height * 2,
        },
    )
    top.set_title(text.spin_title, loc="left", fontsize=11)
    for row, bar in enumerate(spin):
        left = 0.0
        for index, value in enumerate(bar.values):
            share = float(value or 0)
            top.barh(row, share, left=left, color=SPIN_COLOURS[index], edgecolor="white")
            if share >= 8:
                top.text(left + share / 2, row, f"{share:.0f}%", ha="center", va="center")
            left += share
    top.set_yticks(range(len(spin)), [short(bar.label) for bar in spin])
    top.set_xlim(0, 100)
    top.invert_yaxis()
    top.set_xticks([])
    top.legend(
        handles=[
            Patch(color=SPIN_COLOURS[index], label=name)
            for index, name in enumerate(text.spin_names)
        ],
        ncols=len(text.spin_names),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        frameon=False,
        fontsize=9,
    )
    for side in ("top", "right", "bottom"):
        top.spines[side].set_visible(False)
    bottom.set_title(text.rates_title, loc="left", fontsize=11)
    if not people:
        bottom.text(0.5, 0.5, text.empty, ha="center", va="center", transform=bottom.transAxes)
        bottom.set_axis_off()
    width = 0.8 / len(text.rate_names)
    for row, bar in enumerate(people):
        for index, value in enumerate(bar.values):
            offset = (index - (len(text.rate_names) - 1) / 2) * width
            bottom.barh(row + offset, float(value or 0), height=width, color=RATE_COLOURS[index])
            if value is not None:
                bottom.text(float(value) + 1, row + offset, f"{value}%", va="center", fontsize=7)
    if people:
        bottom.set_yticks(range(len(people)), [short(bar.label) for bar in people])
        bottom.set_xlim(0, 110)
        bottom.set_xticks([])
        bottom.spines["bottom"].set_visible(False)
        bottom.invert_yaxis()
        figure.legend(
            handles=[
                Patch(color=RATE_COLOURS[index], label=name)
                for index, name in enumerate(text.rate_names)
            ],
            ncols=len(text.rate_names),
            loc="lower center",
            bbox_to_anchor=(0.5, 0.3 / height),
            frameon=False,
            fontsize=8,
        )
        for side in ("top", "right"):
            bottom.spines[side].set_visible(False)
    if text.more_people:
        figure.text(0.5, 0.08 / height, text.more_people, fontsize=8, ha="center")
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
