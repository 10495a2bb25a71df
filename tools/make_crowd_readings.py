"""Write the bundled SAMPLE sensor replay server/seed/tourism/readings/<spot id>.csv
(deterministic: seeded, same output every run). Synthetic, sensor-like occupancy (0..1 of
capacity) per hour for a few busy spots over WEEKS weeks, shaped from the survey estimate
(server/tourism/crowds.py): the spot's weekday-to-weekend ratio of the real survey, the survey's
hourly profile, day-to-day weather-like swings and hourly noise. Not measurements
(server/seed/tourism/readings/README.md).

    python tools/make_crowd_readings.py

The dates are a fixed reference period ending on a Sunday; `python -m server.ingest crowds`
moves them by whole weeks so the replay lands in the weeks just before the day it is run
(weekdays stay weekdays).
"""

from __future__ import annotations

import csv
import io
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.tourism.crowds import HOURLY_PROFILE, survey_popularity  # noqa: E402

OUT = ROOT / "server" / "seed" / "tourism" / "readings"
SEED = 12
END = date(2026, 6, 28)  # a Sunday
WEEKS = 9  # one more than the forecast looks back, so a fresh replay fills its whole window
# spot id: (weekend peak occupancy, first and last hour the sensor reports, indoors). The hours
# follow each place: the museum's opening hours, the Tateyama station's first and last cars.
SPOTS = {
    "162019-2": (0.85, 7, 21, False),  # 富岩運河環水公園: a people counter at the Tenmon Bridge
    "162019-3": (0.80, 9, 17, True),  # 富山県美術館: the entrance gate
    "162027-6": (0.95, 7, 19, False),  # 雨晴海岸: the roadside car park
    "162078-2": (0.90, 8, 17, False),  # 黒部峡谷鉄道 宇奈月駅: the platform
    "162108-1": (0.85, 8, 18, False),  # 五箇山 相倉: the village car park
    "163236-1": (0.95, 7, 17, False),  # 立山黒部アルペンルート 立山駅: the cable-car queue
}
# (probability, factor outdoors, factor indoors): rain keeps people from the coast and the
# mountains and sends some to the museum.
WEATHER = ((0.5, 1.0, 1.0), (0.3, 0.85, 1.0), (0.2, 0.55, 1.15))
HOURLY_NOISE = 0.04  # standard deviation, in occupancy
GAP = 0.02  # share of hours a sensor misses


def weekday_ratio(spot_id: str) -> float:
    """The survey's answers per weekday ÷ per weekend day (Saturday, Sunday, holiday)."""
    rate = survey_popularity()[spot_id].day_rate
    weekday = sum(rate[k] for k in range(5)) / 5
    weekend = (rate[5] + rate[6]) / 2
    return min(1.0, max(0.3, weekday / weekend))


def rows(rng: random.Random) -> dict[str, list[tuple[str, str, int, float]]]:
    days = [END - timedelta(days=n) for n in range(7 * WEEKS - 1, -1, -1)]
    weather = {d: rng.choices(WEATHER, weights=[w[0] for w in WEATHER])[0] for d in days}
    result: dict[str, list[tuple[str, str, int, float]]] = {}
    for spot_id, (peak, first, last, indoors) in SPOTS.items():
        ratio = weekday_ratio(spot_id)
        out = result[spot_id] = []
        for day in days:
            kind = 1.0 if day.weekday() >= 5 else ratio
            swing = weather[day][2 if indoors else 1] * rng.uniform(0.9, 1.1)
            for hour in range(first, last + 1):
                value = peak * kind * swing * HOURLY_PROFILE[hour] + rng.gauss(0, HOURLY_NOISE)
                if rng.random() >= GAP:
                    out.append((spot_id, day.isoformat(), hour,
                                round(min(1.0, max(0.0, value)), 2)))
    return result


def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for spot_id, lines in rows(random.Random(SEED)).items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["spot_id", "date", "hour", "occupancy"])
        writer.writerows(lines)
        (out / f"{spot_id}.csv").write_text(buffer.getvalue(), encoding="utf-8")
    print(f"wrote {len(SPOTS)} files to {out}")


if __name__ == "__main__":
    main()
