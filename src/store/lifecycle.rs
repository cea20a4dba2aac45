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
        Store::open_existing_with_cache(path, super::CACHE_BYTES)
    }

    /// `open_existing` with `cache_bytes` of sled page cache.
    pub fn open_existing_with_cache(path: &Path, cache_bytes: u64) -> Result<Store, StoreError> {
        if !Store::exists(path) {
            return Err(StoreError::NoStore {
                path: path.to_path_buf(),
            });
        }
        Store::open_with_cache(path, cache_bytes)
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
            let entry = super::audit::AuditEntry::decode(&v)
                .map_err(StoreError::corrupt("an audit entry"))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::command::Command;
    use crate::domain::fixtures;
    use crate::store::{Actor, NewEnquiry};

    fn store_with(n: usize) -> (tempfile::TempDir, Store, Vec<Reference>) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        let batch: Vec<NewEnquiry> = (0..n)
            .map(|i| NewEnquiry {
                enquiry: fixtures::enquiry("2026-11-23T09:00:00+01:00", &format!("enquiry {i}")),
                suggestions: vec![],
                source: format!("test:{i}"),
            })
            .collect();
        let reg = store
            .register(
                &fixtures::policy(),
                &batch,
                "anne",
                fixtures::at("2026-11-24T08:00:00Z"),
            )
            .unwrap();
        (dir, store, reg.registered)
    }

    #[test]
    fn pages_cover_every_case_once_and_filter_by_status() {
        let (_d, store, refs) = store_with(25);
        let policy = fixtures::policy();
        let anne = Actor {
            login: "anne".into(),
            roles: vec![crate::domain::policy::Role::Caseworker],
        };
        // Two cases leave `new`: the filter must find exactly those, across pages.
        for r in [refs[3], refs[17]] {
            store
                .execute(
                    &policy,
                    &anne,
                    r,
                    1,
                    &Command::SetPurpose {
                        purpose: "citizen-enquiries".into(),
                        right: None,
                    },
                    fixtures::at("2026-11-24T08:00:00Z"),
                )
                .unwrap();
        }
        let walk = |status: Option<Status>| {
            let (mut seen, mut after, mut pages) = (Vec::new(), None, 0);
            loop {
                let (page, next) = store.cases_page(after, 4, status).unwrap();
                assert!(page.len() <= 4);
                pages += 1;
                seen.extend(page.iter().map(CaseRecord::reference));
                match next {
                    Some(n) => after = Some(n),
                    None => return (seen, pages),
                }
            }
        };
        let (all, pages) = walk(None);
        assert_eq!(all, refs);
        assert!(pages >= 7, "{pages} pages of at most 4 for 25 cases");
        let moved: Vec<Reference> = refs
            .iter()
            .copied()
            .filter(|r| store.case(*r).unwrap().unwrap().status() != Status::New)
            .collect();
        assert_eq!(moved.len(), 2);
        let (filtered, _) = walk(Some(moved_status(&store, moved[0])));
        assert_eq!(filtered, moved);
        let (new, _) = walk(Some(Status::New));
        assert_eq!(new.len(), 23);
    }

    fn moved_status(store: &Store, r: Reference) -> Status {
        store.case(r).unwrap().unwrap().status()
    }

    #[test]
    fn audit_pages_continue_where_they_left_off() {
        let (_d, store, refs) = store_with(9);
        let at = fixtures::at("2026-11-24T08:00:00Z");
        store
            .log_access("anne", Some(refs[2]), &Access::OpenCase, at)
            .unwrap();
        let (mut seqs, mut after) = (Vec::new(), 0);
        loop {
            let (page, next) = store.audit_page(None, after, 2).unwrap();
            seqs.extend(page.iter().map(|(e, _)| e.seq));
            match next {
                Some(n) => after = n,
                None => break,
            }
        }
        let whole: Vec<u64> = store
            .audit_log(None)
            .unwrap()
            .iter()
            .map(|(e, _)| e.seq)
            .collect();
        assert_eq!(seqs, whole);
        let (one, _) = store.audit_page(Some(refs[2]), 0, 100).unwrap();
        assert!(one.iter().all(|(e, _)| e.reference == Some(refs[2])));
        assert!(one.iter().any(|(_, a)| a.is_some()), "the read is shown");
    }

    #[test]
    fn a_policy_install_is_audited_and_strands_are_named() {
        let (_d, store, refs) = store_with(1);
        let policy = fixtures::policy();
        let anne = Actor {
            login: "anne".into(),
            roles: vec![crate::domain::policy::Role::Caseworker],
        };
        let at = fixtures::at("2026-11-24T08:00:00Z");
        store
            .execute(
                &policy,
                &anne,
                refs[0],
                1,
                &Command::SetPurpose {
                    purpose: "citizen-enquiries".into(),
                    right: None,
                },
                at,
            )
            .unwrap();
        let in_use = store.in_use().unwrap();
        assert!(in_use.purposes.contains("citizen-enquiries"));
        assert!(in_use.stranded_by(&policy).is_empty());
        let before = store.verify_audit().unwrap().entries;
        let access = Access::InstallPolicy {
            old: None,
            new: "abc".into(),
            forced: vec![],
        };
        store.install_policy("x = 1", &access, "olaf", at).unwrap();
        assert_eq!(store.policy_text().unwrap().as_deref(), Some("x = 1"));
        let v = store.verify_audit().unwrap();
        assert_eq!(v.entries, before + 1);
        assert!(v.first_broken.is_none());
        let (lines, _) = store.audit_page(None, 0, 1000).unwrap();
        let (entry, record) = lines.last().unwrap();
        assert_eq!(entry.action, "install-policy");
        assert_eq!(record.as_ref().unwrap().access, access);
    }
}
