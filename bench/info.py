"""Medical, childcare and disaster data: sync and search figures. Not part of the test suite.

Against the real server app (in process, SQLite in a temporary folder, seeded with the bundled
data) and the real client services:
  - the initial sync of the whole bundle: time, requests, bytes, records;
  - a no-change sync: time, requests, bytes, and its ratio to the initial one;
  - search as you type over every record of a dataset: per keystroke, median and p95 of the
    indexed search (InfoService), against a plain scan that tests each record's name and
    address for the typed text (no kana, romaji or typo forgiveness) in the same run.

    .venv/bin/python bench/info.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from server.core.config import ServerSettings  # noqa: E402
from server.main import create_app  # noqa: E402
from services.api import ApiClient  # noqa: E402
from services.info.service import InfoService  # noqa: E402
from services.models import InfoDataset  # noqa: E402
from services.store import LocalStore  # noqa: E402
from services.sync import info_syncs  # noqa: E402

# What residents type, one key at a time (romaji, kana and kanji as typed after conversion).
TYPED = {
    InfoDataset.medical: ["toyama", "しょうにか", "内科", "iwasehama"],
    InfoDataset.shelters: ["shougakkou", "こうみんかん", "体育館", "takaoka"],
}


class Counting(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.requests, self.bytes = inner, 0, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        self.requests += 1
        self.bytes += len(body)
        return httpx.Response(response.status_code, headers=response.headers, content=body,
                              request=request)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def plain_scan(items: list, text: str) -> list:
    """The baseline: the typed text as a substring of the name or address, width-folded."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return [i for i in items
            if folded in unicodedata.normalize("NFKC", f"{i.name} {i.address}").lower()]


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(ServerSettings(data_dir=Path(folder) / "server", seed_info=True))
        async with app.router.lifespan_context(app):
            counting = Counting(httpx.ASGITransport(app=app))
            api = ApiClient("http://backend", transport=counting)
            store = LocalStore(Path(folder) / "client" / "store.db")
            info = InfoService(store, info_syncs(store), api)

            started = time.perf_counter()
            results = await info.refresh()
            first_s = time.perf_counter() - started
            records = sum(r.changed for r in results.values())
            first_requests, first_bytes = counting.requests, counting.bytes
            print(f"initial sync: {records} records in {len(results)} datasets, "
                  f"{first_requests} requests, {first_bytes / 1e6:.2f} MB, {first_s:.2f} s")
            for dataset, result in results.items():
                print(f"  {dataset.value:10} {result.changed:5} records")

            await info.refresh()  # from here the final pages' ETags are known
            times = []
            for _ in range(rounds):
                counting.requests = counting.bytes = 0
                started = time.perf_counter()
                await info.refresh()
                times.append(time.perf_counter() - started)
            quiet = statistics.median(times)
            print(f"no-change sync: {counting.requests} requests, {counting.bytes} bytes, "
                  f"{quiet * 1000:.1f} ms median of {rounds}; "
                  f"{first_s / quiet:.0f}x faster and {first_bytes / max(1, counting.bytes):.0f}x"
                  f" fewer bytes than the initial sync")

            for dataset, words in TYPED.items():
                started = time.perf_counter()
                await info.prepare(dataset)
                print(f"{dataset.value}: index built in {time.perf_counter() - started:.2f} s")
                items = [f.item for f in await getattr(info, dataset.value)(limit=100_000)]
                indexed, scanned = [], []
                for _ in range(rounds):
                    for word in words:
                        for n in range(1, len(word) + 1):
                            started = time.perf_counter()
                            await getattr(info, dataset.value)(query=word[:n], limit=50)
                            indexed.append(time.perf_counter() - started)
                            started = time.perf_counter()
                            plain_scan(items, word[:n])
                            scanned.append(time.perf_counter() - started)
                for word in words:
                    found = await getattr(info, dataset.value)(query=word, limit=100_000)
                    print(f"  {word!r}: {len(found)} found (plain scan: "
                          f"{len(plain_scan(items, word))})")
                print(f"  search as you type over {len(items)} records, {len(indexed)} keys: "
                      f"indexed median {statistics.median(indexed) * 1000:.2f} ms, p95 "
                      f"{percentile(indexed, 0.95) * 1000:.2f} ms; plain scan median "
                      f"{statistics.median(scanned) * 1000:.2f} ms (indexed / plain = "
                      f"{statistics.median(indexed) / statistics.median(scanned):.1f}x)")
            await api.aclose()
            store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
