"""Several feeds as one network: namespaced ids, walking links between feeds."""

from __future__ import annotations

from datetime import date

from conftest import shared_feed_path

from services.transit import Planner, PlanOptions, WalkOptions, load_network
from services.transit.bundled import load_bundled_network

WED = date(2019, 6, 12)


def test_namespaced_ids_and_cross_feed_walks():
    net = load_network({
        "maidohaya": shared_feed_path("toyama_maidohaya_2019"),
        "city": shared_feed_path("toyama_city_2019"),  # holds copies of the まいどはや poles
        "feeder": shared_feed_path("toyama_feeder_2019"),
    }, WalkOptions(radius_m=300, min_walk_s=90))
    assert "maidohaya:29_1" in net.stop_index and "feeder:2_1" in net.stop_index
    assert net.resolve("maidohaya:29") == [net.stop_index["maidohaya:29_1"]]
    walks = [(net.stops[a].feed, net.stops[b].feed, s)
             for a, row in enumerate(net.footpaths) for b, s in row]
    cross = [s for fa, fb, s in walks if fa != fb]
    assert cross and min(cross) == 90
    assert {fa for fa, fb, _ in walks if fa == fb} == {"city"}  # its own transfers.txt only
    # the same pole in two feeds (distance 0) is linked with the minimum walk
    a, b = net.stop_index["maidohaya:29_1"], net.stop_index["city:maidohaya:29_1"]
    assert (b, 90) in net.footpaths[a]
    result = Planner(net).plan("maidohaya:29_1", "city:maidohaya:4_1", WED, 9 * 3600)
    # 1+毎日+1 reaches 4_1 at 9:06; a walk across feeds from an earlier, nearby stop may win
    assert result.journey.arrival <= 9 * 3600 + 6 * 60
    assert result.journey.legs[-1].to_stop.id == "city:maidohaya:4_1"
    # within one feed nothing is linked: まいどはや 29_1 and 6_1 (both 富山駅前) stay apart
    a, b = net.stop_index["maidohaya:29_1"], net.stop_index["maidohaya:6_1"]
    assert b not in {to for to, _ in net.footpaths[a]}
    # walking slower makes every walk longer
    planner = Planner(net)
    slow = planner.footpaths(0.6)
    assert all(s2 >= 2 * s1 - 1 for r1, r2 in zip(net.footpaths, slow, strict=True)
               for (_, s1), (_, s2) in zip(r1, r2, strict=True))


def test_bundled_network_plans_and_searches(tmp_path):
    net = load_bundled_network()
    planner = Planner(net, cache_dir=tmp_path)
    result = planner.plan("toyama_city_2019:maidohaya:29", "toyama_city_2019:maidohaya:4_1",
                          WED, 9 * 3600, PlanOptions())
    assert result.journey.arrival == 9 * 3600 + 6 * 60
    assert result.warnings == ()
    # the merged city feed has no translations of its own: names borrowed from the feeder feed
    idx = net.stop_index["toyama_city_2019:feeder:2_1"]
    assert net.stop_translation(idx, "ja-Hrkt") == "いわせはま"
    late = planner.plan("toyama_city_2019:maidohaya:29", "toyama_city_2019:maidohaya:4_1",
                        date(2025, 6, 11), 9 * 3600)
    assert any("outside" in w for w in late.warnings)
