"""The demo company, Lexington Systems: `revere demo [--size small|large|huge] [--seed N]`.

A selling company that looks real enough for the analytics to have something to say: an own
company with colleagues across functions, sales teams, companies across industries and regions
with org charts, two years of interactions from which tie strengths follow, links from org
charts, meetings and communities (clustered so that sellers' networks differ in density and
constraint), deals across the four stages, references, contributions, snapshots and targets.
Deterministic for a size and a seed.
"""

from typing import TYPE_CHECKING, Any

from revere.demo.sizes import SIZES, DemoSize
from revere.demo.vocab import OWN_DOMAIN, PASSWORD

if TYPE_CHECKING:
    from revere.demo.build import DemoSummary, demo_counts, demo_create, demo_delete

_BUILD = {"DemoSummary", "demo_counts", "demo_create", "demo_delete"}


def __getattr__(name: str) -> Any:
    # The builder imports every app's models: loaded on first use, not when Django imports this
    # app's package to find its AppConfig.
    if name in _BUILD:
        from revere.demo import build

        return getattr(build, name)
    raise AttributeError(name)


#: The demo logins (role, e-mail); every demo member's password is :data:`PASSWORD`.
DEMO_LOGINS: tuple[tuple[str, str], ...] = (
    ("seller", f"seller@{OWN_DOMAIN}"),
    ("manager", f"manager@{OWN_DOMAIN}"),
    ("admin", f"admin@{OWN_DOMAIN}"),
)

__all__ = [
    "DEMO_LOGINS",
    "PASSWORD",
    "SIZES",
    "DemoSize",
    "DemoSummary",
    "demo_counts",
    "demo_create",
    "demo_delete",
]
