//! The queue's view of a live case: a small record kept in its own index, so the queue can
//! be drawn without reading every enquiry. Erased cases leave the queue.

use super::case::{Case, Status};
use super::category::DataCategory;
use super::enquiry::{Channel, Reference};
use super::sanitize::sanitize_line;
use chrono::{DateTime, FixedOffset, NaiveDate};
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
    /// Sanitised, and masked where the sender field holds a CPR number.
    pub sender: String,
    /// Sanitised, at most SUBJECT_CHARS.
    pub subject: String,
    /// (category, confirmed) for the badge column: CPR, Art. 9, Art. 10.
    pub badges: Vec<(DataCategory, bool)>,
    pub status: Status,
    pub assignee: Option<String>,
    pub purpose: Option<String>,
    /// The answer deadline when the summary was written (None: no clock, or not open).
    pub due: Option<NaiveDate>,
    pub restricted: bool,
    pub version: u64,
}

fn clip(s: &str, chars: usize) -> String {
    let clean = sanitize_line(s);
    if clean.chars().count() <= chars {
        return clean.into_owned();
    }
    let mut t: String = clean.chars().take(chars - 1).collect();
    t.push('…');
    t
}

impl CaseSummary {
    pub fn of_case(case: &Case, due: Option<NaiveDate>) -> CaseSummary {
        let sender = case.enquiry.sender.name.trim();
        let sender = if super::detect::parse_cpr(sender).is_some() {
            super::detect::mask_cpr(sender)
        } else {
            clip(sender, SENDER_CHARS)
        };
        CaseSummary {
            reference: case.reference,
            received: case.enquiry.received,
            channel: case.enquiry.channel,
            sender,
            subject: clip(&case.enquiry.subject, SUBJECT_CHARS),
            badges: case.badges(),
            status: case.status,
            assignee: case.assignee.clone(),
            purpose: case.purpose.clone(),
            due: if case.status.is_open() { due } else { None },
            restricted: case.restriction.is_some(),
            version: case.version,
        }
    }
}
