"""In-memory stand-ins for the knowledge base, for unit tests of the actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from knowledge.repository import MunicipalityInfo, PhoneInfo, Provenance, ServiceInfo


def service(kind: str, name: str, municipality: str, confidence: str = "verified", phones=("65421500",), **kw) -> ServiceInfo:
    """A service record with sensible defaults."""
    return ServiceInfo(
        id=kw.get("id", name.lower().replace(" ", "-")), kind=kind, name=name, municipality=municipality,
        address=kw.get("address", "Šaurā iela 23, Daugavpils"),
        phones=tuple(PhoneInfo(p, kw.get("label"), None) for p in phones),
        hours_text=kw.get("hours_text", "18.00–8.00"), conditions=tuple(kw.get("conditions", ("Bez maksas.",))),
        bring=tuple(kw.get("bring", ())), gender=None,
        provenance=Provenance(kw.get("source_url", "https://daugavpils.lv/x"), kw.get("source_date", "2024-10"),
                              "2026-11-25", confidence),
    )


@dataclass
class FakeRepository:
    """Answers from a list; records what was asked."""

    rows: list[ServiceInfo] = field(default_factory=list)
    asked: list[tuple] = field(default_factory=list)

    def services(self, kinds: Sequence[str], municipality: str | None) -> list[ServiceInfo]:
        self.asked.append((tuple(kinds), municipality))
        return [r for r in self.rows if r.kind in kinds and r.municipality == municipality]

    def municipality(self, name: str) -> MunicipalityInfo | None:
        return MunicipalityInfo(name, "state_city", None)

    def resolve_place(self, text: str) -> str | None:
        return None
