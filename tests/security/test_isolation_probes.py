"""Cross-regency isolation, probed from every route of a regency subdomain.

The probe table is generated from `pintu.urls_tenant`: every route (recursively), with its
path parameters filled with real ids, codes, registration numbers and tokens of Trenggalek,
requested by each Kota Blitar role (every officer role, the administrator, an applicant),
over a session and over an API token. Trenggalek's rows carry unique marker strings (names,
NIK, e-mail, the address in the form, the uploaded file's text, registration number,
tracking and verification codes); no response body may contain any of them. A reverse
sample runs Trenggalek's people against Kota Blitar's data.

Status rule: 403/404/405 (or a redirect to sign-in) for everything, except the routes the
design makes public or personal (catalog, tracking form, verification, sign-in, the
person's own list): those may answer 200, but still with no marker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core import mail, signing
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import schema_context

from tests.services import COUNTS

T_HOST = "trenggalek.localhost"
B_HOST = "kota-blitar.localhost"

MARK = "ZQXTGK"  # appears in nothing but Trenggalek's planted rows
B_MARK = "ZQXBLT"  # Kota Blitar's rows, for the reverse sample

# Routes whose 200 answer is public or about the caller only (the body is still checked for markers).
PUBLIC_OR_OWN = {
    "web:home", "web:login", "web:signup", "web:logout", "web:sso-accept",
    "billing:pungli-report", "billing:pungli-status",
    "permits:catalog", "permits:permit-type", "permits:my-applications", "permits:track", "permits:verify",
    "feedback:ikm-public", "feedback:complaint-file", "feedback:complaint-status",
    "feedback:api-complaint-file", "feedback:api-complaint-status", "feedback:counter-tablet",
    "notify:inbox", "applications-api:applications", "applications-api:tracking",
    "applications-api:verification", "permits-api:catalog-permit-types", "permits-api:catalog-permit-type",
    "api-regency", "schema", "api-token", "permits:application-start", "transparency:page",
    "permits:application-claim", "web:account-security",
    # Issue #16: the language switch (sets a cookie, redirects back) and the favicon, the same for everyone.
    "web:set-language", "web:favicon",
    # Issue #16: the regency's published certificate chain (public by design: it validates its permits).
    "permits:trust-root",
    # Account lifecycle (issue #15): about the visitor's own account on any host, no regency data.
    "web:password-reset", "web:password-reset-done", "web:password-reset-confirm", "web:password-reset-complete",
    "web:password-change", "web:password-change-done", "web:email-verify", "web:email-verify-resend",
    # Verification by permit number: as public as verification by code.
    "permits:verify-number",
    # Issue #20: the API docs and versioned document, the person's own inbox, the open-data register.
    "api-docs", "schema-v1", "api-inbox", "permits-api:open-data-permits",
}
# Writes the design allows anyone signed in: starting one's own draft application in any regency.
OWN_WRITES = {"permits:application-start"}
# Public by design: the transparency page lists issued permit numbers (no names).

TOKEN_ROLES = ("regency_admin", "applicant")
GET_ROLES = ("regency_admin", "front_office", "signing_official", "applicant")
BLITAR_ROLES = ["front_office", "verifier", "technical_team", "surveyor", "signing_official", "regency_admin",
                "auditor", "head", "applicant"]


# --- the probe table, from the URL resolver ------------------------------------------------------


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                pattern.namespace or namespace)
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name


def _param_value(route: str, param: str) -> str:
    """Which planted Trenggalek object a path parameter names (a placeholder filled at run time)."""
    if param == "token":
        return "{token}"
    if param in ("code",) and route.startswith(("verifikasi/", "api/v1/verification/")):
        return "{verification_code}"
    if param in ("code",):
        return "{permit_type_code}"
    if param == "requirement_pk":
        return "{requirement}"
    if param == "document_pk":
        return "{document}"
    if param in ("order", "version"):
        return "1"
    if param == "event":
        return "application_submitted"
    if param == "channel":
        return "email"
    if param == "template_code":
        return "sip"
    # pk: by what the route is about
    table = [
        ("kantor/tugas/", "{task}"), ("api/v1/tasks/", "{task}"),
        ("kantor/berkas/", "{document}"), ("api/v1/documents/", "{document}"),
        ("kantor/izin/", "{permit}"), ("api/v1/permits/", "{permit}"),
        ("persyaratan/", "{requirement}"), ("config/requirements/", "{requirement}"),
        ("formulir/", "{form_field}"), ("config/form-fields/", "{form_field}"),
        ("jabatan/", "{position}"), ("config/positions/", "{position}"),
        ("pelimpahan/", "{delegation}"), ("config/delegations/", "{delegation}"),
        ("config/permit-types/", "{permit_type}"), ("config/sops/", "{sop}"),
        ("pengaturan/notifikasi/pesan/", "{outbox}"),
    ]
    for needle, value in table:
        if needle in route:
            return value
    return "{application}"


def _path_of(route: str) -> str:
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: "<" + m.group(1) + ">", route)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: _param_value(route, m.group(1)), route)


def _routes():
    return sorted(set((_path_of(route), name) for route, name in _walk(get_resolver("pintu.urls_tenant"))))


@dataclass(frozen=True)
class Probe:
    who: str  # a Blitar role, or "t_admin" etc. for the reverse sample
    host: str
    path: str
    name: str
    method: str = "GET"
    auth: str = "session"  # session | token | none
    forwarded_host: str = ""
    strict: bool = True  # 403/404/405 only (PUBLIC_OR_OWN excepted)

    @property
    def id(self):
        extra = "+xfh" if self.forwarded_host else ""
        return f"{self.who}-{self.auth}-{self.method}-{self.host.split('.')[0]}{extra}-{self.path}"


def _probe_table() -> list[Probe]:
    probes = []
    routes = _routes()
    for path, name in routes:
        # Public by design on Trenggalek's own subdomain: a permit's verification page by its code,
        # and a signed link (a bearer URL); there, probe a guessed code and forged/expired links instead.
        path = path.replace("{verification_code}", "{guessed_code}").replace("{token}", "{forged_token}")
        has_object = "{" in path
        api = path.startswith("/api/")
        for role in (GET_ROLES if has_object and not path.startswith("/pengaturan/")
                     else ("regency_admin", "applicant")):
            probes.append(Probe(role, T_HOST, path, name))
            if api and role in TOKEN_ROLES:  # the same account over a platform-wide token
                probes.append(Probe(role, T_HOST, path, name, auth="token"))
        if has_object:  # writes: nothing may change
            for role in ("regency_admin",):
                probes.append(Probe(role, T_HOST, path, name, method="POST", auth="token" if api else "session"))
    # Trenggalek's own codes and tokens on Blitar's subdomain: must not resolve there.
    for path, name in routes:
        if any(p in path for p in ("{verification_code}", "{token}")):
            for role in ("anonymous", "applicant", "regency_admin"):
                probes.append(Probe(role, B_HOST, path, name, auth="none" if role == "anonymous" else "session",
                                    strict=False))
    for role in ("anonymous", "applicant"):
        probes.append(Probe(role, B_HOST, "/lacak/?nomor={registration_number}&kode={tracking_code}",
                            "permits:track", auth="none" if role == "anonymous" else "session", strict=False))
        probes.append(Probe(role, B_HOST, "/api/v1/tracking/?registration_number={registration_number}"
                                          "&tracking_code={tracking_code}", "applications-api:tracking",
                            auth="none" if role == "anonymous" else "session", strict=False))
    # On Trenggalek: a guessed tracking code, an expired signed link, a guessed verification code.
    for role in ("anonymous", "applicant"):
        auth = "none" if role == "anonymous" else "session"
        probes += [
            Probe(role, T_HOST, "/lacak/?nomor={registration_number}&kode=AAAAAAAA", "permits:track", auth=auth),
            Probe(role, T_HOST, "/api/v1/tracking/?registration_number={registration_number}&tracking_code=AAAAAAAA",
                  "applications-api:tracking", auth=auth),
            Probe(role, T_HOST, "/berkas/{expired_token}/", "storage-download", auth=auth),
            Probe(role, T_HOST, "/berkas/{forged_token}/", "storage-download", auth=auth),
            Probe(role, T_HOST, "/verifikasi/{guessed_code}/", "permits:verify", auth=auth),
            Probe(role, T_HOST, "/api/v1/verification/{guessed_code}/", "applications-api:verification", auth=auth),
        ]
    # Host header tricks, made by Trenggalek's own administrator (who may see everything on trenggalek.*).
    for path in ("/kantor/permohonan/{application}/", "/api/v1/applications/{application}/", "/audit/",
                 "/pengaturan/ekspor/", "/petugas/", "/api/v1/officers/", "/berkas/{token}/",
                 "/verifikasi/{verification_code}/"):
        for host in ("unknown.localhost", "127.0.0.1", "trenggalek.localhost.evil.example"):
            probes.append(Probe("t_admin", host, path, "", strict=False))
        probes.append(Probe("t_admin", "localhost", "/trenggalek" + path, "", strict=False))
        probes.append(Probe("t_admin", B_HOST, path, "", forwarded_host=T_HOST, strict=False))
        probes.append(Probe("t_admin", B_HOST, path, "", auth="token", forwarded_host=T_HOST, strict=False))
    # Reverse sample: Trenggalek's people against Kota Blitar's data, on Blitar's subdomain.
    for path, name in routes:
        if "{application}" in path or "{document}" in path or path in ("/audit/", "/pengaturan/ekspor/",
                                                                       "/api/v1/officers/", "/kantor/"):
            for who in ("t_admin", "t_applicant"):
                probes.append(Probe(who, B_HOST, path.replace("{", "{b_"), name,
                                    auth="token" if path.startswith("/api/") else "session"))
    return probes


PROBES = _probe_table()


# --- the planted world ------------------------------------------------------------------------------


def _plant(schema: str, mark: str) -> dict:
    """An office, an applicant with a submitted (Trenggalek: issued) application, all marked."""
    from permits.models.applications import Application, Permit, StepTask
    from permits.services.processing import application_approve, recommendation_give, step_forward
    from pintu.access.models import Role
    from pintu.access.services import membership_grant
    from pintu.notify.models import OutboxMessage
    from pintu.storage.services import _TOKEN_SALT, document_url
    from tests.factories import UserFactory, office_build, upload
    applicant = UserFactory(full_name=f"Pemohon {mark}Nama", email=f"{mark.lower()}.pemohon@contoh.id",
                            nik="3503015505900777" if mark == MARK else "3572015505900777")
    world = {"users": {}}
    with schema_context(schema):
        from permits.services.applications import (
            application_document_upload,
            application_draft_create,
            application_form_save,
            application_submit,
        )

        office = office_build(code=f"sip{mark.lower()}")
        for person in (office.front_office, office.health, office.police, office.signer):
            person.full_name = f"Petugas {mark}Petugas {person.pk}"
            person.save(update_fields=["full_name"])
        application = application_draft_create(permit_type=office.permit_type, applicant=applicant)
        form = dict(office.form, alamat_praktik=f"Jl. {mark}Alamat No. 7")
        application_form_save(application=application, data=form, actor=applicant)
        for requirement in office.requirements[:2]:
            application_document_upload(application=application, requirement=requirement,
                                        file=upload(f"{mark.lower()}.pdf", text=f"{mark}Berkas"), actor=applicant)
        application = application_submit(application=application, actor=applicant)
        if mark == MARK:
            def open_tasks():
                return list(StepTask.objects.filter(application=application, status="open").order_by("step__order"))

            step_forward(task=open_tasks()[0], officer=office.front_office)
            reviews = open_tasks()
            recommendation_give(task=reviews[0], officer=office.health, note=f"{mark}Catatan")
            recommendation_give(task=reviews[1], officer=office.police)
            application_approve(task=open_tasks()[0], officer=office.signer)
        application = Application.objects.get(pk=application.pk)
        permit = Permit.objects.filter(application=application).first()
        document = application.documents.filter(is_current=True).first()
        task = StepTask.objects.filter(application=application).order_by("pk").first()
        outbox = OutboxMessage.objects.order_by("pk").first()
        world.update({
            "application": application.pk, "document": document.pk, "task": task.pk,
            "permit": permit.pk if permit else 999999, "permit_type": office.permit_type.pk,
            "permit_type_code": office.permit_type.code, "requirement": office.requirements[0].pk,
            "form_field": office.permit_type.form_fields.first().pk, "position": office.head_position.pk,
            "delegation": office.delegation.pk, "sop": application.sop_id, "outbox": outbox.pk if outbox else 1,
            "registration_number": application.registration_number, "tracking_code": application.tracking_code,
            "verification_code": permit.verification_code if permit else "NOPERMIT",
            "token": document_url(document.key).split("/")[-2],
            "expired_token": signing.dumps({"k": document.key, "s": schema, "e": 1, "n": "x.pdf"}, salt=_TOKEN_SALT),
            "forged_token": signing.dumps({"k": document.key, "s": schema, "e": 4102444800}, salt="other") ,
            "permit_number": permit.number if permit else "",
            "guessed_code": (permit.verification_code[:-1] + ("A" if permit.verification_code[-1] != "A" else "B"))
            if permit else "AAAA",
        })
        world["markers"] = [f"{mark}Nama", f"{mark.lower()}.pemohon@contoh.id", applicant.nik, f"{mark}Alamat",
                            f"{mark}Berkas", f"{mark}Petugas", f"{mark}Catatan", application.registration_number,
                            application.tracking_code] + ([permit.verification_code, permit.number] if permit else [])
        world["users"] = {"applicant": applicant, "signer": office.signer, "front_office": office.front_office}
        admin = UserFactory(full_name=f"Admin {mark}Petugas")
        membership_grant(user=admin, role=Role.REGENCY_ADMIN)
        membership_grant(user=admin, role=Role.AUDITOR)
        world["users"]["admin"] = admin
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Both regencies' planted rows, in one transaction rolled back after the module."""
    from pintu.access.selectors import membership_roles
    from pintu.access.services import membership_grant
    from pintu.identity.services import api_token_issue
    from tests.factories import UserFactory

    with django_db_blocker.unblock():
        with transaction.atomic():
            t = _plant("trenggalek", MARK)
            b = _plant("kota_blitar", B_MARK)
            people = {}
            with schema_context("kota_blitar"):
                for role in BLITAR_ROLES:
                    if role == "applicant":
                        people[role] = b["users"]["applicant"]
                    else:
                        people[role] = UserFactory(full_name=f"Blitar {role}")
                        membership_grant(user=people[role], role=role,
                                         agency="Dinas Kesehatan" if role == "technical_team" else "")
            people.update({"t_admin": t["users"]["admin"], "t_signer": t["users"]["signer"],
                           "t_applicant": t["users"]["applicant"]})
            # Each person's token as /api/v1/auth/token/ issues it on their own regency (Blitar's people on
            # Blitar, Trenggalek's on Trenggalek), with their roles there: carried to the other regency.
            tokens = {}
            for who, user in people.items():
                schema = "trenggalek" if who.startswith("t_") else "kota_blitar"
                with schema_context(schema):
                    roles = sorted(membership_roles(user=user))
                tokens[who] = api_token_issue(user=user, schema_name=schema, roles=roles)[1]
            # Each person signed in once, their session used by every probe (each probe's writes, a sign-out
            # among them, are rolled back with its test): a sign-in per probe was a fifth of the module's time.
            sessions = {}
            for who, user in people.items():
                signing_in = Client()
                signing_in.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
                sessions[who] = signing_in.cookies[settings.SESSION_COOKIE_NAME].value
            values = {k: v for k, v in t.items() if k not in ("users", "markers")}
            values.update({f"b_{k}": v for k, v in b.items() if k not in ("users", "markers")})
            yield {"values": values, "people": people, "tokens": tokens, "sessions": sessions,
                   "t_markers": t["markers"], "b_markers": b["markers"], "t_raw": t}
            transaction.set_rollback(True)


def _fingerprint():
    """What a write would change in Trenggalek."""
    from permits.models.applications import Application, ApplicationDocument, Permit, StepTask
    from pintu.audit.models import AuditEntry

    with schema_context("trenggalek"):
        return (list(Application.objects.order_by("pk").values_list("pk", "status", "form_data")),
                list(Permit.objects.order_by("pk").values_list("pk", "status")),
                list(StepTask.objects.order_by("pk").values_list("pk", "status", "claimed_by_id")),
                list(ApplicationDocument.objects.order_by("pk").values_list("pk", "review", "is_current")),
                AuditEntry.objects.count())


@pytest.mark.parametrize("probe", PROBES, ids=[p.id for p in PROBES])
def test_probe(probe: Probe, world, db):
    values = world["values"]
    path = probe.path.format(**values)
    who = probe.who
    user = world["people"].get(who)
    extra = {}
    if probe.forwarded_host:
        extra["HTTP_X_FORWARDED_HOST"] = probe.forwarded_host
    client = Client(HTTP_HOST=probe.host, **extra)
    if user is not None and probe.auth == "session":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][who]
    elif user is not None and probe.auth == "token":
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {world['tokens'][who]}"
    before = _fingerprint() if probe.method == "POST" else None
    if probe.method == "POST":
        response = client.post(path, data={"action": "approve_sign", "reason": "x", "accepted": "true",
                                           "note": "x", "status": "done"})
    else:
        response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for header in ("Location", "Content-Disposition"):
        body += response.get(header, "").encode()

    markers = world["b_markers"] if who.startswith("t_") and probe.host == B_HOST and not probe.forwarded_host \
        else world["t_markers"]
    if who.startswith("t_") and probe.host != B_HOST:
        markers = world["t_markers"]
    # A marker the request itself carries (a code in the path) is an echo, not a leak; nor is the
    # signed-in person's own name or e-mail on their own pages.
    own = f"{user.full_name} {user.email} {user.nik or ''}" if user is not None else ""
    markers = [m for m in markers if m and m not in path and m not in own]
    if probe.name in ("transparency:page", "permits-api:open-data-permits"):  # the same public register
        markers = [m for m in markers if m != world["t_raw"]["permit_number"]]
    leaked = [m for m in markers if m.encode() in body]
    COUNTS["probes"] += 1
    if leaked:
        COUNTS["leaks"] += 1
    assert not leaked, f"{probe.id}: {response.status_code} leaks {leaked}"
    assert response.status_code < 500, f"{probe.id}: server error {response.status_code}"
    if probe.method == "POST" and probe.name not in OWN_WRITES:
        assert _fingerprint() == before, f"{probe.id}: a write from another regency changed Trenggalek's data"
    if probe.strict and probe.name not in PUBLIC_OR_OWN:
        allowed = {403, 404, 405}
        if probe.auth == "none":
            allowed |= {302, 401}
        assert response.status_code in allowed, f"{probe.id}: answered {response.status_code}"


def test_a_task_queued_from_blitar_cannot_touch_trenggalek_rows(world, db):
    """A Celery task carries the schema it was queued from: a Trenggalek id queued from Blitar finds nothing."""
    from pintu.notify.models import OutboxMessage
    from pintu.notify.tasks import outbox_send_task

    with schema_context("trenggalek"):
        message = OutboxMessage.objects.order_by("pk").first()
    assert message is not None, "submission and issuance queue notifications in Trenggalek"
    mail.outbox = []
    with schema_context("kota_blitar"):
        blitar_row = OutboxMessage.objects.filter(pk=message.pk).first()
        result = outbox_send_task.apply(args=[message.pk]).get()
    sent = "".join(m.subject + m.body + " ".join(m.to) for m in mail.outbox)
    leaked = [m for m in world["t_markers"] if m in sent or m in str(result)]
    COUNTS["probes"] += 1
    COUNTS["leaks"] += bool(leaked)
    assert not leaked
    if blitar_row is None:
        assert mail.outbox == []
    with schema_context("trenggalek"):
        assert OutboxMessage.objects.get(pk=message.pk).status == message.status


def test_the_table_is_big_enough():
    assert len(PROBES) >= 200
    names = {p.name for p in PROBES}
    for required in ("audit-log", "permits-admin:export", "feedback:ikm-csv", "billing:usage-csv",
                     "storage-download", "permits:verify", "applications-api:document-download", "office:document"):
        assert required in names
