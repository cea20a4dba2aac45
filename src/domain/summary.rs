//! The queue's view of a live case: a small record kept in its own index, so the queue can
//! be drawn without reading every enquiry. Erased cases leave the queue.
//!
//! A summary is written in the same transaction as its case, so it is as current as the
//! case. It carries the case's clocks in a form that can be read on any later day without
//! the case: the answer deadline (or the countdown frozen by a pause) and the days on which
//! the retention state changes.

use super::calendar::Calendar;
use super::case::{Case, Status};
use super::category::DataCategory;
use super::clock::{self, Countdown, RetentionState, Unit};
use super::cpr::mask_cprs;
use super::enquiry::{Channel, Reference};
use super::policy::Policy;
use super::sanitize::sanitize_line;
use chrono::{DateTime, Days, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// Longest subject kept in a summary; the case pane shows the whole one.
pub const SUBJECT_CHARS: usize = 120;
/// Longest sender name kept in a summary.
pub const SENDER_CHARS: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub reference: Reference,
    pub received: DateTime<FixedOffset>,
    pub channel: Channel,
    /// Sanitised, CPR numbers masked.
    pub sender: String,
    /// Sanitised, CPR numbers masked, at most SUBJECT_CHARS.
    pub subject: String,
    /// (category, confirmed) for the badge column: CPR, Art. 9, Art. 10.
    pub badges: Vec<(DataCategory, bool)>,
    pub status: Status,
    pub assignee: Option<String>,
    pub purpose: Option<String>,
    /// The answer clock while the case is open and has one.
    pub clock: Option<SummaryClock>,
    /// The retention state from each day on, oldest first: the state on the day the
    /// summary was written, then each later change. Empty without a known purpose.
    pub retention: Vec<(NaiveDate, RetentionState)>,
    pub restricted: bool,
    pub version: u64,
}

/// An answer clock that can be read on any day: without a pause the countdown follows from
/// the deadline; a pause freezes it as it stood when the pause began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryClock {
    pub due: NaiveDate,
    pub unit: Unit,
    /// Set while paused: the countdown does not tick.
    pub frozen: Option<Countdown>,
}

impl SummaryClock {
    pub fn countdown(&self, cal: &Calendar, today: NaiveDate) -> Countdown {
        self.frozen
            .unwrap_or_else(|| Countdown::between(today, self.due, self.unit, cal))
    }
}

fn clip(s: &str, chars: usize) -> String {
    let clean = sanitize_line(&mask_cprs(s.trim())).into_owned();
    if clean.chars().count() <= chars {
        return clean;
    }
    let mut t: String = clean.chars().take(chars - 1).collect();
    t.push('…');
    t
}

/// One line of untrusted text as the queue may draw it: CPR numbers masked, then sanitised.
pub fn display_line(s: &str) -> String {
    let s = s.trim();
    if super::cpr::parse_cpr(s).is_some() {
        return super::cpr::mask_cpr(s);
    }
    sanitize_line(&mask_cprs(s)).into_owned()
}

impl CaseSummary {
    /// The summary of `case` as of `day` (the day it is written).
    pub fn new(case: &Case, policy: &Policy, cal: &Calendar, day: NaiveDate) -> CaseSummary {
        let clock = clock::answer_clock(case, policy, cal, day).map(|a| SummaryClock {
            due: a.due,
            unit: clock::unit_of(a.rule),
            frozen: a.paused.then_some(a.countdown),
        });
        CaseSummary {
            reference: case.reference,
            received: case.enquiry.received,
            channel: case.enquiry.channel,
            sender: {
                let s = display_line(&case.enquiry.sender.name);
                if s.chars().count() > SENDER_CHARS {
                    clip(&s, SENDER_CHARS)
                } else {
                    s
                }
            },
            subject: clip(&case.enquiry.subject, SUBJECT_CHARS),
            badges: case.badges(),
            status: case.status,
            // As stored: the server compares it with logins. Sanitised where it is drawn.
            assignee: case.assignee.clone(),
            purpose: case.purpose.clone(),
            clock,
            retention: retention_steps(case, policy, day),
            restricted: case.restriction.is_some(),
            version: case.version,
        }
    }

    /// The answer deadline while open (None: no clock).
    pub fn due(&self) -> Option<NaiveDate> {
        self.clock.map(|c| c.due)
    }

    /// The retention state on `today` (None: no known purpose). A day before the summary
    /// was written reads as that day.
    pub fn retention_on(&self, today: NaiveDate) -> Option<RetentionState> {
        let mut state = self.retention.first()?.1;
        for (from, s) in &self.retention[1..] {
            if *from <= today {
                state = *s;
            }
        }
        Some(state)
    }
}

/// The retention state on `day` and on each later day it changes. It changes only when a
/// step falls due: the day after the archive period ends, and the day deletion (or a review)
/// falls due. Commands (closing, handover, hold, assessment) rewrite the summary anyway.
fn retention_steps(
    case: &Case,
    policy: &Policy,
    day: NaiveDate,
) -> Vec<(NaiveDate, RetentionState)> {
    let Some(now) = clock::retention_clock(case, policy, day) else {
        return Vec::new();
    };
    let mut steps = vec![(day, now.state)];
    let mut candidates: Vec<NaiveDate> = [
        now.handover_due
            .and_then(|d| d.checked_add_days(Days::new(1))),
        now.deletion_due,
    ]
    .into_iter()
    .flatten()
    .filter(|d| *d > day)
    .collect();
    candidates.sort();
    candidates.dedup();
    for d in candidates {
        if let Some(c) = clock::retention_clock(case, policy, d) {
            if steps.last().is_some_and(|(_, s)| *s != c.state) {
                steps.push((d, c.state));
            }
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{Pause, Stamp};
    use crate::domain::fixtures;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The summary, written on one day, must read on every later day as the clocks read
    /// the whole case on that day: it is what the queue shows instead of the case.
    #[test]
    fn the_answer_clock_reads_the_same_from_the_summary_on_every_later_day() {
        let policy = fixtures::policy();
        let cal = Calendar::from_policy(&policy);
        for purpose in ["citizen-enquiries", "data-subject-rights"] {
            let mut case = fixtures::case("2026-12-18T09:00:00+01:00", "x");
            case.purpose = Some(purpose.into());
            let written = day("2026-12-18");
            let s = CaseSummary::new(&case, &policy, &cal, written);
            let c = s.clock.expect("an open case with a rule has a clock");
            assert_eq!(c.frozen, None);
            for n in 0..70 {
                let d = written + chrono::Days::new(n);
                let whole = clock::answer_clock(&case, &policy, &cal, d).unwrap();
                assert_eq!(c.countdown(&cal, d), whole.countdown, "{purpose} on {d}");
                assert_eq!(c.due, whole.due);
            }
        }
    }

    #[test]
    fn a_paused_clock_stays_frozen_in_the_summary() {
        let policy = fixtures::policy();
        let cal = Calendar::from_policy(&policy);
        let mut case = fixtures::case("2026-11-02T09:00:00+01:00", "x");
        case.purpose = Some("citizen-enquiries".into());
        case.clock.pauses.push(Pause {
            reason: "identity".into(),
            from: fixtures::at("2026-11-05T10:00:00Z"),
            until: None,
            by: "anne".into(),
        });
        let written = day("2026-11-06");
        let s = CaseSummary::new(&case, &policy, &cal, written);
        let c = s.clock.unwrap();
        assert!(c.frozen.is_some());
        for n in 0..30 {
            let d = written + chrono::Days::new(n);
            let whole = clock::answer_clock(&case, &policy, &cal, d).unwrap();
            assert_eq!(c.countdown(&cal, d), whole.countdown, "{d}");
        }
    }

    #[test]
    fn retention_reads_the_same_from_the_summary_for_decades() {
        let policy = fixtures::policy();
        let cal = Calendar::from_policy(&policy);
        let mut case = fixtures::case("2026-01-05T09:00:00+01:00", "x");
        case.purpose = Some("citizen-enquiries".into());
        case.status = Status::Closed;
        case.closed = Some(Stamp {
            by: "anne".into(),
            at: fixtures::at("2026-02-01T09:00:00Z"),
        });
        let written = day("2026-02-02");
        let s = CaseSummary::new(&case, &policy, &cal, written);
        assert!(s.clock.is_none(), "a closed case has no answer clock");
        assert!(s.retention.len() >= 2, "a handover falls due later: {s:?}");
        let mut d = written;
        while d < day("2050-01-01") {
            let whole = clock::retention_clock(&case, &policy, d).map(|c| c.state);
            assert_eq!(s.retention_on(d), whole, "{d}");
            d = d + chrono::Days::new(17);
        }
        // Around the step itself, to the day.
        let (from, _) = s.retention[1];
        for d in [from.pred_opt().unwrap(), from, from.succ_opt().unwrap()] {
            let whole = clock::retention_clock(&case, &policy, d).map(|c| c.state);
            assert_eq!(s.retention_on(d), whole, "{d}");
        }
    }

    #[test]
    fn summary_text_is_sanitised_and_masked() {
        let policy = fixtures::policy();
        let cal = Calendar::from_policy(&policy);
        let mut case = fixtures::case("2026-11-02T09:00:00+01:00", "x");
        case.enquiry.subject = "Ang. 1203851234\u{1b}[2J \u{202e}evil".into();
        case.enquiry.sender.name = "120385-1234".into();
        let s = CaseSummary::new(&case, &policy, &cal, day("2026-11-02"));
        assert!(s.subject.contains("120385-XXXX"), "{}", s.subject);
        assert!(!s.subject.contains('\u{1b}') && !s.subject.contains('\u{202e}'));
        assert_eq!(s.sender, "120385-XXXX");
    }
}
