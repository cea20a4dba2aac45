//! The Danish working-day calendar: public holidays, closing days and working-day arithmetic.

use super::policy::Policy;
use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Holidays on a fixed date every year.
const FIXED_HOLIDAYS: [(u32, u32, &str); 3] = [
    (1, 1, "Nytårsdag"),
    (12, 25, "Juledag"),
    (12, 26, "2. juledag"),
];

/// Holidays that move with Easter: days after (or before) Easter Sunday.
const EASTER_HOLIDAYS: [(i64, &str); 8] = [
    (-3, "Skærtorsdag"),
    (-2, "Langfredag"),
    (0, "Påskedag"),
    (1, "2. påskedag"),
    (GREAT_PRAYER_DAY, "Store bededag"),
    (39, "Kristi himmelfartsdag"),
    (49, "Pinsedag"),
    (50, "2. pinsedag"),
];

/// Store bededag: the fourth Friday after Easter.
const GREAT_PRAYER_DAY: i64 = 26;

/// Store bededag was abolished as a public holiday by Act no. 147 of 28 February 2023,
/// with effect from 2024.
const LAST_GREAT_PRAYER_DAY_YEAR: i32 = 2023;

fn observed(year: i32, easter_offset: i64) -> bool {
    easter_offset != GREAT_PRAYER_DAY || year <= LAST_GREAT_PRAYER_DAY_YEAR
}

/// Easter Sunday of `year` by the Gregorian computus (the anonymous algorithm of Meeus,
/// Jones and Butcher), proleptic for years before 1583.
///
/// A year outside the range chrono can represent is clamped to that range, so the
/// function never panics.
pub fn easter_sunday(year: i32) -> NaiveDate {
    let y = i64::from(year.clamp(NaiveDate::MIN.year(), NaiveDate::MAX.year()));
    // Floor division throughout, so proleptic negative years follow the same cycle.
    let a = y.rem_euclid(19);
    let (b, c) = (y.div_euclid(100), y.rem_euclid(100));
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c.div_euclid(4), c.rem_euclid(4));
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    // With h in 0..30 and l in 0..7 the result is always 22 March – 25 April.
    NaiveDate::from_ymd_opt(y as i32, (n / 31) as u32, (n % 31 + 1) as u32)
        .expect("the computus yields a day between 22 March and 25 April")
}

/// Danish public holidays of a year with their Danish names, sorted by date.
///
/// 5 June, 24 December and 31 December are not public holidays by law; an authority
/// that closes on them says so in its policy (see [`Calendar::new`]). A year chrono
/// cannot represent has no holidays.
pub fn public_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    if NaiveDate::from_ymd_opt(year, 1, 1).is_none()
        || NaiveDate::from_ymd_opt(year, 12, 31).is_none()
    {
        return Vec::new();
    }
    let easter = easter_sunday(year);
    let mut days: Vec<(NaiveDate, &'static str)> = FIXED_HOLIDAYS
        .iter()
        .filter_map(|&(m, d, name)| NaiveDate::from_ymd_opt(year, m, d).map(|date| (date, name)))
        .chain(
            EASTER_HOLIDAYS
                .iter()
                .filter(|&&(offset, _)| observed(year, offset))
                .filter_map(|&(offset, name)| shift_days(easter, offset).map(|date| (date, name))),
        )
        .collect();
    days.sort();
    days
}

/// The Danish name of the public holiday on `d`, if it is one.
pub fn public_holiday_name(d: NaiveDate) -> Option<&'static str> {
    if let Some(&(_, _, name)) = FIXED_HOLIDAYS
        .iter()
        .find(|&&(m, day, _)| d.month() == m && d.day() == day)
    {
        return Some(name);
    }
    // Easter falls between 22 March and 25 April, so its holidays between 19 March
    // (Skærtorsdag) and 14 June (2. pinsedag): most days need no computus. Deadlines walk
    // the calendar day by day, so this is on the path of every answer clock.
    if !(3..=6).contains(&d.month()) {
        return None;
    }
    let offset = (d - easter_sunday(d.year())).num_days();
    EASTER_HOLIDAYS
        .iter()
        .find(|&&(o, _)| o == offset && observed(d.year(), o))
        .map(|&(_, name)| name)
}

fn shift_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n.unsigned_abs()))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

/// Weekdays from Monday 1 January of year 1 (chrono's day 1) through `d`.
fn weekdays_through(d: NaiveDate) -> i64 {
    let days = i64::from(d.num_days_from_ce()) - 1;
    days.div_euclid(7) * 5 + (days.rem_euclid(7) + 1).min(5)
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Which days an authority works: Monday to Friday, except Danish public holidays and
/// the authority's own closing days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    /// (month, day) closing days, sorted and without duplicates: the year counts in
    /// [`Calendar::working_days_in_year`] rely on that.
    extra: Vec<(u32, u32)>,
}

impl Calendar {
    /// A calendar with extra (month, day) closing days every year (from
    /// `Policy::closing_days()`). A day that does not exist in a year (29 February in a
    /// common year) is simply not a closing day that year.
    pub fn new(extra_closing_days: Vec<(u32, u32)>) -> Calendar {
        let mut extra = extra_closing_days;
        extra.sort_unstable();
        extra.dedup();
        Calendar { extra }
    }

    pub fn from_policy(p: &Policy) -> Calendar {
        Calendar::new(p.closing_days())
    }

    /// A public holiday or one of the authority's closing days.
    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        self.extra.contains(&(d.month(), d.day())) || public_holiday_name(d).is_some()
    }

    /// Not a Saturday or Sunday, and not a holiday.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !is_weekend(d) && !self.is_holiday(d)
    }

    /// The date `n` working days after `d` (n > 0) or before it (n < 0); `d` itself never
    /// counts, and `n == 0` returns `d` unchanged. Saturates at the ends of chrono's range.
    pub fn add_working_days(&self, d: NaiveDate, n: i64) -> NaiveDate {
        if n == 0 {
            return d;
        }
        let forward = n > 0;
        let mut left = n.unsigned_abs();
        // There are never more working days than days: past the end of the range it is.
        let bound = if forward {
            NaiveDate::MAX
        } else {
            NaiveDate::MIN
        };
        if left > (bound - d).num_days().unsigned_abs() {
            return bound;
        }
        let mut cur = d;
        loop {
            // At a year boundary whole years are skipped by their count, so that even an
            // absurd `n` ends after a few hundred thousand steps rather than hundreds of
            // millions.
            let at_boundary = if forward {
                (cur.month(), cur.day()) == (12, 31)
            } else {
                (cur.month(), cur.day()) == (1, 1)
            };
            if at_boundary {
                loop {
                    let y = if forward {
                        cur.year() + 1
                    } else {
                        cur.year() - 1
                    };
                    let end = if forward {
                        NaiveDate::from_ymd_opt(y, 12, 31)
                    } else {
                        NaiveDate::from_ymd_opt(y, 1, 1)
                    };
                    let Some(end) = end else { break };
                    let whole_year = self.working_days_in_year(y).unsigned_abs();
                    if whole_year >= left {
                        break;
                    }
                    left -= whole_year;
                    cur = end;
                }
            }
            let next = if forward {
                cur.succ_opt()
            } else {
                cur.pred_opt()
            };
            let Some(next) = next else { return cur };
            cur = next;
            if self.is_working_day(cur) {
                left -= 1;
                if left == 0 {
                    return cur;
                }
            }
        }
    }

    /// Working days in (a, b]; when b < a, minus the working days in (b, a].
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        match a.cmp(&b) {
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Less => self.count_after(a, b),
            std::cmp::Ordering::Greater => -self.count_after(b, a),
        }
    }

    /// `d` if it is a working day, else the next one (saturating at chrono's last day).
    pub fn next_working_day_from(&self, d: NaiveDate) -> NaiveDate {
        d.iter_days()
            .find(|&x| self.is_working_day(x))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Working days in (a, b], for a < b; whole years in between are counted, not walked.
    fn count_after(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        let walk = |from: NaiveDate, to: NaiveDate| {
            from.iter_days()
                .skip(1)
                .take_while(|&x| x <= to)
                .filter(|&x| self.is_working_day(x))
                .count() as i64
        };
        if a.year() == b.year() {
            return self.count_within(a, b);
        }
        let (Some(end_of_first), Some(end_before_last)) = (
            NaiveDate::from_ymd_opt(a.year(), 12, 31),
            NaiveDate::from_ymd_opt(b.year() - 1, 12, 31),
        ) else {
            return walk(a, b);
        };
        let whole: i64 = (a.year() + 1..b.year())
            .map(|y| self.working_days_in_year(y))
            .sum();
        self.count_within(a, end_of_first) + whole + self.count_within(end_before_last, b)
    }

    /// Working days in (a, b], for a < b no more than a year apart: the weekdays counted,
    /// not walked, less the closing days among them. Every answer clock counts its
    /// countdown this way, so it must not walk the year day by day.
    fn count_within(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        let closed = (a.year()..=b.year())
            .flat_map(|y| self.closing_days(y))
            .filter(|&x| a < x && x <= b && !is_weekend(x))
            .count();
        weekdays_through(b) - weekdays_through(a) - closed as i64
    }

    /// The public holidays and the authority's closing days of `year`, each once.
    fn closing_days(&self, year: i32) -> Vec<NaiveDate> {
        let easter = easter_sunday(year);
        let mut days: Vec<NaiveDate> = FIXED_HOLIDAYS
            .iter()
            .map(|&(m, d, _)| (m, d))
            .chain(self.extra.iter().copied())
            .filter_map(|(m, d)| NaiveDate::from_ymd_opt(year, m, d))
            .chain(
                EASTER_HOLIDAYS
                    .iter()
                    .filter(|&&(o, _)| observed(year, o))
                    .filter_map(|&(o, _)| shift_days(easter, o))
                    .filter(|d| d.year() == year),
            )
            .collect();
        days.sort_unstable();
        days.dedup();
        days
    }

    /// Working days in a whole year, counted without walking it. Must agree with
    /// [`Calendar::is_working_day`] day by day (a unit test checks 1900–2200).
    fn working_days_in_year(&self, year: i32) -> i64 {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return 0;
        };
        // 52 whole weeks hold 260 weekdays; the one or two days left over are checked.
        let tail = (364..=(last - first).num_days())
            .filter_map(|i| shift_days(first, i))
            .filter(|&x| !is_weekend(x))
            .count();
        // Built by hand rather than through `public_holidays`: this runs once per skipped
        // year, and an absurd skip covers hundreds of thousands of them.
        let easter = easter_sunday(year);
        let public = FIXED_HOLIDAYS
            .iter()
            .filter_map(|&(m, d, _)| NaiveDate::from_ymd_opt(year, m, d))
            .chain(
                EASTER_HOLIDAYS
                    .iter()
                    .filter(|&&(o, _)| observed(year, o))
                    .filter_map(|&(o, _)| shift_days(easter, o)),
            );
        let on_weekdays = public.clone().filter(|&x| !is_weekend(x)).count();
        let extra = self
            .extra
            .iter()
            .filter_map(|&(m, d)| NaiveDate::from_ymd_opt(year, m, d))
            .filter(|&x| !is_weekend(x) && !public.clone().any(|p| p == x))
            .count();
        260 + tail as i64 - on_weekdays as i64 - extra as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The authority closing days of the demo policy.
    fn demo() -> Calendar {
        Calendar::new(vec![(6, 5), (12, 24), (12, 31)])
    }

    const EASTER: [(i32, &str); 16] = [
        (2020, "2020-04-12"),
        (2021, "2021-04-04"),
        (2022, "2022-04-17"),
        (2023, "2023-04-09"),
        (2024, "2024-03-31"),
        (2025, "2025-04-20"),
        (2026, "2026-04-05"),
        (2027, "2027-03-28"),
        (2028, "2028-04-16"),
        (2029, "2029-04-01"),
        (2030, "2030-04-21"),
        (2031, "2031-04-13"),
        (2032, "2032-03-28"),
        (2033, "2033-04-17"),
        (2034, "2034-04-09"),
        (2035, "2035-03-25"),
    ];

    #[test]
    fn easter_sunday_matches_the_known_table() {
        for (year, expected) in EASTER {
            assert_eq!(easter_sunday(year), date(expected), "{year}");
        }
    }

    #[test]
    fn easter_sunday_matches_known_dates_outside_the_table() {
        for (year, expected) in [
            (1900, "1900-04-15"),
            (1954, "1954-04-18"),
            (2000, "2000-04-23"),
            (2038, "2038-04-25"),
            (2100, "2100-03-28"),
            (2200, "2200-04-06"),
        ] {
            assert_eq!(easter_sunday(year), date(expected), "{year}");
        }
    }

    #[test]
    fn easter_is_always_a_sunday_between_22_march_and_25_april() {
        for year in (1583..=3000).chain([NaiveDate::MIN.year(), -1, 0, 1, NaiveDate::MAX.year()]) {
            let e = easter_sunday(year);
            assert_eq!(e.weekday(), Weekday::Sun, "{year}");
            assert!(
                (date("2000-03-22").ordinal0()..=date("2000-04-25").ordinal0())
                    .contains(&e.with_year(2000).unwrap().ordinal0()),
                "{year}: {e}"
            );
        }
    }

    #[test]
    fn every_holiday_2020_to_2035_is_derived_from_easter() {
        for (year, easter) in EASTER {
            let e = date(easter);
            let d = |offset: i64| shift_days(e, offset).unwrap();
            let mut expected = vec![
                (date(&format!("{year}-01-01")), "Nytårsdag"),
                (d(-3), "Skærtorsdag"),
                (d(-2), "Langfredag"),
                (e, "Påskedag"),
                (d(1), "2. påskedag"),
                (d(39), "Kristi himmelfartsdag"),
                (d(49), "Pinsedag"),
                (d(50), "2. pinsedag"),
                (date(&format!("{year}-12-25")), "Juledag"),
                (date(&format!("{year}-12-26")), "2. juledag"),
            ];
            if year <= 2023 {
                expected.push((d(26), "Store bededag"));
            }
            expected.sort();
            let got = public_holidays(year);
            assert_eq!(got, expected, "{year}");
            assert_eq!(got.len(), if year <= 2023 { 11 } else { 10 }, "{year}");
            assert_eq!(d(-3).weekday(), Weekday::Thu);
            assert_eq!(d(-2).weekday(), Weekday::Fri);
            assert_eq!(d(26).weekday(), Weekday::Fri);
            assert_eq!(d(39).weekday(), Weekday::Thu);
            for (day, name) in got {
                assert_eq!(public_holiday_name(day), Some(name), "{day}");
                assert!(
                    demo().is_holiday(day) && !demo().is_working_day(day),
                    "{day}"
                );
            }
        }
    }

    #[test]
    fn holiday_names_agree_with_the_year_lists() {
        for year in 1900..=2200 {
            let list = public_holidays(year);
            let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
            for day in first.iter_days().take_while(|d| d.year() == year) {
                let listed = list.iter().find(|(d, _)| *d == day).map(|(_, n)| *n);
                assert_eq!(public_holiday_name(day), listed, "{day}");
            }
        }
    }

    #[test]
    fn holidays_of_2026_by_date() {
        let got: Vec<(String, &str)> = public_holidays(2026)
            .into_iter()
            .map(|(d, n)| (d.to_string(), n))
            .collect();
        let want = [
            ("2026-01-01", "Nytårsdag"),
            ("2026-04-02", "Skærtorsdag"),
            ("2026-04-03", "Langfredag"),
            ("2026-04-05", "Påskedag"),
            ("2026-04-06", "2. påskedag"),
            ("2026-05-14", "Kristi himmelfartsdag"),
            ("2026-05-24", "Pinsedag"),
            ("2026-05-25", "2. pinsedag"),
            ("2026-12-25", "Juledag"),
            ("2026-12-26", "2. juledag"),
        ];
        assert_eq!(got, want.map(|(d, n)| (d.to_string(), n)));
    }

    #[test]
    fn great_prayer_day_ends_with_2023() {
        let cal = Calendar::default();
        assert_eq!(
            public_holiday_name(date("2023-05-05")),
            Some("Store bededag")
        );
        assert!(cal.is_holiday(date("2023-05-05")));
        assert!(!cal.is_working_day(date("2023-05-05")));
        assert_eq!(public_holiday_name(date("2024-04-26")), None);
        assert!(cal.is_working_day(date("2024-04-26")));
        assert!(public_holidays(2024)
            .iter()
            .all(|(_, n)| *n != "Store bededag"));
    }

    #[test]
    fn constitution_day_and_christmas_eve_are_closing_days_only_by_policy() {
        let law = Calendar::default();
        for d in ["2026-06-05", "2026-12-24", "2026-12-31"] {
            assert!(law.is_working_day(date(d)), "{d}");
            assert!(!demo().is_working_day(date(d)), "{d}");
            assert!(demo().is_holiday(date(d)), "{d}");
            assert_eq!(public_holiday_name(date(d)), None);
        }
    }

    #[test]
    fn weekends_are_not_working_days() {
        let cal = Calendar::default();
        assert!(!cal.is_working_day(date("2026-03-07")));
        assert!(!cal.is_working_day(date("2026-03-08")));
        assert!(!cal.is_holiday(date("2026-03-08")));
        assert!(cal.is_working_day(date("2026-03-09")));
    }

    #[test]
    fn a_closing_day_that_does_not_exist_this_year_is_ignored() {
        let cal = Calendar::new(vec![(2, 29), (2, 29), (13, 40)]);
        assert!(!cal.is_working_day(date("2028-02-29")));
        assert!(cal.is_working_day(date("2027-03-01")));
        assert_eq!(
            cal.working_days_between(date("2027-02-26"), date("2027-03-01")),
            1
        );
    }

    #[test]
    fn add_working_days_table() {
        let cal = demo();
        for (from, n, want) in [
            ("2026-03-09", 0, "2026-03-09"),
            ("2026-03-08", 0, "2026-03-08"),
            ("2026-03-09", 1, "2026-03-10"),
            ("2026-03-13", 1, "2026-03-16"),
            ("2026-03-14", 1, "2026-03-16"),
            ("2026-03-16", -1, "2026-03-13"),
            ("2026-03-15", -1, "2026-03-13"),
            // Easter 2026: Thursday 2 April to Monday 6 April are closed.
            ("2026-03-30", 3, "2026-04-07"),
            ("2026-03-30", 7, "2026-04-13"),
            ("2026-04-07", -3, "2026-03-30"),
            // Christmas and New Year 2026/27: 24, 25, 31 Dec and 1 Jan are weekdays closed.
            ("2026-12-21", 1, "2026-12-22"),
            ("2026-12-22", 1, "2026-12-23"),
            ("2026-12-23", 1, "2026-12-28"),
            ("2026-12-23", 4, "2027-01-04"),
            ("2027-01-04", -4, "2026-12-23"),
            // Across several whole years (exercises the year skip).
            ("2026-12-31", 750, "2029-12-17"),
        ] {
            assert_eq!(
                cal.add_working_days(date(from), n),
                date(want),
                "{from} {n:+}"
            );
        }
    }

    #[test]
    fn year_counts_agree_with_walking_every_day() {
        for cal in [
            Calendar::default(),
            demo(),
            Calendar::new(vec![(12, 25), (2, 29), (7, 1)]),
        ] {
            for year in 1900..=2200 {
                let walked = NaiveDate::from_ymd_opt(year, 1, 1)
                    .unwrap()
                    .iter_days()
                    .take_while(|d| d.year() == year)
                    .filter(|&d| cal.is_working_day(d))
                    .count() as i64;
                assert_eq!(cal.working_days_in_year(year), walked, "{year} {cal:?}");
            }
        }
        assert_eq!(demo().working_days_in_year(2026), 251);
    }

    #[test]
    fn counting_between_agrees_with_walking_every_day() {
        let walk = |cal: &Calendar, a: NaiveDate, b: NaiveDate| {
            a.iter_days()
                .skip(1)
                .take_while(|&x| x <= b)
                .filter(|&x| cal.is_working_day(x))
                .count() as i64
        };
        for cal in [
            Calendar::default(),
            demo(),
            Calendar::new(vec![(12, 25), (2, 29), (7, 1), (3, 29)]),
        ] {
            // Every start in 2023-2025 (Easter early and late, the last Store bededag), to
            // ends up to 400 days on, in steps that reach every weekday.
            let start = date("2022-12-25");
            for a in start.iter_days().take(3 * 366) {
                for n in (0..400).step_by(13).chain([1, 2, 3, 6, 7, 8, 365, 366]) {
                    let b = a + chrono::Days::new(n);
                    assert_eq!(
                        cal.working_days_between(a, b),
                        walk(&cal, a, b),
                        "{a} {b} {cal:?}"
                    );
                }
            }
        }
        assert!(NaiveDate::from_ymd_opt(1, 1, 1).unwrap().weekday() == Weekday::Mon);
    }

    #[test]
    fn year_skip_agrees_with_stepping_one_day_at_a_time() {
        let cal = demo();
        let step = |d: NaiveDate, n: i64| {
            let mut cur = d;
            let mut left = n.abs();
            while left > 0 {
                cur = if n > 0 {
                    cur.succ_opt().unwrap()
                } else {
                    cur.pred_opt().unwrap()
                };
                if cal.is_working_day(cur) {
                    left -= 1;
                }
            }
            cur
        };
        for from in [
            "2023-12-31",
            "2024-01-01",
            "2024-01-02",
            "2026-06-15",
            "1999-12-31",
            "2100-01-01",
        ] {
            for n in [-2000, -751, -250, -1, 1, 249, 250, 251, 2000] {
                let d = date(from);
                assert_eq!(cal.add_working_days(d, n), step(d, n), "{from} {n:+}");
                // Going back, (result, d] holds d itself rather than the result: the identity
                // needs d to be a working day.
                if n > 0 || cal.is_working_day(d) {
                    assert_eq!(cal.working_days_between(d, step(d, n)), n, "{from} {n:+}");
                }
            }
        }
    }

    #[test]
    fn working_days_between_table() {
        let cal = demo();
        for (a, b, want) in [
            ("2026-03-09", "2026-03-09", 0),
            ("2026-03-09", "2026-03-10", 1),
            ("2026-03-13", "2026-03-16", 1),
            ("2026-03-13", "2026-03-15", 0),
            ("2026-03-16", "2026-03-13", -1),
            ("2026-03-30", "2026-04-13", 7),
            ("2026-12-23", "2027-01-04", 4),
            ("2026-01-01", "2026-12-31", 251),
            ("2025-12-31", "2026-12-31", 251),
        ] {
            assert_eq!(cal.working_days_between(date(a), date(b)), want, "{a}..{b}");
        }
    }

    #[test]
    fn next_working_day_from_table() {
        let cal = demo();
        for (from, want) in [
            ("2026-03-09", "2026-03-09"),
            ("2026-03-07", "2026-03-09"),
            ("2026-04-02", "2026-04-07"),
            ("2026-12-24", "2026-12-28"),
            ("2026-12-31", "2027-01-04"),
        ] {
            assert_eq!(cal.next_working_day_from(date(from)), date(want), "{from}");
        }
    }

    #[test]
    fn extremes_saturate_instead_of_panicking() {
        let cal = demo();
        assert_eq!(
            cal.add_working_days(date("2026-01-01"), i64::MAX),
            NaiveDate::MAX
        );
        assert_eq!(
            cal.add_working_days(date("2026-01-01"), i64::MIN),
            NaiveDate::MIN
        );
        assert_eq!(cal.add_working_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(cal.add_working_days(NaiveDate::MIN, -1), NaiveDate::MIN);
        let _ = cal.next_working_day_from(NaiveDate::MAX);
        let _ = cal.working_days_between(NaiveDate::MIN, NaiveDate::MAX);
        // Far, but inside the range: whole years are skipped, and the count agrees.
        let far = cal.add_working_days(date("2026-01-01"), 20_000_000);
        assert!(far.year() > 20_000 && far < NaiveDate::MAX, "{far}");
        assert_eq!(
            cal.working_days_between(date("2026-01-01"), far),
            20_000_000
        );
        assert_eq!(public_holidays(i32::MAX), vec![]);
        assert_eq!(public_holidays(i32::MIN), vec![]);
        assert_eq!(easter_sunday(i32::MAX).year(), NaiveDate::MAX.year());
        assert_eq!(easter_sunday(i32::MIN).year(), NaiveDate::MIN.year());
        assert_eq!(public_holidays(NaiveDate::MAX.year()).len(), 10);
    }

    #[test]
    fn from_policy_takes_the_closing_days() {
        let text = r#"
[authority]
id = "t"
name_en = "T"
name_da = "T"
address = "A"
dpo_contact = "d"
supervisory_authority = "s"

[calendar]
extra_closing_days = ["06-05", "12-24"]

[archive]
first_period_start = "2022-01-01"
period_years = 5

[[purposes]]
id = "p"
name_en = "P"
name_da = "P"
legal_bases = ["gdpr-6-1-e"]
deadline = { kind = "none" }
retention = { kind = "archive-then-delete" }

[[recipients]]
id = "r"
name_en = "R"
name_da = "R"
legal_bases = ["gdpr-6-1-e"]
special_categories = false
criminal = false
restricted = false
region = "dk"
"#;
        let cal = Calendar::from_policy(&Policy::from_toml(text, "test").unwrap());
        assert_eq!(cal, Calendar::new(vec![(12, 24), (6, 5)]));
        assert!(!cal.is_working_day(date("2026-06-05")));
        assert!(cal.is_working_day(date("2026-12-31")));
    }
}
