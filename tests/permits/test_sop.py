"""SOP validation (errors vs warnings) and versioning (what an application holds is never changed)."""
import pytest

from permits.errors import ConfigInvalid, SopInvalid, SopNotEditable
from permits.models import Sop
from permits.selectors.workflow import sop_in_force, sop_validate
from permits.services.workflow import sop_publish, sop_revise, sop_step_add, sop_steps_set
from pintu.access.models import Role
from tests.factories import sip_steps


def _codes(issues):
    return sorted({i.code for i in issues})


def test_a_valid_sop_publishes_with_warnings_for_roles_nobody_holds(permit_type):
    draft = sop_steps_set(sop=sop_revise(permit_type=permit_type), steps=sip_steps())
    sop, report = sop_publish(sop=draft)
    assert sop.status == Sop.Status.PUBLISHED and sop.version == 1
    assert report.errors == []
    assert _codes(report.warnings) == ["role_unheld"]
    assert any("Satpol PP" in w.message for w in report.warnings)
    assert sop_in_force(permit_type) == sop


def test_warning_disappears_once_someone_holds_the_role(permit_type, trenggalek, officer):
    for role, agency in [(Role.FRONT_OFFICE, ""), (Role.TECHNICAL_TEAM, "Dinas Kesehatan"),
                         (Role.TECHNICAL_TEAM, "Satpol PP"), (Role.SIGNING_OFFICIAL, "")]:
        officer(trenggalek, role, agency)
    draft = sop_steps_set(sop=sop_revise(permit_type=permit_type), steps=sip_steps())
    assert sop_validate(draft).warnings == []


@pytest.mark.parametrize("mutate, code", [
    (lambda s: [x for x in s if "approve_sign" not in x["allowed_actions"]], "no_signing_step"),
    (lambda s: s + [{"name": "Arsip", "role": "front_office", "allowed_actions": ["forward"]}], "step_after_decision"),
    (lambda s: [s[0], s[1], s[3]], "parallel_group_empty"),
    (lambda s: [s[1], s[0], s[2], s[3]], "parallel_group_split"),
    (lambda s: s[:3] + [dict(s[3], parallel_group="kajian")], "signing_in_parallel_group"),
    (lambda s: [], "no_steps"),
])
def test_an_invalid_sop_is_refused_with_a_clear_reason(permit_type, mutate, code):
    draft = sop_steps_set(sop=sop_revise(permit_type=permit_type), steps=mutate(sip_steps()))
    with pytest.raises(SopInvalid) as exc:
        sop_publish(sop=draft)
    assert code in [e["code"] for e in exc.value.detail["errors"]]
    assert "warnings" in exc.value.detail
    draft.refresh_from_db()
    assert draft.status == Sop.Status.DRAFT and sop_in_force(permit_type) is None


def test_step_shape_errors_name_the_step(permit_type):
    steps = sip_steps()
    steps[1]["agency"] = ""
    steps[2]["role"] = "dukun"
    steps[3]["allowed_actions"] = ["approve_sign", "bribe"]
    with pytest.raises(ConfigInvalid) as exc:
        sop_steps_set(sop=sop_revise(permit_type=permit_type), steps=steps)
    fields = exc.value.detail["fields"]
    assert fields["steps[1].agency"][0]["code"] == "agency_required"
    assert fields["steps[2].role"][0]["code"] == "invalid_choice"
    assert fields["steps[3].allowed_actions"][0]["code"] == "invalid_choice"


def test_editing_a_published_sop_makes_a_new_version_and_v1_stays_as_it_was(permit_type):
    v1, _ = sop_publish(sop=sop_steps_set(sop=sop_revise(permit_type=permit_type), steps=sip_steps()))
    held_by_application = v1.pk  # what an application stores at submission
    v1_steps = [(s.order, s.name, s.sla_working_days) for s in v1.steps.order_by("order")]

    draft = sop_step_add(sop=v1, step={"name": "Survei lapangan", "role": "surveyor", "sla_working_days": 1,
                                       "allowed_actions": ["forward", "return"]}, position=4)
    assert draft.pk != v1.pk and draft.version == 2 and draft.status == Sop.Status.DRAFT
    assert sop_in_force(permit_type).pk == v1.pk  # a draft changes nothing in force
    assert sop_revise(permit_type=permit_type).pk == draft.pk  # one draft at a time

    v2, _ = sop_publish(sop=draft)
    assert sop_in_force(permit_type).pk == v2.pk
    old = Sop.objects.get(pk=held_by_application)
    assert old.status == Sop.Status.RETIRED and old.retired_at is not None
    assert [(s.order, s.name, s.sla_working_days) for s in old.steps.order_by("order")] == v1_steps
    assert [s.name for s in v2.steps.order_by("order")][3] == "Survei lapangan"
    with pytest.raises(SopNotEditable):
        sop_publish(sop=old)


def test_a_survey_step_without_a_checklist_is_warned_about(permit_type):
    """Issue #14.7: a survey step closes with its report and its checklist; without one, publishing says so."""
    steps = sip_steps()
    steps.insert(3, {"name": "Survei lapangan", "role": "surveyor", "sla_working_days": 1,
                     "allowed_actions": ["forward", "return"]})
    report = sop_validate(sop_steps_set(sop=sop_revise(permit_type=permit_type), steps=steps))
    assert "survey_without_checklist" in _codes(report.warnings) and not report.errors
    steps[3]["checklist"] = ["Lokasi sesuai permohonan"]
    report = sop_validate(sop_steps_set(sop=sop_revise(permit_type=permit_type), steps=steps))
    assert "survey_without_checklist" not in _codes(report.warnings)
