//! Reports as plain data: the Art. 15 access answer, the Art. 30 record, disclosures, deadlines and rulings, with Markdown in English or Danish.
//!
//! Everything here is pure: the CLI (or the interface) loads the cases, asks the clocks and
//! the audit log, and hands the results in. Every fixed text is in [`EN`] or [`DA`], one
//! table per language, so a translation is checked in one place.

use super::basis::{BasisKind, LegalBasis};
use super::case::{Case, Disclosure, DisclosureKind, Outcome, Ruling};
use super::category::DataCategory;
use super::clock::{self, RetentionState};
use super::cpr::{cprs_in_text, mask_cprs_except, plausible_birth_date};
use super::enquiry::{Channel, Enquiry, Language, Reference, RightKind, Sender};
use super::policy::{Policy, Recipient, Region, RetentionRule};
use super::sanitize::{sanitize_line, sanitize_text};
use crate::domain::danish_time::DanishDay;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeSet;

mod access;
mod access_md;
mod deadlines;
mod disclosures;
mod ropa;
mod ruling;
mod subject;
#[cfg(test)]
mod tests;
mod texts;

pub use access::*;
pub use access_md::*;
pub use deadlines::*;
pub use disclosures::*;
pub use ropa::*;
pub use ruling::*;
pub use subject::*;
pub use texts::*;

pub fn texts(lang: Language) -> &'static Texts {
    match lang {
        Language::En => &EN,
        Language::Da => &DA,
    }
}

fn lang_id(lang: Language) -> &'static str {
    match lang {
        Language::En => "en",
        Language::Da => "da",
    }
}

/// Fills `{key}` placeholders.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut s = template.to_string();
    for (k, v) in values {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// A date as a letter writes it: "24 November 2026", "24. november 2026".
pub fn long_date(d: NaiveDate, t: &Texts) -> String {
    fill(
        t.date_pattern,
        &[
            ("day", &d.day().to_string()),
            ("month", t.months[d.month0() as usize]),
            ("year", &d.year().to_string()),
        ],
    )
}

fn channel_name(c: Channel, t: &Texts) -> &'static str {
    let i = Channel::ALL.iter().position(|x| *x == c).unwrap_or(0);
    t.channels[i]
}

fn right_name(r: RightKind, t: &Texts) -> &'static str {
    let i = RightKind::ALL.iter().position(|x| *x == r).unwrap_or(0);
    t.right_names[i]
}

fn outcome_name(o: Outcome, t: &Texts) -> &'static str {
    match o {
        Outcome::Granted => t.granted,
        Outcome::PartlyGranted => t.partly_granted,
        Outcome::Refused => t.refused,
    }
}

fn category_name(c: DataCategory, lang: Language) -> &'static str {
    match lang {
        Language::En => c.name_en(),
        Language::Da => c.name_da(),
    }
}

fn citation(b: LegalBasis, lang: Language) -> String {
    match lang {
        Language::En => b.citation_en(),
        Language::Da => b.citation_da(),
    }
}

fn region_name(r: Region, t: &Texts) -> &'static str {
    match r {
        Region::Dk => t.regions[0],
        Region::EuEea => t.regions[1],
        Region::InternationalEuEea => t.regions[2],
        Region::ThirdCountry => t.regions[3],
    }
}

fn kind_name(k: DisclosureKind, t: &Texts) -> &'static str {
    match k {
        DisclosureKind::Disclosure => t.kinds[0],
        DisclosureKind::Forward => t.kinds[1],
        DisclosureKind::EmployerNotice => t.kinds[2],
    }
}

fn article_number(r: RightKind) -> &'static str {
    r.article().trim_start_matches("Art. ")
}

/// One line of untrusted text, safe for a terminal and a Markdown table.
fn line(s: &str) -> String {
    sanitize_line(s).trim().to_string()
}

fn md_escape_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn quote(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.trim().is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn md_section(out: &mut String, level: &str, s: &Section) {
    out.push_str(&format!("{level} {}\n\n", s.heading));
    for l in &s.lines {
        out.push_str(&format!("{l}\n\n"));
    }
}

fn md_list_section(out: &mut String, level: &str, s: &Section) {
    out.push_str(&format!("{level} {}\n\n", s.heading));
    for l in &s.lines {
        out.push_str(&format!("- {l}\n"));
    }
    out.push('\n');
}

/// "1 year", "5 years", "5 år".
pub fn years_text(n: u32, t: &Texts) -> String {
    format!("{n} {}", t.year_words[usize::from(n != 1)])
}

/// What the policy's retention rule means, in words: one text for the letter and the record.
fn retention_rule_text(policy: &Policy, rule: RetentionRule, t: &Texts) -> String {
    let years = years_text(policy.archive.period_years, t);
    let start = policy
        .archive_start()
        .map(|d| long_date(d, t))
        .unwrap_or_default();
    match rule {
        RetentionRule::ArchiveThenDelete => fill(
            t.retention_archive_delete,
            &[("years", &years), ("start", &start)],
        ),
        RetentionRule::ArchiveThenAssess => fill(
            t.retention_archive_assess,
            &[("years", &years), ("start", &start)],
        ),
        RetentionRule::DeleteAfterYears { years } => fill(
            t.retention_delete_years,
            &[("years", &years_text(years, t))],
        ),
    }
}

/// A moment as a letter writes it, in Danish time: "1. december 2026 kl. 10.15",
/// "1 December 2026 at 10:15 (Danish time)".
pub fn long_time(at: DateTime<Utc>, t: &Texts) -> String {
    let local = crate::domain::danish_time::in_copenhagen(&at);
    fill(
        t.time_pattern,
        &[
            ("date", &long_date(local.date_naive(), t)),
            ("time", &local.format(t.clock).to_string()),
        ],
    )
}

/// The language's code for a document's metadata: "da", "en".
pub fn lang_code(lang: Language) -> &'static str {
    lang_id(lang)
}
