"""The scorecard: "Do I have enough connections?" against targets an admin can edit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from revere.network.models import NetworkClass
from revere.playbook.models import Target
from revere.playbook.selectors import member_scorecard, targets_effective
from revere.playbook.services import target_reset, target_set
from revere.playbook.targets import DEFAULT_TARGETS, TargetValues
from revere.tenancy.models import Role
from tests.factories import (
    CompanyFactory,
    MemberFactory,
    OrganizationFactory,
    PersonFactory,
    TargetFactory,
    TeamFactory,
    TieFactory,
)
from tests.playbook.conftest import make_clique

pytestmark = pytest.mark.django_db


def test_without_targets_of_its_own_an_organization_gets_the_defaults():
    seller = MemberFactory()

    targets = targets_effective(member=seller)

    assert targets == DEFAULT_TARGETS
    assert all(t.source == "default" for t in targets.values())


def test_a_teams_targets_win_over_the_organizations_which_win_over_the_defaults():
    org = OrganizationFactory()
    team = TeamFactory(organization=org)
    seller = MemberFactory(organization=org, team=team)
    TargetFactory(organization=org, network_class=NetworkClass.MARKET, min_size=25)
    TargetFactory(organization=org, network_class=NetworkClass.CUSTOMER, min_size=3)
    TargetFactory(organization=org, team=team, network_class=NetworkClass.CUSTOMER, min_size=9)

    targets = targets_effective(member=seller)

    assert (targets["market"].min_size, targets["market"].source) == (25, "organization")
    assert targets["market"].max_constraint is None  # a row states every measure: empty means none
    assert (targets["customer"].min_size, targets["customer"].source) == (9, "team")
    assert targets["prospect"] == DEFAULT_TARGETS["prospect"]


def test_a_small_clique_shows_its_gaps_with_what_to_do_about_each():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    make_clique(org, seller, 5)

    market = member_scorecard(member=seller)["market"]

    by_measure = {line.measure: line for line in market.lines}
    assert by_measure["min_size"].status == "gap"
    assert by_measure["min_size"].action.startswith("Add 35 market contacts")
    assert by_measure["max_density"].status == "gap" and by_measure["max_density"].actual == 1.0
    assert by_measure["max_constraint"].status == "gap"
    assert by_measure["min_diversity"].status == "ok" and by_measure["min_diversity"].action == ""
    assert market.verdict == "3 gaps" and not market.enough


def test_a_large_sparse_diverse_market_network_is_on_target():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    for _ in range(40):
        TieFactory(
            member=seller, person=PersonFactory(organization=org, company=CompanyFactory(organization=org))
        )

    market = member_scorecard(member=seller)["market"]

    assert market.enough and market.verdict == "On target"


def test_an_empty_network_cannot_be_judged_on_density_or_strength():
    seller = MemberFactory()

    internal = member_scorecard(member=seller)["internal"]

    statuses = {line.measure: line.status for line in internal.lines}
    assert statuses == {
        "min_size": "gap",
        "min_density": "n/a",
        "min_strength": "n/a",
        "min_diversity": "n/a",
    }


def test_only_an_admin_sets_targets_and_values_are_checked():
    org = OrganizationFactory()
    admin = MemberFactory(organization=org, role=Role.ADMIN)
    seller = MemberFactory(organization=org)
    values = TargetValues(min_size=30, max_constraint=0.2)

    with pytest.raises(PermissionDenied):
        target_set(member=seller, network_class="market", values=values)
    with pytest.raises(ValidationError):
        target_set(
            member=admin, network_class="market", values=TargetValues(min_density=0.5, max_density=0.1)
        )
    target_set(member=admin, network_class="market", values=values)
    target_set(member=admin, network_class="market", values=TargetValues(min_size=31))

    row = Target.unrestricted.get(organization=org, team=None, network_class="market")
    assert (row.min_size, row.max_constraint) == (31, None)
    assert target_reset(member=admin, network_class="market") == 1
    assert targets_effective(member=seller)["market"] == DEFAULT_TARGETS["market"]


def test_an_admin_edits_targets_on_the_page_and_a_seller_may_not(client):
    org = OrganizationFactory()
    admin = MemberFactory(organization=org, role=Role.ADMIN)
    seller = MemberFactory(organization=org)

    client.force_login(seller.user)
    assert client.get(reverse("targets")).status_code == 403

    client.force_login(admin.user)
    page = client.get(reverse("targets"))
    assert page.status_code == 200 and 'data-testid="target-market"' in page.content.decode()
    form = {"network_class": "prospect", "prospect-min_size": "20", "prospect-min_strength": "0.4"}
    assert client.post(reverse("targets"), form).status_code == 302
    assert targets_effective(member=seller)["prospect"].min_size == 20

    bad = client.post(
        reverse("targets"),
        {"network_class": "prospect", "prospect-min_size": "5", "prospect-min_strength": "3"},
    )
    assert bad.status_code == 200 and "less than or equal to 1" in bad.content.decode()
