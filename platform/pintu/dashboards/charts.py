"""Server-rendered SVG charts (no script, no CDN): horizontal bars and daily stacked columns with a target line."""
from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ONLINE = "#2563eb"
COUNTER = "#f59e0b"
BAR = "#059669"
TARGET = "#dc2626"
LABEL_FONT = 10
LABEL_SPACE = 40  # "dd/mm" at LABEL_FONT px is ~30 px wide in Chromium's default sans-serif, plus a gap


def hbars(items: list[tuple[str, float | None]], *, title: str, unit: str = "", maximum: float | None = None,
          width: int = 640) -> SafeString:
    """One bar per (label, value); None is shown as '—'."""
    row, label_w = 22, 200
    height = row * len(items) + 30
    top = maximum or max([v for _, v in items if v is not None] or [1]) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(items):
        y = 20 + i * row
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{escape(label[:30])}</text>')
        if value is None:
            parts.append(f'<text x="{label_w}" y="{y + 14}" font-size="12">—</text>')
            continue
        w = max(1, int((width - label_w - 70) * float(value) / float(top)))
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row - 8}" fill="{BAR}"></rect>'
                     f'<text x="{label_w + w + 4}" y="{y + 14}" font-size="12">{escape(value)}{escape(unit)}</text>')
    parts.append("</svg>")
    return _scrolled(parts)


def daily_columns(series, *, title: str, target: int = 0, width: int = 720, height: int = 220) -> SafeString:
    """Per day: online (blue) over counter (amber) applications received; the daily online target as a red line."""
    n = max(1, len(series))
    top = max([s.received_online + s.received_counter for s in series] + [target, 1])
    plot_h, left, bottom = height - 40, 30, height - 20
    step = (width - left - LABEL_SPACE / 2) / n  # room on the right for the last day's label
    bar_w = max(2, step * 0.7)
    # Day labels ("dd/mm") never touch: label every `every`-th day so each one gets LABEL_SPACE pixels.
    every = max(1, math.ceil(LABEL_SPACE / step))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
             f'<text x="0" y="12" font-size="11">{top}</text><text x="0" y="{bottom}" font-size="11">0</text>']
    for i, s in enumerate(series):
        x = left + i * step
        h_on = plot_h * s.received_online / top
        h_co = plot_h * s.received_counter / top
        parts.append(f'<rect x="{x:.1f}" y="{bottom - h_on:.1f}" width="{bar_w:.1f}" height="{h_on:.1f}" fill="{ONLINE}">'
                     f'<title>{s.day:%d-%m}: {s.received_online} daring</title></rect>')
        parts.append(f'<rect x="{x:.1f}" y="{bottom - h_on - h_co:.1f}" width="{bar_w:.1f}" height="{h_co:.1f}" '
                     f'fill="{COUNTER}"><title>{s.day:%d-%m}: {s.received_counter} loket</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 4}" font-size="{LABEL_FONT}" '
                         f'text-anchor="middle" class="x-label">{s.day:%d/%m}</text>')
    if target:
        y = bottom - plot_h * target / top
        parts.append(f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="{TARGET}" '
                     f'stroke-dasharray="4 3"><title>target {target}</title></line>')
    parts.append("</svg>")
    return _scrolled(parts)


def _scrolled(parts: list[str]) -> SafeString:
    """On a phone the chart keeps its size (labels stay readable) and scrolls sideways inside its own box;
    the page itself never gets wider than the screen."""
    return mark_safe('<div class="chart-scroll" style="overflow-x:auto;max-width:100%">' + "".join(parts) + "</div>")
