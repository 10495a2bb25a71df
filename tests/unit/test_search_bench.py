"""bench/search.py --smoke runs (so the bench keeps working) and prints what it promises."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "search.py"


async def test_the_search_bench_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_search", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    await bench.main(rounds=1, smoke=True)
    out = capsys.readouterr().out
    procedures = re.search(r"procedure\s+(\d+) records", out)
    assert procedures and int(procedures.group(1)) == len(bench.SMOKE_PROCEDURES)
    assert re.search(r"'juminhyo': \d+ hits, first: procedure ", out)
    for line in ("one search (service)", "index alone", "plain Python scan"):
        assert re.search(line.replace("(", r"\(").replace(")", r"\)")
                         + r"\s+median [\d.]+ ms, p90 [\d.]+ ms", out), line
    assert re.search(r"[\d.]+x the plain scan's speed", out)
