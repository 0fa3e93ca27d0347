"""The transition table (`permits.services.transitions`): every service that moves an application asks it,
a move it does not hold is refused with nothing written, and no other code assigns an application's status."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from permits.errors import StatusChangeRefused
from permits.models.applications import Application, Decision, StepTask
from permits.services.applications import application_resubmit, application_submit
from permits.services.fiktif_positif import REASON
from permits.services.processing import (
    application_approve,
    application_decide,
    application_reject,
    application_return,
)
from permits.services.transitions import TRANSITIONS, By, status_change_check, transition_of
from pintu.audit.models import AuditEntry
from tests.factories import submitted_application

ROOT = Path(__file__).resolve().parents[3]
Status = Application.Status


@pytest.fixture
def deciding(office, applicant):
    """An application in process at one step where its signer may return, reject or approve."""
    from permits.services.workflow import sop_publish, sop_revise, sop_steps_set

    steps = [{"name": "Pemeriksaan dan penandatanganan", "role": "signing_official", "sla_working_days": 2,
              "allowed_actions": ["return", "reject", "approve_sign"]}]
    sop_publish(sop=sop_steps_set(sop=sop_revise(permit_type=office.permit_type), steps=steps))
    return office, submitted_application(office, applicant), applicant


def _services(office, application, applicant):
    """Each row of the table (but the import, which creates rows) and the service that makes that move."""
    task = StepTask.objects.get(application=application, status="open")
    return {
        "submit": lambda: application_submit(application=application, actor=applicant),
        "resubmit": lambda: application_resubmit(application=application, actor=applicant),
        "return": lambda: application_return(task=task, officer=office.signer, note="Perbaiki denah."),
        "reject": lambda: application_reject(task=task, officer=office.signer, reason="Tidak sesuai tata ruang."),
        "approve": lambda: application_approve(task=task, officer=office.signer),
        "fiktif_positif": lambda: application_decide(application=application, official=None,
                                                     outcome=Decision.Outcome.APPROVED, reason=REASON,
                                                     fiktif_positif=True),
    }


def test_every_service_refuses_its_move_from_every_other_status(deciding):
    office, application, applicant = deciding
    services = _services(office, application, applicant)
    assert set(services) == {t.verb for t in TRANSITIONS} - {"register_import"}  # a new row needs its service here
    audit_before = AuditEntry.objects.count()
    tried = 0
    for row in TRANSITIONS:
        if row.verb not in services:
            continue
        for status in Status.values:
            # from `returned`, submitting is resubmitting (its own row): not a refusal
            if status == row.source or (row.verb == "submit" and status == Status.RETURNED):
                continue
            Application.objects.filter(pk=application.pk).update(status=status)
            with pytest.raises(StatusChangeRefused) as refused:
                services[row.verb]()
            assert refused.value.detail["verb"] == row.verb and refused.value.detail["from"] == status, (row, status)
            assert refused.value.code == "application_not_editable"  # the code clients knew before the table
            assert Application.objects.get(pk=application.pk).status == status
            tried += 1
    assert tried == 6 * 6 - 1
    assert AuditEntry.objects.count() == audit_before  # refused: nothing written
    assert not Decision.objects.filter(application=application).exists()


def test_each_allowed_move_lands_where_the_table_says(deciding):
    office, application, applicant = deciding
    application_return(task=StepTask.objects.get(application=application, status="open"), officer=office.signer,
                       note="Perbaiki denah.")
    assert Application.objects.get(pk=application.pk).status == transition_of("return").target
    application_resubmit(application=application, actor=applicant)
    assert Application.objects.get(pk=application.pk).status == transition_of("resubmit").target
    application_approve(task=StepTask.objects.get(application=application, status="open"), officer=office.signer)
    assert Application.objects.get(pk=application.pk).status == transition_of("approve").target


def test_a_move_by_someone_the_table_does_not_name_is_refused():
    in_process = Application(status=Status.IN_PROCESS)
    for verb, by in [("approve", By.SYSTEM), ("fiktif_positif", By.AUTHORITY), ("approve", By.STEP_OFFICER),
                     ("return", By.APPLICANT), ("submit", By.STEP_OFFICER)]:
        row = transition_of(verb)
        application = Application(status=row.source) if row.source else in_process
        with pytest.raises(StatusChangeRefused) as refused:
            status_change_check(application=application, verb=verb, by=by)
        assert refused.value.message == "Perubahan status permohonan ini bukan wewenang Anda."
    with pytest.raises(LookupError):
        transition_of("withdraw")


def test_the_table_names_only_real_statuses():
    for row in TRANSITIONS:
        assert row.target in Status.values and (row.source is None or row.source in Status.values)
        assert row.by and row.verb
    assert len({t.verb for t in TRANSITIONS}) == len(TRANSITIONS)


# --- no status assignment outside the table ---------------------------------------------------------

_CREATING = {"Application", "create", "update", "update_or_create", "get_or_create"}


def status_assignments(source: str) -> list[int]:
    """Lines assigning an application's status: `<application>.status = ...`, `setattr(x, "status", ...)`, or
    `status=Application.Status.X` given to a constructor, create() or update()."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
            if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "status":
                owner, value = ast.unparse(target.value), ast.unparse(node.value) if node.value else ""
                if "application" in owner.lower() or "Application.Status" in value:
                    found.append(node.lineno)
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "setattr" and len(node.args) > 1 and ast.unparse(node.args[1]) in ("'status'", '"status"'):
                found.append(node.lineno)
            for keyword in node.keywords:
                if keyword.arg == "status" and name in _CREATING and "Application.Status" in ast.unparse(keyword.value):
                    found.append(node.lineno)
    return found


def test_the_static_check_finds_a_status_assignment():
    """The check below can fail: each way of writing the status is caught."""
    bad = ("application.status = Application.Status.ISSUED\n"
           "app.status = Application.Status.REJECTED\n"
           "setattr(application, 'status', 'issued')\n"
           "Application.objects.filter(pk=1).update(status=Application.Status.ISSUED)\n"
           "Application(status=Application.Status.ISSUED)\n"
           "permit.status = Permit.Status.REVOKED\n"                 # another model: fine
           "Application.objects.filter(status=Application.Status.ISSUED)\n")  # a read: fine
    assert status_assignments(bad) == [1, 2, 3, 4, 5]


def test_no_code_outside_the_transition_table_assigns_an_application_status():
    offenders = []
    for folder in ("permits", "platform", "billing_free", "tenants"):
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative == "permits/services/transitions.py":
                continue
            offenders += [f"{relative}:{line}" for line in status_assignments(path.read_text())]
    assert offenders == []
