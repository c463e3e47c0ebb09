"""Our upload settings, as a mediator meets them in the admin: the pixel and size limits, the
allowed image and document extensions, refusals in French, and nothing stored.

Wagtail's own validation (fake formats, Pillow's decompression-bomb handling, both uploaders)
is Wagtail's to test; here each case proves one of our settings is in force.
"""

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
# Wagtail opens the 130-megapixel test image before refusing it: Pillow warns, as it should.
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")

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


@pytest.fixture
def editor(site, client):
    """Nadia, mediator of Agence Nord, logged in to the admin, uploading to her collection."""
    client.force_login(get_user_model().objects.get(username="nadia"))
    return client, Collection.objects.get(name="Agence Nord")


def french(text: str) -> str:
    """What the user reads, checked to be French: none of Wagtail's English wording."""
    assert text.strip(), "no message at all"
    for english in ("This file", "Not a supported", "Not a valid", "Upload a valid", "too big"):
        assert english not in text, text
    return text


def field_errors(response) -> str:
    """The error messages of the admin form, as the user reads them."""
    assert response.status_code == 200, response.status_code  # the form again, with its error
    page = response.content.decode()
    assert 'lang="fr"' in page
    found = re.findall(r'<p class="error-message">\s*(.*?)\s*</p>', page, re.S)
    return french(html.unescape(" | ".join(found)))


def post_image(client, collection, name: str, content: bytes, content_type="image/png"):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Essai",
            "collection": collection.pk,
            "file": SimpleUploadedFile(name, content, content_type),
        },
    )


def test_an_image_over_our_40_megapixel_limit_is_refused(editor):
    """130 megapixels: above WAGTAILIMAGES_MAX_IMAGE_PIXELS, below what Pillow itself refuses."""
    client, collection = editor
    message = field_errors(post_image(client, collection, "bombe.png", bomb()))
    assert "trop grand nombre de pixels (130000000)" in message
    assert "Nombre maximum de pixels 40000000" in message
    assert not Image.objects.filter(title="Essai").exists()


def test_the_drag_and_drop_uploader_applies_the_same_pixel_limit(editor):
    client, collection = editor
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"collection": collection.pk, "files[]": SimpleUploadedFile("b.png", bomb(), "image/png")},
    )
    answer = json.loads(response.content)
    assert answer["success"] is False, answer
    assert "Nombre maximum de pixels 40000000" in french(html.unescape(answer["error_message"]))
    assert not Image.objects.filter(title__in=["b.png", "b"]).exists()


def test_an_image_over_our_10_mb_limit_is_refused(editor):
    client, collection = editor
    heavy = png(10, 10, trailing=b"\0" * (10 * 1024 * 1024 + 1))
    message = field_errors(post_image(client, collection, "lourde.png", heavy))
    assert "Ce fichier est trop gros" in message and "10,0" in message, message
    assert not Image.objects.filter(title="Essai").exists()


def test_svg_is_not_among_our_image_formats(editor):
    """An SVG can carry script: WAGTAILIMAGES_EXTENSIONS leaves it out."""
    client, collection = editor
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    message = field_errors(post_image(client, collection, "logo.svg", svg, "image/svg+xml"))
    assert message == "Format d'image non supporté. Formats supportés : JPG, JPEG, PNG, WEBP."
    assert not Image.objects.filter(title="Essai").exists()


@pytest.mark.parametrize(("name", "fmt"), [("affiche.png", "PNG"), ("affiche.webp", "WEBP")])
def test_a_valid_image_in_our_formats_is_accepted(editor, name, fmt):
    """The limits refuse what they should and nothing more: WebP is one of our formats."""
    client, collection = editor
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 600), "white").save(buffer, fmt)
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Affiche",
            "collection": collection.pk,
            "file": SimpleUploadedFile(name, buffer.getvalue(), f"image/{fmt.lower()}"),
        },
    )
    assert response.status_code == 302
    assert Image.objects.filter(title="Affiche", collection=collection).exists()


def post_document(client, collection, name: str, content: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Document",
            "collection": collection.pk,
            "file": SimpleUploadedFile(name, content, "application/octet-stream"),
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("compte-rendu.pdf.exe", b"MZ\x90\x00"),
    ],
)
def test_documents_outside_our_extensions_are_refused(editor, name, content):
    client, collection = editor
    count = Document.objects.count()
    message = field_errors(post_document(client, collection, name, content))
    assert "extension" in message.lower(), message
    assert Document.objects.count() == count


def test_a_document_over_our_10_mb_limit_is_refused(editor):
    client, collection = editor
    count = Document.objects.count()
    content = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
    message = field_errors(post_document(client, collection, "gros.pdf", content))
    assert "Ce fichier est trop gros" in message and "10,0" in message, message
    assert Document.objects.count() == count


def test_a_document_in_our_extensions_is_accepted(editor):
    client, collection = editor
    response = post_document(client, collection, "reglement.pdf", b"%PDF-1.4\n%%EOF\n")
    assert response.status_code == 302
    assert Document.objects.filter(title="Document", collection=collection).exists()
