"""Verify a redacted Word file: open it as a zip and search every XML part."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from redact.ingest.docx import W, part_text, text_parts
from redact.normalise import normalise
from redact.verify import Expectation, VerifyReport
from redact.verify.pdf import pattern_for

LEFTOVERS = ("del", "ins", "moveFrom", "moveTo", "commentReference", "commentRangeStart", "vanish", "rPrChange",
             "pPrChange", "delText")


def verify_docx(path: Path, expectations: list[Expectation]) -> VerifyReport:
    """Every XML part, text and attributes, normalised; no tracked changes,
    comments, hidden text, custom XML or personal properties left."""
    report = VerifyReport(file=str(path))
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        report.add("open", ["output is not a readable Word file"])
        return report
    with zf:
        names = zf.namelist()
        word_parts = set(text_parts(zf))
        texts: dict[str, str] = {}
        leftovers = []
        for name in names:
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            root = etree.fromstring(zf.read(name), etree.XMLParser(resolve_entities=False, no_network=True))
            pieces = [el.text or "" for el in root.iter() if isinstance(el.tag, str)]
            pieces += [v for el in root.iter() if isinstance(el.tag, str) for v in el.attrib.values()]
            texts[name] = normalise(" ".join(pieces))
            if name in word_parts:
                texts[name + "#paragraphs"] = normalise(part_text(name, root).text)
                for tag in LEFTOVERS:
                    found = root.findall(f".//{{{W}}}{tag}")
                    if found:
                        leftovers.append(f"{name}: {len(found)} w:{tag}")
        problems = [f"{e.type} {e.text!r} still in {name.split('#')[0]}"
                    for e in expectations for name, text in texts.items()
                    if normalise(e.text) and pattern_for(e).search(text)]
        report.add("xml_text", sorted(set(problems)), f"{len(expectations)} string(s) absent from {len(texts)} parts")
        report.add("markup", leftovers, "no tracked changes, comments or hidden text")
        extra = [n for n in names if n.startswith("customXml/") or "comments" in n or n == "docProps/custom.xml"]
        report.add("parts", [f"{n} present" for n in extra], "no comments, custom XML or custom properties")
    return report
