"""The one search (issue 12): what one keystroke in the home's search box costs. Not a test.

Every bundled record, read the way the app reads it: the real server app in process (SQLite in a
temporary folder, seeded with the bundled info datasets, notices and consultation services)
synced into a real client store by the real client services; the bundled procedure catalogue;
every stop of the bundled GTFS feeds. Prints the records per kind and the index build time, then
types each query one key at a time and prints per keystroke the median and p90 of
- the one search (SearchService.search: version checks, a worker thread, SQLite FTS5), and
- a plain Python scan over the same normalised texts (each document's forms tested with `in`
  for each form of each typed word, then the same top 20 by title match), in the same run,
and their ratio. The target is one frame (16 ms) per keystroke.

    .venv/bin/python bench/search.py [--rounds 5]
    .venv/bin/python bench/search.py --smoke    # tiny: two procedures, one clinic, the towns
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from forms.bundled import load_catalogue  # noqa: E402
from services.api import ApiClient  # noqa: E402
from services.info.service import InfoService  # noqa: E402
from services.models import InfoDataset  # noqa: E402
from services.procedures import ProcedureCatalogue  # noqa: E402
from services.search.index import SearchIndex  # noqa: E402
from services.search.models import KIND_ORDER, Document, Source  # noqa: E402
from services.search.service import SearchService  # noqa: E402
from services.search.sources import (  # noqa: E402
    ConsultationSource,
    NoticeSource,
    ProcedureSource,
    StopSource,
    info_sources,
)
from services.search.text import fold, forms, query_words, word_forms  # noqa: E402
from services.store import LocalStore, StoredInfo  # noqa: E402
from services.sync import info_syncs  # noqa: E402

# What residents type, one key at a time (kanji as they appear after conversion).
TYPED = ["toyama", "しょうにか", "juminhyo", "pediatircs", "富山駅", "gokayama", "ｼｮｳｶﾞｯｺｳ"]
SMOKE_TYPED = ["toyama", "juminhyo", "じゅうみんひよう"]
SMOKE_PROCEDURES = ("juminhyo_copy", "tenshutsu")
LANGUAGE = "ja"
LIMIT = 20
FRAME_MS = 16.0


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class PlainScan:
    """The baseline: the same normalised texts, scanned in Python on every keystroke."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.rows = [(d, "\n".join(forms(d.title)),
                      "\n".join(f for t in d.texts for f in forms(t))) for d in documents]

    def search(self, query: str, limit: int = LIMIT) -> list[Document]:
        words = [word_forms(w) for w in query_words(query)]
        if not words:
            return []
        folded = fold(query)
        found = []
        for d, names, body in self.rows:
            if all(any(f in names or f in body for f in forms_) for forms_ in words):
                found.append((folded not in names, KIND_ORDER[d.kind], d.title, d.id, d))
        found.sort(key=lambda row: row[:4])
        return [row[-1] for row in found[:limit]]


class Loaded:
    """The timetables as TripService holds them once loaded."""

    def __init__(self, network: object) -> None:
        self.ready = True
        self._network = network

    def network(self) -> object:
        return self._network


async def full_sources(folder: Path, api: ApiClient, store: LocalStore) -> list[Source]:
    from services.consultations.catalogue import ConsultationCatalogue
    from services.notices import NoticeService
    from services.sync import NoticeSync
    from services.transit.bundled import load_bundled_network

    info = InfoService(store, info_syncs(store), api)
    started = time.perf_counter()
    await info.refresh()
    notices = NoticeService(store, NoticeSync(store), api)
    await notices.refresh()
    consultations = ConsultationCatalogue(folder / "client", api)
    await consultations.refresh()
    network = await asyncio.to_thread(load_bundled_network)
    print(f"records synced from the seeded server and the GTFS feeds loaded in "
          f"{time.perf_counter() - started:.1f} s")
    return [ProcedureSource(ProcedureCatalogue(folder / "procedures.json", api, load_catalogue)),
            ConsultationSource(consultations), *info_sources(info, store),
            StopSource(Loaded(network)),  # type: ignore[arg-type]
            NoticeSource(notices)]


class SmokeInfo:
    """A handful of records instead of the bundle (--smoke)."""

    def __init__(self) -> None:
        body: dict[str, object] = {
            "name": "富山県立中央病院", "name_kana": "トヤマケンリツチュウオウビョウイン",
            "name_en": "Toyama Prefectural Central Hospital", "type": "hospital",
            "departments": ["小児科", "内科"]}
        self.records = {InfoDataset.medical: [
            StoredInfo(InfoDataset.medical, "162019-1", 1, "162019", None, None, body)]}

    async def records_of(self, dataset: InfoDataset) -> tuple[int, list[StoredInfo]]:
        return 1, self.records.get(dataset, [])

    def info_generation(self, dataset: InfoDataset) -> int:
        return 1


def smoke_sources() -> list[Source]:
    fake = SmokeInfo()
    info = SimpleNamespace(records=fake.records_of)
    catalogue = load_catalogue()
    few = catalogue.model_copy(update={"procedures": tuple(
        p for p in catalogue.procedures if p.id in SMOKE_PROCEDURES)})
    return [ProcedureSource(SimpleNamespace(current=lambda: few)),  # type: ignore[arg-type]
            *info_sources(info, fake)]  # type: ignore[arg-type]


def time_typing(search, words: Sequence[str], rounds: int) -> list[tuple[str, float]]:
    """(what was typed so far, ms) for every keystroke."""
    times: list[tuple[str, float]] = []
    for _ in range(rounds):
        for word in words:
            for n in range(1, len(word) + 1):
                started = time.perf_counter()
                search(word[:n])
                times.append((word[:n], (time.perf_counter() - started) * 1000))
    return times


def summary(times: Sequence[float]) -> str:
    return f"median {statistics.median(times):.2f} ms, p90 {percentile(times, 0.9):.2f} ms"


async def run(sources: list[Source], typed: Sequence[str], rounds: int) -> None:
    documents: list[Document] = []
    for source in sources:
        found = await source.documents(LANGUAGE)
        documents += found
        print(f"  {source.kind.value:13} {len(found):6} records")
    print(f"  {'all':13} {len(documents):6} records")

    started = time.perf_counter()
    service = SearchService(sources)
    await service.prepare(LANGUAGE)
    print(f"index built in {time.perf_counter() - started:.2f} s (readings included)")
    index = SearchIndex()
    for source in sources:
        index.replace(source.kind, [d for d in documents if d.kind is source.kind])
    scan = PlainScan(documents)

    loop = asyncio.get_running_loop()
    served: list[float] = []
    for _ in range(rounds):
        for word in typed:
            for n in range(1, len(word) + 1):
                started = loop.time()
                await service.search(word[:n], LANGUAGE, LIMIT)
                served.append((loop.time() - started) * 1000)
    by_key = time_typing(index.search, typed, rounds)
    indexed = [ms for _key, ms in by_key]
    scanned = [ms for _key, ms in time_typing(scan.search, typed, rounds)]

    for word in typed:
        hits = await service.search(word, LANGUAGE, LIMIT)
        first = f"{hits[0].kind.value} {hits[0].title}" if hits else "-"
        print(f"  {word!r}: {len(hits)} hits, first: {first}; plain scan: "
              f"{len(scan.search(word))} hits")
    keys = len(indexed)
    print(f"per keystroke over {len(documents)} records, {keys} keys:")
    print(f"  one search (service)  {summary(served)}")
    print(f"  index alone           {summary(indexed)}")
    short = [ms for key, ms in by_key if len(key) <= 2]
    if short:
        print(f"    of which 1-2 characters (scan) {summary(short)}, 3+ (FTS5 MATCH, typos) "
              f"{summary([ms for key, ms in by_key if len(key) > 2])}")
    print(f"  plain Python scan     {summary(scanned)}")
    ratio = statistics.median(scanned) / statistics.median(served)
    print(f"  the service is {ratio:.1f}x the plain scan's speed (median); p90 "
          f"{'within' if percentile(served, 0.9) <= FRAME_MS else 'OVER'} one frame "
          f"({FRAME_MS:.0f} ms)")


async def main(rounds: int, smoke: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if smoke:
            await run(smoke_sources(), SMOKE_TYPED, 1)
            return
        import httpx

        from server.core.config import ServerSettings
        from server.main import create_app

        app = create_app(ServerSettings(KITOKITO_DATA_DIR=folder / "server",
                                        KITOKITO_SEED_INFO=True))
        async with app.router.lifespan_context(app):
            api = ApiClient("http://backend", transport=httpx.ASGITransport(app=app))
            store = LocalStore(folder / "client" / "store.db")
            await run(await full_sources(folder, api, store), TYPED, rounds)
            await api.aclose()
            store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one round")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.smoke))
