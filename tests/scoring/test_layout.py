"""A tally packed by its questionnaire's layout reads back as it was (pure, no database)."""

import pytest

from satisfaction.questionnaires.loader import load_file
from satisfaction.scoring.layout import Layout
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.tally import tally_of
from tests.survey.conftest import full_answers as form_answers

SIPAS = "forms/sipas-services.v1.toml"


def full_answers() -> dict:
    """Return a complete response as stored (the form's "NA" is stored as "na")."""
    return {key: "na" if value == "NA" else value for key, value in form_answers().items()}


@pytest.fixture(scope="module")
def scheme() -> Scheme:
    return Scheme.of(load_file(SIPAS))


def test_the_sipas_layout_has_a_slot_for_every_answer_and_pair(scheme):
    layout = Layout.of(scheme)
    assert len(layout.answers) == 20 * 6 + 6 * 3  # items: 1-5 and na; expectations: 1-3
    assert len(layout.pairs) == 15  # five elements, each with itself and every other
    assert layout.dtype.itemsize == 4 * 138 + 8 * 4 * 15 == 1032
    assert Layout.from_json(**layout.to_json()) == layout


def test_a_packed_tally_reads_back_the_same(scheme):
    layout = Layout.of(scheme)
    answers = [full_answers(), {**full_answers(), "access.info": 1, "staff.courtesy": "na"},
               {"access.info": 4}]  # fmt: skip
    tally = tally_of(scheme, answers)
    found = layout.tally(tally.responses, [layout.pack(tally)])
    assert found.answers == tally.answers
    assert found.moments == tally.moments
    assert found.responses == 3


def test_packed_tallies_add_up(scheme):
    layout = Layout.of(scheme)
    one, two = tally_of(scheme, [full_answers()]), tally_of(scheme, [{"access.info": 2}])
    both = tally_of(scheme, [full_answers(), {"access.info": 2}])
    summed = layout.add(layout.pack(one), layout.pack(two))
    assert layout.tally(2, [summed]).answers == both.answers
    assert layout.tally(2, [layout.pack(one), layout.pack(two)]).moments == both.moments


def test_an_answer_outside_the_scale_is_not_packed(scheme):
    layout = Layout.of(scheme)
    tally = tally_of(scheme, [{"access.info": 9, "access.signs": 5}])
    found = layout.tally(1, [layout.pack(tally)])
    assert found.answers == {("access.signs", "5"): 1}


def test_a_value_of_another_layout_is_refused(scheme):
    layout = Layout.of(scheme)
    with pytest.raises(ValueError, match="layout"):
        layout.tally(1, [layout.empty + b"\0"])
