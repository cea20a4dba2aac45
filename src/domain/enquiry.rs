//! The enquiry as it arrived: who sent it, how, when and what it says.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A case's reference number: per year and gap-free, written `2026-000123`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Reference {
    pub year: u16,
    pub seq: u32,
}

impl Reference {
    pub fn new(year: u16, seq: u32) -> Self {
        Reference { year, seq }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:06}", self.year, self.seq)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a case reference (expected YYYY-NNNNNN, e.g. 2026-000123)")]
pub struct BadReference(pub String);

impl FromStr for Reference {
    type Err = BadReference;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadReference(s.to_string());
        let (y, n) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || n.is_empty() || n.len() > 9 {
            return Err(bad());
        }
        if !y.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let seq: u32 = n.parse().map_err(|_| bad())?;
        if seq == 0 {
            return Err(bad());
        }
        Ok(Reference { year, seq })
    }
}

/// How the enquiry reached the authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// e-Boks / Digital Post.
    #[serde(rename = "e-boks")]
    EBoks,
    Email,
    Letter,
    Phone,
    ContactForm,
    InPerson,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::EBoks,
        Channel::Email,
        Channel::Letter,
        Channel::Phone,
        Channel::ContactForm,
        Channel::InPerson,
    ];

    pub fn as_id(self) -> &'static str {
        match self {
            Channel::EBoks => "e-boks",
            Channel::Email => "email",
            Channel::Letter => "letter",
            Channel::Phone => "phone",
            Channel::ContactForm => "contact-form",
            Channel::InPerson => "in-person",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_id())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Da,
    En,
}

/// The data-subject right an enquiry invokes (GDPR Art. 15–18, 21).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RightKind {
    Access,
    Rectification,
    Erasure,
    Restriction,
    Objection,
}

impl RightKind {
    pub const ALL: [RightKind; 5] = [
        RightKind::Access,
        RightKind::Rectification,
        RightKind::Erasure,
        RightKind::Restriction,
        RightKind::Objection,
    ];

    pub fn as_id(self) -> &'static str {
        match self {
            RightKind::Access => "access",
            RightKind::Rectification => "rectification",
            RightKind::Erasure => "erasure",
            RightKind::Restriction => "restriction",
            RightKind::Objection => "objection",
        }
    }

    pub fn article(self) -> &'static str {
        match self {
            RightKind::Access => "Art. 15",
            RightKind::Rectification => "Art. 16",
            RightKind::Erasure => "Art. 17",
            RightKind::Restriction => "Art. 18",
            RightKind::Objection => "Art. 21",
        }
    }
}

impl FromStr for RightKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RightKind::ALL
            .into_iter()
            .find(|r| r.as_id() == s)
            .ok_or_else(|| {
                format!(
                    "unknown right `{s}` (access, rectification, erasure, restriction, objection)"
                )
            })
    }
}

/// The person who wrote. Every field but the name is optional.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sender {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub cpr: Option<String>,
}

/// An enquiry as received. Its text is untrusted: sanitise before display.
// No `skip_serializing_if`: the store encodes with bincode, which has no field names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enquiry {
    pub received: DateTime<FixedOffset>,
    pub channel: Channel,
    pub sender: Sender,
    pub subject: String,
    pub body: String,
    #[serde(default)]
    pub attachments: Vec<String>,
    #[serde(default)]
    pub language: Language,
    /// Message-ID for e-mail; used to refuse duplicates on re-import.
    #[serde(default)]
    pub message_id: Option<String>,
    /// A purpose the source suggests; staff decide.
    #[serde(default)]
    pub purpose: Option<String>,
    /// The right invoked, for data-subject-rights enquiries.
    #[serde(default)]
    pub right: Option<RightKind>,
}

impl Enquiry {
    /// Key that makes a re-import of the same message a no-op. E-mail with a Message-ID:
    /// that and a digest of what the message says (not when it was read in, so an .eml and
    /// the same message in an mbox are one); else a digest of the content, the receipt
    /// time and who sent it (two people of one name who phoned the same minute with the
    /// same words are two enquiries).
    pub fn dedup_key(&self) -> String {
        match (self.message_id(), self.channel) {
            (Some(id), Channel::Email) => {
                let mut parts = vec![
                    self.sender.name.as_str(),
                    self.sender.email.as_deref().unwrap_or(""),
                    &self.subject,
                    self.body.trim_end(),
                ];
                parts.extend(self.attachments.iter().map(String::as_str));
                format!("mid:{id} sha:{}", Self::digest(&parts))
            }
            (Some(id), _) => format!("mid:{id}"),
            (None, _) => {
                let received = self.received.to_rfc3339();
                let s = &self.sender;
                let mut parts = vec![
                    received.as_str(),
                    self.channel.as_id(),
                    &s.name,
                    s.email.as_deref().unwrap_or(""),
                    s.phone.as_deref().unwrap_or(""),
                    s.address.as_deref().unwrap_or(""),
                    s.cpr.as_deref().unwrap_or(""),
                    &self.subject,
                    &self.body,
                ];
                parts.extend(self.attachments.iter().map(String::as_str));
                format!("sha2:{}", Self::digest(&parts))
            }
        }
    }

    /// For an enquiry without a Message-ID, the key versions before 2026-12-06 gave it (the
    /// content, the receipt time and the sender's name only); None for the others, whose key
    /// is unchanged. A store made then holds these: an import looks them up too, and takes
    /// a match for a duplicate only if the case holds the same `dedup_key`.
    pub fn legacy_dedup_key(&self) -> Option<String> {
        if self.message_id().is_some() {
            return None;
        }
        let received = self.received.to_rfc3339();
        let parts = [
            received.as_str(),
            self.channel.as_id(),
            &self.sender.name,
            &self.subject,
            &self.body,
        ];
        Some(format!("sha:{}", Self::digest(&parts)))
    }

    fn digest(parts: &[&str]) -> blake3::Hash {
        let mut h = blake3::Hasher::new();
        for part in parts {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        h.finalize()
    }

    /// For e-mail with a Message-ID, the key of that Message-ID alone: another message with
    /// it is registered all the same, flagged as a possible duplicate of the first.
    pub fn dedup_alias(&self) -> Option<String> {
        match self.channel {
            Channel::Email => self.message_id().map(|id| format!("mid:{id}")),
            _ => None,
        }
    }

    fn message_id(&self) -> Option<&str> {
        self.message_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_formats_and_parses() {
        let r = Reference::new(2026, 123);
        assert_eq!(r.to_string(), "2026-000123");
        assert_eq!("2026-000123".parse::<Reference>().unwrap(), r);
        assert_eq!("2026-123".parse::<Reference>().unwrap(), r);
        for bad in [
            "",
            "2026",
            "2026-",
            "26-000001",
            "2026-0000000000",
            "2026-00a001",
            "2026-000000",
            "-2026-1",
        ] {
            assert!(bad.parse::<Reference>().is_err(), "{bad}");
        }
    }

    #[test]
    fn references_sort_by_year_then_number() {
        let mut v = vec![
            Reference::new(2026, 2),
            Reference::new(2025, 900),
            Reference::new(2026, 1),
        ];
        v.sort();
        assert_eq!(
            v,
            vec![
                Reference::new(2025, 900),
                Reference::new(2026, 1),
                Reference::new(2026, 2)
            ]
        );
    }

    #[test]
    fn channel_ids_match_serde_names() {
        for c in Channel::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_id()));
        }
    }
}
