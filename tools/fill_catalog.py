"""Write translations from a Python dict file into one language's .po (for bulk translation).

    python tools/fill_catalog.py ja /path/to/translations.py   # the file defines TRANSLATIONS
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.i18n import language  # noqa: E402


def main(code: str, source: str) -> int:
    values: dict[str, str] = runpy.run_path(source)["TRANSLATIONS"]
    lang = language(code)
    path = ROOT / "locales" / lang.catalog / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang.babel)
    plural_ids = {m.id[0]: m for m in catalog if isinstance(m.id, tuple)}
    unknown = [key for key in values if catalog.get(key) is None and key not in plural_ids]
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in values:
            value = values[key]
            # Plural messages take a list: one form per plural form of the language.
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    if unknown:
        print(f"not in the catalog (ignored): {unknown}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
