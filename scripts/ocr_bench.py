"""OCR speed and memory on scanned PDFs: seconds per page (OCR only, the
engine already loaded) and the process's peak memory, for the engine the
settings choose. Recall and precision come from `redact scan` and the
corpus scorer (`scripts/bench.sh` and the README say how).

    .venv/bin/python scripts/ocr_bench.py ../shared/corpus/dev/docs/scanned [--engine rapidocr|tesseract]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import pymupdf

from redact.config import load_settings
from redact.ingest.ocr import engine_for, ocr_page_text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--engine", default=None, help="setting ocr_engine (default: the settings')")
    args = parser.parse_args()
    settings = load_settings()
    if args.engine:
        settings = settings.model_copy(update={"ocr_engine": args.engine})
    engine = engine_for(settings)
    assert engine is not None, "OCR is switched off in the settings"
    files = sorted(args.folder.glob("*.pdf"))
    started = time.perf_counter()
    engine.warm_up()
    load = time.perf_counter() - started
    pages, seconds, words = 0, 0.0, 0
    for path in files:
        with pymupdf.open(path) as doc:
            for page in doc:
                t = time.perf_counter()
                text = ocr_page_text(engine, page).text
                seconds += time.perf_counter() - t
                pages += 1
                words += len(text.split())
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"engine": getattr(settings, "ocr_engine", "rapidocr"), "files": len(files), "pages": pages,
                      "words": words, "model_load_s": round(load, 2), "s_per_page": round(seconds / max(1, pages), 2),
                      "peak_rss_mib": round(peak_mib)}))


if __name__ == "__main__":
    main()
