"""The act as a document (acts/documents.py): each kind renders in kk, ru and en with the register
number, the addressee and its article in words in that language; signing stores each PDF once
with its hash and a detached signature, and a signed act's PDF never changes (issue 16 part 4)."""

import pytest
from django.db import IntegrityError

from acts import documents
from acts.models import ActDocument, ActKind, ActState
from prosecution.files import signing
from prosecution.files.uploads import private_storage
from prosecution.lib.errors import RuleViolation
from tests.act_documents_helpers import ADDRESSEE, signed_act
from tests.pdf_helpers import flat

# The article each kind is brought under, in words, in each language (acts/rules.py ARTICLE_OF).
IN_WORDS = {
    "kk": "Конституциялық заңының {n}-бабы",
    "ru": "статья {n} Конституционного закона Республики Казахстан «О прокуратуре»",
    "en": "Article {n} of the Constitutional Law of the Republic of Kazakhstan",
}
TITLES = {
    ActKind.PROTEST: {"kk": "НАРАЗЫЛЫҚ", "ru": "ПРОТЕСТ", "en": "PROTEST"},
}
KINDS = [
    (ActKind.PROTEST, 33),
    (ActKind.SANCTION, 34),
    (ActKind.INSTRUCTION, 35),
    (ActKind.SUBMISSION, 36),
    (ActKind.RESOLUTION, 37),
    (ActKind.PETITION, 38),
    (ActKind.CLAIM, 39),
    (ActKind.PUBLIC_APPEAL, 40),
    (ActKind.WARNING, 41),
]
# Organisational acts (Art. 32(1)(3)) cite the subparagraph.
ORGANISATIONAL = {
    "kk": "Конституциялық заңының 32-бабының 1-тармағының 3-тармақшасы",
    "ru": "подпункт 3 пункта 1 статьи 32 Конституционного закона Республики Казахстан",
    "en": "subparagraph 3 of paragraph 1 of Article 32 of the Constitutional Law",
}


def extras(kind):
    if kind == ActKind.SANCTION:
        return {"sanction_decision": "refused", "sanction_refusal_reasons": "Негіз жоқ"}
    return {}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize(("kind", "article"), KINDS, ids=[k for k, _ in KINDS])
def test_each_kind_prints_in_each_language_with_its_article(cast, key, kind, article, language):
    """Art. 33-41: the document cites its kind's article in words in the document's language."""
    act = signed_act(cast, kind, **extras(kind))
    made = documents.sign_documents(act, by=act.signatory, languages=[language])

    content = flat(documents.signed_pdf(made[0]))
    assert act.register_number in content
    assert ADDRESSEE in content and "120540012342" in content
    assert IN_WORDS[language].format(n=article) in content
    assert "02.11.2026" in content
    if kind in TITLES:
        assert TITLES[kind][language] in content


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_an_order_cites_art_32_1_3_in_words(cast, key, language):
    act = signed_act(cast, ActKind.ORDER, basis_kind="", basis_text="")
    (made,) = documents.sign_documents(act, by=act.signatory, languages=[language])
    assert ORGANISATIONAL[language] in flat(documents.signed_pdf(made))


def test_a_protest_names_the_protested_act_and_its_ten_days_art_33(cast, key):
    act = signed_act(cast, ActKind.PROTEST)
    documents.sign_documents(act, by=act.signatory, languages=["ru"])
    pdf = documents.signed_pdf(act.documents.get())
    content = flat(pdf)
    assert "Шешім № 5" in content
    assert "в течение десяти календарных дней" in content


def test_signing_stores_each_language_once_with_its_hash_and_signature(cast, key):
    act = signed_act(cast)
    made = documents.sign_documents(act, by=act.signatory)

    assert sorted(d.language for d in made) == ["en", "kk", "ru"]
    for document in made:
        pdf = documents.signed_pdf(document)
        assert pdf.startswith(b"%PDF-") and len(pdf) == document.size
        stored = signing.Signature(
            document.signature_algorithm,
            bytes(document.signature),
            document.signer_id,
            bytes(document.certificate),
        )
        assert signing.signer().verify(pdf, stored)
        # Who signed, in the state language, whatever the language of the copy.
        assert document.signer_id.startswith("Нұрлан Құрманғали, Прокуратура органының басшысы [")


def test_a_signed_act_is_never_rendered_again(cast, key):
    act = signed_act(cast)
    documents.sign_documents(act, by=act.signatory, languages=["kk"])
    before = documents.signed_pdf(act.documents.get())

    with pytest.raises(RuleViolation) as refused:
        documents.sign_documents(act, by=act.signatory, languages=["kk"])
    assert refused.value.code == "document_signed"
    with pytest.raises(RuleViolation):
        documents.preview(act, language="kk")
    # The act changes afterwards (a superior amends it): its signed PDF does not.
    act.demand = "Другое требование"
    act.save()
    assert documents.signed_pdf(act.documents.get()) == before


def test_one_document_per_language_in_the_database(cast, key):
    act = signed_act(cast)
    (document,) = documents.sign_documents(act, by=act.signatory, languages=["en"])
    with pytest.raises(IntegrityError):
        ActDocument.objects.create(
            act=act,
            language="en",
            stored_name="00/00/" + "0" * 32 + ".pdf",
            sha256=document.sha256,
            size=1,
            signature=b"",
            signature_algorithm="x",
            signer_id="x",
            certificate=b"",
            signed_at=document.signed_at,
        )


def test_a_stored_pdf_changed_on_disk_is_not_handed_out(cast, key):
    act = signed_act(cast)
    (document,) = documents.sign_documents(act, by=act.signatory, languages=["ru"])
    path = private_storage().path(document.stored_name)
    with open(path, "ab") as file:
        file.write(b"%% appended")

    with pytest.raises(documents.DocumentChanged):
        documents.signed_pdf(document)


def test_a_draft_is_previewed_and_stored_nowhere(cast, key):
    act = signed_act(cast, state=ActState.DRAFT, number=None, year=None, register_number="")
    act.signed_on = None
    act.save()

    pdf = documents.preview(act, language="en")
    assert ADDRESSEE in flat(pdf)
    assert not act.documents.exists()
    with pytest.raises(RuleViolation):
        documents.sign_documents(act, by=act.signatory)


def test_documents_lost_on_the_way_are_built_again_by_the_beat(cast, key):
    """acts/tasks.py rescue_act_documents: a signed act without documents (its message or its
    render lost) is queued again once DOCUMENTS_LOST_AFTER has passed since its signing; one
    signed a moment ago is left to its own message; a draft has none to make."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from acts import tasks
    from acts.models import ActEvent, ActEventKind

    lost = signed_act(cast)
    just_signed = signed_act(cast, number=18, promote=False)
    ActEvent.objects.create(act=just_signed, kind=ActEventKind.SIGNED, on=just_signed.signed_on)
    signed_act(cast, number=None, promote=False, state=ActState.DRAFT)
    assert tasks.rescue_act_documents() == 1  # the tests run tasks at once: built here
    assert sorted(lost.documents.values_list("language", flat=True)) == ["en", "kk", "ru"]
    assert not just_signed.documents.exists()
    with time_machine.travel(timezone.now() + tasks.DOCUMENTS_LOST_AFTER + timedelta(minutes=1)):
        assert tasks.rescue_act_documents() == 1
    assert just_signed.documents.count() == 3
    assert tasks.rescue_act_documents() == 0
