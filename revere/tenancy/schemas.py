from ninja import Schema


class MeOut(Schema):
    id: int
    name: str
    email: str
    role: str
    organization: str
    team: str | None
    ties_per_class: dict[str, int]
    open_deals_per_stage: dict[str, int]
