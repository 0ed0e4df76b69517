"""Redact a Word document by rewriting its XML.

Tracked changes are resolved (deletions dropped, insertions kept), comments,
hidden runs, image alt text, custom XML parts and personal document
properties are removed, and every occurrence of an approved string becomes a
fixed-length mark such as ``[s40(2)]`` whose length does not depend on what
it replaced. Runs keep their formatting: only the text inside ``w:t`` nodes
changes.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from redact.apply import Applied, Plan
from redact.ingest.docx import NS, W, open_docx, part_text, text_parts
from redact.normalise import line_pattern

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DROP_ELEMENTS = ("del", "moveFrom", "commentRangeStart", "commentRangeEnd", "rPrChange", "pPrChange",
                 "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange", "tblGridChange", "numberingChange",
                 "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
                 "customXmlDelRangeEnd", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
                 "moveToRangeEnd")
UNWRAP_ELEMENTS = ("ins", "moveTo")
COMMENT_PARTS = re.compile(r"^word/(comments|commentsExtended|commentsIds|commentsExtensible|people)\.xml$")
CORE_FIELDS = ("creator", "lastModifiedBy", "title", "subject", "keywords", "description", "category",
               "contentStatus", "identifier", "lastPrinted")
APP_FIELDS = ("Company", "Manager", "HyperlinkBase")


def redact_docx(source: Path, plan: Plan, out_path: Path, max_file_mb: float = 2048,
                max_inflated_mb: float = 512) -> Applied:
    """Write a redacted copy of ``source`` to ``out_path``."""
    applied = Applied()
    patterns = [(t, line_pattern(t.text)) for t in plan.strings]
    with open_docx(source, max_file_mb, max_inflated_mb) as zf:
        infos = zf.infolist()
        data = {i.filename: zf.read(i) for i in infos}
        body_parts = set(text_parts(zf))
    removed = {n for n in data if COMMENT_PARTS.match(n) or n.startswith("customXml/")
               or n == "docProps/custom.xml"}
    marks: list[str] = []
    for name in body_parts - removed:
        root = _parse(data[name])
        _clean_structure(root)
        marks += _replace_strings(name, root, patterns)
        data[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    for name in list(data):
        if name.endswith(".rels"):
            data[name] = _drop_relationships(data[name], removed)
    data["[Content_Types].xml"] = _drop_overrides(data["[Content_Types].xml"], removed)
    if "docProps/core.xml" in data:
        data["docProps/core.xml"] = _blank_fields(data["docProps/core.xml"], CORE_FIELDS)
    if "docProps/app.xml" in data:
        data["docProps/app.xml"] = _blank_fields(data["docProps/app.xml"], APP_FIELDS)
    if "word/settings.xml" in data:
        root = _parse(data["word/settings.xml"])
        for el in root.findall("w:trackRevisions", NS):
            root.remove(el)
        data["word/settings.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            if info.filename not in removed:
                out.writestr(info.filename, data[info.filename])
    applied.boxes[0] = [((0.0, 0.0, 0.0, 0.0), code) for code in marks] if marks else []
    if not applied.boxes[0]:
        del applied.boxes[0]
    applied.strings_gone = [(t.text, t.type, None) for t in plan.strings]
    if removed:
        applied.notes.append("removed: " + ", ".join(sorted(removed)))
    return applied


def _parse(blob: bytes) -> etree._Element:
    return etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True))


def _clean_structure(root: etree._Element) -> None:
    """Resolve tracked changes, drop comment anchors, hidden runs and alt text."""
    for tag in DROP_ELEMENTS:
        for el in root.findall(f".//w:{tag}", NS):
            el.getparent().remove(el)
    for tag in UNWRAP_ELEMENTS:
        for el in root.findall(f".//w:{tag}", NS):
            parent = el.getparent()
            index = parent.index(el)
            for child in list(el):
                parent.insert(index, child)
                index += 1
            parent.remove(el)
    for ref in root.findall(".//w:commentReference", NS):
        run = ref.getparent()
        if run is not None and run.getparent() is not None:
            run.getparent().remove(run)
    for vanish in root.findall(".//w:rPr/w:vanish", NS) + root.findall(".//w:rPr/w:specVanish", NS):
        run = vanish.getparent().getparent()
        if run.tag == f"{{{W}}}r" and run.getparent() is not None:
            run.getparent().remove(run)
    for el in root.iter():
        for attr in ("descr", "title", "alt"):
            if el.get(attr):
                el.set(attr, "")


def _replace_strings(name: str, root: etree._Element, patterns: list) -> list[str]:
    """Replace every approved string with its mark; return the marks placed."""
    part = part_text(name, root)
    spans: list[tuple[int, int, str]] = []
    for target, pattern in patterns:
        spans.extend((m.start(), m.end(), target.exemption) for m in pattern.finditer(part.text))
    spans = _non_overlapping(spans)
    marks = []
    for start, end, code in sorted(spans, reverse=True):
        covered = [n for n in part.nodes[start:end] if n is not None]
        if not covered:
            continue
        by_element: dict[etree._Element, list[int]] = {}
        for el, offset in covered:
            by_element.setdefault(el, []).append(offset)
        first_el = covered[0][0]
        for el, offsets in by_element.items():
            text = el.text or ""
            lo, hi = min(offsets), max(offsets) + 1
            mark = f"[{code}]" if el is first_el else ""
            el.text = text[:lo] + mark + text[hi:]
            if el.tag == f"{{{W}}}t":
                el.set(XML_SPACE, "preserve")
        marks.append(code)
    return marks


def _non_overlapping(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Merge overlapping spans (the first code wins)."""
    out: list[tuple[int, int, str]] = []
    for s, e, code in sorted(spans):
        if out and s < out[-1][1]:
            ps, pe, pcode = out[-1]
            out[-1] = (ps, max(pe, e), pcode)
        else:
            out.append((s, e, code))
    return out


def _drop_relationships(blob: bytes, removed: set[str]) -> bytes:
    root = _parse(blob)
    changed = False
    for rel in list(root):
        target = rel.get("Target", "")
        resolved = target.lstrip("/").removeprefix("../")
        candidates = {resolved, f"word/{resolved}"}
        if candidates & removed or any(target.endswith(r.split("/", 1)[-1]) and r.startswith("customXml/")
                                       for r in removed):
            root.remove(rel)
            changed = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if changed else blob


def _drop_overrides(blob: bytes, removed: set[str]) -> bytes:
    root = _parse(blob)
    for el in list(root):
        if el.get("PartName", "").lstrip("/") in removed:
            root.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _blank_fields(blob: bytes, fields: tuple[str, ...]) -> bytes:
    root = _parse(blob)
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname in fields and el.text:
            el.text = ""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
