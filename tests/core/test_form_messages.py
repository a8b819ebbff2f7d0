"""WTForms' own messages (an empty field, a number out of range) in the page's language."""

from satisfaction.auth.models import Role
from tests.auth.helpers import make_user, sign_in


def _clerk(app):
    make_user(app, "anh", Role.POSTAL, "001")
    client = app.test_client()
    sign_in(client, "anh")
    return client


def _stack(point: str, count: str) -> dict:
    """Return the fields of the page's stack form (its fields carry the prefix "stack-")."""
    return {"stack-service_point": point, "stack-count": count, "stack-channel": "enumerator"}


def test_an_empty_field_and_a_number_out_of_range_are_named_in_vietnamese(survey_app):
    client = _clerk(survey_app)
    page = client.post("/post/batches/create", data=_stack("", "0"))
    assert page.status_code == 422
    assert "Xin điền ô này." in page.text
    too_many = client.post("/post/batches/create", data=_stack("C00001-T", "999999"))
    assert too_many.status_code == 422 and "Số phải từ 1 đến" in too_many.text
    assert "Number must be" not in too_many.text and "This field is required" not in page.text


def test_the_same_in_english(survey_app):
    client = _clerk(survey_app)
    page = client.post("/post/batches/create?lang=en", data=_stack("", "x"))
    assert page.status_code == 422
    assert "This field is required." in page.text and "Xin điền" not in page.text
