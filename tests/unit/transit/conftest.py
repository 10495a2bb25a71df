"""Fixtures for the transit planner tests: shared feeds (skipped when absent), loaded once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from services.transit.network import Network, load_network  # noqa: E402

SHARED_GTFS = REPO_ROOT.parent / "shared" / "data" / "gtfs"
TEST_DATA = REPO_ROOT / "tests" / "data" / "transit"
_networks: dict[str, Network] = {}


def shared_feed_path(name: str) -> Path:
    path = SHARED_GTFS / f"{name}.zip"
    if not path.is_file():
        pytest.skip(f"shared GTFS feed {path} is absent (needs <repo>/../shared/data/gtfs)")
    return path


def shared_network(name: str) -> Network:
    """Single-feed, un-prefixed network (ids as in the feed), loaded once per session."""
    if name not in _networks:
        _networks[name] = load_network([shared_feed_path(name)])
    return _networks[name]


@pytest.fixture
def tmp_cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"
