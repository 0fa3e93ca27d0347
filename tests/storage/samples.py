"""Sample files for upload tests, made here (no binary fixtures in the repo)."""
from __future__ import annotations

import io
import zipfile
import zlib

from PIL import Image

from tests.factories import pdf_bytes

__all__ = ["pdf_bytes"]  # the one PDF builder, re-exported for the upload tests


def raw_pdf(*objects: bytes) -> bytes:
    """A small hand-written PDF around the given object bodies (enough for the content checks)."""
    parts = [b"%PDF-1.7\n"]
    for number, body in enumerate(objects, start=1):
        parts.append(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    parts.append(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    return b"".join(parts)


def pdf_with_hidden_javascript() -> bytes:
    """JavaScript inside a compressed object stream, where a plain text search cannot see it."""
    inner = b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"
    packed = zlib.compress(b"2 0 " + inner)
    return raw_pdf(
        b"<< /Type /Catalog /OpenAction 2 0 R >>",
        b"<< /Type /ObjStm /N 1 /First 4 /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
        + packed + b"\nendstream",
    )


def image_bytes(kind: str = "JPEG", size=(120, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG that claims (and holds) huge dimensions: 1-bit pixels compress to almost nothing."""
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("isi.txt", b"\0" * (20 * 1024 * 1024))
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
SHEBANG = b"#!/bin/sh\nrm -rf /\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def png_claiming(width: int, height: int) -> bytes:
    """A well-formed PNG header announcing width×height with almost no pixel data behind it."""
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
            + chunk(b"IEND", b""))

