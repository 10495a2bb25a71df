"""XML from outside, parsed safely: defusedxml refuses a DTD (so entity expansion bombs and
external entities never get a chance), and each element remembers the line it starts on so a
skipped part can be reported as FILE:LINE like a CSV row."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from server.ingest.problems import FileRefused


class Document:
    """A parsed document: its root and the line of each element."""

    def __init__(self, root: Element, lines: dict[int, int]) -> None:
        self.root = root
        self._lines = lines

    def line(self, element: Element | None) -> int:
        return self._lines.get(id(element), 0) if element is not None else 0


class _Builder(TreeBuilder):
    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[int, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def parse_xml(data: bytes) -> Document:
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        raise FileRefused(f"is refused: {type(exc).__name__} (DTDs, entities and external "
                          "references are not accepted)") from exc
    except ParseError as exc:
        raise FileRefused(f"is not well-formed XML ({exc})") from exc
    return Document(root, builder.lines)
