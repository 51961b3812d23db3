"""LinkedIn messages.csv imported after Connections.csv: persons found by profile, interactions, strength."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from revere.contacts.models import Company, Person, SourceRecord
from revere.ingest.service import ImportRefused, Upload, import_files
from revere.network.models import Interaction, InteractionParticipant, Link, Tie

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def upload(name, filename=None):
    return Upload(filename or name, (FIXTURES / name).read_bytes())


def counts():
    return {
        m.__name__: m.unrestricted.count()
        for m in (Company, Person, SourceRecord, Tie, Link, Interaction, InteractionParticipant)
    }


@pytest.fixture
def connected(member):
    """The member's Connections.csv, imported first: persons with their LinkedIn profile URLs."""
    import_files(member=member, uploads=[upload("linkedin_connections_for_messages.csv", "Connections.csv")])
    return {
        p.full_name: p
        for p in Person.unrestricted.filter(organization=member.organization).exclude(pk=member.person_id)
    }


def test_messages_find_connections_by_profile_then_by_unique_name_else_create(member, connected):
    report = import_files(member=member, uploads=[upload("linkedin_messages.csv", "messages.csv")])

    assert report.files[0]["format"] == "linkedin_messages"
    org = member.organization
    by_profile = {
        p.linkedin_url.rstrip("/").rsplit("/", 1)[1]: p
        for p in Person.unrestricted.filter(organization=org)
        if p.linkedin_url
    }
    # Matched by the profile URL the Connections import stored (the reply writes it in another case).
    assert by_profile["ada-lovelace-1815"].pk == connected["Ada Lovelace"].pk
    assert by_profile["priya-nayak"].pk == connected["Priya Nayak"].pk
    assert by_profile["marco-rossi"].pk == connected["Marco Rossi"].pk
    # Grace had no URL: found by her exact name among the member's contacts, and given the profile.
    grace = Person.unrestricted.get(pk=connected["Grace Hopper"].pk)
    assert grace.linkedin_url == "https://www.linkedin.com/in/grace-hopper-navy"
    # Two contacts are called John Smith: neither is taken; the sender is a new person with the URL.
    smiths = Person.unrestricted.filter(organization=org, full_name="John Smith")
    assert smiths.count() == 3
    assert by_profile["john-smith-99"].pk not in {p.pk for p in connected.values()}
    jane = by_profile["jane-newman"]
    assert (jane.full_name, jane.company_id) == ("Jane Newman", None)
    assert "rita-recruiter" not in by_profile  # only a draft names her
    assert not Person.unrestricted.filter(organization=org, full_name__icontains="linkedin member").exists()
    rows = {(r.kind, r.label): (r.action, r.reason) for r in report.rows}
    assert rows[("person", "Grace Hopper")][0] == "updated"
    assert rows[("person", "Jane Newman")] == ("created", "known by a LinkedIn profile")
    assert "several of your contacts" in rows[("person", "John Smith")][1]


def test_each_sent_message_is_an_interaction_with_roles_links_and_the_strength_it_causes(member, connected):
    ada, grace = connected["Ada Lovelace"], connected["Grace Hopper"]
    before = {t.person_id: t.strength for t in Tie.unrestricted.filter(member=member)}
    assert before[ada.pk] == 0.0 and before[grace.pk] == 0.0

    import_files(member=member, uploads=[upload("linkedin_messages.csv", "messages.csv")])

    interactions = Interaction.unrestricted.filter(member=member)
    assert interactions.count() == 6  # eight messages, two of them drafts; one hidden sender
    assert set(interactions.values_list("kind", flat=True)) == {"message"}
    assert sorted(interactions.values_list("outbound", flat=True)) == [False, False, False, False, True, True]
    sent = Interaction.unrestricted.get(subject="Catching up")
    roles = dict(
        InteractionParticipant.unrestricted.filter(interaction=sent).values_list("person_id", "role")
    )
    assert roles == {member.person_id: "sender", ada.pk: "recipient"}
    answer = Interaction.unrestricted.get(occurred_at__hour=16, subject="Pilot team")
    roles = dict(
        InteractionParticipant.unrestricted.filter(interaction=answer).values_list("person_id", "role")
    )
    assert roles[connected["Marco Rossi"].pk] == "sender" and roles[member.person_id] == "recipient"
    assert (answer.outbound, answer.audience, len(roles)) == (False, 3, 4)
    # The group conversation links its three other participants, twice over: each message adds
    # 0.3 x 3 / 4 (four people on it), w = 1 - (1 - w)(1 - inc).
    group = {
        connected["Priya Nayak"].pk,
        connected["Marco Rossi"].pk,
        Person.unrestricted.get(full_name="Jane Newman").pk,
    }
    links = [lk for lk in Link.unrestricted.all() if {lk.a_id, lk.b_id} <= group]
    assert len(links) == 3 and all(lk.source == "emailed" for lk in links)
    assert all(abs(lk.weight - (1 - (1 - 0.225) ** 2)) < 1e-9 for lk in links)
    # The recompute after the import: the exchanges give the ties strength and a last interaction.
    ties = {t.person_id: t for t in Tie.unrestricted.filter(member=member)}
    assert ties[ada.pk].strength > ties[grace.pk].strength > 0  # a two-way exchange beats one note in
    assert ties[ada.pk].last_interaction.isoformat() == "2025-03-03T10:00:00+00:00"
    assert ties[connected["Priya Nayak"].pk].strength > 0
    assert ties[Person.unrestricted.get(full_name="Jane Newman").pk].strength > 0
    assert ties[connected["Marco Rossi"].pk].strength > 0


def test_reimporting_creates_nothing_and_no_message_content_is_stored(member, connected):
    import_files(member=member, uploads=[upload("linkedin_messages.csv", "messages.csv")])
    before = counts()

    report = import_files(member=member, uploads=[upload("linkedin_messages.csv", "messages.csv")])

    assert counts() == before
    assert report.counts()["created"] == 0
    out = StringIO()
    call_command("dumpdata", all=True, stdout=out)
    dump = out.getvalue()
    assert "Catching up" in dump  # the subject is kept, as for mail
    for content in ("summit", "difference engine", "pilot budget", "Loved your talk", "retail"):
        assert content not in dump


def test_a_malformed_messages_file_refuses_the_whole_import_and_writes_nothing(member, connected):
    good = upload("linkedin_messages.csv", "messages.csv")
    text = good.data.decode("utf-8-sig")
    cut = text[: text.index("Count me in")] + "Count me in, the pilot"  # a quoted CONTENT never closed
    before = counts()

    with pytest.raises(ImportRefused) as info:
        import_files(member=member, uploads=[good, Upload("messages (2).csv", cut.encode())])

    message = str(info.value)
    assert message.startswith("messages (2).csv (line 7): ")
    assert "truncated or damaged" in message
    assert counts() == before
    assert not Interaction.unrestricted.exists()


def test_an_older_archive_without_profile_urls_matches_by_name_and_tells_the_member_by_name(
    member, connected
):
    me = member.person.full_name
    legacy = (
        "CONVERSATION ID,CONVERSATION TITLE,FROM,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
        f"c1,,Grace Hopper,{me},2021-04-01 10:00:00 UTC,,Hello,INBOX\n"
        f"c2,,Bo Chen,{me},2021-04-02 10:00:00 UTC,,Hi,INBOX\n"
        f'c2,,{me},"Bo Chen",2021-04-03 10:00:00 UTC,,Hi Bo,SENT\n'
    )

    report = import_files(member=member, uploads=[Upload("messages.csv", legacy.encode())])

    assert report.files[0]["format"] == "linkedin_messages"
    grace = connected["Grace Hopper"]
    first = Interaction.unrestricted.get(external_id__startswith="linkedin:c1/")
    assert set(
        InteractionParticipant.unrestricted.filter(interaction=first).values_list("person_id", flat=True)
    ) == {grace.pk, member.person_id}
    assert first.outbound is False
    bo = Person.unrestricted.get(organization=member.organization, full_name="Bo Chen")  # one person, not two
    assert bo.linkedin_url == ""
    assert Interaction.unrestricted.filter(participants=bo).count() == 2
    assert Interaction.unrestricted.get(external_id__startswith="linkedin:c2/", outbound=True).subject == ""
