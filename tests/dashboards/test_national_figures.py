"""The national figures summed in SQL equal every decision of the period counted one by one, and the
migration that turned each day's histogram into an array keeps every count."""
from __future__ import annotations

import datetime as dt
import importlib
import json
import random
import statistics
from collections import Counter
from decimal import Decimal

from django.db import connection

from pintu.dashboards import selectors
from pintu.dashboards.models import RegencyDailyStats

FIRST = dt.date(2026, 11, 1)
#: 0 working days, the usual few, and the last position summed in SQL (31) and beyond it (added in Python).
SPANS = (0, 1, 2, 3, 3, 4, 5, 8, 31, 32, 33, 47)


def _median(spans: list[int]) -> Decimal:
    return Decimal(str(statistics.median(spans))).quantize(Decimal("0.1"))


def test_period_medians_are_those_of_every_decision_in_the_period(trenggalek, blitar, db):
    rng = random.Random(18)
    decisions: dict[int, list[int]] = {}
    for regency, days in ((trenggalek, 30), (blitar, 29)):
        decisions[regency.pk] = []
        for offset in range(days):
            spans = [rng.choice(SPANS) for _ in range(rng.randint(0, 6))]
            decisions[regency.pk] += spans
            RegencyDailyStats.objects.create(regency=regency, day=FIRST + dt.timedelta(days=offset),
                                             decided=len(spans), sla_met=len(spans),
                                             decision_days={str(k): v for k, v in Counter(spans).items()})
    # One regency's count of decisions even (the median between two), the other's odd.
    if len(decisions[trenggalek.pk]) % 2:
        RegencyDailyStats.objects.create(regency=trenggalek, day=FIRST - dt.timedelta(days=1), decided=1,
                                         sla_met=1, decision_days={"40": 1})
        decisions[trenggalek.pk].append(40)
    if not len(decisions[blitar.pk]) % 2:
        RegencyDailyStats.objects.create(regency=blitar, day=FIRST + dt.timedelta(days=29), decided=1, sla_met=1,
                                         decision_days={"2": 1})
        decisions[blitar.pk].append(2)
    period = selectors.DayRange(FIRST - dt.timedelta(days=1), FIRST + dt.timedelta(days=29))

    rows = {row.regency.pk: row for row in selectors.national_rows(period=period)}
    for pk, spans in decisions.items():
        assert rows[pk].figures.decision_days == Counter(spans)
        assert rows[pk].figures.median_working_days == _median(spans)
        assert rows[pk].figures.decided == len(spans)
    both = decisions[trenggalek.pk] + decisions[blitar.pk]
    assert selectors.national_totals(list(rows.values())).median_working_days == _median(both)
    assert min(max(spans) for spans in decisions.values()) > 31  # positions beyond those summed in SQL count
    # The regency's own dashboard adds the same rows one by one, through the model: the same figures.
    by_day = selectors.Figures()
    for day in selectors.regency_daily_rows(regency=blitar, period=period):
        by_day.add_day(day)
    assert by_day.decision_days == Counter(decisions[blitar.pk])
    assert by_day.median_working_days == rows[blitar.pk].figures.median_working_days


def test_the_migration_turns_each_days_object_into_an_array_and_back(db):
    migration = importlib.import_module("pintu.dashboards.migrations.0002_decision_days_array")
    objects = ['{}', '{"0": 2}', '{"3": 1, "7": 2}', '{"12": 1, "2": 4}']
    with connection.cursor() as cursor:
        # A temporary table of that name comes first on the search path: the real rows are not touched.
        cursor.execute(f"CREATE TEMPORARY TABLE {migration.TABLE} (id integer, decision_days jsonb NOT NULL)")
        cursor.executemany(f"INSERT INTO {migration.TABLE} VALUES (%s, %s::jsonb)", list(enumerate(objects)))
        cursor.execute(migration.FORWARD)
        cursor.execute(f"SELECT decision_days FROM {migration.TABLE} ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == [[], [2], [0, 0, 0, 1, 0, 0, 0, 2],
                                                         [0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]]
        cursor.execute(migration.BACKWARD)
        cursor.execute(f"SELECT decision_days FROM {migration.TABLE} ORDER BY id")
        assert [json.loads(row[0]) for row in cursor.fetchall()] == [{}, {"0": 2}, {"3": 1, "7": 2}, {"2": 4, "12": 1}]
        cursor.execute(f"DROP TABLE pg_temp.{migration.TABLE}")
