"""Charts as inline SVG: no script, no external asset, readable by screen readers (each
chart has a <title>, each bar its value as text), printable."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

Item = tuple[str, float | None]
_BAR = "#0b4f8a"


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
    """Horizontal bars, one per (label, value); None is shown as a dash (no bar)."""
    top = max((x for _, x in items if x is not None), default=0) or 1
    room = width - label_width - 70
    height = bar_height * len(items) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = 4 + i * bar_height
        length = 0 if value is None else max(value / top * room, 0)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
            f'font-size="13">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" '
            f'height="{bar_height - 6}" fill="{_BAR}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.7:.1f}" '
            f'font-size="13">{escape(_fmt(value, fmt))}</text>'
        )
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
    plot = height - 46
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
            f'<text x="{middle:.1f}" y="{height - 10}" text-anchor="middle" font-size="12">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
