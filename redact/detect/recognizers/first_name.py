"""Names led by a known first name: 'Sigrid Nyström', 'Elita B Desaulniers'.

The small spaCy model misses many names it has not seen, above all foreign
ones. A capitalised word that is a first name in Faker's lists (all locales)
and not an ordinary English word (spaCy's stop words and its adjective, verb
and adverb lemma tables; nouns are left out because that table also holds
'john' and 'harrison'), followed on the same line by an optional initial or
particle and a capitalised word, is proposed as a person with a modest score.
A first name alone is proposed where letters put one: after a greeting or a
label ('Dear Ignatius,', 'Hi Ottilie'), on the line after a sign-off
('Kind regards,\n\nCassius'); the greetings, labels and sign-offs are rules data.
A first name standing alone in prose ('my kid Lukas', 'Megan lives on') is
proposed with a lower score, unless it is also a month or a day, or the
document writes it in lower case; so is a name written all in lower case
('my name is lena andersson') when the first word is a first name of four
letters or more and the last is neither English (spaCy's whole lemma index)
nor two English words run together (OCR's 'religioushate').
The finding clean-up then drops runs holding an organisation or place word
('Sophie Ryder Trust') and runs whose first word the document itself writes
in lower case.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redact.detect.names import MONTH_AND_DAY_ABBREVIATIONS, MONTHS_AND_DAYS
from redact.detect.recognizers import coded_result
from redact.detect.rules import phrase_alternation

NAME = "first_name"
SCORE = 0.5
ALONE_SCORE = 0.4  # a first name standing alone in prose: weaker evidence
CALENDAR_WORDS = MONTHS_AND_DAYS | MONTH_AND_DAY_ABBREVIATIONS
# A capitalised word, with the Gaelic and Irish prefixes of surnames ('McQuillfeather', 'O’Penhallow').
_CAP = r"(?:Ma?c|O['’])?\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?"
RUN = regex.compile(
    rf"(?<![\w'’.-])({_CAP})"
    rf"((?:[ \t]+(?:\p{{Lu}}\.?|{_CAP}|van|von|de|del|della|da|di|du|le|la|ten|ter|bin|al|el))?"
    rf"[ \t]+{_CAP})(?=['’]s\b|(?![\w'’-]))"  # a possessive may follow: 'Wisława Szczepańska's'
)

_WORD = r"\p{Lu}[\p{Ll}'’]+"
# A capitalised word with no capitalised word next to it on its line.
# Two words in lower case, with an optional initial between ('lena andersson', 'benjamin a seiler').
LOWER_RUN = regex.compile(r"(?<![\w'’.@/-])(\p{Ll}{3,})(?:[ \t]+\p{Ll}\.?)?[ \t]+(\p{Ll}{3,})(?![\w'’@/-])")
# Not next to another capitalised word (even across a line break: 'Wycliffe\nHouse'),
# nor to a number ('Page 2', '5th Floor'), nor split by OCR from the rest of its
# word by a stray space ('Isla m ophobic': a lone lower-case letter other than 'a').
ISOLATED = regex.compile(
    r"(?<!\p{Lu}[\p{L}'’.-]*[ \t]+)(?<!\d\w*[ \t]+)(?<![\w'’.@-])(\p{Lu}[\p{Ll}]+)(?=['’]s\b|(?![\w'’@-]))"
    r"(?!['’]?\s+[\p{Lu}\d])(?![ \t]+[b-z](?![\w'’-]))"
)


def unaccented(word: str) -> str:
    """``word`` without its accents ('pádraig' -> 'padraig'); letters with no
    accent to take off ('ł', 'ø') are left as they are."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


class FirstNameRecognizer(EntityRecognizer):
    """Propose 'First Surname' runs whose first word is a known first name,
    and first names alone where a greeting or sign-off puts them."""

    def __init__(self, first_names: Iterable[str], ordinary: Iterable[str], greetings: Iterable[str] = (),
                 sign_offs: Iterable[str] = (), english: Iterable[str] = ()) -> None:
        super().__init__(supported_entities=["PERSON"], name=NAME)
        self.first_names = frozenset(first_names) - frozenset(ordinary)
        self.english = frozenset(english) | frozenset(ordinary)
        greeting, sign_off = phrase_alternation(greetings), phrase_alternation(sign_offs)
        after_greeting = rf"(?<=(?:^|\n)[ \t]*(?:{greeting})[ \t,]+)({_WORD})(?=[ \t]*[,.!:]?[ \t]*(?:\n|$))"
        after_sign_off = rf"(?<=(?:{sign_off})[,.!]?[ \t]*\n(?:[ \t]*\n){{0,3}}[ \t]*)({_WORD})(?=[ \t]*(?:\n|$))"
        self.lone = [regex.compile(p) for p, words in ((after_greeting, greeting), (after_sign_off, sign_off)) if words]
        self.alone = self.first_names - CALENDAR_WORDS

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return the runs led by a first name."""
        results = []
        for m in RUN.finditer(text, overlapped=True):
            if self._known(m.group(1), self.first_names):
                results.append(self._result(m.start(1), m.end(2), "first_name_run",
                                            f"{m.group(1)!r} is a first name, followed by a capitalised word"))
        for pattern in self.lone:
            for m in pattern.finditer(text):
                if self._known(m.group(1), self.first_names):
                    results.append(self._result(m.start(1), m.end(1), "lone_first_name",
                                                f"{m.group(1)!r} is a first name, after a greeting "
                                                "or a sign-off"))
        for m in LOWER_RUN.finditer(text, overlapped=True):
            first, last = m.group(1), m.group(2)
            if (len(first) >= 4 and first in self.first_names and last not in self.english
                    and last not in CALENDAR_WORDS and not self._two_words(last)):
                results.append(self._result(m.start(1), m.end(2), "lower_case_name",
                                            f"{first!r} is a first name, before a word that is not English",
                                            ALONE_SCORE))
        for m in ISOLATED.finditer(text):
            if self._known(m.group(1), self.alone):
                results.append(self._result(m.start(1), m.end(1), "isolated_first_name",
                                            f"{m.group(1)!r} is a first name, standing alone", ALONE_SCORE))
        return results

    def _known(self, word: str, names: frozenset[str]) -> bool:
        """``word`` is in ``names`` as written, or with its accents taken off
        when it is no English word so written and has four letters or more:
        the lists hold 'Padraig' and 'Sean', a letter writes 'Pádraig' and
        'Seán' (but the Welsh 'Tŷ', a house, is not the name 'Ty')."""
        folded = word.casefold()
        if folded in names:
            return True
        plain = unaccented(folded)
        return len(plain) >= 4 and plain != folded and plain in names and folded not in self.english

    def _two_words(self, word: str) -> bool:
        """Two English words run together, as OCR joins them ('religioushate')."""
        return any(word[:i] in self.english and word[i:] in self.english for i in range(2, len(word) - 1))

    def _result(self, start: int, end: int, pattern: str, why: str, score: float = SCORE) -> RecognizerResult:
        return coded_result(self, "PERSON", start, end, score, pattern, why)
