"""Hypothesis properties for span merging, box merging and normalisation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from redact.detect.findings import merge_overlaps
from redact.geometry import merge_line_boxes, union
from redact.models import Finding
from redact.normalise import contains, normalise

spans = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 30), st.sampled_from(["PERSON", "PHONE"])),
                 max_size=25)


@given(spans)
def test_merged_spans_cover_every_input_character(raw: list[tuple[int, int, str]]) -> None:
    text = "x" * 300
    findings = [Finding(t, text[s:s + n], 1, s, s + n, 0.5, "r") for s, n, t in raw]
    covered = {i for f in findings for i in range(f.start, f.end)}
    merged = merge_overlaps([Finding(f.type, f.text, 1, f.start, f.end, f.score, f.recogniser) for f in findings])
    after = {i for f in merged for i in range(f.start, f.end)}
    assert covered <= after
    for a in merged:  # nothing left nested inside another
        assert not any(b is not a and b.start <= a.start and a.end <= b.end for b in merged)


boxes = st.lists(
    st.tuples(st.floats(0, 500), st.sampled_from([100.0, 120.0, 140.0]), st.floats(1, 60)).map(
        lambda t: (t[0], t[1], t[0] + t[2], t[1] + 12.0)),
    min_size=1, max_size=30)


@given(boxes)
def test_merged_boxes_cover_every_char_box(chars: list[tuple[float, float, float, float]]) -> None:
    merged = merge_line_boxes(chars)
    assert len(merged) <= len(chars)
    for c in chars:
        assert any(m[0] <= c[0] and m[2] >= c[2] and m[1] <= c[1] and m[3] >= c[3] for m in merged)
    assert union(merged) == union(chars)


@given(st.text(alphabet=st.characters(categories=["L", "Zs"]), min_size=1, max_size=30))
def test_normalised_text_contains_itself(s: str) -> None:
    if normalise(s):
        assert contains(normalise(f"before {s} after"), s)


def test_normalise_joins_hyphenated_line_breaks_and_ligatures() -> None:
    assert normalise("Vander-\nsloot") == "vandersloot"
    assert normalise("ﬁnance  OFFICER") == "finance officer"
    assert not contains(normalise("Edwardian annual report"), "Ed")


def test_needle_boundaries() -> None:
    from redact.normalise import needle_pattern

    assert needle_pattern("C Pratt").search(normalise("reviewed by ACC Pratt")) is None
    assert needle_pattern("C Pratt").search(normalise("owner Mrs C Pratt"))
    assert needle_pattern("Jane Holloway").search(normalise("ReportJane Holloway"))
