"""The phone region a member gives for an import, on every way in (issue 13, point 4).

A number written without a country code is E.164 only when it is valid in a region the contact's
own row, the member or the organization gives (docs/identity.md). The CLI had ``--phone-region``;
the import page and the API took no region, so a German address book uploaded there kept every
``(0611) 1234567`` as written (no matching key) while the same file through the CLI stored
``+496111234567``. The file here has no country column, so only the member's region can tell.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from revere.contacts.models import PersonPhone
from revere.ingest.models import ImportJob
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

# A Google Contacts export of German contacts, numbers written the national way.
GOOGLE = (
    "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
    "Jonas,Weber,Work,jonas@weber-bau.de,Work,(0611) 1234567\n"
)


@pytest.fixture
def signed_in(client, member):
    assert client.login(username=member.user.username, password=PASSWORD)
    return client


def stored_numbers() -> list[str]:
    return sorted(PersonPhone.unrestricted.values_list("e164", flat=True))


def test_the_region_chosen_on_the_import_page_reads_numbers_without_a_country_code(signed_in):
    page = signed_in.get(reverse("import")).content.decode()
    assert 'name="phone_region"' in page

    signed_in.post(
        reverse("import"),
        {
            "files": [SimpleUploadedFile("contacts.csv", GOOGLE.encode())],
            "format": "auto",
            "phone_region": "de",
        },
    )
    job = ImportJob.unrestricted.get()
    assert job.options["phone_region"] == "DE"
    signed_in.post(reverse("import_confirm", args=[job.pk]))

    assert stored_numbers() == ["+496111234567"]


def test_without_a_region_the_page_keeps_the_number_as_written(signed_in):
    signed_in.post(reverse("import"), {"files": [SimpleUploadedFile("contacts.csv", GOOGLE.encode())]})
    signed_in.post(reverse("import_confirm", args=[ImportJob.unrestricted.get().pk]))

    assert stored_numbers() == ["(0611) 1234567"]  # not valid in US, the default: kept, never +1...


def test_the_page_refuses_a_region_that_is_no_code_and_writes_nothing(signed_in):
    page = signed_in.post(
        reverse("import"),
        {"files": [SimpleUploadedFile("contacts.csv", GOOGLE.encode())], "phone_region": "Germany"},
        follow=True,
    )
    assert b"is not a region code" in page.content
    assert not ImportJob.unrestricted.exists() and not stored_numbers()


def test_the_region_given_to_the_api_reads_numbers_without_a_country_code(signed_in):
    created = signed_in.post(
        "/api/imports", {"files": [SimpleUploadedFile("contacts.csv", GOOGLE.encode())], "phone_region": "DE"}
    )
    assert created.status_code == 200, created.content
    job = created.json()
    assert signed_in.post(f"/api/imports/{job['id']}/confirm").json()["status"] == "done"

    assert stored_numbers() == ["+496111234567"]


def test_the_api_refuses_a_region_that_is_no_code(signed_in):
    created = signed_in.post(
        "/api/imports", {"files": [SimpleUploadedFile("contacts.csv", GOOGLE.encode())], "phone_region": "XX"}
    )
    assert created.status_code == 422 and "is not a region code" in created.json()["detail"]
    assert not ImportJob.unrestricted.exists()


def test_the_organizations_region_is_the_pages_default(signed_in, member):
    member.organization.phone_region = "DE"
    member.organization.save(update_fields=["phone_region"])

    page = signed_in.get(reverse("import")).content.decode()

    assert 'value="DE"' in page
