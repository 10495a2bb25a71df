"""One input file of a given kind: read it (`parse`, no database), then store it (`store`)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from server.info import IngestCounts, WithdrawScope, apply_records
from server.info_models import InfoDataset
from server.ingest import aeds, childcare, duty, guides, medical, relocation, shelters, spots
from server.ingest.batch import Batch, Parsed
from server.ingest.evacuation import BODY as EVACUATION_BODY
from server.ingest.evacuation import read_evacuation
from server.ingest.jma import read_jma
from server.ingest.problems import FileRefused, RowProblem
from server.ingest.report import Report, read_report
from server.ingest.rows import Loaded
from server.ingest.xmlsafe import parse_xml

KINDS = ("medical", "childcare", "shelters", "aeds", "spots", "duty", "jma", "evacuation",
         "towns", "programmes", "guides")
MUNICIPAL = "municipal"  # the feed of the standard CSVs a municipality publishes
GEOJSON = (".geojson", ".json")


def _table(loaded: Loaded, dataset: InfoDataset, source: str = MUNICIPAL,
           preserve: tuple[str, ...] = ()) -> Parsed:
    scope = WithdrawScope(municipalities=frozenset(loaded.municipalities))
    batch = Batch(dataset, source, loaded.records, scope, frozenset(loaded.keep), preserve)
    return Parsed(batches=[batch], problems=loaded.problems)


def _report(path: Path) -> Report:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRefused(f"cannot be read: {exc.strerror}") from exc
    return read_report(parse_xml(data))


def parse_alert(path: Path, expected: str | None = None) -> Parsed:
    """A JMA document or one of our evacuation documents (told apart by the Body's
    namespace); `expected` = "jma" or "evacuation" refuses the other."""
    report = _report(path)
    found = "evacuation" if report.body.tag == EVACUATION_BODY else "jma"
    if expected is not None and found != expected:
        raise FileRefused(f"is a {found} document, not {expected}")
    return read_evacuation(report) if found == "evacuation" else read_jma(report)


def parse(kind: str, path: Path) -> Parsed:
    if kind == "medical":
        return _table(medical.load(path), InfoDataset.medical, preserve=("duty",))
    if kind == "childcare":
        return _table(childcare.load(path), InfoDataset.childcare)
    if kind == "aeds":
        return _table(aeds.load(path), InfoDataset.aeds)
    if kind == "spots":
        return _table(spots.load(path), InfoDataset.spots)
    if kind == "shelters":
        if path.suffix.lower() in GEOJSON:
            loaded, source = shelters.load_gsi(path)
            return _table(loaded, InfoDataset.shelters, source)
        return _table(shelters.load_csv(path), InfoDataset.shelters)
    if kind == "duty":
        return Parsed(duty=duty.read(path))
    if kind == "guides":
        return guides.parse(path)
    if kind in ("jma", "evacuation"):
        return parse_alert(path, kind)
    if kind == "towns":
        return relocation.parse_towns(path)
    if kind == "programmes":
        return relocation.parse_programmes(path)
    raise ValueError(f"unknown kind {kind!r}")


def store(*, session: Session, parsed: Parsed) -> tuple[IngestCounts, list[RowProblem]]:
    counts, problems = IngestCounts(), list(parsed.problems)
    for batch in parsed.batches:
        counts += apply_records(session=session, dataset=batch.dataset, source=batch.source,
                                records=batch.records, scope=batch.scope, keep=batch.keep,
                                preserve=batch.preserve)
    if parsed.duty is not None:
        duty_counts, problems = duty.apply(session=session, rota=parsed.duty)
        counts += duty_counts
    return counts, problems
