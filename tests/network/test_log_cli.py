"""``revere log``: an interaction logged from the command line, as a member, by e-mail addresses."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from revere.contacts.models import PersonEmail
from revere.network.graph import organization_graph_clear
from revere.network.models import Interaction, Link, LinkSource, Tie
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    organization_graph_clear()
    yield
    organization_graph_clear()


@pytest.fixture
def world():
    org = f.OrganizationFactory()
    seller = f.MemberFactory(organization=org, user__email="sam@lex.test", user__username="sam@lex.test")
    mate = f.MemberFactory(organization=org, user__email="Maya@Lex.test", user__username="maya@lex.test")
    PersonEmail.unrestricted.filter(person=mate.person).delete()  # known only by her sign-in address
    ann = f.PersonFactory(organization=org, full_name="Ann Lee")
    PersonEmail.unrestricted.create(organization=org, person=ann, email="ann@acme.test")
    elsewhere = f.PersonFactory(organization=f.OrganizationFactory())
    PersonEmail.unrestricted.create(
        organization=elsewhere.organization, person=elsewhere, email="eve@else.test"
    )
    return type("W", (), dict(org=org, seller=seller, mate=mate, ann=ann))


def run(*args):
    out = StringIO()
    call_command("log", *args, stdout=out)
    return out.getvalue()


def test_logging_a_meeting_with_a_contact_and_a_colleague_prints_my_new_ties(world):
    out = run(
        "--as",
        "sam@lex.test",
        "--with",
        "ann@acme.test,maya@lex.test",
        "--kind",
        "meeting",
        "--subject",
        "Kick-off",
    )

    assert out.startswith("Logged a meeting with Ann Lee, ")
    assert "your tie to Ann Lee: " in out and "links among them: 1 new" in out
    assert Interaction.unrestricted.get().subject == "Kick-off"
    assert Tie.unrestricted.filter(member=world.seller).count() == 2
    assert Link.unrestricted.get().source == LinkSource.MET_TOGETHER


def test_json_and_a_date_for_scripts(world):
    out = run(
        "--as", "sam@lex.test", "--with", "ann@acme.test", "--kind", "call", "--when", "2026-01-05", "--json"
    )
    body = json.loads(out)
    assert body["kind"] == "call" and body["occurred_at"].startswith("2026-01-05T")
    assert body["ties"][0]["name"] == "Ann Lee" and body["ties"][0]["strength"] > 0
    when = Interaction.unrestricted.get().occurred_at
    assert timezone.localtime(when).date().isoformat() == "2026-01-05"


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--with", "nobody@acme.test", "--kind", "call"],
            "Nobody in your organization has the e-mail nobody@acme.test",
        ),
        (["--with", "eve@else.test", "--kind", "call"], "eve@else.test"),  # another organization's person
        (["--with", "ann@acme.test", "--kind", "call", "--when", "yesterday"], "--when must look like"),
        (["--with", "ann@acme.test", "--kind", "call", "--when", "2999-01-01"], "not in the future"),
        (["--with", "sam@lex.test", "--kind", "call"], "at least one person"),
    ],
)
def test_a_bad_log_says_why_and_logs_nothing(world, args, message):
    with pytest.raises(CommandError, match=message):
        run("--as", "sam@lex.test", *args)
    assert not Interaction.unrestricted.exists()


def test_an_unknown_kind_is_refused_by_the_parser(world):
    with pytest.raises(CommandError):
        run("--as", "sam@lex.test", "--with", "ann@acme.test", "--kind", "dinner")
