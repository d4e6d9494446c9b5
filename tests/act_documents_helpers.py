"""A signed act made directly in the database, for the documents and publication tests: they test
what follows the signing (acts/documents.py, acts/publication.py), whatever the signing service
checks before it."""

from datetime import date

from django.contrib.auth import get_user_model

from acts.models import Act, ActKind, ActState, AddresseeKind, BasisKind, ProtestedActKind
from prosecution.models import ClassRank, Position, StaffProfile

VALID_BIN = "120540012342"
ADDRESSEE = "Көкшетау қаласының әкімдігі"
SIGNED_ON = date(2026, 11, 2)


def signed_act(
    cast, kind: str = ActKind.PROTEST, *, number: int = 17, promote: bool = True, **changes
) -> Act:
    """District A's act, signed by its prosecutor; `promote` makes them the head with a class
    rank first (the document's signature block), which other tests of the cast may not want."""
    signatory = get_user_model().objects.get(pk=cast.a_user.pk)  # its profile read afresh
    if promote:
        StaffProfile.objects.filter(user=signatory).update(
            position=Position.HEAD, class_rank=ClassRank.objects.order_by("seniority").last()
        )
        signatory.first_name, signatory.last_name = "Нұрлан", "Құрманғали"
        signatory.save()
    values = {
        "kind": kind,
        "office": cast.district_a,
        "office_path": cast.district_a.path,
        "drafted_by": signatory,
        "signatory": signatory,
        "year": SIGNED_ON.year,
        "number": number,
        "register_number": f"2026-{cast.district_a.code}-{number:05d}" if number else "",
        "addressee_kind": AddresseeKind.BODY,
        "addressee_name": ADDRESSEE,
        "addressee_number": VALID_BIN,
        "basis_kind": BasisKind.OTHER,
        "basis_text": "Тарифтерді бақылау",
        "violation": "Иванова Анна Сергеевна (ИИН 900101300017) не получила пособие.",
        "demand": "Восстановить выплату пособия.",
        "state": ActState.SIGNED,
        "signed_on": SIGNED_ON,
    }
    if kind == ActKind.PROTEST:
        values |= {"protested_act_kind": ProtestedActKind.ACT, "protested_act": "Шешім № 5"}
    values.update(changes)
    return Act.objects.create(**values)
