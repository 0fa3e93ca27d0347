"""Indonesian whatever the browser's language; English only when the person picks it with the switch."""
from django.conf import settings


def test_an_english_browser_still_gets_indonesian_errors(client_for, trenggalek):
    client = client_for(None)
    page = client.post("/daftar/", {"full_name": ""}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = page.content.decode()
    assert page.status_code == 200
    assert "This field is required." not in text
    assert "Bidang ini harus diisi." in text
    assert page["Content-Language"] == "id"


def test_the_language_switch_turns_english_on_and_back_off(client_for, trenggalek):
    client = client_for(trenggalek)
    home = client.get("/").content.decode()
    assert 'action="/bahasa/"' in home and 'value="en"' in home
    switched = client.post("/bahasa/", {"language": "en", "next": "/daftar/"})
    assert switched.status_code == 302 and switched["Location"] == "/daftar/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "This field is required." in client.post("/daftar/", {"full_name": ""}).content.decode()
    client.post("/bahasa/", {"language": "id", "next": "/"})
    assert "Bidang ini harus diisi." in client.post("/daftar/", {"full_name": ""}).content.decode()


def test_an_unknown_language_cookie_falls_back_to_indonesian(client_for, trenggalek):
    client = client_for(trenggalek)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert "Bidang ini harus diisi." in client.post("/daftar/", {"full_name": ""}).content.decode()
