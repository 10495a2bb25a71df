"""The Report / Control / Head envelope of 気象庁防災情報XML, shared by our evacuation order
documents (docs/info-data.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.etree.ElementTree import Element

from server.ingest.problems import FileRefused
from server.ingest.xmlsafe import Document

NS = {
    "jmx": "http://xml.kishou.go.jp/jmaxml1/",
    "jmx_ib": "http://xml.kishou.go.jp/jmaxml1/informationBasis1/",
    "jmx_mete": "http://xml.kishou.go.jp/jmaxml1/body/meteorology1/",
    "jmx_seis": "http://xml.kishou.go.jp/jmaxml1/body/seismology1/",
    "jmx_eb": "http://xml.kishou.go.jp/jmaxml1/elementBasis1/",
    "kk_ev": "urn:kitokito:xml:body:evacuation1",
}


@dataclass(frozen=True)
class Report:
    document: Document
    title: str  # Control/Title: which kind of information
    status: str  # Control/Status: 通常, 訓練 (drill), 試験 (test)
    head_title: str
    issued_at: str  # Head/ReportDateTime, ISO 8601 with its offset
    event_id: str | None
    info_type: str  # 発表, 訂正, 取消
    info_kind: str
    headline: str
    body: Element


def text(element: Element | None, path: str) -> str:
    found = element.find(path, NS) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def read_report(document: Document) -> Report:
    root = document.root
    if root.tag != f"{{{NS['jmx']}}}Report":
        raise FileRefused("is not a 気象庁防災情報XML Report (root element jmx:Report)")
    control, head = root.find("jmx:Control", NS), root.find("jmx_ib:Head", NS)
    body = next((child for child in root if child.tag.endswith("}Body")), None)
    if control is None or head is None or body is None:
        raise FileRefused("lacks Control, Head or Body")
    issued_at = text(head, "jmx_ib:ReportDateTime")
    try:
        if datetime.fromisoformat(issued_at).tzinfo is None:
            raise ValueError
    except ValueError:
        raise FileRefused(f"Head/ReportDateTime {issued_at!r} is not a time with an offset"
                          ) from None
    return Report(
        document=document,
        title=text(control, "jmx:Title"),
        status=text(control, "jmx:Status"),
        head_title=text(head, "jmx_ib:Title"),
        issued_at=issued_at,
        event_id=text(head, "jmx_ib:EventID") or None,
        info_type=text(head, "jmx_ib:InfoType"),
        info_kind=text(head, "jmx_ib:InfoKind"),
        headline=text(head, "jmx_ib:Headline/jmx_ib:Text"),
        body=body,
    )


def alert_body(report: Report, **fields: object) -> dict[str, object]:
    """An alerts record body (docs/info-data.md): the document's own facts plus `fields`."""
    return {"issued_at": report.issued_at, "headline": report.headline,
            "event_id": report.event_id, "intensity": None, "level": None, **fields}
