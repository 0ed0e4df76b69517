"""Word documents: the text of every part, mapped back to the XML it came from.

A .docx is a zip of XML parts. Personal data hides in more of them than
``paragraph.text`` shows: headers and footers, footnotes and endnotes,
comments and their authors, text boxes (and their VML fallback copies),
tracked deletions and insertions, hidden runs, image alt text and the
document properties. Each paragraph's text is built from its ``w:t`` and
``w:delText`` nodes, so a name split across runs is one string, and every
character remembers the node and offset it came from.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from redact.exceptions import BadInputError, TooLargeError
from redact.ingest import check_size

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TEXT_TAGS = {f"{{{W}}}t", f"{{{W}}}delText", f"{{{W}}}instrText"}
PART_RE = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
PROPERTY_PARTS = ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml")


def part_label(name: str) -> str:
    """'word/header2.xml' -> 'header2'; 'docProps/core.xml' -> 'properties'."""
    if name.startswith("docProps/"):
        return "properties"
    return Path(name).stem.replace("document", "body")


@dataclass
class DocxPart:
    """One part's text; ``nodes[i]`` is (element, offset) for ``text[i]``."""

    name: str
    text: str
    nodes: list[tuple[etree._Element, int] | None] = field(default_factory=list)


def open_docx(path: Path, max_file_mb: float = 2048, max_inflated_mb: float = 512) -> zipfile.ZipFile:
    """Open a .docx or raise a typed one-line error; a file whose parts would
    inflate past ``max_inflated_mb`` is refused before any is read (the
    sizes a zip declares also bound what reading a part inflates)."""
    check_size(path, max_file_mb)
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        with path.open("rb") as fh:
            head = fh.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise BadInputError(f"{path.name}: encrypted or old-format (.doc) Word file; save it as .docx "
                                "without a password first") from exc
        raise BadInputError(f"{path.name}: not a Word document (not a zip file)") from exc
    if "word/document.xml" not in zf.namelist():
        zf.close()
        raise BadInputError(f"{path.name}: not a Word document (no word/document.xml)")
    inflated = sum(info.file_size for info in zf.infolist())
    if inflated > max_inflated_mb * 1024 * 1024:
        zf.close()
        raise TooLargeError(f"{path.name}: its parts inflate to {inflated / 1048576:.0f} MB, over the limit of "
                            f"{max_inflated_mb:.0f} MB (setting max_inflated_mb): a zip bomb or an oversized file")
    return zf


def parse_part(zf: zipfile.ZipFile, name: str) -> etree._Element:
    """Parse one XML part safely: no network, no entities, and no DTD at
    all (Word never writes one; a DOCTYPE is a billion-laughs or an entity
    hiding text), a damaged part refused by name."""
    label = f"{Path(zf.filename or '').name}: part {name}"
    try:
        data = zf.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        # damaged data, an unknown compression method or zip version, an encrypted part
        raise BadInputError(f"{label} is damaged and cannot be read ({exc})") from exc
    if b"<!DOCTYPE" in data[:4096].upper():
        raise BadInputError(f"{label} declares a DTD (entities): refused, Word never writes one")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BadInputError(f"{label} is not well-formed XML ({exc})") from exc


def text_parts(zf: zipfile.ZipFile) -> list[str]:
    """The parts that hold document text, body first."""
    names = [n for n in zf.namelist() if PART_RE.match(n)]
    return sorted(names, key=lambda n: (n != "word/document.xml", n))


def part_text(name: str, root: etree._Element) -> DocxPart:
    """Every paragraph of a part, one per line, with a node map."""
    chars: list[str] = []
    nodes: list[tuple[etree._Element, int] | None] = []
    for p in root.iter(f"{{{W}}}p"):
        # a text box's paragraphs sit inside another paragraph: each is read on its own
        for el in p.iter():
            if el.tag in TEXT_TAGS and el.text and _owning_paragraph(el) is p:
                for i, c in enumerate(el.text):
                    chars.append(c)
                    nodes.append((el, i))
            elif el.tag in (f"{{{W}}}tab", f"{{{W}}}br") and _owning_paragraph(el) is p:
                chars.append(" ")
                nodes.append(None)
        chars.append("\n")
        nodes.append(None)
    return DocxPart(name=name, text="".join(chars), nodes=nodes)


def _owning_paragraph(el: etree._Element) -> etree._Element | None:
    for parent in el.iterancestors(f"{{{W}}}p"):
        return parent
    return None


def property_text(zf: zipfile.ZipFile) -> str:
    """Document properties as 'field: value' lines (author, last modified by, title ...)."""
    lines = []
    for name in PROPERTY_PARTS:
        if name not in zf.namelist():
            continue
        root = parse_part(zf, name)
        for el in root.iter():
            if isinstance(el.tag, str) and el.text and el.text.strip() and len(el) == 0:
                lines.append(f"{etree.QName(el).localname}: {el.text.strip()}")
    for name in text_parts(zf):
        root = parse_part(zf, name)
        for el in root.iter():
            for attr in ("author", "initials", "descr", "title"):
                value = el.get(f"{{{W}}}{attr}") or (el.get(attr) if attr in ("descr", "title") else None)
                if value and value.strip():
                    lines.append(f"{attr}: {value.strip()}")
    return "\n".join(lines) + "\n"


def read_docx_texts(path: Path, max_file_mb: float = 2048, max_inflated_mb: float = 512) -> list[tuple[str, str]]:
    """(part label, text) for every text part and the properties."""
    with open_docx(path, max_file_mb, max_inflated_mb) as zf:
        out = [(part_label(n), part_text(n, parse_part(zf, n)).text) for n in text_parts(zf)]
        out.append(("properties", property_text(zf)))
    return out
