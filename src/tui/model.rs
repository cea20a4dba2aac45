//! The queue's row model: each case reduced once to sanitised, masked strings, its clocks and
//! folded search text, so drawing and filtering never look at an enquiry again.

use super::action::View;
use crate::domain::calendar::Calendar;
use crate::domain::case::{Case, CaseRecord, Status};
use crate::domain::category::DataCategory;
use crate::domain::clock::{self, Countdown, RetentionState};
use crate::domain::detect::{find_cprs, mask_cpr, parse_cpr};
use crate::domain::enquiry::{Channel, Reference};
use crate::domain::policy::Policy;
use crate::domain::sanitize::{sanitize_line, sanitize_text};
use chrono::NaiveDate;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use std::cmp::Ordering;

/// The deadline the queue shows for a case: its answer clock while open, its retention
/// step once one is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    Answer {
        countdown: Countdown,
        due: NaiveDate,
        paused: bool,
    },
    Retention(RetentionState),
    None,
}

/// How urgent a deadline is, for colour and for the marks that stand in for colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    Overdue,
    Today,
    Soon,
    Later,
    None,
}

/// Due within this many calendar days counts as "soon" (and puts a case in Due soon).
pub const SOON_DAYS: i64 = 5;

impl Deadline {
    /// Smaller is more urgent. Retention steps that are due sort after every running
    /// answer deadline up to about a year: they have no requester waiting.
    pub fn sort_key(&self) -> i64 {
        match self {
            Deadline::Answer { countdown, .. } => countdown.sort_key(),
            Deadline::Retention(_) => 5 * 366,
            Deadline::None => i64::MAX,
        }
    }

    pub fn urgency(&self) -> Urgency {
        match self {
            Deadline::Answer { countdown, .. } => match countdown {
                Countdown::Overdue { .. } => Urgency::Overdue,
                Countdown::DueToday => Urgency::Today,
                // Sort keys are in fifths of a calendar day.
                c if c.sort_key() <= SOON_DAYS * 5 => Urgency::Soon,
                _ => Urgency::Later,
            },
            Deadline::Retention(_) => Urgency::Soon,
            Deadline::None => Urgency::None,
        }
    }
}

/// One case as the queue draws it. Every string is sanitised and CPR numbers are masked.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub reference: Reference,
    pub reference_text: String,
    pub received: NaiveDate,
    pub channel: Channel,
    pub sender: String,
    pub subject: String,
    /// (category, confirmed): CPR, Art. 9 and Art. 10 only.
    pub badges: Vec<(DataCategory, bool)>,
    pub status: Status,
    pub assignee: Option<String>,
    pub deadline: Deadline,
    pub retention: Option<RetentionState>,
    pub version: u64,
    /// Folded reference, sender and subject: the same characters as drawn, lower-cased one
    /// for one, so a match's character positions are the drawn ones.
    pub hay: [String; 3],
    /// Folded body, CPR numbers masked.
    pub hay_body: String,
}

/// Lower-cases every character to one character (the first of its lower-case form), so
/// positions in the folded string are positions in the original. "Å" → "å", "Ø" → "ø".
pub fn fold(s: &str) -> String {
    // Every row's body is folded once at start: keep the common ASCII path cheap.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c.to_lowercase().next().unwrap_or(c));
        }
    }
    out
}

/// Every CPR number in `s` masked to `DDMMYY-XXXX`.
pub fn mask_cprs(s: &str) -> String {
    let hits = find_cprs(s);
    if hits.is_empty() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for h in hits {
        out.push_str(&s[at..h.start]);
        out.push_str(&mask_cpr(&s[h.start..h.end]));
        at = h.end;
    }
    out.push_str(&s[at..]);
    out
}

/// One line of untrusted text as the queue may draw it: CPR numbers masked, then sanitised.
pub fn display_line(s: &str) -> String {
    let s = s.trim();
    if parse_cpr(s).is_some() {
        return mask_cpr(s);
    }
    sanitize_line(&mask_cprs(s)).into_owned()
}

/// The queue row of a stored case; None for an erased one (only its tombstone is left).
pub fn row_of(
    record: &CaseRecord,
    policy: &Policy,
    cal: &Calendar,
    today: NaiveDate,
) -> Option<Row> {
    let case = record.live()?;
    Some(row_of_case(case, policy, cal, today))
}

pub fn row_of_case(case: &Case, policy: &Policy, cal: &Calendar, today: NaiveDate) -> Row {
    let retention = clock::retention_clock(case, policy, today).map(|r| r.state);
    let deadline = match clock::answer_clock(case, policy, cal, today) {
        Some(a) => Deadline::Answer {
            countdown: a.countdown,
            due: a.due,
            paused: a.paused,
        },
        None => match retention {
            Some(
                s @ (RetentionState::HandoverDue
                | RetentionState::DeletionDue
                | RetentionState::AssessmentDue),
            ) => Deadline::Retention(s),
            _ => Deadline::None,
        },
    };
    let reference_text = case.reference.to_string();
    let sender = display_line(&case.enquiry.sender.name);
    let subject = display_line(&case.enquiry.subject);
    let hay = [fold(&reference_text), fold(&sender), fold(&subject)];
    Row {
        reference: case.reference,
        received: case.enquiry.received.date_naive(),
        channel: case.enquiry.channel,
        badges: case.badges(),
        status: case.status,
        assignee: case
            .assignee
            .as_deref()
            .map(|a| sanitize_line(a).into_owned()),
        deadline,
        retention,
        version: case.version,
        hay_body: fold(&sanitize_text(&mask_cprs(&case.enquiry.body))),
        reference_text,
        sender,
        subject,
        hay,
    }
}

/// Whether a row belongs in a view, for the user `me`.
pub fn in_view(row: &Row, view: View, me: &str) -> bool {
    match view {
        View::New => row.status == Status::New,
        View::Mine => row.assignee.as_deref() == Some(me) && row.status.is_open(),
        View::DueSoon => {
            matches!(row.deadline, Deadline::Answer { .. })
                && row.deadline.urgency() <= Urgency::Soon
        }
        View::Routed => row.status == Status::Routed,
        View::RetentionDue => matches!(
            row.retention,
            Some(
                RetentionState::HandoverDue
                    | RetentionState::DeletionDue
                    | RetentionState::AssessmentDue
            )
        ),
        View::All => true,
    }
}

/// Columns the queue sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Urgency,
    Reference,
    Received,
    Sender,
    Subject,
    Status,
    Assignee,
}

impl SortKey {
    pub const ALL: [SortKey; 7] = [
        SortKey::Urgency,
        SortKey::Reference,
        SortKey::Received,
        SortKey::Sender,
        SortKey::Subject,
        SortKey::Status,
        SortKey::Assignee,
    ];

    pub fn next(self) -> SortKey {
        let i = SortKey::ALL.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ALL[(i + 1) % SortKey::ALL.len()]
    }

    /// Ties fall back to the reference, so the order is stable and total.
    pub fn compare(self, a: &Row, b: &Row) -> Ordering {
        let primary = match self {
            SortKey::Urgency => a.deadline.sort_key().cmp(&b.deadline.sort_key()),
            SortKey::Reference => Ordering::Equal,
            SortKey::Received => a.received.cmp(&b.received),
            SortKey::Sender => a.hay[1].cmp(&b.hay[1]),
            SortKey::Subject => a.hay[2].cmp(&b.hay[2]),
            SortKey::Status => a.status.cmp(&b.status),
            SortKey::Assignee => a.assignee.cmp(&b.assignee),
        };
        primary.then(a.reference.cmp(&b.reference))
    }
}

/// A compiled filter: each word must match, fuzzily in the reference, sender or subject, or
/// as written in the body (fuzzy matching over a whole letter matches nearly anything).
#[derive(Default)]
pub struct Filter {
    terms: Vec<String>,
    matcher: SkimMatcherV2,
}

impl Filter {
    pub fn new(text: &str) -> Filter {
        Filter {
            terms: fold(text).split_whitespace().map(str::to_string).collect(),
            matcher: SkimMatcherV2::default().ignore_case(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The row's score (higher is better), or None when a word matches nowhere.
    pub fn score(&self, row: &Row) -> Option<i64> {
        let mut total = 0;
        for term in &self.terms {
            let fields = row
                .hay
                .iter()
                .filter_map(|h| self.matcher.fuzzy_match(h, term))
                .max();
            let body = row.hay_body.contains(term.as_str()).then_some(1);
            total += fields.or(body)?;
        }
        Some(total)
    }

    /// The score of one folded text (higher is better), or None when a word misses it.
    pub fn score_text(&self, folded: &str) -> Option<i64> {
        self.terms
            .iter()
            .map(|t| self.matcher.fuzzy_match(folded, t))
            .sum()
    }

    /// Character positions in `folded` that the filter's words match, for highlighting.
    pub fn positions(&self, folded: &str) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .terms
            .iter()
            .filter_map(|t| self.matcher.fuzzy_indices(folded, t))
            .flat_map(|(_, idx)| idx)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_positions_and_matches_danish_letters() {
        assert_eq!(fold("ÆBLE Øst Åse"), "æble øst åse");
        assert_eq!(fold("İx").chars().count(), "İx".chars().count());
        let f = Filter::new("ÅSE");
        let row_hay = fold("Åse Sørensen");
        assert!(f.positions(&row_hay) == vec![0, 1, 2]);
        let f = Filter::new("sør");
        assert!(!f.positions(&row_hay).is_empty());
    }

    #[test]
    fn cprs_are_masked_in_lines() {
        assert_eq!(display_line("120385-1234"), "120385-XXXX");
        assert_eq!(
            display_line("Ang. 1203851234 og mere"),
            "Ang. 120385-XXXX og mere"
        );
        assert_eq!(display_line("Hello\u{1b}[2J"), "Hello\u{FFFD}");
    }
}
