"""The no-break spaces of French punctuation, set on the HTML of public pages only."""

import pytest

from portal.typography import NARROW, NO_BREAK, set_html


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Adresse : 3 rue</p>", f"<p>Adresse{NO_BREAK}: 3 rue</p>"),
        (
            "Vous venez ? Oui ! Bien ; merci",
            f"Vous venez{NARROW}? Oui{NARROW}! Bien{NARROW}; merci",
        ),
        ("Vraiment ?!", f"Vraiment{NARROW}?!"),
        ("<b>Attention</b> !", f"<b>Attention</b>{NARROW}!"),
        ("« Café »", f"«{NO_BREAK}Café{NO_BREAK}»"),
        ("Heure :<br>", f"Heure{NO_BREAK}:<br>"),
    ],
)
def test_spaces_of_french_punctuation_become_unbreakable(html, expected):
    assert set_html(html) == expected


@pytest.mark.parametrize(
    "html",
    [
        "De 14:30 à 16:00, voir /recherche/?q=a ou ?q",  # times, URLs: no space to keep
        '<a title="Adresse : 3 rue" href="/a/?b=c">x</a>',  # attributes untouched
        "<script>a ? b : c;</script>",
        "<style>a :hover { }</style>",
        "<pre>a ; b</pre><code>x ? y</code><textarea>z !</textarea>",
        "<!-- a ? b -->",
        "Bonjour!",  # no space was there: none is added
    ],
)
def test_code_attributes_and_urls_are_left_alone(html):
    assert set_html(html) == html
