"""What every publication page uses: who the person is to the document, and the base context."""

from django.http import HttpRequest
from django.utils import timezone

from publications.models import Publication
from sendplan.models import Role
from sendplan.policy import allows


def this_year() -> str:
    """Return the academic year that today falls in (from August), like "2026/27"."""
    today = timezone.localdate()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def base_context(request: HttpRequest, publication: Publication) -> dict:
    version = publication.current_version
    return {
        "publication": publication,
        "can_edit": allows(request.membership, "publication_edit"),
        "can_publish": allows(request.membership, "publication_publish"),
        "is_governor": request.membership.role == Role.GOVERNOR,
        # The public page is behind the draft: the school changed it after it last published.
        "behind_draft": version is not None and publication.updated_at > version.published_at,
    }
