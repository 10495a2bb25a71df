"""Kitokito on-device journey planner over GTFS / GTFS-JP feeds (no UI imports here).

Start with `TransitService.bundled(cache_dir=...)`; see service.py for the calls the app uses.
"""

from .bundled import load_bundled_network
from .clock import format_time, parse_time
from .csvfile import FeedIssue
from .fares import Fare, FareCalculator
from .journey import Journey, ParetoPoint, PlanResult, RideLeg, StopCall, StopInfo, WalkLeg
from .loader import load_feed
from .network import Network, WalkOptions, build_network, load_network
from .planner import Planner, PlanOptions, Prefer, UnknownStop
from .realtime import RealtimeDelays, RealtimeError, apply_delays, parse_trip_updates
from .service import TransitService
from .stop_search import NearbyStop, StopIndex, StopMatch

__all__ = [
    "Fare", "FareCalculator", "FeedIssue", "Journey", "NearbyStop", "Network", "ParetoPoint",
    "PlanOptions",
    "Prefer",
    "PlanResult", "Planner", "RealtimeDelays", "RealtimeError", "RideLeg", "StopCall",
    "StopIndex", "StopInfo", "StopMatch", "TransitService", "UnknownStop", "WalkLeg",
    "WalkOptions", "apply_delays", "build_network", "format_time", "load_bundled_network",
    "load_feed", "load_network", "parse_time", "parse_trip_updates",
]
