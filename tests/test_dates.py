import pytest

from pipelines.dates import normalise_date, visible_date


@pytest.mark.parametrize("text, expected", [
    ("Posted: Dec. 22, 2016, 6:47 p.m.", "2016-12-22T18:47:00"),
    ("6 May 2022 - 9:05 p. m.", "2022-05-06T21:05:00"),
    ("February 24, 2020 | 9:25pm", "2020-02-24T21:25:00"),
    ("3. März 2021 um 21:17 Uhr", "2021-03-03T21:17:00"),
])
def test_a_printed_time_with_its_half_of_the_day_and_separators(text, expected):
    assert visible_date(text) == expected


@pytest.mark.parametrize("value, expected", [
    ("2022-05-05T22:12:00 UTC", "2022-05-05T22:12:00+00:00"),
    ("2022-5-5 22:17:36", "2022-05-05T22:17:36"),
    ("2022-5-5", "2022-05-05"),
    ("2022-13-05", None),
])
def test_near_iso_values_some_sites_write(value, expected):
    assert normalise_date(value) == expected
