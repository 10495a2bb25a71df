"""Message catalogs: extract msgids, update every language's .po, compile .mo, check coverage.

    python tools/i18n.py extract|update|compile|check|all

Language list and catalog names come from services.i18n.LANGUAGES. English msgids are the
source; en.po mirrors them so every language, English included, has its catalog. Besides the
Python code, the texts of the procedure definitions (forms/catalogue/*.json) are msgids too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forms.bundled import load_catalogue, procedure_texts  # noqa: E402
from services.i18n import LANGUAGES, LOCALE_DIR, Language  # noqa: E402

POT = LOCALE_DIR / "messages.pot"
KEYWORDS = ["N_", "t", "gettext", "ngettext:1,2"]


def po_path(lang: Language) -> Path:
    return LOCALE_DIR / lang.catalog / "LC_MESSAGES" / "messages.po"


def extract() -> None:
    args = [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
            "--no-default-keywords", "--sort-by-file", "--no-wrap", "--omit-header",
            "-o", str(POT)]
    for keyword in KEYWORDS:
        args += ["-k", keyword]
    subprocess.run([*args, "app", "views", "services"], cwd=ROOT, check=True)
    add_procedure_texts()


def add_procedure_texts() -> None:
    """Every translatable text of the bundled procedures joins the template, located at its
    definition's file (a text also used in Python keeps both locations)."""
    template = _read(POT)
    for procedure in load_catalogue().procedures:
        location = (f"forms/catalogue/{procedure.id}.json", None)
        for text in procedure_texts(procedure):
            message = template.get(text)
            if message is None:
                template.add(text, locations=[location])
            elif location not in message.locations:
                message.locations.append(location)
    with POT.open("wb") as handle:
        write_po(handle, template, width=0, omit_header=True, sort_by_file=True)


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def update() -> None:
    for lang in LANGUAGES:
        # Fresh template each time: Catalog.update shares the template's Message objects.
        template = _read(POT)
        path = po_path(lang)
        locale = Locale.parse(lang.babel)
        if path.exists():
            catalog = _read(path, locale=str(locale))
        else:
            catalog = Catalog(locale=locale, domain="messages", project="Kitokito")
        catalog.update(template, no_fuzzy_matching=True)
        if lang.code == "en":
            for message in catalog:
                if message.id and not all(
                    message.string if isinstance(message.string, tuple) else (message.string,)
                ):
                    message.string = message.id
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0, omit_header=False, ignore_obsolete=True)


def compile_all() -> None:
    for lang in LANGUAGES:
        path = po_path(lang)
        if not path.exists():
            continue
        catalog = _read(path, locale=lang.babel)
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)


def missing(lang: Language) -> list[str]:
    """msgids of the template that this language has not translated (or only fuzzily)."""
    template = _read(POT)
    path = po_path(lang)
    if not path.exists():
        return [m.id for m in template if m.id]
    catalog = _read(path, locale=lang.babel)
    gaps = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        strings = found.string if found and isinstance(found.string, tuple) else (
            (found.string,) if found else ("",))
        if found is None or not all(strings) or found.fuzzy:
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def check() -> int:
    status = 0
    for lang in LANGUAGES:
        gaps = missing(lang)
        if lang.complete and gaps:
            status = 1
            print(f"{lang.code}: {len(gaps)} untranslated, first: {gaps[:5]}")
        else:
            print(f"{lang.code}: {len(gaps)} untranslated{' (complete)' if not gaps else ''}")
    return status


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "all"
    if command in ("extract", "all"):
        extract()
    if command in ("update", "all"):
        update()
    if command in ("compile", "all"):
        compile_all()
    if command in ("check", "all"):
        return check()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
