import pytest

from pipelines.dates import normalise_date, visible_date


@pytest.mark.parametrize("text, expected", [
    ("Posted: Dec. 22, 2016, 6:47 p.m.", "2016-12-22T18:47:00"),
    ("6 May 2022 - 9:05 p. m.", "2022-05-06T21:05:00"),
    ("February 24, 2020 | 9:25pm", "2020-02-24T21:25:00"),
    ("3. März 2021 um 21:17 Uhr", "2021-03-03T21:17:00"),
    ("19 Oct, 2017 12:45pm", "2017-10-19T12:45:00"),  # a comma after the month
    ("07 Dezember, 2022", "2022-12-07"),
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


@pytest.mark.parametrize("text, order, expected", [
    ("12.29.14", None, "2014-12-29"),  # the month first, as the day is over 12
    ("12/29/2014", None, "2014-12-29"),
    ("29/12/14", None, "2014-12-29"),
    ("12.29.2014", None, "2014-12-29"),
    ("07.11.2023, 14:30 Uhr", None, "2023-11-07T14:30:00"),  # dots: day first, as Europe writes them
    ("03/04/14", None, None),  # March or April: the page's country decides
    ("03/04/14", "dmy", "2014-04-03"),
    ("03/04/14", "mdy", "2014-03-04"),
    ("Publicado el 03/05/2022 a las 22h03", "dmy", "2022-05-03T22:03:00"),
])
def test_a_numeric_date_is_read_where_the_numbers_or_the_pages_language_say_which_is_the_day(text, order, expected):
    assert visible_date(text, order) == expected
