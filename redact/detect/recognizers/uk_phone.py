"""UK telephone numbers in the forms people actually write them.

libphonenumber rejects Ofcom's drama ranges (07700 900xxx) and misses numbers
broken across a line, so this walks the digits itself: a number starts with
``0``, ``(0`` or ``+44``, its groups are separated by one space, hyphen, dot
or bracket (or a line break), and it must add up to 10 or 11 national digits.
A bare alternative after a slash (``01632 960545 / 960546``) is a number too,
and so are 101/999/111 when a phone word stands just before them.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redact.detect.recognizers import coded_result

START = re.compile(r"(?<![\d+/.-])(?:\+\s?44\s?(?:\(0\)\s?)?|\(0|0)(?=\d)")
ALTERNATIVE = re.compile(r"[ \t]*/[ \t]*(\d{3,5}[ \t]?\d{3,4}|\d{6,8})(?!\d)")
SERVICE = re.compile(
    r"(?i:\b(?:tel(?:ephone)?|phone|call|dial|ring|contact|on|number|ext(?:ension)?)\b[^\n\d]{0,12})"
    r"(?<!\d)(101|999|111)(?![\d])"
    r"|(?<=\b(?:101|999|111)[ \t]+(?:or|and|/)[ \t]+)(101|999|111)(?!\d)"
)
SEPARATORS = " -.)(\u2013\u00a0"


def _walk(text: str, pos: int, digits: int) -> tuple[int, int]:
    """From ``pos`` consume digits and single separators; return the end of
    the last digit and the national digit count reached (at most 11)."""
    end = pos
    i = pos
    while i < len(text) and digits < 11:
        c = text[i]
        if c.isdigit():
            digits += 1
            i += 1
            end = i
            continue
        # one separator (or a line break with spaces) between digit groups
        j = i
        while j < len(text) and (text[j] in SEPARATORS or text[j] == "\n") and j - i < 3:
            j += 1
        if j == i or j >= len(text) or not text[j].isdigit() or text[i:j].count("\n") > 1:
            break
        i = j
    return end, digits


class UkPhoneRecognizer(EntityRecognizer):
    """Find UK phone numbers without libphonenumber's region check."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["PHONE"], name="uk_phone")

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return one result per number found."""
        results: list[RecognizerResult] = []
        taken_until = -1
        for m in START.finditer(text):
            if m.start() < taken_until:
                continue
            prefix = m.group(0)
            national = 1 if "0" in prefix.replace("44", "") or prefix.startswith("+") else 0
            end, digits = _walk(text, m.end(), national)
            if digits not in (10, 11):
                continue
            if end < len(text) and text[end].isdigit():
                continue  # a longer number: a reference, not a phone
            results.append(self._result(m.start(), end, 0.75, "national or +44 number"))
            taken_until = end
            alt = ALTERNATIVE.match(text, end)
            if alt:
                results.append(self._result(alt.start(1), alt.end(1), 0.6, "alternative number after a slash"))
                taken_until = alt.end(1)
        for m in SERVICE.finditer(text):
            group = 1 if m.group(1) else 2
            results.append(self._result(m.start(group), m.end(group), 0.6, "service number after a phone word"))
        return results

    def _result(self, start: int, end: int, score: float, why: str) -> RecognizerResult:
        return coded_result(self, "PHONE", start, end, score, why, why)
