"""Reads about applications: tracking, worklists, the applicant's own files, verification."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, connections
from django.db.models import BooleanField, F, Func, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from permits.models.applications import Application, ApplicationEvent, Permit, StepTask
from permits.models.catalog import PermitType
from permits.models.workflow import SopStep
from permits.regency import regency_now
from pintu.access.models import Role
from pintu.access.selectors import membership_teams
from pintu.degraded.state import read_alias

if TYPE_CHECKING:
    from pintu.identity.models import User

DUE_SOON = dt.timedelta(days=2)  # a step is "due soon" within two days of its deadline


#: What tracking (page and API) reads of an application: never its form answers or the letter templates.
TRACKING_FIELDS = (
    "registration_number", "tracking_code", "status", "submitted_at", "due_at", "levy_amount", "permit_type__name",
    "permit_type__levy_amount", "permit_type__levy_regulation_number", "permit_type__levy_regulation_year",
    "permit_type__levy_regulation_article",
)


def application_for_tracking(*, registration_number: str, tracking_code: str) -> Application | None:
    """The application matching both numbers (no sign-in needed); None otherwise, never a hint which was wrong."""
    application = (Application.objects.select_related("permit_type").only(*TRACKING_FIELDS)
                   .filter(registration_number=(registration_number or "").strip().upper()).order_by().first())
    if application is None or not constant_time_compare(application.tracking_code,
                                                        (tracking_code or "").strip().upper()):
        return None
    return application


@dataclass
class Tracking:
    application: Application
    events: list[ApplicationEvent] | list[TrackedEvent]  # models, or (time, message) read in one query
    holders: list[str]  # roles (not names) holding the file now
    due_at: dt.datetime | None  # in the regency's zone
    permit_state: str = ""  # valid / revoked / expired / renewed once a permit is issued

    @property
    def status_label(self) -> str:
        """The status in words: the enum's label (`get_status_display` rebuilds a dict of lazy labels per call);
        once issued, the permit's state (a revoked permit never reads "Izin terbit")."""
        if self.application.status == Application.Status.ISSUED and self.permit_state:
            return str(PERMIT_STATE_LABELS[self.permit_state])
        return Application.Status(self.application.status).label


def _holders(application: Application, open_steps: Iterable[tuple[str, str, str]]) -> list[str]:
    """Who holds the file now, as roles: `open_steps` are (step name, role, agency) of its open steps."""
    if application.status == Application.Status.RETURNED:
        return ["Pemohon (perbaikan berkas)"]
    labels = dict(Role.choices)
    return [f"{step} — {labels.get(role, role)}" + (f" ({agency})" if agency else "")
            for step, role, agency in open_steps]


def application_tracking(application: Application) -> Tracking:
    open_steps = () if application.status == Application.Status.RETURNED else (
        StepTask.objects.filter(application=application, status=StepTask.Status.OPEN)
        .values_list("step__name", "role", "agency"))
    return Tracking(
        application=application,
        events=list(application.events.all()),
        holders=_holders(application, open_steps),
        due_at=regency_now(at=application.due_at) if application.due_at else None,
        permit_state=_application_permit_state(application),
    )


def _application_permit_state(application: Application) -> str:
    if application.status != Application.Status.ISSUED:
        return ""
    permit = Permit.objects.filter(application_id=application.pk).first()
    return permit_state(permit) if permit else ""


class TrackedEvent(NamedTuple):
    at: dt.datetime
    message: str


#: The public tracking page in one round trip: the application and its permit type by number, its
#: history and its open steps as arrays (same orders as the models' default orderings).
_TRACKING_SQL = """
SELECT a.id, a.tracking_code, a.status, a.submitted_at, a.due_at, a.levy_amount,
       p.id, p.name, p.levy_amount, p.levy_regulation_number, p.levy_regulation_year, p.levy_regulation_article,
       ARRAY(SELECT e.at FROM {event} e WHERE e.application_id = a.id ORDER BY e.at, e.id),
       ARRAY(SELECT e.message FROM {event} e WHERE e.application_id = a.id ORDER BY e.at, e.id),
       ARRAY(SELECT ARRAY[s.name, t.role, t.agency] FROM {task} t JOIN {step} s ON s.id = t.step_id
             WHERE t.application_id = a.id AND t.status = %s ORDER BY t.due_at, t.id),
       pm.status, pm.valid_until,
       EXISTS(SELECT 1 FROM {application} r WHERE r.renewal_of_id = pm.id AND r.status = %s)
FROM {application} a JOIN {permit_type} p ON p.id = a.permit_type_id
LEFT JOIN {permit} pm ON pm.application_id = a.id
WHERE a.registration_number = %s
""".format(application=Application._meta.db_table, permit_type=PermitType._meta.db_table, permit=Permit._meta.db_table,
           event=ApplicationEvent._meta.db_table, task=StepTask._meta.db_table, step=SopStep._meta.db_table)


class TrackingRow:
    """What `tracking_lookup` read: its `stamp` at once; the `Tracking` (models, history, holders) is
    built from the row only when something reads it — a page served from the cache never does."""

    def __init__(self, row: tuple, registration_number: str) -> None:
        self._row, self._number = row, registration_number
        permit_status, valid_until, is_renewed = row[15:18]
        self.permit_state = permit_state_of(status=permit_status, valid_until=valid_until,
                                            is_renewed=is_renewed) if permit_status else ""
        #: A hash of everything read and of the permit's state today (expiry comes with the date):
        #: any change to the application, its history, its open steps or its permit gives another
        #: one (the tracking page's cache key).
        self.stamp = hashlib.blake2b(repr((row, self.permit_state)).encode(), digest_size=16).hexdigest()

    @cached_property
    def tracking(self) -> Tracking:
        (pk, code, status, submitted_at, due_at, levy, type_pk, type_name, type_levy, number, year, article,
         event_times, event_messages, open_steps) = self._row[:15]
        permit_type = PermitType(pk=type_pk, name=type_name, levy_amount=type_levy, levy_regulation_number=number,
                                 levy_regulation_year=year, levy_regulation_article=article)
        application = Application(pk=pk, registration_number=self._number, tracking_code=code, status=status,
                                  submitted_at=submitted_at, due_at=due_at, levy_amount=levy,
                                  permit_type=permit_type)
        return Tracking(
            application=application,
            events=[TrackedEvent(at, message) for at, message in zip(event_times, event_messages)],
            holders=_holders(application, open_steps),
            due_at=regency_now(at=due_at) if due_at else None,
            permit_state=self.permit_state if status == Application.Status.ISSUED else "",
        )

    def __getattr__(self, name: str) -> Any:  # application, events, holders, due_at, status_label
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.tracking, name)


def tracking_lookup(*, registration_number: str, tracking_code: str) -> TrackingRow | None:
    """`application_tracking` of the application matching both numbers, read in ONE query; None otherwise.

    The public tracking page's read (anonymous, the most frequent page): no model query compiled, the
    history and the open steps come as arrays of the application's row. The application and its
    permit type are built from the row with what the page and the cost sentence read
    (`TRACKING_FIELDS`), and only when read; events carry their time and message only.
    """
    number = (registration_number or "").strip().upper()
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(_TRACKING_SQL, [StepTask.Status.OPEN, Application.Status.ISSUED, number])
        row = cursor.fetchone()
    if row is None or not constant_time_compare(row[1], (tracking_code or "").strip().upper()):
        return None
    return TrackingRow(row, number)


def permit_for_tracking(*, registration_number: str, tracking_code: str) -> Permit | None:
    """The valid signed permit of the application matching both numbers (what a walk-in holds); None otherwise."""
    number = (registration_number or "").strip().upper()
    application = (Application.objects.filter(registration_number=number).select_related("permit").first()
                   if number else None)
    if application is None or not constant_time_compare(application.tracking_code,
                                                         (tracking_code or "").strip().upper()):
        return None
    permit = getattr(application, "permit", None)
    return permit if permit is not None and permit.status == Permit.Status.VALID else None


def applications_of(*, applicant: User) -> QuerySet[Application]:
    return (Application.objects.filter(applicant=applicant).select_related("permit_type", "permit")
            .order_by("-created_at"))


def officer_teams(*, officer: User) -> list[tuple[str, str]]:
    """(role, agency) of each active membership of `officer` here: what their worklist is made of."""
    return membership_teams(user=officer)


def steps_of_teams(teams: list[tuple[str, str]]) -> Q:
    """The steps a team acts on (`teams` from `officer_teams`): its role's steps, a technical team's
    only those of its own agency. Nothing when `teams` is empty."""
    allowed = Q(pk__in=[])
    for role, agency in teams:
        if role == Role.TECHNICAL_TEAM:
            allowed |= Q(role=role, agency=agency)
        else:
            allowed |= Q(role=role)
    return allowed


def worklist(*, officer: User, scope: str = "mine", teams: list[tuple[str, str]] | None = None,
             paged: bool = False, now: dt.datetime | None = None) -> QuerySet[StepTask]:
    """Open steps an officer may act on here: `mine` (claimed by me or unclaimed), `due_soon` (2 days), `late`.

    Plain rows, no joins fetched; take the full rows of one page with `worklist_rows`. `teams` (from
    `officer_teams`) saves its query when known.

    `paged=False` (an exact count over every open step, the API's pages): the application's status is
    joined from the index of applications in process, so counting reads the covering index of open steps
    and that index, never the history. `paged=True` (a page, or a count capped at a few rows): the status
    is looked up per step by the application's primary key, a subquery the planner cannot turn into a
    join, so a LIMIT in due order stops after the rows it needs (at 1 M applications, 26 index entries and
    26 lookups instead of a hash join over all 10,000 open steps and a sort: bench/README.md).
    """
    allowed = steps_of_teams(officer_teams(officer=officer) if teams is None else teams)
    qs = StepTask.objects.filter(allowed, status=StepTask.Status.OPEN)
    if paged:
        # Written as "none of the other statuses": the planner's default guess for `= 'in_process'` on a
        # subquery is 0.5 % of the rows, so it would plan to read every open step (and sort them) to find
        # a page; "not any of the others" it guesses at ~97 %, which is what open steps are.
        qs = qs.alias(_application_status=Subquery(
            Application.objects.filter(pk=OuterRef("application_id")).order_by().values("status")[:1])
        ).exclude(_application_status__in=[s for s in Application.Status.values if s != Application.Status.IN_PROCESS])
    else:
        qs = qs.filter(application__status=Application.Status.IN_PROCESS)
    qs = qs.filter(Q(claimed_by__isnull=True) | Q(claimed_by=officer))
    due_from, due_before = worklist_due_window(scope, now or timezone.now())
    if due_from is not None:
        qs = qs.filter(due_at__gte=due_from)
    if due_before is not None:
        qs = qs.filter(due_at__lt=due_before)
    return qs.order_by("due_at", "pk")


def worklist_due_window(scope: str, now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    """[from, before) of the deadlines a worklist scope holds (None: unbounded): late is before now, due
    soon within DUE_SOON of it, mine any."""
    if scope == "late":
        return None, now
    if scope == "due_soon":
        return now, now + DUE_SOON
    return None, None


def worklist_after(tasks: QuerySet[StepTask], *, due_at: dt.datetime, pk: int) -> QuerySet[StepTask]:
    """The rest of a worklist after the row (due_at, pk): keyset paging, no OFFSET."""
    return tasks.filter(Q(due_at__gt=due_at) | Q(due_at=due_at, pk__gt=pk))


#: What a worklist row shows (page and API), in `WorklistRow`'s order after the step's id; the rest (form
#: answers, letter templates) stays in the database.
WORKLIST_ROW_FIELDS = (
    "application_id", "step_id", "stage", "role", "agency", "status", "claimed_by_id", "opened_at", "due_at",
    "application__registration_number", "application__permit_type_id", "application__permit_type__name",
    "step__name", "step__allowed_actions", "step__checklist", "claimed_by__full_name",
)


class WorklistApplication(NamedTuple):
    registration_number: str
    permit_type_id: int
    permit_type: PermitType  # pk and name only


class WorklistStep(NamedTuple):
    name: str
    allowed_actions: list[str]
    checklist: list[str]


class WorklistClaimer(NamedTuple):
    pk: int
    full_name: str


class WorklistRow(NamedTuple):
    """One open step of a worklist as plain values, read the way a `StepTask` is (`row.application.
    registration_number`, `row.step.allowed_actions`, `row.claimed_by.full_name`), so the page, the
    API's `TaskSerializer` and `signing_authorities` read either."""

    pk: int
    application_id: int
    step_id: int
    stage: int
    role: str
    agency: str
    status: str
    claimed_by_id: int | None
    opened_at: dt.datetime
    due_at: dt.datetime
    application: WorklistApplication
    step: WorklistStep
    claimed_by: WorklistClaimer | None

    @property
    def id(self) -> int:
        return self.pk


def worklist_rows(ids: Iterable[int]) -> list[WorklistRow]:
    """Full rows (application, permit type, step, claimer) of the steps `ids`, in worklist order, as plain
    values (the API's page of ids; a page of the office's worklist comes from `worklist_page_rows`).

    Tuples, not models: building 26 steps with four related models each was a quarter of the worklist
    page's CPU.
    """
    return _rows(StepTask.objects.filter(pk__in=list(ids)).order_by("due_at", "pk")
                 .values_list("pk", *WORKLIST_ROW_FIELDS))


def _rows(values: Iterable[tuple]) -> list[WorklistRow]:
    """`WorklistRow`s of tuples in the order ("pk", *WORKLIST_ROW_FIELDS); a permit type built once."""
    types: dict[int, PermitType] = {}
    rows = []
    for (pk, application_id, step_id, stage, role, agency, status, claimed_by_id, opened_at, due_at, number,
         type_id, type_name, step_name, actions, checklist, claimer_name) in values:
        permit_type = types.get(type_id)
        if permit_type is None:
            permit_type = types[type_id] = PermitType(pk=type_id, name=type_name)
        rows.append(WorklistRow(
            pk, application_id, step_id, stage, role, agency, status, claimed_by_id, opened_at, due_at,
            WorklistApplication(number, type_id, permit_type), WorklistStep(step_name, actions, checklist),
            WorklistClaimer(claimed_by_id, claimer_name) if claimed_by_id is not None else None))
    return rows


# Marks put in a worklist's statement in place of one request's values, so that the statement is built
# and compiled once per process and shape (`worklist_statement`): building and compiling a worklist costs
# 2.5-5 ms of CPU, as much as the page's two queries take in the database. Nothing real equals a mark.
OFFICER_MARK = -987_654_321  # no user has this pk
_AFTER_PK_MARK = -987_654_322
_NOW_MARK = dt.datetime(1001, 1, 1, tzinfo=dt.timezone.utc)
_AFTER_DUE_MARK = dt.datetime(1002, 1, 1, tzinfo=dt.timezone.utc)
_TEAM_ROLE_MARK, _TEAM_AGENCY_MARK = "\x00role", "\x00agency"  # PostgreSQL text cannot even hold NUL


def agency_mark(index: int) -> str:
    return f"\x00agency {index}"


def teams_shape(teams: list[tuple[str, str]]) -> tuple[tuple[str, bool], ...]:
    """What a worklist's statement depends on of the teams: each one's role and whether it is a technical
    team (whose agency is a parameter)."""
    return tuple((role, role == Role.TECHNICAL_TEAM) for role, _ in teams)


def teams_marked(shape: tuple[tuple[str, bool], ...]) -> list[tuple[str, str]]:
    """Teams of `shape` with `agency_mark`s for agencies: build a worklist with them, then `marks_filled`."""
    return [(role, agency_mark(i) if is_technical else "") for i, (role, is_technical) in enumerate(shape)]


def marks_filled(marked: Iterable[Any], *, officer: User, teams: list[tuple[str, str]],
                 more: dict[Any, Any] | None = None) -> list[Any]:
    """The parameters of a statement built with marks, each mark replaced by this request's value."""
    values: dict[Any, Any] = {OFFICER_MARK: officer.pk, **(more or {})}
    values.update((agency_mark(i), agency) for i, (_, agency) in enumerate(teams))
    return [values.get(p, p) for p in marked]


_PAGE_SQL: dict[tuple, tuple[str, list[Any]]] = {}


def worklist_page_rows(*, officer: User, teams: list[tuple[str, str]], scope: str = "mine",
                       team: tuple[str, str] | None = None, after: tuple[dt.datetime, int] | None = None,
                       limit: int) -> list[WorklistRow]:
    """The first `limit` rows of `worklist(officer=, scope=, teams=, paged=True)`, of one team (role,
    agency) when given, after the row (due_at, pk) when given (keyset paging), in ONE query.

    Two steps in one statement on purpose: the planner cannot know that open steps belong to
    applications in process, so a LIMIT over the joined rows would sort every open step's full row; the
    ids come from indexes, as `= ANY(ARRAY(...))`, an init plan the planner does not weigh as a join
    (planning 1.8 -> 1.1 ms at 1 M applications). The statement is built once per process and shape
    (marks for the officer, agencies, the scope's window and the cursor); only the values change.
    """
    if not teams:
        return []
    shape = teams_shape(teams)
    key = (shape, scope, team is not None, after is not None, limit)
    if key not in _PAGE_SQL:
        from pintu.identity.models import User

        ids = worklist(officer=User(pk=OFFICER_MARK), scope=scope, teams=teams_marked(shape), paged=True,
                       now=_NOW_MARK)
        if team is not None:
            ids = ids.filter(role=_TEAM_ROLE_MARK, agency=_TEAM_AGENCY_MARK)
        if after is not None:
            ids = worklist_after(ids, due_at=_AFTER_DUE_MARK, pk=_AFTER_PK_MARK)
        chosen = Func(F("pk"), ArraySubquery(ids.values("pk")[:limit]), arg_joiner=" = ANY(",
                      template="%(expressions)s)", output_field=BooleanField())
        sql, marked = (StepTask.objects.filter(chosen).order_by("due_at", "pk")
                       .values_list("pk", *WORKLIST_ROW_FIELDS).query.sql_with_params())
        if len(_PAGE_SQL) > 512:  # a few shapes in practice; never grows without bound
            _PAGE_SQL.clear()
        _PAGE_SQL[key] = (sql, list(marked))
    sql, marked = _PAGE_SQL[key]
    now = timezone.now()
    more: dict[Any, Any] = dict(zip(worklist_due_window(scope, _NOW_MARK), worklist_due_window(scope, now)))
    if team is not None:
        more.update({_TEAM_ROLE_MARK: team[0], _TEAM_AGENCY_MARK: team[1]})
    if after is not None:
        more.update({_AFTER_DUE_MARK: after[0], _AFTER_PK_MARK: after[1]})
    with connection.cursor() as cursor:
        cursor.execute(sql, marks_filled(marked, officer=officer, teams=teams, more=more))
        # The checklist is jsonb, which Django's connection hands over as text (JSONField decodes it).
        return _rows(row[:15] + (json.loads(row[15]),) + row[16:] for row in cursor.fetchall())


#: What a person reads as the status of an issued application, by its permit's state.
PERMIT_STATE_LABELS = {
    "valid": _("Izin terbit"),
    "revoked": _("Izin dicabut"),
    "expired": _("Izin kedaluwarsa"),
    "renewed": _("Izin diperpanjang"),
}


def permit_state_of(*, status: str, valid_until: dt.date | None, is_renewed: bool) -> str:
    """valid / revoked / expired / renewed from a permit's own values, as the regency's calendar reads today.

    One rule for the applicant's page, the portal, public tracking and the verification page.
    """
    from permits.regency import regency_today

    if status == Permit.Status.REVOKED:
        return "revoked"
    if is_renewed:
        return "renewed"
    if valid_until and valid_until < regency_today():
        return "expired"
    return "valid"


def permit_state(permit: Permit) -> str:
    """valid / revoked / expired / renewed (a renewal of it was issued) for this permit today."""
    is_renewed = permit.status != Permit.Status.REVOKED and permit.renewals.filter(
        status=Application.Status.ISSUED).exists()
    return permit_state_of(status=permit.status, valid_until=permit.valid_until, is_renewed=is_renewed)


def permit_for_verification(code: str) -> Permit | None:
    return (Permit.objects.select_related("application", "application__permit_type",
                                          "application__decision__rule", "application__decision__position",
                                          "application__decision__acting")
            .filter(verification_code=code).first())


def nik_masked(nik: str) -> str:
    """A NIK as the public verification page shows it: the district (6) and the sequence (4) only,
    never the birth date in between."""
    nik = (nik or "").strip()
    return f"{nik[:6]}{'*' * (len(nik) - 10)}{nik[-4:]}" if len(nik) > 10 else ""
