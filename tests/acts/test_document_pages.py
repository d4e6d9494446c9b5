"""The act's PDF for staff (acts/document_views.py): per language, through the access policy (404
out of scope), audited; a signed act's is the stored one, byte for byte; and the signing service
has a worker make the documents once (acts/tasks.py)."""

import pytest
from django.urls import reverse

from acts import documents
from acts.models import ActKind
from tests.act_documents_helpers import signed_act
from tests.act_helpers import drafted
from tests.conftest import last_audit_record
from tests.pdf_helpers import flat


def test_staff_download_the_signed_pdf_as_it_was_signed(client, cast, key):
    act = signed_act(cast)
    (stored,) = documents.sign_documents(act, by=act.signatory, languages=["ru"])
    client.force_login(cast.region_user)  # the superior office sees it (Art. 5(2))

    response = client.get(reverse("act_documents:document", args=[act.uuid, "ru"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == documents.signed_pdf(stored)
    assert response["Content-Type"] == "application/pdf"
    assert last_audit_record("act.document_downloaded").details["language"] == "ru"


@pytest.mark.parametrize("who", ["district_b", "anonymous", "inactive"])
def test_out_of_scope_finds_nothing(client, cast, key, who):
    act = signed_act(cast)
    documents.sign_documents(act, by=act.signatory, languages=["kk"])
    user = cast.users()[who]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("act_documents:document", args=[act.uuid, "kk"]))
    assert response.status_code in (302, 404)
    assert response.status_code == 404 or "login" in response["Location"]


def test_a_draft_is_printed_live_and_an_unknown_language_is_not_found(client, cast, key):
    act = signed_act(cast, state="draft", number=None, year=None, signed_on=None)
    client.force_login(cast.a_user)

    response = client.get(reverse("act_documents:document", args=[act.uuid, "en"]))
    assert response.status_code == 200 and "Көкшетау" in flat(response.content)
    assert client.get(reverse("act_documents:document", args=[act.uuid, "de"])).status_code == 404


def test_signing_an_act_makes_its_documents_once(ac, key, django_capture_on_commit_callbacks):
    """acts/services/drafting.py sign_act asks the worker, after the commit, for the three PDFs."""
    from acts import services

    act = drafted(ac, ActKind.SUBMISSION)
    with django_capture_on_commit_callbacks(execute=True):
        act = services.sign_act(act, by=ac.prosecutor)

    assert sorted(act.documents.values_list("language", flat=True)) == ["en", "kk", "ru"]
    assert documents.build_signed(act.pk) == "done"  # a second run changes nothing
    content = flat(documents.signed_pdf(act.documents.get(language="ru")))
    assert act.register_number in content
    assert "статья 36 Конституционного закона Республики Казахстан «О прокуратуре»" in content


def test_acts_signed_inside_built_here_are_made_at_its_end_not_on_the_broker(
    ac, key, django_capture_on_commit_callbacks, monkeypatch
):
    """The demo seed's way (acts/tasks.py built_here): nothing goes to the worker, and the
    documents are made once the block ends, so `make run` starts with no PDFs queued ahead of a
    citizen's one-time code (issue 13)."""
    from acts import services, tasks

    sent = []
    monkeypatch.setattr(tasks.sign_act_documents, "delay", sent.append)
    act = drafted(ac, ActKind.SUBMISSION)
    with tasks.built_here():
        with django_capture_on_commit_callbacks(execute=True):
            act = services.sign_act(act, by=ac.prosecutor)
        assert not act.documents.exists()  # not before the block ends
    assert sent == []
    assert sorted(act.documents.values_list("language", flat=True)) == ["en", "kk", "ru"]
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_act(drafted(ac, ActKind.PROTEST), by=ac.prosecutor)
    assert len(sent) == 1  # outside the block, the worker's again


def test_the_act_page_offers_its_documents_and_its_publication(client, cast, key):
    act = signed_act(cast)
    client.force_login(act.signatory)
    page = client.get(reverse("act-detail", args=[act.uuid])).content.decode()
    assert reverse("act_documents:publication", args=[act.uuid]) in page
    assert reverse("act_documents:document", args=[act.uuid, "ru"]) not in page  # not made yet

    documents.sign_documents(act, by=act.signatory)
    page = client.get(reverse("act-detail", args=[act.uuid])).content.decode()
    assert reverse("act_documents:document", args=[act.uuid, "ru"]) in page


def test_a_pdf_changed_on_disk_is_not_served_and_the_log_says_so(client, cast, key):
    from prosecution.files.uploads import private_storage

    act = signed_act(cast)
    (stored,) = documents.sign_documents(act, by=act.signatory, languages=["en"])
    with open(private_storage().path(stored.stored_name), "ab") as file:
        file.write(b"%% appended")
    client.force_login(act.signatory)
    client.raise_request_exception = False

    response = client.get(reverse("act_documents:document", args=[act.uuid, "en"]))
    assert response.status_code == 500
    assert b"appended" not in response.content
    assert last_audit_record("act.document_changed").outcome == "failed"
