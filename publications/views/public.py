"""The public page of a published document, and its PDF and Word file: no sign-in, only through the link.

The link's token is 256 random bits: it cannot be guessed, and no page lists it. Only the version the
school last published is shown; once the school takes it off, the link answers "page not found".
"""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from publications import documents, selectors
from publications.views.documents import _docx_response
from sendplan.policy import performs


def _published(public_token: str):
    publication = selectors.published_by_token(public_token)
    if publication is None:
        raise Http404
    return publication, publication.current_version


@never_cache  # once taken off, the page must not live on in a cache
@performs("public_page")
def public_page(request: HttpRequest, public_token: str) -> HttpResponse:
    """Show the published version of a school's inclusion strategy or SEN information report."""
    publication, version = _published(public_token)
    context = {
        "content": version.content,
        "draft": False,
        "public_token": public_token,
        "has_pdf": selectors.version_pdf(version) is not None,
    }
    response = render(request, "publications/public_page.html", context)
    response["X-Robots-Tag"] = "noindex"  # found through the school's website, not by search engines
    return response


@never_cache
@performs("public_page")
def public_docx(request: HttpRequest, public_token: str) -> HttpResponse:
    """Download the published version as a Word file."""
    publication, version = _published(public_token)
    data = documents.docx_for(version.content, draft=False)
    return _docx_response(data, f"{version.content['title']} - {version.content['school']}")


@never_cache
@performs("public_page")
def public_pdf(request: HttpRequest, public_token: str) -> HttpResponse:
    """Download the PDF of the published version, once the report pipeline has rendered it."""
    publication, version = _published(public_token)
    report = selectors.version_pdf(version)
    if report is None:
        raise Http404
    name = f"{version.content['title']} - {version.content['school']}.pdf".replace("/", "-")
    response = FileResponse(report.file.open("rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
