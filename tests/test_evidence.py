"""Evidence from the whole document and list items (detect/evidence.py,
recognizers/initials_list.py). People, places and bodies are invented, or
real towns that no evaluation document mentions."""

from __future__ import annotations

import pytest

from redact.detect.evidence import DocumentEvidence, EvidenceRules, uk_places
from redact.detect.scan import Scanner
from redact.models import Finding


def people(scanner: Scanner, text: str) -> set[str]:
    return {f.text for f in scanner.detect_texts([(None, text)]) if f.type == "PERSON"}


def test_places_ship_with_the_package() -> None:
    places = uk_places()
    assert len(places) > 3000
    assert {"kendal", "whitby", "hexham"} <= places


@pytest.mark.parametrize(
    "text",
    [
        "Present: J Pemberton, G Quillfeather and M J Ashdown-Vale",
        "Officers: Head of Planning – J Pemberton Borough Lawyer – G Quillfeather",
        "J Pemberton - Principal Planning Officer\nG Quillfeather, Acting Town Clerk\nM J Ashdown-Vale",
        # a job title run on after the item, before the next role's dash
        "ICT Officer – J Pemberton Records Support Officer – G Quillfeather",
    ],
)
def test_initials_and_surname_in_a_list_are_people(scanner: Scanner, text: str) -> None:
    found = people(scanner, text)
    assert any("Pemberton" in p for p in found)
    assert any("Quillfeather" in p for p in found)


@pytest.mark.parametrize(
    "text",
    [
        "A Report was sent to the committee in March.",
        "See Appendix B Summary for the figures.",
        "I Think the figures are right, said the chair.",
    ],
)
def test_a_letter_before_a_word_in_prose_is_no_person(scanner: Scanner, text: str) -> None:
    assert not any(p.startswith(("A ", "B ", "I ")) for p in people(scanner, text))


def test_a_town_alone_is_not_a_person(scanner: Scanner) -> None:
    text = "The panel met in Hexham on Tuesday. Residents of Kendal and Whitby were invited to attend."
    assert not people(scanner, text) & {"Hexham", "Kendal", "Whitby"}


def test_a_town_that_is_a_surname_here_stays_a_person(scanner: Scanner) -> None:
    text = "Mrs Rosalind Kendal spoke first. Later Kendal asked for the report to be deferred."
    found = [f for f in scanner.detect_texts([(None, text)]) if f.type == "PERSON"]
    assert sum("Kendal" in f.text for f in found) == 2


def test_a_word_of_a_body_in_this_document_is_not_a_person(scanner: Scanner) -> None:
    text = ("Minutes of Kingsmere Parish Council.\n"
            "The meeting heard that Kingsmere had been chosen for the pilot scheme.")
    assert "Kingsmere" not in people(scanner, text)


def test_roles_alone_and_parts_of_an_address_are_not_people(scanner: Scanner) -> None:
    text = ("The Clerk read the minutes. Clerk to circulate.\n"
            "Planning: Little Orchard, Quillon Lane, Brackenford – erect a single storey extension.")
    found = people(scanner, text)
    assert not found & {"Clerk", "Little Orchard", "Brackenford"}


def _evidence(places: set[str]) -> DocumentEvidence:
    rules = EvidenceRules(titles=["Mr"], role_words=["Clerk"], place_heads=["Parish"], common_names=frozenset(),
                          places=frozenset(places))
    return DocumentEvidence(rules, [], [])


def _weak(text: str, start: int) -> Finding:
    return Finding(type="PERSON", text=text, page=None, start=start, end=start + len(text), score=0.4,
                   recogniser="SpacyRecognizer")


def test_a_name_listed_with_people_is_kept() -> None:
    text = "Complaints from Ottoline Brackenridge, Peregrine Quillfeather and Whitby."
    whitby, other = _weak("Whitby", text.index("Whitby")), _weak("Peregrine Quillfeather", text.index("Peregrine"))
    evidence = _evidence({"whitby"})
    assert evidence.veto(whitby, text, [whitby, other]) is None
    veto = evidence.veto(whitby, text, [whitby])
    assert veto is not None and veto.check == "place"


def test_vetoes_are_named_and_counted_in_the_notes() -> None:
    from redact.detect.scan import veto_notes

    evidence = _evidence({"hexham"})
    text = "Residents of Hexham wrote to the Clerk."
    vetoes = [evidence.veto(_weak("Hexham", 13), text), evidence.veto(_weak("Clerk", 33), text)]
    assert [v.check for v in vetoes if v] == ["place", "role_alone"]
    assert veto_notes([v for v in vetoes if v]) == [
        "not proposed, by named checks: 1 place, 1 role_alone"]


def test_titled_findings_are_never_vetoed() -> None:
    evidence = _evidence({"hexham"})
    f = Finding(type="PERSON", text="Hexham", page=None, start=3, end=9, score=0.85, recogniser="titled_name")
    assert evidence.veto(f, "Mr Hexham") is None
    veto = evidence.veto(_weak("Hexham", 3), "in Hexham")
    assert veto is not None and veto.check == "place"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Peregrine McQuillfeather – Clerk to the Council", "Peregrine McQuillfeather"),
        ("Speakers: Kevin O’Penhallow - In Support", "Kevin O’Penhallow"),
    ],
)
def test_a_first_name_before_a_gaelic_surname_is_a_person(scanner: Scanner, text: str, name: str) -> None:
    assert name in people(scanner, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("JUDGE OTTOLINE BRACKENRIDGE\n\nMS TAMSIN OAKSHOTT\n\nBetween", "MS TAMSIN OAKSHOTT"),
        ("TRIBUNAL JUDGE P. QUILLFEATHER\n\nTRIBUNAL MEMBER O. PENHALLOW\n", "TRIBUNAL MEMBER O. PENHALLOW"),
    ],
)
def test_a_titled_name_in_a_heading_set_in_capitals_is_a_person(scanner: Scanner, text: str, name: str) -> None:
    assert name in people(scanner, text)


def test_a_street_word_that_is_no_surname_makes_a_street(scanner: Scanner) -> None:
    text = "The premises on Rosalind Avenue were inspected. Rosalind Avenue is closed at night."
    assert not any("Avenue" in p for p in people(scanner, text))
    # a street word that is also a surname needs an address round it
    assert "Rosalind Hall" in people(scanner, "The report was written by Rosalind Hall for the panel.")


def test_the_finding_clean_up_names_what_it_drops(scanner: Scanner) -> None:
    from redact.models import Veto

    dropped: list[Veto] = []
    text = "Speakers: Kevin O’Penhallow - In Support\nThe Rosalind Avenue Residents Association wrote in."
    found = {f.text for f in scanner.detect_texts([(None, text)], vetoes=dropped)}
    assert "Kevin O’Penhallow" in found
    assert ("Rosalind Avenue", "organisation_word") in {(v.text, v.check) for v in dropped}
    assert all(v.reason and "found by" in v.reason for v in dropped if v.check == "organisation_word")
