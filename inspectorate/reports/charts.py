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
    buffer = io.StringIO()
    _figure(slices).savefig(
        buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True
    )
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
    title = f"<title>{escape(description or describe(slices))}</title>"
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
