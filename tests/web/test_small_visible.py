"""Small and visible: a real favicon, a meta description, a search box on the apex list of regencies."""


def test_favicon_is_a_small_icon_not_a_404_page(client_for, trenggalek):
    for regency in (None, trenggalek):
        response = client_for(regency).get("/favicon.ico")
        assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
        assert response.content[:4] == b"\x00\x00\x01\x00" and len(response.content) < 2048
        assert "max-age=604800" in response["Cache-Control"]


def test_pages_carry_a_meta_description_and_the_icon(client_for, trenggalek):
    apex = client_for(None).get("/").content.decode()
    regency = client_for(trenggalek).get("/").content.decode()
    assert '<meta name="description" content="Pintu: satu pintu perizinan' in apex
    assert '<meta name="description" content="Perizinan daring Kab. Trenggalek' in regency
    assert '<link rel="icon" href="/favicon.ico"' in regency


def test_the_apex_list_of_regencies_can_be_searched_by_name_province_or_code(client_for, trenggalek, blitar):
    client = client_for(None)
    page = client.get("/").content.decode()
    assert 'type="search" name="q"' in page and "Kab. Trenggalek" in page and "Kota Blitar" in page
    by_name = client.get("/", {"q": "blitar"}).content.decode()
    assert "Kota Blitar" in by_name and "Kab. Trenggalek" not in by_name
    by_code = client.get("/", {"q": "3503"}).content.decode()
    assert "Kab. Trenggalek" in by_code and "Kota Blitar" not in by_code
    by_province = client.get("/", {"q": "jawa timur"}).content.decode()
    assert "Kab. Trenggalek" in by_province and "Kota Blitar" in by_province
    nothing = client.get("/", {"q": "zzz%'_"}).content.decode()
    assert "Tidak ada daerah yang cocok" in nothing and 'value="zzz%&#x27;_"' in nothing
