"""A mediator logs in and finds their sector's day on the dashboard."""

import pytest

from .conftest import DESKTOP, PHONE, new_context, sideways_scroll

pytestmark = pytest.mark.browser


def test_mediator_dashboard(browser, live_demo):
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(live_demo.url + "/admin/login/")
    page.locator("input[name=username]").fill("nadia")
    page.locator("input[name=password]").fill("demo-mediation")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    panel = page.locator("section[aria-labelledby=tableau-mediation]")
    assert "Ma médiation – Agence Nord" in panel.inner_text()
    assert "Prochaines animations" in panel.inner_text()
    assert "Agence Sud" not in panel.inner_text()
    page.get_by_role("link", name="Nouvelle animation").click()
    page.wait_for_url("**/admin/nouvelle-page/events/eventpage/")
    assert "Les Peupliers" not in page.content()
    page.get_by_label("Les Tilleuls").check()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url("**/admin/pages/add/events/eventpage/**")
    assert page.locator("#id_title").is_visible()
    page.goto(live_demo.url + "/admin/users/")
    assert "/admin/users/" not in page.url or "permission" in page.content().lower()
    context.close()


def test_choosing_where_an_event_takes_place_on_a_phone(browser, live_demo):
    """« Où a lieu l'animation ? » at 360 px: no sideways scroll, large touch targets."""
    context = new_context(browser, PHONE)
    page = context.new_page()
    page.goto(live_demo.url + "/admin/login/")
    page.locator("input[name=username]").fill("nadia")
    page.locator("input[name=password]").fill("demo-mediation")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto(live_demo.url + "/admin/nouvelle-page/events/eventpage/")
    overflow = sideways_scroll(page)
    assert overflow <= 0
    rightmost = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.place-choice *')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert rightmost <= PHONE["width"], rightmost
    target = page.locator("label[for^=lieu-]").first.bounding_box()
    assert target["height"] >= 44
    page.get_by_label("Le Clos Fleuri").check()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url("**/admin/pages/add/events/eventpage/**")
    context.close()
