"""Extract, update and compile the per-domain message catalogues.

Each domain keeps its own catalogue in elearn/<domain>/translations/<lang>/LC_MESSAGES/messages.po,
so domains can be worked on independently; Flask-Babel merges them at run time.
Usage: python tools/translations.py update|compile|check
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "elearn"
LANGS = ("pl",)  # message ids are English, so English needs no catalogue


def domains() -> list[Path]:
    return sorted(p for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def sources(domain: Path) -> list[str]:
    paths = [str(domain)]
    if domain.name == "core":  # core also owns the shared templates and the package-level modules
        paths += [str(PACKAGE / "templates"), str(PACKAGE / "__init__.py"), str(PACKAGE / "seed.py")]
    return paths


def pybabel(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", *args], check=True, cwd=ROOT)  # noqa: S603


def update() -> None:
    for domain in domains():
        out = domain / "translations"
        pot = out / "messages.pot"
        out.mkdir(exist_ok=True)
        pybabel("extract", "-F", "babel.cfg", "--no-location", "--sort-output", "-k", "_l", "-k", "_t", "-o", str(pot), *sources(domain))
        for lang in LANGS:
            po = out / lang / "LC_MESSAGES" / "messages.po"
            if po.exists():
                pybabel("update", "--no-fuzzy-matching", "--ignore-obsolete", "-i", str(pot), "-d", str(out), "-l", lang)
            else:
                pybabel("init", "-i", str(pot), "-d", str(out), "-l", lang)
        pot.unlink()


def compile_all() -> None:
    for domain in domains():
        out = domain / "translations"
        if out.exists():
            pybabel("compile", "-d", str(out))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    {"update": update, "compile": compile_all}[command]()
