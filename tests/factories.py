"""Factories for the place tree; pages are created under the parent you pass."""

import factory
import wagtail_factories

from residences.models import Building, MediatorProfile, Partner, ResidencePage, SectorPage


class SectorPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Agence {n}")
    slug = factory.Sequence(lambda n: f"agence-{n}")
    address = "1 place de la Mairie"
    postcode = "59000"
    town = "Lille"

    class Meta:
        model = SectorPage


class ResidencePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Résidence {n}")
    slug = factory.Sequence(lambda n: f"residence-{n}")
    address = factory.Sequence(lambda n: f"{n} rue des Acacias")
    postcode = "59100"
    town = "Roubaix"

    class Meta:
        model = ResidencePage


class BuildingFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Bâtiment {n}")

    class Meta:
        model = Building


class MediatorProfileFactory(factory.django.DjangoModelFactory):
    first_name = "Nadia"
    last_name = factory.Sequence(lambda n: f"Benali{n}")
    slug = factory.Sequence(lambda n: f"mediatrice-{n}")

    class Meta:
        model = MediatorProfile


class PartnerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Centre social {n}")
    kind = Partner.Kind.SOCIAL_CENTRE

    class Meta:
        model = Partner
