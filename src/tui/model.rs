//! The queue's row model: each case reduced once to sanitised, masked strings, its clocks and
//! folded search text, so drawing and filtering never look at an enquiry again.

use super::action::View;
use crate::domain::calendar::Calendar;
use crate::domain::case::{Case, CaseRecord, Status};
use crate::domain::category::DataCategory;
use crate::domain::clock::{Countdown, RetentionState};
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::{Channel, Reference};
use crate::domain::policy::Policy;
use crate::domain::sanitize::sanitize_line;
use crate::domain::summary::{CaseSummary, SUBJECT_CHARS};
use chrono::{Datelike, NaiveDate};
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

pub use crate::domain::cpr::mask_cprs;
pub use crate::domain::summary::display_line;

/// Lower-cases every character to one character (the first of its lower-case form), so
/// positions in the folded string are positions in the original. "Å" → "å", "Ø" → "ø".
pub fn fold(s: &str) -> String {
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

/// The badge column of a row: which of CPR, Art. 9 and Art. 10 categories are there, and
/// which of those staff confirmed. Two bit sets instead of a list: a million rows stay small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Badges {
    present: u16,
    confirmed: u16,
}

impl Badges {
    pub fn of(list: &[(DataCategory, bool)]) -> Badges {
        let mut b = Badges::default();
        for (c, confirmed) in list {
            let bit = 1u16 << (*c as u16);
            b.present |= bit;
            if *confirmed {
                b.confirmed |= bit;
            }
        }
        b
    }

    /// (category, confirmed), in category order.
    pub fn iter(&self) -> impl Iterator<Item = (DataCategory, bool)> + '_ {
        DataCategory::ALL.into_iter().filter_map(|c| {
            let bit = 1u16 << (c as u16);
            (self.present & bit != 0).then_some((c, self.confirmed & bit != 0))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.present == 0
    }
}

/// One case as the queue draws it, made from its summary. Every string is sanitised and
/// CPR numbers are masked. Kept small: the queue holds one per live case.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub reference: Reference,
    pub received: NaiveDate,
    pub channel: Channel,
    pub status: Status,
    pub badges: Badges,
    assignee: Option<Box<str>>,
    pub deadline: Deadline,
    pub retention: Option<RetentionState>,
    pub version: u64,
    /// "reference␟sender␟subject", then for text that is not ASCII "␞" and the same folded:
    /// one allocation per row, and the haystack the filter matches.
    text: Box<str>,
    /// Ends of the reference, the sender and the subject in `text`.
    ends: [u16; 3],
}

const FIELD_SEP: char = '\u{1f}';
const FOLD_SEP: char = '\u{1e}';

impl Row {
    pub fn from_summary(s: &CaseSummary, cal: &Calendar, today: NaiveDate) -> Row {
        let retention = s.retention_on(today);
        let deadline = match s.clock {
            Some(c) => Deadline::Answer {
                countdown: c.countdown(cal, today),
                due: c.due,
                paused: c.frozen.is_some(),
            },
            None => match retention {
                Some(
                    st @ (RetentionState::HandoverDue
                    | RetentionState::DeletionDue
                    | RetentionState::AssessmentDue),
                ) => Deadline::Retention(st),
                _ => Deadline::None,
            },
        };
        // Summaries are sanitised when written; again here, as the text came from a store
        // or a server this code did not write. Fields are cut short of u16 offsets.
        let clean = |t: &str| -> String {
            let c = sanitize_line(t).replace([FIELD_SEP, FOLD_SEP], " ");
            if c.len() > 4096 {
                c.chars().take(SUBJECT_CHARS).collect()
            } else {
                c
            }
        };
        let sender = clean(&s.sender);
        let subject = clean(&s.subject);
        let reference = s.reference.to_string();
        let mut text = String::with_capacity(reference.len() + sender.len() + subject.len() + 2);
        text.push_str(&reference);
        let a = text.len();
        text.push(FIELD_SEP);
        text.push_str(&sender);
        let b = text.len();
        text.push(FIELD_SEP);
        text.push_str(&subject);
        let c = text.len();
        if !text.is_ascii() {
            let folded = fold(&text);
            text.push(FOLD_SEP);
            text.push_str(&folded);
        }
        Row {
            reference: s.reference,
            received: s.received.danish_day(),
            channel: s.channel,
            status: s.status,
            badges: Badges::of(&s.badges),
            assignee: s
                .assignee
                .as_deref()
                .map(|a| sanitize_line(a).into_owned().into_boxed_str()),
            deadline,
            retention,
            version: s.version,
            text: text.into_boxed_str(),
            ends: [a as u16, b as u16, c as u16],
        }
    }

    /// The row of a case read whole (after a change), through the same summary the store
    /// keeps, so a row never depends on where it came from.
    pub fn of_case(case: &Case, policy: &Policy, cal: &Calendar, today: NaiveDate) -> Row {
        Row::from_summary(&CaseSummary::new(case, policy, cal, today), cal, today)
    }

    fn field(&self, k: usize) -> &str {
        let [a, b, c] = self.ends.map(usize::from);
        let (from, to) = match k {
            0 => (0, a),
            1 => (a + 1, b),
            _ => (b + 1, c),
        };
        self.text.get(from..to).unwrap_or("")
    }

    pub fn reference_text(&self) -> &str {
        self.field(0)
    }

    pub fn sender(&self) -> &str {
        self.field(1)
    }

    pub fn subject(&self) -> &str {
        self.field(2)
    }

    pub fn assignee(&self) -> Option<&str> {
        self.assignee.as_deref()
    }

    /// Reference, sender and subject, lower-cased where not ASCII: what the filter matches
    /// (the matcher ignores ASCII case itself).
    pub fn hay(&self) -> &str {
        let c = usize::from(self.ends[2]);
        match self.text.get(c..) {
            Some(rest) if !rest.is_empty() => &rest[FOLD_SEP.len_utf8()..],
            _ => self.text.get(..c).unwrap_or(""),
        }
    }
}

/// The queue row of a stored case; None for an erased one (only its tombstone is left).
pub fn row_of(
    record: &CaseRecord,
    policy: &Policy,
    cal: &Calendar,
    today: NaiveDate,
) -> Option<Row> {
    Some(Row::of_case(record.live()?, policy, cal, today))
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
        // Every closed case on its way out: the step shows where it stands.
        View::RetentionDue => row.retention.is_some_and(|r| r != RetentionState::Open),
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
            SortKey::Sender => folded_cmp(a.sender(), b.sender()),
            SortKey::Subject => folded_cmp(a.subject(), b.subject()),
            SortKey::Status => a.status.cmp(&b.status),
            SortKey::Assignee => a.assignee.cmp(&b.assignee),
        };
        primary.then(a.reference.cmp(&b.reference))
    }
}

/// Whether the characters of `term` (folded) occur in `hay` in order, ignoring ASCII case:
/// the matcher's own first test, without its allocation.
fn subsequence(hay: &str, term: &str) -> bool {
    if hay.is_ascii() && term.is_ascii() {
        let mut h = hay.bytes();
        return term.bytes().all(|t| h.any(|c| c.eq_ignore_ascii_case(&t)));
    }
    let mut h = hay.chars();
    term.chars().all(|t| h.any(|c| c.eq_ignore_ascii_case(&t)))
}

/// A row's order under `sort` as two numbers (the sort's own key, then the reference), so
/// that sorting compares integers. Names sort by their first eight folded bytes; rows
/// that share those fall back to the reference.
pub fn sort_key(row: &Row, sort: SortKey) -> (u64, u64) {
    // i64 → u64 keeping the order.
    let signed = |n: i64| (n as u64) ^ (1 << 63);
    let prefix = |s: &str| -> u64 {
        let mut b = [0u8; 8];
        let mut n = 0;
        for c in s.chars().map(|c| c.to_lowercase().next().unwrap_or(c)) {
            let mut buf = [0u8; 4];
            for &x in c.encode_utf8(&mut buf).as_bytes() {
                if n == 8 {
                    return u64::from_be_bytes(b);
                }
                b[n] = x;
                n += 1;
            }
        }
        u64::from_be_bytes(b)
    };
    let primary = match sort {
        SortKey::Urgency => signed(row.deadline.sort_key()),
        SortKey::Reference => 0,
        SortKey::Received => signed(i64::from(row.received.num_days_from_ce())),
        SortKey::Sender => prefix(row.sender()),
        SortKey::Subject => prefix(row.subject()),
        SortKey::Status => row.status as u64,
        SortKey::Assignee => match row.assignee() {
            None => 0,
            Some(a) => prefix(a).saturating_add(1),
        },
    };
    let r = (u64::from(row.reference.year) << 32) | u64::from(row.reference.seq);
    (primary, r)
}

/// Case-insensitive order without allocating: sorting a million rows compares often.
fn folded_cmp(a: &str, b: &str) -> Ordering {
    let low = |c: char| c.to_lowercase().next().unwrap_or(c);
    a.chars().map(low).cmp(b.chars().map(low))
}

/// A compiled filter: each word must match, fuzzily, in the reference, sender and subject
/// (what the queue shows). Enquiry bodies stay in the store: a million of them do not fit
/// in memory, and fuzzy matching over a whole letter matches nearly anything.
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
        let hay = row.hay();
        let mut total = 0;
        for term in &self.terms {
            // A word must match within one field (a match strewn across fields is none).
            // The matcher allocates per call: a plain subsequence test first rules out
            // most fields without it.
            total += hay
                .split(FIELD_SEP)
                .filter(|f| subsequence(f, term))
                .filter_map(|f| self.matcher.fuzzy_match(f, term))
                .max()?;
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
    fn plain_sort_keys_order_rows_as_the_comparison_does() {
        use crate::domain::fixtures;
        let policy = fixtures::policy();
        let cal = Calendar::from_policy(&policy);
        let today: NaiveDate = "2026-11-24".parse().unwrap();
        let people = ["Øster", "anne", "Bent", "åse", "Carl", "bo"];
        let rows: Vec<Row> = people
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mut c = fixtures::case(&format!("2026-11-{:02}T09:00:00+01:00", 20 - i), "x");
                c.reference = Reference::new(2026, 10 - i as u32);
                c.enquiry.sender.name = name.to_string();
                c.enquiry.subject = people[(i + 2) % people.len()].to_string();
                if i % 2 == 0 {
                    c.purpose = Some("citizen-enquiries".into());
                }
                if i % 3 == 0 {
                    c.assignee = Some(name.to_lowercase());
                }
                Row::of_case(&c, &policy, &cal, today)
            })
            .collect();
        for sort in SortKey::ALL {
            let mut by_compare: Vec<&Row> = rows.iter().collect();
            by_compare.sort_by(|a, b| sort.compare(a, b));
            let mut by_key: Vec<&Row> = rows.iter().collect();
            by_key.sort_by_key(|r| sort_key(r, sort));
            let refs = |v: &[&Row]| v.iter().map(|r| r.reference).collect::<Vec<_>>();
            assert_eq!(refs(&by_key), refs(&by_compare), "{sort:?}");
        }
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
