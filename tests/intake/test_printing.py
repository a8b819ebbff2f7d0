"""Printing a batch: the PDF, its layout and manifest, from the command line and the web."""

import csv
import json

import pytest
from sqlalchemy import select

from satisfaction.auth.models import Role
from satisfaction.extensions import db
from satisfaction.intake import batches
from satisfaction.survey.models import Channel, Invitation
from tests.auth.helpers import make_user, sign_in
from tests.intake.test_batches import GOOD

pdfium = pytest.importorskip("pypdfium2")


def _statuses(app) -> list[str]:
    with app.app_context():
        return [i.status.value for i in db.session.scalars(select(Invitation))]


def test_print_command_writes_pdf_layout_and_manifest(survey_app, tmp_path):
    runner = survey_app.test_cli_runner()
    source = tmp_path / "dossiers.csv"
    source.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["batches", "import", str(source)])
    assert result.exit_code == 0, result.output
    batch_id = result.output.splitlines()[-1]
    again = runner.invoke(args=["batches", "import", str(source)])
    assert again.exit_code == 0 and again.output.splitlines()[-1] == batch_id, again.output
    out = tmp_path / "b.pdf"
    result = runner.invoke(args=["batches", "print", batch_id, "--out", str(out)])
    assert result.exit_code == 0, result.output
    layout = json.loads((tmp_path / "b.layout.json").read_text(encoding="utf-8"))
    pages = len(layout["pages"])
    assert layout["questionnaire"] == "sipas-services" and layout["fingerprint"]
    with (tmp_path / "b.manifest.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["dossier_ref"] for r in rows] == ["HS-001", "HS-002", "HS-003"]
    assert [int(r["page"]) for r in rows] == [1, 1 + pages, 1 + 2 * pages]
    assert {r["file"] for r in rows} == {"b.pdf"}
    document = pdfium.PdfDocument(str(out))
    assert len(document) == 3 * pages
    first = document[1 + pages - 1].get_textpage().get_text_range()
    assert rows[1]["code"] in first and "Chứng thực bản sao" in first
    assert "HS-002" not in first  # the dossier never appears on the form
    document.close()
    assert _statuses(survey_app) == ["printed"] * 3


def test_print_unknown_batch(survey_app, tmp_path):
    result = survey_app.test_cli_runner().invoke(
        args=["batches", "print", "99", "--out", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 1 and "99" in result.output, result.output


def test_create_command_prints_the_batch_id_last(survey_app):
    runner = survey_app.test_cli_runner()
    result = runner.invoke(args=["batches", "create", "--service-point", "C00001-T",
                                 "--count", "4", "--channel", "desk"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].isdigit()
    bad = runner.invoke(args=["batches", "create", "--service-point", "NOPE", "--count", "4",
                              "--channel", "desk"])  # fmt: skip
    assert bad.exit_code == 1 and "NOPE" in bad.output, bad.output


def test_clerk_downloads_pdf_manifest_and_layout(survey_app, client):
    make_user(survey_app, "clerk", Role.POSTAL, "001")
    with survey_app.app_context():
        batch_id = batches.create_batch("C00001-T", 2, Channel.ENUMERATOR).id
        db.session.commit()
    sign_in(client, "clerk")
    page = client.get(f"/post/batches/{batch_id}").get_data(as_text=True)
    assert "Tải tệp PDF để in" in page and "đã phát hành" in page
    response = client.post(f"/post/batches/{batch_id}/forms.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].endswith(f'batch-{batch_id}.pdf"')
    assert _statuses(survey_app) == ["printed", "printed"]
    manifest = client.get(f"/post/batches/{batch_id}/manifest.csv").data.decode("utf-8-sig")
    assert manifest.splitlines()[0] == "code,dossier_ref,file,page"
    assert len(manifest.splitlines()) == 3
    layout = client.get(f"/post/batches/{batch_id}/layout.json").get_json()
    assert layout["pages"][0]["qr"]["w"] >= 18
    assert "<td>đã in</td>" in client.get(f"/post/batches/{batch_id}").text
