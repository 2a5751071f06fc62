"""The parser of published HMI Prisons reports: every sample, in every format it is published
or saved in, read back item by item; the variety real reports have; and the answers to bad
input, each named with its page and line. No database."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from functools import cache

import pytest

from inspectorate.imports.published import extract, samples
from inspectorate.imports.published.parse import NotAReport, parse_report, summary_lines
from inspectorate.imports.published.parsed import ParsedReport, Source

FORMATS: tuple[samples.Format, ...] = ("pdf", "docx", "text")
CATALOGUE = samples.catalogue()


@cache
def rendered(name: str, fmt: samples.Format) -> bytes:
    return samples.render(CATALOGUE[name], fmt)


@cache
def parsed(name: str, fmt: samples.Format) -> ParsedReport:
    sample = CATALOGUE[name]
    return parse_report(rendered(name, fmt), samples.filename(sample, fmt))


def lines_of(data: bytes, name: str) -> list[extract.Line]:
    return extract.clean(extract.pages_of(data, name))


def line_at(data: bytes, name: str, source: Source) -> str:
    return next(
        line.text
        for line in lines_of(data, name)
        if (line.page, line.line) == (source.page, source.line)
    )


CASES = [(name, fmt) for name in CATALOGUE for fmt in FORMATS]


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_title_page_gives_the_kind_establishment_and_dates(name, fmt):
    sample = CATALOGUE[name]
    found = parsed(name, fmt)
    assert found.kind == sample.kind
    assert found.establishment == sample.establishment
    assert (found.starts_on, found.ends_on) == (sample.starts_on, sample.ends_on)
    assert found.title == sample.title
    assert found.pages > 1


@pytest.mark.parametrize(("name", "fmt"), [c for c in CASES if c[0].startswith("full")])
def test_full_inspection_every_concern_recommendation_reference_and_area(name, fmt):
    sample = CATALOGUE[name]
    assert isinstance(sample, samples.FullSample)
    found = parsed(name, fmt)
    assert found.problems == []
    assert found.published_on == sample.published_on
    assert [(r.text, r.paragraph_reference, r.area) for r in found.recommendations] == [
        (item.text, item.reference, item.area) for item in sample.items
    ]
    assert [(c.kind, c.text, c.paragraph_reference) for c in found.concerns] == [
        (item.concern_kind, item.concern, item.concern_reference) for item in sample.items
    ]
    # Each recommendation answers the concern just before it.
    assert [r.concern_index for r in found.recommendations] == list(range(len(sample.items)))
    assert {s.test: s.score for s in found.healthy_prison_scores} == sample.scores


@pytest.mark.parametrize(("name", "fmt"), [c for c in CASES if c[0].startswith("irp")])
def test_irp_every_follow_up_reference_judgement_and_count(name, fmt):
    sample = CATALOGUE[name]
    assert isinstance(sample, samples.IrpSample)
    found = parsed(name, fmt)
    assert found.problems == []
    assert (found.follows_inspection_starts_on, found.follows_inspection_ends_on) == (
        sample.follows_starts_on,
        sample.follows_ends_on,
    )
    got = [
        (
            f.kind,
            f.title,
            f.judgement,
            f.follows_reference,
            f.paragraph_reference,
            f.area,
            f.concern,
            tuple(f.narrative),
        )
        for f in found.follow_ups
    ]
    expected = [
        (
            f.kind,
            f.title,
            f.judgement,
            f.follows_reference,
            f.paragraph_reference,
            f.area,
            f.concern,
            f.narrative,
        )
        for f in sample.follow_ups
    ]
    assert got == expected
    assert [text for text, _ in found.positive_practice] == list(sample.positive_practice)
    stated = {(c.scale, c.judgement): c.count for c in found.stated_counts}
    themes = any(f.kind == "theme" for f in sample.follow_ups)
    expected_counts = {("hmip", level): n for level, n in sample.counts("hmip").items()}
    if themes:
        expected_counts |= {("ofsted", level): n for level, n in sample.counts("ofsted").items()}
    assert stated == expected_counts


@pytest.mark.rule("HI-2")
@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_every_item_says_where_it_came_from(name, fmt):
    """Every record an import makes links back to its source: each item found carries the
    page and line it came from, and its paragraph, and that line holds its text."""
    found = parsed(name, fmt)
    data = rendered(name, fmt)
    filename = samples.filename(CATALOGUE[name], fmt)
    for item in found.recommendations:
        assert item.source.paragraph == item.paragraph_reference
        assert "Recommendation" in line_at(data, filename, item.source)
    for concern in found.concerns:
        assert "concern" in line_at(data, filename, concern.source).lower()
    for follow_up in found.follow_ups:
        assert follow_up.source.paragraph == follow_up.paragraph_reference != ""
        assert line_at(data, filename, follow_up.source).startswith(("Concern:", "Theme "))
    for score in found.healthy_prison_scores:
        assert score.source.page > 1
    for count in found.stated_counts:
        assert "progress in" in line_at(data, filename, count.source)


def test_an_out_of_order_reference_is_kept_as_published():
    found = parsed("full-altcourse", "pdf")
    references = [r.paragraph_reference for r in found.recommendations if r.area == "Leadership"]
    assert references == ["2.6", "2.2"]


def test_a_reference_written_as_see_paragraph_is_read():
    sample = CATALOGUE["full-altcourse"]
    assert isinstance(sample, samples.FullSample)
    styled = [item.reference for item in sample.items if item.reference_style == "paragraph"]
    assert styled
    found = {r.paragraph_reference for r in parsed("full-altcourse", "text").recommendations}
    assert set(styled) <= found


def test_headings_that_are_not_bold_still_place_recommendations_in_areas():
    sample = CATALOGUE["full-altcourse"]
    assert isinstance(sample, samples.FullSample)
    assert not sample.headings_bold
    areas = {r.area for r in parsed("full-altcourse", "docx").recommendations}
    assert areas == set(samples.AREA_SECTIONS)


def test_a_theme_title_over_several_lines_is_read_whole():
    data = rendered("irp-altcourse", "pdf")
    text = "\n".join(line.text for line in lines_of(data, "x.pdf"))
    title = next(f.title for f in parsed("irp-altcourse", "pdf").follow_ups if f.kind == "theme")
    assert title not in text  # it is wrapped over lines in the PDF...
    assert title.startswith("What progress have leaders")
    assert title.endswith("activities?")


def test_zero_counts_written_none_are_zero():
    text = rendered("irp-altcourse", "text").decode()
    assert "good progress in none" in text
    assert "significant progress in none" in text
    stated = {
        (c.scale, c.judgement): c.count for c in parsed("irp-altcourse", "text").stated_counts
    }
    assert stated[("hmip", "good progress")] == 0
    assert stated[("hmip", "no meaningful progress")] == 0
    assert stated[("ofsted", "significant progress")] == 0


def test_running_headers_page_numbers_and_footnotes_are_not_text():
    for name, fmt in CASES:
        found = parsed(name, fmt)
        texts = [r.text for r in found.recommendations] + [c.text for c in found.concerns]
        for follow_up in found.follow_ups:
            texts += [follow_up.title, follow_up.concern, *follow_up.narrative]
        words = " ".join(texts)
        assert "Report on an" not in words
        assert "His Majesty's Prison and Probation Service" not in words
        assert not any(text[-1:].isdigit() for text in texts)


def _first_line_end(text: str, paragraph: str) -> int:
    return text.index("\n", text.index(paragraph[:30]))


def test_a_running_header_and_page_number_inside_a_paragraph():
    """A PDF-to-text tool leaves the page's number and the next page's running header in the
    middle of a paragraph that crosses the page; a header can also land mid-page."""
    sample = CATALOGUE["irp-bedford"]
    assert isinstance(sample, samples.IrpSample)
    text = rendered("irp-bedford", "text").decode()
    first, second = sample.follow_ups[0].narrative[0], sample.follow_ups[1].narrative[0]
    at = _first_line_end(text, first)
    page = text[:at].count("\f") + 1
    text = f"{text[:at]}\n\n{page}\f{sample.title}\n{text[at:]}"
    at = _first_line_end(text, second)
    text = f"{text[:at]}\n{sample.title}\n{text[at:]}"
    found = parse_report(text.encode(), "bedford.txt")
    assert found.problems == []
    assert found.follow_ups[0].narrative[0] == first
    assert found.follow_ups[1].narrative[0] == second


def test_a_paragraph_crosses_a_page_in_the_pdf_and_stays_whole():
    data = rendered("irp-altcourse", "pdf")
    pages = extract.pages_of(data, "x.pdf")
    crossing = [
        page[0]
        for page in pages[3:]
        if page and page[0][:1].islower()  # the page starts inside a sentence
    ]
    found = parsed("irp-altcourse", "pdf")
    sample = CATALOGUE["irp-altcourse"]
    assert isinstance(sample, samples.IrpSample)
    assert [f.narrative for f in found.follow_ups] == [list(f.narrative) for f in sample.follow_ups]
    assert crossing or all(len(page) < 60 for page in pages)


# Bad input -----------------------------------------------------------------------------


def _plain_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


@pytest.mark.parametrize(
    ("data", "filename", "says"),
    [
        (b"", "empty.pdf", "empty"),
        (b"Minutes of the residents' association\nApologies were received.\n", "m.txt", "not a"),
        (b"%PDF-1.7\n garbage", "broken.pdf", "could not be read"),
        (b"PK\x03\x04 not really a zip", "broken.docx", "Word document"),
        (bytes(range(256)) * 4, "random.bin", "neither a PDF"),
    ],
)
def test_not_a_report_is_refused_clearly(data, filename, says):
    with pytest.raises(NotAReport) as refused:
        parse_report(data, filename)
    assert says in refused.value.message


def test_a_pdf_that_is_not_a_report_is_refused():
    data = _plain_pdf("<h1>Quarterly budget</h1><p>Spending was on plan.</p>")
    with pytest.raises(NotAReport, match="not a published HMI Prisons report"):
        parse_report(data, "budget.pdf")


def _irp_with(**changes) -> samples.IrpSample:
    sample = CATALOGUE["irp-bedford"]
    assert isinstance(sample, samples.IrpSample)
    return replace(sample, **changes)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_judgement_word_on_neither_scale_is_named_with_page_and_line(fmt):
    base = _irp_with()
    follow_ups = list(base.follow_ups)
    follow_ups[2] = replace(follow_ups[2], judgement="excellent progress")
    sample = replace(base, follow_ups=tuple(follow_ups))
    data = samples.render(sample, fmt)
    found = parse_report(data, samples.filename(sample, fmt))
    neither = [p for p in found.problems if "neither scale" in p.message]
    assert len(neither) == 1
    problem = neither[0]
    assert "“excellent progress”" in problem.message
    assert f"recommendation {follow_ups[2].follows_reference}" in problem.message
    assert problem.source is not None
    assert "excellent progress" in line_at(data, samples.filename(sample, fmt), problem.source)
    assert found.problems == neither


def test_a_judgement_on_the_other_scale_is_named():
    base = _irp_with()
    follow_ups = list(base.follow_ups)
    theme = next(i for i, f in enumerate(follow_ups) if f.kind == "theme")
    follow_ups[theme] = replace(follow_ups[theme], judgement="good progress")
    sample = replace(base, follow_ups=tuple(follow_ups))
    found = parse_report(samples.render(sample, "text"), "x.txt")
    assert any("other inspectorate's scale" in p.message for p in found.problems)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_count_sentence_that_disagrees_says_which_with_page_and_line(fmt):
    sample = _irp_with(stated_overrides={("hmip", "good progress"): 3})
    data = samples.render(sample, fmt)
    filename = samples.filename(sample, fmt)
    found = parse_report(data, filename)
    assert len(found.problems) == 1
    problem = found.problems[0]
    good = [f.paragraph_reference for f in sample.follow_ups if f.judgement == "good progress"]
    assert problem.message == (
        "The summary of judgements states good progress in 3 recommendations, but 2 "
        f"recommendations judged good progress were found (paragraph {good[0]}, "
        f"paragraph {good[1]})."
    )
    assert problem.source is not None
    assert "good progress in three" in line_at(data, filename, problem.source)


def test_text_that_cannot_be_placed_is_a_problem():
    text = rendered("irp-bedford", "text").decode()
    marker = "Safety\n"
    at = text.index(marker, text.index("Section 3"))
    stray = text[:at] + "3.99 A stray paragraph outside any recommendation.\n\n" + text[at:]
    found = parse_report(stray.encode(), "x.txt")
    assert [p.message for p in found.problems] == [
        "Text that could not be placed: “A stray paragraph outside any recommendation.”"
    ]
    assert found.problems[0].source is not None


def test_a_stated_number_of_concerns_that_disagrees_is_a_problem():
    text = rendered("full-bedford", "text").decode()
    changed = text.replace(
        "we identified twelve key concerns", "we identified thirteen key concerns"
    )
    assert changed != text
    found = parse_report(changed.encode(), "x.txt")
    assert [p.message for p in found.problems] == [
        "The report states 13 key concerns, but 12 were found."
    ]


# Output --------------------------------------------------------------------------------


def test_as_json_is_what_the_dry_run_prints():
    found = parsed("irp-altcourse", "pdf")
    data = json.loads(json.dumps(found.as_json()))
    assert data["kind"] == "irp"
    assert data["establishment"] == "HMP/YOI Altcourse"
    assert data["follows_inspection_starts_on"] == "2022-11-28"
    assert len(data["follow_ups"]) == 11
    first = data["follow_ups"][0]
    assert set(first) >= {"title", "judgement", "follows_reference", "paragraph_reference"}
    assert first["source"]["page"] >= 2


def test_summary_lines_for_people():
    lines = summary_lines(parsed("irp-bedford", "docx"))
    assert lines[0].startswith("Independent review of progress: HMP Bedford, 2024-")
    assert "Recommendations followed up (6):" in lines
    assert lines[-1] == "No problems found."
    full = summary_lines(parsed("full-bedford", "text"))
    assert full[0] == "Full inspection: HMP Bedford, 2023-05-01 to 2023-05-12 (" + (
        f"{parsed('full-bedford', 'text').pages} pages)"
    )
    assert any(line.startswith("Healthy prison tests: Safety ") for line in full)
    bad = _irp_with(stated_overrides={("ofsted", "reasonable progress"): 2})
    lines = summary_lines(parse_report(samples.to_text(bad).encode(), "x.txt"))
    assert lines[-2] == "Problems (1):"
    assert lines[-1].startswith("  page ")


def test_bench_samples_are_distinct_and_need_no_database():
    names = ["HMP Bedford", "HMP/YOI Altcourse", "HMYOI Aylesbury"]
    made = list(samples.bench_samples(names, 7))
    assert len(made) == 7
    assert [s.kind for s in made] == ["full", "irp"] * 3 + ["full"]
    assert {s.establishment for s in made} == set(names)
    assert len({(s.establishment, s.kind, s.starts_on) for s in made}) == 7
    found = parse_report(samples.to_text(made[3]).encode(), "x.txt")
    assert found.kind == "irp"
    assert found.establishment == "HMP/YOI Altcourse"
    assert io.BytesIO(samples.to_docx(made[0])).getvalue().startswith(b"PK")
