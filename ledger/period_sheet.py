"""The period figures as a sheet (SPEC §6, §13): `sheets.weekly_rows` with what the 12345
practice adds to it — the window that kept the figures, and the departments below a threshold
with the figures that fell short — so that the CSV holds what the table and the JSON hold."""

from __future__ import annotations

from collections.abc import Iterator

from ledger.i18n import t
from ledger.reports import THRESHOLD_FIGURES
from ledger.sheets import text_cell, weekly_rows


def figure_rows(figures: dict) -> Iterator[list[str]]:
    rows = weekly_rows(figures)
    title = next(rows)
    window = figures.get("window") or {}
    # the title row names the window: a sheet sent upward says whose figures these are
    yield [*title, text_cell(window.get("name") or ""), text_cell(window.get("code") or "")]
    yield from rows
    yield from threshold_rows(figures)


def threshold_rows(figures: dict) -> Iterator[list[str]]:
    """One row per department and figure below its threshold: what it was, what it should be."""
    yield []
    yield [t("weekly.below_title")]
    yield [t(f"weekly.col_{k}") for k in ("department", "figure", "value", "threshold")]
    thresholds = figures["thresholds"]
    wanted = {figure: key for key, figure in THRESHOLD_FIGURES.items()}
    for row in figures["below_threshold"]:
        for figure, value in row["figures"].items():
            yield [
                text_cell(row["department"]),
                t(f"weekly.col_{figure}"),
                str(value),
                str(thresholds[wanted[figure]]),
            ]
