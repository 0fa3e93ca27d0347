"""The national starter set of catalog templates (permit type + requirements + form + SOP).

Regencies adopt these as their own copies and change them freely. Legal bases
are the national regulations; levy regulations are the regency's own and are
marked for the regency to fill in.
"""
from __future__ import annotations

PDF = ["pdf"]
PDF_IMG = ["pdf", "jpg", "png"]
IMG = ["jpg", "png"]


def _req(name, help_text="", types=PDF, size=1536, mandatory=True, applies_to="both", from_agency=False):
    # A document asked as PDF also takes a phone photo of it, made a PDF on the server (issue #16);
    # a regency that wants scans only unticks it.
    return {"name": name, "help_text": help_text, "allowed_types": list(types), "max_size_kb": size,
            "is_mandatory": mandatory, "applies_to": applies_to, "is_obtainable_from_agency": from_agency,
            "accepts_photo_as_pdf": "pdf" in types}


def _field(key, label, kind="text", choices=None, required=True, help_text=""):
    return {"key": key, "label": label, "kind": kind, "choices": list(choices or []), "is_required": required,
            "help_text": help_text}


def _step(name, role, sla=1, actions=("forward", "return", "reject"), agency="", checklist=(), group=""):
    return {"name": name, "role": role, "agency": agency, "sla_working_days": sla, "allowed_actions": list(actions),
            "checklist": list(checklist), "parallel_group": group}


FRONT_OFFICE = _step("Pemeriksaan kelengkapan berkas", "front_office", 1, ("forward", "return"),
                     checklist=["Semua persyaratan wajib terunggah", "Berkas terbaca jelas", "Data formulir sesuai KTP"])
VERIFY = _step("Verifikasi berkas", "verifier", 1, ("forward", "return", "reject"),
               checklist=["Keaslian dan masa berlaku dokumen", "Kesesuaian data antar-dokumen"])
SIGN = _step("Persetujuan dan penandatanganan keputusan", "signing_official", 1, ("approve_sign", "reject", "return"),
             checklist=["Rekomendasi teknis tersedia", "Draf keputusan sesuai data permohonan"])

_HEALTH_LETTER_BODY = (
    "Berdasarkan permohonan {applicant_name} (NIK {applicant_nik}) dan {recommendations}, "
    "diberikan {permit_type} untuk berpraktik di {form.practice_place}, {form.practice_address}, "
    "dengan Nomor STR {form.str_number}.\n\nIzin ini berlaku sampai {valid_until} selama STR masih berlaku "
    "dan tempat praktik tidak berubah."
)
_SIGNATURE = "{regency_name}, {issued_on}\n{signer_position}\n\n\n{signer_name}\n{authority}"


def _health_practice(code, name, profession, abbreviation, legal_basis, organisation):
    requirements = [
        _req("Surat permohonan", "Formulir permohonan yang ditandatangani pemohon."),
        _req("KTP pemohon", "Pindaian KTP elektronik.", PDF_IMG, 1024),
        _req("STR yang masih berlaku", f"Surat Tanda Registrasi {profession}, dilegalisir.", from_agency=True),
        _req("Ijazah terakhir", "Dilegalisir oleh institusi pendidikan."),
        _req("Surat keterangan sehat", "Dari dokter yang memiliki SIP, paling lama 3 bulan terakhir."),
        _req("Pas foto berwarna 4x6", "Latar belakang merah.", IMG, 512),
        _req(f"Rekomendasi organisasi profesi ({organisation})", "Dari pengurus cabang setempat."),
        _req("Surat keterangan dari fasilitas pelayanan kesehatan",
             "Bagi yang bekerja di fasilitas pelayanan kesehatan: surat keterangan dari pimpinan.", mandatory=False),
        _req("Surat persetujuan atasan langsung", "Bagi aparatur sipil negara.", mandatory=False),
        _req("Denah lokasi tempat praktik", "Untuk praktik mandiri.", PDF_IMG, mandatory=False),
        _req("Surat pernyataan mematuhi etika profesi", "Bermeterai."),
        _req("SIP lama", "Surat izin praktik yang akan diperpanjang.", applies_to="renewal"),
    ]
    form = [
        _field("nik", "NIK pemohon", "nik"),
        _field("str_number", "Nomor STR"),
        _field("str_valid_until", "STR berlaku sampai", "date"),
        _field("practice_kind", "Jenis praktik", "choice", ["Praktik mandiri", "Fasilitas pelayanan kesehatan"]),
        _field("practice_place", "Nama tempat praktik"),
        _field("practice_address", "Alamat tempat praktik", "address"),
        _field("practice_district", "Kecamatan tempat praktik", "district"),
    ]
    sop = [
        FRONT_OFFICE, VERIFY,
        _step("Kajian teknis Dinas Kesehatan", "technical_team", 1, ("recommend", "return", "reject"),
              agency="Dinas Kesehatan", checklist=["STR sah dan berlaku", "Rekomendasi organisasi profesi sesuai"]),
        _step("Peninjauan tempat praktik", "surveyor", 1, ("forward", "return"),
              checklist=["Tempat praktik sesuai alamat", "Sarana sesuai standar"]),
        SIGN,
    ]
    return {
        "code": code, "name": name,
        "summary": f"Izin praktik {profession}: 5 hari kerja, gratis; perpanjangan menambah SIP lama.",
        "data": {
            "permit_type": {
                "code": code, "name": name,
                "description": f"Izin bagi {profession} untuk menjalankan praktik keprofesian di fasilitas pelayanan "
                               "kesehatan atau praktik mandiri.",
                "legal_basis": legal_basis, "is_online": True, "sla_working_days": 5, "validity_months": 60,
                "validity_capped_by": "str_valid_until", "is_renewable": True, "levy_amount": "0",
                "levy_regulation_number": "", "levy_regulation_year": None,
                "levy_regulation_article": "", "number_format": f"503/{{seq:04d}}/{abbreviation}/DPMPTSP/{{year}}",
                "number_counter_key": "", "is_fiktif_positif": False, "letter_title": f"SURAT IZIN PRAKTIK {profession.upper()}",
                "letter_body": _HEALTH_LETTER_BODY, "letter_signature_block": _SIGNATURE,
            },
            "requirements": requirements, "form_fields": form, "sop": {"steps": sop},
        },
    }


STARTER_TEMPLATES = [
    _health_practice("sip-fisioterapis", "Surat Izin Praktik Fisioterapis (SIPF)", "Fisioterapis", "SIPF",
                     "Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan; Peraturan Menteri Kesehatan Nomor 80 Tahun "
                     "2013 tentang Penyelenggaraan Pekerjaan dan Praktik Fisioterapis", "IFI"),
    _health_practice("sip-bidan", "Surat Izin Praktik Bidan (SIPB)", "Bidan", "SIPB",
                     "Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan; Peraturan Menteri Kesehatan Nomor 28 Tahun "
                     "2017 tentang Izin dan Penyelenggaraan Praktik Bidan", "IBI"),
    _health_practice("sip-perawat", "Surat Izin Praktik Perawat (SIPP)", "Perawat", "SIPP",
                     "Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan; Peraturan Menteri Kesehatan Nomor 26 Tahun "
                     "2019 tentang Peraturan Pelaksanaan Undang-Undang Nomor 38 Tahun 2014 tentang Keperawatan", "PPNI"),
    {
        "code": "reklame", "name": "Izin Penyelenggaraan Reklame",
        "summary": "Izin pemasangan reklame: 5 hari kerja, berlaku 1 tahun, ditandatangani Kepala DPMPTSP.",
        "data": {
            "permit_type": {
                "code": "reklame", "name": "Izin Penyelenggaraan Reklame",
                "description": "Izin memasang reklame (papan, baliho, billboard, neon box) di lokasi tertentu.",
                "legal_basis": "Undang-Undang Nomor 1 Tahun 2022 tentang Hubungan Keuangan antara Pemerintah Pusat "
                               "dan Pemerintahan Daerah; Peraturan Daerah tentang Penyelenggaraan Reklame",
                "is_online": True, "sla_working_days": 5, "validity_months": 12, "is_renewable": True,
                "levy_amount": "0", "levy_regulation_number": "", "levy_regulation_year": None,
                "levy_regulation_article": "", "number_format": "503/{seq:04d}/IR/DPMPTSP/{year}",
                "number_counter_key": "", "is_fiktif_positif": True, "letter_title": "IZIN PENYELENGGARAAN REKLAME",
                "letter_body": "Diberikan izin kepada {applicant_name} untuk menyelenggarakan reklame "
                               "{form.billboard_kind} berukuran {form.size_m2} m² bertuliskan \"{form.content}\" di "
                               "{form.location_address}. Izin berlaku sampai {valid_until}; pajak reklame dibayar "
                               "ke kas daerah sesuai ketetapan.",
                "letter_signature_block": _SIGNATURE,
            },
            "requirements": [
                _req("Surat permohonan"),
                _req("KTP pemohon / penanggung jawab", types=PDF_IMG, size=1024),
                _req("NPWP", types=PDF_IMG, size=1024),
                _req("Desain reklame dengan ukuran", "Gambar reklame, ukuran dan bahan.", PDF_IMG, 2048),
                _req("Foto lokasi pemasangan", "Foto terbaru dengan titik koordinat.", IMG, 2048),
                _req("Surat persetujuan pemilik lahan/bangunan"),
                _req("Gambar konstruksi reklame", "Untuk reklame dengan konstruksi (billboard/baliho).",
                     mandatory=False),
                _req("Izin reklame lama", applies_to="renewal"),
            ],
            "form_fields": [
                _field("nik", "NIK penanggung jawab", "nik"),
                _field("nib", "NIB usaha", "nib", required=False),
                _field("billboard_kind", "Jenis reklame", "choice",
                       ["Papan/billboard", "Baliho", "Neon box", "Spanduk", "Videotron"]),
                _field("size_m2", "Ukuran (m²)", "number"),
                _field("content", "Naskah/isi reklame"),
                _field("location_address", "Alamat lokasi pemasangan", "address"),
                _field("location_district", "Kecamatan lokasi", "district"),
            ],
            "sop": {"steps": [
                FRONT_OFFICE, VERIFY,
                _step("Kajian teknis tata ruang dan konstruksi", "technical_team", 1, ("recommend", "return", "reject"),
                      agency="Dinas PUPR", checklist=["Titik sesuai rencana penataan reklame", "Konstruksi aman"],
                      group="kajian"),
                _step("Penetapan pajak reklame", "technical_team", 1, ("recommend", "return"),
                      agency="Badan Pendapatan Daerah", checklist=["Nilai sewa reklame dihitung"], group="kajian"),
                _step("Survei lokasi", "surveyor", 1, ("forward", "return"), checklist=["Lokasi sesuai permohonan"]),
                SIGN,
            ]},
        },
    },
    {
        "code": "pbg", "name": "Persetujuan Bangunan Gedung (PBG)",
        "summary": "Persetujuan membangun: retribusi sesuai perda, kajian Dinas PUPR dan DLH berjalan paralel.",
        "data": {
            "permit_type": {
                "code": "pbg", "name": "Persetujuan Bangunan Gedung (PBG)",
                "description": "Persetujuan untuk membangun baru, mengubah, memperluas, mengurangi dan/atau merawat "
                               "bangunan gedung sesuai standar teknis. Retribusi PBG dihitung dari luas dan indeks "
                               "bangunan; nilai dan nomor perda di sini contoh, sesuaikan dengan perda daerah.",
                "legal_basis": "Peraturan Pemerintah Nomor 16 Tahun 2021 tentang Peraturan Pelaksanaan Undang-Undang "
                               "Nomor 28 Tahun 2002 tentang Bangunan Gedung",
                "is_online": True, "sla_working_days": 28, "validity_months": None, "is_renewable": False,
                "levy_amount": "500000.00",
                "levy_regulation_number": "1", "levy_regulation_year": 2024,
                "levy_regulation_article": "Pasal 80",
                "number_format": "640/{seq:04d}/PBG/DPMPTSP/{year}", "number_counter_key": "",
                "is_fiktif_positif": False, "letter_title": "PERSETUJUAN BANGUNAN GEDUNG",
                "letter_body": "Diberikan Persetujuan Bangunan Gedung kepada {applicant_name} untuk bangunan fungsi "
                               "{form.building_function} seluas {form.floor_area_m2} m², {form.floors} lantai, di "
                               "{form.site_address}, di atas tanah dengan bukti kepemilikan {form.land_title}.",
                "letter_signature_block": _SIGNATURE,
            },
            "requirements": [
                _req("Data pemohon dan KTP", types=PDF_IMG, size=1024),
                _req("Bukti kepemilikan tanah", "Sertifikat atau bukti penguasaan tanah.", from_agency=True),
                _req("KKPR / PKKPR", "Kesesuaian kegiatan pemanfaatan ruang.", from_agency=True),
                _req("Gambar arsitektur", size=5120),
                _req("Gambar struktur", size=5120),
                _req("Gambar mekanikal, elektrikal dan plambing", size=5120),
                _req("Perhitungan struktur", "Untuk bangunan lebih dari dua lantai.", size=5120, mandatory=False),
                _req("Dokumen lingkungan (SPPL/UKL-UPL)", from_agency=True),
                _req("Foto lokasi", types=IMG, size=2048),
                _req("NIB", "Bagi pemohon badan usaha.", mandatory=False, from_agency=True),
            ],
            "form_fields": [
                _field("nik", "NIK pemohon", "nik"),
                _field("building_function", "Fungsi bangunan", "choice",
                       ["Hunian", "Keagamaan", "Usaha", "Sosial dan budaya", "Khusus"]),
                _field("floor_area_m2", "Luas lantai bangunan (m²)", "number"),
                _field("floors", "Jumlah lantai", "number"),
                _field("land_title", "Nomor sertifikat/bukti kepemilikan tanah"),
                _field("site_address", "Alamat lokasi bangunan", "address"),
                _field("site_district", "Kecamatan lokasi", "district"),
            ],
            "sop": {"steps": [
                FRONT_OFFICE, _step("Verifikasi berkas", "verifier", 2, ("forward", "return", "reject")),
                _step("Pemeriksaan dokumen teknis oleh Tim Profesi Ahli", "technical_team", 10,
                      ("recommend", "return", "reject"), agency="Dinas PUPR",
                      checklist=["Arsitektur", "Struktur", "MEP", "Kesesuaian KKPR"], group="kajian"),
                _step("Kajian dokumen lingkungan", "technical_team", 5, ("recommend", "return", "reject"),
                      agency="Dinas Lingkungan Hidup", checklist=["SPPL/UKL-UPL sesuai"], group="kajian"),
                _step("Survei lapangan", "surveyor", 3, ("forward", "return"),
                      checklist=["Lokasi dan batas tanah", "Kondisi eksisting"]),
                _step("Rekomendasi teknis dan penetapan retribusi", "technical_team", 3, ("recommend", "return"),
                      agency="Dinas PUPR", checklist=["Nilai retribusi sesuai perda"]),
                _step("Persetujuan dan penandatanganan keputusan", "signing_official", 2,
                      ("approve_sign", "reject", "return")),
            ]},
        },
    },
    {
        "code": "izin-penelitian", "name": "Surat Keterangan Penelitian",
        "summary": "Izin melakukan penelitian di wilayah daerah: 3 hari kerja, gratis, berlaku 6 bulan.",
        "data": {
            "permit_type": {
                "code": "izin-penelitian", "name": "Surat Keterangan Penelitian",
                "description": "Keterangan bagi peneliti, mahasiswa dan lembaga yang melakukan penelitian di daerah.",
                "legal_basis": "Peraturan Menteri Dalam Negeri Nomor 3 Tahun 2018 tentang Penerbitan Surat Keterangan "
                               "Penelitian",
                "is_online": True, "sla_working_days": 3, "validity_months": 6, "is_renewable": False,
                "levy_amount": "0", "levy_regulation_number": "", "levy_regulation_year": None,
                "levy_regulation_article": "", "number_format": "070/{seq:04d}/SKP/DPMPTSP/{year}",
                "number_counter_key": "", "is_fiktif_positif": False, "letter_title": "SURAT KETERANGAN PENELITIAN",
                "letter_body": "Menerangkan bahwa {applicant_name} dari {form.institution} akan melakukan penelitian "
                               "berjudul \"{form.title}\" di Kecamatan {form.location_district} pada {form.start_date} "
                               "sampai {form.end_date}.",
                "letter_signature_block": _SIGNATURE,
            },
            "requirements": [
                _req("Surat pengantar dari lembaga/perguruan tinggi"),
                _req("Proposal penelitian", size=5120),
                _req("KTP peneliti", types=PDF_IMG, size=1024),
                _req("Surat pernyataan mematuhi ketentuan", "Bermeterai."),
            ],
            "form_fields": [
                _field("nik", "NIK peneliti", "nik"),
                _field("institution", "Lembaga/perguruan tinggi"),
                _field("title", "Judul penelitian"),
                _field("location_district", "Kecamatan lokasi penelitian", "district"),
                _field("start_date", "Tanggal mulai", "date"),
                _field("end_date", "Tanggal selesai", "date"),
            ],
            "sop": {"steps": [
                FRONT_OFFICE,
                _step("Kajian Badan Kesatuan Bangsa dan Politik", "technical_team", 1, ("recommend", "return", "reject"),
                      agency="Badan Kesbangpol", checklist=["Tema dan lokasi penelitian tidak mengganggu ketertiban"]),
                SIGN,
            ]},
        },
    },
    {
        "code": "izin-operasional-tk", "name": "Izin Operasional Taman Kanak-Kanak (TK)",
        "summary": "Izin pendirian dan operasional TK: kajian Dinas Pendidikan dan visitasi, 14 hari kerja, gratis.",
        "data": {
            "permit_type": {
                "code": "izin-operasional-tk", "name": "Izin Operasional Taman Kanak-Kanak (TK)",
                "description": "Izin pendirian dan penyelenggaraan satuan pendidikan anak usia dini jenis Taman "
                               "Kanak-Kanak oleh masyarakat.",
                "legal_basis": "Peraturan Menteri Pendidikan dan Kebudayaan Nomor 84 Tahun 2014 tentang Pendirian "
                               "Satuan Pendidikan Anak Usia Dini",
                "is_online": True, "sla_working_days": 14, "validity_months": None, "is_renewable": False,
                "levy_amount": "0", "levy_regulation_number": "", "levy_regulation_year": None,
                "levy_regulation_article": "", "number_format": "421.1/{seq:04d}/IOP-TK/DPMPTSP/{year}",
                "number_counter_key": "", "is_fiktif_positif": False,
                "letter_title": "IZIN OPERASIONAL TAMAN KANAK-KANAK",
                "letter_body": "Diberikan izin operasional kepada {form.school_name} yang diselenggarakan oleh "
                               "{form.foundation}, beralamat di {form.school_address}.",
                "letter_signature_block": _SIGNATURE,
            },
            "requirements": [
                _req("Surat permohonan dari penyelenggara"),
                _req("Akta pendirian yayasan dan pengesahan Kemenkumham", from_agency=True),
                _req("Data peserta didik"),
                _req("Data pendidik dan tenaga kependidikan"),
                _req("Kurikulum dan rencana pembelajaran", size=5120),
                _req("Data sarana dan prasarana", "Termasuk foto ruang kelas dan area bermain.", PDF_IMG, 5120),
                _req("Bukti kepemilikan atau sewa tanah dan bangunan", "Sewa minimal 5 tahun."),
                _req("Struktur organisasi satuan pendidikan"),
                _req("Rencana induk pengembangan satuan pendidikan"),
                _req("Rekomendasi penilik PAUD", from_agency=True),
            ],
            "form_fields": [
                _field("nib", "NIB yayasan", "nib", required=False),
                _field("foundation", "Nama yayasan penyelenggara"),
                _field("school_name", "Nama TK"),
                _field("school_address", "Alamat TK", "address"),
                _field("school_district", "Kecamatan", "district"),
                _field("pupils", "Jumlah peserta didik", "number"),
            ],
            "sop": {"steps": [
                FRONT_OFFICE, VERIFY,
                _step("Kajian teknis Dinas Pendidikan", "technical_team", 5, ("recommend", "return", "reject"),
                      agency="Dinas Pendidikan", checklist=["Rasio pendidik dan peserta didik", "Kurikulum"]),
                _step("Visitasi satuan pendidikan", "surveyor", 4, ("forward", "return"),
                      checklist=["Sarana prasarana sesuai data", "Keamanan area bermain"]),
                _step("Rekomendasi Dinas Pendidikan", "technical_team", 2, ("recommend", "return", "reject"),
                      agency="Dinas Pendidikan"),
                SIGN,
            ]},
        },
    },
]
