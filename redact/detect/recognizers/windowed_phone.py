"""Presidio's libphonenumber recogniser, given only the text that could hold a number.

libphonenumber's matcher tries to parse every digit run in the text it is
given: section numbers, dates, references, 'within 24 hours'. On a policy
page that is dozens of parses for the two or three real numbers. This
recogniser hands it only windows around runs of seven or more digits (with
the separators phone numbers use) and a few characters either side, so its
results are the same at a fraction of the cost.
"""

from __future__ import annotations

import regex
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

CANDIDATE = regex.compile(r"\+?\(?\d[\d \t().\-x/]{5,}\d")
MIN_DIGITS = 7
MARGIN = 3  # characters of context either side: the matcher looks at its neighbours


class WindowedPhoneRecognizer(PhoneRecognizer):
    """PhoneRecognizer run on candidate windows only."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        """Phone numbers in ``text``, offsets in ``text``."""
        results: list[RecognizerResult] = []
        seen: set[tuple[int, int]] = set()
        for m in CANDIDATE.finditer(text):
            if sum(c.isdigit() for c in m.group(0)) < MIN_DIGITS:
                continue
            start, end = max(0, m.start() - MARGIN), min(len(text), m.end() + MARGIN)
            for r in super().analyze(text[start:end], entities, nlp_artifacts):
                r.start += start
                r.end += start
                if (r.start, r.end) not in seen:
                    seen.add((r.start, r.end))
                    results.append(r)
        return results
