"""The English catalog's translations of the applicant's pages, written into en/LC_MESSAGES/django.po.

Indonesian is the source language (the msgids); English is what a person gets after picking it with the
footer switch. `makemessages -l en` collects every msgid; this fills the ones of the pages an applicant
walks (home, sign-up and sign-in, catalog, permit page, the application form, my applications), then
`compilemessages` makes the .mo. Run from the repository root:

    .venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=bench \
        --ignore=artifacts --ignore=var --ignore=deploy --no-obsolete
    .venv/bin/python platform/pintu/locale/translate_en.py
    .venv/bin/python manage.py compilemessages -l en --ignore=.venv

Every msgid of the catalog has its English in the .po itself (makemessages keeps them): write the English of
a new string there (or here), remove the fuzzy flag of a guessed one, and compile.
`tests/web/test_english_complete.py` fails on a msgid without English, a fuzzy one, or a marked string
makemessages would add.
"""
from __future__ import annotations

import re
from pathlib import Path

PO = Path(__file__).parent / "en" / "LC_MESSAGES" / "django.po"

EN: dict[str, str | tuple[str, str]] = {
    # header, footer, home
    "Bahasa Indonesia": "Bahasa Indonesia", "English": "English",
    "Keluar": "Sign out", "Masuk": "Sign in", "Daftar": "Sign up", "Bahasa": "Language", "Ganti": "Change",
    "Laporkan pungli": "Report an illegal fee", "Permohonan saya": "My applications", "Dasbor": "Dashboard",
    "Dasbor nasional": "National dashboard", "Konsol kementerian": "Ministry console", "Daftar kerja": "Worklist",
    "Loket": "Front office", "Log audit": "Audit log", "Pemakaian": "Usage", "Pengaturan": "Settings",
    "Pintu — satu pintu untuk setiap izin. Layanan perizinan gratis; jangan bayar kepada petugas.":
        "Pintu — one door for every permit. Licensing is free; never pay an officer.",
    "Perizinan daring %(name)s: persyaratan, lama layanan dan biaya setiap izin, pengajuan, pelacakan dan "
    "verifikasi izin. Gratis.":
        "Online permits of %(name)s: requirements, service time and cost of each permit, applying, tracking "
        "and verifying permits. Free.",
    "Pintu: satu pintu perizinan daring untuk setiap kabupaten dan kota di Indonesia. Satu akun, gratis.":
        "Pintu: one door to online permits for every regency and city in Indonesia. One account, free.",
    "Layanan sedang dalam mode terbatas: data ditampilkan dari server cadangan dan mungkin tertinggal beberapa "
    "detik. Pengajuan permohonan baru dihentikan sementara.":
        "The service is running in limited mode: data comes from a standby server and may be a few seconds "
        "behind. New applications are paused.",
    "Perizinan daring untuk setiap kabupaten dan kota": "Online permits for every regency and city",
    "Satu akun untuk mengajukan izin di daerah mana pun: unggah persyaratan, pantau berkas, unduh izin yang sudah "
    "ditandatangani — tanpa tatap muka.":
        "One account to apply for permits in any region: upload the requirements, follow your file, download "
        "the signed permit — without visiting an office.",
    "Cari daerah": "Find a region", "mis. Rembang atau 3317": "e.g. Rembang or 3317", "Cari": "Search",
    "Semua daerah": "All regions", "Kode": "Code", "Daerah": "Region", "Provinsi": "Province",
    "Zona waktu": "Time zone", "Belum ada daerah.": "No regions yet.",
    "%(n)s daerah melayani di Pintu": ("%(n)s region serves on Pintu", "%(n)s regions serve on Pintu"),
    "Tidak ada daerah yang cocok dengan pencarian.": "No region matches the search.",
    "Semua tanggal dan tenggat di sini memakai waktu %(tz)s.": "All dates and deadlines here are in %(tz)s.",
    "Jenis izin & persyaratan": "Permits & requirements", "Lacak permohonan": "Track an application",
    "Peran Anda di daerah ini:": "Your roles in this region:", "Daftar petugas": "Officers",
    "Pengaturan layanan": "Service settings",
    "jenis izin, persyaratan, SOP, pejabat berwenang, hari libur":
        "permit types, requirements, SOPs, authorised officials, holidays",
    "Anda masuk sebagai pemohon. Anda dapat mengajukan izin di daerah ini.":
        "You are signed in as an applicant. You can apply for permits in this region.",
    "Masuk untuk mengajukan atau memproses izin.": "Sign in to apply for or process permits.",
    "Belum punya akun? Daftar": "No account yet? Sign up",
    # sign-in, sign-up
    "Belum punya akun?": "No account yet?", "Daftar akun baru": "Create an account", "Lupa kata sandi?":
        "Forgot your password?",
    "Daftar akun pemohon": "Create an applicant account", "Sudah punya akun?": "Already have an account?",
    "Akun langsung aktif — tanpa menunggu persetujuan petugas.":
        "The account is active at once — no officer has to approve it.",
    "Nama lengkap": "Full name", "NIK (opsional)": "NIK (optional)",
    "16 angka sesuai KTP. Bisa diisi nanti.": "16 digits, as on the KTP. You can add it later.",
    "Nomor HP (opsional)": "Mobile number (optional)", "Kata sandi": "Password",
    "Email atau kata sandi salah.": "Wrong e-mail or password.", "Akun ini tidak aktif.": "This account is inactive.",
    "Email ini sudah terdaftar. Silakan masuk.": "This e-mail is already registered. Please sign in.",
    # catalog and permit page
    "Jenis izin": "Permits",
    "Pilih izin untuk melihat persyaratan, lama layanan, dan biaya sebelum mengajukan.":
        "Choose a permit to see its requirements, service time and cost before applying.",
    "Daring": "Online", "Hanya di loket": "At the office only",
    "%(n)s hari kerja": ("%(n)s working day", "%(n)s working days"),
    "%(n)s persyaratan": ("%(n)s requirement", "%(n)s requirements"),
    "Belum ada jenis izin yang ditawarkan.": "No permits are offered yet.",
    "Semua jenis izin": "All permits", "Lama layanan": "Service time", "Masa berlaku": "Validity",
    "bulan": "months", "Selama kegiatan berlangsung": "While the activity lasts", "Pengajuan": "How to apply",
    "Daring, tanpa datang ke kantor": "Online, without visiting the office",
    "Hanya di loket kantor DPMPTSP": "Only at the DPMPTSP office counter",
    "Biaya": "Cost", "Dasar hukum": "Legal basis", "Persyaratan": "Requirements", "opsional": "optional",
    "maks.": "max.", "dapat diperoleh dari instansi lain": "can be obtained from another agency",
    "foto dokumen juga diterima": "a photo of the document is accepted too",
    "dapat diperpanjang": "renewable", "hari kerja": "working days",
    "Masuk untuk mengajukan": "Sign in to apply", "atau": "or", "daftar akun baru": "create an account",
    "Izin ini diajukan di loket kantor DPMPTSP. Bawa berkas persyaratan di atas; petugas akan memindainya dan "
    "memberi tanda terima dengan kode pelacakan.":
        "This permit is applied for at the DPMPTSP office counter. Bring the documents above; the officer scans "
        "them and gives you a receipt with a tracking code.",
    "Ajukan permohonan": "Submit application",
    "Gratis — tidak dipungut biaya": "Free — no fee is charged",
    "Izin baru": "New permit", "Perpanjangan": "Renewal", "Baru dan perpanjangan": "New and renewal",
    "izin baru": "new permit", "perpanjangan": "renewal",
    # the application page
    "Draf": "Draft", "draf": "draft", "Nomor registrasi": "Registration number", "kode pelacakan": "tracking code",
    "Kode pelacakan": "Tracking code", "Formulir": "Form", "Status": "Status",
    "Berkas dikembalikan untuk perbaikan. Unggah ulang persyaratan yang ditandai, lalu ajukan kembali.":
        "Your file was returned for corrections. Upload the marked requirements again, then resubmit.",
    "— lebih dari batas, akan diperkecil di server": "— over the limit, the server will make it smaller",
    "— sedang diperkecil…": "— being made smaller…",
    "— akan diperkecil ke {size} sebelum dikirim": "— made smaller, to {size}, before it is sent",
    "Foto dari ponsel diterima: foto yang terlalu besar diperkecil otomatis. Anda boleh memilih berkas untuk "
    "beberapa persyaratan sekaligus, lalu menekan satu tombol.":
        "Phone photos are accepted: a photo that is too large is made smaller for you. You may choose files for "
        "several requirements at once, then press one button.",
    "atau foto": "or photo", "Beberapa foto (mis. tiap halaman) menjadi satu PDF.":
        "Several photos (e.g. one per page) become one PDF.",
    "Simpan & unggah": "Save & upload", "Ajukan kembali": "Resubmit", "Simpan draf": "Save draft",
    "Perlu diperbaiki": "Needs correction", "sesuai": "accepted", "berkas": "file", "Berkas": "File",
    "Alasan": "Reason", "Nomor izin": "Permit number", "berlaku": "valid", "DICABUT": "REVOKED",
    "Izin ini dicabut pada": "This permit was revoked on", "dan tidak berlaku lagi.": "and is no longer valid.",
    "Halaman verifikasi": "Verification page",
    "Masa berlaku izin ini sudah berakhir.": "This permit has expired.",
    "Izin ini sudah diperpanjang; gunakan izin yang baru.": "This permit was renewed; use the new one.",
    "Unduh izin (PDF bertanda tangan elektronik)": "Download the permit (electronically signed PDF)",
    "Unduh arsip izin (PDF)": "Download the permit's archive copy (PDF)",
    "Nilai layanan kami": "Rate our service",
    "Bagaimana pengalaman Anda mengurus permohonan ini? Sembilan pertanyaan singkat, kurang dari satu menit.":
        "How was applying for this permit? Nine short questions, under a minute.",
    "Sampaikan pengaduan": "File a complaint", "Sedang di": "Now at", "Batas waktu layanan": "Service deadline",
    "jam layanan berhenti sementara selama berkas ada pada pemohon":
        "the service clock stops while the file is with the applicant",
    "Riwayat": "History", "— pilih —": "— choose —", "— pilih kecamatan —": "— choose a district —",
    "%(name)s terunggah": "%(name)s uploaded",
    "Sebagian isian atau berkas belum dapat disimpan (lihat tanda merah); isian lain sudah tersimpan sebagai "
    "draf.": "Some answers or files could not be saved (see the red marks); everything else is saved as a draft.",
    "Pilih ulang berkas yang ditolak.": "Choose the refused files again.",
    "Isian dan berkas Anda sudah tersimpan sebagai draf.": "Your answers and files are saved as a draft.",
    "Perbaikan terkirim; permohonan diajukan kembali dan diproses lagi.":
        "Corrections sent; the application was resubmitted and is being processed again.",
    "Permohonan diajukan. Nomor registrasi %(number)s, kode pelacakan %(code)s.":
        "Application submitted. Registration number %(number)s, tracking code %(code)s.",
    "Isian tersimpan sebagai draf.": "Answers saved as a draft.", "Pilih berkas untuk %(name)s.":
        "Choose a file for %(name)s.",
    "%(count)s foto dijadikan satu PDF (%(size)s)": "%(count)s photos made one PDF (%(size)s)",
    "foto dijadikan PDF (%(size)s)": "photo made a PDF (%(size)s)",
    "foto diperkecil ke %(size)s": "photo made smaller, to %(size)s",
    "foto disimpan ulang tanpa data lokasi (%(size)s)": "photo saved again without its location data (%(size)s)",
    "Dimensi gambar %(w)s×%(h)s piksel terlalu besar. Ambil foto dengan resolusi lebih rendah.":
        "The picture's %(w)s×%(h)s pixels are too many. Take the photo at a lower resolution.",
    "Foto rusak atau tidak utuh. Ambil atau pilih ulang fotonya.":
        "The photo is damaged or incomplete. Take or choose it again.",
    "Foto tidak dapat diperkecil sampai batas %(limit)s. Potong foto hanya pada dokumennya lalu unggah ulang.":
        "The photo cannot be made as small as %(limit)s. Crop it to the document and upload it again.",
    # my applications
    "Klaim berkas loket": "Claim a counter file", "Nomor": "Number", "Batas waktu": "Deadline",
    "Belum ada permohonan.": "No applications yet.", "Lihat jenis izin": "See the permits",
    "hubungkan permohonan yang Anda ajukan di loket ke akun ini.":
        "link an application you made at the counter to this account.",
    "NIK pemohon (16 angka)": "Applicant's NIK (16 digits)",
    "Terlalu banyak percobaan. Coba lagi dalam satu jam.": "Too many attempts. Try again in an hour.",
    "Permohonan %(number)s kini terhubung ke akun Anda.": "Application %(number)s is now linked to your account.",
}


def _unquote(lines: list[str]) -> str:
    return "".join(re.match(r'^(?:msgid(?:_plural)?|msgstr(?:\[\d\])?)?\s*"(.*)"$', line).group(1)
                   for line in lines).replace('\\"', '"')


def _quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def fill(text: str) -> tuple[str, int]:
    blocks, filled = text.split("\n\n"), 0
    for i, block in enumerate(blocks):
        lines = block.splitlines()
        ids = [n for n, line in enumerate(lines) if line.startswith("msgid ")]
        if not ids:
            continue
        start = ids[0]
        end = next(n for n in range(start + 1, len(lines) + 1) if n == len(lines) or not lines[n].startswith('"'))
        msgid = _unquote(lines[start:end])
        if msgid not in EN or not msgid:
            continue
        keep = [line for line in lines[:start] if line.startswith("#") and not line.startswith("#, fuzzy")]
        keep = [line.replace(", fuzzy", "") for line in keep]
        head = lines[start:end]
        plural = next((n for n, line in enumerate(lines) if line.startswith("msgid_plural")), None)
        value = EN[msgid]
        if plural is not None:
            pend = next(n for n in range(plural + 1, len(lines) + 1) if n == len(lines) or not lines[n].startswith('"'))
            one, many = value if isinstance(value, tuple) else (value, value)
            body = head + lines[plural:pend] + [f"msgstr[0] {_quote(one)}", f"msgstr[1] {_quote(many)}"]
        else:
            body = head + [f"msgstr {_quote(value if isinstance(value, str) else value[0])}"]
        blocks[i] = "\n".join(keep + body)
        filled += 1
    return "\n\n".join(blocks), filled


if __name__ == "__main__":
    text, filled = fill(PO.read_text())
    PO.write_text(text)
    print(f"{filled} of {len(EN)} English strings written to {PO}")
