"""Give NER only the words that could be a name, with their context.

NER is the slowest step by far. Most of a policy or a letter holds no word a
name could be: every capitalised word is the ordinary word that starts a
sentence ("The", "Records"), a common word in a heading-style phrase ("Head
of Service", "Information Management"), an acronym or a reference number.
NER's copy of the text keeps each word that could be part of a name with
four words either side (the small English model's token vectors see four
tokens each side, so it reads such a word much as it would in the full text) and
blanks the rest with spaces of the same length, so every offset holds. The
pattern recognisers still read every word, and the document-wide repeat pass
still finds a name NER met elsewhere.

A capitalised word could be part of a name unless it is explained: the
ordinary word that starts a sentence or heading (spaCy's stop words and lemma
index, or a word the document writes in lower case; not one that is also a
first name in Faker's lists unless the document writes it in lower case), an
acronym, a month before a lower-case word, or a word inside a span the rules
already found (a titled name, an e-mail address, a phone number). Titles,
ranks and initials are never explained. The cut is conservative on purpose
(recall first); its cost is measured by ``make eval`` and ``make bench``, and
``ner_focus: false`` turns it off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.lang.en.stop_words import STOP_WORDS as _SPACY_STOP_WORDS

from redact.detect.names import MONTHS_AND_DAYS, english_form

STOP_WORDS = frozenset(_SPACY_STOP_WORDS)

# A sentence ends at . ! ? after a word of two or more lower-case letters or a
# digit (not after an initial or a title such as "Dr."), or at a blank line.
_SENTENCE_END = re.compile(r"(?:(?<=[a-z0-9]{2}[.!?])|(?<=[a-z0-9]{2}[.!?][\"')\]’”]))\s+|\n[ \t]*\n")
_WORD = re.compile(r"[^\W\d_][\w'’.@/&-]*")
_BLANK = re.compile(r"[^\n]")
_SPACED = re.compile(r"\S+")
# Words of context kept each side of a word NER reads: the small English
# model's token vectors see four tokens each side.
MARGIN_WORDS = 4
LOOK_CHARS = 200  # how far to look for them


class NerFocus:
    """Decides, sentence by sentence, what NER must read."""

    def __init__(self, ordinary: Iterable[str], first_names: Iterable[str], name_signals: Iterable[str]) -> None:
        self.first_names = frozenset(first_names)
        # The lemma index holds many surnames too ('harrison', 'jensen'); a
        # word that is also a first name is ordinary only where the document
        # writes it in lower case.
        self.ordinary = (frozenset(ordinary) - self.first_names) | STOP_WORDS
        self.name_signals = frozenset(w.casefold().rstrip(".") for w in name_signals)

    def blank(self, texts: list[str], document_words: set[str],
              found: list[list[tuple[int, int]]] | None = None) -> list[str]:
        """NER's copy of ``texts`` with the sentences that need no NER blanked.

        ``document_words`` are the words the document itself writes in lower
        case: a capitalised one of those is a heading or a sentence start.
        ``found`` gives, per text, the spans the rules already found (a titled
        name, an e-mail, a phone number): their words are explained.
        Each word that could be part of a name keeps ``MARGIN_WORDS`` words
        of context on each side.
        """
        ordinary = self.ordinary | document_words
        return [self._blank_one(text, ordinary, found[i] if found else []) for i, text in enumerate(texts)]

    def _blank_one(self, text: str, ordinary: frozenset[str], found: list[tuple[int, int]]) -> str:
        check = text
        if found:
            chars = list(text)
            for a, b in found:
                chars[a:b] = "x" * (b - a)  # same length, and lower case: explained
            check = "".join(chars)
        keep: list[tuple[int, int]] = []
        start = 0
        for end, next_start in [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)] + [(len(text), 0)]:
            for a, b in self.triggers(check[start:end], ordinary):
                keep.append(_with_margin(text, start + a, start + b))
            start = next_start
        keep.sort()
        out = []
        done = 0
        for a, b in keep:
            a = max(a, done)
            out.append(_BLANK.sub(" ", text[done:a]))
            out.append(text[a:b])
            done = max(done, b)
        out.append(_BLANK.sub(" ", text[done:]))
        return "".join(out)

    def needs_ner(self, sentence: str, ordinary: frozenset[str] | set[str]) -> bool:
        """True when some capitalised word in the sentence could be part of a name."""
        return bool(self.triggers(sentence, ordinary))

    def triggers(self, sentence: str, ordinary: frozenset[str] | set[str]) -> list[tuple[int, int]]:
        """Where the words are that could be part of a name (start, end in ``sentence``)."""
        words = list(_WORD.finditer(sentence))
        return [m.span() for i, m in enumerate(words)
                if not self.explained(m.group(0), words[i + 1].group(0) if i + 1 < len(words) else "", ordinary)]

    def explained(self, word: str, following: str, ordinary: frozenset[str] | set[str]) -> bool:
        """A word that cannot start or be part of a name here (``following`` is the next word)."""
        if not any(c.isupper() for c in word):
            return True  # lower case: names are capitalised (all-lower names are beyond NER too)
        if "@" in word or any(c.isdigit() for c in word):
            return True  # an address or a reference number: the pattern recognisers' job
        core = word.rstrip(".'’").casefold()
        next_capitalised = following[:1].isupper()
        if len(core) <= 1:
            # an initial, unless the article or pronoun before a lower-case word
            return core in ("a", "i") and not next_capitalised and not word.endswith(".")
        if core in self.name_signals:
            return False
        if word.isupper() and "." not in core:
            # an acronym; a name in capitals comes as a run, which the
            # detector title-cases before this check sees it
            return True
        if core in MONTHS_AND_DAYS and not next_capitalised:  # 'in June', not 'June Okafor'
            return True
        if core in self.first_names and (next_capitalised or core not in ordinary):
            return False  # a first name, unless written in lower case somewhere
        parts = re.split(r"[-/&]", core)
        return all(_ordinary_form(p, ordinary) for p in parts if p)


def _with_margin(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) by ``MARGIN_WORDS`` words each side (fewer at the text's ends)."""
    before = [m.start() for m in _SPACED.finditer(text, max(0, start - LOOK_CHARS), start)]
    after = [m.end() for m in _SPACED.finditer(text, end, min(len(text), end + LOOK_CHARS))]
    a = before[-MARGIN_WORDS:][0] if before else start
    b = after[:MARGIN_WORDS][-1] if after else end
    return a, b


def _ordinary_form(word: str, ordinary: frozenset[str] | set[str]) -> bool:
    """The word (without a possessive 's) or its singular is ordinary English."""
    return english_form(word.removesuffix("'s").removesuffix("’s"), ordinary)
