"""PDFs made on the server from the print templates (#20): the poster, the hall programme, the
sign-in sheet and the permanence schedule, from the same HTML and print CSS as the browser uses.

WeasyPrint needs system libraries (Pango, HarfBuzz, fontconfig: see the README). Where they are
missing, importing it raises OSError; that is found at the first use and remembered, and the
print pages then say « Le PDF n'est pas disponible sur ce serveur : imprimez la page depuis votre
navigateur » instead of their PDF link; printing from the browser still works.

Nothing is fetched from the network: the URL fetcher given to WeasyPrint serves our static files
from disk and `data:` URIs, and refuses everything else.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header

from portal import throttle
from portal.typography import set_html, typeset

logger = logging.getLogger(__name__)

# The query parameter that asks a print page for its PDF: « ?pdf=1 ».
PDF_PARAMETER = "pdf"

_engine: dict[str, Any] = {}


def _weasyprint():
    """The WeasyPrint module, or None when it or its system libraries cannot be loaded.

    Tried once per process: a missing Pango does not appear while the process runs.
    """
    if "module" not in _engine:
        try:
            import weasyprint
        except (ImportError, OSError) as error:  # OSError: cffi could not open libpango…
            logger.warning("PDF disabled: WeasyPrint cannot load (%s)", type(error).__name__)
            _engine["module"] = None
        else:
            _engine["module"] = weasyprint
    return _engine["module"]


def pdf_available() -> bool:
    return _weasyprint() is not None


def forget_engine() -> None:
    """Look for WeasyPrint again at the next use (tests that simulate a missing library)."""
    _engine.clear()


def static_file(url: str, base_url: str) -> Path | None:
    """The file on disk behind one of our static URLs, or None for any other URL."""
    prefix = urljoin(base_url, settings.STATIC_URL)
    if not url.startswith(prefix):
        return None
    name = unquote(urlsplit(url[len(prefix) :]).path)
    name = posixpath.normpath(name).lstrip("/")
    if not name or name == "." or name.startswith("../"):
        return None
    try:
        # The apps' static folders first (the source), then the collected files: in production
        # `{% static %}` names the hashed copies that only STATIC_ROOT holds.
        found = finders.find(name)
        if isinstance(found, str):
            return Path(found)
        if settings.STATIC_ROOT and staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    return None


def url_fetcher(base_url: str):
    """A WeasyPrint URL fetcher that reads our static files from disk and decodes `data:` URIs;
    any other URL (another site, a file elsewhere, our own pages) is refused."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)  # urllib's DataHandler: no network
            path = static_file(url, base_url)
            if path is None:
                raise ValueError(f"Not one of our static files, not fetched: {url[:200]}")
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": mime_type}
            )

    return StaticFilesOnly()


def render_pdf(
    request: HttpRequest, template: str, context: dict[str, Any], filename: str
) -> HttpResponse:
    """The print template as a PDF download; where WeasyPrint cannot run, the print page itself
    (status 503) saying so in French (`print/includes/pdf_link.html`), ready for the browser."""
    weasyprint = _weasyprint()
    if weasyprint is not None:
        html = set_html(render_to_string(template, {**context, "as_pdf": True}, request=request))
        base_url = request.build_absolute_uri("/")
        try:
            document = weasyprint.HTML(
                string=html, base_url=base_url, url_fetcher=url_fetcher(base_url)
            ).write_pdf()
        except OSError as error:  # a library that failed only when first used
            logger.warning("PDF disabled: WeasyPrint failed (%s)", type(error).__name__)
            _engine["module"] = None
        else:
            return HttpResponse(
                document,
                content_type="application/pdf",
                headers={"Content-Disposition": content_disposition_header(True, filename)},
            )
    context = {**context, "pdf_url": "", "pdf_unavailable": True}
    return typeset_later(TemplateResponse(request, template, context, status=503))


def wants_pdf(request: HttpRequest) -> bool:
    return request.GET.get(PDF_PARAMETER) == "1"


def pdf_url(request: HttpRequest) -> str:
    """This page's address with « pdf=1 » added (its other parameters kept)."""
    query = request.GET.copy()
    query[PDF_PARAMETER] = "1"
    return f"{request.path}?{query.urlencode()}"


# Public print pages (no login): a PDF costs a fraction of a second of CPU, so each address may
# ask for so many per window; a mediator printing a whole sector stays well below.
PUBLIC_PDF_LIMIT = 30
PUBLIC_PDF_WINDOW = 600


def printable(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    filename: str,
    *,
    public: bool = False,
) -> HttpResponse:
    """A print page for the browser, or its PDF when asked with « ?pdf=1 ».

    The page gets `pdf_url` for its « Télécharger le PDF » link, or `pdf_unavailable` where this
    server cannot make PDFs. `public` pages limit the PDFs made per client address.
    """
    if wants_pdf(request):
        if public and not throttle.allow("pdf", request, PUBLIC_PDF_LIMIT, PUBLIC_PDF_WINDOW):
            return throttle.too_many_requests(request, retry_after=PUBLIC_PDF_WINDOW)
        return render_pdf(request, template, context, filename)
    available = pdf_available()
    context = {
        **context,
        "pdf_url": pdf_url(request) if available else "",
        "pdf_unavailable": not available,
    }
    return typeset_later(TemplateResponse(request, template, context))


def typeset_later(response: TemplateResponse) -> TemplateResponse:
    """Printed matter is read by tenants in the hall: French typography, under /admin/ too."""
    response.add_post_render_callback(typeset)
    return response
