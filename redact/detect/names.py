"""Word lists that tell a phrase from a name, taken from maintained packages.

* First names: the union of Faker's first-name lists over all its locales
  (MIT licence, maintained). Used only to *keep* a span: a span that starts
  with a known first name is never dropped as an ordinary phrase.
* Common English words: the lemma index that spaCy's English pipeline ships
  for its rule-based lemmatizer (nouns, verbs, adjectives, adverbs).

A span that only the model (or the capitalised-run pattern) proposed, whose
words are all ordinary English words and whose first word is not a first
name ('Common Purpose', 'City Deal', 'Rapid Intervention Vehicles'), is a
title-cased phrase, not a person.
"""

from __future__ import annotations

import calendar
import importlib
import pkgutil
from functools import lru_cache

import regex
import spacy

# Month and day names: capitalised, and some are first names too ('June').
MONTHS_AND_DAYS = frozenset(w.casefold() for w in (*calendar.month_name[1:], *calendar.day_name))
MONTH_AND_DAY_ABBREVIATIONS = frozenset(w.casefold() for w in (*calendar.month_abbr[1:], *calendar.day_abbr))

# a word of a name: letters, digits, apostrophes and hyphens ('O’Brien', 'Pemberton-Hale')
WORD = regex.compile(r"[\w'’-]+")


def english_form(word: str, english: frozenset[str] | set[str]) -> bool:
    """``word`` (case-folded), or the singular of it as a regular plural, is in
    ``english``; a possessive ending is ignored ('members’', 'council's')."""
    word = word.removesuffix("’s").removesuffix("'s").rstrip("’'")
    if word in english:
        return True
    if word.endswith("ies") and word[:-3] + "y" in english:
        return True
    return (word.endswith("es") and word[:-2] in english) or (word.endswith("s") and word[:-1] in english)


@lru_cache(maxsize=1)
def first_name_locales() -> dict[str, int]:
    """How many of Faker's person providers list each first name (case-folded).

    The count stands in for frequency: 'John' or 'Grace' appear in a dozen
    national lists, while the long catch-all ``en`` list alone also holds
    words such as 'Case', 'Media' or 'General'.
    """
    try:
        import faker.providers.person as person
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    counts: dict[str, int] = {}
    for module in pkgutil.iter_modules(person.__path__):
        try:
            provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        names: set[str] = set()
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            values = provider.__dict__.get(attr)
            if isinstance(values, dict):
                values = list(values)
            if isinstance(values, (list, tuple)):
                names.update(n.casefold() for n in values if isinstance(n, str) and n.isalpha())
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    return counts


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Case-folded first names from Faker's person providers."""
    return frozenset(first_name_locales())


# Faker's English-speaking surname lists: UK, Ireland, US and the catch-all English list.
SURNAME_LOCALES = ("en_GB", "en_IE", "en_US", "en")


@lru_cache(maxsize=1)
def english_surnames() -> frozenset[str]:
    """Case-folded surnames of Faker's English-speaking lists: tells a street
    word that is also a surname ('Lane', 'Hall', 'Green') from one that is
    not ('Road', 'Avenue', 'Crescent')."""
    surnames: set[str] = set()
    for locale in SURNAME_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except (ImportError, AttributeError):  # pragma: no cover - a declared dependency
            continue
        values = provider.__dict__.get("last_names", ())
        surnames.update(n.casefold() for n in values if isinstance(n, str))
    return frozenset(surnames)


# A first name listed by at least this many national lists is a common one.
COMMON_NAME_LOCALES = 3


def common_first_names() -> frozenset[str]:
    """First names that many national lists share: strong evidence of a person."""
    return frozenset(n for n, c in first_name_locales().items() if c >= COMMON_NAME_LOCALES)


@lru_cache(maxsize=8)
def common_english(nlp: spacy.language.Language, parts: tuple[str, ...] | None = None) -> frozenset[str]:
    """The lemma index of the model's rule-based lemmatizer (empty if it has
    none), for every part of speech or only ``parts`` ("adj", "adv", "verb",
    "noun"; the noun list holds many given names and surnames too)."""
    if "lemmatizer" not in nlp.component_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or "lemma_index" not in lookups.tables:
        return frozenset()
    # the table's keys are string hashes of the part-of-speech names
    wanted = None if parts is None else {spacy.strings.get_string_id(p) for p in parts}
    words: set[str] = set()
    for pos, values in lookups.get_table("lemma_index").items():
        if wanted is None or pos in wanted:
            words.update(v.casefold() for v in values)
    return frozenset(words)


@lru_cache(maxsize=4)
def ordinary_english(nlp: spacy.language.Language) -> frozenset[str]:
    """Words that are surely not given names: stop words, adjectives, adverbs and verbs."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return common_english(nlp, ("adj", "adv", "verb")) | frozenset(STOP_WORDS)
