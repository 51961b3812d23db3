"""Issue 10.5: a manager edits the targets of the teams they manage; an admin the organization's and any team's.

A manager who belongs to West and manages East sets East's targets (page, API, service) and neither
West's (their own team, which they may read) nor the organization's; a seller sets none.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from revere.playbook.models import Target
from revere.playbook.selectors import targets_effective
from revere.playbook.services import target_reset, target_set
from revere.playbook.targets import DEFAULT_TARGETS, TargetValues, target_teams_editable
from revere.tenancy.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def t(w):
    """``w`` of conftest, with the manager a member of West (which they do not manage)."""
    w["manager"].team = w["west"]
    w["manager"].save(update_fields=["team"])
    w["other_org_team"] = f.TeamFactory(name="Elsewhere")
    return w


def test_a_manager_sets_their_teams_targets_and_neither_another_teams_nor_the_organizations(t):
    manager, east, west = t["manager"], t["east"], t["west"]
    assert [x.name for x in target_teams_editable(member=manager)] == ["East"]
    assert [x.name for x in target_teams_editable(member=t["admin"])] == ["East", "West"]
    assert target_teams_editable(member=t["seller"]) == []

    target_set(member=manager, network_class="market", values=TargetValues(min_size=55), team=east)
    assert targets_effective(member=t["seller"])["market"].min_size == 55  # Sally is on East
    assert targets_effective(member=t["seller"])["market"].source == "team"
    assert targets_effective(member=t["outsider"])["market"] == DEFAULT_TARGETS["market"]  # West unchanged

    with pytest.raises(PermissionDenied, match="do not manage West"):
        target_set(member=manager, network_class="market", values=TargetValues(min_size=1), team=west)
    with pytest.raises(PermissionDenied, match="Only an admin sets the organization's"):
        target_set(member=manager, network_class="market", values=TargetValues(min_size=1))
    with pytest.raises(PermissionDenied, match="another organization"):
        target_set(
            member=manager, network_class="market", values=TargetValues(min_size=1), team=t["other_org_team"]
        )
    with pytest.raises(PermissionDenied):
        target_set(member=t["seller"], network_class="market", values=TargetValues(min_size=1), team=east)
    with pytest.raises(PermissionDenied):
        target_reset(member=manager, network_class="market", team=west)
    assert Target.unrestricted.filter(organization=t["org"]).count() == 1

    target_set(member=t["admin"], network_class="market", values=TargetValues(min_size=44), team=west)
    target_set(member=t["admin"], network_class="market", values=TargetValues(min_size=33))
    assert targets_effective(member=t["outsider"])["market"].min_size == 44
    assert target_reset(member=manager, network_class="market", team=east) == 1
    assert targets_effective(member=t["seller"])["market"].min_size == 33  # the organization's again


def test_the_targets_page_opens_on_a_managers_team_and_refuses_the_others(client, t):
    client.force_login(t["manager"].user)
    page = client.get(reverse("targets"))
    body = page.content.decode()
    assert page.status_code == 200 and "Targets: East" in body
    assert "The whole organization" not in body and f'<option value="{t["west"].pk}"' not in body
    form = {"network_class": "customer", "team": t["east"].pk, "customer-min_size": "9"}
    assert client.post(reverse("targets"), form).status_code == 302
    assert targets_effective(member=t["mate"])["customer"].min_size == 9
    assert client.get(reverse("targets"), {"team": t["west"].pk}).status_code == 404
    west = {"network_class": "customer", "team": t["west"].pk, "customer-min_size": "1"}
    assert client.post(reverse("targets"), west).status_code == 404
    assert targets_effective(member=t["outsider"])["customer"] == DEFAULT_TARGETS["customer"]

    reset = {"network_class": "customer", "team": t["east"].pk, "reset": "1"}
    assert client.post(reverse("targets"), reset).status_code == 302
    assert targets_effective(member=t["mate"])["customer"] == DEFAULT_TARGETS["customer"]

    lone = f.MemberFactory(organization=t["org"], role=Role.MANAGER)  # manages no team
    client.force_login(lone.user)
    assert client.get(reverse("targets")).status_code == 403
    client.force_login(t["seller"].user)
    assert client.get(reverse("targets")).status_code == 403
    client.force_login(t["admin"].user)
    admin_page = client.get(reverse("targets")).content.decode()
    assert "The whole organization" in admin_page and "Targets:" not in admin_page


def test_the_targets_api_takes_a_team_for_its_managers(client, t):
    body = {"min_size": 20, "min_strength": 0.4}
    client.force_login(t["manager"].user)
    east, west = t["east"].pk, t["west"].pk
    r = client.put(f"/api/targets/prospect?team_id={east}", body, content_type="application/json")
    assert r.status_code == 200
    assert next(x for x in r.json() if x["network_class"] == "prospect") == {
        "network_class": "prospect",
        "source": "team",
        "min_size": 20,
        "min_density": None,
        "max_density": None,
        "max_constraint": None,
        "min_strength": 0.4,
        "min_diversity": None,
    }
    assert client.get(f"/api/targets?team_id={east}").json()[1]["min_size"] == 20
    assert (
        client.put(f"/api/targets/prospect?team_id={west}", body, content_type="application/json").status_code
        == 403
    )
    assert client.put("/api/targets/prospect", body, content_type="application/json").status_code == 403
    assert (
        client.put(
            f"/api/targets/prospect?team_id={t['other_org_team'].pk}", body, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.delete(f"/api/targets/prospect?team_id={east}").json()[1]["source"] == "default"
    client.force_login(t["seller"].user)
    assert (
        client.put(f"/api/targets/prospect?team_id={east}", body, content_type="application/json").status_code
        == 403
    )
