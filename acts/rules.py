# TEMPORARY STUB (not committed): replaced by the acts branch's rules.py at merge.
from acts.models import ActKind

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
