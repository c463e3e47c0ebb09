"""Upload limits in the Wagtail admin: pixel bombs, oversize files, wrong or fake formats are
refused in French, for an administrator and for a mediator, and nothing is stored."""

import html
import io
import json
import re
import warnings

import pytest
from PIL import Image as PILImage

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

Image = get_image_model()
Document = get_document_model()

_bomb = {}


def png(width: int, height: int, trailing: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("1", (width, height), 1).save(buffer, "PNG")
    return buffer.getvalue() + trailing


def bomb() -> bytes:
    """13000 × 10000 = 130 megapixels of one colour: a few kilobytes on disk."""
    if "png" not in _bomb:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            _bomb["png"] = png(13_000, 10_000)
    return _bomb["png"]


@pytest.fixture(params=["admin", "nadia"])
def editor(request, site, client):
    """The demo administrator, then Nadia (mediator, Agence Nord), logged in to the admin."""
    user = get_user_model().objects.get(username=request.param)
    client.force_login(user)
    collection = (
        Collection.objects.get(name="Agence Nord")
        if request.param == "nadia"
        else Collection.get_first_root_node()
    )
    return client, collection


def french(text: str) -> str:
    """What the user reads, checked to be French: none of Wagtail's English wording."""
    assert text.strip(), "no message at all"
    for english in ("This file", "Not a supported", "Not a valid", "Upload a valid", "too big"):
        assert english not in text, text
    return text


def field_errors(response) -> str:
    """The error messages of the admin form, as the user reads them."""
    page = response.content.decode()
    assert 'lang="fr"' in page
    found = re.findall(r'<p class="error-message">\s*(.*?)\s*</p>', page, re.S)
    return french(html.unescape(" | ".join(found)))


def add_image(client, collection, name: str, content: bytes, content_type="image/png"):
    """The admin's single-image form; returns the page as the user reads it."""
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Essai",
            "collection": collection.pk,
            "file": SimpleUploadedFile(name, content, content_type),
        },
    )
    assert response.status_code == 200, response.status_code  # the form again, with its error
    return field_errors(response)


def add_images(client, collection, name: str, content: bytes, content_type="image/png"):
    """The admin's drag-and-drop uploader (one request per file); returns its error message."""
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"collection": collection.pk, "files[]": SimpleUploadedFile(name, content, content_type)},
    )
    assert response.status_code == 200, response.status_code
    answer = json.loads(response.content)
    assert answer["success"] is False, answer
    return french(html.unescape(answer["error_message"]))


@pytest.mark.parametrize("uploader", [add_image, add_images])
def test_a_130_megapixel_image_is_refused(editor, uploader):
    client, collection = editor
    message = uploader(client, collection, "bombe.png", bomb())
    assert "trop grand nombre de pixels (130000000)" in message
    assert "Nombre maximum de pixels 40000000" in message
    assert not Image.objects.filter(title__in=["Essai", "bombe.png", "bombe"]).exists()


@pytest.mark.parametrize(
    ("pillow_limit", "as_error"),
    [(50_000_000, False), (100_000_000, True)],
    ids=["decompression-bomb-error", "decompression-bomb-warning-as-error"],
)
@pytest.mark.parametrize("uploader", [add_image, add_images])
def test_pillow_decompression_bomb_check_gives_the_same_french_refusal(
    editor, uploader, monkeypatch, pillow_limit, as_error
):
    client, collection = editor
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", pillow_limit)
    with warnings.catch_warnings():
        if as_error:
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        message = uploader(client, collection, "bombe.png", bomb())
    assert "trop grand nombre de pixels" in message
    assert not Image.objects.filter(title__in=["Essai", "bombe.png", "bombe"]).exists()


@pytest.mark.parametrize("uploader", [add_image, add_images])
def test_an_image_over_10_mb_is_refused(editor, uploader):
    client, collection = editor
    heavy = png(10, 10, trailing=b"\0" * (10 * 1024 * 1024 + 1))
    message = uploader(client, collection, "lourde.png", heavy)
    assert "Ce fichier est trop gros" in message and "10,0" in message, message
    assert not Image.objects.filter(title__in=["Essai", "lourde.png", "lourde"]).exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        ("page.html", b"<html><script>alert(1)</script></html>", "text/html"),
        ("setup.exe", b"MZ\x90\x00" + b"\0" * 200, "application/octet-stream"),
        ("fausse.png", b"<html><script>alert(1)</script></html>", "image/png"),
        ("fausse.jpg", png(10, 10), "image/jpeg"),  # a PNG pretending to be a JPEG
        ("double.png.html", png(10, 10), "image/png"),
        ("vide.png", b"", "image/png"),
    ],
)
@pytest.mark.parametrize("uploader", [add_image, add_images])
def test_wrong_or_fake_image_formats_are_refused(editor, uploader, name, content, content_type):
    client, collection = editor
    count = Image.objects.count()
    message = uploader(client, collection, name, content, content_type)
    assert any(
        words in message
        for words in (
            "format d’image non supporté",
            "format d'image non supporté",
            "Format d’image non supporté",
            "Format d'image non supporté",
            "image valide",
            "pas une image",
            "n’est pas une image",
            "ne correspond pas",
            "Le fichier soumis est vide",
            "Aucun fichier",
        )
    ), message
    assert Image.objects.count() == count


def test_a_small_valid_image_is_accepted(editor):
    """The limits refuse what they should and nothing more."""
    client, collection = editor
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Affiche",
            "collection": collection.pk,
            "file": SimpleUploadedFile("affiche.png", png(800, 600), "image/png"),
        },
    )
    assert response.status_code == 302
    assert Image.objects.filter(title="Affiche", collection=collection).exists()


def add_document(client, collection, name: str, content: bytes):
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Document",
            "collection": collection.pk,
            "file": SimpleUploadedFile(name, content, "application/octet-stream"),
        },
    )
    assert response.status_code == 200, response.status_code
    return field_errors(response)


def add_documents(client, collection, name: str, content: bytes):
    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {
            "collection": collection.pk,
            "files[]": SimpleUploadedFile(name, content, "application/octet-stream"),
        },
    )
    assert response.status_code == 200, response.status_code
    answer = json.loads(response.content)
    assert answer["success"] is False, answer
    return french(html.unescape(answer["error_message"]))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("page.htm", b"<script>alert(1)</script>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("setup.exe", b"MZ\x90\x00"),
        ("script.js", b"alert(1)"),
        ("compte-rendu.pdf.exe", b"MZ\x90\x00"),
        ("sans-extension", b"%PDF-1.4"),
    ],
)
@pytest.mark.parametrize("uploader", [add_document, add_documents])
def test_documents_with_a_disallowed_extension_are_refused(editor, uploader, name, content):
    client, collection = editor
    count = Document.objects.count()
    message = uploader(client, collection, name, content)
    assert "extension" in message.lower(), message
    assert Document.objects.count() == count


@pytest.mark.parametrize("uploader", [add_document, add_documents])
def test_a_document_over_10_mb_is_refused(editor, uploader):
    client, collection = editor
    count = Document.objects.count()
    message = uploader(client, collection, "gros.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    assert "Ce fichier est trop gros" in message and "10,0" in message, message
    assert Document.objects.count() == count
