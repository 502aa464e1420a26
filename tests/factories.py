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

    @factory.post_generation
    def search_index(person, create, extracted, **kwargs):
        """Index the person as the profile actions' job would (the people picker finds them)."""
        if create and extracted is not False:
            from brug.search.indexing import index_object

            index_object(kind="person", pk=person.pk)


def give_memberships(person, organisation, count: int) -> None:
    """Give ``person`` extra memberships up to ``count`` (bulk: setup for query budgets)."""
    from brug.spaces.models import Membership, Space

    missing = count - Membership.objects.filter(person=person).count()
    spaces = Space.objects.bulk_create(
        [
            Space(organisation=organisation, name=f"Extra {n}", slug=f"extra-{person.pk}-{n}")
            for n in range(missing)
        ]
    )
    Membership.objects.bulk_create([Membership(space=s, person=person) for s in spaces])
    assert Membership.objects.filter(person=person).count() == count
