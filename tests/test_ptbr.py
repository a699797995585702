"""pt-BR number words against the grammar rule, checked case by case: milhão, bilhão… agree with
the integer part (singular for 1 ≤ x < 2), and the rounding edge cases stay right."""
import datetime as dt

import pytest

from demos import ptbr


@pytest.mark.parametrize("x, text", [
    (1, "1"),
    (1_000, "mil"),
    (1e6, "1 milhão"),
    (1.07e6, "1,07 milhão"),                  # the deck's "1,07 milhão de anos"
    (1.5e9, "1,5 bilhão"),
    (1.99e12, "1,99 trilhão"),
    (2e6, "2 milhões"),
    (2.5e9, "2,5 bilhões"),
    (999_999, "1 milhão"),                    # rounds to 3 significant digits: 1.000.000
    (1_000_000, "1 milhão"),
    (1.995e6, "2 milhões"),                   # rounds up past 2: plural
    (60e9, "60 bilhões"),
    (1.2e15, "1,2 quatrilhão"),
    (3e16, "30 quatrilhões"),
])
def test_count_words_agree_with_the_integer_part(x, text):
    assert ptbr.fmt_count(x) == text


def test_count_words_with_more_digits():
    assert ptbr.fmt_count(999_999, digits=6) == "999,999 mil"
    assert ptbr.fmt_count(1_070_000, digits=6) == "1,07 milhão"


@pytest.mark.parametrize("v, singular", [(1, True), (1.07, True), (1.5, True), (1.999, True),
                                         (2, False), (0.5, False), (999.999, False)])
def test_takes_singular(v, singular):
    assert ptbr.takes_singular(v) is singular


@pytest.mark.parametrize("x, text", [
    (1.07e6, "1,07 milhão de anos"),
    (1.5e9, "1,5 bilhão de anos"),
    (2e6, "2 milhões de anos"),
    (1, "1 ano"),
    (95_400, "95,4 mil anos"),
])
def test_quantities_with_their_noun(x, text):
    assert ptbr.fmt_quantity(x, "ano", "anos") == text


def test_duration_of_a_million_years_is_singular():
    year = ptbr.SECONDS_PER_YEAR
    assert ptbr.fmt_duration(1.068 * 1e6 * year) == "1,07 milhão de anos"
    assert ptbr.fmt_duration(81.69e6 * year) == "81,7 milhões de anos"


@pytest.mark.parametrize("x, text", [(1234.5, "1.234,5"), (999_999, "999.999"), (1_000_000, "1.000.000"),
                                     (0.5, "0,5")])
def test_plain_numbers(x, text):
    assert ptbr.fmt_num(x, 1 if x % 1 else 0) == text


@pytest.mark.parametrize("x, text", [(26.97e9, "27 bi"), (130.5e9, "130,5 bi"), (2.06e6, "2,1 mi"),
                                     (175e9, "175 bi"), (1e6, "1 mi"), (750_000, "750 mil")])
def test_abbreviated_big_numbers_drop_a_rounded_away_decimal(x, text):
    assert ptbr.fmt_big(x) == text
    assert ptbr.fmt_usd(26.97e9) == "US$ 27 bi"


@pytest.mark.parametrize("d, text", [(dt.date(2025, 6, 10), "jun. 2025"), (dt.date(2025, 5, 2), "maio 2025"),
                                     (dt.date(2024, 9, 30), "set. 2024")])
def test_months(d, text):
    assert ptbr.fmt_month(d) == text


def test_days():
    assert ptbr.fmt_day(dt.date(2024, 12, 10)) == "10 dez. 2024"
    assert ptbr.fmt_day(dt.date(2024, 8, 1)) == "1º ago. 2024"
