"""Participation per month as a small bar chart: pure geometry, drawn as SVG by the template
(`wagtailadmin_custom/includes/participation_chart.html`), no script, readable in print."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format

from events.activity.figures import Month

PLOT_HEIGHT = 160
TOP = 24  # room for the value above the tallest bar
BOTTOM = 40  # room for the month below the axis
SIDE = 8
GROUP = 64  # one month: this period's bar, last year's bar, a gap
BAR = 24


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    value: int
    text_x: int


@dataclass(frozen=True)
class MonthColumn:
    label: str
    label_x: int
    current: Bar
    last_year: Bar


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: int
    columns: list[MonthColumn]

    @property
    def has_values(self) -> bool:
        return any(c.current.value or c.last_year.value for c in self.columns)

    @property
    def label_y(self) -> int:
        return self.baseline + 20


def _bar(x: int, value: int, highest: int) -> Bar:
    height = round(PLOT_HEIGHT * value / highest) if highest else 0
    return Bar(
        x=x,
        y=TOP + PLOT_HEIGHT - height,
        width=BAR,
        height=height,
        value=value,
        text_x=x + BAR // 2,
    )


def participation_chart(months: list[Month]) -> Chart:
    """People present per month (this period beside the same month a year before)."""
    highest = max([m.present for m in months] + [m.present_last_year for m in months] + [0])
    columns = []
    for index, month in enumerate(months):
        left = SIDE + index * GROUP + (GROUP - 2 * BAR) // 4
        columns.append(
            MonthColumn(
                label=date_format(month.month, "M Y"),
                label_x=left + BAR,
                current=_bar(left, month.present, highest),
                last_year=_bar(left + BAR + 2, month.present_last_year, highest),
            )
        )
    return Chart(
        width=2 * SIDE + GROUP * max(len(months), 1),
        height=TOP + PLOT_HEIGHT + BOTTOM,
        baseline=TOP + PLOT_HEIGHT,
        columns=columns,
    )
