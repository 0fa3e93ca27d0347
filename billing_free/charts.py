"""Plain server-rendered SVG bar charts (no script, no CDN): geometry computed here, drawn by templates."""
from __future__ import annotations

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH = 18, 10, 190, 300
COLOURS = {"ok": "#0b6e4f", "warning": "#a15c00", "over": "#a4262c"}


def quota_bars(lines) -> dict:
    """One horizontal bar per metric: the share of its quota used (capped at 100 %)."""
    bars = []
    for index, line in enumerate(lines):
        y = index * (BAR_HEIGHT + GAP)
        bars.append({
            "label": line.label, "y": y, "text_y": y + BAR_HEIGHT - 4, "x": LABEL_WIDTH,
            "width": round(BAR_WIDTH * line.bar_percent / 100, 1), "colour": COLOURS[line.state],
            "percent": line.percent, "value_x": LABEL_WIDTH + BAR_WIDTH + 8,
        })
    return {"bars": bars, "width": LABEL_WIDTH + BAR_WIDTH + 70, "height": len(lines) * (BAR_HEIGHT + GAP),
            "track_x": LABEL_WIDTH, "track_width": BAR_WIDTH, "bar_height": BAR_HEIGHT}


def history_bars(history, *, metric: str, month_label) -> dict:
    """Vertical bars of one metric over the months of `history` [(month, lines)]."""
    values = [(month, next(line.used for line in lines if line.metric == metric)) for month, lines in history]
    top = max((value for _, value in values), default=0) or 1
    column, height = 44, 120
    bars = []
    for index, (month, value) in enumerate(values):
        bar = round(height * value / top, 1)
        bars.append({"x": index * column + 6, "y": 20 + height - bar, "height": bar, "width": column - 12,
                     "value": value, "value_y": 20 + height - bar - 4, "label": month_label(month),
                     "label_x": index * column + column / 2, "label_y": 20 + height + 16})
    return {"bars": bars, "width": len(values) * column, "height": height + 44}
