"""The demo's mail files read as a person expects: decoded subject, Indonesian text, no MIME escapes."""
from django.core.mail import EmailMessage, get_connection


def test_mail_files_have_readable_headers_and_body(tmp_path):
    connection = get_connection("pintu.mail.ReadableFileEmailBackend", file_path=str(tmp_path))
    EmailMessage(subject="Selamat datang di Pintu — Kota Blitar", body="Yth. Administrator,\n\nPesan otomatis — Rp 0.\n"
                 + "x" * 1200, to=["admin.kota-blitar@demo.pintu.id"], headers={"X-Pintu-Message": "welcome:1"},
                 connection=connection).send()
    EmailMessage(subject="Kedua", body="Pengingat", to=["b@contoh.id"], connection=connection).send()
    [path] = tmp_path.iterdir()
    text = path.read_text(encoding="utf-8")
    first, second, rest = text.split("-" * 79)
    assert "Subject: Selamat datang di Pintu — Kota Blitar\n" in first and "X-Pintu-Message: welcome:1" in first
    assert "Yth. Administrator,\n\nPesan otomatis — Rp 0.\n" + "x" * 1200 in first  # long line: not quoted-printable
    assert "=?utf-8?" not in text and "=E2=80=94" not in text
    assert "Subject: Kedua" in second and rest.strip() == ""
