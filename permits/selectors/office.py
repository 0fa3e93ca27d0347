"""Reads for the office and counter pages: worklist counts, an application as officers see it."""
from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from permits.models.applications import Application, ApplicationDocument, StepTask
from permits.selectors.applications import DUE_SOON, worklist

# Must match the `due_soon` window of permits.selectors.applications.worklist (a test holds them together).


def worklist_counts(*, officer, teams: list[tuple[str, str]] | None = None) -> dict[str, int]:
    """How many open steps are mine / due soon / late, in one query over the same worklist.

    Exact, and read from the covering index of open steps joined to the index of applications in
    process: the cost follows the open steps, never the regency's history (1 M applications).
    """
    now = timezone.now()
    return worklist(officer=officer, scope="mine", teams=teams).order_by().aggregate(
        mine=Count("pk"),
        due_soon=Count("pk", filter=Q(due_at__gte=now, due_at__lt=now + DUE_SOON)),
        late=Count("pk", filter=Q(due_at__lt=now)),
    )


def application_for_office(pk: int) -> Application | None:
    """One application with what its office page shows: current documents, steps, history, decision, permit."""
    return (Application.objects.select_related("permit_type", "sop", "decision", "permit", "created_by")
            .prefetch_related(
                "permit_type__form_fields",
                Prefetch("documents", queryset=ApplicationDocument.objects.filter(is_current=True)
                         .select_related("requirement", "reviewed_by"), to_attr="current_documents"),
                Prefetch("tasks", queryset=StepTask.objects.select_related("step", "claimed_by", "completed_by")
                         .order_by("stage", "step__order", "pk"), to_attr="all_tasks"),
                "events")
            .filter(pk=pk).first())


def task_for_office(pk: int) -> StepTask | None:
    return (StepTask.objects.select_related("application", "application__permit_type", "step", "claimed_by",
                                            "completed_by").filter(pk=pk).first())


def counter_applications(*, limit: int = 50) -> QuerySet[Application]:
    """The regency's most recent counter applications (drafts first), for the front office's list."""
    return (Application.objects.filter(channel=Application.Channel.COUNTER)
            .select_related("permit_type", "created_by").order_by("-created_at")[:limit])
