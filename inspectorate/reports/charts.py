"""Pie charts of an IRP's judgements (RP-6): SVG for the page and the PDF, PNG for Word, and
the rows of the data table that is every chart's text alternative.

Drawn with matplotlib's object API (no pyplot state), so threads of the worker can draw at
once. Its SVG styles each element with `style` attributes and a <style> element, which the
pages' Content-Security-Policy (style-src 'self') refuses: they become SVG presentation
attributes, which no policy restricts and WeasyPrint reads alike. Text in the SVG is drawn
as paths: the data table carries the words, and a PDF's text is not read out twice. Each
SVG carries a <title>, a text description of its data (`describe`): it is the chart's
alternative text in the tagged PDF (PDF/UA) and in Word.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from inspectorate.lib.wording import lower_first

# GOV.UK palette, best level first; each slice also has a hatch, so it does not rely on
# colour alone.
COLOURS = ("#00703c", "#1d70b8", "#f47738", "#d4351c", "#505a5f")
HATCHES = ("", "//", "..", "xx", "--")


@dataclass(frozen=True)
class Slice:
    label: str
    count: int


def table_rows(slices: Sequence[Slice]) -> list[tuple[str, str, str]]:
    """(judgement, number, share) for every level, zero included, and the total."""
    total = sum(s.count for s in slices)
    rows = [(s.label, str(s.count), _share(s.count, total)) for s in slices]
    rows.append(("Total", str(total), "100%" if total else "0%"))
    return rows


def describe(slices: Sequence[Slice]) -> str:
    """The chart in words, every level with its count and share, zeros included: 'Pie chart
    of 7 judgements: good progress 1 (14%), reasonable progress 2 (29%), ...'."""
    total = sum(s.count for s in slices)
    if not total:
        return "Pie chart with no judgements yet."
    parts = ", ".join(
        f"{lower_first(s.label)} {s.count} ({_share(s.count, total)})" for s in slices
    )
    noun = "judgement" if total == 1 else "judgements"
    return f"Pie chart of {total} {noun}: {parts}."


def _share(count: int, total: int) -> str:
    return f"{round(100 * count / total)}%" if total else "0%"


def _figure(slices: Sequence[Slice]) -> Figure:
    shown = [(i, s) for i, s in enumerate(slices) if s.count]
    figure = Figure(figsize=(6.4, 3.4))
    axes = figure.add_axes((0.0, 0.02, 0.5, 0.96))
    if not shown:
        axes.text(0.5, 0.5, "No judgements yet", ha="center", va="center")
        axes.set_axis_off()
        return figure
    wedges, _ = axes.pie(
        [s.count for _, s in shown],
        colors=[COLOURS[i % len(COLOURS)] for i, _ in shown],
        startangle=90,
        counterclock=False,
        wedgeprops={"linewidth": 1.5, "edgecolor": "white"},
    )
    for wedge, (i, _) in zip(wedges, shown, strict=True):
        wedge.set_hatch(HATCHES[i % len(HATCHES)])
    axes.set_aspect("equal")
    figure.legend(
        wedges,
        [f"{s.label}: {s.count}" for _, s in shown],
        loc="center left",
        bbox_to_anchor=(0.52, 0.5),
        frameon=False,
        fontsize=11,
    )
    return figure


def pie_svg(slices: Sequence[Slice], *, label_id: str = "", description: str = "") -> SafeString:
    """The chart as an inline <svg> element (no XML prolog), sized by its viewBox, with its
    <title>: `description`, or the data in words. With `label_id`, the SVG is an image
    labelled by that element (the figure's caption)."""
    return _svg(_figure(slices), label_id, description or describe(slices))


def _svg(chart: Figure, label_id: str, description: str) -> SafeString:
    buffer = io.StringIO()
    chart.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    svg = _without_style_markup(svg)
    attributes = ' role="img" focusable="false" class="app-chart"'
    if label_id:
        attributes += f' aria-labelledby="{label_id}"'
        svg = _prefixed_ids(svg, label_id)
    # The title is the first child of the root element (where readers look for it).
    opening = svg.index(">", svg.index("<svg")) + 1
    title = f"<title>{escape(description)}</title>"
    svg = svg[:opening] + title + svg[opening:]
    # matplotlib writes the SVG and draws its words as paths; label_id is our own
    # "figure-N-caption": no user text is in it, and the title is escaped.
    return mark_safe(svg.replace("<svg", f"<svg{attributes}", 1))


# The properties matplotlib writes, all of them SVG presentation attributes.
PRESENTATION_ATTRIBUTES = frozenset(
    {
        "clip-path",
        "fill",
        "fill-opacity",
        "fill-rule",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
    }
)
_STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>\*\{([^}]*)\}</style>")
_STYLE_ATTRIBUTE = re.compile(r'\bstyle="([^"]*)"')


def _without_style_markup(svg: str) -> str:
    """matplotlib's `*{...}` rule moves onto the root element (the properties it sets are
    inherited) and every `style` attribute into presentation attributes."""
    rule = _STYLE_ELEMENT.search(svg)
    if rule:
        svg = _STYLE_ELEMENT.sub("", svg, count=1).replace("<defs>\n </defs>", "")
        svg = svg.replace("<svg", f"<svg {_attributes(rule.group(1))}", 1)
    svg = _STYLE_ATTRIBUTE.sub(lambda match: _attributes(match.group(1)), svg)
    if "<style" in svg or "style=" in svg:
        raise ValueError("the chart's SVG still carries styles the page's policy refuses")
    return svg


def _attributes(declarations: str) -> str:
    pairs = []
    for declaration in filter(None, (d.strip() for d in declarations.split(";"))):
        name, _, value = (part.strip() for part in declaration.partition(":"))
        if name not in PRESENTATION_ATTRIBUTES:
            raise ValueError(f"the chart's SVG uses {name!r}, not a presentation attribute")
        pairs.append(f'{name}="{value}"')
    return " ".join(pairs)


def _prefixed_ids(svg: str, prefix: str) -> str:
    """Ids unique to this chart: two charts on one page share none."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)


def pie_png(slices: Sequence[Slice]) -> bytes:
    """The chart as PNG, for the Word export."""
    buffer = io.BytesIO()
    _figure(slices).savefig(buffer, format="png", dpi=150)
    return buffer.getvalue()


# Healthy prison outcomes of previous inspections: grouped bars -----------------------------


@dataclass(frozen=True)
class Series:
    """One inspection's scores on a scale of numbers (4 good to 1 poor), one per test; None
    where a test was not scored."""

    label: str
    values: tuple[int | None, ...]


def _bars_figure(
    groups: Sequence[str], series: Sequence[Series], levels: Sequence[tuple[int, str]]
) -> Figure:
    figure = Figure(figsize=(6.4, 3.6))
    axes = figure.add_axes((0.26, 0.2, 0.72, 0.7))
    width = 0.8 / max(len(series), 1)
    for index, one in enumerate(series):
        offset = (index - (len(series) - 1) / 2) * width
        for position, value in enumerate(one.values):
            if value is None:
                continue
            bar = axes.bar(
                position + offset,
                value,
                width=width * 0.95,
                color=COLOURS[index % len(COLOURS)],
                edgecolor="white",
                linewidth=1.0,
            )
            bar.patches[0].set_hatch(HATCHES[index % len(HATCHES)])
    axes.set_xticks(range(len(groups)), [_wrapped(group) for group in groups], fontsize=9)
    values = [value for value, _ in levels]
    axes.set_yticks(values, [label for _, label in levels], fontsize=9)
    axes.set_ylim(0, max(values, default=4) + 0.2)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    handles = [
        Patch(facecolor=COLOURS[i % len(COLOURS)], hatch=HATCHES[i % len(HATCHES)])
        for i in range(len(series))
    ]
    figure.legend(
        handles,
        [one.label for one in series],
        loc="upper center",
        ncols=max(len(series), 1),
        frameon=False,
        fontsize=9,
    )
    return figure


def _wrapped(text: str, width: int = 14) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def bars_svg(
    groups: Sequence[str],
    series: Sequence[Series],
    levels: Sequence[tuple[int, str]],
    *,
    label_id: str = "",
) -> SafeString:
    """Grouped bars as an inline <svg>, like pie_svg, with the scores in words as its title."""
    return _svg(
        _bars_figure(groups, series, levels), label_id, describe_bars(groups, series, levels)
    )


def describe_bars(
    groups: Sequence[str], series: Sequence[Series], levels: Sequence[tuple[int, str]]
) -> str:
    """'Bar chart of healthy prison outcomes: at the March 2022 inspection, safety
    reasonably good, ...; at the ...'."""
    words = dict(levels)
    inspections = []
    for one in series:
        scores = ", ".join(
            f"{lower_first(group)} {lower_first(words[value]) if value in words else 'not scored'}"
            for group, value in zip(groups, one.values, strict=False)
        )
        inspections.append(f"at the {one.label} inspection, {scores}")
    if not inspections:
        return "Bar chart with no outcomes recorded."
    return "Bar chart of healthy prison outcomes: " + "; ".join(inspections) + "."


def bars_png(
    groups: Sequence[str], series: Sequence[Series], levels: Sequence[tuple[int, str]]
) -> bytes:
    buffer = io.BytesIO()
    _bars_figure(groups, series, levels).savefig(buffer, format="png", dpi=150)
    return buffer.getvalue()
