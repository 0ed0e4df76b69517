"""Verification as a second look: the detector reads the output again.

Replaying the approved strings proves that what was decided is gone; it
cannot see personal data that the first reading never proposed. So the
detector (the same scanner, rules and policy) also reads what the output
still holds, and every personal finding that no decision of the first look
covers is reported: in a batch the output is withheld, in a case it is
listed for the reviewer.

A line of the output that the first look read, word for word, on the same
page gives the detector the same input, and so the same findings, which the
first look has already decided. Only the lines that redaction changed (and
one line either side, for context) are read again: on the benchmark corpus
that is about a fifth of the text, where reading every line would cost as
much as the first scan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from redact.detect.evidence import WORD
from redact.detect.scan import Scanner
from redact.models import Finding, PageText
from redact.normalise import contains, identity

CONTEXT_LINES = 0


@dataclass
class SecondLook:
    """What a second look needs: the scanner, the items the first look
    decided (found, kept or dropped by a named check, as
    ``normalise.identity`` keys) and, once the source is open, what the
    first look read on each page (``before``)."""

    scanner: Scanner
    decided: set[str] = field(default_factory=set)
    blocking: bool = True  # batch: a finding withholds the output; case: listed for the reviewer
    model: bool = False  # the NER model reads the changed lines too (setting second_look_model)
    before: Callable[[int | None], str] | None = None

    @classmethod
    def of(cls, scanner: Scanner, decided: Iterable[tuple[str, str]], blocking: bool = True) -> SecondLook:
        """From (text, type) pairs of the first look's findings and drops."""
        return cls(scanner, {identity(text, etype) for text, etype in decided}, blocking,
                   model=scanner.settings.second_look_model)

    def reading(self, before: Callable[[int | None], str]) -> SecondLook:
        """This look, comparing with ``before`` (page -> the text the first look read)."""
        return replace(self, before=before)

    def undecided(self, after: list[PageText]) -> list[Finding]:
        """Personal findings in the changed lines of ``after`` that no
        decision of the first look covers."""
        before = self.before or (lambda page: "")
        changed = [(pt.page, text) for pt in after if (text := changed_lines(before(pt.page), pt.text)).strip()]
        if not changed:
            return []
        found = self.scanner.detect_texts(changed, whole=[pt.text for pt in after], model=self.model)
        return [f for f in found if not f.public and self._names_someone(f) and not self._decided(f)]

    def problems(self, after: list[PageText]) -> list[str]:
        """``undecided`` as lines for a verification report."""
        return [f"{'page ' + str(f.page) + ': ' if f.page else ''}{f.type} {f.text!r} found by the second look "
                "and not decided" for f in self.undecided(after)]

    def _names_someone(self, finding: Finding) -> bool:
        """An e-mail or phone number, or a name with a word that could be a
        name: not a title, rank or role, not an ordinary English word unless
        it is also a common first name, not an acronym. Redaction cuts
        sentences ('call Det Supt', 'Ms ,'); the model then reads what is
        left as a name, but a title alone or a table's headings name no one."""
        if finding.type != "PERSON":
            return True
        rules = self.scanner.evidence_rules
        for word in WORD.findall(finding.text):
            low = word.casefold().rstrip(".")
            if len(low) < 2 or low in rules.titles or low in rules.roles or (word.isupper() and len(word) <= 5):
                continue
            if low in rules.common_names or not any(stem in self.scanner.english for stem in _stems(low)):
                return True
        return False

    def _decided(self, finding: Finding) -> bool:
        key = identity(finding.text, finding.type)
        if not key or key in self.decided:
            return True
        # a part of a decided item ('Penhallow' of 'Orla Penhallow', kept as public)
        return finding.type != "PHONE" and any(contains(known, key) for known in self.decided)


def changed_lines(before: str, after: str, context: int = CONTEXT_LINES) -> str:
    """The lines of ``after`` that ``before`` does not hold (whitespace
    aside, each line of ``before`` matching once), with ``context`` lines
    either side; runs apart are separated by a blank line."""
    unread = Counter(_key(line) for line in before.split("\n"))
    lines = after.split("\n")
    changed = []
    for i, line in enumerate(lines):
        key = _key(line)
        if not key:
            continue
        if unread[key] > 0:
            unread[key] -= 1
        else:
            changed.append(i)
    keep = sorted({j for i in changed for j in range(i - context, i + context + 1) if 0 <= j < len(lines)})
    out: list[str] = []
    for n, j in enumerate(keep):
        if n and j != keep[n - 1] + 1:
            out.append("")
        out.append(lines[j])
    return "\n".join(out)


def _stems(word: str) -> tuple[str, ...]:
    """The word and what it may be inflected from ('breaches', 'policing'):
    the lemma index lists only base forms."""
    out = [word]
    for ending, base in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e")):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            out.append(word[: -len(ending)] + base)
    return tuple(out)


def _key(line: str) -> str:
    return " ".join(line.split())
