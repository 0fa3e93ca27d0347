"""Child process of the standby fault tests: real services against the database in DATABASE_URL.

`prepare N`  builds an office in trenggalek with N complete drafts and one issued permit; prints JSON.
`submit PK…` submits each draft through `application_submit` and prints `OK <pk> <number> <code>`
             the moment its transaction has committed (the acknowledgement the applicant sees).
"""
from __future__ import annotations

import json
import sys


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    from tenants.models import Regency

    connection.set_tenant(Regency.objects.get(schema_name="trenggalek"))
    command, args = sys.argv[1], sys.argv[2:]
    if command == "prepare":
        prepare(int(args[0]))
    elif command == "submit":
        submit([int(pk) for pk in args])


def prepare(count: int) -> None:
    import secrets

    from django.utils import timezone

    from permits.models.applications import Permit
    from permits.services.applications import (
        application_document_upload,
        application_draft_create,
        application_form_save,
    )
    from tests.factories import UserFactory, office_build, upload
    office = office_build()
    applicant = UserFactory()
    applicant.set_password("rahasia-uji-123")
    applicant.save()
    from django.db import connection

    from pintu.identity.services import api_token_issue

    token = api_token_issue(user=applicant, schema_name=connection.schema_name)[1]  # on this regency only
    drafts = []
    for _ in range(count):
        application = application_draft_create(permit_type=office.permit_type, applicant=applicant)
        application_form_save(application=application, data=office.form, actor=applicant)
        for requirement in office.requirements[:2]:
            application_document_upload(application=application, requirement=requirement, file=upload(), actor=applicant)
        drafts.append(application.pk)
    # A permit row for the verification page (its issuance is tested elsewhere; here only its reading matters).
    # The module's tests share one cluster (tests/faults/conftest.py): a later `prepare` reads the same row.
    number = f"503/0001/FAULT/{timezone.now().year}"
    code = Permit.objects.filter(number=number).values_list("verification_code", flat=True).first()
    if code is None:
        holder = application_draft_create(permit_type=office.permit_type, applicant=applicant)
        code = secrets.token_urlsafe(18)
        Permit.objects.create(application=holder, number=number, verification_code=code, issued_at=timezone.now(),
                              valid_from=timezone.localdate(), pdf_key="fault/none.pdf", sha256="0" * 64,
                              signer_name="Kepala DPMPTSP")
    print(json.dumps({"drafts": drafts, "permit_code": code, "email": applicant.email,
                      "password": "rahasia-uji-123", "token": token, "permit_type": office.permit_type.code, "form": office.form}),
          flush=True)


def submit(pks: list[int]) -> None:
    from permits.models.applications import Application
    from permits.services.applications import application_submit

    for pk in pks:
        application = application_submit(application=Application.objects.get(pk=pk))
        print(f"OK {pk} {application.registration_number} {application.tracking_code}", flush=True)


if __name__ == "__main__":
    main()
