"""Realistic receiveNIB payloads (PIA 4.3.x field names) for businesses in the demo regencies.

Deterministic from a seed, so a test can ask for "business 7" twice and get the same NIB.
"""
from __future__ import annotations

import datetime as dt
import random

REGIONS = {  # regency code -> (name, districts, a street of each)
    "3503": ("Kabupaten Trenggalek", ["Trenggalek", "Pogalan", "Durenan", "Watulimo"],
             ["Jl. Soekarno-Hatta", "Jl. Panglima Sudirman", "Jl. Raya Durenan", "Jl. Pantai Prigi"]),
    "3572": ("Kota Blitar", ["Sananwetan", "Kepanjenkidul", "Sukorejo"],
             ["Jl. Merdeka", "Jl. Kalimantan", "Jl. Cokroaminoto"]),
    "3672": ("Kota Cilegon", ["Cibeber", "Citangkil", "Purwakarta"], ["Jl. Raya Anyer", "Jl. KH Wasyid"]),
    "5271": ("Kota Mataram", ["Ampenan", "Cakranegara", "Selaparang"], ["Jl. Pejanggik", "Jl. Udayana"]),
    "3317": ("Kabupaten Rembang", ["Rembang", "Lasem", "Sluke"], ["Jl. Pemuda", "Jl. Sultan Agung"]),
}
BUSINESSES = [  # (name, KBLI, activity, risk)
    ("CV Sumber Rejeki", "47111", "Perdagangan eceran berbagai macam barang kebutuhan sehari-hari", "MR"),
    ("PT Prigi Bahari Lestari", "10213", "Pengolahan dan pengawetan ikan", "MT"),
    ("UD Tani Makmur", "46201", "Perdagangan besar padi dan palawija", "R"),
    ("CV Griya Sehat Fisioterapi", "86903", "Aktivitas fisioterapi", "MR"),
    ("PT Batik Lasem Jaya", "13134", "Industri batik", "MR"),
    ("Koperasi Nelayan Samudra", "03111", "Penangkapan ikan di laut", "MT"),
    ("CV Kopi Durenan", "10761", "Industri pengolahan kopi", "MR"),
    ("PT Anyer Logistik Nusantara", "52101", "Pergudangan dan penyimpanan", "MT"),
]
PEOPLE = ["Siti Rahayu", "Bambang Sutrisno", "Dewi Lestari", "Agus Santoso", "Rina Wulandari", "Hendra Gunawan",
          "Yuliana Putri", "Joko Prasetyo"]


def nik_for(code: str, rng: random.Random) -> str:
    """A NIK shaped like a real one: region (6), birth date DDMMYY (6), serial (4)."""
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(60, 99)
    return f"{code}{rng.randint(1, 9):02d}{day:02d}{month:02d}{year:02d}{rng.randint(1, 9999):04d}"


def business(seed: int, *, home: str = "3503") -> dict:
    rng = random.Random(seed)
    name, kbli, activity, risk = BUSINESSES[seed % len(BUSINESSES)]
    region, districts, streets = REGIONS.get(home, REGIONS["3503"])
    person = PEOPLE[seed % len(PEOPLE)]
    return {
        "nib": f"{9120000000000 + seed * 7919 % 10**12:013d}"[:13],
        "oss_id": f"P01-{20260101000000 + seed:014d}{seed % 1000:03d}"[:25],
        "nama_perseroan": f"{name}" if seed < len(BUSINESSES) else f"{name} {seed}",
        "npwp_perseroan": f"{rng.randint(10**14, 10**15 - 1)}",
        "alamat_perseroan": f"{streets[seed % len(streets)]} No. {rng.randint(1, 200)}",
        "kelurahan_perseroan": districts[seed % len(districts)],
        "perseroan_daerah_id": f"{home}000000",
        "kode_pos_perseroan": f"{rng.randint(60000, 69999)}",
        "nomor_telpon_perseroan": f"0355{rng.randint(100000, 999999)}",
        "email_perusahaan": f"usaha{seed}@contoh.co.id",
        "pj_name": person, "pj_nik": nik_for(home, rng), "pj_email": f"pj{seed}@contoh.co.id",
        "pj_hp": f"08{rng.randint(10**9, 10**10 - 1)}",
        "kbli": kbli, "activity": activity, "risk": risk,
        "lat_lng": f"{-8.05 - rng.random() / 10:.6f},{111.7 + rng.random() / 10:.6f}",
    }


def receive_nib_payload(seed: int, *, checklist: list[dict], home: str = "3503", pj_nik: str = "",
                        today: dt.date | None = None) -> dict:
    """A receiveNIB body: the business `seed` and one checklist item per {kd_daerah, kd_izin, nama_izin}."""
    b = business(seed, home=home)
    today = today or dt.date.today()
    id_proyek = f"R-{20260101000000 + seed:014d}{seed % 10000:04d}"[:25]
    items = []
    for n, item in enumerate(checklist):
        items.append({
            "id_produk": f"{seed * 100 + n}", "id_proyek": id_proyek,
            "id_izin": item.get("id_izin") or f"I-{20260101000000 + seed:014d}{n:02d}{item['kd_daerah'][:4]}"[:25],
            "jenis_izin": "02", "kd_izin": item["kd_izin"], "kd_daerah": item["kd_daerah"],
            "nama_izin": item.get("nama_izin", "Izin usaha daerah"), "instansi": "DPMPTSP",
            "id_bidang_spesifik": "", "bidang_spesifik": "", "id_kewenangan": "",
            "parameter_kewenangan": "", "kewenangan": item.get("kewenangan", "02"), "flag_checklist": "Y",
            "flag_transaksional": "N", "kbli_konversi": b["kbli"], "flag_perpanjangan": "N", "no_izin": "",
            "tgl_izin": "", "file_izin": "", "kd_dokumen": "", "nm_dokumen": "", "data_persyaratan": [],
        })
    return {"dataNIB": {
        "nib": b["nib"], "tgl_pengajuan_nib": today.isoformat(), "tgl_terbit_nib": today.isoformat(),
        "tgl_perubahan_nib": "", "oss_id": b["oss_id"], "id_izin": "", "kd_izin": "", "kd_daerah": "",
        "kewenangan": "", "jenis_pelaku_usaha": "08", "flag_perusahaan": "Y", "flag_ekspor": "N",
        "flag_impor": "N", "status_penanaman_modal": "PMDN", "npwp_perseroan": b["npwp_perseroan"],
        "nama_perseroan": b["nama_perseroan"], "jenis_perseroan": "02", "status_perseroan": "N",
        "alamat_perseroan": b["alamat_perseroan"], "rt_rw_perseroan": "001/002",
        "kelurahan_perseroan": b["kelurahan_perseroan"], "perseroan_daerah_id": b["perseroan_daerah_id"],
        "kode_pos_perseroan": b["kode_pos_perseroan"], "nomor_telpon_perseroan": b["nomor_telpon_perseroan"],
        "email_perusahaan": b["email_perusahaan"], "flag_umk": "Y", "skala_usaha": "01",
        "penanggung_jwb": [{
            "flag_asing": "N", "jns_identitas_penanggung_jwb": "01",
            "no_identitas_penanggung_jwb": pj_nik or b["pj_nik"], "nama_penanggung_jwb": b["pj_name"],
            "jabatan_penanggung_jwb": "Direktur", "kebangsaan_penanggung_jwb": "ID",
            "alamat_penanggung_jwb": b["alamat_perseroan"], "no_hp_penanggung_jwb": b["pj_hp"],
            "email_penanggung_jwb": b["pj_email"]}],
        "data_proyek": [{
            "id_proyek": id_proyek, "nomor_proyek": f"{id_proyek}"[:26], "uraian_usaha": b["activity"],
            "kbli": b["kbli"], "sektor": "", "jumlah_investasi": str(50_000_000 + seed * 1_000_000),
            "skala_usaha": "01", "skala_resiko": b["risk"],
            "data_lokasi_proyek": [{
                "id_proyek_lokasi": f"{seed}", "proyek_daerah_id": f"{home}000000",
                "alamat_usaha": f"{b['alamat_perseroan']}, {b['kelurahan_perseroan']}",
                "data_lokasi_proyek": [{"serial": "1", "lat_lng": b["lat_lng"]}]}]}],
        "data_dni": [], "data_checklist": items,
        "jenis_id_user_proses": "01", "no_id_user_proses": pj_nik or b["pj_nik"],
        "nama_user_proses": b["pj_name"], "email_user_proses": b["pj_email"], "hp_user_proses": b["pj_hp"],
        "status_nib": "01", "tipe_dokumen": "9",
    }}
