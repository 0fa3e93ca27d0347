"""The public satisfaction survey (SKM, PermenPANRB 14/2017): nine elements, each scored 1–4.

One response per application (whatever the channel); counter responses may carry no
application at all (a walk-in who rates the service on the counter's tablet).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from permits.models.applications import Application
from pintu.identity.models import user_reference


@dataclass(frozen=True)
class Element:
    field: str
    label: str
    question: str
    answers: tuple[str, str, str, str]  # the regulation's wording for scores 1, 2, 3, 4


#: The nine elements, in the regulation's order (U1–U9), with the answer wording of its questionnaire.
ELEMENTS: tuple[Element, ...] = (
    Element("requirements", _("Persyaratan"),
            _("Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
            (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai"))),
    Element("procedure", _("Sistem, mekanisme, dan prosedur"),
            _("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
            (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah"))),
    Element("time", _("Waktu penyelesaian"),
            _("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
            (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat"))),
    Element("cost", _("Biaya/tarif"),
            _("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
            (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis"))),
    Element("product", _("Produk spesifikasi jenis pelayanan"),
            _("Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar "
              "pelayanan dengan hasil yang diberikan?"),
            (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai"))),
    Element("competence", _("Kompetensi pelaksana"),
            _("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
            (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"), _("Sangat kompeten"))),
    Element("conduct", _("Perilaku pelaksana"),
            _("Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"),
            (_("Tidak sopan dan ramah"), _("Kurang sopan dan ramah"), _("Sopan dan ramah"),
             _("Sangat sopan dan ramah"))),
    Element("facilities", _("Sarana dan prasarana"),
            _("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
            (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik"))),
    Element("complaint_handling", _("Penanganan pengaduan, saran dan masukan"),
            _("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
            (_("Tidak ada"), _("Ada tetapi tidak berfungsi"), _("Berfungsi kurang maksimal"),
             _("Dikelola dengan baik"))),
)
ELEMENT_FIELDS: tuple[str, ...] = tuple(e.field for e in ELEMENTS)


def _score(label):
    return models.PositiveSmallIntegerField(label)


class SurveyResponse(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Daring (setelah permohonan selesai)")
        COUNTER = "counter", _("Tablet loket")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="survey_response",
        help_text=_("Satu penilaian per permohonan; kosong untuk responden loket tanpa nomor registrasi."))
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    respondent = user_reference(on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    submitted_at = models.DateTimeField(_("waktu pengisian"), db_index=True)
    requirements = _score(_("persyaratan"))
    procedure = _score(_("prosedur"))
    time = _score(_("waktu penyelesaian"))
    cost = _score(_("biaya/tarif"))
    product = _score(_("produk layanan"))
    competence = _score(_("kompetensi pelaksana"))
    conduct = _score(_("perilaku pelaksana"))
    facilities = _score(_("sarana dan prasarana"))
    complaint_handling = _score(_("penanganan pengaduan"))
    comment = models.TextField(_("saran dan masukan"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("jawaban survei kepuasan")
        verbose_name_plural = _("jawaban survei kepuasan")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 4}),
                                   name=f"survey_{name}_1_to_4")
            for name in ELEMENT_FIELDS
        ]

    def scores(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in ELEMENT_FIELDS}
