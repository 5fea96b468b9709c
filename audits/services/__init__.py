"""Writes for audits: start, rate, evidence, actions, submit, LA decisions, governor reviews, carry forward.

Every write records an AuditEvent here (never in signals), so the history page shows who changed what.

Split by noun into modules: the audit's life (``audits``), ratings (``ratings``), ``evidence``,
``actions``, ``reviews`` (LA comments, governor review) and the domain ``errors``. Everything public is
re-exported here, so ``from audits import services`` and ``services.<name>`` keep working.
"""

from audits.services.actions import action_create, action_remove, action_update
from audits.services.audits import (
    audit_accept,
    audit_carry_forward,
    audit_reopen,
    audit_return,
    audit_start,
    audit_submit,
)
from audits.services.errors import (
    ActionInvalid,
    AuditAlreadyOpen,
    AuditAlreadySubmitted,
    AuditIncomplete,
    AuditLocked,
    AuditWrongState,
    CarryForwardNotPossible,
    EvidenceRejected,
    InvalidResponse,
    NothingToConfirm,
    RatingsNotSaved,
    StaleResponse,
)
from audits.services.evidence import evidence_add, evidence_remove, evidence_update
from audits.services.ratings import (
    Answer,
    rating_record,
    ratings_confirm,
    ratings_confirm_undo,
    ratings_record,
    scale_values,
)
from audits.services.reviews import governor_review_record, la_comment_add
from audits.services.rounds import Reminded, round_closing_date_set, round_remind
from sendplan.services import DomainError

__all__ = [
    "ActionInvalid",
    "Answer",
    "AuditAlreadyOpen",
    "AuditAlreadySubmitted",
    "AuditIncomplete",
    "AuditLocked",
    "AuditWrongState",
    "CarryForwardNotPossible",
    "DomainError",
    "EvidenceRejected",
    "InvalidResponse",
    "NothingToConfirm",
    "RatingsNotSaved",
    "Reminded",
    "StaleResponse",
    "action_create",
    "action_remove",
    "action_update",
    "audit_accept",
    "audit_carry_forward",
    "audit_reopen",
    "audit_return",
    "audit_start",
    "audit_submit",
    "evidence_add",
    "evidence_remove",
    "evidence_update",
    "governor_review_record",
    "la_comment_add",
    "rating_record",
    "ratings_confirm",
    "ratings_confirm_undo",
    "ratings_record",
    "round_closing_date_set",
    "round_remind",
    "scale_values",
]
