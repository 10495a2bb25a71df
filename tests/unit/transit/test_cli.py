"""The command line of transit-planner.md, run as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO_ROOT, shared_feed_path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "services.transit", *args], cwd=REPO_ROOT, capture_output=True,
        text=True, timeout=60,
    )


def test_plan_json_shape():
    feed = str(shared_feed_path("google_sample"))
    out = run("plan", feed, "--date", "20070605", "--from", "BEATTY_AIRPORT", "--to",
              "FUR_CREEK_RES", "--depart", "07:00:00", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data == {
        "reachable": True, "arrival": "09:20:00", "transfers": 1,
        "pareto": [{"transfers": 1, "arrival": "09:20:00"}],
        "legs": [
            {"trip_id": "AB1", "from": "BEATTY_AIRPORT", "dep": "08:00:00", "to": "BULLFROG",
             "arr": "08:10:00"},
            {"trip_id": "BFC1", "from": "BULLFROG", "dep": "08:20:00", "to": "FUR_CREEK_RES",
             "arr": "09:20:00"},
        ],
    }


def test_plan_unreachable_and_text():
    feed = str(shared_feed_path("google_sample"))
    out = run("plan", feed, "--date", "20070604", "--from", "STAGECOACH", "--to", "EMSI",
              "--depart", "08:00:00", "--json")
    assert json.loads(out.stdout) == {"reachable": False}
    text = run("plan", feed, "--date", "20070605", "--from", "STAGECOACH", "--to", "EMSI",
               "--depart", "08:01:00", "--min-transfer", "60")
    assert text.returncode == 0 and "08:36:00" in text.stdout and "CITY1" in text.stdout


def test_batch(tmp_path):
    feed = str(shared_feed_path("toyama_maidohaya_2019"))
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        json.dumps({"id": "a", "date": "20190612", "from": "29_1", "to": "53_1",
                    "depart": "09:00:00", "min_transfer_s": 0}) + "\n"
        + json.dumps({"id": "b", "date": "20190612", "from": "29", "to": "4_1",
                      "depart": "09:00:00"}) + "\n"
        + json.dumps({"id": "c", "date": "20190612", "from": "29_1", "to": "7_1",
                      "depart": "09:00:00", "min_transfer_s": 120}) + "\n",
        encoding="utf-8",
    )
    out = run("batch", feed, "--queries", str(queries))
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in lines] == ["a", "b", "c"]
    assert lines[0]["arrival"] == "09:39:00" and lines[0]["legs"][0]["trip_id"] == "1+毎日+1"
    assert lines[1]["arrival"] == "09:06:00"
    assert lines[2] == {"id": "c", "reachable": False}  # routes 1 and 2 share no stop


def test_bad_arguments_exit_2_without_traceback(tmp_path):
    feed = str(shared_feed_path("google_sample"))
    base = ["plan", feed, "--from", "STAGECOACH", "--to", "EMSI"]
    cases = [
        [*base, "--date", "2007-06-05", "--depart", "08:00:00"],
        [*base, "--date", "20070605", "--depart", "8am"],
        [*base, "--date", "20070605", "--depart", "08:00:00", "--min-transfer", "-5"],
        ["plan", feed, "--date", "20070605", "--from", "NOWHERE", "--to", "EMSI",
         "--depart", "08:00:00"],
        ["plan", str(tmp_path / "missing.zip"), "--date", "20070605", "--from", "A", "--to", "B",
         "--depart", "08:00:00"],
        ["plan", feed],
        ["frobnicate"],
        ["batch", feed, "--queries", str(tmp_path / "none.jsonl")],
    ]
    for args in cases:
        out = run(*args)
        assert out.returncode == 2, (args, out.stderr)
        assert "Traceback" not in out.stderr and out.stderr.strip(), args
        assert out.stdout == ""
