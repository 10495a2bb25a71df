"""Generate sample_trip_updates.pb: a realistic GTFS-Realtime TripUpdates snapshot for
toyama_feeder_2019 (富山港線フィーダーバス) on Wednesday 2019-06-12 at 06:16 JST.

- 2_1+平日+1 (四方神明町 06:12 -> 蓮町 06:24): left 荒屋 (seq 4) two minutes late; the
  delay grows to three minutes from 草島 (seq 7) on.
- 2_1+平日+2 (06:50 departure): reported on time at its first stop (delay 0).
- 2_1+平日+3: one stop given as an absolute time only (no delay field): 四方町 (seq 2)
  expected 07:19:00 JST, i.e. one minute after its scheduled 07:18:00.

Run: .venv/bin/python tests/data/transit/make_sample_trip_updates.py
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from google.transit import gtfs_realtime_pb2

JST = timezone(timedelta(hours=9))
SNAPSHOT = datetime(2019, 6, 12, 6, 16, tzinfo=JST)


def build() -> bytes:
    msg = gtfs_realtime_pb2.FeedMessage()
    msg.header.gtfs_realtime_version = "2.0"
    msg.header.incrementality = gtfs_realtime_pb2.FeedHeader.FULL_DATASET
    msg.header.timestamp = int(SNAPSHOT.timestamp())

    late = msg.entity.add(id="tu-2_1-1")
    late.trip_update.trip.trip_id = "2_1+平日+1"
    late.trip_update.trip.start_date = "20190612"
    late.trip_update.trip.route_id = "2_1"
    late.trip_update.vehicle.id = "feeder-bus-3"
    stu = late.trip_update.stop_time_update.add(stop_sequence=4, stop_id="15_1")
    stu.arrival.delay = 120
    stu.departure.delay = 120
    stu = late.trip_update.stop_time_update.add(stop_sequence=7, stop_id="13_1")
    stu.arrival.delay = 180
    stu.departure.delay = 180

    on_time = msg.entity.add(id="tu-2_1-2")
    on_time.trip_update.trip.trip_id = "2_1+平日+2"
    on_time.trip_update.trip.start_date = "20190612"
    stu = on_time.trip_update.stop_time_update.add(stop_sequence=1, stop_id="17_1")
    stu.departure.delay = 0

    absolute = msg.entity.add(id="tu-2_1-3")
    absolute.trip_update.trip.trip_id = "2_1+平日+3"
    absolute.trip_update.trip.start_date = "20190612"
    stu = absolute.trip_update.stop_time_update.add(stop_sequence=2, stop_id="16_1")
    stu.departure.time = int(datetime(2019, 6, 12, 7, 19, tzinfo=JST).timestamp())
    return msg.SerializeToString()


if __name__ == "__main__":
    out = Path(__file__).with_name("sample_trip_updates.pb")
    out.write_bytes(build())
    print(f"wrote {out} ({out.stat().st_size} bytes)")
