"""Who may sign which act, who is a head or a superior, the article and the clock of each kind
(Art. 32-43); read by acts/services/ and acts/selectors.py."""

from django.contrib.auth.models import User

from acts.models import Act, ActKind
from prosecution.models import LEADERSHIP_POSITIONS, OfficeKind, Position, TermKind
from prosecution.offices import access
from supervision.rules import APPOINTING_OFFICE_KINDS, GPO_APPOINTING_POSITIONS

# Art. 33-39, 41: "the prosecutor" brings acts of supervision and response: any prosecutor, from
# the Prosecutor General to a prosecutor of a district office; not reception officers, legal
# statistics officers or clerks.
PROSECUTOR_POSITIONS = (
    Position.PROSECUTOR_GENERAL,
    Position.FIRST_DEPUTY,
    Position.DEPUTY,
    Position.HEAD,
    Position.DEPUTY_HEAD,
    Position.SENIOR_PROSECUTOR,
    Position.PROSECUTOR,
)

# Art. 40 (a public appeal) and Art. 33(5) (suspending a protested act): the Prosecutor General and
# the deputies, the heads of the military and transport offices, regional, district and equated
# prosecutors: the same heads, of the same offices, as appoint checks (Art. 18(1),
# supervision/rules.py).
HEAD_POSITIONS = (
    Position.PROSECUTOR_GENERAL,
    Position.FIRST_DEPUTY,
    Position.DEPUTY,
    Position.HEAD,
)
HEAD_OFFICE_KINDS = APPOINTING_OFFICE_KINDS
GPO_HEAD_POSITIONS = GPO_APPOINTING_POSITIONS

# Art. 32(1)(3): orders, internal resolutions and instructions are the leadership's.
ORGANISATIONAL_POSITIONS = LEADERSHIP_POSITIONS

# Who may sign each kind, and the article that says so.
SIGNING: dict[str, tuple[tuple[str, ...], str]] = {
    ActKind.PROTEST: (PROSECUTOR_POSITIONS, "Art. 33(1)"),
    ActKind.SANCTION: (PROSECUTOR_POSITIONS, "Art. 34(2)"),
    ActKind.INSTRUCTION: (PROSECUTOR_POSITIONS, "Art. 35(1)"),
    ActKind.SUBMISSION: (PROSECUTOR_POSITIONS, "Art. 36(1)"),
    ActKind.RESOLUTION: (PROSECUTOR_POSITIONS, "Art. 37(1)"),
    ActKind.PETITION: (PROSECUTOR_POSITIONS, "Art. 38"),
    ActKind.CLAIM: (PROSECUTOR_POSITIONS, "Art. 39(1)"),
    ActKind.PUBLIC_APPEAL: (HEAD_POSITIONS, "Art. 40"),
    ActKind.WARNING: (PROSECUTOR_POSITIONS, "Art. 41"),
    ActKind.ORDER: (ORGANISATIONAL_POSITIONS, "Art. 32(1)(3)"),
    ActKind.INTERNAL_RESOLUTION: (ORGANISATIONAL_POSITIONS, "Art. 32(1)(3)"),
    ActKind.INTERNAL_INSTRUCTION: (ORGANISATIONAL_POSITIONS, "Art. 32(1)(3)"),
}

# Kinds signed only by the heads of Art. 40 in the offices it names.
HEADS_ONLY = (ActKind.PUBLIC_APPEAL,)

# The article each kind is brought under (the act's page and its events cite it).
ARTICLE_OF: dict[str, str] = {
    ActKind.PROTEST: "Art. 33",
    ActKind.SANCTION: "Art. 34",
    ActKind.INSTRUCTION: "Art. 35",
    ActKind.SUBMISSION: "Art. 36",
    ActKind.RESOLUTION: "Art. 37",
    ActKind.PETITION: "Art. 38",
    ActKind.CLAIM: "Art. 39",
    ActKind.PUBLIC_APPEAL: "Art. 40",
    ActKind.WARNING: "Art. 41",
    ActKind.ORDER: "Art. 32(1)(3)",
    ActKind.INTERNAL_RESOLUTION: "Art. 32(1)(3)",
    ActKind.INTERNAL_INSTRUCTION: "Art. 32(1)(3)",
}

# The clock each kind opens when it is delivered (prosecution/terms/rules.py has the days).
KIND_TERMS: dict[str, TermKind] = {
    ActKind.PROTEST: TermKind.PROTEST_CONSIDERATION,
    ActKind.SUBMISSION: TermKind.SUBMISSION_CONSIDERATION,
    ActKind.RESOLUTION: TermKind.SET_BY_PROSECUTOR,
}

# Kinds whose addressee decides on them (Art. 32(2): binding to consider): they are delivered,
# considered and decided; the others end when delivered (a sanction when given or refused).
CONSIDERED_KINDS = (ActKind.PROTEST, ActKind.SUBMISSION, ActKind.RESOLUTION, ActKind.INSTRUCTION)

ART_5_2 = "Art. 5(2)"
ART_43_3 = "Art. 43(3)"

# --- who may ---------------------------------------------------------------------------------


def may_sign(by: User | None, kind: str) -> bool:
    """SIGNING: the article names who signs each kind; a public appeal only the
    Prosecutor General, the deputies and the heads of military, transport, regional, district and
    equated offices (Art. 40)."""
    profile = access.staff_profile(by)
    if profile is None or kind not in SIGNING:
        return False
    positions, _article = SIGNING[kind]
    if profile.position not in positions:
        return False
    if kind in HEADS_ONLY:
        return is_head(by)
    return True


def is_head(by: User | None) -> bool:
    """Art. 33(5), 40: the Prosecutor General and the deputies at the GPO; the heads of the
    military, transport, regional, district and equated offices."""
    profile = access.staff_profile(by)
    if profile is None or profile.office.kind not in HEAD_OFFICE_KINDS:
        return False
    if profile.office.kind == OfficeKind.GPO:
        return profile.position in GPO_HEAD_POSITIONS
    return profile.position in HEAD_POSITIONS


def may_draft(by: User | None) -> bool:
    """A prosecutor drafts acts (the signatory is checked when the act is signed)."""
    profile = access.staff_profile(by)
    return profile is not None and profile.position in PROSECUTOR_POSITIONS


def is_superior(by: User | None, act: Act) -> bool:
    """Art. 5(2): a prosecutor of an office above the act's office (not the office itself)."""
    profile = access.staff_profile(by)
    if profile is None or profile.position not in PROSECUTOR_POSITIONS:
        return False
    mine, theirs = profile.office.path, act.office.path
    return theirs.startswith(mine) and theirs != mine
