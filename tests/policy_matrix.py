"""The expected permissions, written by hand from the README's rules — never derived from the code.

Each line is one action of ``sendplan.policy``, and what each persona must get when they try it on a row
of school A in LA X (the rows tests/url_samples.py builds: an audit and a plan already submitted to LA X,
a published framework version of LA X, a report, a pupil):

    A  allowed      F  403 (the role may never)      N  404 (hidden: another school or LA, or pupil
    L  sent to sign in                                   data the role may not know exists)

For an action on no particular row (a list, adding something), people act within their own school or LA,
so school B's SENCO and LA Y's staff get what their counterparts at school A and LA X get ("twins").

Documents: a governor may have the school's reports but never an EHC plan document or a pupil's pack;
LA staff may have the plan as a document once the school has handed the plan to them (and see only the
documents their own LA asked for); a pupil's packs are for the SENCO and headteacher only.

Everyone signed in reads their own notifications and chooses how they are emailed (issue 14); those
pages reach no row by URL: the one notification marked read is posted, and another person's gets 404.

The README's rules, in short: the SENCO and headteacher write their school's audits and keep pupil data
(nobody else sees pupils), but never set a legal hold (issue 12: the DPO's or the LA's control; the LA
admin sets it on records of plans handed to the LA); governors read their school's audits and reports, see evidence only when it is
shared with them, and record the board's review; LA officers and admins read what their schools have
submitted, comment on it, return or accept it, and see submitted EHC plans; LA admins also add schools,
invite LA staff and school leaders, and upload and publish frameworks; the headteacher invites the
school's staff and governors; published frameworks are readable by every member.
"""

PERSONAS = (
    "senco_a",
    "headteacher_a",
    "governor_a",
    "senco_b",
    "la_officer_x",
    "la_admin_x",
    "la_officer_y",
    "la_admin_y",
    "anonymous",
)

# The persona at school A or LA X whose role each outsider shares.
TWINS = {"senco_b": "senco_a", "la_officer_y": "la_officer_x", "la_admin_y": "la_admin_x"}

# fmt: off
MATRIX = {
    #                        sA hA gA sB oX aX oY aY anon
    "public_page":          "A  A  A  A  A  A  A  A  A",
    "organisation_choose":  "A  A  A  A  A  A  A  A  L",
    "session_extend":       "A  A  A  A  A  A  A  A  L",
    "home":                 "A  A  A  A  A  A  A  A  L",
    "school_view":          "F  F  F  F  A  A  N  N  L",
    "school_add":           "F  F  F  F  F  A  F  A  L",
    "school_edit":          "F  F  F  F  F  A  F  N  L",
    "people_view":          "F  A  F  F  F  A  F  A  L",
    "person_invite":        "F  A  F  F  F  A  F  A  L",
    "membership_remove":    "F  A  F  F  F  A  F  N  L",
    "report_view":          "A  A  A  N  F  F  F  F  L",
    "report_request":       "A  A  A  A  F  F  F  F  L",
    # The LA summary report is the LA's own document: its officers and admins ask for it and download
    # it; schools never; LA Y's staff never see LA X's.
    "la_report_view":       "F  F  F  F  A  A  N  N  L",
    "la_report_request":    "F  F  F  F  A  A  N  N  L",
    "framework_view":       "A  A  A  A  A  A  A  A  L",
    "framework_upload":     "F  F  F  F  F  A  F  N  L",  # an upload of LA Y's admin's own LA only
    "framework_manage":     "F  F  F  F  F  A  F  N  L",
    "audit_list":           "A  A  A  A  F  F  F  F  L",
    "audit_start":          "A  A  A  A  F  F  F  F  L",
    "audit_view":           "A  A  A  N  A  A  N  N  L",
    "audit_edit":           "A  A  F  N  F  F  F  F  L",
    "audit_submit":         "A  A  F  N  F  F  F  F  L",
    "audit_compare":        "A  A  A  N  F  F  F  F  L",
    "audit_export":         "A  A  A  N  A  A  N  N  L",
    "evidence_view":        "A  A  A  N  A  A  N  N  L",
    "board_review_record":  "F  F  A  F  F  F  F  F  L",
    "audit_la_list":        "F  F  F  F  A  A  A  A  L",
    "audit_comment":        "F  F  F  F  A  A  N  N  L",
    "audit_decide":         "F  F  F  F  A  A  N  N  L",
    # The audit round (issue 13): LA staff see every school of their own LA, submitted or not, and remind
    # those that have not submitted; schools never see it.
    "audit_round_view":     "F  F  F  F  A  A  A  A  L",
    "audit_round_remind":   "F  F  F  F  A  A  A  A  L",
    "audit_round_schedule": "F  F  F  F  A  A  A  A  L",  # the round's closing date, for the LA's own schools
    "register_view":        "A  A  N  A  N  N  N  N  L",
    "pupil_add":            "A  A  N  A  N  N  N  N  L",
    "pupil_import":         "A  A  N  N  N  N  N  N  L",
    "pupil_import_review":  "A  A  N  N  N  N  N  N  L",
    "pupil_view":           "A  A  N  N  N  N  N  N  L",
    "pupil_edit":           "A  A  N  N  N  N  N  N  L",
    "pupil_remove":         "A  A  N  N  N  N  N  N  L",
    "pupil_legal_hold":     "N  N  N  N  N  A  N  N  L",
    "pupil_export":         "A  A  N  N  N  N  N  N  L",
    "pupil_document":       "A  A  N  N  N  N  N  N  L",
    "plan_view":            "A  A  N  N  A  A  N  N  L",
    "plan_edit":            "A  A  N  N  N  N  N  N  L",
    "plan_submit":          "A  A  N  N  N  N  N  N  L",
    "plan_export":          "A  A  N  N  A  A  N  N  L",
    "plan_document":        "A  A  N  N  A  A  N  N  L",
    "plan_la_list":         "N  N  N  N  A  A  A  A  L",
    # The EHC plan pipeline (issue 13): the LA's figures over the plans its schools handed to it; school
    # roles must not learn of plans this way (hidden, as plan lists are).
    "plan_pipeline":        "N  N  N  N  A  A  N  N  L",
    "plan_comment":         "N  N  N  N  A  A  N  N  L",
    "plan_decide":          "N  N  N  N  A  A  N  N  L",
    # Public documents (issue 11): the school's SENCO and head write and publish; the whole school reads
    # its drafts; only governors record the board's approval; LA staff list what their schools have
    # published (never a draft). The public page itself is "public_page", for anyone with its link.
    "publication_view":     "A  A  A  N  F  F  F  F  L",
    "publication_edit":     "A  A  F  N  F  F  F  F  L",
    "publication_publish":  "A  A  F  N  F  F  F  F  L",
    "publication_approve":  "F  F  A  F  F  F  F  F  L",
    "publication_la_list":  "F  F  F  F  A  A  A  A  L",
    "notification_view":    "A  A  A  A  A  A  A  A  L",
    "notification_settings": "A  A  A  A  A  A  A  A  L",
    # The school holds the annual review; LA X sees it once the report is sent to it, and decides.
    "review_view":          "A  A  N  N  A  A  N  N  L",
    "review_edit":          "A  A  N  N  N  N  N  N  L",
    "review_decide":        "N  N  N  N  A  A  N  N  L",
}
# fmt: on

# The same actions on an audit of a framework the governing board rates (the governance health check): a
# governor rates it, submits it and sees all its evidence, shared or not; school staff may help; the LA
# reads it once it is handed over. The sample is school A's health check, submitted to LA X. A governor
# starts only such audits (MATRIX above says "A": on no row, they may start one).
# fmt: off
BOARD_MATRIX = {
    #                        sA hA gA sB oX aX oY aY anon
    "audit_view":           "A  A  A  N  A  A  N  N  L",
    "audit_edit":           "A  A  A  N  F  F  F  F  L",
    "audit_submit":         "A  A  A  N  F  F  F  F  L",
    "audit_compare":        "A  A  A  N  F  F  F  F  L",
    "audit_export":         "A  A  A  N  A  A  N  N  L",
    "evidence_view":        "A  A  A  N  A  A  N  N  L",
    "board_review_record":  "F  F  A  F  F  F  F  F  L",
    "audit_comment":        "F  F  F  F  A  A  N  N  L",
    "audit_decide":         "F  F  F  F  A  A  N  N  L",
}
# fmt: on

# Every URL of ours and the action it performs, by hand: a view that changed its declared action would
# change what people may do, so the walk checks each view's declaration against this too.
URL_ACTIONS = {
    "home": "home",
    "choose_organisation": "organisation_choose",
    "session_extend": "session_extend",
    "healthz": "public_page",
    "accessibility": "public_page",
    "privacy": "public_page",
    "invitation_accept": "public_page",
    "sendplan:school_add": "school_add",
    "sendplan:school_detail": "school_view",
    "sendplan:school_edit": "school_edit",
    "sendplan:people": "people_view",
    "sendplan:invite": "person_invite",
    "sendplan:membership_remove": "membership_remove",
    "sendplan:report_list": "report_view",
    "sendplan:report_request": "report_request",
    "sendplan:report_status": "report_view",
    "sendplan:report_download": "report_view",
    "sendplan:la_report_list": "la_report_view",
    "sendplan:la_report_request": "la_report_request",
    "sendplan:la_report_status": "la_report_view",
    "sendplan:la_report_download": "la_report_view",
    "standards:framework_list": "framework_view",
    "standards:framework_upload": "framework_upload",
    "standards:spreadsheet_upload": "framework_upload",
    "standards:spreadsheet_template": "framework_upload",
    "standards:spreadsheet_columns": "framework_upload",
    "standards:spreadsheet_check": "framework_upload",
    "standards:spreadsheet_discard": "framework_upload",
    "standards:framework_detail": "framework_view",
    "standards:version_compare": "framework_view",
    "standards:version_detail": "framework_view",
    "standards:version_export": "framework_view",
    "standards:version_review": "framework_manage",
    "standards:version_publish": "framework_manage",
    "standards:version_retire": "framework_manage",
    "standards:version_delete": "framework_manage",
    "standards:criterion_detail": "framework_view",
    "audits:audit_list": "audit_list",
    "audits:audit_start": "audit_start",
    "audits:la_audit_list": "audit_la_list",
    "audits:la_weakest": "audit_la_list",
    "audits:la_round": "audit_round_view",
    "audits:la_round_export_csv": "audit_round_view",
    "audits:la_round_export_xlsx": "audit_round_view",
    "audits:la_round_remind": "audit_round_remind",
    "audits:la_round_contacts": "audit_round_remind",
    "audits:la_round_closing_date": "audit_round_schedule",
    "audits:la_weakest_criterion": "audit_la_list",
    "audits:la_weakest_schools": "audit_la_list",
    "audits:la_weakest_csv": "audit_la_list",
    "audits:la_weakest_xlsx": "audit_la_list",
    "audits:audit_detail": "audit_view",
    "audits:section": "audit_view",
    "audits:rating_save": "audit_edit",
    "audits:audit_rate": "audit_view",
    "audits:audit_rate_save": "audit_edit",
    "audits:ratings_confirm": "audit_edit",
    "audits:ratings_confirm_undo": "audit_edit",
    "audits:audit_summary": "audit_view",
    "audits:audit_check": "audit_submit",
    "audits:audit_submit": "audit_submit",
    "audits:audit_withdraw": "audit_submit",
    "audits:audit_history": "audit_view",
    "audits:audit_compare": "audit_compare",
    "audits:evidence_list": "audit_view",
    "audits:evidence_add": "audit_edit",
    "audits:evidence_edit": "audit_edit",
    "audits:evidence_remove": "audit_edit",
    "audits:evidence_download": "evidence_view",
    "audits:action_list": "audit_view",
    "audits:action_add": "audit_edit",
    "audits:action_edit": "audit_edit",
    "audits:action_remove": "audit_edit",
    "audits:audit_export_csv": "audit_export",
    "audits:audit_export_xlsx": "audit_export",
    "audits:la_comment": "audit_comment",
    "audits:la_return": "audit_decide",
    "audits:la_accept": "audit_decide",
    "audits:governor_review": "board_review_record",
    "ehcp:register": "register_view",
    "ehcp:pupil_add": "pupil_add",
    "ehcp:pupil_import": "pupil_import",
    "ehcp:pupil_import_template": "pupil_import",
    "ehcp:pupil_import_columns": "pupil_import",
    "ehcp:pupil_import_discard": "pupil_import",
    "ehcp:pupil_import_preview": "pupil_import_review",
    "ehcp:pupil_leave": "pupil_edit",
    "ehcp:pupil_rejoin": "pupil_edit",
    "ehcp:pupil_remove": "pupil_remove",
    "ehcp:legal_holds": "pupil_legal_hold",
    "ehcp:legal_hold": "pupil_legal_hold",
    "ehcp:school_deadlines": "register_view",
    "ehcp:pupil_detail": "pupil_view",
    "ehcp:pupil_edit": "pupil_edit",
    "ehcp:carer_add": "pupil_edit",
    "ehcp:carer_remove": "pupil_edit",
    "ehcp:cycle_add": "pupil_edit",
    "ehcp:cycle_edit": "pupil_edit",
    "ehcp:evidence": "pupil_view",
    "ehcp:access_log": "pupil_view",
    "ehcp:pupil_export": "pupil_export",
    "ehcp:plan_start": "pupil_edit",
    "ehcp:la_plan_list": "plan_la_list",
    "ehcp:la_pipeline": "plan_pipeline",
    "ehcp:la_pipeline_csv": "plan_pipeline",
    "ehcp:la_pipeline_xlsx": "plan_pipeline",
    "ehcp:la_pipeline_plans": "plan_la_list",
    "ehcp:plan_detail": "plan_view",
    "ehcp:plan_timeline": "plan_view",
    "ehcp:plan_dates": "plan_edit",
    "ehcp:plan_submit": "plan_submit",
    "ehcp:plan_amend": "plan_edit",
    "ehcp:plan_return": "plan_decide",
    "ehcp:plan_finalise": "plan_decide",
    "ehcp:plan_comment": "plan_comment",
    "ehcp:version_list": "plan_view",
    "ehcp:version_export": "plan_export",
    "ehcp:section_detail": "plan_view",
    "ehcp:section_complete": "plan_edit",
    "ehcp:item_edit": "plan_edit",
    "ehcp:item_remove": "plan_edit",
    "ehcp:plan_whole": "plan_view",
    "ehcp:plan_documents": "plan_view",
    "ehcp:plan_document_request": "plan_document",
    "ehcp:plan_document_status": "plan_document",
    "ehcp:plan_document_download": "plan_export",
    "ehcp:pupil_documents": "pupil_view",
    "ehcp:pupil_document_request": "pupil_document",
    "ehcp:pupil_document_status": "pupil_document",
    "ehcp:pupil_document_download": "pupil_export",
    "publications:publication_list": "publication_view",
    "publications:la_list": "publication_la_list",
    "publications:strategy_start": "publication_edit",
    "publications:report_start": "publication_edit",
    "publications:publication_detail": "publication_view",
    "publications:cover_edit": "publication_edit",
    "publications:publication_check": "publication_view",
    "publications:publication_preview": "publication_view",
    "publications:publication_docx": "publication_view",
    "publications:publication_pdf": "publication_view",
    "publications:publication_publish": "publication_publish",
    "publications:publication_unpublish": "publication_publish",
    "publications:board_approval": "publication_approve",
    "publications:statement_edit": "publication_edit",
    "publications:barrier_list": "publication_edit",
    "publications:barrier_suggestion": "publication_edit",
    "publications:barrier_edit": "publication_edit",
    "publications:barrier_remove": "publication_edit",
    "publications:activity_list": "publication_edit",
    "publications:activity_add": "publication_edit",
    "publications:activity_edit": "publication_edit",
    "publications:activity_remove": "publication_edit",
    "publications:activity_from_action": "publication_edit",
    "publications:outcome_list": "publication_edit",
    "publications:outcome_add": "publication_edit",
    "publications:outcome_edit": "publication_edit",
    "publications:outcome_review": "publication_edit",
    "publications:outcome_remove": "publication_edit",
    "publications:section_edit": "publication_edit",
    "publications:section_suggestion": "publication_edit",
    "publications:public_page": "public_page",
    "publications:public_docx": "public_page",
    "publications:public_pdf": "public_page",
    "notifications:notification_list": "notification_view",
    "notifications:mark_read": "notification_view",
    "notifications:preferences": "notification_settings",
    "ehcp:review_start": "review_edit",
    "ehcp:la_review_list": "plan_la_list",
    "ehcp:review_detail": "review_view",
    "ehcp:review_dates": "review_edit",
    "ehcp:review_attendee_add": "review_edit",
    "ehcp:review_attendee_remove": "review_edit",
    "ehcp:review_meeting": "review_edit",
    "ehcp:review_report": "review_edit",
    "ehcp:review_decision": "review_decide",
}


def expected(action: str, persona: str, *, on_row: bool = True, board: bool = False) -> str:
    """Return A, F, N or L for the persona trying the action (on school A's row, or on no row).

    With ``board``, on school A's audit of a framework the governing board rates (BOARD_MATRIX).
    """
    if not on_row and persona in TWINS:
        persona = TWINS[persona]
    return (BOARD_MATRIX if board else MATRIX)[action].split()[PERSONAS.index(persona)]
