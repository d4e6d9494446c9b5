"""The office hierarchy (Art. 5, 13-16) and staff."""

import uuid
from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from prosecution.offices.tree import PATH_MAX_LENGTH
from prosecution.seed.offices import PLACES


class TrilingualName(models.Model):
    """Names in the state language (Kazakh), Russian and English; `name` follows the request."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "kk")[:2]
        return getattr(self, f"name_{language}", "") or self.name_kk


class OfficeKind(models.TextChoices):
    GPO = "gpo", _("General Prosecutor's Office")
    LEGAL_STATISTICS_COMMITTEE = (
        "committee",
        _("Committee on Legal Statistics and Special Accounts"),
    )
    ASSET_RECOVERY = "asset_recovery", _("Asset recovery department")
    ACADEMY = "academy", _("Academy of Law Enforcement Agencies")
    CHIEF_MILITARY = "chief_military", _("Chief Military Prosecutor's Office")
    CHIEF_TRANSPORT = "chief_transport", _("Chief Transport Prosecutor's Office")
    REGIONAL = "regional", _("Regional prosecutor's office")
    CITY_REPUBLICAN = "city_republican", _("Office of a city of republican significance")
    DISTRICT = "district", _("District prosecutor's office")
    CITY = "city", _("City prosecutor's office")
    INTER_DISTRICT = "inter_district", _("Inter-district prosecutor's office")
    MILITARY = "military", _("Military prosecutor's office")
    TRANSPORT = "transport", _("Transport prosecutor's office")
    ENVIRONMENTAL = "environmental", _("Environmental prosecutor's office")
    SPECIAL_FACILITIES = "special_facilities", _("Prosecutor's office for special facilities")


office_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{0,29}$",
    _("Use 1-30 capital Latin letters, digits and hyphens."),
)


class Office(TrilingualName):
    """A prosecutor's office. `path` is a materialized path of codes ("GPO/R-ABAI/R-ABAI-D01/"):
    an office and everything below it is one indexed prefix query at any depth."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=OfficeKind.choices)
    code = models.CharField(
        _("code"), max_length=30, unique=True, validators=[office_code_validator]
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("superior office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # db_index on a CharField also gives PostgreSQL a varchar_pattern_ops index, which is the one
    # that `path LIKE 'GPO/R-ABAI/%'` (selectors.subtree, access.visible_to) uses.
    path = models.CharField(max_length=PATH_MAX_LENGTH, unique=True, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["path"]
        constraints = [
            # Exactly one root, and it is the General Prosecutor's Office (Art. 13).
            models.CheckConstraint(
                condition=Q(parent__isnull=True, kind="gpo") | Q(parent__isnull=False),
                name="office_only_gpo_is_root",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="gpo"), name="office_single_gpo"
            ),
            models.CheckConstraint(
                condition=Q(path__endswith="/"), name="office_path_ends_with_separator"
            ),
        ]
        indexes = [models.Index(fields=["kind", "path"], name="office_kind_path_idx")]

    @property
    def place(self) -> str:
        """The address in the reader's language: the seats the reference data writes (a city's
        name) are known in kk, ru and en (prosecution/seed/offices.py PLACES); an address an
        administrator typed is shown as typed."""
        names = PLACES.get(self.address)
        return names.get((get_language() or "kk")[:2], self.address) if names else self.address

    def is_within(self, other: "Office") -> bool:
        """True if this office is `other` or below it."""
        return self.path.startswith(other.path)


class UnitKind(models.TextChoices):
    LEADERSHIP = "leadership", _("Leadership")
    APPARATUS = "apparatus", _("Apparatus")
    SERVICE = "service", _("Service")
    DEPARTMENT = "department", _("Department")
    MANAGEMENT = "management", _("Management")
    UNIT = "unit", _("Unit")


class Unit(TrilingualName):
    """A structural unit inside an office (docs/sources.md, seed 004 for the GPO)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="units")
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["office", "order"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="unit_code_unique_in_office")
        ]


class ClassRank(TrilingualName):
    """Class ranks of prosecutors (Law "On law enforcement service" Art. 23): editable reference
    data. `seniority` 1 is the highest."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    seniority = models.PositiveSmallIntegerField(_("seniority"), unique=True)

    class Meta:
        verbose_name = _("class rank")
        verbose_name_plural = _("class ranks")
        ordering = ["seniority"]


class Position(models.TextChoices):
    PROSECUTOR_GENERAL = "prosecutor_general", _("Prosecutor General")
    FIRST_DEPUTY = "first_deputy", _("First Deputy Prosecutor General")
    DEPUTY = "deputy", _("Deputy Prosecutor General")
    HEAD = "head", _("Head of office")
    DEPUTY_HEAD = "deputy_head", _("Deputy head of office")
    SENIOR_PROSECUTOR = "senior_prosecutor", _("Senior prosecutor")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    RECEPTION_OFFICER = "reception_officer", _("Reception officer")
    LEGAL_STATISTICS_OFFICER = "legal_statistics_officer", _("Legal statistics officer")
    CLERK = "clerk", _("Clerk")


# The head of an office and the deputies: they decide extensions (Art. 24(4)) and similar acts.
LEADERSHIP_POSITIONS = (
    Position.PROSECUTOR_GENERAL,
    Position.FIRST_DEPUTY,
    Position.DEPUTY,
    Position.HEAD,
    Position.DEPUTY_HEAD,
)


class StaffProfile(models.Model):
    """A member of staff: where they serve and what they hold."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="staff"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
    )
    position = models.CharField(_("position"), max_length=40, choices=Position.choices)
    class_rank = models.ForeignKey(
        ClassRank, verbose_name=_("class rank"), on_delete=models.PROTECT, null=True, blank=True
    )
    has_clearance = models.BooleanField(_("clearance to state secrets"), default=False)
    clearance_expires = models.DateField(_("clearance expires"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The language of the notices this person gets (e-mail, in-app); Kazakh is the state language.
    language = models.CharField(
        _("language of notices"), max_length=5, choices=settings.LANGUAGES, default="kk"
    )
    # Demo accounts sign in with settings.DEMO_PASSWORD, and only while DEMO_LOGIN_ENABLED.
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["office__path", "user__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(has_clearance=True) | Q(clearance_expires__isnull=True),
                name="staff_expiry_only_with_clearance",
            ),
            # One Prosecutor General in the whole system.
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(position="prosecutor_general", is_active=True),
                name="staff_single_prosecutor_general",
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def clearance_valid(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.has_clearance and (
            self.clearance_expires is None or self.clearance_expires >= on
        )

    @property
    def is_leadership(self) -> bool:
        return self.position in LEADERSHIP_POSITIONS


# Direct foreign-key object permission tables (django-guardian): per-object exceptions to the
# office scope, e.g. a staff file shared with a person in another office. Direct tables keep the
# lookups indexed; guardian's generic tables would join on a text object_pk.
class StaffProfileUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(StaffProfile, on_delete=models.CASCADE)


class StaffProfileGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(StaffProfile, on_delete=models.CASCADE)
