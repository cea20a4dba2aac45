//! The audit chain: one entry per change or read, each holding the hash of the one before.
//!
//! Entries carry digests, never personal data, so erasing a case removes its data while
//! the chain still verifies.

use super::codec;
use crate::domain::enquiry::Reference;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
}

impl AuditEntry {
    pub fn hash(&self) -> Hash {
        // Encoding an in-memory entry cannot fail: every field is plain data.
        let bytes = codec::encode(self).expect("audit entry encodes");
        *blake3::hash(&bytes).as_bytes()
    }
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
