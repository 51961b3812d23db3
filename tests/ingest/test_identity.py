"""Normalization and similarity: the keys identity resolution matches on."""

from __future__ import annotations

import pytest

from revere.contacts.identity import (
    NAME_REVIEW,
    company_domain_from_email,
    name_similarity,
    normalize_company_name,
    normalize_domain,
    normalize_email,
    normalize_linkedin_url,
    normalize_person_name,
    normalize_phone,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Acme, Inc.", "acme"),
        ("ACME GmbH & Co. KG", "acme"),
        ("Société Générale S.A.", "societe generale"),
        ("The Widget Company", "widget"),
        ("Initech LLC", "initech"),
        ("Hooli Ltd", "hooli"),
        ("Barclays plc", "barclays"),
        ("Siemens AG", "siemens"),
        ("Co", "co"),
    ],
)
def test_company_names_lose_case_accents_and_legal_forms(raw, expected):
    assert normalize_company_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Dr. José  O'Neil, MSc, MBA", "jose oneil"),
        ("Priya Nayak, MSc, MBA, PHR", "priya nayak"),
        ("Doe, John", "doe john"),
        ('James ""Tyler"" Smith', "james tyler smith"),
        ("  ÅSA   Öberg ", "asa oberg"),
    ],
)
def test_person_names_lose_case_accents_honorifics_and_credentials(raw, expected):
    assert normalize_person_name(raw) == expected


def test_emails_are_trimmed_and_lower_cased_without_provider_rules():
    assert normalize_email("  <Jane.Doe@Example.COM> ") == "jane.doe@example.com"
    assert normalize_email("mailto:j.d@gmail.com") == "j.d@gmail.com"


def test_phones_become_e164_in_the_default_region_or_empty_when_invalid():
    assert normalize_phone("1(302)556-4395") == "+13025564395"
    assert normalize_phone("(415) 555-0100", "US") == "+14155550100"
    assert normalize_phone("030 123456", "DE") == "+4930123456"
    assert normalize_phone("+44 20 7946 0958") == "+442079460958"
    assert normalize_phone("not a phone") == ""


def test_free_mail_domains_name_no_company():
    assert company_domain_from_email("jane@acme.com") == "acme.com"
    assert company_domain_from_email("jane@gmail.com") == ""


def test_websites_and_linkedin_urls_reduce_to_their_keys():
    assert normalize_domain("https://www.Acme.com/about?x=1") == "acme.com"
    assert normalize_domain("not a domain") == ""
    assert (
        normalize_linkedin_url("https://www.linkedin.com/in/Jane-Doe-1a2b/?trk=x")
        == "linkedin.com/in/jane-doe-1a2b"
    )
    assert normalize_linkedin_url("https://example.com/in/jane") == ""


def test_a_one_letter_typo_is_similar_enough_for_review_but_a_different_person_is_not():
    assert name_similarity("jon smith", "john smith") >= NAME_REVIEW
    assert name_similarity("smith john", "john smith") == 100
    assert name_similarity("john smith", "jane smythe") < NAME_REVIEW
