"""Issue #14.10: the newest entries cut off the chain (and the checkpoint rewound with them) are caught,
against the head each audit_record writes into the public schema in its own transaction."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import schema_context

from pintu.access.models import Role
from pintu.audit.anchors.models import AuditAnchor
from pintu.audit.models import AuditCheckpoint, AuditEntry
from pintu.audit.services import audit_record, audit_verify, entry_digest


@pytest.fixture
def chain(trenggalek):
    with schema_context("trenggalek"):
        return [audit_record(actor=None, action="test.anchor", detail={"n": i}) for i in range(6)]


def _verify_command() -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("audit_verify", "--schema", "trenggalek", stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_each_entry_moves_the_head_kept_in_the_public_schema(chain, blitar):
    with schema_context("kota_blitar"):
        audit_record(actor=None, action="test.anchor", detail={})
        blitar_head = AuditEntry.objects.order_by("-seq").first()
    connection.set_schema_to_public()
    anchors = {a.schema_name: a for a in AuditAnchor.objects.all()}
    assert (anchors["trenggalek"].seq, anchors["trenggalek"].hash) == (chain[-1].seq, chain[-1].hash)
    assert (anchors["kota_blitar"].seq, anchors["kota_blitar"].hash) == (blitar_head.seq, blitar_head.hash)
    with schema_context("trenggalek"):
        assert audit_verify() == []


def test_deleting_the_newest_entries_and_rewinding_the_checkpoint_is_caught(chain, trenggalek, officer,
                                                                           client_for):
    client = client_for(trenggalek, officer(trenggalek, Role.AUDITOR))  # (its membership is an entry too)
    assert "Rantai audit utuh" in client.get("/audit/").content.decode()  # the checkpoint reaches the head
    with schema_context("trenggalek"):
        chain = list(AuditEntry.objects.order_by("seq"))
        AuditEntry.objects.filter(seq__in=[chain[-1].seq, chain[-2].seq]).delete()
        AuditCheckpoint.objects.filter(pk=1).update(seq=chain[-3].seq, hash=chain[-3].hash)  # rewound too
        problems = audit_verify()
    expected = (f"entri #{chain[-2].seq} s.d. #{chain[-1].seq} dihapus dari ujung rantai "
                f"(jangkar di pusat mencatat {chain[-1].seq} entri)")
    assert problems == [expected]
    out, error = _verify_command()
    assert error is not None and expected in out
    page = client.get("/audit/").content.decode()
    assert "Rantai audit RUSAK" in page and expected in page
    assert "Pemeriksaan penuh terakhir (dari entri pertama)" in page  # when the last full check ran

    # New entries written after the cut re-use its numbers: the anchor stays on the cut-off head.
    with schema_context("trenggalek"):
        audit_record(actor=None, action="test.after-cut", detail={})
        assert audit_verify() == [f"entri #{chain[-1].seq} s.d. #{chain[-1].seq} dihapus dari ujung rantai "
                                  f"(jangkar di pusat mencatat {chain[-1].seq} entri)"]
        audit_record(actor=None, action="test.after-cut", detail={})
        assert audit_verify() == [f"entri #{chain[-1].seq}: tidak cocok dengan jangkar di pusat "
                                  "(rantai diputar balik atau ditulis ulang)"]


def test_a_rewritten_head_with_a_valid_chain_is_caught(chain):
    """The newest entry replaced by a forged one, correctly chained and hashed: only the anchor tells."""
    with schema_context("trenggalek"):
        head = AuditEntry.objects.get(seq=chain[-1].seq)
        head.detail = {"n": "palsu"}
        head.hash = entry_digest(seq=head.seq, at=head.at, actor_id=head.actor_id, action=head.action,
                                 target_type=head.target_type, target_id=head.target_id, detail=head.detail,
                                 prev_hash=head.prev_hash)
        AuditEntry.objects.filter(pk=head.pk).update(detail=head.detail, hash=head.hash)
        assert audit_verify() == [f"entri #{head.seq}: tidak cocok dengan jangkar di pusat "
                                  "(rantai diputar balik atau ditulis ulang)"]
