//! The one Danish clock: every day-level decision asks which Copenhagen calendar day an instant falls on.

use chrono::{DateTime, NaiveDate, TimeZone};
use chrono_tz::Europe::Copenhagen;

/// The Danish calendar date (Europe/Copenhagen, with summer time) of an instant, whatever
/// offset it was written in. Deadlines, receipt days and archive periods are Danish days:
/// the UTC date or the sender's own offset would put them a day early or late around midnight.
pub fn danish_date<Tz: TimeZone>(instant: &DateTime<Tz>) -> NaiveDate {
    instant.with_timezone(&Copenhagen).date_naive()
}

/// "Today" is the Danish date of `now`.
pub fn today_of<Tz: TimeZone>(now: &DateTime<Tz>) -> NaiveDate {
    danish_date(now)
}

/// The instant as a Copenhagen wall clock shows it (the offset of that moment, summer time
/// included), for times recorded on the authority's side.
pub fn in_copenhagen<Tz: TimeZone>(instant: &DateTime<Tz>) -> DateTime<chrono::FixedOffset> {
    instant.with_timezone(&Copenhagen).fixed_offset()
}

/// [`danish_date`] as a method, so a call site reads `received.danish_day()`.
pub trait DanishDay {
    /// The Copenhagen calendar day of this instant.
    fn danish_day(&self) -> NaiveDate;
    /// The Copenhagen wall clock to the minute, "2026-12-05 11:26": how every time the
    /// authority recorded (a note, a decision, an event) is shown.
    fn danish_minute(&self) -> String;
}

impl<Tz: TimeZone> DanishDay for DateTime<Tz> {
    fn danish_day(&self) -> NaiveDate {
        danish_date(self)
    }
    fn danish_minute(&self) -> String {
        in_copenhagen(self).format("%Y-%m-%d %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, FixedOffset, Utc};

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }
    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_far_offset_is_taken_on_the_copenhagen_day() {
        // 05:30 in Tokyo on the 10th is 21:30 on the 9th in Copenhagen.
        assert_eq!(
            danish_date(&at("2026-03-10T05:30:00+09:00")),
            d("2026-03-09")
        );
        assert_eq!(
            danish_date(&at("2026-03-09T20:30:00-05:00")),
            d("2026-03-10")
        );
        // Odd offsets: India (+05:30), Nepal (+05:45), Newfoundland (−03:30), Chatham (+12:45).
        assert_eq!(
            danish_date(&at("2026-06-01T03:00:00+05:30")),
            d("2026-05-31")
        );
        assert_eq!(
            danish_date(&at("2026-06-01T04:00:00+05:45")),
            d("2026-06-01")
        );
        assert_eq!(
            danish_date(&at("2026-01-14T20:00:00-03:30")),
            d("2026-01-15")
        );
        assert_eq!(
            danish_date(&at("2026-01-15T11:40:00+12:45")),
            d("2026-01-14")
        );
    }

    #[test]
    fn receipt_days_across_both_dst_switches() {
        // Summer time begins 29 March 2026 at 02:00 CET (01:00 UTC): +02:00 from then.
        assert_eq!(
            danish_date(&at("2026-03-28T23:30:00+00:00")),
            d("2026-03-29")
        );
        assert_eq!(
            danish_date(&at("2026-03-28T22:59:59+00:00")),
            d("2026-03-28")
        );
        assert_eq!(
            danish_date(&at("2026-03-29T22:00:00+00:00")),
            d("2026-03-30")
        );
        assert_eq!(
            danish_date(&at("2026-03-29T21:59:59+00:00")),
            d("2026-03-29")
        );
        // Summer time ends 25 October 2026 at 03:00 CEST (01:00 UTC): +01:00 from then.
        assert_eq!(
            danish_date(&at("2026-10-24T22:00:00+00:00")),
            d("2026-10-25")
        );
        assert_eq!(
            danish_date(&at("2026-10-24T21:59:59+00:00")),
            d("2026-10-24")
        );
        assert_eq!(
            danish_date(&at("2026-10-25T23:00:00+00:00")),
            d("2026-10-26")
        );
        assert_eq!(
            danish_date(&at("2026-10-25T22:59:59+00:00")),
            d("2026-10-25")
        );
    }

    #[test]
    fn today_at_half_past_midnight_is_the_danish_day() {
        // 00:30 in winter (CET, +01:00) is 23:30 UTC the day before.
        let winter: DateTime<Utc> = "2027-01-01T00:30:00+01:00".parse().unwrap();
        assert_eq!(winter.date_naive(), d("2026-12-31"));
        assert_eq!(today_of(&winter), d("2027-01-01"));
        // 00:30 in summer (CEST, +02:00) is 22:30 UTC the day before.
        let summer: DateTime<Utc> = "2026-07-15T00:30:00+02:00".parse().unwrap();
        assert_eq!(summer.date_naive(), d("2026-07-14"));
        assert_eq!(today_of(&summer), d("2026-07-15"));
    }

    #[test]
    fn a_recorded_time_is_shown_on_the_copenhagen_clock() {
        // Winter (+01:00) and summer (+02:00): the UTC time would be an hour or two early,
        // and just before midnight UTC a day early.
        assert_eq!(
            at("2026-12-05T10:26:00Z").danish_minute(),
            "2026-12-05 11:26"
        );
        assert_eq!(
            at("2026-07-05T10:26:00Z").danish_minute(),
            "2026-07-05 12:26"
        );
        assert_eq!(
            at("2026-12-31T23:30:00Z").danish_minute(),
            "2027-01-01 00:30"
        );
    }
}
