"""A phone's photo made to fit a requirement: shrunk, re-encoded, stripped, or turned into a PDF.

A phone photo is 2-5 MB (HEIC on iPhones) while a requirement asks for a 0.5-2 MB JPEG or a PDF.
Refusing it sends a first-time applicant away to find an image editor; here the server does it:
the picture is turned upright as the phone meant (EXIF orientation), re-encoded without any
metadata (no GPS position, no camera serial), made smaller until it fits the requirement's limit,
and, when the regency allows it for a document asked as PDF, placed on PDF pages (several photos:
one page each). What was done is said back to the person ("foto diperkecil ke 0,8 MB").
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from pintu.storage.config import PHOTO_LONGEST_SIDE, PHOTO_QUALITIES
from pintu.storage.errors import UploadImageTooLarge, UploadTooLarge
from pintu.storage.validation import JPEG, PDF, PNG, format_megabytes, image_too_large, pillow_refusals

try:  # HEIC/HEIF (iPhone photos): read through pillow-heif's Pillow plugin when it is installed.
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC_READABLE = True
except ImportError:  # pragma: no cover - pillow-heif is pinned in requirements.txt
    HEIC_READABLE = False

HEIC = "heic"
#: The most a photo may weigh before it is shrunk: a 50-megapixel phone photo is ~15 MB.
PHOTO_MAX_BYTES = 25 * 1024 * 1024
LONGEST_SIDE = PHOTO_LONGEST_SIDE
_QUALITIES = PHOTO_QUALITIES
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


def is_heic(head: bytes) -> bool:
    """An ISO-BMFF file whose brand is HEIF/HEIC (`....ftypheic`)."""
    return head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS


def photo_kind(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if is_heic(head):
        return HEIC
    return None


@dataclass(frozen=True)
class FittedPhoto:
    data: bytes
    kind: str           # "jpg" | "png" | "pdf"
    original_size: int  # bytes of everything that was sent
    note: str           # what happened, for the person ("" when the photo was kept as sent)


def _open(data: bytes) -> Image.Image:
    """The decoded picture, upright, after judging its dimensions (a bomb is refused before decoding)."""
    with pillow_refusals(broken=_("Foto rusak atau tidak utuh. Ambil atau pilih ulang fotonya.")):
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if image_too_large(width, height):
            raise UploadImageTooLarge(
                _("Dimensi gambar %(w)s×%(h)s piksel terlalu besar. Ambil foto dengan resolusi lebih rendah.")
                % {"w": width, "h": height}, width=width, height=height)
        if image.format == "JPEG":
            image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))  # decode at a fraction of the size: fast, less memory
        image = ImageOps.exif_transpose(image)  # the phone's orientation, applied to the pixels
        image.load()
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    return image


def _encode(images: list[Image.Image], kind: str, quality: int) -> bytes:
    out = io.BytesIO()
    if kind == PDF:
        # Pillow writes a plain PDF (one JPEG per page, no script, no metadata beyond the producer).
        first, *rest = images
        first.save(out, "PDF", save_all=True, append_images=rest, resolution=200.0, quality=quality)
    else:
        # No exif=...: nothing of the original's metadata (GPS position, camera, time) is written.
        images[0].save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def photos_fit(photos: list[bytes], *, target: str, max_bytes: int, chosen_bytes: int = 0) -> FittedPhoto:
    """One JPEG (target "jpg") or one PDF (target "pdf", a page per photo) within `max_bytes`.

    `chosen_bytes`: what the photos weighed as the person chose them, when their browser sent smaller
    copies (upload.js); the note compares with that. Raises UploadTooLarge when even a small,
    low-quality version does not fit.
    """
    original = max(chosen_bytes, sum(len(p) for p in photos))
    images = [_open(p) for p in photos]
    for image in images:
        image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    kind = PDF if target == PDF else JPEG
    quality = _QUALITIES[0]
    for _attempt in range(10):
        data = _encode(images, kind, quality)
        if len(data) <= max_bytes:
            return FittedPhoto(data=data, kind=kind, original_size=original,
                               note=_note(kind=kind, original=original, size=len(data), count=len(images)))
        ratio = max_bytes / len(data)
        if ratio > 0.7 and quality > _QUALITIES[-1]:  # nearly there: a lower quality costs less than pixels
            quality = next(q for q in _QUALITIES if q < quality)
            continue
        # The bytes follow the pixel count: scale both sides by about the root of what is too much.
        scale = max(0.5, min(0.9, ratio ** 0.5 * 0.95))
        if max(max(image.size) for image in images) * scale < 600:
            break
        images = [image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))),
                               Image.Resampling.LANCZOS) for image in images]
    raise UploadTooLarge(_("Foto tidak dapat diperkecil sampai batas %(limit)s. Potong foto hanya pada "
                           "dokumennya lalu unggah ulang.") % {"limit": format_megabytes(max_bytes)},
                         limit_bytes=max_bytes)


def _note(*, kind: str, original: int, size: int, count: int) -> str:
    if kind == PDF:
        if count > 1:
            return _("%(count)s foto dijadikan satu PDF (%(size)s)") % {"count": count, "size": format_megabytes(size)}
        return _("foto dijadikan PDF (%(size)s)") % {"size": format_megabytes(size)}
    if size < original:
        return _("foto diperkecil ke %(size)s") % {"size": format_megabytes(size)}
    return _("foto disimpan ulang tanpa data lokasi (%(size)s)") % {"size": format_megabytes(size)}


def browser_shrink_note(*, chosen_bytes: int, size: int) -> str:
    """What to say of a photo the person's browser made smaller before sending (upload.js), kept as it came."""
    return _("foto diperkecil ke %(size)s") % {"size": format_megabytes(size)} if chosen_bytes > size else ""


def photo_needs_refit(data: bytes, *, max_bytes: int) -> bool:
    """Whether a JPEG/PNG that is allowed as it is must still be re-encoded: too large, or it carries
    metadata (a phone's EXIF holds the GPS position of the applicant's home)."""
    if len(data) > max_bytes:
        return True
    try:
        with Image.open(io.BytesIO(data)) as image:
            return bool(image.getexif()) or "exif" in image.info or "xmp" in image.info
    except Exception:  # noqa: BLE001 - the validator says what is wrong with a broken image
        return False
