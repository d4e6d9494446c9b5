"""Every change of an appeal's state: one function per action, citing the article it enforces.
Pages, the API and the workers call these; nothing else writes an appeal."""

from appeals.services.answer import (
    allowed_answer_languages,
    answer_language_for,
    current_letter,
    decide_appeal,
    letter_download_name,
    record_personal_answer,
    reopen_appeal,
    send_answer,
    sent_letter,
)
from appeals.services.assignment import assign_appeal, assignable_executors, send_to_office
from appeals.services.deadlines import (
    appoint_check,
    complete_check,
    extend_appeal_term,
    record_extension_told,
)
from appeals.services.files import attach_files
from appeals.services.intake import (
    ApplicantData,
    confirm_online_filing,
    public_due_date,
    register_appeal,
    register_from_api,
    send_filing_code_again,
    start_online_filing,
    status_for,
)
from appeals.services.triage import (
    close_anonymous,
    decide_restore,
    mark_procedural,
    proceed_anonymous,
    record_ground,
    redirect_appeal,
    terminate_repeated,
)

__all__ = [
    "ApplicantData",
    "allowed_answer_languages",
    "answer_language_for",
    "appoint_check",
    "assign_appeal",
    "assignable_executors",
    "attach_files",
    "close_anonymous",
    "complete_check",
    "confirm_online_filing",
    "current_letter",
    "decide_appeal",
    "decide_restore",
    "extend_appeal_term",
    "letter_download_name",
    "mark_procedural",
    "proceed_anonymous",
    "public_due_date",
    "record_extension_told",
    "record_ground",
    "record_personal_answer",
    "redirect_appeal",
    "register_appeal",
    "register_from_api",
    "reopen_appeal",
    "send_answer",
    "send_filing_code_again",
    "send_to_office",
    "sent_letter",
    "start_online_filing",
    "status_for",
    "terminate_repeated",
]
