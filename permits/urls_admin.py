"""The administrators' pages of a regency subdomain, mounted under /pengaturan/."""
from django.urls import path

from permits.oss import admin_views as oss_admin
from permits.views.admin import authority, catalog, settings, sop

app_name = "permits-admin"

urlpatterns = [
    path("", catalog.dashboard, name="dashboard"),
    path("oss/", oss_admin.oss_settings, name="oss"),
    path("jenis-izin/baru/", catalog.permit_type_create, name="permit-type-create"),
    path("jenis-izin/<slug:code>/", catalog.permit_type_edit, name="permit-type"),
    path("jenis-izin/<slug:code>/hapus/", catalog.permit_type_delete, name="permit-type-delete"),
    path("jenis-izin/<slug:code>/persyaratan/", catalog.requirements, name="requirements"),
    path("jenis-izin/<slug:code>/persyaratan/<int:pk>/", catalog.requirement_edit, name="requirement"),
    path("jenis-izin/<slug:code>/persyaratan/<int:pk>/hapus/", catalog.requirement_delete, name="requirement-delete"),
    path("jenis-izin/<slug:code>/persyaratan/<int:pk>/geser/", catalog.requirement_move, name="requirement-move"),
    path("jenis-izin/<slug:code>/formulir/", catalog.form_fields, name="form_fields"),
    path("jenis-izin/<slug:code>/formulir/<int:pk>/", catalog.form_field_edit, name="form_field"),
    path("jenis-izin/<slug:code>/formulir/<int:pk>/hapus/", catalog.form_field_delete, name="form_field-delete"),
    path("jenis-izin/<slug:code>/formulir/<int:pk>/geser/", catalog.form_field_move, name="form_field-move"),
    path("jenis-izin/<slug:code>/pratinjau/", catalog.preview, name="preview"),
    path("jenis-izin/<slug:code>/sop/", sop.sop_editor, name="sop"),
    path("jenis-izin/<slug:code>/sop/draf/", sop.sop_revise, name="sop-revise"),
    path("jenis-izin/<slug:code>/sop/langkah/baru/", sop.sop_step_add, name="sop-step-add"),
    path("jenis-izin/<slug:code>/sop/langkah/<int:order>/", sop.sop_step_edit, name="sop-step"),
    path("jenis-izin/<slug:code>/sop/langkah/<int:order>/ubah-urutan/", sop.sop_step_action, name="sop-step-action"),
    path("jenis-izin/<slug:code>/sop/berlakukan/", sop.sop_publish, name="sop-publish"),
    path("jenis-izin/<slug:code>/sop/buang-draf/", sop.sop_discard, name="sop-discard"),
    path("jenis-izin/<slug:code>/sop/versi/<int:version>/", sop.sop_version, name="sop-version"),
    path("templat/", catalog.templates, name="templates"),
    path("templat/<slug:template_code>/adopsi/", catalog.template_adopt_view, name="template-adopt"),
    path("jabatan/", authority.positions, name="positions"),
    path("jabatan/<int:pk>/", authority.position_edit, name="position"),
    path("jabatan/<int:pk>/hapus/", authority.position_delete, name="position-delete"),
    path("pelimpahan/", authority.delegations, name="delegations"),
    path("pelimpahan/<int:pk>/", authority.delegation_edit, name="delegation"),
    path("pelimpahan/<int:pk>/hapus/", authority.delegation_delete, name="delegation-delete"),
    path("pelimpahan/<int:pk>/dasar-hukum/", authority.delegation_file, name="delegation-file"),
    path("pelaksana/", authority.acting, name="acting"),
    path("pelaksana/<int:pk>/", authority.acting_edit, name="acting-edit"),
    path("pelaksana/<int:pk>/hapus/", authority.acting_delete, name="acting-delete"),
    path("wewenang/", authority.who_signs, name="who-signs"),
    path("hari-libur/", settings.holidays, name="holidays"),
    path("hari-libur/<int:pk>/", settings.holiday_edit, name="holiday"),
    path("hari-libur/<int:pk>/hapus/", settings.holiday_delete, name="holiday-delete"),
    path("ekspor/", settings.export, name="export"),
    path("impor/", settings.import_, name="import"),
]
