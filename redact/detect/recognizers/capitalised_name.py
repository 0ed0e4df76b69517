"""Names the model missed: two or three capitalised words inside a sentence.

spaCy's small model misses many unfamiliar names ("Spoke to Marguerite
Vandersloot on ..."). A run of capitalised words that follows a lower-case
word (so it does not start a sentence or a heading) and that the model did
not tag, as a whole, as an organisation, place, law or other entity is proposed as a
person with a low score. Whole runs of words the document also writes in
lower case are dropped later (see ``findings.common_words``).
"""

from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redact.detect.recognizers import coded_result

RUN = regex.compile(
    r"(?<=\b[a-z][a-z'’-]*[ \t]+)"  # a lower-case word before it, on the same line
    r"((?:[A-Z][a-z][\w'’-]*|[A-Z]\.)(?:[ \t]+(?:[A-Z][a-z][\w'’-]*|[A-Z]\.)){1,2})"
    r"(?![\w'’-]|[ \t]+[A-Z])"
)
SCORE = 0.4


class CapitalisedNameRecognizer(EntityRecognizer):
    """Propose capitalised word runs the model left untagged."""

    def __init__(self, excluded_words: set[str]) -> None:
        super().__init__(supported_entities=["PERSON"], name="capitalised_name")
        self.excluded = {w.casefold() for w in excluded_words}

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return the untagged capitalised runs."""
        tagged = [(e.start_char, e.end_char) for e in (nlp_artifacts.entities if nlp_artifacts else [])]
        results = []
        for m in RUN.finditer(text):
            start, end = m.span(1)
            if any(s <= start and end <= e for s, e in tagged):
                continue
            words = m.group(1).split()
            if any(w.casefold().rstrip(".") in self.excluded for w in words):
                continue
            results.append(coded_result(self, "PERSON", start, end, SCORE, "capitalised_run",
                                        "capitalised words inside a sentence, not tagged by the model"))
        return results
