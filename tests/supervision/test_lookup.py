"""The audited subject's lookup at /check/ (Art. 19(1)): registration number and BIN/IIN give
the four items, and nothing else; a wrong pair says nothing about whether the number exists;
rate-limited like the other public doors (docs/security.md 17)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from supervision import services as checks
from supervision.models import SuspensionCause
from tests.check_helpers import VALID_BIN, VALID_IIN, registered, started

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    """The page's main content, without the per-request CSRF token."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def _look(client, reference, number, language="en"):
    return client.post(
        reverse("check-lookup"),
        {"reference": reference, "subject_number": number},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_the_subject_sees_registration_office_term_and_inspectors_art_19_1(cc, cast, client):
    check = started(cc, on=date(2025, 3, 3))
    cc.inspector.first_name, cc.inspector.last_name = "Daniyar", "Seitkali"
    cc.inspector.save()
    checks.suspend_check(
        check,
        by=cc.inspector,
        cause=SuspensionCause.EXPERT_EXAMINATION,
        reason="Expert examination of the meters (internal note)",
        on=date(2025, 3, 14),
    )
    checks.resume_check(check, by=cc.inspector, on=date(2025, 4, 14))
    page = _look(client, check.registration.reference, VALID_BIN)
    assert page.status_code == 200
    main = _main(page)
    assert 'data-testid="registered"' in main
    assert check.registration.reference in main
    assert "District A" in main  # the appointing office
    assert "03.03.2025" in main and "16.05.2025" in main  # the start and the due date
    assert "14.03.2025" in main and "14.04.2025" in main  # the suspension
    assert "Daniyar Seitkali" in main
    # Nothing else: not the subject matter, the ground, the reasons, the resolution.
    for hidden in ("Tariffs", "internal note", check.resolution_number, "Kokshetau Water"):
        assert hidden not in main


def test_a_wrong_pair_shows_nothing_and_says_nothing_of_existence_art_19_1(cc, client):
    check = registered(cc)
    wrong_subject = _look(client, check.registration.reference, VALID_IIN)
    unknown = _look(client, "2099-999999", VALID_IIN)
    for page in (wrong_subject, unknown):
        assert page.status_code == 200
        assert 'data-testid="check-lookup"' not in page.content.decode()
    # The same page, but for what the person typed (echoed back into the form).
    assert _main(wrong_subject).replace(check.registration.reference, "") == _main(unknown).replace(
        "2099-999999", ""
    )


def test_an_unregistered_or_classified_check_is_not_shown(cc, client):
    check = registered(cc, is_classified=False)
    check.is_classified = True
    check.save(update_fields=["is_classified"])
    page = _look(client, check.registration.reference, VALID_BIN)
    assert 'data-testid="check-lookup"' not in page.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_lookup_speaks_kazakh_russian_and_english(cc, client, language):
    check = registered(cc)
    page = _look(client, check.registration.reference, VALID_BIN, language)
    expected = {
        "kk": "Тексеру құқықтық статистикада тіркелген.",
        "ru": "Проверка зарегистрирована в органе правовой статистики.",
        "en": "The check is registered with legal statistics.",
    }[language]
    assert expected in page.content.decode()


def test_the_lookup_is_rate_limited_per_address(cast, client):
    for _ in range(30):
        _look(client, "2099-000001", VALID_BIN)
    limited = _look(client, "2099-000001", VALID_BIN)
    assert limited.status_code == 429 and "Retry-After" in limited
