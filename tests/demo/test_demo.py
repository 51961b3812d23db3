"""The demo company (`revere demo`): deterministic, logins, four networks, different shapes, valid rows."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from io import StringIO

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F, Max, Min, Prefetch, Q
from django.utils import timezone

from revere.analytics.graph import TieGraph
from revere.analytics.holes import ego_holes
from revere.contacts.models import Company, Person, PersonEmail
from revere.deals.models import OPEN_STAGES, Deal, DealStageChange, Reference, ReferenceUse
from revere.demo import DEMO_LOGINS, PASSWORD, DemoSummary, demo_create, demo_delete
from revere.demo.extras import ego_measures
from revere.levers.models import Contribution
from revere.network.models import Interaction, InteractionParticipant, Link, Snapshot, Tie
from revere.network.services import ties_classify
from revere.playbook.models import Target
from revere.tenancy.models import Member, Organization, Team
from revere.tenancy.restricted import manager_for

pytestmark = pytest.mark.django_db

SEED = 1775


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small demo, loaded once for this module by `revere demo --json` (committed), removed afterwards."""
    with django_db_blocker.unblock():
        out = StringIO()
        call_command("demo", "--size", "small", "--seed", str(SEED), "--json", stdout=out)
        summary = DemoSummary(**json.loads(out.getvalue()))
        yield summary
        demo_delete(organization=Organization.objects.get(pk=summary.organization_id))


def name_sample(org_id: int) -> list[str]:
    people = Person.unrestricted.filter(organization_id=org_id).order_by("id")
    companies = Company.unrestricted.filter(organization_id=org_id).order_by("id")
    return [
        *people.values_list("full_name", flat=True)[:40:3],
        *people.values_list("full_name", flat=True)[2000:2040:7],
        *companies.values_list("name", flat=True)[:60:5],
    ]


def member(email: str) -> Member:
    return Member.unrestricted.select_related("person", "user").get(user__username=email)


def market_density(m: Member) -> float:
    alters = list(
        Tie.unrestricted.filter(member=m, network_class="market").values_list("person_id", flat=True)
    )
    n = len(alters)
    links = Link.unrestricted.filter(a_id__in=alters, b_id__in=alters).count()
    return links / (n * (n - 1) / 2)


def test_the_small_demo_has_about_twelve_sellers_in_three_teams_and_three_thousand_persons(demo):
    roles = Counter(
        Member.unrestricted.filter(organization_id=demo.organization_id).values_list("role", flat=True)
    )
    assert roles == {"seller": 12, "manager": 3, "admin": 1}
    assert demo.counts["teams"] == 3
    assert demo.counts["persons"] == 3000
    assert demo.counts["links"] > 20_000
    assert all(
        demo.counts[k] > 0 for k in ("interactions", "deals", "references", "reference uses", "contributions")
    )


def test_the_same_seed_makes_the_same_company_and_another_seed_a_different_one(demo):
    first_names = name_sample(demo.organization_id)

    again = demo_create(size="small", seed=SEED)

    assert again.counts == demo.counts
    assert again.ties_by_class == demo.ties_by_class
    assert again.deals_by_stage == demo.deals_by_stage
    assert name_sample(again.organization_id) == first_names
    other = demo_create(size="small", seed=SEED + 1)
    assert name_sample(other.organization_id) != first_names


def test_the_demo_logins_sign_in_with_the_demo_password_and_have_their_roles(demo):
    roles = {"seller": "seller", "manager": "manager", "admin": "admin"}
    for role, email in DEMO_LOGINS:
        m = member(email)
        assert m.role == roles[role]
        assert m.user.check_password(PASSWORD)
        assert m.user.is_staff == (role == "admin")
        assert m.person.company_id == m.organization.own_company_id
        assert PersonEmail.unrestricted.filter(person=m.person, email=email).exists()
    manager = member(f"manager@{DEMO_LOGINS[1][1].split('@')[1]}")
    assert Team.unrestricted.filter(managers=manager, pk=manager.team_id).exists()
    assert member(DEMO_LOGINS[0][1]).team_id == manager.team_id


def test_every_member_is_a_person_at_the_own_company_with_an_email_login(demo):
    members = Member.unrestricted.filter(organization_id=demo.organization_id).select_related(
        "person", "user", "organization"
    )
    for m in members:
        assert m.user.username == m.user.email
        assert m.person.company_id == m.organization.own_company_id
        assert PersonEmail.unrestricted.filter(person=m.person, email=m.user.username).exists()
    managers = members.filter(role="manager")
    assert all(Team.unrestricted.filter(managers=m).exists() for m in managers)


def test_the_demo_seller_has_ties_in_all_four_networks_and_open_deals_in_several_stages(demo):
    seller = member(DEMO_LOGINS[0][1])
    classes = Counter(Tie.unrestricted.filter(member=seller).values_list("network_class", flat=True))
    assert set(classes) == {"market", "prospect", "customer", "internal"}
    assert all(count >= 10 for count in classes.values())
    stages = set(
        Deal.unrestricted.filter(owner=seller, stage__in=OPEN_STAGES).values_list("stage", flat=True)
    )
    assert len(stages) >= 3
    assert seller.person.full_name == "Paul Revere"


def test_sellers_market_networks_differ_in_density_and_paul_revere_bridges_where_william_dawes_is_closed(
    demo,
):
    sellers = Member.unrestricted.filter(organization_id=demo.organization_id, role="seller")
    densities = {m.person.full_name: market_density(m) for m in sellers.select_related("person")}
    assert max(densities.values()) > 4 * min(densities.values())
    assert densities["Paul Revere"] < 0.05
    assert densities["William Dawes"] > 0.15


def test_tie_strengths_follow_from_the_interactions_and_classes_from_the_companies(demo):
    org = Organization.objects.get(pk=demo.organization_id)
    ties = Tie.unrestricted.filter(organization=org)
    assert not ties.filter(last_interaction__isnull=True).exists()  # every demo tie has interactions
    bands = Counter()
    for s in ties.values_list("strength", flat=True):
        bands["strong" if s >= 0.6 else "medium" if s >= 0.3 else "weak" if s >= 0.08 else "dormant"] += 1
    assert all(bands[b] > 0.05 * ties.count() for b in ("strong", "medium", "weak", "dormant"))
    assert ties_classify(organization=org) == 0


def test_every_constraint_holds(demo):
    org_id = demo.organization_id
    links = Link.unrestricted.filter(organization_id=org_id)
    assert not links.filter(a_id__gte=F("b_id")).exists()
    assert not links.filter(Q(weight__lte=0) | Q(weight__gt=1)).exists()
    assert links.values("a_id", "b_id").distinct().count() == links.count()
    ties = Tie.unrestricted.filter(organization_id=org_id)
    assert not ties.filter(ego_id=F("person_id")).exists()
    assert not ties.exclude(ego_id=F("member__person_id")).exists()
    assert not ties.filter(Q(strength__lt=0) | Q(strength__gt=1)).exists()
    # Nothing points outside the organization.
    for model, field in (
        (Person, "company__organization_id"),
        (Person, "reports_to__organization_id"),
        (Tie, "person__organization_id"),
        (InteractionParticipant, "person__organization_id"),
        (InteractionParticipant, "interaction__organization_id"),
        (Deal, "company__organization_id"),
    ):
        assert (
            not manager_for(model)
            .filter(organization_id=org_id)
            .exclude(**{field: org_id})
            .exclude(**{field.replace("__organization_id", "__isnull"): True})
            .exists()
        )
    # The org charts have no cycles: walking up from anyone ends at a top.
    boss = dict(Person.unrestricted.filter(organization_id=org_id).values_list("id", "reports_to_id"))
    for start in boss:
        seen, current = set(), start
        while current is not None:
            assert current not in seen
            seen.add(current)
            current = boss[current]
    # Interactions are the members' own, with participants and an audience that counts them.
    assert not Interaction.unrestricted.filter(organization_id=org_id, member__isnull=True).exists()
    per = Counter(
        InteractionParticipant.unrestricted.filter(organization_id=org_id).values_list(
            "interaction_id", flat=True
        )
    )
    audience = dict(Interaction.unrestricted.filter(organization_id=org_id).values_list("id", "audience"))
    assert set(per) == set(audience)
    assert all(audience[i] >= n + 1 for i, n in per.items())


def test_deals_have_a_stage_history_ending_in_their_stage_and_teams_with_their_owner(demo):
    deals = Deal.unrestricted.filter(organization_id=demo.organization_id).prefetch_related(
        Prefetch("history", queryset=DealStageChange.unrestricted.all()),
        Prefetch("team", queryset=Member.unrestricted.all()),
    )
    assert {d.stage for d in deals} == {"identify", "buy_in", "solution", "close", "won", "lost"}
    for d in deals:
        history = list(d.history.all())
        assert history[0].from_stage == "" and history[0].to_stage == "identify"
        assert history[-1].to_stage == d.stage
        assert all(h.changed_at >= d.created_at for h in history)
        assert d.owner in d.team.all()
        assert (d.closed_at is not None) == (d.stage in ("won", "lost"))
    assert DealStageChange.unrestricted.filter(organization_id=demo.organization_id).count() > deals.count()
    today = timezone.now().date()
    closes = [d.expected_close for d in deals if d.stage in OPEN_STAGES]
    assert all(today <= c <= today + timedelta(days=200) for c in closes)


def test_dates_lie_in_the_past_two_years_or_before(demo):
    today = timezone.now().date()
    org_id = demo.organization_id
    since = Tie.unrestricted.filter(organization_id=org_id).aggregate(lo=Min("since"), hi=Max("since"))
    assert today - timedelta(days=6 * 365) <= since["lo"] <= since["hi"] <= today
    when = Interaction.unrestricted.filter(organization_id=org_id).aggregate(
        lo=Min("occurred_at"), hi=Max("occurred_at")
    )
    assert timezone.now() - timedelta(days=731) <= when["lo"] <= when["hi"] <= timezone.now()
    taken = set(Snapshot.unrestricted.filter(organization_id=org_id).values_list("taken_on", flat=True))
    assert len(taken) == 6 and all(today - timedelta(days=190) <= t < today for t in taken)
    used = ReferenceUse.unrestricted.filter(organization_id=org_id).aggregate(hi=Max("used_on"))["hi"]
    assert used <= today


def test_references_are_customer_people_and_their_uses_serve_other_companies_deals(demo):
    refs = Reference.unrestricted.filter(organization_id=demo.organization_id).select_related(
        "person__company"
    )
    assert refs.exists()
    for ref in refs:
        assert (
            ref.person.company.status == "customer" or ref.person.company.deals.filter(stage="won").exists()
        )
    for use in ReferenceUse.unrestricted.filter(organization_id=demo.organization_id).select_related(
        "deal", "reference__person"
    ):
        assert use.deal.company_id != use.reference.person.company_id
    kinds = set(
        Contribution.unrestricted.filter(organization_id=demo.organization_id).values_list("kind", flat=True)
    )
    assert kinds == {"introduction", "reference", "assist"}


def test_targets_cover_every_network_and_snapshots_give_each_member_months_of_trends(demo):
    targets = Target.unrestricted.filter(organization_id=demo.organization_id, team__isnull=True)
    assert set(targets.values_list("network_class", flat=True)) == {
        "market",
        "prospect",
        "customer",
        "internal",
    }
    seller = member(DEMO_LOGINS[0][1])
    snaps = Snapshot.unrestricted.filter(member=seller, network_class="market").order_by("taken_on")
    assert snaps.count() == 6
    assert set(snaps[0].metrics) >= {
        "size",
        "density",
        "mean_strength",
        "effective_size",
        "constraint",
        "bands",
    }
    dawes = Snapshot.unrestricted.filter(
        member__person__full_name="William Dawes", network_class="market"
    ).latest("taken_on")
    assert snaps.last().metrics["constraint"] < dawes.metrics["constraint"]


def test_the_snapshot_holes_equal_the_analytics_holes_on_the_same_ego_network(demo):
    seller = member(DEMO_LOGINS[0][1])
    ties = list(
        Tie.unrestricted.filter(member=seller, network_class="market").values_list("person_id", "strength")
    )
    alters = np.array([p for p, _ in ties])
    strengths = np.array([s for _, s in ties])
    links = list(
        Link.unrestricted.filter(a_id__in=alters, b_id__in=alters).values_list("a_id", "b_id", "weight")
    )
    a, b, w = (np.array(col) for col in zip(*links, strict=True))
    position = {p: k for k, p in enumerate(alters.tolist())}
    ego = seller.person_id

    effective, constraint = ego_measures(
        strengths, np.array([position[x] for x in a]), np.array([position[x] for x in b]), w
    )

    graph = TieGraph.from_edges(
        np.concatenate([np.full(alters.size, ego), a]),
        np.concatenate([alters, b]),
        np.concatenate([np.maximum(strengths, 1e-6), w]),
    )
    holes = ego_holes(graph, ego)
    assert effective == pytest.approx(holes.effective_size, rel=1e-9)
    assert constraint == pytest.approx(holes.constraint, rel=1e-9)


def test_demo_if_empty_leaves_an_existing_organization_alone(demo):
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "not loaded" in out.getvalue()
    assert Organization.objects.get(pk=demo.organization_id)


def test_demo_logins_prints_the_three_logins_with_their_names(demo):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for _, email in DEMO_LOGINS:
        assert email in text
    assert PASSWORD in text
    assert "Paul Revere" in text
    assert get_user_model().objects.filter(username__in=[e for _, e in DEMO_LOGINS]).count() == 3


def test_the_bulk_writer_keeps_quotes_percent_signs_dates_and_json_exactly():
    from revere.demo.bulk import Const, insert, sql_dates, sql_datetimes

    org = Organization.objects.create(name="Bulk", slug="bulk")
    company = Company.unrestricted.create(organization=org, name="O'Neil & 100% Co", normalized_name="oneil")
    stamp = np.array([1_700_000_000.0, 1_700_086_399.0])

    insert(
        Person,
        {
            "organization_id": Const(org.pk),
            "company_id": Const(company.pk),
            "title": Const("50% O'Brien %s"),
            "full_name": ["A 'quoted' name", "100% sure"],
            "expertise": [["a", "b"], []],
        },
    )
    insert(Snapshot, {"organization_id": Const(org.pk), "member_id": [], "network_class": [], "taken_on": []})

    people = list(Person.unrestricted.filter(organization=org).order_by("id"))
    assert [p.full_name for p in people] == ["A 'quoted' name", "100% sure"]
    assert {p.title for p in people} == {"50% O'Brien %s"}
    assert [p.expertise for p in people] == [["a", "b"], []]
    assert all(p.created_at is not None for p in people)
    assert sql_dates(stamp) == ["2023-11-14", "2023-11-15"]
    assert sql_datetimes(stamp)[0].replace("T", " ").startswith("2023-11-14 22:13:20")
