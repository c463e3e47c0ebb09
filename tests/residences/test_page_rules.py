"""Editors can only create pages where they make sense in the place tree."""

import pytest

from wagtail.models import Page

from events.models import AgendaPage, EventPage, PermanenceIndexPage, PermanencePage
from portal.models import HomePage, StandardPage
from residences.models import NewsIndexPage, NewsPage, ResidenceIndexPage, ResidencePage, SectorPage

pytestmark = pytest.mark.django_db


def allowed_children(model) -> set:
    return set(model.allowed_subpage_models())


def test_home_accepts_sectors_indexes_events_and_plain_pages():
    assert allowed_children(HomePage) == {
        SectorPage,
        ResidenceIndexPage,
        AgendaPage,
        PermanenceIndexPage,
        NewsIndexPage,
        NewsPage,
        EventPage,
        StandardPage,
    }


def test_sector_accepts_residences_and_events():
    assert allowed_children(SectorPage) == {ResidencePage, NewsPage, EventPage, PermanencePage}


def test_events_live_under_home_sector_or_residence_and_have_no_children():
    assert set(EventPage.allowed_parent_page_models()) == {HomePage, SectorPage, ResidencePage}
    assert allowed_children(EventPage) == set()
    assert set(SectorPage.allowed_parent_page_models()) == {HomePage}


def test_residence_lives_under_a_sector_only():
    assert set(ResidencePage.allowed_parent_page_models()) == {SectorPage}
    assert allowed_children(ResidencePage) == {NewsPage, EventPage, PermanencePage}


def test_permanences_live_at_an_agency_or_a_residence():
    assert set(PermanencePage.allowed_parent_page_models()) == {SectorPage, ResidencePage}


def test_home_page_only_under_the_root():
    assert set(HomePage.allowed_parent_page_models()) == {Page}


def test_cannot_create_a_residence_directly_under_home(home, sector):
    assert not ResidencePage.can_create_at(home)
    assert ResidencePage.can_create_at(sector)
    assert not SectorPage.can_create_at(sector)


def test_one_residence_index_per_site(home):
    assert ResidenceIndexPage.can_create_at(home)
    home.add_child(instance=ResidenceIndexPage(title="Résidences", slug="residences"))
    assert not ResidenceIndexPage.can_create_at(home)
