"""Public pages in a real browser: axe (WCAG 2.1 AA), a 320 px screen, and no JavaScript."""

import pytest

from tests.french import fr

from .conftest import DESKTOP, PHONE, axe_violations, new_context, sideways_scroll

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/agence-nord/",
    "/agence-nord/les-tilleuls/",
    "/residences/",
    "/residences/?q=lilas",
    "/agenda/",
    "/agenda/?residence=les-tilleuls&du=2020-99-99",
    "/agence-nord/les-tilleuls/atelier-tricot/",
    "/sortie-a-la-mer/",
    "/recherche/?q=fete",
    "/permanences/",
    "/calendrier/aide/",
    "/agence-nord/les-tilleuls/permanence-tilleuls/",
    "/permanences/imprimer/les-tilleuls/",
    "/programme/imprimer/les-tilleuls/",
    "/actualites/",
    "/agence-nord/les-tilleuls/coupure-eau-batiment-b/",
]


def test_axe_finds_no_violation_on_public_pages(browser, axe, shared_live_demo):
    for viewport in (PHONE, DESKTOP):
        context = new_context(browser, viewport)
        page = context.new_page()
        for path in PAGES + ["/accessibilite/", "/mediateurs/nadia-benali/"]:
            page.goto(shared_live_demo.url + path)
            report = axe_violations(axe, page)
            assert report == "", f"{path} at {viewport['width']} px:\n{report}"
        context.close()


def test_no_horizontal_scroll_at_320_px(browser, shared_live_demo):
    from events.models import Occurrence

    outing = Occurrence.objects.get(page__slug="sortie-a-la-mer")
    context = new_context(browser, {"width": 320, "height": 640})
    page = context.new_page()
    for path in PAGES + [f"/inscription/date/{outing.pk}/"]:
        page.goto(shared_live_demo.url + path)
        overflow = sideways_scroll(page)
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at 320 px"
    context.close()


def test_skip_link_moves_focus_to_the_content(phone, shared_live_demo):
    phone.goto(shared_live_demo.url + "/agence-nord/")
    phone.keyboard.press("Tab")
    skip = phone.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    phone.keyboard.press("Enter")
    assert phone.evaluate("location.hash") == "#contenu"


def test_tenant_finds_their_residence_without_javascript(browser, shared_live_demo):
    context = new_context(browser, PHONE, javascript=False)
    page = context.new_page()
    page.goto(shared_live_demo.url + "/")
    page.get_by_label("Trouver ma résidence (nom ou rue)").fill("jean moulin")
    page.locator("form.finder").get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/residences/?q=jean+moulin")
    assert fr("1 résidence pour « jean moulin »") in page.get_by_role("status").inner_text()
    page.get_by_role("link", name="Résidence Jean-Moulin").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Résidence Jean-Moulin"
    assert page.locator("html").get_attribute("lang") == "fr"
    context.close()


def test_admin_login_is_french(phone, shared_live_demo):
    phone.goto(shared_live_demo.url + "/admin/login/")
    assert phone.locator("html").get_attribute("lang") == "fr"
    phone.locator("input[name=username]").fill("admin")
    phone.locator("input[name=password]").fill("demo-trait-d-union")
    phone.locator("button[type=submit]").click()
    phone.wait_for_url("**/admin/")
    assert "Tableau de bord" in phone.content()
