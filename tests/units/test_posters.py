"""The desk poster from a service point's staff page and from the command line."""

from satisfaction.auth.models import Role
from tests.auth.helpers import make_user, sign_in
from tests.paper.test_poster import read_poster

ADDRESS = "https://khaosat.example.vn/d/C00001-T"


def test_the_service_point_page_offers_the_poster(app, small_units, client):
    make_user(app, "hanoi", Role.OFFICER, scope="01")
    sign_in(client, "hanoi")
    unit = client.get("/units/test/00001").get_data(as_text=True)
    assert 'href="/units/points/C00001-T"' in unit
    page = client.get("/units/points/C00001-T").get_data(as_text=True)
    assert "Một cửa Phường Phúc Xá" in page and "khaosat.example.vn/d/C00001-T" in page
    assert 'href="/units/points/C00001-T/poster-A4.pdf"' in page
    assert 'href="/units/points/C00001-T/poster-A3.pdf"' in page
    for size, millimetres in (("A4", (210, 297)), ("A3", (297, 420))):
        pdf = client.get(f"/units/points/C00001-T/poster-{size}.pdf")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert f"poster-C00001-T-{size}.pdf" in pdf.headers["Content-Disposition"]
        (width, height), text, found = read_poster(pdf.data, dpi=60)
        assert (round(width), round(height)) == millimetres
        assert [code.text for code in found] == [ADDRESS]
        assert "Một cửa Phường Phúc Xá" in text
    assert client.get("/units/points/C00001-T/poster-A5.pdf").status_code == 404
    assert client.get("/units/points/NOPE").status_code == 404


def test_a_poster_outside_ones_scope_is_refused(app, small_units, client):
    make_user(app, "hcm", Role.OFFICER, scope="79")
    sign_in(client, "hcm")
    assert client.get("/units/points/C00001-T").status_code == 403
    assert client.get("/units/points/C00001-T/poster-A4.pdf").status_code == 403
    assert client.get("/units/points/C26734-T/poster-A4.pdf").status_code == 200


def test_no_poster_without_signing_in(small_units, client):
    assert client.get("/units/points/C00001-T/poster-A4.pdf").status_code == 302


def test_the_poster_command(small_units, runner, tmp_path):
    out = tmp_path / "poster.pdf"
    result = runner.invoke(args=["service-points", "poster", "C00001-T", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output and ADDRESS in result.output and "A4" in result.output
    (width, height), _text, found = read_poster(out.read_bytes(), dpi=60)
    assert (round(width), round(height)) == (210, 297) and [c.text for c in found] == [ADDRESS]
    big = tmp_path / "big.pdf"
    result = runner.invoke(args=["service-points", "poster", "C00001-T", "--out", str(big),
                                 "--size", "a3"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [round(v) for v in read_poster(big.read_bytes(), dpi=40)[0]] == [297, 420]
    missing = runner.invoke(args=["service-points", "poster", "NOPE", "--out", str(out)])
    assert missing.exit_code == 1 and "NOPE" in missing.output
    wrong = runner.invoke(args=["service-points", "poster", "C00001-T", "--out", str(out),
                                "--size", "A5"])  # fmt: skip
    assert wrong.exit_code == 2
