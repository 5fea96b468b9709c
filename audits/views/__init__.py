"""Pages for audits: the school's task list and criteria, evidence, actions, submission; LA review; governors.

Split by noun into modules: the school's pages (``school``), the whole audit on one screen (``rate``),
``evidence``, ``actions``, the local
authority's (``la``) and the governors' (``governors``). Every view is re-exported here, so ``audits/urls.py`` keeps
``views.<name>``.
"""

from audits.views._shared import refuses_locked
from audits.views.actions import action_add, action_edit, action_list, action_remove
from audits.views.evidence import (
    evidence_add,
    evidence_download,
    evidence_edit,
    evidence_list,
    evidence_remove,
)
from audits.views.governors import governor_review
from audits.views.la import (
    la_accept,
    la_audit_list,
    la_comment,
    la_return,
    la_weakest,
    la_weakest_criterion,
    la_weakest_export,
    la_weakest_schools,
)
from audits.views.rate import audit_rate, audit_rate_save, ratings_confirm, ratings_confirm_undo
from audits.views.round import (
    la_round,
    la_round_closing_date,
    la_round_contacts,
    la_round_export_csv,
    la_round_export_xlsx,
    la_round_remind,
)
from audits.views.school import (
    audit_check,
    audit_compare,
    audit_detail,
    audit_export_csv,
    audit_export_xlsx,
    audit_history,
    audit_list,
    audit_start,
    audit_submit,
    audit_summary,
    audit_withdraw,
    rating_save,
    section,
)

__all__ = [
    "action_add",
    "action_edit",
    "action_list",
    "action_remove",
    "audit_check",
    "audit_compare",
    "audit_detail",
    "audit_export_csv",
    "audit_export_xlsx",
    "audit_history",
    "audit_list",
    "audit_rate",
    "audit_rate_save",
    "audit_start",
    "audit_submit",
    "audit_summary",
    "audit_withdraw",
    "evidence_add",
    "evidence_download",
    "evidence_edit",
    "evidence_list",
    "evidence_remove",
    "governor_review",
    "la_accept",
    "la_audit_list",
    "la_round",
    "la_round_closing_date",
    "la_round_contacts",
    "la_round_export_csv",
    "la_round_export_xlsx",
    "la_round_remind",
    "la_comment",
    "la_return",
    "la_weakest",
    "la_weakest_criterion",
    "la_weakest_export",
    "la_weakest_schools",
    "refuses_locked",
    "rating_save",
    "ratings_confirm",
    "ratings_confirm_undo",
    "section",
]
