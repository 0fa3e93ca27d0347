
from pintu.identity.models import User


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


def test_passwords_are_hashed_with_argon2(applicant):
    assert applicant.password.startswith("argon2")


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
