"""Who may appoint a legality check, and where (Art. 18(1)-(2)); read by the access policy's role
table (supervision/apps.py) and by supervision/services.py."""

from django.utils.translation import gettext_noop

from prosecution.models import OfficeKind, Position

# Art. 18(1): "the Prosecutor General or a deputy; military, transport, regional, district and
# equated prosecutors": the heads of those offices.
APPOINTING_POSITIONS = (
    Position.PROSECUTOR_GENERAL,
    Position.FIRST_DEPUTY,
    Position.DEPUTY,
    Position.HEAD,
)

# The offices whose head appoints checks: the GPO (the PG and the deputies), the military and
# transport offices, the regional offices and those equated to them, the district offices and
# those equated to them (docs/offices.md "Office kinds"). Not the Committee (its own checks are
# Art. 18(3), not built yet), the asset recovery department (Art. 18(6)) nor the Academy.
APPOINTING_OFFICE_KINDS = (
    OfficeKind.GPO,
    OfficeKind.CHIEF_MILITARY,
    OfficeKind.CHIEF_TRANSPORT,
    OfficeKind.REGIONAL,
    OfficeKind.CITY_REPUBLICAN,
    OfficeKind.DISTRICT,
    OfficeKind.CITY,
    OfficeKind.INTER_DISTRICT,
    OfficeKind.MILITARY,
    OfficeKind.TRANSPORT,
    OfficeKind.ENVIRONMENTAL,
    OfficeKind.SPECIAL_FACILITIES,
)

# At the GPO the PG and the deputies appoint; elsewhere the head of the office.
GPO_APPOINTING_POSITIONS = (Position.PROSECUTOR_GENERAL, Position.FIRST_DEPUTY, Position.DEPUTY)

# docs/sources.md, seed 004 para. 19(38): the Prosecutor General consents to inferior prosecutors
# extending the term of a check.
EXTENSION_CONSENT_ARTICLE = gettext_noop("GPO Regulations, para. 19(38) (seed 004)")

# The registration numbers of checks: one gapless sequence a year, kept by the Committee
# (prosecution/lib/numbering.py).
REGISTRATION_SCOPE = "check_registration"
