//! The audit chain: one entry per change or read, each holding the hash of the one before.
//!
//! Entries carry digests, never personal data, so erasing a case removes its data while
//! the chain still verifies.

use super::codec::{self, CodecError};
use crate::domain::enquiry::Reference;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub type Hash = [u8; 32];

/// The hash the first entry points back to.
pub const GENESIS: Hash = [0; 32];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub reference: Option<Reference>,
    /// The case version a change produced; 0 for reads.
    pub version: u64,
    pub action: String,
    /// blake3 of the encoded event or access record.
    pub digest: Hash,
    pub prev: Hash,
    /// The wall clock's own reading, kept only when it was behind the entry before: the
    /// entry then carries that entry's time, so no entry is ever dated before its
    /// predecessor, and the stepped-back reading stays on record. Stored as an optional tail
    /// after the pinned shape, so entries without it keep their bytes (and their hashes).
    #[serde(skip)]
    pub clock: Option<DateTime<Utc>>,
}

impl AuditEntry {
    /// The bytes stored and hashed: the pinned shape, then the clock reading if any.
    pub fn encode(&self) -> Result<Vec<u8>, CodecError> {
        let mut bytes = codec::encode(self)?;
        if let Some(clock) = &self.clock {
            bytes.extend(codec::encode_tail(clock)?);
        }
        Ok(bytes)
    }

    pub fn decode(bytes: &[u8]) -> Result<AuditEntry, CodecError> {
        let (mut entry, used): (AuditEntry, usize) = codec::decode_prefix(bytes)?;
        if used < bytes.len() {
            entry.clock = Some(codec::decode_tail(&bytes[used..])?);
        }
        Ok(entry)
    }

    pub fn hash(&self) -> Hash {
        // Encoding an in-memory entry cannot fail: every field is plain data.
        let bytes = self.encode().expect("audit entry encodes");
        *blake3::hash(&bytes).as_bytes()
    }
}

/// The time an entry is dated and the clock reading it keeps: never before `previous`
/// (a wall clock that stepped back is recorded at the head's time, with its reading kept).
pub fn stamp(
    previous: Option<DateTime<Utc>>,
    reading: DateTime<Utc>,
) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
    match previous {
        Some(p) if reading < p => (p, Some(reading)),
        _ => (reading, None),
    }
}

/// The chain's head as one line for a log, a backup manifest or paper:
/// `triage-audit-head seq=219 at=2026-12-01T09:14:03Z hash=9f…`. Kept off the machine, it
/// lets `audit verify --against` catch a rewrite of the whole chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadLine {
    pub seq: u64,
    pub at: Option<DateTime<Utc>>,
    pub hash: Hash,
}

const HEAD_WORD: &str = "triage-audit-head";

impl fmt::Display for HeadLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self
            .at
            .map(|a| a.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_else(|| "-".into());
        write!(
            f,
            "{HEAD_WORD} seq={} at={at} hash={}",
            self.seq,
            hex(&self.hash)
        )
    }
}

impl FromStr for HeadLine {
    type Err = String;

    /// Reads the line `Display` writes; anything around it (a syslog prefix) is ignored.
    fn from_str(s: &str) -> Result<HeadLine, String> {
        let start = s.find(HEAD_WORD).ok_or_else(|| {
            format!("not an audit head line: it should read `{HEAD_WORD} seq=N at=TIME hash=HEX` (from `triage audit head`)")
        })?;
        let (mut seq, mut at, mut hash) = (None, None, None);
        for word in s[start + HEAD_WORD.len()..].split_whitespace() {
            let (key, value) = word.split_once('=').unwrap_or((word, ""));
            match key {
                "seq" => seq = value.parse::<u64>().ok(),
                "at" if value == "-" => at = Some(None),
                "at" => {
                    at = DateTime::parse_from_rfc3339(value)
                        .ok()
                        .map(|t| Some(t.with_timezone(&Utc)))
                }
                "hash" => hash = unhex(value),
                _ => {}
            }
        }
        match (seq, at, hash) {
            (Some(seq), Some(at), Some(hash)) => Ok(HeadLine { seq, at, hash }),
            (None, _, _) => Err("the audit head line has no valid seq=N".into()),
            (_, None, _) => Err("the audit head line has no valid at=TIME (RFC 3339)".into()),
            (_, _, None) => Err("the audit head line has no valid hash= (64 hex digits)".into()),
        }
    }
}

fn unhex(s: &str) -> Option<Hash> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// Where the chain ends: the last sequence number and its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub seq: u64,
    pub hash: Hash,
}

impl Default for Head {
    fn default() -> Self {
        Head {
            seq: 0,
            hash: GENESIS,
        }
    }
}

pub fn digest(bytes: &[u8]) -> Hash {
    *blake3::hash(bytes).as_bytes()
}

/// The result of `triage audit verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub entries: u64,
    pub events_checked: u64,
    pub erased_cases: u64,
    /// The first problem found, naming the entry; None when the chain holds.
    pub first_broken: Option<Broken>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broken {
    pub seq: u64,
    pub problem: String,
}

pub fn hex(h: &Hash) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry(clock: Option<DateTime<Utc>>) -> AuditEntry {
        AuditEntry {
            seq: 7,
            at: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
            actor: "anne".into(),
            reference: Some(Reference::new(2026, 12)),
            version: 3,
            action: "note".into(),
            digest: [1; 32],
            prev: [2; 32],
            clock,
        }
    }

    /// A stepped-back clock's reading is a tail after the pinned bytes (see the golden test
    /// in `codec`): an entry without one keeps exactly the format-1 bytes.
    #[test]
    fn a_clock_reading_is_a_tail_after_the_pinned_bytes() {
        let bytes = entry(None).encode().unwrap();
        assert_eq!(bytes, codec::encode(&entry(None)).unwrap());
        let stepped = entry(Some(Utc.with_ymd_and_hms(2020, 1, 1, 9, 0, 0).unwrap()));
        let with_clock = stepped.encode().unwrap();
        assert!(
            with_clock.starts_with(&bytes),
            "the tail comes after the pinned shape"
        );
        assert_eq!(AuditEntry::decode(&with_clock).unwrap(), stepped);
        assert_eq!(AuditEntry::decode(&bytes).unwrap(), entry(None));
        assert_ne!(stepped.hash(), entry(None).hash());
        assert!(AuditEntry::decode(&[&with_clock[..], &[7]].concat()).is_err());
    }

    #[test]
    fn a_clock_behind_the_head_is_stamped_at_the_head() {
        let head = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let back = Utc.with_ymd_and_hms(2020, 1, 1, 9, 0, 0).unwrap();
        let later = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 1).unwrap();
        assert_eq!(stamp(Some(head), back), (head, Some(back)));
        assert_eq!(stamp(Some(head), later), (later, None));
        assert_eq!(stamp(Some(head), head), (head, None));
        assert_eq!(stamp(None, back), (back, None));
    }

    #[test]
    fn head_lines_round_trip_and_bad_ones_say_what_is_wrong() {
        let line = HeadLine {
            seq: 219,
            at: Some(Utc.with_ymd_and_hms(2026, 12, 1, 9, 14, 3).unwrap()),
            hash: [0xab; 32],
        };
        let text = line.to_string();
        assert!(text.starts_with("triage-audit-head seq=219 at=2026-12-01T09:14:03Z hash=abab"));
        assert_eq!(text.parse::<HeadLine>().unwrap(), line);
        // A syslog prefix in front is fine.
        assert_eq!(
            format!("Dec  1 09:14:03 host triage[12]: {text}")
                .parse::<HeadLine>()
                .unwrap(),
            line
        );
        assert!("seq=1"
            .parse::<HeadLine>()
            .unwrap_err()
            .contains("not an audit head line"));
        let short = text.replace(&hex(&[0xab; 32]), "abc");
        assert!(short.parse::<HeadLine>().unwrap_err().contains("hash"));
        let no_seq = text.replace("seq=219", "seq=x");
        assert!(no_seq.parse::<HeadLine>().unwrap_err().contains("seq"));
    }
}
