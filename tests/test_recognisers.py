"""Text -> expected spans for each recogniser, with near misses that must not match.

All people, numbers and addresses are invented for these tests.
"""

from __future__ import annotations

import pytest

from redact.detect.scan import Scanner


def found(scanner: Scanner, text: str) -> set[tuple[str, str]]:
    return {(f.type, f.text) for f in scanner.detect_texts([(None, text)])}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please contact Mrs P Okafor-Lindqvist about this.", ("PERSON", "P Okafor-Lindqvist")),
        ("The file was passed to Mr JKL Hartigrove last week.", ("PERSON", "JKL Hartigrove")),
        ("Interviewed by DC 4471 Brennock at the station.", ("PERSON", "4471 Brennock")),
        ("C/Supt Mariella Ellisworth chaired the meeting.", ("PERSON", "Mariella Ellisworth")),
        ("Dear Ms Lowtherby,", ("PERSON", "Lowtherby")),
        ("The note was signed T. Marshwood on behalf of the team.", ("PERSON", "T. Marshwood")),
        ("SIGNED BY JANE HOLLOWELL ON 3 MAY", ("PERSON", "JANE HOLLOWELL")),
        ("Yours sincerely\n\nPeregrine Quillfeather\nDisclosure Officer", ("PERSON", "Peregrine Quillfeather")),
        ("Document owner: Rosamund Achterbosch | Information Team", ("PERSON", "Rosamund Achterbosch")),
        # led by a known first name, foreign surnames the model does not know
        ("Follow up with Sigrid Vasterbølle in a couple of months.", ("PERSON", "Sigrid Vasterbølle")),
        ("Maybe it's under Elita B Quendrauly", ("PERSON", "Elita B Quendrauly")),
        # a first name alone where a letter puts one
        ("Dear Ignatius,\nPlease find attached our response.", ("PERSON", "Ignatius")),
        ("Hi Ottilie,\nThanks for the update.", ("PERSON", "Ottilie")),
        ("Kind regards,\n\nCassius\nDisclosure Team", ("PERSON", "Cassius")),
        ("I would like to remove my kid Tobias from the account.", ("PERSON", "Tobias")),  # alone in prose
        ("please block my card, my name is ottilie vasterbølle.", ("PERSON", "ottilie vasterbølle")),
        ("Ottilie: You saved my life! How can I repay you?", ("PERSON", "Ottilie")),  # a speaker
        ("The statement was signed by Police Officer J. Quillfeather.", ("PERSON", "J. Quillfeather")),
        ("Sigrid Vasterbølle's report was late.", ("PERSON", "Sigrid Vasterbølle's")),  # a possessive
        # surnames that are also street or building words
        ("I spoke to Imogen Hall about the complaint.", ("PERSON", "Imogen Hall")),
        ("The statement was taken by Tobias Lane.", ("PERSON", "Tobias Lane")),
        ("Yours sincerely\n\nOttilie Church\nDisclosure Officer\nPolice HQ, Anytown AN1 1AA",
         ("PERSON", "Ottilie Church")),
        ("Yours sincerely\n\nOttilie Church\nDisclosure Officer, Police House", ("PERSON", "Ottilie Church")),
        # first names written with their accents, surnames with Irish particles
        ("The objection was made by Pádraig O’Quillfeather at the hearing.", ("PERSON", "Pádraig O’Quillfeather")),
        ("Siobhán O’Penhallow spoke against the proposal.", ("PERSON", "Siobhán O’Penhallow")),
        ("Micheál Ó Foxworth addressed the committee.", ("PERSON", "Micheál Ó Foxworth")),
        # 'and' then a team or a person: the first name stays
        ("Thanks to Ignatius and Finance Team for the figures.", ("PERSON", "Ignatius")),
        ("I met Isolde and Marguerite Fairweather there.", ("PERSON", "Isolde")),
    ],
)
def test_person_forms(scanner: Scanner, text: str, expected: tuple[str, str]) -> None:
    assert expected in found(scanner, text)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Call me on 01632 960545 today.", "01632 960545"),
        ("Tel: (01632) 960 545.", "(01632) 960 545"),
        ("Direct line +44 (0)1632 960545 please.", "+44 (0)1632 960545"),
        ("Ring 01632-960545 or write.", "01632-960545"),
        ("Mobile +44 7700 900123 (work).", "+44 7700 900123"),
        ("Mobile 07700 900123.", "07700 900123"),
        ("Direct 0303 555 0123 only.", "0303 555 0123"),
        ("London 020 7946 0123.", "020 7946 0123"),
        ("Tel 01632 960545 / 960546.", "960546"),
        ("Line broken 01632\n960545 here.", "01632\n960545"),
    ],
)
def test_uk_phone_forms(scanner: Scanner, text: str, number: str) -> None:
    assert ("PHONE", number) in found(scanner, text)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Mobile: 432 03 163", "432 03 163"),  # a national format libphonenumber is not told about
        ("Phone:\n416 60 039", "416 60 039"),  # label on the line above
        ("They're not answering at 71-33-52-22", "71-33-52-22"),
        ("my phone number is 99 668472.", "99 668472"),
        ("781 1704 office", "781 1704"),  # a place word after it
    ],
)
def test_labelled_numbers_in_any_format(scanner: Scanner, text: str, number: str) -> None:
    assert ("PHONE", number) in found(scanner, text)


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("Write to jo.bloggs@example.org now.", "jo.bloggs@example.org"),
        ("Obfuscated: jo.bloggs [at] example [dot] org.", "jo.bloggs [at] example [dot] org"),
        ("Or jo.bloggs [at] force.example.uk instead.", "jo.bloggs [at] force.example.uk"),
    ],
)
def test_email_forms(scanner: Scanner, text: str, email: str) -> None:
    assert ("EMAIL", email) in found(scanner, text)


@pytest.mark.parametrize(
    "text",
    [
        "Reference 2019/0001234/56 was closed.",  # reference number, not a phone
        "Crime number 01632960545123 recorded.",  # too many digits
        "Please reply to [email address] or xxxx@xxxx.xx.",  # masked placeholders
        "See section 40(2) of the Act, paragraph 12.",
        "Tel: see below",
        "Call reference 12345678 was logged.",  # a phone word, but a reference between
        "Phone: 2003-08-28 12:13",  # a date and a time are never numbers
        "The Council Tax and Justice Committee papers.",  # first-name words leading organisations
        "Hello World",  # a greeting before a word that is not a first name
        "See Page 2 of the appendix on the 5th Floor.",  # first-name words beside numbers
        "Received on 3 Jan and answered.",  # a month's abbreviation
        "refused as a religioushate crime under",  # OCR joins: 'asa religioushate' is not a name
        "the number of reported Isla m ophobic incidents",  # OCR split a word after a first name
        "Please write to us at 25 Charlotte Street, Anytown.",  # a house number: an address
        "Guidance from the DfE and TfL was followed.",  # mixed-case acronyms
        "Quillfeather Ltd won the contract.",  # a company
        "Our office is on Via Quintela in the old town.",  # a street abroad
        "Information Commissioner's Office\nWycliffe House\nWater Lane\nWilmslow",  # a street on the next line
        "Police HQ, Victoria Road, Kidlington OX5 2NX",  # a postcode on the line
        "Victoria House, Quay Street, Anytown",  # a street after a comma
        "Information Asset Owners are listed in Appendix A. For the register see below.",  # a label letter
        "This inspection was led by His Majesty's Inspectorate of Constabulary.",
        "Author: see the register",  # a label, though 'Author' is in a first-name list
        "Dear Devon and Cornwall Police,",  # a body named after two places, not a person
        "held by the Avonmere & Westshire Fire & Rescue Authority.",
        "the Register of Members’ Financial and Other Interests",  # a possessive plural is ordinary English
        "The Headquarters of Westshire Police was closed.",  # a building word
    ],
)
def test_near_misses(scanner: Scanner, text: str) -> None:
    assert found(scanner, text) == set()


def test_surname_repeat_found_on_later_page(scanner: Scanner) -> None:
    pages = [(1, "The investigation was led by DS Ottoline Brackenridge."),
             (2, "Brackenridge then reviewed the file and closed it.")]
    findings = scanner.detect_texts(pages)
    assert any(f.page == 2 and f.text == "Brackenridge" and f.recogniser == "surname_repeat" for f in findings)


def test_title_stays_visible(scanner: Scanner) -> None:
    (f,) = [f for f in scanner.detect_texts([(None, "Statement by DS Ottoline Brackenridge.")]) if f.type == "PERSON"]
    assert f.text == "Ottoline Brackenridge" and f.explanation["title"] == "DS"


def test_every_finding_says_why(scanner: Scanner) -> None:
    for f in scanner.detect_texts([(None, "Contact Mrs P Okafor on 01632 960545 or p.okafor@example.org")]):
        assert f.recogniser and f.explanation.get("recogniser") and f.policy_reason


@pytest.mark.parametrize("rank", ["T/DS", "A/Insp"])
def test_acting_and_temporary_ranks(scanner: Scanner, rank: str) -> None:
    findings = scanner.detect_texts([(None, f"The case passed to {rank} Ottoline Brackenridge today.")])
    assert ("PERSON", "Ottoline Brackenridge") in {(f.type, f.text) for f in findings}
    assert all(f.explanation.get("title", rank) == rank for f in findings if f.type == "PERSON")


def test_contact_label_cut_off_a_name(scanner: Scanner) -> None:
    text = "Contact: Ottoline Brackenridge  Tel: 01632 960545"
    found = {(f.type, f.text) for f in scanner.detect_texts([(None, text)])}
    assert ("PERSON", "Ottoline Brackenridge") in found


@pytest.mark.parametrize(
    "org", ["Westshire Police Authority", "Westshire Fire and Rescue Service", "Eastmoor Borough Council"])
def test_organisations_are_not_people(scanner: Scanner, org: str) -> None:
    findings = scanner.detect_texts([(None, f"We wrote to {org} about the request.")])
    assert not [f for f in findings if f.type == "PERSON"]


def test_name_glued_to_previous_word(scanner: Scanner) -> None:
    found = {(f.type, f.text) for f in scanner.detect_texts([(None, "Please ring number01632 960545 today.")])}
    assert ("PHONE", "01632 960545") in found


@pytest.mark.parametrize(("text", "expected"), [
    ("Mobile +1-984-182-0190 (US office).", {("PHONE", "+1-984-182-0190")}),
    ("Date: Fri, 19 Dec 2025 09:14:00 +0000", set()),  # a time zone, not a phone
])
def test_international_numbers(scanner: Scanner, text: str, expected: set) -> None:
    assert {(f.type, f.text) for f in scanner.detect_texts([(None, text)])} == expected


def test_repeated_footer_read_by_ner_once_but_found_on_every_page(scanner: Scanner) -> None:
    from redact.detect.scan import blank_repeated_lines

    footer = "Prepared by Ottoline Brackenridge for the panel"
    pages = [(i, f"Page {i} of the minutes.\n{footer}\n") for i in range(1, 6)]
    masked = blank_repeated_lines([t for _, t in pages])
    assert masked[0] == pages[0][1] and footer not in masked[1] and len(masked[1]) == len(pages[1][1])
    found = [f for f in scanner.detect_texts(pages) if f.type == "PERSON"]
    assert sorted(f.page for f in found) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(("text", "person"), [
    ("The force made payments to the charity Common Purpose last year.", None),
    ("The City Deal board met on Tuesday.", None),
    ("Rapid Intervention Vehicles were trialled at two stations.", None),
    ("The report was written by Mark Brown for the panel.", "Mark Brown"),  # a first name keeps it
    ("The report was written by Ottoline Brackenridge for the panel.", "Ottoline Brackenridge"),
])
def test_title_case_phrases_are_not_people(scanner: Scanner, text: str, person: str | None) -> None:
    people = [f.text for f in scanner.detect_texts([(None, text)]) if f.type == "PERSON"]
    assert people == ([person] if person else [])


def test_first_name_word_the_document_writes_in_lower_case_is_not_a_name(scanner: Scanner) -> None:
    text = "The grace period ends in June. A further Grace Period Notice follows."
    assert not [f for f in scanner.detect_texts([(None, text)]) if f.type == "PERSON"]


def test_name_inside_a_rejected_longer_span_survives(scanner: Scanner) -> None:
    # the model's span runs on into an organisation word; the titled name inside it must stay
    found = {f.text for f in scanner.detect_texts([(None, "Records held by DS Brackenridge Records Unit.")])
             if f.type == "PERSON"}
    assert any("Brackenridge" in text for text in found)


def test_identical_pages_are_analysed_once_and_found_on_each(scanner: Scanner, monkeypatch) -> None:
    seen: list[int] = []
    original = scanner.detector.find_by_rules

    def spy(texts: list[str]):  # type: ignore[no-untyped-def]
        seen.append(len(texts))
        return original(texts)

    monkeypatch.setattr(scanner.detector, "find_by_rules", spy)
    form = "Witness form\nCompleted by DS Quenellworth, call 01632 960777.\n"
    found = scanner.detect_texts([(1, form), (2, "A different page about Ottilie Brackenbury."), (3, form)])
    assert seen == [2]
    pages = sorted(f.page for f in found if f.text == "Quenellworth")
    assert pages == [1, 3]
    assert sorted(f.page for f in found if f.type == "PHONE") == [1, 3]


def test_name_split_by_ocr_is_stretched_to_the_whole_name(scanner: Scanner) -> None:
    text = "Ms Amber Quill feather\nTelephone: 101\n\nDear Ms Amber Quillfeather,\nThank you for your request."
    ocr = {f.text for f in scanner.detect_texts([(1, text)], ocr_pages={1}) if f.type == "PERSON"}
    assert ocr == {"Amber Quill feather", "Amber Quillfeather"}
    # a text layer is taken as written: no stray spaces are assumed
    layer = {f.text for f in scanner.detect_texts([(1, text)]) if f.type == "PERSON"}
    assert "Amber Quill feather" not in layer


def test_a_name_in_an_email_address_does_not_make_it_an_ordinary_word(scanner: Scanner) -> None:
    # 'imogen' and 'quillfeather' are written in lower case only inside the address
    text = ("The contact for this system is Imogen Quillfeather, who can be reached at\n"
            "imogen.quillfeather@westshire.example or via www.quillfeather.example.\n"
            "Later Quillfeather confirmed it.")
    people = {f.text for f in scanner.detect_texts([(None, text)]) if f.type == "PERSON"}
    assert people == {"Imogen Quillfeather", "Quillfeather"}


def test_numbered_street_above_a_postcode_is_an_address(scanner: Scanner) -> None:
    text = "Mr D Ashworth\n14 Meadow View\nLittlebury LB4 7QT\n\nDear Mr Ashworth"
    assert {f.text for f in scanner.detect_texts([(None, text)]) if f.type == "PERSON"} == {"D Ashworth", "Ashworth"}


def test_an_accented_first_name_is_known_but_a_short_welsh_word_is_not(scanner: Scanner) -> None:
    """The name lists hold 'Padraig' and 'Sean'; letters write 'Pádraig' and
    'Seán'. A word of under four letters is not matched without its accents
    (the Welsh 'Tŷ', a house, is not the name 'Ty')."""
    people = {t for kind, t in found(scanner, "The panel met at Tŷ Quillfeather in the town.") if kind == "PERSON"}
    assert not any(t.startswith("Tŷ") for t in people)


def test_a_councillor_whose_name_opens_with_an_accented_capital_is_public_whole(scanner: Scanner) -> None:
    findings = [f for f in scanner.detect_texts([(None, "Present: Councillor Seán Ó Foxworth, Mr Tobias Lane.")])
                if f.type == "PERSON"]
    councillor = next(f for f in findings if "Foxworth" in f.text)
    assert councillor.text == "Seán Ó Foxworth" and councillor.public
    assert any(f.text == "Tobias Lane" and not f.public for f in findings)
