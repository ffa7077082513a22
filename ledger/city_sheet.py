"""The city's figures as a sheet (`ledger city --csv FILE`, CSV or `.xlsx`): one row per window,
then the total, the total's breakdowns and the windows below a line — written the way
`ledger.sheets` writes `weekly` (the same cells, encodings, formula guard, percentages and
charts). Kept in its own module: the city's sheet is read by the office above, never imported."""

from __future__ import annotations

from ledger import workbooks
from ledger.i18n import label, t
from ledger.reports import BREAKDOWNS, FIGURE_KEYS
from ledger.text import printable
from ledger.words import period_span


def _value(key: str, value: object) -> object:
    if value is None:
        return None
    return workbooks.Percent(value) if key.endswith("_rate") else value


def city_sections(report: dict) -> list[workbooks.Section]:
    Section = workbooks.Section
    total = report["total"]
    rows = [
        [
            printable(row["window"]["code"] or ""),
            printable(row["window"]["name"] or ""),
            *(_value(key, row[key]) for key in FIGURE_KEYS),
        ]
        for row in report["windows"]
    ]
    rows.append(
        [
            t("city.total"),
            t("city.windows", count=total["windows"]),
            *(_value(key, total[key]) for key in FIGURE_KEYS),
        ]
    )
    sections = [
        Section(
            [t("city.title", span=period_span(report))],
            header=[
                t("city.col_code"),
                t("city.col_name"),
                *(t(f"weekly.{key}") for key in FIGURE_KEYS),
            ],
            rows=rows,
        ),
    ]
    for key, word in BREAKDOWNS:
        names = [
            (t("weekly.none") if code == "none" else (label(word, code) if word else code), count)
            for code, count in total[key].items()
        ]
        sections.append(
            Section(
                [t(f"weekly.{key}"), t("weekly.count")],
                rows=[[printable(name), count] for name, count in names],
                chart=True,
            )
        )
    sections.append(
        Section(
            [t("city.below")],
            rows=[
                [
                    printable(item["window"]["code"] or ""),
                    printable(item["window"]["name"] or ""),
                    t(f"weekly.{key}"),
                    _value(key, value),
                    _value(key, report["thresholds"][key]),
                ]
                for item in report["below_threshold"]
                for key, value in item["short"].items()
            ],
        )
    )
    return sections
