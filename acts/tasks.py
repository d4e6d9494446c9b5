"""Workers of the acts app: they take ids, call one function, and return quietly if the row is
gone."""

from celery import shared_task


# celery has no type hints (pyproject.toml): its decorator is untyped to the strict mypy of acts.
@shared_task(soft_time_limit=110, time_limit=120)  # type: ignore[untyped-decorator]
def sign_act_documents(act_id: int) -> str:
    """Render, store and sign the PDFs of a signed act in each language (WeasyPrint,
    time-limited: docs/security.md 15)."""
    # Imported here: WeasyPrint is heavy, and the module must load without it (Celery's way).
    from acts import documents

    return documents.build_signed(act_id)
