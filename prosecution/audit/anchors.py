"""Anchors: the head of the audit log's chain, kept outside the database (docs/security.md 24).

A chain cut at its end (its last records deleted by someone who can disable the triggers) is
still a chain. Every hour a task writes the chain's head (the last record's number and hash)
outside the database (`take_anchor`: a line in AUDIT_ANCHOR_FILE, and the log, which production
ships off the host); `verify_audit_log` then checks that every anchored record is still there
with the hash it had (`check_anchors`).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from prosecution.audit import chain
from prosecution.audit.chain import Break
from prosecution.models import AuditRecord

anchor_log = logging.getLogger("prosecution.audit.anchor")


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str  # when it was taken, ISO 8601


def take_anchor(path: Path | None = None) -> Anchor | None:
    """Append the chain's head to the anchor file (one line of JSON) and to the log; None while
    the log is empty. The head is on disk first: a crash must not take back a record anchored
    (seals commit without waiting for the disk, chain.py), or the verifier would see a cut."""
    head = AuditRecord.objects.order_by("-seq").values("seq", "hash").first()
    if head is None:
        return None
    chain.make_durable()
    anchor = Anchor(head["seq"], head["hash"], timezone.now().isoformat())
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as anchors:
        anchors.write(json.dumps(asdict(anchor)) + "\n")
    anchor_log.info("audit log head: record %s, hash %s", anchor.seq, anchor.hash)
    return anchor


def read_anchors(path: Path) -> list[Anchor]:
    """The anchors of a file; a line that is not an anchor is an error naming the line (a file
    edited by hand proves nothing)."""
    found = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            found.append(Anchor(**json.loads(line)))
        except (ValueError, TypeError) as error:
            raise ValueError(
                _("line %(number)s of %(path)s is not an anchor") % {"number": number, "path": path}
            ) from error
    return found


def check_anchors(anchors: list[Anchor]) -> Break | None:
    """The first anchored record that is gone or has another hash than when it was anchored.
    With verify() (every record linked to the one before it), every record up to the last
    anchor is then as it was."""
    wanted = {anchor.seq: anchor for anchor in anchors}
    found = dict(AuditRecord.objects.filter(seq__in=wanted).values_list("seq", "hash"))
    for seq in sorted(wanted):
        anchor = wanted[seq]
        if seq not in found:
            problem = _("it was anchored at %(at)s and is gone: the log was cut")
            problem %= {"at": anchor.at}
            return Break(seq, problem)
        if found[seq] != anchor.hash:
            problem = _("its hash is not the one anchored at %(at)s") % {"at": anchor.at}
            return Break(seq, problem)
    return None
