"""Hostile and broken files are refused with a clear message, and nothing is written."""

from __future__ import annotations

import gzip

import pytest
from django.test import override_settings

from revere.contacts.models import Company, Person
from revere.ingest.service import ImportRefused, Upload, import_files
from revere.network.models import Interaction

pytestmark = pytest.mark.django_db


def nothing_written(member):
    return (
        Person.unrestricted.exclude(pk=member.person_id).count() == 0
        and Company.unrestricted.exclude(pk=member.organization.own_company_id).count() == 0
        and Interaction.unrestricted.count() == 0
    )


def refused(member, name, data, fmt="auto"):
    with pytest.raises(ImportRefused) as info:
        import_files(member=member, uploads=[Upload(name, data)], format=fmt)
    message = str(info.value)
    assert name in message and "Traceback" not in message
    assert nothing_written(member)
    return message


def test_a_picture_named_like_contacts_is_refused(member):
    refused(member, "contacts.vcf", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)


def test_binary_noise_is_refused(member):
    refused(member, "people.csv", bytes(range(256)) * 50)


def test_a_file_in_the_wrong_format_is_refused(member):
    refused(member, "cal.ics", b"First Name,Last Name\nAda,Lovelace\n", fmt="vcard")


def test_a_truncated_vcard_is_refused_or_reports_the_broken_card(member):
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovel"
    try:
        report = import_files(member=member, uploads=[Upload("cut.vcf", data)])
    except ImportRefused as exc:
        assert "cut.vcf" in str(exc)
        assert nothing_written(member)
    else:
        assert report.counts()["errors"] + report.counts()["skipped"] >= 1


def test_a_huge_line_is_refused(member):
    refused(member, "wide.csv", b"First Name,Last Name\n" + b"A" * (12 * 1024 * 1024) + b",B\n")


def test_a_formula_cell_is_refused_whole(member):
    data = b'First Name,Last Name,Company\nAda,Lovelace,Engines\nEvil,Row,"=HYPERLINK(""http://x"",""y"")"\n'
    message = refused(member, "people.csv", data)
    assert "line 3" in message and "formula" in message


def test_a_zip_bomb_is_refused(member):
    bomb = gzip.compress(b"First Name,Last Name\n" + b"\x00" * (80 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 200_000
    refused(member, "contacts.csv.gz", bomb)


@override_settings(REVERE_IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused_with_the_limit(member):
    message = refused(member, "big.csv", b"First Name,Last Name\n" + b"Ada,Lovelace\n" * 200)
    assert "limit" in message


@override_settings(REVERE_IMPORT_MAX_ROWS=3)
def test_a_file_over_the_row_limit_is_refused_with_the_limit(member):
    message = refused(member, "many.csv", b"First Name,Last Name\n" + b"Ada,Lovelace\nBob,Stone\n" * 5)
    assert "limit" in message
