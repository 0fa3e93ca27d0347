"""Working days: weekends, national holidays, joint leave (cuti bersama) and local holidays."""
import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from permits.selectors.calendar import sla_due_at, working_days_add, working_days_between
from permits.services.calendar import local_holiday_create

D = dt.date


def _reads(queries):
    return [q for q in queries.captured_queries if not q["sql"].startswith("SET search_path")]


def test_idul_fitri_2026_joint_leave_is_skipped(in_trenggalek, national_2026):
    # Thu 19 Mar (Nyepi) .. Tue 24 Mar 2026 is one long break: Nyepi, joint leave, Idul Fitri, joint leave.
    # From Tue 17 Mar: Wed 18 (joint leave Nyepi) off, Thu 19 off, Fri 20 off, Mon 23 + Tue 24 off.
    assert working_days_add(D(2026, 3, 17), 1) == D(2026, 3, 25)
    assert working_days_add(D(2026, 3, 17), 5) == D(2026, 3, 31)
    assert working_days_between(D(2026, 3, 17), D(2026, 3, 31)) == 5


def test_without_the_calendar_the_same_span_counts_weekdays_only(in_trenggalek):
    assert working_days_add(D(2026, 3, 17), 1) == D(2026, 3, 18)


def test_a_local_holiday_moves_the_due_date_only_in_its_regency(in_trenggalek, national_2026, blitar):
    from django_tenants.utils import schema_context

    before = working_days_add(D(2026, 8, 27), 3)  # Thu 27 Aug -> Fri 28, Mon 31, Tue 1 Sep
    assert before == D(2026, 9, 1)
    local_holiday_create(date=D(2026, 8, 31), name="Hari Jadi Kabupaten Trenggalek")
    assert working_days_add(D(2026, 8, 27), 3) == D(2026, 9, 2)
    with schema_context(blitar.schema_name):
        assert working_days_add(D(2026, 8, 27), 3) == D(2026, 9, 1)


def test_holidays_are_read_once_per_call_not_per_day(in_trenggalek, national_2026):
    with CaptureQueriesContext(connection) as queries:
        working_days_add(D(2026, 1, 2), 60)
    assert len(_reads(queries)) == 1
    with CaptureQueriesContext(connection) as queries:
        working_days_between(D(2026, 1, 2), D(2026, 6, 30))
    assert len(_reads(queries)) == 1


def test_between_inverts_add(in_trenggalek, national_2026):
    start = D(2026, 3, 10)
    for n in (0, 1, 4, 9, 20):
        assert working_days_between(start, working_days_add(start, n)) == n


def test_sla_due_is_end_of_day_in_the_regency_zone(in_trenggalek, national_2026):
    started = dt.datetime(2026, 3, 17, 2, 0, tzinfo=dt.timezone.utc)  # 09:00 WIB
    due = sla_due_at(started_at=started, working_days=5)
    assert due.date() == D(2026, 3, 31)
    assert due.utcoffset() == dt.timedelta(hours=7)
    assert (due.hour, due.minute) == (23, 59)
