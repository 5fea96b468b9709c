"""Find one framework, version or criterion a membership may act on, or raise 404."""

from sendplan.models import Membership
from sendplan.policy import get_or_404
from standards.models import Criterion, Framework, FrameworkUpload, FrameworkVersion


def framework_for(membership: Membership, public_id, *, action: str = "framework_view") -> Framework:
    return get_or_404(
        Framework.objects.select_related("local_authority"), membership, action, public_id=public_id
    )


def version_for(membership: Membership, public_id, *, action: str = "framework_view") -> FrameworkVersion:
    """Return a version the membership may read (or, with action "framework_manage", change), else 404."""
    return get_or_404(
        FrameworkVersion.objects.select_related("framework__local_authority", "previous", "scale"),
        membership,
        action,
        public_id=public_id,
    )


def criterion_for(membership: Membership, public_id) -> Criterion:
    return get_or_404(
        Criterion.objects.select_related("version__framework", "section"),
        membership,
        "framework_view",
        public_id=public_id,
    )


def upload_for(membership: Membership, public_id) -> FrameworkUpload:
    """Return a spreadsheet upload of the membership's LA, or raise 404."""
    return get_or_404(
        FrameworkUpload.objects.select_related("version"), membership, "framework_upload", public_id=public_id
    )
