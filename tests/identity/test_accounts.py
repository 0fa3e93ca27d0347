import os
import subprocess
import sys

from django.contrib.auth.hashers import check_password, make_password

from pintu.identity.models import User
from tests.services import ROOT


def test_sign_up_is_instant_and_works_on_every_subdomain(client_for, trenggalek, blitar):
    client = client_for(None)
    response = client.post("/daftar/", {"full_name": "Rina", "email": "Rina@Contoh.id", "password": "kopi-tubruk-77",
                                        "nik": "3503015204850002"})
    assert response.status_code == 302
    user = User.objects.get(email="rina@contoh.id")
    assert user.is_active and user.email_verified_at is None  # verification never blocks applying
    for regency in (trenggalek, blitar):
        other = client_for(regency)
        assert other.post("/masuk/", {"username": "rina@contoh.id", "password": "kopi-tubruk-77"}).status_code == 302


def test_sign_up_refuses_bad_nik_and_duplicate_email_in_indonesian(client_for, applicant):
    response = client_for(None).post("/daftar/", {"full_name": "X", "email": applicant.email,
                                                  "password": "kopi-tubruk-77", "nik": "1234"})
    assert response.status_code == 200
    assert "NIK harus terdiri dari 16 angka".encode() in response.content
    assert "sudah terdaftar".encode() in response.content


def test_passwords_are_hashed_with_argon2_outside_the_test_suite(applicant):
    """The platform (demo, production) hashes with Argon2. Only the suite puts MD5 first
    (PINTU_TEST_FAST_HASHER, tests/conftest.py), and still reads Argon2 hashes."""
    assert applicant.password.startswith("md5$")  # the suite's own accounts: fast to make
    script = ("import django\ndjango.setup()\nfrom django.contrib.auth.hashers import check_password, make_password\n"
              "hashed = make_password('kopi-tubruk-77')\n"
              "print(hashed.split('$')[0], check_password('kopi-tubruk-77', hashed))\n")
    env = {**{k: v for k, v in os.environ.items() if k != "PINTU_TEST_FAST_HASHER"},
           "DATABASE_URL": "postgres://hash@127.0.0.1:1/hash", "REDIS_URL": "redis://127.0.0.1:1/0",
           "DJANGO_SETTINGS_MODULE": "pintu.settings", "PYTHONPATH": f"{ROOT / 'platform'}{os.pathsep}{ROOT}"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["argon2", "True"]
    argon2 = make_password("kopi-tubruk-77", hasher="argon2")
    assert check_password("kopi-tubruk-77", argon2)  # an Argon2 hash (the demo's accounts) still signs in here


def test_login_is_throttled_after_repeated_failures(client_for, applicant, settings):
    client = client_for(None)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/masuk/", {"username": applicant.email, "password": "salah"})
    locked = client.post("/masuk/", {"username": applicant.email, "password": "rahasia-uji-123"})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan".encode() in locked.content


def test_wrong_password_says_so_in_indonesian(client_for, applicant):
    response = client_for(None).post("/masuk/", {"username": applicant.email, "password": "salah"})
    assert "Email atau kata sandi salah".encode() in response.content
