"""The s40(2) policy: is a finding personal data (redact) or public (keep)?

Rules come from ``rules/s40.yaml``: chief officers at or above a configured
rank and elected members in their public role are released; so are generic
mailboxes, service numbers and team lines. Everything else is personal: when
in doubt the finding is proposed for redaction and a person decides.
"""

from __future__ import annotations

import regex

from redact.detect.rules import RuleSet, phrase_alternation
from redact.models import Finding

WINDOW = 48


class Policy:
    """Compiled s40 rules, applied finding by finding."""

    def __init__(self, rules: RuleSet) -> None:
        s40 = rules.s40
        self.rules = rules
        self.public_numbers = set(s40.public_numbers)
        ranks = s40.public_ranks()
        self.rank_re = _title_regex(ranks)
        self.elected_re = _title_regex(s40.elected_titles)
        plural = sorted(s40.elected_titles_plural, key=len, reverse=True)
        self.members_re = regex.compile(
            r"\b(" + "|".join(regex.escape(t) for t in plural) + r")\.?[ \t\n]+"
            r"(?:[A-Z][\w'’.-]*[ \t]*|(?:de|van|von|der|ten|le|la|du)[ \t]+|,[ \t]*|and[ \t]+|&[ \t]+|\n)*$"
        ) if plural else None
        self.mailbox_re = (
            regex.compile("(?i)^(?:" + "|".join(s40.public_mailboxes) + ")$") if s40.public_mailboxes else None
        )
        words = sorted(s40.team_line_words, key=len, reverse=True)
        self.team_re = (
            regex.compile(r"(?i)\b(?:" + "|".join(regex.escape(w) for w in words) + r")\b") if words else None
        )
        self.public_from = s40.public_from_rank

    def classify(self, finding: Finding, text: str, page_findings: list[Finding]) -> None:
        """Set ``public`` and ``policy_reason`` on ``finding`` in place."""
        if finding.type == "PERSON":
            self._person(finding, text)
        elif finding.type == "EMAIL":
            self._email(finding)
        elif finding.type == "PHONE":
            self._phone(finding, text, page_findings)

    def _person(self, f: Finding, text: str) -> None:
        # the title may end the previous line ("Chief Constable\nImelda Carraway")
        before = " ".join(text[max(0, f.start - WINDOW) : f.start].split("\n")[-2:]) + f.text
        if self.rank_re is not None:
            m = self.rank_re.search(before)
            if m:
                self._public(f, f"chief officer rank ({m.group(1)}; public from {self.public_from})")
                return
        if self.elected_re is not None:
            m = self.elected_re.search(before)
            if m:
                self._public(f, f"elected office ({m.group(1)})")
                return
        if self.members_re is not None:
            m = self.members_re.search(text[max(0, f.start - 400) : f.start])
            if m:
                self._public(f, f"elected office (listed after '{m.group(1)}')")
                return
        f.public = False
        f.policy_reason = "personal: name of staff or a member of the public (default)"

    def _email(self, f: Finding) -> None:
        local = regex.split(r"\s*(?:@|\[\s*at\s*\]|\(\s*at\s*\))\s*", f.text, maxsplit=1, flags=regex.I)[0]
        if self.mailbox_re is not None and self.mailbox_re.match(local.strip()):
            self._public(f, f"generic mailbox ({local.strip()}@…)")
            return
        f.public = False
        f.policy_reason = "personal: individual e-mail address (default)"

    def _phone(self, f: Finding, text: str, page_findings: list[Finding]) -> None:
        digits = regex.sub(r"\D", "", f.text)
        if digits.startswith("44") and len(digits) > 10:
            digits = "0" + digits[2:].removeprefix("0")
        if digits in self.public_numbers:
            self._public(f, f"public contact number ({f.text.strip()})")
            return
        # the number's line and the next one ("... on 01632 960000.\nWhen contacting the FOI Team ...")
        line_start = text.rfind("\n", 0, f.start) + 1
        line_end = text.find("\n", f.end)
        line_end = len(text) if line_end < 0 else line_end
        next_end = text.find("\n", line_end + 1)
        line_end = len(text) if next_end < 0 else next_end
        line = text[line_start:line_end]
        if self.team_re is not None:
            m = self.team_re.search(line)
            personal_on_line = any(
                o is not f and not o.public and o.type in ("PERSON", "EMAIL")
                and o.start >= line_start and o.end <= line_end
                for o in page_findings
            )
            if m and not personal_on_line:
                self._public(f, f"team or service line (context: {m.group(0)!r})")
                return
        f.public = False
        f.policy_reason = "personal: direct line (default)"

    @staticmethod
    def _public(f: Finding, reason: str) -> None:
        f.public = True
        f.policy_reason = f"public: {reason}"


def _title_regex(titles: list[str]) -> regex.Pattern[str] | None:
    if not titles:
        return None
    body = phrase_alternation(titles)
    # the title must sit right before the name, allowing other titles/initials between
    return regex.compile(
        rf"(?<![\w/])(?:[AT]/)?({body})\.?(?:[ \t]*[–—:,-])?[ \t]+(?:(?:Mrs|Mr|Ms|Miss|Dr)\.?[ \t]+)?"
        rf"(?:[A-Z]\.?[ \t]*){{0,3}}[A-Z][\w'’-]*"
        rf"(?:[ \t]+[A-Z][\w'’-]*)*\s*$"
    )
