"""Who may sign a permit type on a given day, and under which rule."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop, override

from permits.models import ActingOfficial, Delegation, PermitType, Position

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from permits.models import Decision
    from permits.models.applications import StepTask
    from permits.selectors.applications import WorklistRow
    from pintu.identity.models import User


@dataclass
class Authority:
    position: Position | None
    official: User | None  # None when nobody can sign
    rule: Delegation | None  # the last delegation rule followed; None: the regional head's own authority
    acting: ActingOfficial | None
    chain: list[str] = field(default_factory=list)
    rules: list[Delegation] = field(default_factory=list)

    @property
    def can_sign(self) -> bool:
        return self.official is not None

    def is_held_by(self, user: User | AnonymousUser | None) -> bool:
        """True when `user` is the one who signs under this authority (today's holder, or the Plh/Plt)."""
        return self.official is not None and user is not None and self.official.pk == user.pk

    @property
    def signs_as(self) -> str:
        """Who signs, as a worklist says it: "Dewi Lestari (Plh. Kepala DPMPTSP)"; empty when nobody can."""
        if self.official is None:
            return ""
        post = self.position.name if self.position else ""
        if self.acting is not None:
            post = f"{'Plh.' if self.acting.kind == ActingOfficial.Kind.PLH else 'Plt.'} {post}".strip()
        return f"{_person(self.official)} ({post})" if post else _person(self.official)

    def as_dict(self) -> dict:
        return {
            "position": {"id": self.position.pk, "code": self.position.code, "name": self.position.name}
            if self.position else None,
            "official": {"id": self.official.pk, "full_name": self.official.full_name, "email": self.official.email}
            if self.official else None,
            "rule": {"id": self.rule.pk, "legal_basis_number": self.rule.legal_basis_number,
                     "legal_basis_date": self.rule.legal_basis_date.isoformat()} if self.rule else None,
            "acting": {"id": self.acting.pk, "kind": self.acting.kind, "decree_number": self.acting.decree_number}
            if self.acting else None,
            "can_sign": self.can_sign,
            "chain": self.chain,
        }


def _valid_on(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def _render(template: str, parts: dict[str, object]) -> str:
    return gettext(template).format(**{
        name: date_format(value, "j F Y") if isinstance(value, dt.date) else value for name, value in parts.items()})


_rendered = lazy(_render, str)


def _line(template: str, **parts: object) -> str:
    """A sentence of the chain, rendered when it is read, in the reader's language (dates too); the decision
    keeps it in Indonesian (`chain_as_recorded`)."""
    return _rendered(template, parts)


def chain_as_recorded(chain: list[str]) -> list[str]:
    """The chain as the decision records it: in Indonesian, whatever language the officer reads."""
    with override("id"):
        return [str(line) for line in chain]


def _person(user: User) -> str:
    return user.full_name or user.email


def delegation_resolve(*, permit_type: PermitType, on: dt.date) -> Authority:
    """Follow delegation rules in force on `on` (a date in the regency's zone) from the regional head.

    With no rule in force, authority stays with the regional head. A Plh or Plt
    valid that day signs for the post it stands in for.
    """
    return authorities_resolve(permit_types=[permit_type], on=on)[permit_type.pk]


def authorities_resolve(*, permit_types: Iterable[PermitType], on: dt.date) -> dict[int, Authority]:
    """`delegation_resolve` for several permit types at once, in three queries whatever their number
    (a worklist page says who signs each file today)."""
    permit_types = list({pt.pk: pt for pt in permit_types}.values())
    positions = {p.pk: p for p in Position.objects.select_related("holder")}
    head = next((p for p in positions.values() if p.kind == Position.Kind.REGIONAL_HEAD), None)
    if head is None:
        return {pt.pk: Authority(None, None, None, None, [_line(gettext_noop(
            "Jabatan kepala daerah (Bupati/Walikota) belum dicatat: tambahkan jabatan dan pejabatnya "
            "sebelum ada keputusan yang dapat ditandatangani."))]) for pt in permit_types}
    ids = [pt.pk for pt in permit_types]
    rules = list(Delegation.objects.filter(_valid_on(on))
                 .filter(Q(applies_to_all=True) | Q(permit_types__in=ids))
                 .annotate(type_ids=ArrayAgg("permit_types", distinct=True)).order_by("valid_from", "pk"))
    acting_by_post: dict[int, ActingOfficial] = {}
    for acting in (ActingOfficial.objects.filter(_valid_on(on)).select_related("user")
                   .order_by("-valid_from", "pk")):
        acting_by_post.setdefault(acting.position_id, acting)
    return {pt.pk: _resolve(pt, on, head, positions, [r for r in rules if r.applies_to_all or pt.pk in r.type_ids],
                            acting_by_post) for pt in permit_types}


def signing_authorities(tasks: Iterable[StepTask | WorklistRow], *, on: dt.date) -> dict[int, Authority]:
    """Who signs each decision step among `tasks` (worklist rows, page or API) on `on`: {task pk: Authority},
    in three queries whatever the rows; steps that decide nothing are left out."""
    from permits.models.workflow import Action

    deciding = [t for t in tasks if Action.APPROVE_SIGN in t.step.allowed_actions]
    if not deciding:
        return {}
    by_type = authorities_resolve(permit_types=[t.application.permit_type for t in deciding], on=on)
    return {t.pk: by_type[t.application.permit_type_id] for t in deciding}


def decision_offered(authority: Authority | None, user: User | AnonymousUser | None) -> bool:
    """May `user` decide a step whose signing authority is `authority` (None: a step that decides
    nothing)? Only today's holder of the authority (the Plh/Plt while the head is away) decides."""
    return authority is None or authority.is_held_by(user)


class StepOffer(NamedTuple):
    """What a worklist card (page or API) offers its reader on one step."""

    authority: Authority | None  # who signs it today; None for a step that decides nothing
    may_decide: bool
    may_claim: bool


def step_offer(authority: Authority | None, user: User | AnonymousUser | None, *,
               claimed_by_id: int | None) -> StepOffer:
    """The card rules of one step: `user` may decide it as today's holder of its authority (any step
    that decides nothing: `decision_offered`), and claim it when they may decide it and nobody has."""
    may_decide = decision_offered(authority, user)
    return StepOffer(authority, may_decide, may_decide and not claimed_by_id)


def worklist_offers(rows: Iterable[StepTask | WorklistRow], *, user: User | AnonymousUser | None,
                    on: dt.date) -> dict[int, StepOffer]:
    """`step_offer` of each worklist row (page or API) on `on`: {step pk: StepOffer}, who signs each
    decision resolved at once (`signing_authorities`: three queries whatever the rows, none without one)."""
    rows = list(rows)
    authorities = signing_authorities(rows, on=on)
    return {row.pk: step_offer(authorities.get(row.pk), user, claimed_by_id=row.claimed_by_id) for row in rows}


def _resolve(permit_type: PermitType, on: dt.date, head: Position, positions: dict[int, Position],
             rules: list[Delegation], acting_by_post: dict[int, ActingOfficial]) -> Authority:
    by_from: dict[int, Delegation] = {}
    for rule in rules:
        by_from.setdefault(rule.from_position_id, rule)
    chain = [_line(gettext_noop("Kewenangan asal {type} ada pada {post}."), type=permit_type.name, post=_post(head))]
    current, followed, seen = head, [], {head.pk}
    while current.pk in by_from:
        rule = by_from[current.pk]
        target = positions[rule.to_position_id]
        if target.pk in seen:
            chain.append(_line(gettext_noop("Pelimpahan {basis} kembali ke jabatan yang sudah dilalui; berhenti di "
                                            "{post}."), basis=rule.legal_basis_number, post=current.name))
            break
        scope = _line(gettext_noop("semua jenis izin")) if rule.applies_to_all else permit_type.name
        until = _line(gettext_noop(" sampai {day}"), day=rule.valid_until) if rule.valid_until else ""
        chain.append(_line(gettext_noop("Dilimpahkan kepada {post} dengan {basis} tanggal {basis_day} untuk {scope}, "
                                        "berlaku sejak {since}{until}."), post=_post(target),
                           basis=rule.legal_basis_number, basis_day=rule.legal_basis_date, scope=scope,
                           since=rule.valid_from, until=until))
        followed.append(rule)
        seen.add(target.pk)
        current = target
    if not followed:
        chain.append(_line(gettext_noop("Tidak ada pelimpahan wewenang yang berlaku pada {day}: kewenangan tetap pada "
                                        "{post}."), day=on, post=head.name))

    acting = acting_by_post.get(current.pk)
    if acting is not None:
        official = acting.user
        label = "Plh" if acting.kind == ActingOfficial.Kind.PLH else "Plt"
        reason = _line(gettext_noop("karena pejabat berhalangan sementara") if acting.kind == ActingOfficial.Kind.PLH
                       else gettext_noop("karena jabatan kosong"))
        decree = f" ({acting.decree_number})" if acting.decree_number else ""
        chain.append(_line(gettext_noop("Pada {day} ditandatangani oleh {label} {post}, {person}{decree}, {reason}."),
                           day=on, label=label, post=current.name, person=_person(official), decree=decree,
                           reason=reason))
    elif current.holder is not None:
        official = current.holder
        chain.append(_line(gettext_noop("Ditandatangani oleh {post}, {person}."), post=current.name,
                           person=_person(official)))
    elif current.official_name:
        official = None
        chain.append(_line(gettext_noop("{post} belum memiliki akun Pintu dan tidak ada Plh/Plt pada {day}: "
                                        "belum ada yang dapat menandatangani di Pintu."), post=_post(current), day=on))
    else:
        official = None
        chain.append(_line(gettext_noop("Jabatan {post} kosong dan tidak ada Plt pada {day}: belum ada yang dapat "
                                        "menandatangani."), post=current.name, day=on))
    return Authority(current, official, followed[-1] if followed else None, acting, chain, followed)


def _post(position: Position) -> str:
    """A post as the chain names it: "Walikota Tangerang Selatan: <official>" for an official without an
    account (a holder with an account is named where the chain says who signs)."""
    if position.holder_id is None and position.official_name:
        return f"{position.name}: {position.official_name}"
    return position.name


def position_list() -> QuerySet[Position]:
    return Position.objects.select_related("holder").order_by("kind", "name")


def delegation_list() -> QuerySet[Delegation]:
    return (Delegation.objects.select_related("from_position", "to_position").prefetch_related("permit_types")
            .order_by("valid_from", "pk"))


def acting_official_list() -> QuerySet[ActingOfficial]:
    return ActingOfficial.objects.select_related("position", "user").order_by("position__name", "valid_from")


def decision_signer_nip(decision: Decision | None) -> str:
    """The signing official's NIP (on the permit and in OSS's receiveLicense), as the regency administrator
    recorded it: the Plh/Plt's own when one signed, else the post's official's."""
    if decision is None:
        return ""
    if decision.acting_id:
        return decision.acting.nip or ""
    return decision.position.official_nip if decision.position_id else ""
