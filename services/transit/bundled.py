"""The feeds shipped with the app in assets/gtfs (see PROVENANCE.md there)."""

from __future__ import annotations

from pathlib import Path

from .loader import load_feed
from .network import Network, WalkOptions, build_network

ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets" / "gtfs"
# The merged city feed already holds まいどはや and the feeder bus, so those two are not
# planned over again; they still lend their translations (kana / English stop names).
DEFAULT_FEEDS = ("toyama_city_2019", "uozu_shimin_2019")
NAME_SOURCES = ("toyama_maidohaya_2019", "toyama_feeder_2019")


def bundled_feed_path(name: str, assets_dir: Path | None = None) -> Path:
    return (assets_dir or ASSETS_DIR) / f"{name}.zip"


def load_bundled_network(
    feeds: tuple[str, ...] = DEFAULT_FEEDS,
    assets_dir: Path | None = None,
    walks: WalkOptions | None = None,
) -> Network:
    """Namespaced network ("toyama_city_2019:maidohaya:1_1") of the bundled feeds."""
    loaded = {name: load_feed(bundled_feed_path(name, assets_dir), name) for name in feeds}
    net = build_network(loaded, walks)
    for name in NAME_SOURCES:
        path = bundled_feed_path(name, assets_dir)
        if name not in feeds and path.is_file():
            for key, langs in load_feed(path, name).translations.items():
                if "#" not in key:
                    net.translations.setdefault(key, {}).update(langs)
    return net
