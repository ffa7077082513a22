"""The city's figures as a sheet (`ledger city --csv`): one row per window, then the total and
its breakdowns — the same cells, encodings and formula guard as `ledger.sheets` writes for
`weekly`. (Kept in its own module: the city's sheet is read by the office above, not
imported back.)"""

from __future__ import annotations

from collections.abc import Iterator

from ledger.i18n import label, t
from ledger.reports import BREAKDOWNS, FIGURE_KEYS
from ledger.sheets import text_cell


def _value(value: object) -> str:
    return "" if value is None else str(value)


def city_rows(report: dict) -> Iterator[list[str]]:
    """Rows for a spreadsheet: the windows, the total, the total's breakdowns, the windows
    below a line."""
    yield [t("city.title", start=report["from"], end=report["to"])]
    yield []
    yield [t("city.col_code"), t("city.col_name"), *(t(f"weekly.{key}") for key in FIGURE_KEYS)]
    for row in report["windows"]:
        window = row["window"]
        yield [
            text_cell(window["code"] or ""),
            text_cell(window["name"] or ""),
            *(_value(row[key]) for key in FIGURE_KEYS),
        ]
    total = report["total"]
    yield [
        text_cell(t("city.total")),
        text_cell(t("city.windows", count=total["windows"])),
        *(_value(total[key]) for key in FIGURE_KEYS),
    ]
    for key, word in BREAKDOWNS:
        yield []
        yield [t(f"weekly.{key}"), t("weekly.count")]
        for code, count in total[key].items():
            name = t("weekly.none") if code == "none" else (label(word, code) if word else code)
            yield [text_cell(name), str(count)]
    if report["below_threshold"]:
        yield []
        yield [t("city.below")]
        for item in report["below_threshold"]:
            window = item["window"]
            for key, value in item["short"].items():
                yield [
                    text_cell(window["code"] or ""),
                    text_cell(window["name"] or ""),
                    t(f"weekly.{key}"),
                    _value(value),
                    _value(report["thresholds"][key]),
                ]
