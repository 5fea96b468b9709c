"""Pages for the school's public documents.

Split by noun: whole documents (``documents``), writing a strategy (``strategy``), writing an SEN
information report (``report``) and the public page (``public``). Every view is re-exported here.
"""

from publications.views.documents import (
    board_approval,
    cover_edit,
    la_list,
    publication_check,
    publication_detail,
    publication_docx,
    publication_list,
    publication_pdf,
    publication_preview,
    publication_publish,
    publication_unpublish,
    report_start,
    strategy_start,
)
from publications.views.public import public_docx, public_page, public_pdf
from publications.views.report import section_edit, section_suggestion
from publications.views.strategy import (
    activity_add,
    activity_edit,
    activity_from_action,
    activity_list,
    activity_remove,
    barrier_edit,
    barrier_list,
    barrier_remove,
    barrier_suggestion,
    outcome_add,
    outcome_edit,
    outcome_list,
    outcome_remove,
    outcome_review,
    statement_edit,
)

__all__ = [
    "activity_add",
    "activity_edit",
    "activity_from_action",
    "activity_list",
    "activity_remove",
    "barrier_edit",
    "barrier_list",
    "barrier_remove",
    "barrier_suggestion",
    "board_approval",
    "cover_edit",
    "la_list",
    "outcome_add",
    "outcome_edit",
    "outcome_list",
    "outcome_remove",
    "outcome_review",
    "public_docx",
    "public_page",
    "public_pdf",
    "publication_check",
    "publication_detail",
    "publication_docx",
    "publication_list",
    "publication_pdf",
    "publication_preview",
    "publication_publish",
    "publication_unpublish",
    "report_start",
    "section_edit",
    "section_suggestion",
    "statement_edit",
    "strategy_start",
]
