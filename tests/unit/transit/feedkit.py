"""Write small hand-made GTFS feeds for tests."""

from __future__ import annotations

from pathlib import Path

CALENDAR = (
    "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
    "WK,1,1,1,1,1,0,0,20240101,20241231\n"
)
ROUTES = "route_id,agency_id,route_short_name,route_long_name,route_type\n" + "".join(
    f"R{i},AG,{i},Route {i},3\n" for i in range(1, 8)
)

# A tiny network whose every answer can be checked by eye (all on weekdays of 2024):
# T1  A 08:00 -> B 08:10 -> C 08:10 (zero-minute hop) -> D 08:20
# T2  C 08:15 -> E 08:30                      (change at C needs <= 300 s)
# T3  L 09:00 -> M 09:05 -> N 09:10 -> L 09:15 -> M 09:20   (circular, L and M twice)
# T4  P 10:00 -> Q 10:05 (no alighting, no boarding) -> R 10:10
# T5  W 08:25 -> X 08:40                      (transfers.txt walk D -> W, 120 s)
# T6  S2 11:00 -> A 11:10                     (S is a station with children S1, S2)
MINI = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nAG,Mini Bus,http://x,Asia/Tokyo\n",
    "stops.txt": (
        "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,zone_id\n"
        + "".join(f"{s},Stop {s},36.{i:02d},137.{i:02d},0,,Z{s}\n"
                  for i, s in enumerate("ABCDELMNPQRWX"))
        + "S,Station S,36.5,137.5,1,,ZS\nS1,Station S pole 1,36.5,137.5,0,S,ZS\n"
        + "S2,Station S pole 2,36.5,137.5,0,S,ZS\n"
    ),
    "routes.txt": ROUTES,
    "trips.txt": "route_id,service_id,trip_id,trip_headsign\n" + "".join(
        f"R{i},WK,T{i},Head {i}\n" for i in range(1, 7)
    ),
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type\n"
        "T1,8:00:00,8:00:00,A,1,0,0\nT1,8:10:00,8:10:00,B,2,0,0\n"
        "T1,8:10:00,8:10:00,C,3,0,0\nT1,8:20:00,8:20:00,D,4,0,0\n"
        "T2,8:15:00,8:15:00,C,1,0,0\nT2,8:30:00,8:30:00,E,2,0,0\n"
        "T3,9:00:00,9:00:00,L,1,0,0\nT3,9:05:00,9:05:00,M,2,0,0\nT3,9:10:00,9:10:00,N,3,0,0\n"
        "T3,9:15:00,9:15:00,L,4,0,0\nT3,9:20:00,9:20:00,M,5,0,0\n"
        "T4,10:00:00,10:00:00,P,1,0,0\nT4,10:05:00,10:05:00,Q,2,1,1\n"
        "T4,10:10:00,10:10:00,R,3,0,0\n"
        "T5,8:25:00,8:25:00,W,1,0,0\nT5,8:40:00,8:40:00,X,2,0,0\n"
        "T6,11:00:00,11:00:00,S2,1,0,0\nT6,11:10:00,11:10:00,A,2,0,0\n"
    ),
    "calendar.txt": CALENDAR,
    "transfers.txt": "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nD,W,2,120\n",
}


def write_feed(directory: Path, files: dict[str, str | bytes]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (directory / name).write_bytes(data)
    return directory
