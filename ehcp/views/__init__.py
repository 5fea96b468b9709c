"""Views for the SEN register, pupils, graduated-approach cycles and EHC plans.

Pupil records are for the school's SENCO and headteacher only; plans also for LA staff of the school's
LA once submitted to them. Everyone else gets 404 (``conceal``): a governor, or another school, must not
learn that a pupil exists. Every page that shows a pupil's record or plan, and every export, writes
one access event per pupil shown: the actions in sendplan.policy say which, and
``policy.shown`` says whom.
"""

from ehcp.views.documents import (
    plan_document_download,
    plan_document_request,
    plan_document_status,
    plan_documents,
    plan_whole,
    pupil_document_download,
    pupil_document_request,
    pupil_document_status,
    pupil_documents,
)
from ehcp.views.imports import (
    pupil_import,
    pupil_import_columns,
    pupil_import_discard,
    pupil_import_preview,
    pupil_import_template,
)
from ehcp.views.la import (
    la_plan_list,
    plan_comment,
    plan_finalise,
    plan_return,
)
from ehcp.views.legal_holds import legal_hold, legal_holds
from ehcp.views.pipeline import la_pipeline, la_pipeline_csv, la_pipeline_plans, la_pipeline_xlsx
from ehcp.views.plans import (
    item_edit,
    item_remove,
    plan_amend,
    plan_dates,
    plan_detail,
    plan_start,
    plan_submit,
    plan_timeline,
    section_complete,
    section_detail,
    version_export,
    version_list,
)
from ehcp.views.pupils import (
    access_log,
    carer_add,
    carer_remove,
    cycle_add,
    cycle_edit,
    evidence,
    pupil_detail,
    pupil_export,
    pupil_leave,
    pupil_rejoin,
    pupil_remove,
)
from ehcp.views.register import (
    REGISTER_PAGE_SIZE,
    pupil_add,
    pupil_edit,
    register,
    school_deadlines,
)
from ehcp.views.reviews import (
    la_review_list,
    review_attendee_add,
    review_attendee_remove,
    review_dates,
    review_decision,
    review_detail,
    review_meeting,
    review_report,
    review_start,
)

__all__ = [
    "REGISTER_PAGE_SIZE",
    "register",
    "pupil_add",
    "pupil_edit",
    "pupil_import",
    "pupil_import_template",
    "pupil_import_columns",
    "pupil_import_preview",
    "pupil_import_discard",
    "pupil_leave",
    "pupil_rejoin",
    "pupil_remove",
    "legal_holds",
    "legal_hold",
    "school_deadlines",
    "pupil_detail",
    "carer_add",
    "carer_remove",
    "cycle_add",
    "cycle_edit",
    "evidence",
    "access_log",
    "pupil_export",
    "plan_start",
    "plan_detail",
    "section_detail",
    "section_complete",
    "item_edit",
    "item_remove",
    "plan_timeline",
    "plan_dates",
    "plan_submit",
    "plan_amend",
    "version_list",
    "version_export",
    "la_plan_list",
    "la_pipeline",
    "la_pipeline_csv",
    "la_pipeline_xlsx",
    "la_pipeline_plans",
    "plan_return",
    "plan_finalise",
    "plan_comment",
    "plan_whole",
    "plan_documents",
    "plan_document_request",
    "plan_document_status",
    "plan_document_download",
    "pupil_documents",
    "pupil_document_request",
    "pupil_document_status",
    "pupil_document_download",
    "review_start",
    "review_detail",
    "review_dates",
    "review_attendee_add",
    "review_attendee_remove",
    "review_meeting",
    "review_report",
    "review_decision",
    "la_review_list",
]
