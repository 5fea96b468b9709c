"""Working days in England and Wales, and the day a document sent to a family counts as served.

The 15-day windows of Regs 13(1)(a) and 22(2)(c) run from the day of service. When only the day a document
was sent is known, the day of service is deemed: by post, Interpretation Act 1978 s7 ("at the time at
which the letter would be delivered in the ordinary course of post") read with the Practice Direction
(QBD) [1985] 1 WLR 489 (first class: the second working day after posting; second class: the fourth;
second class when the class is not recorded); email the next working day (CPR 6.26, the hour not being
recorded); by hand, that day. Working days are Monday to Friday other than bank holidays in England and
Wales.
"""

import calendar
from datetime import date, timedelta


def easter_sunday(year: int) -> date:
    """Return Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    j = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * j) // 451
    month, day = divmod(h + j - 7 * m + 114, 31)
    return date(year, month, day + 1)


# Bank holidays moved or added by proclamation (Banking and Financial Dealings Act 1971, s1(3)): the usual
# day each replaced (None for an extra day), then the day kept instead.
BANK_HOLIDAY_CHANGES: dict[int, list[tuple[date | None, date]]] = {
    2011: [(None, date(2011, 4, 29))],  # royal wedding
    2012: [(date(2012, 5, 28), date(2012, 6, 4)), (None, date(2012, 6, 5))],  # diamond jubilee
    2020: [(date(2020, 5, 4), date(2020, 5, 8))],  # VE day
    2022: [(date(2022, 5, 30), date(2022, 6, 2)), (None, date(2022, 6, 3)), (None, date(2022, 9, 19))],
    2023: [(None, date(2023, 5, 8))],  # coronation
}


def _monday_on_or_after(d: date) -> date:
    return d + timedelta(days=(7 - d.weekday()) % 7)


def _weekday_or_next_monday(d: date) -> date:
    return d if d.weekday() < 5 else _monday_on_or_after(d)


def _last_monday(year: int, month: int) -> date:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=last.weekday())


def bank_holidays(year: int) -> set[date]:
    """Return the bank holidays in England and Wales in the year, with substitute days for weekends."""
    easter = easter_sunday(year)
    days = {
        _weekday_or_next_monday(date(year, 1, 1)),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        _monday_on_or_after(date(year, 5, 1)),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    christmas = date(year, 12, 25)
    if christmas.weekday() == 5:  # Saturday: Monday 27th and Tuesday 28th
        days |= {date(year, 12, 27), date(year, 12, 28)}
    elif christmas.weekday() == 6:  # Sunday: Boxing Day on Monday 26th, Christmas on Tuesday 27th
        days |= {date(year, 12, 26), date(year, 12, 27)}
    elif christmas.weekday() == 4:  # Friday: Boxing Day falls on Saturday, kept on Monday 28th
        days |= {christmas, date(year, 12, 28)}
    else:
        days |= {christmas, date(year, 12, 26)}
    for replaced, kept in BANK_HOLIDAY_CHANGES.get(year, []):
        days.discard(replaced)
        days.add(kept)
    return days


def is_working_day(d: date) -> bool:
    """Return True for Monday to Friday, other than a bank holiday in England and Wales."""
    return d.weekday() < 5 and d not in bank_holidays(d.year)


def add_working_days(d: date, n: int) -> date:
    """Return the nth working day after d (n >= 1)."""
    counted = 0
    while counted < n:
        d += timedelta(days=1)
        if is_working_day(d):
            counted += 1
    return d


# How a document went to the family (stored on plans and reviews).
FIRST_CLASS, SECOND_CLASS, EMAIL, BY_HAND = "first_class", "second_class", "email", "by_hand"
DELIVERY_METHODS = [
    (FIRST_CLASS, "First class post"),
    (SECOND_CLASS, "Second class post"),
    (EMAIL, "Email"),
    (BY_HAND, "By hand"),
]
_POST_DAYS = {FIRST_CLASS: 2, SECOND_CLASS: 4}


def deemed_served(sent: date, method: str) -> date:
    """Return the day a document sent on ``sent`` is deemed served, by how it was sent ("" if unknown)."""
    if method == BY_HAND:
        return sent
    if method == EMAIL:
        return add_working_days(sent, 1)
    # Interpretation Act 1978 s7 and Practice Direction [1985] 1 WLR 489: second class when not recorded.
    return add_working_days(sent, _POST_DAYS.get(method, _POST_DAYS[SECOND_CLASS]))


def service(sent: date, method: str = "", served: date | None = None) -> tuple[date, str]:
    """Return the day of service and, when it is deemed rather than recorded, a note saying how."""
    if served is not None:
        return served, ""
    day = deemed_served(sent, method)
    if method == BY_HAND:
        how = "handed over"
    elif method == EMAIL:
        how = "emailed; deemed served the next working day (CPR 6.26)"
    else:
        class_ = "first" if method == FIRST_CLASS else "second"
        assumed = "" if method else " (assumed: the class of post was not recorded)"
        nth = "second" if method == FIRST_CLASS else "fourth"
        how = (
            f"posted {class_} class{assumed}; deemed served on the {nth} working day after posting "
            "(Interpretation Act 1978, s7; Practice Direction [1985] 1 WLR 489)"
        )
    return day, f"Served date not recorded: sent on {day_text(sent)}, {how}, so counted from {day_text(day)}."


def day_text(d: date) -> str:
    """Return a date as GOV.UK writes it: 9 March 2026."""
    return f"{d.day} {d:%B %Y}"
