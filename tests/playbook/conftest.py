"""Networks with a known shape, for the playbook's tests."""

from __future__ import annotations

from itertools import combinations

import pytest

from revere.network.graph import organization_graph_clear
from revere.network.models import NetworkClass
from tests.factories import LinkFactory, PersonFactory, TieFactory


@pytest.fixture(autouse=True)
def _fresh_graph_cache():
    organization_graph_clear()
    yield
    organization_graph_clear()


def make_clique(org, seller, n, *, strength=0.2, link=0.5, network_class=NetworkClass.MARKET, names=None):
    """``n`` persons the seller is tied to, who all know each other."""
    persons = [
        PersonFactory(organization=org, **({"full_name": names[k]} if names else {})) for k in range(n)
    ]
    for p in persons:
        TieFactory(member=seller, person=p, strength=strength, network_class=network_class)
    for a, b in combinations(persons, 2):
        LinkFactory(organization=org, a=a, b=b, weight=link)
    return persons
