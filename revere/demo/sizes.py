"""How big each demo is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoSize:
    name: str
    teams: int
    sellers_per_team: int
    colleagues: int  # own-company staff outside sales: pre-sales, product, delivery, legal, finance ...
    persons: int  # every person, the own company's included
    companies: int  # external companies
    links: int  # person-to-person links, about
    market_ties: tuple[int, int]  # a seller's market network: closed (few) .. bridging (many)
    snapshot_months: int = 6

    @property
    def sellers(self) -> int:
        return self.teams * self.sellers_per_team


SIZES: dict[str, DemoSize] = {
    "small": DemoSize("small", 3, 4, 70, 3_000, 150, 25_000, (50, 150)),
    "large": DemoSize("large", 20, 10, 900, 100_000, 5_000, 1_000_000, (60, 220)),
    "huge": DemoSize("huge", 50, 10, 2_500, 1_000_000, 40_000, 5_000_000, (60, 220)),
}
