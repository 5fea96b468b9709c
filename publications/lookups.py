"""Find one publication (or one of its rows) a membership may act on, or raise 404."""

from django.http import Http404

from publications.models import Activity, Barrier, Outcome, Publication
from sendplan.models import Membership
from sendplan.policy import get_or_404


def publication_for(
    membership: Membership, publication_id, *, action: str = "publication_view", kind: str | None = None
) -> Publication:
    """Return a publication the membership may take the action on (of the kind, if given), or raise 404."""
    publication = get_or_404(
        Publication.objects.select_related(
            "school__local_authority", "current_version", "principles_version"
        ),
        membership,
        action,
        public_id=publication_id,
    )
    if kind is not None and publication.kind != kind:
        raise Http404
    return publication


def strategy_for(membership: Membership, strategy_id, *, action: str = "publication_edit") -> Publication:
    return publication_for(membership, strategy_id, action=action, kind=Publication.Kind.STRATEGY)


def sen_report_for(membership: Membership, sen_report_id, *, action: str = "publication_edit") -> Publication:
    return publication_for(membership, sen_report_id, action=action, kind=Publication.Kind.SEN_REPORT)


def _row(model, publication: Publication, row_id):
    row = (
        model.objects.filter(publication=publication, public_id=row_id).select_related("publication").first()
    )
    if row is None:
        raise Http404
    return row


def barrier_for(publication: Publication, barrier_id) -> Barrier:
    return _row(Barrier, publication, barrier_id)


def activity_for(publication: Publication, activity_id) -> Activity:
    return _row(Activity, publication, activity_id)


def outcome_for(publication: Publication, outcome_id) -> Outcome:
    return _row(Outcome, publication, outcome_id)
