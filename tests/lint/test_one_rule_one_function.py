"""A rule written twice drifts: each of these lives in one function, and its old copies stay gone.

Static checks over the source (migrations and tests aside); the behaviour of each function is
tested beside it (tests/access/test_access_rules.py, tests/permits/test_one_rule.py).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for folder in ("platform", "permits", "billing_free", "tenants") for p in (ROOT / folder).rglob("*.py")
           if "migrations" not in p.parts]
TEMPLATES = [p for folder in ("platform", "permits", "billing_free", "tenants") for p in (ROOT / folder).rglob("*.html")]


def _where(pattern: str, files=SOURCES) -> list[str]:
    found = []
    regex = re.compile(pattern)
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if regex.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    return found


def _files(pattern: str, files=SOURCES) -> set[str]:
    return {entry.rsplit(":", 1)[0] for entry in _where(pattern, files)}


def test_the_sources_are_there():
    assert len(SOURCES) > 200  # the checks below would pass vacuously on an empty tree


@pytest.mark.parametrize("pattern, home", [
    # who may do what: pintu.access
    (r"def ministry_role_required\b", {"platform/pintu/access/permissions.py"}),
    (r"def (user_)?ministry_roles\b", {"platform/pintu/access/selectors.py"}),
    (r"MinistryRole\.objects\.filter\(user", {"platform/pintu/access/selectors.py"}),
    (r"def is_own_application\b", {"platform/pintu/access/selectors.py"}),
    (r"class \w+\(BasePermission\)", {"platform/pintu/access/permissions.py"}),
    # one error handler, one API base
    (r"def get_exception_handler\b", {"platform/pintu/api.py"}),
    (r"def exception_handler\b", {"platform/pintu/api.py"}),
    # the working-day loop and its test of a day
    (r"weekday\(\) *(<|>=) *5", {"permits/selectors/calendar.py"}),
    (r"def working_days_counted\b", {"permits/selectors/calendar.py"}),
    # codes read aloud: one alphabet, one random source
    (r"secrets\.choice\(", {"platform/pintu/follow_code.py"}),
    (r"ABCDEFGHJK", {"platform/pintu/follow_code.py"}),
    # what a worklist card offers (decide, claim), page and API alike
    (r"def step_offer\b", {"permits/selectors/delegation.py"}),
    (r"may_decide and not ", {"permits/selectors/delegation.py"}),
    # refusals onto forms
    (r"def errors_onto\b", {"platform/pintu/errors.py"}),
    (r"form\.add_error\(\w+ if \w+ in (self|form)\.fields", {"platform/pintu/errors.py"}),
])
def test_a_rule_is_defined_in_one_place(pattern, home):
    assert _files(pattern) == home, _where(pattern)


def test_role_groups_are_declared_once_in_pintu_access_roles():
    # A literal group of two or more roles (a tuple, list or set) outside pintu.access.roles is a second copy.
    pattern = r"[({\[]\s*(MinistryRole\.)?Role\.[A-Z_]+\s*,\s*(MinistryRole\.)?Role\.[A-Z_]+"
    assert _files(pattern) <= {"platform/pintu/access/roles.py"}, _where(pattern)


def test_a_refusal_goes_onto_a_form_through_errors_onto():
    # By hand a refusal's message lands on one spot whatever fields it names. The configuration import
    # page alone shows the whole message (it names the entry: "permit_types[2] (pbg): ...") on its file.
    pattern = r"add_error\(.*\bexc\.message\b"
    assert _files(pattern) <= {"permits/views/admin/settings.py"}, _where(pattern)


def test_the_applicants_own_application_is_one_predicate():
    pattern = r"applicant_id (==|!=) "
    assert _files(pattern) == {"platform/pintu/access/selectors.py"}, _where(pattern)


def test_draft_or_returned_means_editable_is_one_predicate():
    pattern = r"Status\.DRAFT,\s*(\w+\.)?Status\.RETURNED|Status\.RETURNED,\s*(\w+\.)?Status\.DRAFT"
    assert _files(pattern) == {"permits/models/applications.py"}, _where(pattern)
    assert _where(r"\bis_editable\b", [ROOT / "permits/services/applications.py"])
    assert _where(r"\.is_editable\b", [ROOT / "permits/views/applicant.py"])
    assert _where(r"\.is_editable\b", [ROOT / "permits/views/counter.py"])


def test_field_kinds_are_switched_on_nowhere_but_in_their_registry():
    # Drawing (views/forms.py) and checking (services/catalog.py) both read permits.field_kinds.
    pattern = r"kind (==|in) \(?(FormField\.Kind\.|[\"'](text|number|date|choice|nik|nib|district|address)[\"'])"
    assert _files(pattern) == set(), _where(pattern)
    assert _where(r"FIELD_KINDS", [ROOT / "permits/views/forms.py"])
    assert _where(r"FIELD_KINDS", [ROOT / "permits/services/catalog.py"])
    assert _where(r"FIELD_KINDS", [ROOT / "permits/selectors/forms.py"])


def test_month_and_day_names_come_from_django_not_a_hand_made_list():
    names = r"[\"'](Januari|Februari|Maret|Agustus|Desember|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu)[\"']\s*,"
    assert _where(names) == []
    assert _where(names, TEMPLATES) == []
