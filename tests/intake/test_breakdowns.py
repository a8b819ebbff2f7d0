"""Figures to act on: per batch, unit and clerk; forms long out, listed and downloaded."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from satisfaction.auth.models import Role
from satisfaction.auth.services import get_user
from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.intake import breakdowns, keying, tracking
from satisfaction.intake.batches import create_batch
from satisfaction.paper.codes import group
from satisfaction.survey.models import Channel, Invitation, InvitationStatus
from tests.auth.helpers import make_user, sign_in

S = InvitationStatus


@pytest.fixture
def flow(survey_app):
    """Two batches of Ba Đình; four forms dispatched by anh (two 40 days ago), one back blank."""
    make_user(survey_app, "anh", Role.POSTAL, "001")
    with survey_app.app_context():
        anh = get_user("anh")
        first = create_batch("C00001-T", 4, Channel.ENUMERATOR, anh)
        second = create_batch("C00001-T", 2, Channel.ENUMERATOR, anh)
        codes = [i.code for i in db.session.scalars(select(Invitation).order_by(Invitation.id))]
        for code in codes[:4]:
            tracking.move(code, S.DISPATCHED, anh)
        long_ago = utcnow() - timedelta(days=40)
        db.session.execute(update(Invitation).where(Invitation.code.in_(codes[:2]))
                           .values(dispatched_at=long_ago))  # fmt: skip
        invitation = db.session.scalar(select(Invitation).where(Invitation.code == codes[3]))
        blank = keying.parse_digits(keying.questionnaire_for(invitation), "0" * 26)
        assert keying.key_form(codes[3], blank, anh, utcnow().date()).outcome is keying.Keyed.BLANK
        db.session.commit()
        ids = (first.id, second.id)
    return survey_app, codes, ids


def test_figures_per_batch_unit_and_clerk(flow):
    app, codes, (first, second) = flow
    with app.app_context():
        anh = get_user("anh")
        asked = breakdowns.Filters()
        batches = {int(line.key): line.figures for line in breakdowns.by_batch(anh, asked)}
        units = breakdowns.by_unit(anh, asked)
        steps = breakdowns.clerk_steps(anh, asked)
    assert set(batches) == {first, second}
    assert (batches[first].issued, batches[first].dispatched, batches[first].returned,
            batches[first].returned_blank) == (4, 4, 1, 1)  # fmt: skip
    assert (batches[second].issued, batches[second].dispatched) == (2, 0)
    assert [(line.key, line.figures.issued) for line in units] == [("00001", 6)]
    assert [(s.username, s.dispatched, s.received, s.withdrawn) for s in steps] == [
        ("anh", 4, 1, 0)
    ]  # fmt: skip (the blank form was received when keyed)


def test_forms_long_out_are_listed_by_age(flow):
    app, codes, _ = flow
    with app.app_context():
        anh = get_user("anh")
        asked = breakdowns.Filters()
        out = list(breakdowns.overdue(anh, asked, 30))
        assert [o.code for o in out] == [group(codes[0]), group(codes[1])]
        assert out[0].days >= 39 and out[0].point_code == "C00001-T"
        assert breakdowns.overdue_count(anh, asked, 30) == 2
        assert breakdowns.overdue_count(anh, asked, 41) == 0
        assert breakdowns.overdue_count(anh, asked, 1) == 2  # dispatched today: not yet
        tracking.move(codes[0], S.RETURNED, anh)  # back at last
        assert breakdowns.overdue_count(anh, asked, 30) == 1


def test_figures_page_and_overdue_csv(flow):
    app, codes, (first, _) = flow
    client = app.test_client()
    sign_in(client, "anh")
    page = client.get("/post/figures?days=30")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for words in (
        "Đã gửi đi hơn 30 ngày mà chưa nhận lại",
        group(codes[0]),
        "Theo lô phiếu",
        f"#{first}",
        "Theo xã",
        "Quét phiếu theo nhân viên",
        "Phiếu trắng gửi lại",
    ):
        assert words in text, words
    download = client.get("/post/figures/overdue.csv?days=30")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    body = download.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Mã phiếu", "Mã điểm phục vụ"] and "Ngày gửi đi" in rows[0]
    assert [row[0] for row in rows[1:]] == [group(codes[0]), group(codes[1])]
    later = client.get("/post/figures/overdue.csv?days=50").get_data().decode("utf-8-sig")
    assert later.splitlines() == [",".join(rows[0])]  # the titles only
    for bad in ("days=0", "days=abc", "unit=99999"):
        refused = client.get(f"/post/figures/overdue.csv?{bad}")
        assert refused.status_code == 422, bad
        assert client.get(f"/post/figures?{bad}").status_code == 422
