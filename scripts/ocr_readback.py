"""After `redact batch` over scans: can any redacted string be read back by
OCR from an output? Reads every output with every OCR engine installed (not
only the one that verified it) and looks for each personal finding's text,
spaces ignored, in what each engine reads.

    .venv/bin/python scripts/ocr_readback.py OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pymupdf

from redact.exceptions import ConfigError
from redact.ingest.ocr import ENGINES, ocr_page_text


def main(out_dir: Path) -> int:
    engines = []
    for name, engine_class in ENGINES.items():
        engine = engine_class()
        try:
            engine.warm_up()
        except ConfigError as exc:
            print(f"{name}: not installed ({exc}); skipped")
            continue
        engines.append((name, engine))
    read_back, checked = [], 0
    for report_path in sorted((out_dir / "redact-reports").rglob("*.json")):
        report = json.loads(report_path.read_text())
        if not report.get("verified") or not report.get("output"):
            continue
        gone = {f["text"] for f in report["findings"] if not f.get("public")}
        with pymupdf.open(report["output"]) as doc:
            for name, engine in engines:
                text = "".join(ocr_page_text(engine, page).text for page in doc)
                squeezed = "".join(text.split()).lower()
                for s in gone:
                    checked += 1
                    if len("".join(s.split())) >= 4 and "".join(s.split()).lower() in squeezed:
                        read_back.append(f"{report['file']}: {name} reads a redacted string back")
    print(f"{checked} (string, engine) pairs checked over {len(engines)} engine(s); read back: {len(read_back)}")
    for line in read_back:
        print("  " + line)
    return 1 if read_back else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
