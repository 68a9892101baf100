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


@pytest.mark.parametrize("value, expected", [
    # Zones RFC 822 does not name, read before as no zone at all (a clock time hours off).
    ("Thu, 30 Apr 2015 08:57:00 MEST", "2015-04-30T08:57:00+02:00"),
    ("Fri, 12 Oct 2018 09:00:00 CET", "2018-10-12T09:00:00+01:00"),
    ("Mon, 26 Jan 2004 16:31:00 PT", "2004-01-26T16:31:00-08:00"),
    ("Fri, 12 Oct 2018 09:00:00 AEST", "2018-10-12T09:00:00+10:00"),
    # Offsets written with a colon, or after GMT.
    ("Wed, 19 Feb 2012 22:40:00 -01:30", "2012-02-19T22:40:00-01:30"),
    ("Fri, 12 Oct 2018 09:00:00 GMT+01:00", "2018-10-12T09:00:00+01:00"),
    ("Fri, 12 Oct 2018 09:00:00 UTC-5", "2018-10-12T09:00:00-05:00"),
    ("Mon, 13 Feb, 2012 06:28:00 UTC", "2012-02-13T06:28:00+00:00"),  # a comma after the month
    # As before: the zones RFC 822 names, and a zone no one can read left unsaid.
    ("Fri, 12 Oct 2018 09:00:00 EDT", "2018-10-12T09:00:00-04:00"),
    ("Fri, 12 Oct 2018 09:00:00 +0100", "2018-10-12T09:00:00+01:00"),
    ("Sun, 16 Dec 2012 11:47:32 +zz:00", "2012-12-16T11:47:32"),
])
def test_rfc_822_dates_as_feeds_and_cms_write_them(value, expected):
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
