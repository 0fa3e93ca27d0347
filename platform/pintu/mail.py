"""The demo's and development's outgoing mail, written to files a person can read (var/mail/).

Django's file backend writes the raw MIME message: a subject with a dash or an accent reads
`=?utf-8?q?Selamat_datang_di_Pintu_=E2=80=94_Kota_Blitar?=`. This backend writes the same file
with the header lines decoded; the body is already plain UTF-8 text.
"""
from __future__ import annotations

from email.header import decode_header, make_header

from django.core.mail.backends.filebased import EmailBackend


class ReadableFileEmailBackend(EmailBackend):
    def write_message(self, message) -> None:
        msg = message.message()
        if msg.is_multipart():  # attachments: keep the raw message, only the headers decoded
            body = msg.as_bytes().split(b"\n\n", 1)[-1].decode("utf-8", errors="replace")
        else:
            charset = msg.get_content_charset() or "utf-8"
            body = msg.get_payload(decode=True).decode(charset, errors="replace")
        head = "".join(f"{name}: {make_header(decode_header(value))}\n" for name, value in msg.items())
        self.stream.write(f"{head}\n{body}\n".encode())
        self.stream.write(b"-" * 79)
        self.stream.write(b"\n")
