//! Subject identity: how a person is named, looked up in the subject index, and shown.

use super::*;

// ---------------------------------------------------------------------------------------
// Subject identifiers

/// How a person is looked up: the keys of the store's subject index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SubjectId {
    /// Ten digits, DDMMYYSSSS.
    Cpr(String),
    /// Lower-cased.
    Email(String),
    /// Lower-cased, whitespace collapsed.
    NameAddress { name: String, address: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a subject identifier: give cpr:DDMMYY-SSSS, email:someone@example.dk or \"name:Full Name|Street 1, 1234 Town\"")]
pub struct BadSubject(pub String);

impl SubjectId {
    /// Parses `cpr:…`, `email:…`, `name:NAME|ADDRESS`, or a bare CPR number or e-mail address.
    pub fn parse(s: &str) -> Result<SubjectId, BadSubject> {
        let bad = || BadSubject(s.to_string());
        let t = s.trim();
        if let Some(rest) = t.strip_prefix("cpr:") {
            return cpr_digits(rest).map(SubjectId::Cpr).ok_or_else(bad);
        }
        if let Some(rest) = t.strip_prefix("email:") {
            return email_norm(rest).map(SubjectId::Email).ok_or_else(bad);
        }
        if let Some(rest) = t.strip_prefix("name:") {
            let (name, address) = rest.split_once('|').ok_or_else(bad)?;
            let (name, address) = (words_norm(name), words_norm(address));
            if name.is_empty() || address.is_empty() {
                return Err(bad());
            }
            return Ok(SubjectId::NameAddress { name, address });
        }
        if let Some(d) = cpr_digits(t) {
            return Ok(SubjectId::Cpr(d));
        }
        email_norm(t).map(SubjectId::Email).ok_or_else(bad)
    }

    /// The key in the subject index (`cpr:DDMMYYSSSS`, `email:lower`, `name:name|address`).
    pub fn key(&self) -> String {
        match self {
            SubjectId::Cpr(d) => format!("cpr:{d}"),
            SubjectId::Email(m) => format!("email:{m}"),
            SubjectId::NameAddress { name, address } => format!("name:{name}|{address}"),
        }
    }

    /// A short digest of the key, for the audit log: the identifier itself is personal data.
    pub fn digest(&self) -> String {
        blake3::hash(self.key().as_bytes()).to_hex()[..16].to_string()
    }

    /// For the report's heading: the CPR number masked, the rest as given.
    pub fn shown(&self) -> String {
        match self {
            SubjectId::Cpr(d) => format!("{}-XXXX", &d[..6]),
            SubjectId::Email(m) => m.clone(),
            SubjectId::NameAddress { name, address } => format!("{name}, {address}"),
        }
    }
}

pub(super) fn words_norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Ten digits that form a plausible CPR number (a real day of birth), with or without the
/// hyphen; anything else is refused rather than guessed at.
fn cpr_digits(s: &str) -> Option<String> {
    let t = s.trim();
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    let shape_ok = t
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        && t.chars().filter(|c| *c == '-').count() <= 1;
    (shape_ok && digits.len() == 10 && plausible_birth_date(&digits)).then_some(digits)
}

fn email_norm(s: &str) -> Option<String> {
    let m = s.trim().to_lowercase();
    let (local, domain) = m.split_once('@')?;
    (!local.is_empty() && domain.contains('.') && !m.contains(char::is_whitespace)).then_some(m)
}

/// The index keys of a sender: CPR number, e-mail, name with address.
pub fn sender_keys(sender: &Sender) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(cpr) = &sender.cpr {
        let digits: String = cpr.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.len() == 10 {
            keys.push(format!("cpr:{digits}"));
        }
    }
    if let Some(mail) = &sender.email {
        let m = mail.trim().to_lowercase();
        if !m.is_empty() {
            keys.push(format!("email:{m}"));
        }
    }
    if let Some(addr) = &sender.address {
        let (name, addr) = (words_norm(&sender.name), words_norm(addr));
        if !name.is_empty() && !addr.is_empty() {
            keys.push(format!("name:{name}|{addr}"));
        }
    }
    keys
}

/// Every index key of an enquiry: the sender's, and the CPR numbers written in its subject
/// or text (the person mentioned is a data subject too).
pub fn enquiry_keys(e: &Enquiry) -> Vec<String> {
    let mut keys = sender_keys(&e.sender);
    for text in [&e.subject, &e.body] {
        for hit in cprs_in_text(text) {
            let k = format!("cpr:{}", hit.digits);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys
}

// ---------------------------------------------------------------------------------------
// Rights requests

/// The request `this` may repeat: the latest earlier request of the same person for the
/// same right received within `window_days` before it (same day: the lower reference is
/// the earlier). Later requests never count, so the first of a series is never flagged.
/// `others` are the person's other cases: (reference, right invoked, day received).
pub fn duplicate_of(
    this: Reference,
    right: RightKind,
    received: NaiveDate,
    window_days: u32,
    others: &[(Reference, Option<RightKind>, NaiveDate)],
) -> Option<Reference> {
    others
        .iter()
        .filter(|(reference, r, d)| {
            *r == Some(right)
                && (*d, *reference) < (received, this)
                && (received - *d).num_days() <= i64::from(window_days)
        })
        .max_by_key(|(reference, _, d)| (*d, *reference))
        .map(|(reference, _, _)| *reference)
}
