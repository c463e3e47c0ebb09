"""Hostile input on every public form, query string and URL: a French message or a 4xx, never a
500, never reflected unescaped, and nothing stored half-way."""

import html
import re
from urllib.parse import quote

import pytest

from events.models import EventPage, ManageLink, Occurrence, Registration, SeatCounter
from events.registrations.forms import SignupForm
from tests.french import fr
from tests.security.conftest import new_address

# PostgreSQL refuses NUL characters that SQLite stores: the engine decides what each payload does.
pytestmark = pytest.mark.engine

SAFE_STATUSES = {200, 301, 302, 304, 400, 404, 405, 429}
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# Django's own messages in English: none may reach a tenant.
ENGLISH = (
    "Enter a",
    "Ensure this",
    "Select a valid",
    "This field is",
    "Null characters",
    "is not a valid",
)

# Typed by a person (percent-encoded before sending).
TEXT_PAYLOADS = {
    "script": SCRIPT,
    "img-onerror": IMG,
    "sql-or": "' OR 1=1 --",
    "sql-drop": "1; DROP TABLE events_registration",
    "10kB": "x" * 10_000,
    "1MB": "y" * 1_000_000,
    "null-byte": "a\x00b",
    "only-null": "\x00",
    "controls": "\x01\x1b[31m\x7f",
    "crlf-header": "Awa\r\nBcc: evil@example.com",
    "rtl-override": "\u202eevil",
    "emoji": "🎉",
    "huge-int": "99999999999999999999",
    "huge-negative": "-99999999999999999999",
    "negative": "-5",
    "zero": "0",
    "float": "1e308",
    "date-year-0": "0000-01-01",
    "date-year-99999": "99999-12-31",
    "date-max": "9999-12-31",
    "date-min": "0001-01-01",
    "date-fr-max": "31/12/9999",
    "month-odd": "9999-99",
    "path-traversal": "../../etc/passwd",
    "blank": "   ",
}
# Bytes as they come over the wire, never decoded by a browser: invalid UTF-8 and null bytes.
RAW_PAYLOADS = {
    "pct-FFFE": "%FF%FE",
    "pct-overlong-slash": "%C0%AF",
    "pct-null": "%00",
    "pct-surrogate": "%ED%A0%80",
    "pct-broken": "%E2%82",
    "pct-bad-escape": "%zz%",
    "raw-bytes": "\xff\xfe\xc0\xaf",  # latin-1 text in QUERY_STRING = these raw bytes
}


def encoded_values(name: str):
    """(payload id, `name=value` as sent) for every payload, repeated keys and arrays included."""
    for key, value in TEXT_PAYLOADS.items():
        yield key, f"{name}={quote(value, safe='')}"
    for key, raw in RAW_PAYLOADS.items():
        yield key, f"{name}={raw}"
    yield "repeated", f"{name}=a&{name}=b&{name}={quote(SCRIPT)}"
    yield "array", f"{name}[]=a&{name}[0]=b&{name}[x][y]={quote(SCRIPT)}"
    yield "bare-key", name
    yield "no-key", f"={quote(SCRIPT)}"


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def problems_in(response, where: str) -> list[str]:
    problems = []
    if response.status_code not in SAFE_STATUSES:
        problems.append(f"{where}: status {response.status_code}")
    body = body_of(response)
    if SCRIPT in body or "<img src=x onerror" in body:
        problems.append(f"{where}: payload reflected unescaped")
    if "text/html" in response.get("Content-Type", ""):
        for english in ENGLISH:
            if english in body:
                problems.append(f"{where}: English message {english!r}")
    return problems


def fetch(client, method: str, path: str, query: str = "", **extra):
    """One request; an exception in a view (what would be a 500) becomes a reported problem.
    A bytes body goes through `generic`: `post` would re-encode it for the declared charset."""
    try:
        if isinstance(extra.get("data"), bytes):
            response = client.generic(
                method.upper(), path, QUERY_STRING=query, REMOTE_ADDR=new_address(), **extra
            )
        else:
            response = getattr(client, method)(
                path, QUERY_STRING=query, REMOTE_ADDR=new_address(), **extra
            )
    except Exception as error:  # noqa: BLE001 - the test client re-raises what would be a 500
        return None, [f"{method.upper()} {path}?{query[:80]}: {type(error).__name__}: {error}"]
    return response, problems_in(response, f"{method.upper()} {path}?{query[:80]}")


# Every public page or view that reads the query string, with the names it reads.
QUERY_ENDPOINTS = [
    (
        "/agenda/",
        ["secteur", "residence", "categorie", "public", "periode", "du", "au", "page"],
    ),
    ("/actualites/", ["residence", "secteur", "categorie", "page"]),
    ("/residences/", ["q"]),
    ("/recherche/", ["q", "page"]),
    ("/calendrier/evenements.ics", ["secteur", "residence", "categorie"]),
    ("/calendrier/permanences.ics", ["secteur"]),
    ("/calendrier/residence/les-tilleuls.ics", ["x"]),
    ("/calendrier/secteur/agence-nord.ics", ["x"]),
    ("/calendrier/mediateur/nadia-benali.ics", ["x"]),
    ("/calendrier/aide/", ["flux"]),
    ("/permanences/imprimer/les-tilleuls/", ["mois"]),
    ("/mediateurs/nadia-benali/", ["x"]),
    ("/flux/actualites.xml", ["x"]),
    ("/", ["q", "page"]),
    ("/agence-nord/les-tilleuls/", ["q"]),
    ("/agence-nord/les-tilleuls/atelier-tricot/", ["page"]),
]


@pytest.mark.parametrize(
    ("path", "name"),
    [(path, name) for path, names in QUERY_ENDPOINTS for name in names],
)
def test_query_strings_never_fail_nor_reflect(site, client, path, name):
    problems = []
    for payload, query in encoded_values(name):
        response, found = fetch(client, "get", path, query)
        problems += [f"[{payload}] {problem}" for problem in found]
    assert not problems, "\n".join(problems)


def test_all_agenda_filters_hostile_at_once(site, client):
    query = "&".join(
        f"{name}={quote(IMG)}"
        for name in ("secteur", "residence", "categorie", "public", "periode", "du", "au", "page")
    )
    response, problems = fetch(client, "get", "/agenda/", query)
    assert not problems, problems
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "query", "field", "message"),
    [
        ("/agenda/", "du=" + quote(SCRIPT), "du", "Saisissez une date valide."),
        ("/agenda/", "au=99999-12-31", "au", "Saisissez une date valide."),
        ("/agenda/", "du=2030-05-02&au=2030-05-01", "au", "La date de fin doit être"),
        ("/agenda/", "du=0001-01-01", "du", "Choisissez une date entre 2000 et 2100."),
        ("/agenda/", "au=9999-12-31", "au", "Choisissez une date entre 2000 et 2100."),
        ("/agenda/", "au=31%2F12%2F9999", "au", "Choisissez une date entre 2000 et 2100."),
        ("/agenda/", "secteur=" + quote(IMG), "secteur", "Sélectionnez un choix valide."),
        ("/agenda/", "residence=%FF%FE", "residence", "Sélectionnez un choix valide."),
        ("/agenda/", "public=%00", "public", "Sélectionnez un choix valide."),
        ("/actualites/", "categorie=" + quote(SCRIPT), "categorie", "Sélectionnez un choix"),
        ("/actualites/", "secteur=1%3B+DROP+TABLE", "secteur", "Sélectionnez un choix valide."),
    ],
)
def test_filter_errors_are_french_and_shown_at_the_field(site, client, path, query, field, message):
    response, problems = fetch(client, "get", path, query)
    assert not problems, problems
    assert response.status_code == 200
    page = html.unescape(body_of(response))
    assert message in page
    if path == "/agenda/":
        shown = re.search(rf'id="id_{field}-erreur">([^<]*)<', body_of(response))
        assert shown and message in html.unescape(shown.group(1)), field


def test_huge_page_numbers_give_the_last_page(site, client):
    for path in ("/agenda/", "/actualites/", "/recherche/?q=a"):
        base, _, query = path.partition("?")
        for page in ("99999999999999999999", "-99999999999999999999", "1e308", "NaN", "0"):
            response, problems = fetch(
                client, "get", base, "&".join(filter(None, [query, f"page={page}"]))
            )
            assert not problems, problems
            assert response.status_code in (200, 429)


# URL kwargs: slugs with odd characters, huge ids, invalid UTF-8 in the path.
HOSTILE_PATHS = [
    "/inscription/date/99999999999999999999/",
    "/inscription/date/9223372036854775808/",
    "/inscription/date/0/",
    "/inscription/date/-1/",
    "/inscription/date/%FF%FE/",
    "/inscription/gerer/%FF%FE/",
    "/inscription/gerer/%00/",
    "/inscription/gerer/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
    "/inscription/gerer/" + "a" * 10_000 + "/",
    "/calendrier/date/99999999999999999999.ics",
    "/calendrier/date/9223372036854775808.ics",
    "/calendrier/evenement/99999999999999999999.ics",
    "/calendrier/evenement/0.ics",
    "/calendrier/residence/%FF%FE.ics",
    "/calendrier/residence/les-tilleuls%00.ics",
    "/calendrier/residence/%C0%AF.ics",
    "/calendrier/residence/%3Cscript%3E/permanences.ics",
    "/calendrier/secteur/%27%20OR%201%3D1%20--.ics",
    "/calendrier/secteur/" + "x" * 10_000 + ".ics",
    "/calendrier/mediateur/..%2F..%2Fetc%2Fpasswd.ics",
    "/mediateurs/%FF%FE/",
    "/mediateurs/nadia-benali%00/",
    "/mediateurs/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
    "/permanences/imprimer/%00/",
    "/permanences/imprimer/%ED%A0%80/",
    "/permanences/imprimer/" + "x" * 10_000 + "/",
    "/agence-nord/%FF%FE/",
    "/agence-nord/les-tilleuls/%00/",
    "/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
    "/agenda/99999999999999999999/",
    "/documents/99999999999999999999/x.pdf",
    "/flux/residence/%FF%FE.xml",
    "/flux/residence/%00.xml",
]


def test_hostile_paths_are_404_not_500(site, client):
    problems = []
    for path in HOSTILE_PATHS:
        for method in ("get", "head", "post"):
            response, found = fetch(client, method, path)
            problems += found
            if response is not None and response.status_code not in (400, 403, 404, 405):
                problems.append(f"{method} {path[:80]}: {response.status_code}, not a 4xx")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the sign-up form


@pytest.fixture
def goûter(site):
    """The demo's neighbours' snack: sign-ups open, capacity 40, every optional question asked."""
    EventPage.objects.filter(slug="gouter-des-voisins").update(
        ask_allergies=True, ask_mobility=True
    )
    return (
        Occurrence.objects.events()
        .filter(page__slug="gouter-des-voisins")
        .upcoming()
        .order_by("start")
        .first()
    )


_emails = iter(range(1, 1_000_000))


def signup_fields(**overrides) -> dict[str, str]:
    fields = {
        "first_name": "Awa",
        "adults": "1",
        "children": "1",
        "residence": "",
        "building": "",
        "email": f"personne{next(_emails)}@example.fr",
        "phone": "",
        "sms": "",
        "allergies": "",
        "mobility": "",
        "consent": "on",
        "website": "",
    }
    fields.update(overrides)
    return fields


def encode_form(fields: dict[str, str], hostile: str = "") -> bytes:
    """A urlencoded body; `hostile` is appended as is (raw or percent-encoded bytes)."""
    body = "&".join(f"{name}={quote(value, safe='')}" for name, value in fields.items())
    return (body + ("&" + hostile if hostile else "")).encode("latin-1")


def snapshot(occurrence) -> tuple:
    """Everything a refused request must leave unchanged."""
    return (
        sorted(
            Registration.objects.filter(occurrence=occurrence).values_list(
                "pk", "status", "adults", "children", "seats", "first_name", "email"
            )
        ),
        SeatCounter.objects.filter(occurrence=occurrence).values_list("seats_taken", "capacity")[0],
        ManageLink.objects.count(),
    )


def assert_counter_matches(occurrence):
    confirmed = Registration.objects.filter(occurrence=occurrence, status="confirmed")
    counter = SeatCounter.objects.get(occurrence=occurrence)
    assert counter.seats_taken == sum(r.seats for r in confirmed)
    assert counter.capacity is None or counter.seats_taken <= counter.capacity


def field_errors(body: str, field: str) -> list[str]:
    return [
        html.unescape(text)
        for text in re.findall(rf'<p class="field__error" id="id_{field}-erreur">([^<]*)</p>', body)
    ]


def post_hostile(client, url: str, fields: dict, hostile, payload: str):
    """POST the fields and the hostile pair, raw-encoded: (response, None), or (None, what
    would have been a 500)."""
    try:
        response = client.post(
            url,
            encode_form(fields, hostile),
            content_type="application/x-www-form-urlencoded",
            REMOTE_ADDR=new_address(),
        )
    except Exception as error:  # noqa: BLE001 - what would be a 500
        return None, f"[{payload}] {type(error).__name__}: {error}"
    return response, None


SIGNUP_FIELDS = list(SignupForm.base_fields)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202e]")


@pytest.mark.parametrize("field", SIGNUP_FIELDS)
def test_signup_refuses_in_french_or_stores_clean_text(goûter, client, mailoutbox, field, settings):
    url = f"/inscription/date/{goûter.pk}/"
    problems = []
    for payload, hostile in encoded_values(field):
        fields = signup_fields()
        del fields[field]
        before = snapshot(goûter)
        sent = len(mailoutbox)
        response, crash = post_hostile(client, url, fields, hostile, payload)
        if crash:
            problems.append(crash)
            continue
        problems += [f"[{payload}] {p}" for p in problems_in(response, f"POST {field}")]
        body = body_of(response)
        if response.status_code == 302:
            registration = Registration.objects.filter(occurrence=goûter).latest("pk")
            for name in ("first_name", "allergies", "mobility", "email", "phone"):
                value = getattr(registration, name)
                multiline = name in ("allergies", "mobility")
                if CONTROL.search(value) or (not multiline and "\n" in value):
                    problems.append(f"[{payload}] {name} stored with control characters")
            manage = client.get(response["Location"], REMOTE_ADDR=new_address())
            problems += problems_in(manage, f"[{payload}] manage page")
            for message in mailoutbox[sent:]:
                for content, _type in message.alternatives:
                    if SCRIPT in content or "<img src=x onerror" in content:
                        problems.append(f"[{payload}] payload unescaped in the e-mail")
                if "evil@example.com" in str(message.message()).split("\n\n")[0]:
                    problems.append(f"[{payload}] header injected")
        elif response.status_code == 200:
            form = response.context["form"]
            if not form.errors:
                problems.append(f"[{payload}] refused without a message")
            for name, messages in form.errors.items():
                if name != "__all__" and name != field:
                    problems.append(f"[{payload}] error on another field: {name}")
                for message in messages:
                    if fr(message) not in html.unescape(body):
                        problems.append(f"[{payload}] message not shown: {message}")
                if name == field and not field_errors(body, field):
                    problems.append(f"[{payload}] no message at the field")
            if snapshot(goûter) != before:
                problems.append(f"[{payload}] refused, yet something was stored")
        else:
            if snapshot(goûter) != before:
                problems.append(f"[{payload}] {response.status_code}, yet something was stored")
        assert_counter_matches(goûter)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"adults": "99999999999999999999"}, "adults", "inférieure ou égale à 10"),
        ({"adults": "-99999999999999999999"}, "adults", "supérieure ou égale à 0"),
        ({"children": "1e308"}, "children", "Saisissez un nombre entier."),
        ({"residence": "99999999999999999999"}, "residence", "Sélectionnez un choix valide"),
        ({"building": "-1"}, "building", "Sélectionnez un choix valide"),
        ({"first_name": "\u202e"}, "first_name", "Indiquez votre prénom."),
        ({"first_name": "x" * 1_000_000}, "first_name", "au plus 60 caractères"),
        ({"allergies": "x" * 10_000}, "allergies", "au plus 300 caractères"),
        ({"email": "a@example.fr\r\nBcc: evil@example.com"}, "email", "adresse e-mail valide"),
        ({"email": "a@example.fr\x00"}, "email", "caractère nul"),
        ({"email": "x" * 10_000 + "@example.fr"}, "email", "au plus 254 caractères"),
        ({"phone": "' OR 1=1 --", "email": ""}, "phone", "numéro de téléphone n'est pas valide"),
    ],
)
def test_signup_errors_are_french_at_the_field(goûter, client, overrides, field, message):
    before = snapshot(goûter)
    response = client.post(
        f"/inscription/date/{goûter.pk}/", signup_fields(**overrides), REMOTE_ADDR=new_address()
    )
    assert response.status_code == 200
    assert any(message in error for error in field_errors(body_of(response), field)), field_errors(
        body_of(response), field
    )
    assert snapshot(goûter) == before


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"first_name": "<script>alert(1)</script>", "adults": 1}'),
        ("text/plain", b"first_name=Awa&adults=1&email=a@example.fr&consent=on"),
        ("application/xml", b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY y 'z'>]><x>&y;</x>"),
        ("multipart/form-data; boundary=zzz", b"--zzz\r\nbroken"),
        ("multipart/form-data", b"no boundary at all"),
        ("application/x-www-form-urlencoded; charset=utf-16", b"\xff\xfef\x00=\x00"),
        ("application/x-www-form-urlencoded; charset=nope", b"first_name=Awa"),
        ("application/x-www-form-urlencoded", b"\xff\xfe\x00" * 1000),
        ("application/x-www-form-urlencoded", b"a=" + b"b" * 3_000_000),  # over 2.5 MB
        ("application/x-www-form-urlencoded", b"&".join([b"x=1"] * 20_000)),  # too many fields
    ],
)
def test_signup_with_wrong_content_types_stores_nothing(goûter, client, content_type, body):
    before = snapshot(goûter)
    response, problems = fetch(
        client, "post", f"/inscription/date/{goûter.pk}/", data=body, content_type=content_type
    )
    assert not problems, problems
    assert snapshot(goûter) == before


def test_a_multipart_file_instead_of_a_name_stores_nothing(goûter, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = snapshot(goûter)
    fields = signup_fields()
    fields["first_name"] = SimpleUploadedFile("x.html", SCRIPT.encode(), "text/html")
    response, problems = fetch(client, "post", f"/inscription/date/{goûter.pk}/", data=fields)
    assert not problems, problems
    assert response.status_code == 200
    assert "Indiquez votre prénom" in html.unescape(body_of(response)) or field_errors(
        body_of(response), "first_name"
    )
    assert snapshot(goûter) == before


def test_crlf_cannot_inject_a_mail_header(goûter, client, mailoutbox):
    refused = client.post(
        f"/inscription/date/{goûter.pk}/",
        signup_fields(email="awa@example.fr\r\nBcc: evil@example.com"),
        REMOTE_ADDR=new_address(),
    )
    assert refused.status_code == 200
    assert field_errors(body_of(refused), "email") == [
        "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."
    ]
    assert not mailoutbox

    accepted = client.post(
        f"/inscription/date/{goûter.pk}/",
        signup_fields(
            first_name="Awa\r\nBcc: evil@example.com\r\nSubject: gagné",
            email="awa@example.fr\r\n",  # trailing whitespace is stripped, nothing else
        ),
        REMOTE_ADDR=new_address(),
    )
    assert accepted.status_code == 302
    registration = Registration.objects.filter(occurrence=goûter).latest("pk")
    assert "\r" not in registration.first_name and "\n" not in registration.first_name
    assert registration.email == "awa@example.fr"
    [mail] = mailoutbox
    assert mail.to == ["awa@example.fr"] and not mail.bcc and not mail.cc
    headers = mail.message().as_bytes().split(b"\n\n", 1)[0].decode()
    assert "evil@example.com" not in headers
    assert "gagné" not in headers and "\nBcc:" not in headers
    assert mail.recipients() == ["awa@example.fr"]


def test_tenant_html_is_never_rendered_as_html(goûter, client, mailoutbox):
    response = client.post(
        f"/inscription/date/{goûter.pk}/",
        signup_fields(first_name=IMG[:60], allergies=SCRIPT, mobility=IMG),
        REMOTE_ADDR=new_address(),
    )
    assert response.status_code == 302
    page = body_of(client.get(response["Location"], REMOTE_ADDR=new_address()))
    assert "<img src=x" not in page and SCRIPT not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    [mail] = mailoutbox
    [(html_body, _type)] = mail.alternatives
    assert "<img src=x" not in html_body and "&lt;img src=x onerror=alert(1)&gt;" in html_body


# ---------------------------------------------------------------- the private manage page


@pytest.fixture
def managed(goûter, client):
    """A confirmed registration of 1 adult and 1 child, and its private manage URL."""
    response = client.post(
        f"/inscription/date/{goûter.pk}/", signup_fields(), REMOTE_ADDR=new_address()
    )
    assert response.status_code == 302
    return Registration.objects.filter(occurrence=goûter).latest("pk"), response["Location"].split(
        "?"
    )[0]


@pytest.mark.parametrize("name", ["adults", "children", "action"])
def test_manage_refuses_hostile_changes_and_changes_nothing(
    goûter, managed, client, mailoutbox, name
):
    registration, url = managed
    problems = []
    for payload, hostile in encoded_values(name):
        fields = {"action": "modifier", "adults": "1", "children": "1"}
        del fields[name]
        before = snapshot(goûter)
        response, crash = post_hostile(client, url, fields, hostile, payload)
        if crash:
            problems.append(crash)
            continue
        problems += [f"[{payload}] {p}" for p in problems_in(response, f"POST manage {name}")]
        after = snapshot(goûter)
        if response.status_code == 302:
            # accepted: only a valid party size (a hostile "action" never does anything)
            registration.refresh_from_db()
            if name == "action" or registration.status != "confirmed":
                problems.append(f"[{payload}] accepted {name}")
        elif after != before:
            problems.append(f"[{payload}] refused, yet something changed")
        elif name != "action" and response.status_code == 200:
            body = body_of(response)
            if not re.search(r'<p class="field__error">[^<]+</p>', body):
                problems.append(f"[{payload}] no French message at the field")
        elif name == "action" and "Action inconnue." not in body_of(response):
            problems.append(f"[{payload}] unknown action without a message")
        assert_counter_matches(goûter)
    assert not problems, "\n".join(problems)


def test_manage_get_with_hostile_query_strings(goûter, managed, client):
    _registration, url = managed
    problems = []
    for name in ("nouvelle", "action"):
        for payload, query in encoded_values(name):
            problems += [f"[{payload}] {p}" for p in fetch(client, "get", url, query)[1]]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"action": "supprimer"}'),
        ("text/plain", b"action=supprimer"),
        ("multipart/form-data; boundary=zzz", b"--zzz\r\nbroken"),
        ("application/x-www-form-urlencoded", b"action=annuler\xff\xfe"),
        ("application/x-www-form-urlencoded", b"action=supprimer%00"),
        ("application/x-www-form-urlencoded", b"action[]=supprimer"),
        ("application/x-www-form-urlencoded", b"a=" + b"b" * 3_000_000),
    ],
)
def test_manage_with_wrong_content_types_changes_nothing(
    goûter, managed, client, content_type, body
):
    _registration, url = managed
    before = snapshot(goûter)
    response, problems = fetch(client, "post", url, data=body, content_type=content_type)
    assert not problems, problems
    assert snapshot(goûter) == before


def test_cancel_twice_delete_then_the_link_is_dead(goûter, managed, client):
    registration, url = managed
    for action in ("annuler_confirme", "annuler_confirme", "annuler", "modifier"):
        response, problems = fetch(
            client,
            "post",
            url,
            data={"action": action, "adults": "2", "children": "0"},
        )
        assert not problems, problems
        assert_counter_matches(goûter)
    registration.refresh_from_db()
    assert (registration.status, registration.adults) == ("cancelled", 1)
    response, problems = fetch(client, "post", url, data={"action": "supprimer"})
    assert not problems and response.status_code == 200
    for method in ("get", "post"):
        response, problems = fetch(client, method, url, data={"action": "supprimer"})
        assert not problems and response.status_code == 404
    assert_counter_matches(goûter)


@pytest.mark.parametrize(
    "header",
    ["HTTP_IF_NONE_MATCH", "HTTP_X_FORWARDED_FOR", "HTTP_ACCEPT_LANGUAGE", "HTTP_COOKIE"],
)
def test_hostile_headers(site, client, header):
    problems = []
    for value in (SCRIPT, "x" * 100_000, "\xff\xfe", '"' * 1000 + ",", "a\x00b"):
        for path in ("/calendrier/evenements.ics", "/agenda/", f"/inscription/date/{0}/"):
            problems += fetch(client, "get", path, **{header: value})[1]
    assert not problems, "\n".join(problems)
