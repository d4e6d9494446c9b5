"""Publication of acts (Art. 42): an act on a violation of rights may be published; the
prosecutor decides, after a preview that shows exactly what the public will read.

What is published is the redacted text the preview showed (prosecution/lib/redaction.py: IINs,
BINs, phone numbers, e-mails, addresses, and the names the record knows: the addressee when a
person or an official, the applicants of the appeal the act rests on), kept on the act as it was
published: a later correction of the act does not reach the public page unless it is published
again. Never anything classified (docs/rules.md "Secrecy"): the service refuses it, and so does
the database (acts/models.py, act_published_only_on_rights_and_not_classified).
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from acts.models import Act, ActState, AddresseeKind
from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation
from prosecution.lib.redaction import Finding, redact
from prosecution.offices import access

ARTICLE = "Art. 42"
# Addressees that are people: their names are personal data. A body's or a court's name is not.
PERSONAL_ADDRESSEES = (AddresseeKind.PERSON, AddresseeKind.OFFICIAL)


@dataclass(frozen=True)
class PublicText:
    """What the public page shows of an act, and what was taken out to make it."""

    addressee: str
    violation: str
    demand: str
    findings: list[Finding]


def _known_people(act: Act) -> tuple[list[str], list[str]]:
    """The names and addresses the record holds about people, which a pattern cannot guess."""
    names, addresses = [], []
    if act.addressee_kind in PERSONAL_ADDRESSEES:
        names.append(act.addressee_name)
        addresses.append(act.addressee_address)
    if act.basis_appeal_id:
        for applicant in act.basis_appeal.applicants.all():  # type: ignore[union-attr]
            if applicant.kind != "legal_entity":
                names.append(applicant.display_name)
            addresses.append(applicant.postal_address)
    return [n for n in names if n], [a for a in addresses if a]


def public_text(act: Act) -> PublicText:
    """The act as the public would read it: the preview and the publication call this one
    function, so the preview is exactly what is published."""
    names, addresses = _known_people(act)
    parts = {}
    findings: list[Finding] = []
    for field in ("addressee_name", "violation", "demand"):
        redacted = redact(getattr(act, field), names=names, addresses=addresses)
        parts[field] = redacted.text
        findings += redacted.findings
    return PublicText(parts["addressee_name"], parts["violation"], parts["demand"], findings)


def may_publish(act: Act, by: User) -> bool:
    """The prosecutor decides: the act's signatory, or the leadership of its office or above."""
    profile = access.staff_profile(by)
    if profile is None or not access.may(by, "change", act):
        return False
    return act.signatory_id == by.pk or profile.is_leadership


def _locked_for(act: Act, by: User) -> Act:
    """The act under a row lock, if `by` decides on its publication; else an audited refusal."""
    act = Act.objects.select_for_update().get(pk=act.pk)
    if not may_publish(act, by):
        audit.denied(act, actor=by, checked="publish")
        raise RuleViolation(
            _("Only the signatory or the office's leadership decides on publication."),
            article=ARTICLE,
            code="forbidden",
        )
    return act


def _refuse_unless_publishable(act: Act) -> None:
    if act.is_classified:
        raise RuleViolation(
            _("A classified act is never published."), article=ARTICLE, code="classified"
        )
    if act.state == ActState.DRAFT:
        raise RuleViolation(_("A draft is not published."), article=ARTICLE, code="draft")


@transaction.atomic
def publish_act(act: Act, *, by: User, on_violation_of_rights: bool) -> Act:
    """Art. 42: publish an act on a violation of rights, redacted as the preview showed it.
    `on_violation_of_rights`: the prosecutor's confirmation that the act is one."""
    act = _locked_for(act, by)
    _refuse_unless_publishable(act)
    if not on_violation_of_rights:
        raise RuleViolation(
            _("Only an act on a violation of rights may be published."),
            article=ARTICLE,
            code="not_on_rights",
        )
    shown = public_text(act)
    act.on_violation_of_rights = True
    act.public_addressee = shown.addressee
    act.public_violation = shown.violation
    act.public_demand = shown.demand
    act.published_at = timezone.now()
    act.published_by = by
    act.save()
    audit.record(
        "act.published",
        target=act,
        actor=by,
        redacted=[f.kind for f in shown.findings],
    )
    return act


@transaction.atomic
def withdraw_publication(act: Act, *, by: User) -> Act:
    """Take an act off the public page (the prosecutor's decision, as its publication was)."""
    act = _locked_for(act, by)
    if act.published_at is None:
        return act
    act.published_at, act.published_by = None, None
    act.public_addressee = act.public_violation = act.public_demand = ""
    act.save()
    audit.record("act.publication_withdrawn", target=act, actor=by)
    return act


def published() -> QuerySet[Act]:
    """The public list: published acts, never a classified one (the constraint says so too; the
    filter is the second wall), newest first (act_published_idx)."""
    return (
        Act.objects.filter(published_at__isnull=False, is_classified=False)
        .select_related("office")
        .order_by("-published_at", "-pk")
    )
