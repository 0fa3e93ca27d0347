"""Issue #16, item 5: Indonesian by default, English complete when a person picks it with the switch.

The applicant's key pages are rendered in both languages and checked against lists of strings that
must not leak across: Indonesian interface words in the English pages, Django's English built-ins and
English month names in the Indonesian ones. Dates follow the chosen language."""
import re

import pytest
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.factories import submitted_application

# Interface words of these pages (never in the test's data: permit, requirement and field names).
INDONESIAN = ["Persyaratan", "Formulir", "Ajukan permohonan", "Simpan draf", "Simpan & unggah", "maks.",
              "hari kerja", "Gratis", "Keluar", "Bahasa", "Jenis izin", "opsional", "— pilih", "Riwayat",
              "Permohonan saya", "Nomor registrasi", "Batas waktu", "Bidang ini harus diisi", "Kata sandi",
              "Nama lengkap", "Masuk untuk mengajukan", "Lacak permohonan", "Laporkan pungli", "Desember",
              "November", "Januari"]
ENGLISH = ["This field is required", "Requirements", "Submit application", "Save draft", "working day",
           "Sign in", "Sign out", "Language", "December", "Password", "Full name", "My applications",
           "Free — no fee"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]


@pytest.fixture
def pages(trenggalek, applicant, client_for, trenggalek_office):
    """The key pages' HTML in one language: home, catalog, permit page, sign-up with errors, a draft's
    form, a submitted application (dates), my applications."""
    with schema_context("trenggalek"):
        office = trenggalek_office
        submitted = submitted_application(office, applicant)

    def render(language: str) -> dict[str, str]:
        visitor, person = client_for(trenggalek), client_for(trenggalek, applicant)
        for client in (visitor, person):
            if language != "id":
                assert client.post("/bahasa/", {"language": language, "next": "/"}).status_code == 302
        draft = person.post(f"/izin/{office.permit_type.code}/ajukan/")["Location"]
        out = {
            "home": visitor.get("/"), "catalog": visitor.get("/izin/"),
            "permit": visitor.get(f"/izin/{office.permit_type.code}/"),
            "signup": visitor.post("/daftar/", {"full_name": ""}),
            "draft": person.get(draft), "submitted": person.get(f"/permohonan/{submitted.pk}/"),
            "mine": person.get("/permohonan/"),
        }
        for name, response in out.items():
            assert response.status_code == 200, name
        return {name: response.content.decode() for name, response in out.items()}

    return render


def _visible(html: str) -> str:
    """The text a person reads: tags, the language switch's own option names and the CSRF token dropped."""
    html = re.sub(r"<option value=\"(id|en)\"[^>]*>[^<]*</option>", "", html)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_indonesian_pages_hold_no_english_built_ins_or_dates(pages):
    month = timezone.localdate().month
    for name, html in pages("id").items():
        text = _visible(html)
        for word in ENGLISH:
            assert word not in text, f"{name}: {word!r} in the Indonesian page"
        assert 'lang="id"' in html
    assert MONTHS_ID[month - 1] in _visible(pages("id")["submitted"])


def test_english_pages_hold_no_indonesian_interface_words_and_english_dates(pages):
    month = timezone.localdate().month
    english = pages("en")
    for name, html in english.items():
        text = _visible(html)
        for word in INDONESIAN:
            if word in MONTHS_ID and word in MONTHS_EN:
                continue
            assert word not in text, f"{name}: {word!r} left in Indonesian in the English page"
        assert 'lang="en"' in html
    assert "This field is required." in english["signup"] and "Sign up" in english["signup"]
    assert "Submit application" in english["draft"] and "Save & upload" in english["draft"]
    assert "max. 1.5 MB" in english["draft"]  # limits in MB, the English way
    assert MONTHS_EN[month - 1] in _visible(english["submitted"])
    assert "Requirements" in english["permit"] and "working days" in english["catalog"]


def test_the_catalog_compiled_for_english_is_current(tmp_path):
    """The .mo shipped with the code is what the .po says (compilemessages was run after the last edit)."""
    import subprocess

    po = settings.LOCALE_PATHS[0] / "en" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
    assert fresh.read_bytes() == mo.read_bytes(), "run: manage.py compilemessages -l en"


# Interface words that only an untranslated Indonesian sentence brings into an English page.
INDONESIAN_WORDS = re.compile(r"\b(tidak|belum|wajib|dengan|untuk|sudah|berkas|dan|Isian|diunggah|diisi)\b")


def test_a_refused_submission_reads_in_english(trenggalek, applicant, client_for, trenggalek_office):
    """A refusal raised by the services (storage's content check, the completeness check) and the page
    around it come out in English once the person picked it: no Indonesian sentence left."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    with schema_context("trenggalek"):
        office = trenggalek_office
    person = client_for(trenggalek, applicant)
    draft = person.post(f"/izin/{office.permit_type.code}/ajukan/")["Location"]
    ktp = office.requirements[0]
    refused = {}
    for language in ("id", "en"):
        person.post("/bahasa/", {"language": language, "next": "/"})
        not_a_pdf = SimpleUploadedFile("ktp.pdf", b"just some text, not a PDF", content_type="application/pdf")
        page = person.post(draft, {"submit": "1", "kecamatan": "", f"berkas-{ktp.pk}": not_a_pdf})
        assert page.status_code == 200
        refused[language] = _visible(page.content.decode())
    assert "belum dapat disimpan" in refused["id"] and "wajib diisi" in refused["id"]  # Indonesian by default
    english = refused["en"]
    assert "could not be saved" in english and "Choose the refused files again." in english
    assert "is required" in english  # the form's own refusal
    assert "not PDF" in english or "only accepts" in english  # storage's content check, in English
    left = sorted(set(INDONESIAN_WORDS.findall(english)))
    assert not left, f"Indonesian left in the English page: {left}"


def _po_entries(path) -> dict[str, tuple[list[str], bool]]:
    """{msgid: ([msgstr...], fuzzy)} of a .po file (multi-line strings joined, escapes kept)."""
    entries = {}
    for block in path.read_text().split("\n\n"):
        lines = block.splitlines()

        def grab(prefix):
            start = next((n for n, line in enumerate(lines) if line.startswith(prefix + " ")), None)
            if start is None:
                return None
            end = next(n for n in range(start + 1, len(lines) + 1) if n == len(lines) or not lines[n].startswith('"'))
            return "".join(re.match(r'^\S*\s*"(.*)"$', line).group(1) for line in lines[start:end])

        msgid = grab("msgid")
        if not msgid:
            continue
        strings = [grab("msgstr")] if grab("msgid_plural") is None else [grab("msgstr[0]"), grab("msgstr[1]")]
        entries[msgid] = (strings, any(line.startswith("#,") and "fuzzy" in line for line in lines))
    return entries


def test_every_string_of_the_catalog_has_its_english():
    po = settings.LOCALE_PATHS[0] / "en" / "LC_MESSAGES" / "django.po"
    entries = _po_entries(po)
    assert len(entries) > 1500
    untranslated = [msgid for msgid, (strings, fuzzy) in entries.items() if fuzzy or not all(strings)]
    assert not untranslated, f"{len(untranslated)} without English, e.g. {untranslated[:5]}"


def test_makemessages_finds_no_string_the_catalog_lacks(tmp_path):
    """Every gettext-marked string of the code and templates is in the catalog: makemessages, run on a
    copy of the sources (as translate_en.py says), adds no msgid."""
    import shutil
    import subprocess
    import sys

    root = settings.BASE_DIR
    files = subprocess.run(["git", "ls-files", "manage.py", "permits", "tenants", "billing_free", "platform"],
                           cwd=root, capture_output=True, text=True, check=True).stdout.split()
    copy = tmp_path / "src"
    for name in files:
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--ignore=tests"],
                   cwd=copy, check=True, capture_output=True)
    shipped = _po_entries(root / "platform" / "pintu" / "locale" / "en" / "LC_MESSAGES" / "django.po")
    found = _po_entries(copy / "platform" / "pintu" / "locale" / "en" / "LC_MESSAGES" / "django.po")
    new = sorted(set(found) - set(shipped))
    assert not new, f"{len(new)} msgids not in the catalog (run makemessages, translate, compilemessages): {new[:5]}"
    assert not [m for m, (strings, fuzzy) in found.items() if fuzzy or not all(strings)]


def test_the_decision_page_reads_in_english_and_the_decision_is_recorded_in_indonesian(trenggalek, applicant,
                                                                                      client_for, trenggalek_office):
    """The officer who picked English reads the signing authority's chain and every date in English; the
    decision still records the chain in Indonesian (it is the legal record, whoever reads it later)."""
    from permits.models import Decision
    from tests.factories import to_signing

    with schema_context("trenggalek"):
        office = trenggalek_office
        application = submitted_application(office, applicant)
        task = to_signing(office, application)
    signer = client_for(trenggalek, office.signer)
    signer.post("/bahasa/", {"language": "en", "next": "/"})
    page = _visible(signer.get(f"/kantor/tugas/{task.pk}/").content.decode())
    assert "Delegated to Kepala DPMPTSP by Perbup 12/2024 of 2 January 2024" in page
    assert f"{MONTHS_EN[timezone.localdate().month - 1]} {timezone.localdate().year} at " in page
    assert "Dilimpahkan" not in page and " pukul " not in page
    # Without the people's generated names, which may hold a month ("Juli Rahimah", "Meilani").
    from pintu.identity.models import User

    dates_only = page
    for name in User.objects.values_list("full_name", flat=True):
        dates_only = dates_only.replace(name, "")
    assert not [m for m in MONTHS_ID if m not in MONTHS_EN and re.search(rf"\b{m}\b", dates_only)]
    answer = signer.post(f"/kantor/tugas/{task.pk}/", {"action": "approve_sign", "note": ""})
    assert answer.status_code == 302
    with schema_context("trenggalek"):
        chain = Decision.objects.get(application=application).authority_chain
    assert any(line.startswith("Dilimpahkan kepada Kepala DPMPTSP dengan Perbup 12/2024 tanggal 2 Januari 2024")
               for line in chain)


def test_every_refusal_written_onto_a_field_is_marked_for_translation():
    """`errors.add(field, code, message)`: the message a person reads is a gettext call (or a value built
    by one), never a bare Indonesian literal that English would miss."""
    import ast

    bare = []
    for folder in ("permits", "tenants", "billing_free", "platform"):
        for path in (settings.BASE_DIR / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add"
                        and isinstance(node.func.value, ast.Name) and node.func.value.id == "errors"
                        and len(node.args) >= 3 and isinstance(node.args[2], (ast.Constant, ast.JoinedStr))):
                    bare.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    assert not bare, f"untranslated refusals: {bare}"


def test_a_refused_delegation_reads_in_english(trenggalek):
    """A configuration refusal raised by a service, read by an administrator who picked English."""
    import datetime as dt

    from django.utils.translation import override

    from permits.errors import ConfigInvalid
    from permits.services.delegation import delegation_create, position_create

    with schema_context("trenggalek"):
        post = position_create(code="kabid", name="Kepala Bidang", kind="division_head")
        for language, expected in (("id", "Wewenang tidak dapat dilimpahkan kepada jabatan yang sama."),
                                   ("en", "Authority cannot be delegated to the same post.")):
            with override(language), pytest.raises(ConfigInvalid) as exc:
                delegation_create(from_position=post, to_position=post, applies_to_all=True,
                                  legal_basis_number="Perbup 1/2026", legal_basis_date=dt.date(2026, 1, 2),
                                  valid_from=dt.date(2026, 1, 2))
            messages = [e["message"] for e in exc.value.detail["fields"]["to_position"]]
            assert expected in messages, messages
