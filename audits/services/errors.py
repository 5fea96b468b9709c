"""The domain errors that audit services raise; views turn them into messages."""

from audits.models import Audit, Rating
from sendplan.services import DomainError


class AuditAlreadyOpen(DomainError):
    pass


class AuditLocked(DomainError):
    """The audit is with the local authority (or accepted), so the school cannot change it."""

    def __init__(self, audit: Audit, message: str | None = None):
        self.audit = audit
        super().__init__(
            message
            or (
                "This audit has been accepted by the local authority and can no longer be changed."
                if audit.status == Audit.Status.ACCEPTED
                else "This audit has been submitted to the local authority, so it cannot be changed now."
            )
        )


class AuditAlreadySubmitted(DomainError):
    pass


class AuditIncomplete(DomainError):
    pass


class AuditWrongState(DomainError):
    pass


class InvalidResponse(DomainError):
    pass


class StaleResponse(DomainError):
    """Someone saved the criterion since the form was loaded; ``current`` is what they saved."""

    def __init__(self, current: Rating):
        self.current = current
        super().__init__(
            "Someone else changed this criterion since you opened it. Their version is shown below; "
            "your changes have not been saved. Check both, then save again."
        )


class RatingsNotSaved(DomainError):
    """A save of many ratings found problems (``errors``) or newer saves (``conflicts``); none was saved."""

    def __init__(self, *, errors: dict[str, str], conflicts: dict[str, Rating]):
        self.errors, self.conflicts = errors, conflicts
        super().__init__("No ratings were saved: check the criteria marked below, then save again.")


class NothingToConfirm(DomainError):
    pass


class EvidenceRejected(DomainError):
    pass


class ActionInvalid(DomainError):
    pass


class CarryForwardNotPossible(DomainError):
    pass
