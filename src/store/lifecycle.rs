//! A store's life outside single cases: telling a store from an empty path, installing a
//! policy as an audited decision, and reading the cases a page at a time.

use super::{codec, ref_key, AccessRecord, CaseRecord, Store, StoreError, MARKER_FILE, POLICY_KEY};
use crate::domain::case::Status;
use crate::domain::command::Access;
use crate::domain::enquiry::Reference;
use crate::domain::policy::Policy;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::path::Path;

/// What the cases hold that a policy must keep offering: purposes set and recipients
/// disclosed to (withdrawn disclosures included: they stay on record).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InUse {
    pub purposes: BTreeSet<String>,
    pub recipients: BTreeSet<String>,
}

impl InUse {
    /// The ids in use that `policy` no longer knows, as "purpose x", "recipient y".
    pub fn stranded_by(&self, policy: &Policy) -> Vec<String> {
        let mut out: Vec<String> = self
            .purposes
            .iter()
            .filter(|p| policy.purpose(p).is_none())
            .map(|p| format!("purpose {p}"))
            .collect();
        out.extend(
            self.recipients
                .iter()
                .filter(|r| policy.recipient(r).is_none())
                .map(|r| format!("recipient {r}")),
        );
        out
    }
}

impl Store {
    /// True when `path` holds a triage store (its marker file, or sled's own files).
    pub fn exists(path: &Path) -> bool {
        path.join(MARKER_FILE).exists() || path.join("db").exists() || path.join("conf").exists()
    }

    /// Opens the store at `path`, refusing a path that holds none: only `triage init` and
    /// `triage demo` create a store, so a mistyped path never answers "no data".
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        if !Store::exists(path) {
            return Err(StoreError::NoStore {
                path: path.to_path_buf(),
            });
        }
        Store::open(path)
    }

    /// Scans every case for the purposes and recipients in use (for a policy change).
    pub fn in_use(&self) -> Result<InUse, StoreError> {
        let mut out = InUse::default();
        for rec in self.cases() {
            if let CaseRecord::Live(c) = rec? {
                out.purposes.extend(c.purpose.clone());
                out.recipients
                    .extend(c.disclosures.iter().map(|d| d.recipient.clone()));
            }
        }
        Ok(out)
    }

    /// Installs a policy text in one transaction with its audit entry, which records the
    /// old and new digests (and what `force` overrode) as an access record with no case.
    pub fn install_policy(
        &self,
        text: &str,
        access: &Access,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let record = AccessRecord {
            at: now,
            actor: actor.to_string(),
            reference: None,
            access: access.clone(),
        };
        let bytes = codec::encode(&record).map_err(StoreError::Encode)?;
        self.transaction(|tx| {
            let seq = tx.append_audit(now, actor, None, 0, access.action(), &bytes)?;
            tx.access
                .insert(&super::access_key(None, seq), bytes.clone())?;
            tx.meta.insert(POLICY_KEY, text.as_bytes())?;
            Ok(())
        })
    }

    /// Up to `n` case records after `after` in reference order, with `status` when given.
    /// Returns the page and the last reference read, so a filter that skips every record
    /// of a page still moves on (None: the end).
    pub fn cases_page(
        &self,
        after: Option<Reference>,
        n: usize,
        status: Option<Status>,
    ) -> Result<(Vec<CaseRecord>, Option<Reference>), StoreError> {
        let mut page = Vec::with_capacity(n.min(1024));
        let start = after.map(ref_key);
        let range = match &start {
            Some(k) => self.cases.range::<&[u8], _>((
                std::ops::Bound::Excluded(&k[..]),
                std::ops::Bound::Unbounded,
            )),
            None => self.cases.iter(),
        };
        // A filter reads at most this many records per page, so a rare status cannot make
        // one request walk the whole store.
        let budget = n.saturating_mul(8).max(1024);
        let mut last = None;
        for (read, kv) in range.enumerate() {
            if page.len() >= n || read >= budget {
                return Ok((page, last));
            }
            let (k, v) = kv?;
            let what = super::ref_from_key(&k)
                .map(|r| format!("case {r}"))
                .unwrap_or_else(|| "a case key".into());
            let rec: CaseRecord = codec::decode(&v).map_err(StoreError::corrupt(what))?;
            last = Some(rec.reference());
            if status.is_none_or(|s| s == rec.status()) {
                page.push(rec);
            }
        }
        Ok((page, None))
    }
}

/// One audit entry with the read it records, if it records one.
pub type AuditLine = (super::audit::AuditEntry, Option<AccessRecord>);

impl Store {
    /// Up to `n` audit entries after sequence number `after` (about `case` when given), and
    /// the last sequence number read (None: the end). Like `audit_log`, a page at a time.
    pub fn audit_page(
        &self,
        case: Option<Reference>,
        after: u64,
        n: usize,
    ) -> Result<(Vec<AuditLine>, Option<u64>), StoreError> {
        let mut page = Vec::new();
        let budget = n.saturating_mul(8).max(1024);
        let mut last = None;
        let start = after.saturating_add(1).to_be_bytes();
        for (read, kv) in self.audit.range(start..).enumerate() {
            if page.len() >= n || read >= budget {
                return Ok((page, last));
            }
            let (_, v) = kv?;
            let entry: super::audit::AuditEntry =
                codec::decode(&v).map_err(StoreError::corrupt("an audit entry"))?;
            last = Some(entry.seq);
            if case.is_some() && entry.reference != case {
                continue;
            }
            let access = if entry.version == 0 {
                match self
                    .access
                    .get(super::access_key(entry.reference, entry.seq))?
                {
                    Some(b) => {
                        Some(codec::decode(&b).map_err(StoreError::corrupt("an access record"))?)
                    }
                    None => None,
                }
            } else {
                None
            };
            page.push((entry, access));
        }
        Ok((page, None))
    }
}
