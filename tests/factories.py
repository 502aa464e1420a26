"""factory_boy factories. People and organisations; spaces go through actions."""

import factory

from brug.people.enums import Role
from brug.people.models import Organisation, Team, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    handle = factory.Sequence(lambda n: f"person{n}")
    role = Role.MEMBER
    organisation = factory.LazyFunction(lambda: Organisation.objects.get(is_default=True))
    password = factory.django.Password("correct horse battery staple")
