"""Load and validate ``rules/*.yaml`` before any document is opened.

Each YAML file holds one or more top-level sections (``vocabularies``,
``recognizers``, ``allow``, ``deny``, ``s40``); together they make one
``RuleSet``. Every regex is compiled here, so a typo fails at load with the
file and pattern named, never in the middle of a batch.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from redact.exceptions import ConfigError

PLACEHOLDER = re.compile(r"\{([a-z_]+)(:upper)?\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PatternRule(_Strict):
    name: str
    regex: str
    score: float = Field(ge=0.0, le=1.0)


class RecognizerRule(_Strict):
    name: str
    entity: Literal["PERSON", "EMAIL", "PHONE"]
    description: str = ""
    patterns: list[PatternRule] = Field(min_length=1)
    # no 'context' words: a score is never raised by nearby words here (the s40 policy and the
    # finding clean-up judge context), so the key is refused at load rather than ignored
    enabled: bool = True


class AllowRule(_Strict):
    pattern: str
    reason: str = "allow list"


class DenyRule(_Strict):
    pattern: str
    type: Literal["PERSON", "EMAIL", "PHONE"]
    regex: bool = False
    reason: str = "deny list"


class RankLevel(_Strict):
    level: str
    aliases: list[str] = Field(min_length=1)


class BatchPolicy(_Strict):
    personal: Literal["redact", "keep"] = "redact"
    public: Literal["redact", "keep"] = "keep"


class MembersPresent(_Strict):
    """The members' list of minutes: 'Present: Mr A Dene, Mrs B Fell' in the
    minutes of a council, an authority or a panel names its members."""

    labels: list[str] = Field(default_factory=list)
    bodies: list[str] = Field(default_factory=list)
    end_labels: list[str] = Field(default_factory=list)
    officer_roles: list[str] = Field(default_factory=list)


class S40Policy(_Strict):
    rank_order: list[RankLevel] = Field(default_factory=list)
    public_from_rank: str | None = None
    elected_titles: list[str] = Field(default_factory=list)
    elected_titles_plural: list[str] = Field(default_factory=list)
    public_office_titles: list[str] = Field(default_factory=list)
    members_present: MembersPresent = Field(default_factory=MembersPresent)
    public_mailboxes: list[str] = Field(default_factory=list)
    public_numbers: list[str] = Field(default_factory=list)
    team_line_words: list[str] = Field(default_factory=list)
    direct_line_words: list[str] = Field(default_factory=list)
    letterhead_numbers: bool = True
    shared_number_min_documents: int = Field(default=3, ge=0)
    batch_policy: BatchPolicy = Field(default_factory=BatchPolicy)

    @field_validator("public_numbers")
    @classmethod
    def _digits_only(cls, values: list[str]) -> list[str]:
        return [re.sub(r"\D", "", v) for v in values]

    def public_ranks(self) -> list[str]:
        """Every alias of every level at or above ``public_from_rank``."""
        if not self.public_from_rank:
            return []
        levels = [lvl.level for lvl in self.rank_order]
        if self.public_from_rank not in levels:
            raise ConfigError(
                f"s40.public_from_rank {self.public_from_rank!r} is not one of rank_order's levels: "
                + ", ".join(levels)
            )
        start = levels.index(self.public_from_rank)
        return [a for lvl in self.rank_order[start:] for a in lvl.aliases]


class Exemption(_Strict):
    """One entry of the exemption register (rules/exemptions.yaml)."""

    code: str
    section: str
    title: str
    kind: Literal["absolute", "qualified", "procedural"]
    test: str
    ncnd: str | None = None
    reason: str
    public_interest_for: str | None = None
    public_interest_against: str | None = None

    @property
    def citation(self) -> str:
        """'Section 31(1)(a) - Law enforcement ...': section, subsection and title."""
        return f"Section {self.section} – {self.title}"


class Vocabularies(_Strict):
    """The word lists of ``vocab.yaml``: every key is known, so a misspelt one
    is an error at load instead of a list that silently does nothing.
    Patterns refer to a list as ``{name}`` (``{name:upper}`` in capitals)."""

    titles: list[str] = Field(default_factory=list)
    ranks: list[str] = Field(default_factory=list)
    name_labels: list[str] = Field(default_factory=list)
    sign_offs: list[str] = Field(default_factory=list)
    greetings: list[str] = Field(default_factory=list)
    contact_labels: list[str] = Field(default_factory=list)
    phone_words: list[str] = Field(default_factory=list)
    phone_after_words: list[str] = Field(default_factory=list)
    address_words: list[str] = Field(default_factory=list)
    section_words: list[str] = Field(default_factory=list)
    place_bodies: list[str] = Field(default_factory=list)
    role_words: list[str] = Field(default_factory=list)
    place_heads: list[str] = Field(default_factory=list)
    street_words: list[str] = Field(default_factory=list)
    not_name_words: list[str] = Field(default_factory=list)

    def get(self, name: str, default: list[str] | None = None) -> list[str]:
        """The list called ``name`` (``default`` or nothing for an unknown name)."""
        return list(getattr(self, name)) if self.has(name) else list(default or [])

    def has(self, name: str) -> bool:
        """Whether ``name`` is one of the lists."""
        return name in type(self).model_fields

    def items(self) -> list[tuple[str, list[str]]]:
        """(name, words) for every list."""
        return [(name, getattr(self, name)) for name in type(self).model_fields]


class RuleSet(_Strict):
    vocabularies: Vocabularies = Field(default_factory=Vocabularies)
    recognizers: list[RecognizerRule] = Field(default_factory=list)
    allow: list[AllowRule] = Field(default_factory=list)
    deny: list[DenyRule] = Field(default_factory=list)
    s40: S40Policy = Field(default_factory=S40Policy)
    exemptions: list[Exemption] = Field(default_factory=list)
    digest: str = ""
    # every pattern compiled once at load, in the form its user runs it (``compiled``)
    _compiled: dict[str, regex.Pattern[str]] = PrivateAttr(default_factory=dict)

    def compiled(self, key: str) -> regex.Pattern[str]:
        """A pattern compiled at load: ``recognizer NAME/PATTERN``, ``allow N``,
        ``deny N`` or ``public_mailboxes``."""
        return self._compiled[key]

    def exemption(self, code: str) -> Exemption | None:
        """The register entry for a code such as 's31(1)(a)'."""
        key = code.replace(" ", "").casefold()
        return next((e for e in self.exemptions if e.code.replace(" ", "").casefold() == key), None)

    def expand(self, pattern: str) -> str:
        """Replace ``{name}`` with the vocabulary as an escaped alternation,
        longest first so 'Chief Inspector' wins over 'Chief'; ``{name:upper}``
        with the same words in capitals, for headings set in capitals."""

        def repl(m: re.Match[str]) -> str:
            if not self.vocabularies.has(m.group(1)):
                return m.group(0)
            words = self.vocabularies.get(m.group(1))
            if m.group(2):
                words = [w.upper() for w in words]
            return "(?:" + phrase_alternation(words) + ")"

        return PLACEHOLDER.sub(repl, pattern)


def phrase_alternation(phrases: Iterable[str]) -> str:
    """The phrases as an escaped regex alternation, longest first (so 'Chief
    Inspector' wins over 'Chief'), any run of spaces or tabs between words."""
    ordered = sorted({" ".join(p.split()) for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(r"[ \t]+".join(regex.escape(part) for part in p.split()) for p in ordered)


def _merge(target: dict[str, Any], source: dict[str, Any], path: Path) -> None:
    for key, value in source.items():
        if key not in RuleSet.model_fields or key == "digest":
            raise ConfigError(f"{path.name}: unknown section {key!r} (expected one of "
                              "vocabularies, recognizers, allow, deny, s40, exemptions)")
        if key in target and isinstance(value, list):
            target[key] = list(target[key]) + value
        elif key in target and isinstance(value, dict):
            target[key] = {**target[key], **value}
        else:
            target[key] = value


def load_rules(rules_dir: Path) -> RuleSet:
    """Read every ``*.yaml`` in ``rules_dir`` into one validated ``RuleSet``."""
    if not rules_dir.is_dir():
        raise ConfigError(f"rules folder {rules_dir} does not exist (setting rules_dir or --rules)")
    files = sorted(rules_dir.glob("*.yaml"))
    if not files:
        raise ConfigError(f"rules folder {rules_dir} holds no *.yaml files")
    merged: dict[str, Any] = {}
    digest = hashlib.sha256()
    for path in files:
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw + b"\0")
        try:
            data = yaml.safe_load(raw) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path.name}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{path.name}: must be a mapping of sections")
        _merge(merged, data, path)
    try:
        rules = RuleSet(**merged, digest=digest.hexdigest())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"rules in {rules_dir}: {where}: {first['msg']}") from exc
    _compile_all(rules)
    return rules


def _compile_all(rules: RuleSet) -> None:
    """Compile every regex once, as it will be run, so errors surface at
    load time and no user compiles it again (``RuleSet.compiled``)."""
    for rec in rules.recognizers:
        for pat in rec.patterns:
            expanded = rules.expand(pat.regex)
            if PLACEHOLDER.search(expanded):
                missing = PLACEHOLDER.search(expanded)
                assert missing is not None
                raise ConfigError(f"recognizer {rec.name}/{pat.name}: unknown vocabulary {missing.group(0)}")
            what = f"recognizer {rec.name}/{pat.name}"
            rules._compiled[what] = _compile(expanded, what, regex.MULTILINE)
    for n, allow in enumerate(rules.allow):
        rules._compiled[f"allow {n}"] = _compile(r"(?i)\A(?:" + allow.pattern + r")\Z",
                                                 f"allow pattern {allow.pattern!r}")
    for n, deny in enumerate(rules.deny):
        rules._compiled[f"deny {n}"] = _compile(deny.pattern if deny.regex else regex.escape(deny.pattern),
                                                f"deny pattern {deny.pattern!r}", regex.I)
    if rules.s40.public_mailboxes:
        try:
            rules._compiled["public_mailboxes"] = regex.compile("(?i)^(?:" + "|".join(rules.s40.public_mailboxes)
                                                                + ")$")
        except regex.error:
            for mailbox in rules.s40.public_mailboxes:  # which one: compiled alone only to say so
                _compile(mailbox, f"s40.public_mailboxes {mailbox!r}")
            raise ConfigError("s40.public_mailboxes: invalid regex") from None
    rules.s40.public_ranks()
    codes = [e.code for e in rules.exemptions]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ConfigError(f"exemptions: codes listed twice: {', '.join(duplicates)}")
    for e in rules.exemptions:
        if e.kind == "qualified" and not (e.public_interest_for and e.public_interest_against):
            raise ConfigError(f"exemption {e.code} is qualified: give public_interest_for and _against")


def _compile(pattern: str, what: str, flags: int = 0) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern, flags)
    except regex.error as exc:
        raise ConfigError(f"{what}: invalid regex: {exc}") from exc
