"""A non-editable install carries its own rules and letter templates: the
wheel holds redact/rules and redact/templates, and redact imported from it
loads them (no network: built without isolation, installed without deps)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_rules_and_templates_and_uses_them(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("redact-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"redact/rules/{p.name}" for p in (ROOT / "rules").glob("*.yaml")}
    shipped |= {f"redact/templates/{p.name}" for p in (ROOT / "templates").iterdir() if p.suffix in (".docx", ".yaml")}
    shipped.add("redact/data/uk_places.txt")
    shipped |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "redact" / "desk").rglob("*")
                if p.suffix in (".html", ".css", ".js")}
    # every package of the source tree (a package left out of pyproject.toml's list would be missing)
    shipped |= {f"{p.parent.relative_to(ROOT).as_posix()}/__init__.py" for p in (ROOT / "redact").rglob("__init__.py")}
    assert shipped <= names, shipped - names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    probe = ("import redact.config as c; from redact.detect.rules import load_rules; "
             "rules = load_rules(c.DEFAULT_RULES_DIR); "
             "print(c.DEFAULT_RULES_DIR); print(c.DEFAULT_TEMPLATES_DIR); print(len(rules.recognizers))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, check=True, capture_output=True, text=True,
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}).stdout.split()
    assert out[0].startswith(str(target)) and out[1].startswith(str(target)) and int(out[2]) > 0


def test_an_installed_copy_runs_a_batch_outside_the_checkout(tmp_path: Path) -> None:
    """``pip install .`` (not editable) into a new virtual environment in a
    temporary folder, then its ``redact batch`` in a folder outside the
    repository: it finds its own rules and templates and releases the file.
    The test runs without network, so the new environment reaches this
    environment's dependencies through a path file (not its editable
    ``redact``: a path added that way is not a site folder, so the editable
    finder there is never loaded)."""
    import site
    import venv

    from tests.pdfs import text_pdf

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    new_site = Path(subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                                   check=True, capture_output=True, text=True).stdout.strip())
    (new_site / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", str(ROOT)],
                   check=True, capture_output=True, cwd=tmp_path)
    (tmp_path / "in").mkdir()
    text_pdf(tmp_path / "in" / "note.pdf", ["Please call Orla Penhallow on 01632 960545."])
    run = subprocess.run([str(env_dir / "bin" / "redact"), "-q", "batch", "in", "--out", "out", "--json"],
                         cwd=tmp_path, capture_output=True, text=True,
                         env={"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    where = subprocess.run([str(python), "-c", "import redact.config as c; print(c.DEFAULT_RULES_DIR)"],
                           cwd=tmp_path, check=True, capture_output=True, text=True).stdout.strip()
    assert where.startswith(str(new_site)), where
    assert (tmp_path / "out" / "note.pdf").is_file()
    summary = json.loads(run.stdout)
    assert summary["ok"] == 1 and summary["rules_digest"]
