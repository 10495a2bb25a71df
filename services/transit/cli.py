"""`python -m services.transit plan|batch` — the stable command line of transit-planner.md."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any, NoReturn, TextIO

from .clock import format_time, parse_time
from .journey import PlanResult, RideLeg
from .loader import parse_date
from .network import Network, load_network
from .planner import Planner, PlanOptions, UnknownStop
from .source import FeedNotFound


class UsageError(Exception):
    """Bad arguments: reported on stderr with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m services.transit", description="Offline GTFS journey planner")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    plan = sub.add_parser("plan", help="plan one journey")
    plan.add_argument("feed", metavar="FEED", help="GTFS directory or zip")
    plan.add_argument("--date", required=True, help="service date YYYYMMDD")
    plan.add_argument("--from", dest="origin", required=True, help="stop_id or station id")
    plan.add_argument("--to", dest="destination", required=True, help="stop_id or station id")
    plan.add_argument("--depart", required=True, help="HH:MM:SS")
    plan.add_argument("--min-transfer", default="0", help="seconds needed to change (default 0)")
    plan.add_argument("--json", action="store_true", help="print one JSON object")
    batch = sub.add_parser("batch", help="answer a JSONL file of queries")
    batch.add_argument("feed", metavar="FEED", help="GTFS directory or zip")
    batch.add_argument("--queries", required=True, help="JSONL file, one query per line")
    return p


def _date(text: str) -> date:
    try:
        return parse_date(str(text))
    except ValueError as exc:
        raise UsageError(f"--date: {exc}") from None


def _time(text: str) -> int:
    try:
        return parse_time(str(text))
    except ValueError as exc:
        raise UsageError(f"--depart: {exc}") from None


def _seconds(text: Any) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise UsageError(f"--min-transfer: {text!r} is not a whole number of seconds") from None
    if value < 0:
        raise UsageError("--min-transfer must not be negative")
    return value


def _load(path: str) -> Network:
    try:
        net = load_network([path])
    except FeedNotFound as exc:
        raise UsageError(str(exc)) from None
    issues = next(iter(net.feeds.values())).issues
    if issues:
        print(f"warning: {len(issues)} bad row(s) ignored, first: {issues[0]}", file=sys.stderr)
    return net


def _plan(
    planner: Planner, origin: str, dest: str, day: date, depart: int, change: int
) -> PlanResult:
    try:
        return planner.plan(origin, dest, day, depart, PlanOptions(min_change_s=change))
    except UnknownStop as exc:
        raise UsageError(str(exc)) from None


def _print_itinerary(result: PlanResult, out: TextIO) -> None:
    if not result.reachable or result.journey is None:
        print("No journey found (within 4 rides).", file=out)
        return
    j = result.journey
    print(f"Arrive {format_time(j.arrival)} with {j.transfers} transfer(s).", file=out)
    for leg in j.legs:
        if isinstance(leg, RideLeg):
            code = leg.from_stop.platform_code
            platform = f" [platform {code}]" if code else ""
            print(f"  {format_time(leg.departure)}  board {leg.route_name}"
                  f"{' for ' + leg.headsign if leg.headsign else ''} (trip {leg.trip_id})"
                  f" at {leg.from_stop.name} ({leg.from_stop.id}){platform}", file=out)
            print(f"  {format_time(leg.arrival)}  alight at {leg.to_stop.name} ({leg.to_stop.id})"
                  f" after {len(leg.intermediate) + 1} stop(s)", file=out)
        else:
            minutes, seconds = divmod(leg.seconds, 60)
            print(f"  {format_time(leg.departure)}  walk {minutes} min {seconds} s"
                  f" from {leg.from_stop.name} ({leg.from_stop.id}) to {leg.to_stop.name}"
                  f" ({leg.to_stop.id})", file=out)
    if len(result.pareto) > 1:
        alternatives = ", ".join(
            f"{p.transfers} transfer(s) -> {format_time(p.arrival)}" for p in result.pareto)
        print(f"Options: {alternatives}", file=out)
    for w in result.warnings:
        print(f"Note: {w}", file=out)


def run_plan(args: argparse.Namespace) -> int:
    day, depart, change = _date(args.date), _time(args.depart), _seconds(args.min_transfer)
    planner = Planner(_load(args.feed))
    result = _plan(planner, args.origin, args.destination, day, depart, change)
    if args.json:
        print(json.dumps(result.to_json_dict(), ensure_ascii=False))
    else:
        _print_itinerary(result, sys.stdout)
    return 0


def run_batch(args: argparse.Namespace) -> int:
    try:
        with open(args.queries, encoding="utf-8-sig") as f:
            lines = f.readlines()
    except OSError as exc:
        raise UsageError(f"--queries: cannot read {args.queries}: {exc.strerror}") from None
    planner = Planner(_load(args.feed), memory_dates=32)
    out = sys.stdout
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        answer: dict[str, Any]
        qid: Any = None
        try:
            q = json.loads(line)
            qid = q.get("id")
            result = _plan(
                planner, str(q["from"]), str(q["to"]), _date(q["date"]), _time(q["depart"]),
                _seconds(q.get("min_transfer_s", 0)),
            )
            answer = {"id": qid, **result.to_json_dict()}
        except (UsageError, KeyError, ValueError, AttributeError) as exc:
            message = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            print(f"{args.queries}:{number}: {message}", file=sys.stderr)
            answer = {"id": qid, "reachable": False, "error": message}
        out.write(json.dumps(answer, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return run_plan(args) if args.command == "plan" else run_batch(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
