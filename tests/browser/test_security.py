"""Public pages under the real Content-Security-Policy: our own script file runs, nothing else."""

import pytest

from .conftest import PHONE, new_context

pytestmark = pytest.mark.browser


def test_the_copy_button_works_under_the_policy(browser, shared_live_demo):
    context = new_context(browser, PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(shared_live_demo.url + "/agence-nord/les-tilleuls/")
    page.get_by_text("S'abonner au calendrier").click()
    button = page.get_by_role("button", name="Copier le lien")
    button.click()
    status = page.get_by_role("status").first
    status.wait_for()
    assert "copié" in status.inner_text() or "sélectionné" in status.inner_text()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("/calendrier/residence/les-tilleuls.ics")
    context.close()


def test_without_javascript_the_copy_button_stays_hidden(browser, shared_live_demo):
    context = new_context(browser, PHONE, javascript=False)
    page = context.new_page()
    page.goto(shared_live_demo.url + "/agence-nord/les-tilleuls/")
    page.get_by_text("S'abonner au calendrier").click()
    assert page.get_by_role("button", name="Copier le lien").count() == 0
    assert page.get_by_label("Ou copiez ce lien").input_value().endswith("les-tilleuls.ics")
    context.close()


def test_an_inline_script_is_refused(browser, shared_live_demo):
    """The policy is really enforced: a script injected into the page does not run."""
    from .conftest import CSP_VIOLATIONS

    context = new_context(browser, PHONE)
    page = context.new_page()
    page.goto(shared_live_demo.url + "/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("window.injected === undefined")
    assert any("Content Security Policy" in line for line in CSP_VIOLATIONS)
    CSP_VIOLATIONS.clear()  # expected here
    context.close()
