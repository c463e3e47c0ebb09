"""The activity report on a mediator's phone: no sideways scroll, the chart and its table."""

import pytest

from .conftest import PHONE, WCAG_TAGS, new_context, sideways_scroll

pytestmark = pytest.mark.browser


def test_report_on_a_phone(browser, live_demo, axe):
    from events.models import Registration

    Registration.objects.update(attended=True)  # the demo's sheets, ticked: a chart to draw
    context = new_context(browser, PHONE)
    page = context.new_page()
    page.goto(live_demo.url + "/admin/login/")
    page.locator("input[name=username]").fill("claire")
    page.locator("input[name=password]").fill("demo-mediation")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto(
        live_demo.url + "/admin/rapport-activite/?secteur=agence-nord&du=2026-10-01&au=2027-03-31"
    )
    assert page.locator("svg.participation-chart").is_visible()
    assert page.locator("svg.participation-chart title").count() == 1
    overflow = sideways_scroll(page)
    assert overflow <= 0
    # Wagtail's layout scrolls inside its own container: no element of ours may go past the
    # screen's right edge either.
    rightmost = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.activity-report *')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert rightmost <= PHONE["width"], rightmost
    # Our part of the page (Wagtail's own chrome is Wagtail's): WCAG 2.1 A/AA.
    results = axe.run(
        page,
        context=".activity-report",
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, results.generate_report()
    context.close()
