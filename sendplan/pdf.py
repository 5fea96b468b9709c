"""HTML to tagged PDF (PDF/UA) with WeasyPrint, reading nothing but our own static files and data: URIs.

A report's HTML holds text people typed. Left to itself WeasyPrint would fetch any URL in it (an image on
another server, a ``file:`` path on the worker), so a report could make the worker call out or read its
own files. ``StaticFilesFetcher`` serves only files the static finders (or STATIC_ROOT, once collected)
hold, and ``data:`` URIs; it refuses everything else, and WeasyPrint leaves what it refused out.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)


def _static_prefix() -> str:
    # STATIC_URL may be relative ("static/"), rooted ("/static/") or on another host; its path is what a
    # report's static URLs start with.
    path = urlsplit(settings.STATIC_URL).path
    return path if path.startswith("/") else f"/{path}"


def static_base_url() -> str:
    """Return the base URL report HTML is rendered against.

    Relative URLs ("css/print.css") and rooted ones ("/static/css/print.css", as {% static %} writes them)
    both resolve into the static namespace under it.
    """
    return f"file://{_static_prefix()}"


def static_file(url: str) -> Path | None:
    """Return the static file a URL in a report names, or None if it names anything else."""
    parts = urlsplit(url)
    static = urlsplit(settings.STATIC_URL)
    ours = (parts.scheme == "file" and parts.netloc in ("", "localhost")) or bool(
        static.scheme and (parts.scheme, parts.netloc) == (static.scheme, static.netloc)
    )
    prefix = _static_prefix()
    if not ours or not parts.path.startswith(prefix):
        return None
    name = unquote(parts.path[len(prefix) :])
    if not name:
        return None
    try:
        found = finders.find(name)  # the source folders: development and tests
        if not found and settings.STATIC_ROOT:  # collected (and hashed) names in production
            found = safe_join(settings.STATIC_ROOT, name)
    except SuspiciousFileOperation:  # "../" or an absolute path out of the static folders
        return None
    path = Path(found) if isinstance(found, str) else None
    return path if path is not None and path.is_file() else None


class StaticFilesFetcher(URLFetcher):
    """Give WeasyPrint our static files and data: URIs, and refuse everything else."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("data",), allow_redirects=False, **kwargs)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            self.served.append(url[:40])
            return super().fetch(url, headers)  # decoded in memory by urllib's data: handler
        path = static_file(url)
        if path is None:
            self.refused.append(url)
            log.warning("A report asked for %s: only static files and data: URIs are read", url[:200])
            raise ValueError(f"Only static files and data: URIs are read, not {url[:200]}")
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


# PDF/UA-1: a tagged PDF (headings, paragraphs, lists, tables with their header cells, figures with the
# alternative text of an <img alt> or an <svg><title>) in reading order, with the document's language
# (<html lang>) and title (<title>), shown as the window title.
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str) -> bytes:
    """Return the tagged PDF of a report's HTML, reading only our static files and data: URIs."""
    document = HTML(string=html, base_url=static_base_url(), url_fetcher=StaticFilesFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)
