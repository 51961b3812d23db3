"""The same people arriving through LinkedIn, vCard and e-mail end up as one person each.

Real readers, real identity resolution: LinkedIn gives a name and an employer (no e-mail); the
vCard gives the same name, the same employer under another legal form, an e-mail and a phone;
the mailbox gives the e-mail address with a display name.
"""

from __future__ import annotations

import pytest

from revere.contacts.models import Person, PersonEmail, PersonMerge, PersonPhone, SourceRecord
from revere.ingest.service import Upload, import_files
from revere.network.models import Interaction, Tie

pytestmark = pytest.mark.django_db

LINKEDIN = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ada,Lovelace,https://www.linkedin.com/in/ada-lovelace,,Analytical Engines Ltd,Engineer,02 Jun 2022\n"
    "José,Núñez,https://www.linkedin.com/in/jose-nunez,,Acme Inc.,CFO,15 Jan 2021\n"
    "Grace,Hopper,https://www.linkedin.com/in/grace-hopper,,US Navy,Rear Admiral,03 Mar 2020\n"
)

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nORG:Analytical Engines Limited\r\n"
    "EMAIL;TYPE=INTERNET:ada@engines.example\r\nTEL;TYPE=CELL:+44 20 7946 0958\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jose Nunez\r\nN:Nunez;Jose;;;\r\nORG:ACME\r\n"
    "EMAIL;TYPE=INTERNET:jose@acme.example\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\nORG:US Navy\r\n"
    "EMAIL;TYPE=INTERNET:grace@navy.example\r\nEND:VCARD\r\n"
)


def mbox(me: str) -> str:
    messages = []
    for i, (name, addr) in enumerate(
        [
            ("Ada Lovelace", "ada@engines.example"),
            ("Jose Nunez", "Jose@Acme.example"),
            ("G. Hopper", "grace@navy.example"),
        ]
    ):
        messages.append(
            f"From x@y Mon Jan  6 10:0{i}:00 2025\nFrom: {name} <{addr}>\nTo: Me <{me}>\nCc: Ada Lovelace <ada@engines.example>\n"
            f"Subject: Catching up {i}\nDate: Mon, 6 Jan 2025 10:0{i}:00 +0000\nMessage-ID: <one-{i}@example>\n\nHello\n\n"
        )
    return "".join(messages)


def test_linkedin_vcard_and_mail_make_one_person_each(member):
    for name, text in (
        ("Connections.csv", LINKEDIN),
        ("contacts.vcf", VCARD),
        ("mail.mbox", mbox(member.user.email)),
    ):
        import_files(member=member, uploads=[Upload(name, text.encode("utf-8"))], recompute=False)

    people = Person.unrestricted.filter(organization=member.organization).exclude(pk=member.person_id)
    assert sorted(people.values_list("normalized_name", flat=True)) == [
        "ada lovelace",
        "grace hopper",
        "jose nunez",
    ]
    ada = people.get(normalized_name="ada lovelace")
    assert ada.company.name == "Analytical Engines Ltd"
    assert set(PersonEmail.unrestricted.filter(person=ada).values_list("email", flat=True)) == {
        "ada@engines.example"
    }
    assert set(PersonPhone.unrestricted.filter(person=ada).values_list("e164", flat=True)) == {
        "+442079460958"
    }
    assert ada.linkedin_url == "https://www.linkedin.com/in/ada-lovelace"
    assert set(SourceRecord.unrestricted.filter(person=ada).values_list("source", flat=True)) == {
        "linkedin",
        "vcard",
        "mbox",
    }
    assert Tie.unrestricted.filter(member=member).count() == 3
    assert Interaction.unrestricted.filter(member=member).count() == 3
    # each vCard card and each mail correspondent folded into the LinkedIn row, recorded and undoable
    assert PersonMerge.unrestricted.filter(kind="import", kept=ada).count() == 2


def test_importing_all_three_again_creates_nothing(member):
    files = [("Connections.csv", LINKEDIN), ("contacts.vcf", VCARD), ("mail.mbox", mbox(member.user.email))]
    for name, text in files:
        import_files(member=member, uploads=[Upload(name, text.encode("utf-8"))], recompute=False)
    before = (Person.unrestricted.count(), Tie.unrestricted.count(), Interaction.unrestricted.count())

    for name, text in files:
        report = import_files(member=member, uploads=[Upload(name, text.encode("utf-8"))], recompute=False)
        assert report.counts()["created"] == 0, name

    assert (Person.unrestricted.count(), Tie.unrestricted.count(), Interaction.unrestricted.count()) == before
