"""Initials and a surname as an item of a list: 'J Pemberton, G Quillfeather and M J Ashdown'.

Attendance lists, officer lists and signature lines write people as initials
and a surname with no title and no full stops. A capital letter followed by a
capitalised word is a name only where the text treats it as an item: a
separator before it (start of a line, a comma, a colon, a dash, 'and') or
after it (a comma, a dash before a role, a bracket, the end of the line, a
job title run on within four capitalised words).
'A Report was sent' has neither; 'A Pemberton – Head of Planning' has both.
A lone 'A' or 'I' (words in their own right) needs the separator after it.
The surname must not be a word of the rules' vocabularies ('Grade C
Officer'); a letter after a section word ('Appendix B Summary') is dropped by
the finding clean-up, as for every recogniser.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redact.detect.recognizers import coded_result

NAME = "initials_list"
SCORE = 0.7
ITEM = regex.compile(
    r"(?<![\w.'’&/-])((?:[A-Z]\.?[ \t]){1,3}|(?:[A-Z]\.){1,3}[ \t]?)"
    r"((?:Mc|Mac|O'|O’)?[A-Z][a-z][\w'’-]*[a-z])(?![\w'’-])"
)
BEFORE = regex.compile(r"(?:^|[\n,;:(–—•|]|[ \t][-–—][ \t]|[ \t](?:and|&))[ \t]*\Z")
AFTER = regex.compile(r"[ \t]*(?:$|[\n,;:)(–—•|]|[-–—][ \t]|(?:and|&)[ \t])")
# up to four capitalised words after the item: a job title run on ('J Pemberton Records Support Officer')
ROLE_AFTER = regex.compile(r"(?:[ \t]+[A-Z][A-Za-z]*){1,4}")


class InitialsListRecognizer(EntityRecognizer):
    """Propose 'J Smith' where the text lists it as an item."""

    def __init__(self, excluded_words: Iterable[str], role_words: Iterable[str] = ()) -> None:
        super().__init__(supported_entities=["PERSON"], name=NAME)
        self.excluded = frozenset(w.casefold() for w in excluded_words)
        self.roles = frozenset(w.casefold() for w in role_words)

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return initials-and-surname items."""
        results = []
        for m in ITEM.finditer(text):
            initials, surname = m.group(1), m.group(2)
            if surname.casefold() in self.excluded:
                continue
            before = text[max(0, m.start() - 12):m.start()]
            after_ok = AFTER.match(text, m.end()) is not None
            # in a list run together on one line, a role word follows the item ('J Pemberton Borough Lawyer')
            role = ROLE_AFTER.match(text, m.end())
            after_ok = after_ok or (role is not None and any(w.casefold() in self.roles for w in role.group().split()))
            before_ok = BEFORE.search(before) is not None
            bare = initials.strip() in ("A", "I")
            if not (after_ok if bare else before_ok or after_ok):
                continue
            results.append(coded_result(self, "PERSON", m.start(), m.end(), SCORE, "initials_surname_item",
                                        "initials and a surname written as an item of a list"))
        return results
