"""Of the gold items a scan found, how many public ones are proposed 'keep' and
how many personal ones are wrongly marked public (make eval prints this)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().casefold()


def main(gold_path: str, pred_path: str, kinds: str = "pdf") -> None:
    gold = [json.loads(line) for line in Path(gold_path).read_text().splitlines() if line.strip()]
    preds = [json.loads(line) for line in Path(pred_path).read_text().splitlines() if line.strip()]
    by_file: dict[str, list[dict]] = {}
    for p in preds:
        name = Path(p["file"]).name if "/scanned/" not in p["file"] else "scanned/" + Path(p["file"]).name
        by_file.setdefault(name, []).append(p)
    stats = {True: [0, 0], False: [0, 0]}  # public?: [found, flagged public]
    wrong = []
    for g in gold:
        if Path(g["file"]).suffix.lstrip(".") not in kinds.split(",") or g.get("part", "body") not in (
                "body", "header", "footer", "table"):
            continue
        core = norm(g.get("core", g["text"]))
        hits = [p for p in by_file.get(g["file"], []) if (g["page"] is None or p["page"] == g["page"])
                and p["type"] == g["type"] and (core in norm(p["text"]) or norm(p["text"]) in core)
                and len(norm(p["text"])) >= 0.5 * len(core)]
        if not hits:
            continue
        stats[g["public"]][0] += 1
        if any(h["public"] for h in hits):
            stats[g["public"]][1] += 1
            if not g["public"]:
                wrong.append(f"{g['file']} p{g['page']} {g['type']} {g['text']!r}")
    pub_found, pub_flagged = stats[True]
    per_found, per_flagged = stats[False]
    print(f"public items found: {pub_found}, proposed keep: {pub_flagged} "
          f"({pub_flagged / pub_found:.1%})" if pub_found else "no public items found")
    print(f"personal items found: {per_found}, wrongly marked public: {per_flagged}")
    for w in wrong:
        print("  WRONG PUBLIC", w)


if __name__ == "__main__":
    main(*sys.argv[1:])
