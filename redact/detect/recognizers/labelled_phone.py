"""Telephone numbers in any national format, where a phone word says so.

libphonenumber (Presidio's phone recogniser) reads a number only in the
formats of the regions it is told about, and the UK recogniser only UK
numbers; a correspondent abroad writes '416 60 039', '(99) 645-791' or
'03.93.92.16.85'. A run of 7 to 15 digits in groups (spaces, dots, hyphens,
brackets, an optional '+' and extension) is a phone number when a phone word
stands before it on its line or the line above ('Mobile:', 'Fax', 'call me
on', 'answering at'), or a place word right after it ('... office',
'-Fax'). The words are data: ``phone_words`` and ``phone_after_words`` in
``rules/vocab.yaml``. Dates and times are never numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redact.detect.recognizers import coded_result
from redact.detect.rules import phrase_alternation

NAME = "labelled_phone"
SCORE = 0.6
NUMBER = regex.compile(
    r"(?<![\w+/.,:-])(\+?\(?\d[\d().\- \t]{4,24}\d(?:[ \t]?(?:x|ext\.?)[ \t]?\d{1,5})?)(?![\w/:]|[.,]\d)"
)
DATE_OR_TIME = regex.compile(
    r"\A(?:\d{4}[-.]\d{1,2}[-.]\d{1,2}|\d{1,2}[-.]\d{1,2}[-.]\d{2,4})\Z|\d{1,2}:\d{2}"
)
# What may stand between the phone word and the number: "Mobile: ", "call me
# on ", "phone number is ", "Tel (direct) "; not "Call reference ".
GAP = regex.compile(r"(?i)[\s:.()#–-]*(?:(?:on|at|me|us|to|is|number|no|num|my|our|the|direct|line|work|home)"
                    r"[\s:.()#–-]*)*")
BEFORE_CHARS = 40
AFTER_CHARS = 12


class LabelledPhoneRecognizer(EntityRecognizer):
    """Numbers in any format that a phone word labels."""

    def __init__(self, before_words: Iterable[str], after_words: Iterable[str]) -> None:
        super().__init__(supported_entities=["PHONE_NUMBER"], name=NAME)
        self.before = _words_pattern(before_words)
        self.after = _words_pattern(after_words)

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return the labelled numbers."""
        results = []
        for m in NUMBER.finditer(text):
            number = m.group(1).rstrip(" \t-.(")
            digits = sum(c.isdigit() for c in number.split("x")[0].split("ext")[0])
            if not 7 <= digits <= 15 or DATE_OR_TIME.search(number) or number.count("(") != number.count(")"):
                continue
            start, end = m.start(1), m.start(1) + len(number)
            label = self._label(text, start, end)
            if label is None:
                continue
            results.append(coded_result(self, "PHONE_NUMBER", start, end, SCORE, "phone_word_then_number",
                                        f"a number in phone format labelled {label!r}"))
        return results

    def _label(self, text: str, start: int, end: int) -> str | None:
        """The phone word before the number (its line, or the line above) or just after it."""
        before = text[max(0, start - BEFORE_CHARS):start]
        lines = before.split("\n")
        window = "\n".join(lines[-2:]) if len(lines) > 1 and not lines[-1].strip() else lines[-1]
        hits = list(self.before.finditer(window)) if self.before else []
        if hits and GAP.fullmatch(window[hits[-1].end():]):
            return hits[-1].group(0)
        after = text[end:end + AFTER_CHARS].split("\n")[0]
        hit = self.after.match(after.lstrip(" \t-–(")) if self.after else None
        return hit.group(1) if hit else None


def _words_pattern(words: Iterable[str]) -> regex.Pattern[str] | None:
    alternation = phrase_alternation(words)
    return regex.compile(rf"(?i)(?<![\w])({alternation})(?![\w])") if alternation else None
