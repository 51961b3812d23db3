"""Writes of the network: ties, links and interactions.

* :mod:`.strength`: tie strength from interactions, network class from companies and deals, the
  overrides (docs/strength.md).
* :mod:`.ties`: the tie editor, a member's own tie to a person as they state it, and a contact
  added with the member's tie in one go.
* :mod:`.interactions`: the interaction log (a meeting, call, e-mail, message or event by hand).
* :mod:`.links`: links a member states ("these two know each other") and takes back.
"""

from revere.network.services.interactions import Logged, interaction_log
from revere.network.services.links import STATED_WEIGHT, link_state, link_unstate
from revere.network.services.strength import (
    network_recompute,
    strength_band,
    tie_set_class_override,
    tie_set_strength_override,
    tie_strengths_recompute,
    ties_classify,
)
from revere.network.services.ties import (
    STATED_STRENGTHS,
    TIE_FIELDS,
    contact_add,
    person_visible,
    tie_changes_clean,
    tie_remove,
    tie_save,
)

__all__ = [
    "STATED_STRENGTHS",
    "STATED_WEIGHT",
    "TIE_FIELDS",
    "Logged",
    "contact_add",
    "interaction_log",
    "link_state",
    "link_unstate",
    "network_recompute",
    "person_visible",
    "strength_band",
    "tie_changes_clean",
    "tie_remove",
    "tie_save",
    "tie_set_class_override",
    "tie_set_strength_override",
    "tie_strengths_recompute",
    "ties_classify",
]
