"""LinkedIn messages.csv, from a synthetic fixture written from FORMATS.md facts."""

from __future__ import annotations

import datetime as dt

import pytest

from revere.ingest.readers import ReaderOptions, detect, read_file
from revere.ingest.records import UnreadableFile

HEADER = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
    "CONTENT,FOLDER,ATTACHMENTS,IS MESSAGE DRAFT,IS CONVERSATION DRAFT\n"
)
SAM = "https://www.linkedin.com/in/sam-seller"
ADA = "https://www.linkedin.com/in/ada-lovelace-1815"


def read(data, **options):
    return read_file(data, filename="messages.csv", options=ReaderOptions(**options))


def test_messages_become_interactions_with_profiles_drafts_skipped_and_quoted_multiline_content(fixture_path):
    path = fixture_path("linkedin_messages.csv")
    assert detect(path, filename="messages.csv") == "linkedin_messages"
    result = read_file(path, filename="messages.csv")

    assert result.format == "linkedin_messages"
    assert result.rows_read == 9  # the multi-line CONTENT cells are one row each
    by_line = {i.line: i for i in result.interactions}
    assert sorted(by_line) == [2, 4, 7, 8, 11, 14]
    reply, first = by_line[2], by_line[4]
    assert (first.kind, first.outbound, first.subject) == ("message", True, "Catching up")
    assert first.occurred_at == dt.datetime(2025, 3, 2, 9, 15, tzinfo=dt.UTC)
    assert first.profiles == [(ADA, "Ada Lovelace")]
    assert (reply.outbound, reply.profiles) == (
        False,
        [("https://www.linkedin.com/in/Ada-Lovelace-1815/", "Ada Lovelace")],
    )
    assert reply.key.startswith("linkedin:2-QWRhU2FtMQ==/") and reply.key != first.key
    # The group conversation: three recipients, joined by ";" in one row and by "," in the other.
    sent, answer = by_line[8], by_line[7]
    assert [n for _, n in sent.profiles] == ["Priya Nayak", "Marco Rossi", "Jane Newman"]
    assert sent.profiles[2][0] == "https://www.linkedin.com/in/jane-newman"
    assert [n for _, n in answer.profiles] == ["Marco Rossi", "Priya Nayak", "Jane Newman"]  # sender first
    assert (sent.audience, answer.audience, sent.subject) == (3, 3, "Pilot team")
    # No content anywhere in the records: only date, subject, participants.
    assert not any("summit" in repr(i) or "pilot budget" in repr(i) for i in result.interactions)
    issues = {(i.line, i.level): i.message for i in result.issues}
    assert issues[(12, "warning")] == "2 drafts skipped (never sent): lines 12, 13."
    assert issues[(15, "error")] == "Skipped: the sender is a hidden LinkedIn member."


def test_detection_is_by_alias_and_case_insensitive_never_by_position():
    shuffled = (
        "\ufeffdate,to,from,content,conversation id,sender profile url,recipient profile urls\n"
        f"2023-05-02 14:03:11 UTC,Ada Lovelace,Sam Seller,hi,c1,{SAM},{ADA}\n"
        f"2023-05-03 14:03:11 UTC,Sam Seller,Ada Lovelace,hello,c1,{ADA},{SAM}\n"
        f"2023-05-04 14:03:11 UTC,Ada Lovelace,Sam Seller,bye,c1,{SAM},{ADA}\n"
    ).encode()
    assert detect(shuffled, filename="export.csv") == "linkedin_messages"
    result = read(shuffled)
    assert [(i.outbound, i.profiles) for i in result.interactions] == [
        (True, [(ADA, "Ada Lovelace")]),
        (False, [(ADA, "Ada Lovelace")]),
        (True, [(ADA, "Ada Lovelace")]),
    ]
    assert result.interactions[0].occurred_at == dt.datetime(2023, 5, 2, 14, 3, 11, tzinfo=dt.UTC)


ONE_EACH = (
    HEADER
    + f"c1,,Ada Lovelace,{ADA},Sam Seller,{SAM},2023-05-02 14:03:11 UTC,,hi,INBOX,,No,No\n"
    + f"c1,,Sam Seller,{SAM},Ada Lovelace,{ADA},2023-05-02 15:03:11 UTC,,hello,SENT,,No,No\n"
).encode()


def test_the_member_is_told_by_their_profile_or_name_and_a_file_that_cannot_say_is_refused():
    by_url = read(ONE_EACH, member_linkedin="https://linkedin.com/in/SAM-SELLER/")
    assert [i.outbound for i in by_url.interactions] == [False, True]
    by_name = read(ONE_EACH, member_name="Ada Lovelace")
    assert [i.outbound for i in by_name.interactions] == [True, False]
    assert by_name.interactions[0].profiles == [(SAM, "Sam Seller")]
    with pytest.raises(UnreadableFile, match="Cannot tell which participant"):
        read(ONE_EACH)


def test_names_pair_with_urls_whatever_the_separator_and_credentials_stay_with_their_name():
    rows = (
        HEADER
        + f'c1,,Sam Seller,{SAM},"Ada Lovelace; Bo Chen","{ADA} ; https://www.linkedin.com/in/bo-chen",'
        "2023-05-02 14:03:11 UTC,,x,SENT,,No,No\n"
        + f'c2,,Sam Seller,{SAM},"Nayak, MSc, MBA, Bo Chen",,2023-05-03 14:03:11 UTC,,x,SENT,,No,No\n'
        + f'c3,,Sam Seller,{SAM},"Ada Lovelace, Bo Chen","{ADA} https://www.linkedin.com/in/bo-chen '
        'https://www.linkedin.com/in/cy-d",2023-05-04 14:03:11 UTC,,x,SENT,,No,No\n'
    ).encode()
    first, second, third = read(rows).interactions
    assert first.profiles == [(ADA, "Ada Lovelace"), ("https://www.linkedin.com/in/bo-chen", "Bo Chen")]
    assert [n for _, n in second.profiles] == ["Nayak, MSc, MBA", "Bo Chen"]
    # Two names for three profiles cannot be paired: the profiles are kept, unnamed.
    assert [(u.rsplit("/", 1)[1], n) for u, n in third.profiles] == [
        ("ada-lovelace-1815", ""),
        ("bo-chen", ""),
        ("cy-d", ""),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (HEADER + 'c1,,Ada,https://www.linkedin.com/in/ada,Sam,"unterminated\n', "never closed"),
        ("CONVERSATION ID,FROM,DATE\nc1,Ada,2023-05-02\n", "not a LinkedIn messages.csv"),
        (
            HEADER
            + f'c1,,"=HYPERLINK(""http://x"")",{ADA},Sam Seller,{SAM},2023-05-02 14:03:11 UTC,,x,INBOX,,No,No\n',
            "formula",
        ),
    ],
)
def test_broken_files_are_refused_whole(data, message):
    with pytest.raises(UnreadableFile, match=message):
        read_file(data.encode(), filename="messages.csv", format="linkedin_messages")
