"""The procedures this server accepts applications for: forms.bundled's catalogue, loaded once
at start (app.state.procedures), its JSON made once, its version the ETag."""

from __future__ import annotations

from dataclasses import dataclass, field

from forms.bundled import load_catalogue
from forms.definition import Catalogue, Procedure


@dataclass(frozen=True)
class Procedures:
    catalogue: Catalogue
    body: bytes = field(repr=False)  # what GET /v1/procedures answers
    by_id: dict[str, Procedure] = field(repr=False)

    @property
    def etag(self) -> str:
        return f'"{self.catalogue.version}"'

    def get(self, procedure_id: str) -> Procedure | None:
        return self.by_id.get(procedure_id)


def procedures_of(catalogue: Catalogue) -> Procedures:
    return Procedures(catalogue=catalogue, body=catalogue.model_dump_json().encode("utf-8"),
                      by_id={procedure.id: procedure for procedure in catalogue.procedures})


def load_procedures() -> Procedures:
    return procedures_of(load_catalogue())
