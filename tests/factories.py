"""factory_boy factories building real rows in the real test database."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from revere.contacts.models import Company, CompanyStatus, Person, PersonEmail
from revere.deals.models import BuyingRole, Deal, Reference, Stage
from revere.levers.models import Contribution
from revere.network.models import Interaction, Link, NetworkClass, Snapshot, Tie
from revere.playbook.models import Target
from revere.tenancy.models import Member, Organization, Role, Team

PASSWORD = "correct horse battery"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Org {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")

    @factory.post_generation
    def own(obj, create, extracted, **kwargs):
        if create and obj.own_company_id is None:
            obj.own_company = Company.unrestricted.create(
                organization=obj, name=obj.name, normalized_name=obj.name.lower(), status=CompanyStatus.OWN
            )
            obj.save(update_fields=["own_company"])


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Company {n}")
    normalized_name = factory.LazyAttribute(lambda o: o.name.lower())
    industry = "Software"
    region = "Europe"
    status = CompanyStatus.OTHER


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organization = factory.SubFactory(OrganizationFactory)
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    full_name = factory.LazyAttribute(lambda o: f"{o.first_name} {o.last_name}")
    normalized_name = factory.LazyAttribute(lambda o: o.full_name.lower())
    company = factory.SubFactory(CompanyFactory, organization=factory.SelfAttribute("..organization"))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.test")
    email = factory.LazyAttribute(lambda o: o.username)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    person = factory.SubFactory(
        PersonFactory,
        organization=factory.SelfAttribute("..organization"),
        company=factory.SelfAttribute("..organization.own_company"),
    )
    role = Role.SELLER

    @factory.post_generation
    def email(obj, create, extracted, **kwargs):
        if create:
            PersonEmail.unrestricted.create(
                organization=obj.organization, person=obj.person, email=obj.user.email, is_primary=True
            )


class TieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tie

    member = factory.SubFactory(MemberFactory)
    organization = factory.SelfAttribute("member.organization")
    ego = factory.SelfAttribute("member.person")
    person = factory.SubFactory(PersonFactory, organization=factory.SelfAttribute("..organization"))
    strength = 0.5
    network_class = NetworkClass.MARKET


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Link

    organization = factory.SubFactory(OrganizationFactory)
    a = factory.SubFactory(PersonFactory, organization=factory.SelfAttribute("..organization"))
    b = factory.SubFactory(PersonFactory, organization=factory.SelfAttribute("..organization"))
    weight = 0.5

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        a, b = kwargs["a"], kwargs["b"]
        if a.pk > b.pk:
            kwargs["a"], kwargs["b"] = b, a
        return super()._create(model_class, *args, **kwargs)


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deal

    owner = factory.SubFactory(MemberFactory)
    organization = factory.SelfAttribute("owner.organization")
    company = factory.SubFactory(CompanyFactory, organization=factory.SelfAttribute("..organization"))
    name = factory.Sequence(lambda n: f"Deal {n}")
    stage = Stage.IDENTIFY
    created_at = factory.LazyFunction(timezone.now)


class BuyingRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyingRole

    deal = factory.SubFactory(DealFactory)
    organization = factory.SelfAttribute("deal.organization")
    person = factory.SubFactory(PersonFactory, organization=factory.SelfAttribute("..organization"))
    role = "decision_maker"


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    organization = factory.SubFactory(OrganizationFactory)
    person = factory.SubFactory(PersonFactory, organization=factory.SelfAttribute("..organization"))


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    member = factory.SubFactory(MemberFactory)
    organization = factory.SelfAttribute("member.organization")
    kind = "meeting"
    occurred_at = factory.LazyFunction(timezone.now)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    member = factory.SubFactory(MemberFactory)
    organization = factory.SelfAttribute("member.organization")
    kind = "introduction"
    occurred_at = factory.LazyFunction(timezone.now)


class SnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Snapshot

    member = factory.SubFactory(MemberFactory)
    organization = factory.SelfAttribute("member.organization")
    network_class = NetworkClass.MARKET
    taken_on = factory.LazyFunction(lambda: timezone.now().date())
    metrics = factory.LazyFunction(lambda: {"size": 3})


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    organization = factory.SubFactory(OrganizationFactory)
    network_class = NetworkClass.MARKET
    min_size = 10
