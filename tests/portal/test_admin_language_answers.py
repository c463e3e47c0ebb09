"""What our admin views answer to a form sent empty or with bad values — field errors, refusals,
flash messages after the redirect — holds no French word for a user who chose English.

The GET sweep (`test_admin_language_sweep.py`) reads each page as it opens; this one sends each
of them a POST, empty and then with hostile values, follows the redirect and reads the answer.
Its own demo: the POSTs may change data the other sweep reads.
"""

import pytest

from django.urls import reverse

from tests.portal.test_admin_language_sweep import (
    ALLOWED,
    FRENCH,
    TENANT_FACING,
    arguments,
    our_admin_urls,
    speaking,
    user_content,
    words_of,
)

pytestmark = pytest.mark.usefixtures("shared_demo")

HOSTILE = {
    "action": "inconnue",
    "registration": "999999",
    "first_name": "<b>x</b>",
    "adults": "-1",
    "children": "abc",
    "du": "zz",
    "au": "31/02/2026",
    "date": "1900-01-01",
    "reference": "zz",
    "subject": "",
    "body": "",
}


@pytest.mark.parametrize("username", ["nadia", "admin"])
def test_our_admin_answers_in_english(client, username):
    client = speaking(client, username, "en")
    content = user_content()
    found, answered = {}, 0
    for name, params in our_admin_urls():
        if name in TENANT_FACING:
            continue
        url = reverse(name, kwargs=arguments(name, params))
        for data in ({}, HOSTILE):
            response = client.post(url, data, follow=True)
            if not response["Content-Type"].startswith("text/html"):
                continue
            answered += 1
            bad = words_of(response, content) & FRENCH - ALLOWED
            if bad:
                found.setdefault(url, set()).update(bad)
    assert answered >= 20, f"only {answered} answers read: the sweep checks too little"
    assert found == {}, sorted((url, sorted(words)) for url, words in found.items())
