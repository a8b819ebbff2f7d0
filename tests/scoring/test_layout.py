"""A tally packed by its questionnaire's layout reads back as it was (pure: no table is read)."""

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


def test_rows_of_two_versions_are_summed_by_each_key_as_each_version_alone(app, scheme):
    """tallies_each over rows of two questionnaire versions (two layouts) gives, by each key,
    the sum of what each version's rows alone give."""
    from satisfaction.scoring.layout import add_to, tallies_each

    one = Layout.of(scheme)
    two = Layout(tuple(reversed(one.answers)), one.pairs)  # another version's order of slots
    answers = [full_answers(), {**full_answers(), "access.seating": "1"}, {}]
    rows = []
    for n, (layout, version) in enumerate([(one, 901), (two, 902), (one, 901), (two, 902)]):
        packed = layout.pack(tally_of(scheme, [answers[n % 3]]))
        rows.append((f"c{n % 2}", f"p{n}", version, 1, packed))
    with app.app_context():
        app.extensions["score_layouts"] = {901: one, 902: two}
        by_commune, by_point = tallies_each(rows, 2)
        for k, found in ((0, by_commune), (1, by_point)):
            alone: dict = {}
            for version in (901, 902):
                picked = [(r[k], *r[2:]) for r in rows if r[2] == version]
                for key, tally in tallies_each(picked, 1)[0].items():
                    add_to(alone, key, tally)
            assert found.keys() == alone.keys()
            for key, tally in found.items():
                assert tally.responses == alone[key].responses
                assert tally.answers == alone[key].answers
