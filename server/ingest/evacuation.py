"""避難指示等 (evacuation orders) → alerts records. No national XML carries them (municipalities
issue them through Lアラート), so we read a small document of our own in the JMA shape,
specified in docs/info-data.md: Report/Control/Head as JMA's, Body in our namespace with the
issuing municipality and one Order. Id `ev-<municipality>-<EventID>`: later documents of the
same EventID update it (level raised, areas widened), 解除 or 取消 withdraws it."""

from __future__ import annotations

from server.info import RecordInput, WithdrawScope
from server.info_models import InfoDataset
from server.ingest.batch import Batch, Parsed
from server.ingest.codes import BadCode, municipality_code
from server.ingest.problems import BadRow, RowProblem
from server.ingest.report import NS, Report, alert_body, text

SOURCE = "evacuation"
BODY = f"{{{NS['kk_ev']}}}Body"
LEVELS = {"高齢者等避難": 3, "避難指示": 4, "緊急安全確保": 5}
_STATUS = {"発令": "issued", "継続": "continued", "解除": None}


def _order(report: Report, code: str) -> RecordInput | None:
    orders = report.body.findall("kk_ev:Order", NS)
    if len(orders) != 1:
        raise BadRow(f"{len(orders)} Order elements: exactly one is expected")
    order = orders[0]
    name, level_text = text(order, "kk_ev:Kind/kk_ev:Name"), text(order, "kk_ev:Kind/kk_ev:Level")
    if name not in LEVELS:
        raise BadRow(f"Kind/Name {name!r} is not one of {', '.join(LEVELS)}")
    if level_text != str(LEVELS[name]):
        raise BadRow(f"Kind/Level {level_text!r} is not {name}'s level {LEVELS[name]}")
    status_text = text(order, "kk_ev:Kind/kk_ev:Status")
    if status_text not in _STATUS:
        raise BadRow(f"Kind/Status {status_text!r} is not 発令, 継続 or 解除")
    status = _STATUS[status_text]
    if status is None or report.info_type == "取消":
        return None
    areas = [text(area, "kk_ev:Name") for area in order.findall("kk_ev:Areas/kk_ev:Area", NS)]
    if not any(areas):
        raise BadRow("Areas lists no area")
    body = alert_body(report, type="evacuation", code=name, name=name, level=LEVELS[name],
                      status=status, area="、".join(a for a in areas if a))
    return RecordInput(f"ev-{code}-{report.event_id}", code, None, None, body)


def read_evacuation(report: Report) -> Parsed:
    result = Parsed()
    if report.status != "通常":
        result.problems.append(RowProblem(0, f"Control/Status {report.status}: not a real "
                                             "order, nothing loaded"))
        return result
    municipality = report.body.find("kk_ev:Municipality", NS)
    try:
        if report.body.tag != BODY:
            raise BadRow(f"Body is not in the {NS['kk_ev']} namespace")
        if report.event_id is None:
            raise BadRow("Head/EventID is empty")
        try:
            code = municipality_code(text(municipality, "kk_ev:Code"))
        except BadCode as exc:
            raise BadRow(f"Municipality/Code: {exc}") from None
        record = _order(report, code)
    except BadRow as exc:
        line = report.document.line(municipality if municipality is not None else report.body)
        result.problems.append(RowProblem(line, str(exc)))
        return result
    scope = WithdrawScope(ids=frozenset({f"ev-{code}-{report.event_id}"}))
    result.batches.append(Batch(InfoDataset.alerts, SOURCE, [record] if record else [], scope))
    return result
