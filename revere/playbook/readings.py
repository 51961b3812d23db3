"""Plain-language readings: what a network's shape is good for, given the stage it serves.

Each network serves one stage of the sale (DESIGN.md §1): market for identifying prospects (large,
sparse, diverse), prospect for building buy-in (every buyer covered, more than one thread), internal
for creating the solution (experts across functions, a cohesive team), customer for closing
(strong ties to references). A reading is a few short sentences, figures included, that a seller
can act on. The thresholds are in docs/playbook.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from revere.network.models import NetworkClass
from revere.network.selectors import NetworkMetrics as Metrics

STAGE_OF: dict[str, str] = {
    NetworkClass.MARKET: "1 · Identify prospects",
    NetworkClass.PROSPECT: "2 · Build buy-in",
    NetworkClass.INTERNAL: "3 · Create the solution",
    NetworkClass.CUSTOMER: "4 · Close",
}

PURPOSE: dict[str, str] = {
    NetworkClass.MARKET: "hearing of opportunities early, before competitors do",
    NetworkClass.PROSPECT: "reaching the decision makers inside each buyer",
    NetworkClass.INTERNAL: "finding experts and making them work together on a solution",
    NetworkClass.CUSTOMER: "references that remove a buyer's doubts",
}

#: What each figure means for the stage a network serves: the card's tooltips and the API's notes.
FIGURE_NOTES: dict[str, dict[str, str]] = {
    NetworkClass.MARKET: {
        "reach": "People your market contacts know: the wider, the earlier you hear of opportunities.",
        "density": "Share of your contacts who know each other. Low is good here: each brings different news.",
        "effective_size": "Your contacts minus their overlap (Burt): how many independent sources you really have.",
        "constraint": "How much your contacts overlap (Burt, 0 to 1). Low is good here: you broker between circles.",
        "mean_strength": "Weak ties are fine in a market network: they bridge to distant news (Granovetter).",
        "diversity": "Spread over companies (Blau's index, 0 to 1): different companies, different opportunities.",
    },
    NetworkClass.PROSPECT: {
        "reach": "People your buyer contacts know: the routes to decision makers you don't know yet.",
        "density": "Share of your buyer contacts who know each other: how well they can carry your case inside.",
        "effective_size": "Independent threads into your buyers: more than one per buyer is safer.",
        "constraint": "High means you depend on a few gatekeepers to reach the buyers.",
        "mean_strength": "Warm ties get meetings and honest answers about the politics; aim for medium or strong.",
        "diversity": "Spread over buying organizations (Blau's index over companies).",
    },
    NetworkClass.INTERNAL: {
        "reach": "Colleagues your colleagues know: where to find the expert a deal needs.",
        "density": "Share of your colleagues who know each other. Higher is good here: a team that coordinates.",
        "effective_size": "Independent routes into the company: how many parts of it you reach yourself.",
        "constraint": "High means you reach the company through a few people.",
        "mean_strength": "Experts help sellers they trust: internal ties should be warm.",
        "diversity": "Spread over functions (Blau's index): product, delivery, legal, finance...",
    },
    NetworkClass.CUSTOMER: {
        "reach": "People your customer contacts know: references can open doors at prospects.",
        "density": "Share of your customer contacts who know each other: user groups, communities.",
        "effective_size": "Independent voices among your customers: more references to choose from.",
        "constraint": "High means you rely on a few champions at your customers.",
        "mean_strength": "Only strong ties will speak for you to a prospect: aim high here.",
        "diversity": "Spread over customers' industries: a reference like each prospect.",
    },
}

#: A network this dense (and at least this large) is one closed clique: everybody knows everybody.
CLIQUE_DENSITY = 0.9
CLIQUE_MIN_SIZE = 3
SPARSE_DENSITY = 0.15
LOW_CONSTRAINT = 0.15
HIGH_CONSTRAINT = 0.4
STRONG_MEAN = 0.55


@dataclass(frozen=True)
class BuyerCoverage:
    """How far the member's prospect ties reach the top of their open deals' buying centers."""

    open_deals: int
    with_economic_buyer: int  # deals where the member has a tie to the economic buyer
    with_decision_maker: int  # deals where the member knows the economic buyer or a decision maker
    mapped: int  # deals with any buying role recorded


@dataclass(frozen=True)
class Reading:
    headline: str
    sentences: tuple[str, ...]
    shape: str  # "empty", "clique", "sparse", "overlapping", "cohesive", "loose", "thin", "covered"

    notes: dict[str, str] = field(default_factory=dict)  # what each figure means for this stage

    def as_dict(self) -> dict[str, Any]:
        return {
            "headline": self.headline,
            "sentences": list(self.sentences),
            "shape": self.shape,
            "notes": dict(self.notes),
        }


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def is_closed_clique(m: Metrics) -> bool:
    """Everybody in the network knows everybody else."""
    return m.size >= CLIQUE_MIN_SIZE and m.density is not None and m.density >= CLIQUE_DENSITY


def reading_for(m: Metrics, *, coverage: BuyerCoverage | None = None) -> Reading:
    """The reading of one network's metrics for the stage it serves.

    ``coverage`` (prospect network only) adds whether the member reaches the economic buyer and the
    decision makers of their open deals.
    """
    cls = m.network_class
    if m.size == 0:
        reading = Reading(
            headline=f"No {cls} contacts yet",
            sentences=(f"This network serves {PURPOSE[cls]}. {EMPTY_ADVICE[cls]}",),
            shape="empty",
        )
    else:
        reading = {
            NetworkClass.MARKET: _market,
            NetworkClass.PROSPECT: _prospect,
            NetworkClass.INTERNAL: _internal,
            NetworkClass.CUSTOMER: _customer,
        }[NetworkClass(cls)](m)
    if cls == NetworkClass.PROSPECT and coverage is not None and coverage.open_deals:
        reading = replace(reading, sentences=(*reading.sentences, _coverage_sentence(coverage)))
    return replace(reading, notes=FIGURE_NOTES[cls])


def _coverage_sentence(c: BuyerCoverage) -> str:
    deals = _plural(c.open_deals, "open deal")
    if c.mapped == 0:
        return f"None of your {deals} has its buying roles mapped yet: start with the economic buyer."
    missing = c.open_deals - c.with_decision_maker
    text = f"You know the economic buyer in {c.with_economic_buyer} of your {deals}"
    if missing:
        text += (
            f"; in {missing} you know no decision maker at all: ask for an introduction (Middleman finder)"
        )
    return text + "."


EMPTY_ADVICE: dict[str, str] = {
    NetworkClass.MARKET: "Start with industry peers, analysts, partners and former colleagues at many different companies.",
    NetworkClass.PROSPECT: "Map the buyers of your open deals and add the people you meet there.",
    NetworkClass.INTERNAL: "Add the colleagues you work with: pre-sales, product, delivery, legal, finance.",
    NetworkClass.CUSTOMER: "Add the people you know at companies that have bought: they are your future references.",
}


def _weak_share(m: Metrics) -> tuple[int, int]:
    weak = m.bands.get("weak", 0) + m.bands.get("dormant", 0)
    strong = m.bands.get("strong", 0)
    return weak, strong


def _market(m: Metrics) -> Reading:
    weak, _strong = _weak_share(m)
    companies = m.range.get("company", 0)
    eff = m.effective_size or 0.0
    if is_closed_clique(m):
        return Reading(
            headline="One closed clique",
            sentences=(
                f"Your {_plural(m.size, 'market contact')} all know each other (density {m.density:.2f}): "
                f"one closed clique.",
                f"They hear the same news, so together they count as about {eff:.1f} independent "
                f"source{'s' if round(eff, 1) != 1 else ''} (effective size).",
                "For hearing of opportunities early, add people outside this circle, at other companies and "
                "industries, and let the redundant ties below rest.",
            ),
            shape="clique",
        )
    sentences = [
        f"{_plural(m.size, 'contact')} at {_plural(companies, 'company', 'companies')}, reaching "
        f"{m.reach:,} more people one step further."
    ]
    density = m.density or 0.0
    constraint = m.constraint if m.constraint is not None else 1.0
    if density <= SPARSE_DENSITY and constraint <= LOW_CONSTRAINT:
        shape = "sparse"
        sentences.append(
            f"Sparse (density {density:.2f}, constraint {constraint:.2f}): most of your contacts do not know "
            f"each other, so each brings news the others don't. This is the shape for hearing of "
            f"opportunities early."
        )
    else:
        shape = "overlapping"
        sentences.append(
            f"Your contacts overlap (density {density:.2f}, constraint {constraint:.2f}): they count as "
            f"{eff:.1f} independent sources out of {m.size:,}. News reaches you late and twice; look for "
            f"people in circles you don't reach yet."
        )
    if m.circles > 1:
        sentences.append(f"They fall into {m.circles} separate circles that you alone connect.")
    sentences.append(
        f"{_pct(weak, m.size)} of these ties are weak or dormant; in a market network that is fine, "
        f"weak ties bridge to distant news (Granovetter)."
    )
    return Reading(
        headline="Large and sparse" if shape == "sparse" else "Overlapping",
        sentences=tuple(sentences),
        shape=shape,
    )


def _prospect(m: Metrics) -> Reading:
    companies = m.range.get("company", 0)
    single = m.single_thread_companies
    weak, strong = _weak_share(m)
    sentences = [f"{_plural(m.size, 'person', 'people')} inside {_plural(companies, 'buying organization')}."]
    if single:
        sentences.append(
            f"{_plural(single, 'buyer')} hang{'s' if single == 1 else ''} on a single thread: one person who "
            f"leaves or says no and you are out. Find a second contact there, ideally the economic buyer."
        )
        shape = "thin"
    else:
        sentences.append("Every buyer has more than one thread: you can cross-check what you hear.")
        shape = "covered"
    sentences.append(
        f"{_plural(strong, 'strong tie')}; {_pct(weak, m.size)} weak or dormant. Buy-in comes through people "
        f"who will take your call: warm up the weak threads to decision makers."
    )
    return Reading(
        headline="Single-threaded" if shape == "thin" else "Buyers covered",
        sentences=tuple(sentences),
        shape=shape,
    )


def _internal(m: Metrics) -> Reading:
    functions = m.range.get("function", 0)
    density = m.density or 0.0
    strength = m.mean_strength or 0.0
    sentences = [f"{_plural(m.size, 'colleague')} across {_plural(functions, 'function')}."]
    if density >= 0.2 and strength >= 0.45:
        shape = "cohesive"
        sentences.append(
            f"A cohesive circle (density {density:.2f}, mean strength {strength:.2f}): your colleagues know "
            f"each other and you, so a solution team can form and coordinate quickly."
        )
    else:
        shape = "loose"
        sentences.append(
            f"Loosely knit (density {density:.2f}, mean strength {strength:.2f}): good for finding experts, "
            f"but a team drawn from it will need time to gel. Bring the people you need together early."
        )
    if functions <= 1:
        sentences.append(
            "All in one function: a solution needs product, delivery and commercial expertise too."
        )
    return Reading(
        headline="Cohesive" if shape == "cohesive" else "Loosely knit",
        sentences=tuple(sentences),
        shape=shape,
    )


def _customer(m: Metrics) -> Reading:
    companies = m.range.get("company", 0)
    industries = m.range.get("industry", 0)
    _weak, strong = _weak_share(m)
    strength = m.mean_strength or 0.0
    sentences = [
        f"{_plural(m.size, 'person', 'people')} at {_plural(companies, 'customer')} in "
        f"{_plural(industries, 'industry', 'industries')}; {_plural(strong, 'strong tie')}."
    ]
    if strength >= STRONG_MEAN and strong:
        shape = "cohesive"
        sentences.append(
            f"Mean strength {strength:.2f}: these are people who will speak for you. Match them to prospects "
            f"that resemble them."
        )
    else:
        shape = "thin"
        sentences.append(
            f"Mean strength {strength:.2f}: few would take a prospect's call for you. Keep in touch with the "
            f"satisfied ones before you need them."
        )
    return Reading(
        headline="Reference-ready" if shape == "cohesive" else "Few references",
        sentences=tuple(sentences),
        shape=shape,
    )
