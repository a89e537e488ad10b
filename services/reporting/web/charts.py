"""Charts as inline SVG: no script, no external asset, readable by screen readers (each
chart has a <title>, each bar its value as text), printable."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

Item = tuple[str, float | None]
_BAR = "#0b4f8a"
#: A bar label's font size, and roughly how wide a letter of it is (Thai or Latin): an
#: SVG cannot measure its text, so the labels' room is estimated from their letters.
_LABEL_SIZE = 13
_LETTER = 0.58 * _LABEL_SIZE
#: The widest a label column grows to; a longer label is written on two lines.
_MAX_LABEL_WIDTH = 380
_LINE = 15


def _text_width(text: str) -> float:
    # Thai vowels and tone marks above or below a letter take no width of their own.
    return _LETTER * sum(1 for c in text if not unicodedata.combining(c))


def _lines(label: str) -> list[str]:
    """The label on one line, or on two split at the space nearest its middle when one
    line would be wider than `_MAX_LABEL_WIDTH` (a unit's full name often is)."""
    if _text_width(label) <= _MAX_LABEL_WIDTH - 6 or " " not in label:
        return [label]
    middle = len(label) / 2
    cut = min((i for i, c in enumerate(label) if c == " "), key=lambda i: abs(i - middle))
    return [label[:cut], label[cut + 1 :]]


def _fmt(value: float | None, fmt: Callable[[float], str]) -> str:
    return "–" if value is None else fmt(value)


def _plain(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def bar_chart(
    items: Sequence[Item],
    *,
    title: str,
    width: int = 560,
    label_width: int = 190,
    bar_height: int = 22,
    fmt: Callable[[float], str] = _plain,
) -> Markup:
    """Horizontal bars, one per (label, value); None is shown as a dash (no bar). The
    label column widens (and the chart with it) to fit its longest label, up to
    `_MAX_LABEL_WIDTH`; a label longer still takes two lines."""
    top = max((x for _, x in items if x is not None), default=0) or 1
    lines = [_lines(label) for label, _ in items]
    needed = max((_text_width(line) for each in lines for line in each), default=0) + 10
    grown = max(label_width, min(int(needed), _MAX_LABEL_WIDTH))
    width += grown - label_width
    label_width = grown
    room = width - label_width - 70
    heights = [bar_height + _LINE * (len(each) - 1) for each in lines]
    height = sum(heights) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    y = 4
    for (_, value), each, row in zip(items, lines, heights, strict=True):
        length = 0 if value is None else max(value / top * room, 0)
        middle = y + row / 2
        first = middle + _LABEL_SIZE * 0.35 - _LINE * (len(each) - 1) / 2
        label = "".join(
            f'<tspan x="{label_width - 6}" y="{first + n * _LINE:.1f}">{escape(line)}</tspan>'
            for n, line in enumerate(each)
        )
        parts.append(
            f'<text text-anchor="end" font-size="{_LABEL_SIZE}">{label}</text>'
            f'<rect x="{label_width}" y="{middle - (bar_height - 6) / 2:.1f}" '
            f'width="{length:.1f}" height="{bar_height - 6}" fill="{_BAR}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{middle + _LABEL_SIZE * 0.35:.1f}" '
            f'font-size="{_LABEL_SIZE}">{escape(_fmt(value, fmt))}</text>'
        )
        y += row
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def column_chart(
    items: Sequence[Item],
    *,
    title: str,
    height: int = 220,
    column_width: int = 44,
    fmt: Callable[[float], str] = _plain,
) -> Markup:
    """Vertical columns, one per (label, value), e.g. cases per month."""
    top = max((x for _, x in items if x is not None), default=0) or 1
    plot = height - 58
    width = column_width * len(items) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        x = 5 + i * column_width
        bar = 0 if value is None else max(value / top * plot, 0)
        y = 18 + plot - bar
        middle = x + column_width / 2
        parts.append(
            f'<rect x="{x + 6}" y="{y:.1f}" width="{column_width - 12}" height="{bar:.1f}" '
            f'fill="{_BAR}"/>'
            f'<text x="{middle:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12">'
            f"{escape(_fmt(value, fmt))}</text>"
            f'<text text-anchor="middle" font-size="12">{_column_label(label, middle, height)}'
            "</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def _column_label(label: str, middle: float, height: int) -> str:
    """A column's label under it: "ต.ค. 69" as "ต.ค." over "69", as wide labels side by
    side under narrow columns would run into each other."""
    words = label.rsplit(" ", 1) if " " in label else [label]
    return "".join(
        f'<tspan x="{middle:.1f}" y="{height - 22 + n * 14}">{escape(word)}</tspan>'
        for n, word in enumerate(words)
    )
