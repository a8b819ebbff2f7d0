"""Words for statuses: a form answered on paper is not called answered online."""

from satisfaction.survey.labels import status_label
from satisfaction.survey.models import InvitationStatus, Mode


def test_a_scanned_answer_is_not_called_online(survey_app):
    with survey_app.test_request_context("/?lang=vi"):
        answered = InvitationStatus.ANSWERED
        assert status_label(answered, Mode.SCANNED) == "đã trả lời trên giấy (quét)"
        assert status_label(answered, Mode.ONLINE) == "đã trả lời trực tuyến"
        assert status_label(answered) == "đã trả lời trực tuyến"
        assert status_label(InvitationStatus.WITHDRAWN, None) == "đã thu hồi"
