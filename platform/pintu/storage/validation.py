"""Upload checks by content, never by name: what the bytes are, whether they are whole,
and whether they carry anything active. Each refusal is an `UploadRefused` with its own code.

Only scanned documents are accepted: PDF, JPEG and PNG. Everything else (executables,
HTML, archives and office files — which are zip archives — ...) is refused by its bytes,
whatever it is called.
"""
from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils.translation import gettext

from pintu.storage.errors import (
    UploadEmpty,
    UploadFilenameInvalid,
    UploadImageTooLarge,
    UploadPdfActiveContent,
    UploadPdfEncrypted,
    UploadTooLarge,
    UploadTruncated,
    UploadTypeNotAllowed,
)

PDF, JPEG, PNG = "pdf", "jpg", "png"
CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}
LABELS = {PDF: "PDF", JPEG: "JPG", PNG: "PNG"}
ALIASES = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG,
           "application/pdf": PDF, "image/jpeg": JPEG, "image/png": PNG}

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# An A4 page scanned at 600 dpi is ~35 megapixels; anything far beyond is a bomb, not a scan.
MAX_IMAGE_PIXELS = 60_000_000
MAX_IMAGE_SIDE = 20_000
# Object streams are inflated to look inside them; past this a PDF is not a scan.
MAX_INFLATED_BYTES = 64 * 1024 * 1024
MAX_FILENAME_LENGTH = 150

# What other things look like, to say clearly why they are refused.
_OTHER_SIGNATURES: list[tuple[bytes, str]] = [
    (b"\x7fELF", "program (ELF)"),
    (b"MZ", "program Windows (EXE/DLL)"),
    (b"#!", "skrip"),
    (b"\xcf\xfa\xed\xfe", "program macOS"),
    (b"\xfe\xed\xfa\xcf", "program macOS"),
    (b"\xca\xfe\xba\xbe", "program Java/macOS"),
    (b"PK\x03\x04", "arsip ZIP atau dokumen Office"),
    (b"PK\x05\x06", "arsip ZIP"),
    (b"Rar!", "arsip RAR"),
    (b"7z\xbc\xaf\x27\x1c", "arsip 7z"),
    (b"\x1f\x8b", "arsip GZIP"),
    (b"\xd0\xcf\x11\xe0", "dokumen Office lama"),
    (b"GIF8", "gambar GIF"),
    (b"RIFF", "berkas RIFF (WEBP/AVI/WAV)"),
    (b"{\\rtf", "dokumen RTF"),
]
_MARKUP = re.compile(rb"^\s*<(\?xml|!doctype|html|head|body|script|svg|iframe|a\s|div|meta)", re.IGNORECASE)

# PDF names that make a document act on its own, in their decoded form.
_ACTIVE_PDF_NAMES = {b"JS", b"JavaScript", b"EmbeddedFile", b"EmbeddedFiles", b"Launch", b"RichMedia", b"XFA"}
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"obj\s*<<(.{0,2048}?)>>\s*stream\r?\n", re.DOTALL)
_STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_PDF_FILTERS = {b"FlateDecode", b"Fl", b"LZWDecode", b"LZW", b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85",
                b"RunLengthDecode", b"RL", b"Crypt"}


@dataclass(frozen=True)
class ValidatedUpload:
    kind: str            # "pdf" | "jpg" | "png"
    content_type: str
    extension: str
    size: int
    display_name: str    # the client's name, cleaned, for showing only (never a storage key)


def allowed_kinds(allowed: object | None) -> set[str]:
    """Normalise a requirement's allowed types ("pdf", "JPG", "image/png", ...) to our kinds."""
    if not allowed:
        return {PDF, JPEG, PNG}
    kinds = {ALIASES.get(str(item).strip().lower().lstrip(".")) for item in allowed}
    kinds.discard(None)
    return kinds  # type: ignore[return-value]


def sniff(head: bytes) -> str | None:
    """The accepted kind these first bytes belong to, or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def describe_other(head: bytes) -> str:
    stripped = head.lstrip(b"\xef\xbb\xbf")
    for magic, label in _OTHER_SIGNATURES:
        if stripped.startswith(magic):
            return label
    if _MARKUP.match(stripped):
        return "halaman web (HTML/XML)"
    return gettext("jenis tidak dikenal")


def format_megabytes(size: int) -> str:
    """1.5 MB written the way the page's language writes it: '1,5 MB' (Indonesian), '1.5 MB' (English)."""
    from django.utils.formats import number_format

    value = round(size / (1024 * 1024), 1)
    return f"{number_format(value, decimal_pos=0 if value == int(value) else 1)} MB"


def filename_clean(name: str) -> str:
    """The client's file name fit for display, or a refusal when it tries to be a path.

    Refused: control characters, path separators and '..' (traversal); names are never
    used as storage keys, this only guards what is shown back to people.
    """
    name = unicodedata.normalize("NFC", name or "")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in name):
        raise UploadFilenameInvalid(gettext("Nama berkas berisi karakter kendali yang tidak diizinkan. Ganti nama "
                                            "berkas lalu unggah ulang."))
    if "/" in name or "\\" in name or name.strip() in {".", ".."} or ".." in name.split("."):
        raise UploadFilenameInvalid(gettext("Nama berkas tidak boleh berisi jalur folder (/, \\ atau ..). Ganti nama "
                                            "berkas lalu unggah ulang."))
    name = name.strip().lstrip(".").strip()
    if len(name) > MAX_FILENAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        keep = MAX_FILENAME_LENGTH - len(ext) - 1 if dot and len(ext) <= 10 else MAX_FILENAME_LENGTH
        name = (stem[:keep] + "." + ext) if dot and len(ext) <= 10 else name[:keep]
    return name or "berkas"


def read_limited(file, max_bytes: int) -> bytes:
    """Read at most max_bytes (+1 to notice excess) without trusting a declared size."""
    if isinstance(file, (bytes, bytearray, memoryview)):
        data = bytes(file)
    else:
        if hasattr(file, "seek"):
            try:
                file.seek(0)
            except (OSError, ValueError):
                pass
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = file.read(min(1024 * 1024, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        data = b"".join(chunks)
    if len(data) > max_bytes:
        raise UploadTooLarge(gettext("Ukuran berkas melebihi batas %(format_megabytes)s. Perkecil berkas (mis. pindai ulang dengan "
                                     "resolusi lebih rendah) lalu unggah ulang.") % {"format_megabytes": format_megabytes(max_bytes)},
                             limit_bytes=max_bytes)
    return data


def upload_validate(*, data: bytes, filename: str = "", allowed_types: object | None = None,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> ValidatedUpload:
    """Accept a scanned requirement only when its bytes are a whole, inert PDF/JPG/PNG within limits."""
    display_name = filename_clean(filename)
    if not data:
        raise UploadEmpty()
    if len(data) > max_bytes:
        raise UploadTooLarge(gettext("Ukuran berkas melebihi batas %(format_megabytes)s. Perkecil berkas lalu unggah ulang.")
                             % {"format_megabytes": format_megabytes(max_bytes)},
                             limit_bytes=max_bytes)
    kinds = allowed_kinds(allowed_types)
    kind = sniff(data[:16])
    allowed_label = "/".join(LABELS[k] for k in (PDF, JPEG, PNG) if k in kinds)
    if kind is None:
        raise UploadTypeNotAllowed(
            gettext("Isi berkas terdeteksi sebagai %(describe_other)s, bukan %(allowed_label)s. Hanya "
                    "%(allowed_label)s yang diterima.") % {"describe_other": describe_other(data[:64]), "allowed_label": allowed_label},
            detected=describe_other(data[:64]),
        )
    if kind not in kinds:
        raise UploadTypeNotAllowed(gettext("Isi berkas adalah %(value)s, sedangkan persyaratan ini hanya menerima %(allowed_label)s.")
                                   % {"value": LABELS[kind], "allowed_label": allowed_label},
                                   detected=kind)
    if kind == PDF:
        _pdf_check(data)
    else:
        _image_check(data, kind)
    return ValidatedUpload(kind=kind, content_type=CONTENT_TYPES[kind], extension=kind, size=len(data),
                           display_name=display_name)


def _pdf_names(chunk: bytes) -> set[bytes]:
    """Every /Name in a chunk of PDF syntax, with #xx escapes decoded (/J#61vaScript is /JavaScript)."""
    return {_PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw) for raw in _PDF_NAME.findall(chunk)}


def _pdf_check(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise UploadTruncated(gettext("PDF tidak utuh (akhir berkas hilang, kemungkinan terpotong saat dikirim). Unggah ulang berkasnya."))
    # Names are read from the PDF's syntax, not from inside binary streams (image bytes may
    # spell "/JS" by chance); dictionaries hidden in compressed object streams are inflated.
    names = _pdf_names(_STREAM_BODY.sub(b"stream endstream", data))
    if b"Encrypt" in names:
        raise UploadPdfEncrypted()
    inflated_total = 0
    for match in _PDF_STREAM.finditer(data):
        header_names = _pdf_names(match.group(1))
        if b"ObjStm" not in header_names:
            continue
        filters = header_names & _PDF_FILTERS
        if filters - {b"FlateDecode", b"Fl"}:
            raise UploadPdfActiveContent(gettext("PDF memakai kompresi yang tidak dapat diperiksa. "
                                                 "Simpan ulang sebagai PDF standar lalu unggah ulang."))
        start = match.end()
        end = data.find(b"endstream", start)
        if end == -1:
            raise UploadTruncated(gettext("PDF tidak utuh (aliran data terpotong). Unggah ulang berkasnya."))
        raw = data[start:end]
        if filters:
            inflater = zlib.decompressobj()
            try:
                raw = inflater.decompress(raw, MAX_INFLATED_BYTES - inflated_total)
            except zlib.error:
                raise UploadTruncated(gettext("PDF rusak (aliran data tidak dapat dibaca). Unggah ulang berkasnya.")) from None
            if inflater.unconsumed_tail:
                raise UploadPdfActiveContent(gettext("PDF terlalu rumit untuk diperiksa. Simpan ulang sebagai PDF "
                                                     "standar lalu unggah ulang."))
        inflated_total += len(raw)
        names |= _pdf_names(raw)
    active = names & _ACTIVE_PDF_NAMES
    if active:
        raise UploadPdfActiveContent(found=sorted(n.decode("latin-1") for n in active))


def image_too_large(width: int, height: int) -> bool:
    """More pixels, or a longer side, than an upload may have (judged from the header, before decoding)."""
    return width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE


@contextmanager
def pillow_refusals(*, broken: str):
    """Pillow at work on uploaded bytes: a decompression bomb (or a picture the body finds too large)
    refused as UploadImageTooLarge, any other failure as UploadTruncated(`broken`); the bomb warning muted."""
    from PIL import Image  # here, not at start-up (every URLconf that stores a file imports this module)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    except Image.DecompressionBombError:
        raise UploadImageTooLarge() from None
    except UploadImageTooLarge:
        raise
    except Exception:  # noqa: BLE001 - Pillow signals a broken image with many exception types
        raise UploadTruncated(broken) from None


def _image_check(data: bytes, kind: str) -> None:
    from PIL import Image

    if kind == JPEG and not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise UploadTruncated(gettext("Gambar JPG tidak utuh (terpotong). Unggah ulang berkasnya."))
    if kind == PNG and b"IEND" not in data[-16:]:
        raise UploadTruncated(gettext("Gambar PNG tidak utuh (terpotong). Unggah ulang berkasnya."))
    # Opening reads the header only; dimensions are judged before any pixel is decoded.
    with pillow_refusals(broken=gettext("Gambar rusak atau tidak utuh. Unggah ulang berkasnya.")), \
            Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        if image_too_large(width, height):
            raise UploadImageTooLarge(
                gettext("Dimensi gambar %(width)s×%(height)s piksel terlalu besar. Pindai ulang dengan resolusi lebih "
                        "rendah (mis. 300 dpi).") % {"width": width, "height": height},
                width=width, height=height)
        image.verify()
