"""The vocabularies of appeals, each with the article that defines it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppealKind(models.TextChoices):
    APPEAL = "appeal", _("Appeal")  # Art. 24
    # Art. 25: against a decision, act or (in)action of a prosecutor; the superior office decides.
    COMPLAINT = "complaint", _("Complaint against a prosecutor")


class Channel(models.TextChoices):
    WRITTEN = "written", _("In writing")
    EGOV = "egov", _("E-government portal")
    CALL_CENTRE = "call_centre", _("Call centre 115")
    RECEPTION = "reception", _("Personal reception")
    SERVICE_CENTER = "service_center", _("Center for Law Enforcement Services")
    EMAIL = "email", _("E-mail")
    REDIRECTED = "redirected", _("Redirected from another body")
    ONLINE = "online", _("Filed on this site")
    API = "api", _("From another system")


class AppealLanguage(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")
    EN = "en", _("English")
    OTHER = "other", _("Another language")


class AppealState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_WORK = "in_work", _("In work")
    ON_CHECK = "on_check", _("A legality check is under way")
    DECIDED = "decided", _("Decided, answer not yet sent")
    AWAITING_PERSONAL_ANSWER = "awaiting_personal", _("Awaiting the personal answer")
    ANSWERED = "answered", _("Answered")
    REDIRECTED = "redirected", _("Redirected to the competent body")
    TERMINATED = "terminated", _("Consideration terminated")
    NOT_CONSIDERED = "not_considered", _("Not considered")


CLOSED_STATES = (
    AppealState.ANSWERED,
    AppealState.REDIRECTED,
    AppealState.TERMINATED,
    AppealState.NOT_CONSIDERED,
)


class Ground(models.TextChoices):
    """Art. 24(1): the grounds on which the prosecutor's office itself considers an appeal, in the
    law's order; the value is the sub-item's number (docs/rules.md, Art. 24(1)). Until migration
    0007 the list had its own order and merged sub-items 6 and 7."""

    DEFENCELESS = (
        "1",
        _(
            "1) people who cannot protect their rights themselves, minors, an unlimited range of "
            "persons"
        ),
    )
    NOT_PROTECTED = (
        "2",
        _("2) rights not properly protected by the competent body, or no such body"),
    )
    BUSINESS = "3", _("3) interference in the activity of private business")
    SECURITY = "4", _("4) a threat to the constitutional order and national security")
    LIFE_HEALTH = "5", _("5) violations of the law whose non-elimination harms life and health")
    PRESIDENT = "6", _("6) on instruction of the President")
    PROSECUTOR_GENERAL = "7", _("7) on instruction of the Prosecutor General")


class ExtensionGround(models.TextChoices):
    """Art. 24(4): the only two reasons for which the term of an appeal may be extended; the
    reasoned decision says the rest."""

    FACTS = "facts", _("Factual circumstances must be established")
    OTHER_BODIES = "other_bodies", _("Information must be obtained from other bodies")


class ProceduralCode(models.TextChoices):
    """Art. 24(9), 25(3-4): appeals that follow their procedural code, not Art. 24's terms."""

    CRIMINAL = "criminal", _("Criminal procedure")
    CIVIL = "civil", _("Civil procedure")
    PENAL = "penal", _("Penal enforcement")
    ADMINISTRATIVE = "administrative", _("Administrative offences")
    OPERATIONAL = "operational", _("Operational-search and counter-intelligence")
    ASSET_RECOVERY = "asset_recovery", _("Asset recovery")


class Outcome(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    PARTLY = "partly", _("Partly satisfied")
    REFUSED = "refused", _("Refused")
    EXPLAINED = "explained", _("Explained")
    REDIRECTED = "redirected", _("Redirected")
    TERMINATED = "terminated", _("Terminated")
    NOT_CONSIDERED = "not_considered", _("Not considered")


# What a decision may say (decide); the others are set by redirect, terminate and close.
DECISION_OUTCOMES = (Outcome.SATISFIED, Outcome.PARTLY, Outcome.REFUSED, Outcome.EXPLAINED)


class ActEffect(models.TextChoices):
    """Art. 43(3), 5(2): what the superior does to the act complained about."""

    UNCHANGED = "unchanged", _("Left unchanged")
    CANCELLED = "cancelled", _("Cancelled")
    REVOKED = "revoked", _("Revoked")
    SUSPENDED = "suspended", _("Suspended")
    AMENDED = "amended", _("Amended")


class RestoreDecision(models.TextChoices):
    """Art. 25(1): a complaint filed after 3 months needs its term restored for a good reason."""

    NOT_NEEDED = "", _("Not needed")
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class AnswerMethod(models.TextChoices):
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    EGOV = "egov", _("E-government portal")
    IN_PERSON = "in_person", _("Handed in person")


class ApplicantKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    LEGAL_ENTITY = "legal_entity", _("Legal entity")


class Source(models.TextChoices):
    STAFF = "staff", _("Registered by staff")
    ONLINE = "online", _("Filed online")
    API = "api", _("Received through the API")
