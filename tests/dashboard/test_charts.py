"""Charts fit their axis to the figures, mark its break, and band the trend's intervals."""

from satisfaction.dashboard.charts import Axis, Point, fit_axis, interval_bar, trend_chart
from satisfaction.scoring.indices import Estimate


def test_the_axis_fits_the_figures_and_starts_at_zero_only_near_it():
    assert fit_axis([Estimate(100, 76, 74, 78), Estimate(100, 90, 88.5, 91.2)]) == Axis(70, 95)
    assert fit_axis([Estimate(100, 76.0, 75.0, 77.0)]) == Axis(70, 80)  # at least 10 wide
    assert fit_axis([Estimate(100, 30, 18, 42)]) == Axis(0, 50)  # near 0: no break
    assert fit_axis([Estimate(10)]) == Axis()  # nothing to fit: 0-100
    assert Axis(70, 95).ticks() == [70, 75, 80, 85, 90, 95] and Axis().ticks()[-1] == 100


def test_a_bar_on_a_cut_axis_is_a_dot_and_whisker_with_its_break():
    axis = Axis(70, 90)
    drawn = str(interval_bar(Estimate(100, 80, 75, 85), "A", axis))
    assert 'class="break"' in drawn and 'class="bar"' not in drawn
    assert 'cx="80.0"' in drawn  # 80 is half way along 160 pixels from 70 to 90
    whole = str(interval_bar(Estimate(100, 80, 75, 85), "A"))
    assert 'class="bar"' in whole and 'class="break"' not in whole


def test_the_trend_has_its_band_fitted_axis_and_break():
    points = [Point("Q1", Estimate(200, 74, 71, 77)), Point("Q2", Estimate(200, 78, 75, 81)),
              Point("Q3", Estimate(3)), Point("Q4", Estimate(200, 76, 73, 79))]  # fmt: skip
    drawn = str(trend_chart(points, "Trend"))
    assert drawn.count('class="band"') == 1  # Q1-Q2; Q4 stands alone after the gap
    assert 'class="break"' in drawn and ">70<" in drawn and ">0<" not in drawn
