"""Detection quality per batch of the dev set and errors grouped by class.

``make eval`` runs this after ``redact scan --format jsonl``. It scores each
batch of ``manifest.json`` (``original``, ``r-council-minutes``,
``s-correspondence``, ``t-panels-boards``) with the corpus's own ``score.py``
(so the figures are the official ones), then sorts every miss and every false
positive into a class of error, so that a change is judged by the classes it
moves on the batches it was not written for, not by one string.

Usage: eval_report.py SHARED PREDICTIONS.jsonl KIND [--list]
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

# Classes of error. The words below describe kinds of text (titles, roles,
# organisation heads), never a name from the corpus.
TITLES = {"mr", "mrs", "ms", "miss", "dr", "cllr", "councillor", "sir", "lord", "lady", "rev", "prof"}
ROLE_WORDS = {
    "chair", "chairman", "vice", "clerk", "chief", "deputy", "officer", "member", "members", "lawyer", "legal",
    "support", "service", "services", "media", "manager", "director", "head", "executive", "secretary",
    "treasurer", "mayor", "ward", "councillor", "councillors", "commissioner", "constable", "inspector",
    "solicitor", "engineer", "planning", "principal", "senior", "assistant", "acting", "case", "general",
    "full", "queen", "king", "grace", "defender",
}
ORG_WORDS = {
    "ltd", "limited", "plc", "llp", "bar", "stadium", "club", "company", "group", "association", "council",
    "police", "constabulary", "trust", "society", "hotel", "inn", "arms", "park", "industrial", "estate",
    "centre", "church", "school", "hall",
}
STREET_WORDS = {"street", "road", "lane", "avenue", "close", "drive", "way", "lea", "park", "green", "square",
                "place", "crescent", "terrace", "hill", "court", "gardens", "view", "row", "walk"}


def load_score(shared: Path):
    spec = importlib.util.spec_from_file_location("corpus_score", shared / "corpus" / "score.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def places(shared: Path) -> set[str]:
    """Place names for the error classes: the ones the product ships."""
    path = Path(__file__).resolve().parent.parent / "redact" / "data" / "uk_places.txt"
    if not path.exists():
        return set()
    return {line.strip().casefold() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def fp_class(text: str, doc_text: str, place_names: set[str]) -> str:
    words = re.findall(r"[\w'’-]+", text)
    low = [w.casefold().strip("'’") for w in words]
    if not any(c.isupper() for c in text):
        return "lower-case phrase"
    if len(text.replace("\n", " ").strip()) <= 3 or (words and len(words) == 1 and len(words[0]) <= 2):
        return "fragment"
    if "@" in text or any(c.isdigit() for c in text):
        return "number or address"
    if all(w in ROLE_WORDS or w in TITLES for w in low):
        return "role or title alone"
    if any(w in STREET_WORDS for w in low[1:]):
        return "street or building"
    if any(w in ORG_WORDS for w in low):
        return "organisation"
    if " ".join(low) in place_names or all(w in place_names for w in low):
        return "place"
    # evidence from the document: the span opens an organisation or place name elsewhere
    after = re.findall(re.escape(text.split()[-1]) + r"[ \t]+([A-Z][\w'’-]*)", doc_text)
    if any(a.casefold() in ORG_WORDS | STREET_WORDS | {"parish", "town", "city", "county", "borough", "ward",
                                                       "district", "road", "street"} for a in after):
        return "place"
    if any(w in ROLE_WORDS for w in low):
        return "role phrase"
    return "other"


def miss_class(text: str) -> str:
    t = text.strip()
    words = t.replace(".", ". ").split()
    if words and words[0].casefold().rstrip(".") in TITLES:
        return "titled name"
    if re.fullmatch(r"(?:[A-Z]\.?[ \t]*){1,3}[ \t]*[A-Z][\w'’-]+", t) and not re.fullmatch(r"[A-Z][a-z].*", t):
        return "initials and surname"
    if re.fullmatch(r"[A-Z]{2,3}", t):
        return "initials alone"
    if t.isupper():
        return "name in capitals"
    if not t[:1].isupper():
        return "lower-case name"
    if len(words) == 1:
        return "single name"
    return "full name"


def score_subset(score, gold_rows, pred_rows, kind: str, docs_dir: Path) -> tuple[float, float, int, int, str]:
    with tempfile.TemporaryDirectory() as tmp:
        g = Path(tmp) / "gold.jsonl"
        p = Path(tmp) / "pred.jsonl"
        g.write_text("".join(json.dumps(r) + "\n" for r in gold_rows), encoding="utf-8")
        p.write_text("".join(json.dumps(r) + "\n" for r in pred_rows), encoding="utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            score.main([str(g), str(p), "--kind", kind, "-v",
                        "--docs-dir", str(Path(tmp) / "none"), *(["--parts", "all"] if kind == "docx" else [])])
    text = out.getvalue()
    m = re.search(r"recall=([\d.]+) precision=([\d.]+)", text)
    all_line = re.search(r"^ALL\s+\S+ \((\d+)/(\d+)\)", text, re.M)
    found, total = (int(all_line.group(1)), int(all_line.group(2))) if all_line else (0, 0)
    return (float(m.group(1)), float(m.group(2)), found, total, text) if m else (0.0, 0.0, 0, 0, text)


def public_flags(gold_rows, pred_rows) -> tuple[int, int, int, int]:
    """(public found, public kept, personal found, personal marked public)."""
    def norm(s: str) -> str:
        return re.sub(r"\s+", " ", s).strip().casefold()

    by_file: dict[str, list[dict]] = defaultdict(list)
    for p in pred_rows:
        name = Path(p["file"]).name if "/scanned/" not in p["file"] else "scanned/" + Path(p["file"]).name
        by_file[name].append(p)
    stats = {True: [0, 0], False: [0, 0]}
    for g in gold_rows:
        if g.get("part", "body") not in ("body", "header", "footer", "table"):
            continue
        core = norm(g.get("core", g["text"]))
        hits = [p for p in by_file.get(g["file"], []) if (g["page"] is None or p["page"] == g["page"])
                and p["type"] == g["type"] and (core in norm(p["text"]) or norm(p["text"]) in core)
                and len(norm(p["text"])) >= 0.5 * len(core)]
        if hits:
            stats[g["public"]][0] += 1
            stats[g["public"]][1] += any(h["public"] for h in hits)
    return stats[True][0], stats[True][1], stats[False][0], stats[False][1]


def main(argv: list[str]) -> int:
    positional = [a for a in argv if not a.startswith("-")]
    if len(positional) != 3 or "-h" in argv or "--help" in argv:
        print(__doc__.strip(), file=sys.stderr)
        return 0 if ("-h" in argv or "--help" in argv) else 2
    shared, pred_path, kind = Path(positional[0]), Path(positional[1]), positional[2]
    listing = "--list" in argv
    score = load_score(shared)
    dev = shared / "corpus" / "dev"
    manifest = json.loads((dev / "manifest.json").read_text(encoding="utf-8"))
    batch_of = {d["doc"]: d["batch"] for d in manifest}
    gold = [json.loads(x) for x in (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    preds = [json.loads(x) for x in pred_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    place_names = places(shared)

    def in_kind(name: str) -> bool:
        return score.file_kind(name) == kind

    gold = [g for g in gold if in_kind(g["file"])]
    preds = [p for p in preds if in_kind(p["file"].replace("\\", "/").split("docs/")[-1])]
    batches = sorted({batch_of[d] for d in batch_of})
    rows = []
    errors: dict[str, Counter[str]] = defaultdict(Counter)
    listed: list[str] = []
    for batch in [*batches, "ALL"]:
        docs = set(batch_of) if batch == "ALL" else {d for d, b in batch_of.items() if b == batch}
        g_rows = [g for g in gold if g["doc"] in docs]
        p_rows = [p for p in preds if p["doc"] in docs]
        if not g_rows:
            continue
        recall, precision, found, total, text = score_subset(score, g_rows, p_rows, kind, dev / "docs")
        pub_found, pub_kept, per_found, per_public = public_flags(g_rows, p_rows)
        rows.append((batch, recall, precision, found, total, pub_kept, pub_found, per_public))
        if batch == "ALL":
            continue
        for line in text.splitlines():
            m = re.match(r"\s+(MISS|FP)\s+(\S+) p(\S+) (\w+): (.*)$", line)
            if not m:
                continue
            what, file, _page, etype, raw = m.groups()
            value = eval(raw)  # noqa: S307 - score.py prints repr() of its own strings
            doc = score.stem_of(file)
            if what == "MISS":
                cls = f"miss {etype}: " + (miss_class(value) if etype == "PERSON" else etype.lower())
            else:
                doc_file = dev / "docs" / f"{doc}.txt"
                doc_text = doc_file.read_text(encoding="utf-8") if doc_file.exists() else ""
                cls = f"false positive {etype}: " + (fp_class(value, doc_text, place_names)
                                                     if etype == "PERSON" else etype.lower())
            errors[cls][batch] += 1
            if listing:
                listed.append(f"  {cls:45} {batch:18} {file}: {value!r}")
    print(f"{'batch':20} {'recall':>7} {'precision':>9} {'found':>9} {'public kept':>13} {'personal->public':>16}")
    for batch, recall, precision, found, total, pub_kept, pub_found, per_public in rows:
        kept = f"{pub_kept}/{pub_found}" + (f" {pub_kept / pub_found:4.0%}" if pub_found else "")
        print(f"{batch:20} {recall:7.3f} {precision:9.3f} {found:>4}/{total:<4} {kept:>13} {per_public:>16}")
    if errors:
        short = [b.split("-")[0] for b in batches]
        print(f"\n{'error class':48} " + " ".join(f"{s:>8}" for s in short) + f" {'all':>6}")
        for cls in sorted(errors, key=lambda c: (not c.startswith("miss"), -sum(errors[c].values()))):
            counts = errors[cls]
            print(f"{cls:48} " + " ".join(f"{counts.get(b, 0):>8}" for b in batches)
                  + f" {sum(counts.values()):>6}")
    if listed:
        print("\n" + "\n".join(sorted(listed)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
