"""気象庁防災情報XML (https://xml.kishou.go.jp/) → alerts records. Three kinds of Report:

- 気象警報・注意報 (Body/Warning type="気象警報・注意報（市町村等）"): per municipality, every kind
  in force with its Status. The document restates each listed municipality's full set, so a
  kind it no longer lists, or lists as 解除, is withdrawn. Id `w-<municipality>-<Kind/Code>`.
- 土砂災害警戒情報 (Body/Warning type="土砂災害警戒情報"): id `w-<municipality>-landslide`
  (its kind codes are not from the warnings' code list), level 4.
- 震源・震度に関する情報 (Body/Intensity/Observation/Pref/Area/City): one record per
  municipality with its maximum intensity, id `eq-<EventID>-<City/Code>`; a later document of
  the same event replaces the set, 取消 withdraws it.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from server.info import RecordInput, WithdrawScope
from server.info_models import InfoDataset
from server.ingest.batch import Batch, Parsed
from server.ingest.codes import BadCode, municipality_code
from server.ingest.problems import BadRow, RowProblem
from server.ingest.report import NS, Report, alert_body, text

WARNINGS = "気象警報・注意報（市町村等）"
LANDSLIDE = "土砂災害警戒情報"
SOURCE_WARNING, SOURCE_LANDSLIDE, SOURCE_QUAKE = "jma-warning", "jma-landslide", "jma-quake"
# Kinds in force after this document; 解除 and "nothing in force" are not.
_STATUS = {"発表": "issued", "継続": "continued"}
_GONE = {"解除", "なし", "発表警報・注意報はなし"}
_INTENSITY = {"5弱": "5-", "5強": "5+", "6弱": "6-", "6強": "6+"}
_LEVEL_NAME = re.compile(r"レベル([1-5])")


def warning_level(name: str, condition: str) -> int | None:
    """The 警戒レベル a warning corresponds to (相当), as JMA explains it to residents."""
    named = _LEVEL_NAME.match(name)  # the 2026 names carry it: 「レベル３大雨警報」
    if named:
        return int(named.group(1))
    if name == "大雨特別警報":
        return 5
    if name in ("高潮特別警報", "高潮警報"):
        return 4  # a storm surge leaves no time: JMA ranks its warning with 避難指示
    if name == "大雨警報":
        return 3 if "土砂災害" in condition else None  # 浸水害 alone has no level
    if name == "洪水警報":
        return 3
    if name in ("大雨注意報", "洪水注意報", "高潮注意報"):
        return 2
    return None


def _status(kind: Element) -> str | None:
    """issued / continued for a kind in force, None for one lifted."""
    status = text(kind, "jmx_mete:Status")
    if status in _GONE:
        return None
    if status in _STATUS:
        return _STATUS[status]
    if "から" in status:  # 警報から注意報, 注意報から警報...: newly in force as this kind
        return "issued"
    raise BadRow(f"Status {status!r} is not one JMA uses")


def _area(item: Element) -> tuple[str, str]:
    area = item.find("jmx_mete:Area", NS)
    try:
        return municipality_code(text(area, "jmx_mete:Code")), text(area, "jmx_mete:Name")
    except BadCode as exc:
        raise BadRow(str(exc)) from None


def _warnings(report: Report, warning: Element, landslide: bool) -> Parsed:
    result, records, areas = Parsed(), [], set()
    for item in warning.findall("jmx_mete:Item", NS):
        try:
            code, area_name = _area(item)
            areas.add(code)
            for kind in item.findall("jmx_mete:Kind", NS):
                status = _status(kind)
                kind_code, name = text(kind, "jmx_mete:Code"), text(kind, "jmx_mete:Name")
                if status is None or not kind_code:
                    continue
                level: int | None = 4
                if landslide:
                    kind_code, name = "landslide", LANDSLIDE
                else:
                    level = warning_level(name, text(kind, "jmx_mete:Condition"))
                body = alert_body(report, type="warning", code=kind_code, name=name,
                                  level=level, status=status, area=area_name)
                records.append(RecordInput(f"w-{code}-{kind_code}", code, None, None, body))
        except BadRow as exc:
            result.problems.append(RowProblem(report.document.line(item), str(exc)))
    source = SOURCE_LANDSLIDE if landslide else SOURCE_WARNING
    scope = WithdrawScope(municipalities=frozenset(areas))
    result.batches.append(Batch(InfoDataset.alerts, source, records, scope))
    return result


def _intensity(city: Element) -> str:
    value = text(city, "jmx_seis:MaxInt")
    if not value and "未入電" in text(city, "jmx_seis:Condition"):
        return "5-"  # 震度５弱以上未入電: at least 5-, the readings did not arrive
    value = _INTENSITY.get(value, value)
    if value not in ("1", "2", "3", "4", "5-", "5+", "6-", "6+", "7"):
        raise BadRow(f"MaxInt {value!r} is not a JMA intensity")
    return value


def _earthquake(report: Report) -> Parsed:
    result = Parsed()
    if report.event_id is None:
        result.problems.append(RowProblem(0, "Head/EventID is empty"))
        return result
    records = []
    cities = report.body.findall(
        "jmx_seis:Intensity/jmx_seis:Observation/jmx_seis:Pref/jmx_seis:Area/jmx_seis:City", NS)
    for city in cities if report.info_type != "取消" else []:
        try:
            city_code = text(city, "jmx_seis:Code")
            try:
                code = municipality_code(city_code)
            except BadCode as exc:
                raise BadRow(str(exc)) from None
            body = alert_body(report, type="earthquake", code=city_code, name=report.title,
                              status="issued", area=text(city, "jmx_seis:Name"),
                              intensity=_intensity(city))
            records.append(RecordInput(f"eq-{report.event_id}-{city_code}", code, None, None,
                                       body))
        except BadRow as exc:
            result.problems.append(RowProblem(report.document.line(city), str(exc)))
    if not cities and report.info_type != "取消":
        result.problems.append(RowProblem(0, "no intensities by municipality (City)"))
    scope = WithdrawScope(id_prefix=f"eq-{report.event_id}-")
    result.batches.append(Batch(InfoDataset.alerts, SOURCE_QUAKE, records, scope))
    return result


def read_jma(report: Report) -> Parsed:
    """The records of a JMA document (see the module doc); nothing from a drill or a test."""
    if report.status != "通常":
        return Parsed(problems=[RowProblem(0, f"Control/Status {report.status}: "
                                                     "not a real alert, nothing loaded")])
    if report.body.tag == f"{{{NS['jmx_seis']}}}Body":
        return _earthquake(report)
    for warning in report.body.findall("jmx_mete:Warning", NS):
        if warning.get("type") in (WARNINGS, LANDSLIDE):
            if report.info_type == "取消":
                return Parsed(problems=[RowProblem(0, "取消 of a warning document: "
                                                             "the next document restates it")])
            return _warnings(report, warning, landslide=warning.get("type") == LANDSLIDE)
    return Parsed(problems=[RowProblem(0, f"{report.title or 'this document'}: no "
                                                 f"Warning ({WARNINGS}/{LANDSLIDE}) or "
                                                 "Intensity part, nothing loaded")])
