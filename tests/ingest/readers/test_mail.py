"""E-mail (mbox, mbox.gz, .eml): every real file in realdata/email reads, and the member's own ties are recognised."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from revere.ingest.readers import ReaderOptions, read_file

# file -> (messages read, interactions, persons, through a mailing list)
EXPECTED = {
    "cpython__msg_02.eml": (1, 1, 2, 1),
    "cpython__msg_20.eml": (1, 1, 5, 0),
    "cpython__msg_25.eml": (1, 1, 3, 0),
    "cpython__msg_46.eml": (1, 1, 2, 0),
    "flanker__8bitmime.eml": (1, 1, 3, 0),
    "flanker__bilingual-simple.eml": (1, 1, 2, 0),
    "flanker__iphone.eml": (1, 1, 2, 0),
    "flanker__message-external-body.eml": (1, 1, 2, 1),
    "jwzthreading__fedora-devel-2010-January.mbox.gz": (292, 292, 138, 292),
    "mimekit__content-length.mbox": (29, 28, 26, 5),
    "mimekit__issue358.eml": (1, 1, 2, 0),
    "mimekit__japanese.eml": (1, 1, 1, 0),
    "mimekit__startrek.eml": (1, 0, 0, 0),
    "ponymail__asterix-dev-201709.mbox": (53, 53, 21, 53),
    "ponymail__httpd-users-200606-part.mbox": (12, 12, 4, 12),
    "ponymail__maven-dev-2017-11.mbox.gz": (317, 317, 46, 317),
    "talon__android.eml": (1, 1, 2, 0),
    "talon__aol.eml": (1, 1, 2, 0),
    "talon__apple_mail.eml": (1, 1, 2, 0),
    "talon__apple_mail_2.eml": (1, 1, 2, 0),
    "talon__comcast.eml": (1, 1, 2, 0),
    "talon__gmail.eml": (1, 1, 2, 0),
    "talon__hotmail.eml": (1, 1, 2, 0),
    "talon__iphone.eml": (1, 1, 2, 0),
    "talon__outlook.eml": (1, 0, 2, 0),
    "talon__sparrow.eml": (1, 1, 2, 0),
    "talon__thunderbird.eml": (1, 1, 2, 0),
    "talon__yahoo.eml": (1, 1, 2, 0),
}
# file -> (organizer, start of the subject) of the first interaction; None when no message made one
FIRST = {
    "cpython__msg_02.eml": ("ppp-request@zzz.org", "Ppp digest, Vol 1 #2 - 5 msgs"),
    "cpython__msg_20.eml": ("bbb@ddd.com", "This is a test message"),
    "cpython__msg_25.eml": ("mailer-daemon@zinfandel.lacita.com", "Returned mail: Too many hops 19 (17 max)"),
    "cpython__msg_46.eml": ("sender@example.net", "GroupwiseForwardingTest"),
    "flanker__8bitmime.eml": ("bob@example.com", "2 RCPT MIME"),
    "flanker__bilingual-simple.eml": ("hello@example.com", "Simple text. How are you? Как ты поживае"),
    "flanker__iphone.eml": ("someone@somewhere.com", "Subject"),
    "flanker__message-external-body.eml": ("marcs@znep.com", "I-D ACTION:draft-ietf-http-authenticatio"),
    "jwzthreading__fedora-devel-2010-January.mbox.gz": (
        "rakesh.pandit@gmail.com",
        "Package Review Stats for 2009!",
    ),
    "mimekit__content-length.mbox": ("mailusr1@navstar1.mcom.com", "Re: mailusr1@navstar1 3.0b6gold #1"),
    "mimekit__issue358.eml": ("jang.abcdef@xyzlinux12345678.it", "R: R: R: I: FR-selca LA selcaE"),
    "mimekit__japanese.eml": ("x@x.com", "日本語メールテスト (testing Japanese emails)"),
    "mimekit__startrek.eml": None,
    "ponymail__asterix-dev-201709.mbox": ("bamousaa@gmail.com", "Entity locks in asterixdb"),
    "ponymail__httpd-users-200606-part.mbox": (
        "gaodebin@hotmail.com",
        '[users@httpd] bug? LogFormat "%{tid}P" g',
    ),
    "ponymail__maven-dev-2017-11.mbox.gz": ("git@apache.org", "[GitHub] hboutemy closed pull request #1"),
    "talon__android.eml": ("bob@example.com", "Re: Test"),
    "talon__aol.eml": ("xxx@aol.com", "Re: Test"),
    "talon__apple_mail.eml": ("xxx@gmail.com", "Re: Test"),
    "talon__apple_mail_2.eml": ("adam@tictail.com", "Re: Hello there"),
    "talon__comcast.eml": ("xxx@comcast.net", "Re: Test"),
    "talon__gmail.eml": ("xxx@gmail.com", "Re: Test"),
    "talon__hotmail.eml": ("xxx@hotmail.com", "RE: Test"),
    "talon__iphone.eml": ("xxx@gmail.com", "Re: Test"),
    "talon__outlook.eml": None,
    "talon__sparrow.eml": ("xxx@gmail.com", "Re: Test"),
    "talon__thunderbird.eml": ("bob@xxx.mailgun.org", "Re: Test"),
    "talon__yahoo.eml": ("xxx@yahoo.com", "Re: Test"),
}
MAIL_SUFFIXES = (".eml", ".mbox", ".mbox.gz")


@pytest.fixture(scope="module")
def results(realdata):
    """Every real mail file read once for the module (the Fedora and Maven archives are big)."""
    return {name: read_file(realdata / "email" / name, filename=name) for name in EXPECTED}


def test_the_test_knows_every_real_mail_file(realdata):
    # The .yaml and _thread.html.gz files beside them are test oracles, not mail.
    on_disk = {p.name for p in (realdata / "email").iterdir() if p.name.endswith(MAIL_SUFFIXES)}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_real_mail_file_reads_with_its_messages_and_people(results, name):
    result = results[name]
    assert result.format == ("eml" if name.endswith(".eml") else "mbox")
    counts = (
        result.rows_read,
        len(result.interactions),
        len(result.persons),
        sum(i.via_list for i in result.interactions),
    )
    assert counts == EXPECTED[name]
    first = result.interactions[0] if result.interactions else None
    assert ((first.organizer, first.subject[:40]) if first else None) == FIRST[name]
    for interaction in result.interactions:
        assert interaction.occurred_at.tzinfo is not None
        assert interaction.kind == "email"
        assert all(re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", a) for a in interaction.participants)


def test_mbox_splitting_matches_the_ponymail_oracle_message_ids(results, realdata):
    oracle = (realdata / "email" / "ponymail__asterix-dev-201709.expected-message-ids.yaml").read_text()
    expected = re.findall(r"message-id: <([^>]+)>", oracle)
    assert len(expected) == 53
    assert [i.key for i in results["ponymail__asterix-dev-201709.mbox"].interactions] == expected


def test_list_messages_weigh_less_and_the_list_address_is_no_person(results):
    result = results["ponymail__asterix-dev-201709.mbox"]
    first = result.interactions[0]
    assert (first.subject, first.organizer) == ("Entity locks in asterixdb", "bamousaa@gmail.com")
    assert first.via_list and first.audience >= 25
    assert "dev@asterixdb.apache.org" not in {p.key for p in result.persons}
    assert all("dev@asterixdb.apache.org" not in i.participants for i in result.interactions)
    replies = [i for i in result.interactions if i.in_reply_to]
    assert len(replies) >= 30


def test_fedora_archive_reads_from_gzip_with_names_and_threads(results):
    result = results["jwzthreading__fedora-devel-2010-January.mbox.gz"]
    first = result.interactions[0]
    assert first.participants == {"rakesh.pandit@gmail.com": "Rakesh Pandit"}
    assert first.occurred_at == dt.datetime(2010, 1, 1, 3, 50, 34, tzinfo=dt.UTC)
    assert "fedora-devel-list@redhat.com" not in {p.key for p in result.persons}


def test_bare_local_names_are_left_out_with_a_warning(results):
    startrek = results["mimekit__startrek.eml"]
    assert any("without a domain" in i.message and "abel" in i.message for i in startrek.issues)
    assert any(i.level == "error" and "full e-mail address" in i.message for i in startrek.issues)


def test_encoded_words_in_subjects_and_names_are_decoded(results):
    (japanese,) = results["mimekit__japanese.eml"].interactions
    assert japanese.subject == "日本語メールテスト (testing Japanese emails)"
    (bilingual,) = results["flanker__bilingual-simple.eml"].interactions
    assert "Как ты поживаешь?" in bilingual.subject


def test_a_message_without_date_keeps_its_people_but_makes_no_interaction(results):
    outlook = results["talon__outlook.eml"]
    assert {p.key for p in outlook.persons} == {"me@example.com", "you@example.com"}
    assert any("no readable Date" in i.message for i in outlook.issues)


def test_the_member_writing_makes_a_contact_and_repeated_cc_headers_count(fixture_path):
    result = read_file(
        fixture_path("mail_three_messages.mbox"),
        filename="sent.mbox",
        options=ReaderOptions(member_emails={"Seller@revere.example"}),
    )
    offer, reply, list_post = result.interactions
    assert offer.key == "m1@revere.example"
    assert offer.subject == "Angebot für Müller AG"
    assert offer.participants == {
        "seller@revere.example": "Sam Seller",
        "juergen@mueller.example": "Jürgen Müller",
        "ada@analytical.example": "Lovelace, Ada",
        "grace@navy.example": "Grace Hopper",
    }
    assert offer.audience == 3
    assert reply.key.startswith("sha1:")  # no Message-ID: a stable hash
    assert reply.in_reply_to == "m1@revere.example"
    assert list_post.via_list and list_post.participants == {"linus@kernel.example": "Linus"}
    persons = {p.key: p for p in result.persons}
    assert "seller@revere.example" not in persons  # the member is not a contact of themselves
    assert persons["grace@navy.example"].is_contact_of_member
    assert not persons["linus@kernel.example"].is_contact_of_member
    assert any("localonly" in i.message for i in result.issues)


def test_reading_the_same_mbox_twice_gives_the_same_keys(fixture_path):
    first = read_file(fixture_path("mail_three_messages.mbox"), filename="a.mbox")
    second = read_file(fixture_path("mail_three_messages.mbox").read_bytes(), filename="a.mbox")
    assert [i.key for i in first.interactions] == [i.key for i in second.interactions]


def test_a_list_that_rewrites_the_sender_still_credits_the_writer():
    message = (
        b"Message-ID: <dmarc@lists.example>\r\nDate: Thu, 7 Mar 2024 08:00:00 +0000\r\n"
        b"From: 'Ada Lovelace' via dev <dev@lists.example>\r\nReply-To: ada@analytical.example\r\n"
        b"To: dev@lists.example\r\nList-Id: <dev.lists.example>\r\nSubject: engines\r\n\r\nbody\r\n"
    )
    (interaction,) = read_file(message, filename="m.eml").interactions
    assert interaction.organizer == "ada@analytical.example"
    assert interaction.participants == {"ada@analytical.example": "Ada Lovelace"}
    assert interaction.via_list
