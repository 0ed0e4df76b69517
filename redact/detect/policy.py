"""The s40(2) policy: is a finding personal data (redact) or public (keep)?

Rules come from ``rules/s40.yaml``: chief officers at or above a configured
rank and elected members in their public role are released; so are generic
mailboxes, service numbers and team lines. Everything else is personal: when
in doubt the finding is proposed for redaction and a person decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import regex

from redact.detect.rules import RuleSet, phrase_alternation
from redact.models import Finding
from redact.normalise import identity, line_bounds

WINDOW = 48
# courtesy titles: a co-opted or lay member in a members' list carries one, a councillor does not
LAY_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx")
_LAY = "|".join(LAY_TITLES)
_LAY_START = regex.compile(rf"(?:{_LAY})\.?[ \t]")
# what may stand between a title and the name besides initials
COURTESY = {*LAY_TITLES, "Dr"}

# each policy rule (the explanation's ``policy_rule``) and the s40.yaml setting behind it
RULE_SETTINGS = {
    "chief_officer": "public_from_rank",
    "elected_office": "elected_titles",
    "public_office": "public_office_titles",
    "listed_members": "elected_titles_plural",
    "members_present": "members_present",
    "mailbox": "public_mailboxes",
    "public_number": "public_numbers",
    "direct_word": "direct_line_words",
    "team_word": "team_line_words",
    "letterhead": "letterhead_numbers",
    "shared_number": "shared_number_min_documents",
}


@dataclass(frozen=True)
class NumberContext:
    """What the policy knows of a document's phone numbers beyond one page:
    numbers on its running header or footer lines, and numbers shared with
    other documents of the same batch or case (number -> documents)."""

    running: frozenset[str] = frozenset()
    shared: Mapping[str, int] = field(default_factory=dict)
    scope: str = "batch"


class Policy:
    """Compiled s40 rules, applied finding by finding."""

    def __init__(self, rules: RuleSet) -> None:
        s40 = rules.s40
        self.rules = rules
        self.public_numbers = set(s40.public_numbers)
        ranks = s40.public_ranks()
        self.ranks = frozenset(ranks)
        self.rank_re = _title_regex(ranks)
        self.elected_re = _title_regex(s40.elected_titles)
        self.office_re = _title_regex(s40.public_office_titles)
        plural = sorted(s40.elected_titles_plural, key=len, reverse=True)
        self.plural_head = regex.compile(rf"(?:{phrase_alternation(plural)})\.?[ \t\n]+") if plural else None
        # a list of members after a plural title: names, initials, commas, 'and', line
        # breaks and short remarks in brackets ('Cllrs A Dene (Chair), B Fell and C Gill');
        # a blank line or a courtesy title ('Mr', a co-opted or lay member) ends it
        self.members_re = regex.compile(
            r"\b(" + "|".join(regex.escape(t) for t in plural) + r")\.?(?:[ \t]*[–—:-])?[ \t\n]+"
            rf"(?:(?!(?:{_LAY})\b)[A-Z][\w'’.-]*[ \t]*|(?:de|van|von|der|ten|le|la|du)[ \t]+|,[ \t]*"
            r"|and[ \t]+|&[ \t]+|\n(?![ \t]*\n)|-[ \t]*|\([^()\n]{0,40}\)[ \t]*)*$"
        ) if plural else None
        self.mailbox_re = (
            rules.compiled("public_mailboxes") if s40.public_mailboxes else None
        )
        self.team_re = _word_regex(s40.team_line_words)
        self.direct_re = _word_regex(s40.direct_line_words)
        self.public_from = s40.public_from_rank
        titles = ranks + s40.elected_titles + s40.public_office_titles
        self.title_line = regex.compile(rf"(?:{phrase_alternation(titles)})\.?[ \t]*[,:]?[ \t]*") if titles else None
        # ranks below the threshold that end in a public one: 'Area Commander' is not 'Commander'
        junior = [a for lvl in s40.rank_order for a in lvl.aliases if a not in ranks]
        self.junior_re = _title_regex(junior)
        # a public title right after the name, as lists of officers write it ('Mr A Dene - Chief Constable')
        self.title_after = regex.compile(
            rf"[ \t]*(?:[-–—,(]|[ \t]{{2,}})[ \t]*({phrase_alternation(titles)})\b(?!['’]s)") if titles else None
        present = s40.members_present
        self.present_label = regex.compile(
            rf"(?im)^[ \t]*(?:{phrase_alternation(present.labels)})[ \t]*(?:[:.–—-]+[ \t]*|$)"
        ) if present.labels and present.bodies else None
        self.present_body = _word_regex(present.bodies)
        self.elected_word = _word_regex(s40.elected_titles)
        ends = phrase_alternation(present.end_labels) if present.end_labels else r"(?!)"
        self.present_end = regex.compile(rf"(?im)^[ \t]*(?:{ends})\b|:[ \t]*-?[ \t]*$")
        roles = phrase_alternation(present.officer_roles) if present.officer_roles else r"(?!)"
        self.staff_after = regex.compile(rf"(?i)[ \t]*(?:\([^()\n]*|[-–—,][ \t]*[^,\n]*)\b(?:{roles})\b")

    def classify(self, finding: Finding, text: str, page_findings: list[Finding],
                 context: NumberContext | None = None) -> None:
        """Set ``public``, ``policy_reason`` and the explanation's ``policy_rule``
        on ``finding`` in place."""
        if finding.type == "PERSON":
            self._person(finding, text)
        elif finding.type == "EMAIL":
            self._email(finding)
        elif finding.type == "PHONE":
            self._phone(finding, text, page_findings, context or NumberContext())

    def _person(self, f: Finding, text: str) -> None:
        context, above = self._title_context(text[max(0, f.start - WINDOW) : f.start])
        before = context + f.text
        if self.rank_re is not None:
            m = self._title_before(self.rank_re, before, context, above)
            junior = self.junior_re.search(before) if self.junior_re is not None and m else None
            if m and not (junior and junior.start(1) < m.start(1) < junior.end(1)):
                self._public(f, "chief_officer", f"chief officer rank ({m.group(1)}; public from {self.public_from})")
                return
        if self.elected_re is not None:
            m = self._title_before(self.elected_re, before, context, above)
            if m:
                self._public(f, "elected_office", f"elected office ({m.group(1)})")
                return
        if self.office_re is not None:
            m = self._title_before(self.office_re, before, context, above)
            if m:
                self._public(f, "public_office", f"judicial or public office ({m.group(1)})")
                return
        if self.title_after is not None:
            # the title must open the text after the separator: 'Area Commander' is not 'Commander'
            m = self.title_after.match(text, f.end)
            if m:
                title = " ".join(m.group(1).split())
                rule = ("chief_officer" if title in self.ranks else
                        "elected_office" if title in self.rules.s40.elected_titles else "public_office")
                self._public(f, rule, f"public title after the name ({title})")
                return
        label = self._members_present(f, text)
        if label:
            self._public(f, "members_present", f"member of the body, in the list after '{label.strip(' :.-')}'")
            return
        if self.members_re is not None and not _LAY_START.match(f.text):
            # the list's head may open the span itself ('Councillors Orla Penhallow' as one run)
            head = self.plural_head.match(f.text) if self.plural_head is not None else None
            m = self.members_re.search(text[max(0, f.start - 400) : f.start + (head.end() if head else 0)])
            if m:
                self._public(f, "listed_members", f"elected office (listed after '{m.group(1)}')")
                return
        self._personal(f, "default", "personal: name of staff or a member of the public (default)")

    def _members_present(self, f: Finding, text: str) -> str | None:
        """The label of the members' list of minutes that holds ``f``, if any:
        'Present:' opening a line, in minutes whose page names a council before
        it; the list ends at a blank line after its first item, a line ending
        in a colon or an end label ('In attendance'). A name with an officer's
        role after it ('(Clerk)') is not a member; where the list gives some
        members an elected title ('Cllr'), a name with a courtesy title
        ('Mrs') is a lay or co-opted member, not an elected one."""
        if self.present_label is None or self.present_body is None:
            return None
        labels = list(self.present_label.finditer(text, max(0, f.start - 1500), f.start))
        if not labels:
            return None
        label = labels[-1]
        items = text[label.end():]
        lead = len(items) - len(items.lstrip(" \t\n"))
        end = regex.search(r"\n[ \t]*\n", items, pos=lead)
        stop = self.present_end.search(items, lead)
        list_end = label.end() + min(m.start() if m else len(items) for m in (end, stop))
        if f.start >= list_end or not self.present_body.search(text, 0, label.start()):
            return None
        line_end = text.find("\n", f.end)
        if self.staff_after.match(text[f.end:line_end if line_end >= 0 else len(text)]):
            return None
        lay = _LAY_START.match(f.text) or regex.search(rf"(?:{_LAY})\.?[ \t]+\Z", text[max(0, f.start - 6):f.start])
        if lay and self.elected_word is not None and self.elected_word.search(text, label.end(), list_end):
            return None
        return label.group()

    @staticmethod
    def _title_before(pattern: regex.Pattern[str], before: str, context: str,
                      above: bool) -> regex.Match[str] | None:
        """The title that ``pattern`` finds right before the name: on the line
        above it must open that line; only initials or a courtesy title may
        stand between it and the name ('PCC Contact Officer Mrs A Roe' is
        not the PCC)."""
        for m in reversed(list(pattern.finditer(before, overlapped=True))):
            if above and 0 < m.start() < len(context):
                continue
            gap = [w for w in regex.findall(r"[\w'’-]+", before[m.end(1):len(context)])
                   if len(w) > 1 and w not in COURTESY]
            if not gap:
                return m
        return None

    def _title_context(self, window: str) -> tuple[str, bool]:
        """The text before a name where its title can be, and whether it is
        the line above: the name's own line, or, when the name opens its
        line, the line above without a lead such as 'Approved by' or
        'Signed:'. A title found there must open it ('Chief Constable\nImelda
        Carraway'); a heading that merely ends with one ('Complaints against
        the PCC\nMrs T') does not count, and neither does a line that holds a
        titled name of its own ('Cllr J Doe\nMr R Roe' is a list)."""
        lines = window.split("\n")
        if len(lines) < 2 or lines[-1].strip():
            return lines[-1], False
        above = lines[-2].strip()
        lead = _ABOVE_TITLE.match(above)
        above = above[lead.end() if lead else 0:]
        if self.title_line is None or not self.title_line.fullmatch(above):
            return "", False
        return above + " ", True

    def _email(self, f: Finding) -> None:
        local = regex.split(r"\s*(?:@|\[\s*at\s*\]|\(\s*at\s*\))\s*", f.text, maxsplit=1, flags=regex.I)[0]
        if self.mailbox_re is not None and self.mailbox_re.match(local.strip()):
            self._public(f, "mailbox", f"generic mailbox ({local.strip()}@…)")
            return
        self._personal(f, "default", "personal: individual e-mail address (default)")

    def _phone(self, f: Finding, text: str, page_findings: list[Finding], context: NumberContext) -> None:
        number = identity(f.text, "PHONE")
        if number in self.public_numbers:
            self._public(f, "public_number", f"public contact number ({f.text.strip()})")
            return
        line_start, own_end = line_bounds(text, f.start, f.end)
        m = self.direct_re.search(text, line_start, own_end) if self.direct_re is not None else None
        if m:
            self._personal(f, "direct_word", f"personal: direct line (context: {m.group(0)!r})")
            return
        # the number's line and the next one ("... on 01632 960000.\nWhen contacting the FOI Team ...")
        _, line_end = line_bounds(text, f.start, f.end, after=1)
        beside = _personal_between(f, page_findings, line_start, line_end)
        if beside is not None:
            self._personal(f, "personal_beside", f"personal: direct line ({beside.text!r} on its line)")
            return
        m = self.team_re.search(text, line_start, line_end) if self.team_re is not None else None
        if m:
            self._public(f, "team_word", f"team or service line (context: {m.group(0)!r})")
            return
        if number.startswith("07"):
            self._personal(f, "default", "personal: mobile number (default)")
            return
        documents = context.shared.get(number, 0)
        if number in context.running or documents:
            # a signature block puts the name two lines above the number
            block_start, block_end = line_bounds(text, f.start, f.end, before=2, after=2)
            near = _personal_between(f, page_findings, block_start, block_end)
            if near is not None:
                self._personal(f, "personal_near", f"personal: direct line ({near.text!r} within two lines)")
            elif number in context.running:
                self._public(f, "letterhead", "letterhead or footer number (on a line printed on every page; "
                             "no name within two lines)")
            else:
                self._public(f, "shared_number", f"team or service line (the same number is in {documents} "
                             f"documents of this {context.scope}; no name within two lines)")
            return
        self._personal(f, "default", "personal: direct line (default)")

    @staticmethod
    def _public(f: Finding, rule: str, reason: str) -> None:
        f.public = True
        f.policy_reason = f"public: {reason}"
        f.explanation["policy_rule"] = rule

    @staticmethod
    def _personal(f: Finding, rule: str, reason: str) -> None:
        f.public = False
        f.policy_reason = reason
        f.explanation["policy_rule"] = rule


def _personal_between(f: Finding, page_findings: list[Finding], start: int, end: int) -> Finding | None:
    """A personal name or e-mail between ``start`` and ``end``, other than ``f``."""
    return next((o for o in page_findings if o is not f and not o.public and o.type in ("PERSON", "EMAIL")
                 and o.start >= start and o.end <= end), None)


# what may stand before a title on the line above a name: nothing, or '... by', 'Signed:'
_ABOVE_TITLE = regex.compile(r"(?:.*\b(?:by|from)[ \t]+|.*:[ \t]*|(?:The|the)[ \t]+)")


def _word_regex(words: list[str]) -> regex.Pattern[str] | None:
    """Any of ``words`` as whole words, case-insensitive."""
    return regex.compile(r"(?i)\b(?:" + phrase_alternation(words) + r")\b") if words else None


def _title_regex(titles: list[str]) -> regex.Pattern[str] | None:
    if not titles:
        return None
    body = phrase_alternation(titles)
    # the title must sit right before the name, allowing other titles/initials between
    return regex.compile(
        # ('CC:' after two capitals is an e-mail copy line, not a title)
        rf"(?<![\w/])(?:[AT]/)?({body})\.?(?:[ \t]*(?:[–—,-]|(?<![A-Z]{{2}}):))?[ \t]+"
        rf"(?:(?:Mrs|Mr|Ms|Miss|Dr)\.?[ \t]+)?"
        # names may open with an accented capital ('Ó Briain', 'Émile')
        rf"(?:\p{{Lu}}\.?[ \t]*){{0,3}}\p{{Lu}}[\w'’-]*"
        rf"(?:[ \t]+\p{{Lu}}[\w'’-]*)*\s*$"
    )
