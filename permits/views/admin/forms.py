"""Forms of the administrators' pages: they only shape input; the services check the rules.

Labels and help texts speak to a head of section, not to an IT person.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from permits.models import ActingOfficial, FormField, PermitType, Position, Requirement
from permits.models.workflow import Action
from pintu.access.models import Role
from pintu.identity.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHECKBOXES = forms.CheckboxSelectMultiple


class Form(forms.Form):
    """A form whose choice messages are Indonesian too (Django's Indonesian catalogue leaves them in English)."""

    MESSAGES = {
        "invalid_choice": _("Pilihan tidak valid: pilih salah satu dari daftar."),
        "invalid_pk_value": _("Pilihan tidak valid: pilih salah satu dari daftar."),
        "invalid_list": _("Pilih satu atau lebih dari daftar."),
    }

    #: Fields the service does not take as they are (an upload, a scope passed apart).
    NOT_VALUES: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            for key, message in self.MESSAGES.items():
                if key in field.error_messages:
                    field.error_messages[key] = message

    def values(self) -> dict:
        """The cleaned values, named as the service takes them."""
        return {name: self.cleaned_data[name] for name in self.fields if name not in self.NOT_VALUES}

    @classmethod
    def initial_of(cls, instance) -> dict:
        """An edit form's starting values from the record (foreign keys as ids, many-to-many as lists)."""
        return model_to_dict(instance, fields=list(cls.base_fields))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- Permit types -------------------------------------------------------------

PERMIT_TYPE_FORM_FIELDS = [
    "code", "name", "description", "legal_basis", "is_active", "is_online", "sla_working_days", "validity_months",
    "validity_capped_by",
    "is_renewable", "is_fiktif_positif", "levy_amount", "levy_regulation_number", "levy_regulation_year",
    "levy_regulation_article", "number_format", "number_counter_key", "letter_title", "letter_body",
    "letter_signature_block",
]

PERMIT_TYPE_HELP = {
    "code": _("Singkat, huruf kecil tanpa spasi, mis. sip-bidan. Dipakai di alamat halaman dan nomor izin."),
    "name": _("Nama yang dilihat pemohon, mis. Surat Izin Praktik Bidan."),
    "is_active": _("Hapus centang untuk berhenti menawarkan izin ini (data lama tetap tersimpan)."),
    "is_online": _("Jika tidak dicentang, izin ini hanya dilayani di loket."),
    "sla_working_days": _("Janji lama layanan kepada pemohon, dihitung dalam hari kerja."),
    "validity_months": _("Kosongkan bila izin berlaku selama kegiatan berjalan."),
    "levy_amount": _("Isi 0 bila gratis. Retribusi hanya boleh dipungut berdasarkan peraturan daerah."),
    "number_format": _("Gunakan {seq:04d} untuk nomor urut (4 angka), {year} tahun, {month} bulan, "
                       "{month_roman} bulan Romawi, {code} kode jenis izin, {sub} sub-penghitung."),
    "letter_body": _("Teks surat izin. Isian dalam kurung kurawal diganti otomatis, lihat daftar di bawah."),
}

_pt_fields = fields_for_model(PermitType, fields=PERMIT_TYPE_FORM_FIELDS, widgets={
    "description": forms.Textarea(attrs={"rows": 3}), "legal_basis": forms.Textarea(attrs={"rows": 3}),
    "letter_body": forms.Textarea(attrs={"rows": 8}), "letter_signature_block": forms.Textarea(attrs={"rows": 4}),
})
for _name, _text in PERMIT_TYPE_HELP.items():
    _pt_fields[_name].help_text = _text
for _name in ("sla_working_days", "levy_amount"):
    _pt_fields[_name].required = False  # the service names what is missing, in its own words

PermitTypeForm = type("PermitTypeForm", (Form,), dict(_pt_fields))

LETTER_PLACEHOLDER_HELP = [
    ("{applicant_name}", _("nama pemohon")),
    ("{applicant_nik}", _("NIK pemohon")),
    ("{permit_number}", _("nomor izin")),
    ("{permit_type}", _("nama jenis izin")),
    ("{regency_name}", _("nama kabupaten/kota")),
    ("{office_name}", _("nama kantor (DPMPTSP)")),
    ("{issued_on}", _("tanggal terbit")),
    ("{valid_until}", _("berlaku sampai")),
    ("{signer_name}", _("nama pejabat penandatangan")),
    ("{signer_position}", _("jabatan penandatangan")),
    ("{authority}", _("dasar kewenangan (pelimpahan atau Plh/Plt)")),
    ("{recommendations}", _("setiap rekomendasi teknis yang menjadi dasar izin")),
]


def permit_type_values(cleaned: dict) -> dict:
    values = dict(cleaned)
    if values.get("levy_amount") is None:
        values["levy_amount"] = Decimal("0")
    for name in ("description", "legal_basis", "levy_regulation_number", "levy_regulation_article",
                 "number_counter_key", "letter_title", "letter_body", "letter_signature_block"):
        values[name] = values.get(name) or ""
    return values


# --- Requirements -------------------------------------------------------------


class RequirementForm(Form):
    name = forms.CharField(label=_("Nama persyaratan"), max_length=200, required=False,
                           help_text=_("Mis. Fotokopi KTP, Ijazah terakhir yang dilegalisir."))
    help_text = forms.CharField(label=_("Petunjuk untuk pemohon"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    allowed_types = forms.MultipleChoiceField(label=_("Jenis berkas yang diterima"), required=False,
                                              choices=Requirement.FileType.choices, widget=CHECKBOXES)
    max_size = forms.CharField(label=_("Ukuran maksimum"), max_length=10, initial="2",
                               help_text=_("Angka, boleh desimal dengan koma, mis. 1,5."))
    max_size_unit = forms.ChoiceField(label=_("Satuan"), choices=[("MB", "MB"), ("KB", "KB")], initial="MB")
    is_mandatory = forms.BooleanField(label=_("Wajib diunggah"), required=False, initial=True)
    applies_to = forms.ChoiceField(label=_("Berlaku untuk"), choices=Requirement.AppliesTo.choices,
                                   initial=Requirement.AppliesTo.BOTH, widget=forms.RadioSelect)
    is_obtainable_from_agency = forms.BooleanField(
        label=_("Dapat diperoleh dari instansi lain"), required=False,
        help_text=_("Centang bila kantor dapat memintanya langsung dari instansi penerbit."))
    accepts_photo_as_pdf = forms.BooleanField(
        label=_("Terima foto dokumen, dijadikan PDF"), required=False,
        help_text=_("Bila hanya PDF yang diterima: foto dari ponsel diubah menjadi PDF di server (beberapa foto menjadi "
                    "beberapa halaman)."))

    def clean(self):
        data = super().clean()
        text = (data.get("max_size") or "").strip().replace(",", ".")
        try:
            size = Decimal(text)
            if not size.is_finite() or size <= 0:
                raise InvalidOperation
        except InvalidOperation:
            self.add_error("max_size", _("Tulis ukuran sebagai angka lebih dari nol, mis. 2 atau 1,5."))
            return data
        kb = size * 1024 if data.get("max_size_unit") == "MB" else size
        data["max_size_kb"] = int(kb.to_integral_value())
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "help_text": data["help_text"], "allowed_types": data["allowed_types"],
                "max_size_kb": data["max_size_kb"], "is_mandatory": data["is_mandatory"],
                "applies_to": data["applies_to"], "is_obtainable_from_agency": data["is_obtainable_from_agency"],
                "accepts_photo_as_pdf": data["accepts_photo_as_pdf"]}

    @staticmethod
    def initial_of(requirement: Requirement) -> dict:
        kb = requirement.max_size_kb
        if kb % 1024 == 0 or kb >= 1024:
            size, unit = f"{Decimal(kb) / 1024:.2f}".rstrip("0").rstrip(".").replace(".", ","), "MB"
        else:
            size, unit = str(kb), "KB"
        return {"name": requirement.name, "help_text": requirement.help_text,
                "allowed_types": requirement.allowed_types, "max_size": size, "max_size_unit": unit,
                "is_mandatory": requirement.is_mandatory, "applies_to": requirement.applies_to,
                "is_obtainable_from_agency": requirement.is_obtainable_from_agency,
                "accepts_photo_as_pdf": requirement.accepts_photo_as_pdf}


# --- Form fields --------------------------------------------------------------


class FormFieldForm(Form):
    label = forms.CharField(label=_("Pertanyaan / label"), max_length=200, required=False,
                            help_text=_("Yang dibaca pemohon, mis. Alamat tempat praktik."))
    key = forms.CharField(label=_("Kunci"), max_length=40, required=False,
                          help_text=_("Huruf kecil tanpa spasi, mis. alamat_praktik. Dipakai di surat: {form.kunci}."))
    kind = forms.ChoiceField(label=_("Jenis isian"), choices=FormField.Kind.choices,
                             help_text=_("NIK: 16 angka diperiksa; NIB: 13 angka; Kecamatan: daftar resmi kecamatan "
                                         "daerah ini; Alamat: minimal 10 huruf."))
    choices = forms.CharField(label=_("Pilihan (satu per baris)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Hanya untuk jenis isian Pilihan."))
    is_required = forms.BooleanField(label=_("Wajib diisi"), required=False, initial=True)
    help_text = forms.CharField(label=_("Petunjuk"), max_length=255, required=False)

    def values(self) -> dict:
        data = self.cleaned_data
        return {"label": data["label"], "key": data["key"], "kind": data["kind"], "choices": _lines(data["choices"]),
                "is_required": data["is_required"], "help_text": data["help_text"]}

    @staticmethod
    def initial_of(field: FormField) -> dict:
        return {"label": field.label, "key": field.key, "kind": field.kind, "choices": "\n".join(field.choices),
                "is_required": field.is_required, "help_text": field.help_text}


# --- SOP steps ----------------------------------------------------------------


class StepForm(Form):
    name = forms.CharField(label=_("Nama langkah"), max_length=200, required=False,
                           help_text=_("Mis. Pemeriksaan kelengkapan berkas."))
    role = forms.ChoiceField(label=_("Dikerjakan oleh (peran)"), choices=Role.choices)
    agency = forms.ChoiceField(label=_("Instansi/OPD"), required=False, choices=(),
                               help_text=_("Wajib untuk tim teknis; daftar instansi diatur di halaman Instansi (OPD)."))
    sla_working_days = forms.IntegerField(label=_("Batas waktu (hari kerja)"), min_value=0, max_value=365, initial=1)
    allowed_actions = forms.MultipleChoiceField(label=_("Tindakan yang boleh"), required=False,
                                                choices=Action.choices, widget=CHECKBOXES)
    checklist = forms.CharField(label=_("Daftar periksa (satu per baris)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    parallel_group = forms.CharField(
        label=_("Kelompok paralel"), max_length=40, required=False,
        help_text=_("Beri nama yang sama (mis. kajian) pada langkah-langkah berurutan yang dikerjakan bersamaan."))

    def __init__(self, *args, **kwargs):
        from pintu.access.selectors import agency_list

        super().__init__(*args, **kwargs)
        names = list(agency_list().values_list("name", flat=True))
        current = (self.initial or {}).get("agency") or ""
        if current and current not in names:  # a name from before the agency list: keep it selectable
            names.append(current)
        self.fields["agency"].choices = [("", _("— bukan tim teknis —"))] + [(n, n) for n in names]

    def values(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "role": data["role"], "agency": data["agency"],
                "sla_working_days": data["sla_working_days"], "allowed_actions": data["allowed_actions"],
                "checklist": _lines(data["checklist"]), "parallel_group": data["parallel_group"].strip()}

    @staticmethod
    def initial_of(step) -> dict:
        return {"name": step.name, "role": step.role, "agency": step.agency, "sla_working_days": step.sla_working_days,
                "allowed_actions": list(step.allowed_actions), "checklist": "\n".join(step.checklist),
                "parallel_group": step.parallel_group}


# --- Positions, delegation, acting officials -------------------------------------


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name or user.email} ({user.email})"


def regency_officers():
    """People holding an active role in this regency (the schema in use)."""
    return User.objects.filter(memberships__is_active=True).distinct().order_by("full_name", "email")


class PositionForm(Form):
    name = forms.CharField(label=_("Nama jabatan"), max_length=200, required=False,
                           help_text=_("Mis. Kepala DPMPTSP Kabupaten Trenggalek."))
    code = forms.CharField(label=_("Kode"), max_length=40, required=False,
                           help_text=_("Huruf kecil tanpa spasi, mis. kepala-dpmptsp."))
    kind = forms.ChoiceField(label=_("Jenis jabatan"), choices=Position.Kind.choices)
    holder = OfficerChoice(label=_("Pejabat yang menjabat"), queryset=User.objects.none(), required=False,
                           empty_label=_("— kosong —"),
                           help_text=_("Hanya petugas yang terdaftar di daerah ini dapat dipilih."))
    official_name = forms.CharField(label=_("Nama pejabat tanpa akun Pintu"), max_length=150, required=False,
                                    help_text=_("Mis. Walikota yang tidak masuk ke Pintu; tampil di rantai wewenang."))
    official_nip = forms.CharField(label=_("NIP pejabat"), max_length=18, required=False)
    official_title = forms.CharField(label=_("Pangkat/golongan"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = regency_officers()


class DelegationForm(Form):
    from_position = forms.ModelChoiceField(label=_("Dari jabatan"), queryset=Position.objects.none(), required=False,
                                           help_text=_("Biasanya Bupati/Walikota."))
    to_position = forms.ModelChoiceField(label=_("Kepada jabatan"), queryset=Position.objects.none(), required=False)
    applies_to_all = forms.BooleanField(label=_("Semua jenis izin"), required=False)
    permit_types = forms.ModelMultipleChoiceField(label=_("atau jenis izin tertentu"), queryset=PermitType.objects.none(),
                                                  required=False, widget=CHECKBOXES)
    legal_basis_number = forms.CharField(label=_("Nomor dasar hukum"), max_length=120, required=False,
                                         help_text=_("Mis. Peraturan Bupati Trenggalek Nomor 12 Tahun 2024."))
    legal_basis_date = forms.DateField(label=_("Tanggal dasar hukum"), required=False, widget=DATE)
    legal_basis_upload = forms.FileField(label=_("Salinan peraturan (PDF/JPG/PNG, opsional)"), required=False)
    valid_from = forms.DateField(label=_("Berlaku mulai"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("Berlaku sampai (kosongkan bila tanpa batas)"), required=False, widget=DATE)

    NOT_VALUES = ("permit_types", "legal_basis_upload")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_position"].queryset = Position.objects.order_by("kind", "name")
        self.fields["to_position"].queryset = Position.objects.order_by("kind", "name")
        self.fields["permit_types"].queryset = PermitType.objects.order_by("name")


class ActingForm(Form):
    position = forms.ModelChoiceField(label=_("Jabatan"), queryset=Position.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=ActingOfficial.Kind.choices, widget=forms.RadioSelect)
    user = OfficerChoice(label=_("Pelaksana"), queryset=User.objects.none(), required=False)
    decree_number = forms.CharField(label=_("Nomor surat perintah"), max_length=120, required=False)
    nip = forms.CharField(label=_("NIP pelaksana"), max_length=18, required=False,
                          help_text=_("18 angka; tercetak di bawah tanda tangan dan dikirim ke OSS."))
    valid_from = forms.DateField(label=_("Mulai"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("Sampai"), required=False, widget=DATE,
                                  help_text=_("Wajib untuk Plh."))
    grant_signing_role = forms.BooleanField(
        label=_("Beri peran pejabat penandatangan"), required=False,
        help_text=_("Centang bila pelaksana belum memegang peran pejabat penandatangan di daerah ini."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = Position.objects.order_by("kind", "name")
        self.fields["user"].queryset = regency_officers()

    def clean(self):
        data = super().clean()
        if not data.get("position"):
            self.add_error("position", _("Pilih jabatan pejabat yang digantikan."))
        if not data.get("user"):
            self.add_error("user", _("Pilih pelaksana (Plh/Plt) dari petugas daerah ini."))
        if not data.get("valid_from"):
            self.add_error("valid_from", _("Isi tanggal mulai."))
        return data


class AuthorityForm(Form):
    permit_type = forms.ModelChoiceField(label=_("Jenis izin"), queryset=PermitType.objects.none(),
                                         to_field_name="code")
    on = forms.DateField(label=_("Tanggal"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permit_type"].queryset = PermitType.objects.order_by("name")


# --- Calendar, templates, import --------------------------------------------------


class HolidayForm(Form):
    date = forms.DateField(label=_("Tanggal"), required=False, widget=DATE)
    name = forms.CharField(label=_("Nama hari libur"), max_length=160, required=False,
                           help_text=_("Mis. Hari Jadi Kabupaten Trenggalek."))


class AdoptForm(Form):
    code = forms.SlugField(label=_("Kode di daerah ini (opsional)"), max_length=40, required=False,
                           help_text=_("Kosongkan untuk memakai kode templat."))
    is_online = forms.BooleanField(label=_("Dapat diajukan daring"), required=False, initial=True)


class ImportUploadForm(Form):
    file = forms.FileField(label=_("Berkas konfigurasi (YAML)"),
                           help_text=_("Hasil unduhan 'Ekspor konfigurasi' dari Pintu, dari daerah ini atau daerah lain."))


class ImportConfirmForm(Form):
    content = forms.CharField(widget=forms.HiddenInput)


# --- Officers, invitations, agencies ------------------------------------------------------


class RolesForm(Form):
    """Roles as an administrator gives them: plain roles ticked, a technical team role per agency chosen."""

    roles = forms.MultipleChoiceField(label=_("Peran"), required=False, widget=CHECKBOXES,
                                      choices=[c for c in Role.choices if c[0] != Role.TECHNICAL_TEAM])
    agencies = forms.ModelMultipleChoiceField(
        label=_("Tim teknis dari instansi (OPD)"), required=False, widget=CHECKBOXES, queryset=None,
        help_text=_("Centang instansi bila orang ini meninjau berkas sebagai tim teknis instansi itu."))

    def __init__(self, *args, **kwargs):
        from pintu.access.selectors import agency_list

        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agency_list()

    def role_values(self) -> list[dict]:
        data = self.cleaned_data
        return ([{"role": role} for role in data["roles"]]
                + [{"role": Role.TECHNICAL_TEAM, "agency": agency.pk} for agency in data["agencies"]])

    @staticmethod
    def initial_of_memberships(memberships) -> dict:
        from pintu.access.models import Agency

        names = [m.agency for m in memberships if m.role == Role.TECHNICAL_TEAM]
        return {"roles": [m.role for m in memberships if m.role != Role.TECHNICAL_TEAM],
                "agencies": list(Agency.objects.filter(name__in=names).values_list("pk", flat=True))}


class InviteForm(RolesForm):
    email = forms.EmailField(label=_("Email"), required=False,
                             error_messages={"invalid": _("Alamat email tidak valid.")})
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False)
    nik = forms.CharField(label=_("NIK"), max_length=16, required=False,
                          help_text=_("Wajib untuk pejabat penandatangan (tanda tangan elektronik)."))
    field_order = ["email", "full_name", "nik", "roles", "agencies"]


class AgencyForm(Form):
    code = forms.CharField(label=_("Kode"), max_length=40, required=False, help_text=_("Mis. dinkes."))
    name = forms.CharField(label=_("Nama instansi"), max_length=120, required=False,
                           help_text=_("Mis. Dinas Kesehatan."))
