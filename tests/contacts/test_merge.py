"""Merging duplicates from the contacts pages, and undoing it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from revere.contacts.models import Person, PersonEmail, PersonMerge
from revere.network.models import Tie
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(crowd):
    org = crowd["org"]
    keep = f.PersonFactory(organization=org, full_name="Jane Doe", title="")
    dup = f.PersonFactory(organization=org, full_name="Jane  Doe", title="CFO", company=keep.company)
    PersonEmail.unrestricted.create(organization=org, person=dup, email="jane@dup.example")
    f.TieFactory(member=crowd["me"], person=dup, strength=0.7)
    return keep, dup


def test_the_merge_page_finds_people_for_each_slot(signed_in, pair):
    keep, dup = pair
    html = signed_in.get(reverse("contact_merge"), {"keep": keep.pk, "q_merge": "jane"}).content.decode()
    assert f"merge={dup.pk}" in html and f"keep={keep.pk}" in html
    partial = signed_in.get(
        reverse("contact_search"),
        {"slot": "merge", "q_merge": "dup.example", "keep": keep.pk},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f"?keep={keep.pk}&amp;merge={dup.pk}" in partial and "<html" not in partial


def test_the_merge_page_shows_both_and_merges_the_second_into_the_first(signed_in, crowd, pair):
    keep, dup = pair
    page = signed_in.get(reverse("contact_merge"), {"keep": keep.pk, "merge": dup.pk})
    assert 'data-testid="merge-button"' in page.content.decode()
    response = signed_in.post(reverse("contact_merge"), {"keep": keep.pk, "merge": dup.pk})
    assert response.status_code == 302 and response["Location"] == reverse("contact", args=[keep.pk])
    assert not Person.unrestricted.filter(pk=dup.pk).exists()
    keep.refresh_from_db()
    assert keep.title == "CFO"
    assert list(PersonEmail.unrestricted.filter(person=keep).values_list("email", flat=True)) == [
        "jane@dup.example"
    ]
    assert Tie.unrestricted.filter(member=crowd["me"], person=keep).exists()
    merge = PersonMerge.unrestricted.get(kept=keep)
    assert merge.merged_by == crowd["me"]


def test_a_merge_is_undone_from_the_kept_person_s_page(signed_in, crowd, pair):
    keep, dup = pair
    signed_in.post(reverse("contact_merge"), {"keep": keep.pk, "merge": dup.pk})
    html = signed_in.get(reverse("contact", args=[keep.pk])).content.decode()
    merge = PersonMerge.unrestricted.get(kept=keep)
    assert reverse("contact_merge_undo", args=[merge.pk]) in html and "Jane  Doe" in html
    response = signed_in.post(reverse("contact_merge_undo", args=[merge.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("contact", args=[dup.pk])
    restored = Person.unrestricted.get(pk=dup.pk)
    assert list(PersonEmail.unrestricted.filter(person=restored).values_list("email", flat=True)) == [
        "jane@dup.example"
    ]
    assert Tie.unrestricted.filter(member=crowd["me"], person=restored).exists()
    assert (
        'data-testid="undo-merge"' not in signed_in.get(reverse("contact", args=[keep.pk])).content.decode()
    )


def test_merging_a_person_into_themself_or_a_stranger_is_refused(signed_in, pair):
    keep, _ = pair
    stranger = f.PersonFactory()
    response = signed_in.post(reverse("contact_merge"), {"keep": keep.pk, "merge": keep.pk})
    assert response.status_code == 200 and "two different persons" in response.content.decode()
    response = signed_in.post(reverse("contact_merge"), {"keep": keep.pk, "merge": stranger.pk})
    assert response.status_code == 200 and response.context["form"].errors["merge"]
    assert Person.unrestricted.filter(pk=stranger.pk).exists()


def test_a_member_s_own_person_cannot_be_merged_away(signed_in, crowd, pair):
    keep, _ = pair
    ann = crowd["ann"].person
    response = signed_in.post(reverse("contact_merge"), {"keep": keep.pk, "merge": ann.pk})
    assert response.status_code == 200 and "is a member" in response.content.decode()
    assert Person.unrestricted.filter(pk=ann.pk).exists()


def test_another_organization_s_merge_cannot_be_undone(signed_in):
    other_keep = f.PersonFactory()
    merge = PersonMerge.unrestricted.create(
        organization=other_keep.organization, kept=other_keep, merged_name="X"
    )
    assert signed_in.post(reverse("contact_merge_undo", args=[merge.pk])).status_code == 404


def test_a_person_page_offers_to_merge_a_possible_duplicate_from_the_review_queue(signed_in, crowd, pair):
    from revere.contacts.models import MergeCandidate

    keep, dup = pair
    a, b = sorted([keep, dup], key=lambda p: p.pk)
    MergeCandidate.unrestricted.create(
        organization=crowd["org"], person_a=a, person_b=b, score=96, reason="similar name"
    )
    html = signed_in.get(reverse("contact", args=[keep.pk])).content.decode()
    assert 'data-testid="maybe-same"' in html and "similar name" in html
    assert f"{reverse('contact_merge')}?keep={keep.pk}&amp;merge={dup.pk}" in html
