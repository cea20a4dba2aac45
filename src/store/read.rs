//! What the store answers without writing: cases, the queue, events, the audit chain, a
//! person's cases, the read log.

use super::audit::{AuditEntry, Broken, Head, HeadLine, Verification};
use super::{
    access_key, audit, cancel, codec, decode_summary, event_key, order_key, queue_marker,
    ref_from_key, ref_key, status_byte, AccessRecord, Store, StoreError, HEAD, NO_CASE, QUEUE_KEY,
};
use crate::domain::calendar::Calendar;
use crate::domain::case::{Case, CaseRecord, Status};
use crate::domain::command::Event;
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::{Reference, RightKind};
use crate::domain::policy::Policy;
use crate::domain::summary::CaseSummary;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

impl Store {
    pub fn case(&self, reference: Reference) -> Result<Option<CaseRecord>, StoreError> {
        match self.cases.get(ref_key(reference))? {
            None => Ok(None),
            Some(b) => codec::decode(&b)
                .map(Some)
                .map_err(StoreError::corrupt(format!("case {reference}"))),
        }
    }

    /// The live case, or a clear error for a missing or erased one.
    pub fn live_case(&self, reference: Reference) -> Result<Case, StoreError> {
        match self.case(reference)? {
            None => Err(StoreError::NotFound(reference)),
            Some(CaseRecord::Erased(_)) => Err(StoreError::Erased(reference)),
            Some(CaseRecord::Live(c)) => Ok(*c),
        }
    }

    /// Every case record, in reference order.
    pub fn cases(&self) -> impl Iterator<Item = Result<CaseRecord, StoreError>> + '_ {
        self.cases.iter().map(|kv| {
            let (k, v) = kv?;
            let what = ref_from_key(&k)
                .map(|r| format!("case {r}"))
                .unwrap_or_else(|| "a case key".into());
            codec::decode(&v).map_err(StoreError::corrupt(what))
        })
    }

    /// The queue index: one small summary per live case, in reference order.
    pub fn summaries(&self) -> impl Iterator<Item = Result<CaseSummary, StoreError>> + '_ {
        self.queue.iter().map(|kv| {
            let (k, v) = kv?;
            decode_summary(&k, &v)
        })
    }

    /// At least as many as there are live cases: the references given out (the year
    /// counters), read without walking the queue. The interface reserves its rows with it.
    pub fn queue_bound(&self) -> Result<u64, StoreError> {
        let mut n = 0u64;
        for kv in self.meta.scan_prefix(b"seq/") {
            let (_, v) = kv?;
            if let Ok(b) = <[u8; 4]>::try_from(v.as_ref()) {
                n += u64::from(u32::from_be_bytes(b));
            }
        }
        Ok(n)
    }

    /// One page of the queue index in reference order, after `after`.
    pub fn summaries_page(
        &self,
        after: Option<Reference>,
        n: usize,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let range = match after {
            Some(r) => {
                let mut k = ref_key(r).to_vec();
                k.push(0);
                self.queue.range(k..)
            }
            None => self.queue.iter(),
        };
        range
            .take(n)
            .map(|kv| {
                let (k, v) = kv?;
                decode_summary(&k, &v)
            })
            .collect()
    }

    /// The `n` most urgent live cases (with `status`, or any), most urgent first: due
    /// soonest, then no deadline; ties in reference order. Reads about `n` entries per
    /// status, however large the store.
    pub fn urgent(&self, status: Option<Status>, n: usize) -> Result<Vec<CaseSummary>, StoreError> {
        let statuses: Vec<Status> = match status {
            Some(s) => vec![s],
            None => Status::ALL.to_vec(),
        };
        let mut keys: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        for s in statuses {
            for kv in self.order.scan_prefix([status_byte(s)]).take(n) {
                let (k, v) = kv?;
                keys.push((k[1..].to_vec(), v.to_vec()));
            }
        }
        keys.sort();
        keys.truncate(n);
        let mut out = Vec::with_capacity(keys.len());
        for (_, r) in keys {
            if let Some(v) = self.queue.get(&r)? {
                out.push(decode_summary(&r, &v)?);
            }
        }
        Ok(out)
    }

    /// Rebuilds the queue index when it was written by an older format or under another
    /// policy (deadlines and retention come from the policy). Returns the number of cases
    /// indexed when it rebuilt, None when the index was current. One process holds the
    /// store, so nothing writes in between; a crash midway leaves the marker unset and the
    /// next open rebuilds again.
    pub fn refresh_queue(
        &self,
        policy: &Policy,
        today: NaiveDate,
    ) -> Result<Option<usize>, StoreError> {
        if self.queue_current(policy)? {
            return Ok(None);
        }
        let want = queue_marker(policy);
        let _alone = self.gate.write().unwrap_or_else(|p| p.into_inner());
        self.meta.remove(QUEUE_KEY)?;
        self.db.flush()?;
        self.queue.clear()?;
        self.order.clear()?;
        let calendar = Calendar::from_policy(policy);
        let mut n = 0;
        for record in self.cases() {
            if let CaseRecord::Live(case) = record? {
                let s = CaseSummary::new(&case, policy, &calendar, today);
                let key = ref_key(s.reference);
                self.queue
                    .insert(key, codec::encode(&s).map_err(StoreError::Encode)?)?;
                self.order.insert(order_key(&s), &key)?;
                n += 1;
            }
        }
        self.meta.insert(QUEUE_KEY, want)?;
        self.db.flush()?;
        Ok(Some(n))
    }

    /// Whether the queue index was built in this format under this policy.
    pub fn queue_current(&self, policy: &Policy) -> Result<bool, StoreError> {
        Ok(self.meta.get(QUEUE_KEY)?.as_deref() == Some(&queue_marker(policy)[..]))
    }

    /// No case yet (cheap, unlike counting).
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    pub fn case_count(&self) -> usize {
        self.cases.len()
    }

    pub fn events(&self, reference: Reference) -> Result<Vec<Event>, StoreError> {
        self.events
            .scan_prefix(ref_key(reference))
            .values()
            .map(|v| {
                codec::decode(&v?).map_err(StoreError::corrupt(format!("an event of {reference}")))
            })
            .collect()
    }

    /// Audit entries in order, optionally only those about one case.
    pub fn audit_log(
        &self,
        case: Option<Reference>,
    ) -> Result<Vec<(AuditEntry, Option<AccessRecord>)>, StoreError> {
        let mut out = Vec::new();
        for kv in self.audit.iter() {
            let (_, v) = kv?;
            let entry = AuditEntry::decode(&v).map_err(StoreError::corrupt("an audit entry"))?;
            if case.is_some() && entry.reference != case {
                continue;
            }
            let access = if entry.version == 0 {
                match self.access.get(access_key(entry.reference, entry.seq))? {
                    Some(b) => {
                        Some(codec::decode(&b).map_err(StoreError::corrupt("an access record"))?)
                    }
                    None => None,
                }
            } else {
                None
            };
            out.push((entry, access));
        }
        Ok(out)
    }

    /// Recomputes the chain and every digest still backed by a stored payload.
    pub fn verify_audit(&self) -> Result<Verification, StoreError> {
        let mut v = Verification {
            entries: 0,
            events_checked: 0,
            erased_cases: 0,
            first_broken: None,
        };
        let mut prev = audit::GENESIS;
        let mut prev_at: Option<DateTime<Utc>> = None;
        let mut erased: HashMap<Reference, bool> = HashMap::new();
        let broken = |seq: u64, problem: String| Some(Broken { seq, problem });
        for (expected_seq, kv) in (1u64..).zip(self.audit.iter()) {
            if expected_seq % 1024 == 0 {
                cancel::check()?;
            }
            let (k, bytes) = kv?;
            let key_seq = k.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0);
            let entry = match AuditEntry::decode(&bytes) {
                Ok(e) => e,
                Err(e) => {
                    v.first_broken = broken(key_seq, format!("entry does not decode: {e}"));
                    return Ok(v);
                }
            };
            if entry.seq != expected_seq || key_seq != entry.seq {
                v.first_broken = broken(
                    entry.seq,
                    format!("sequence gap: expected entry {expected_seq}"),
                );
                return Ok(v);
            }
            if entry.prev != prev {
                v.first_broken = broken(entry.seq, "does not point to the hash of the entry before it: an earlier entry was altered or removed".into());
                return Ok(v);
            }
            if let Some(before) = prev_at.filter(|before| entry.at < *before) {
                v.first_broken = broken(
                    entry.seq,
                    format!(
                        "is dated {}, before entry {} ({}): entries never go back in time, so it was backdated or moved",
                        entry.at.to_rfc3339(),
                        entry.seq - 1,
                        before.to_rfc3339()
                    ),
                );
                return Ok(v);
            }
            prev_at = Some(entry.at);
            let payload = match (entry.version, entry.reference) {
                (0, r) => self.access.get(access_key(r, entry.seq))?,
                (version, Some(r)) => self.events.get(event_key(r, version))?,
                (_, None) => {
                    v.first_broken = broken(entry.seq, "a change without a case reference".into());
                    return Ok(v);
                }
            };
            match payload {
                Some(p) => {
                    if audit::digest(&p) != entry.digest {
                        v.first_broken = broken(
                            entry.seq,
                            format!(
                                "the recorded {} does not match its digest: it was altered",
                                if entry.version == 0 {
                                    "access record"
                                } else {
                                    "event"
                                }
                            ),
                        );
                        return Ok(v);
                    }
                    if entry.version > 0 {
                        v.events_checked += 1;
                    }
                }
                None => {
                    // Only erasure removes payloads; anything else missing is tampering.
                    let r = entry.reference;
                    let is_erased = match r {
                        Some(r) => *erased.entry(r).or_insert_with(|| {
                            matches!(self.case(r), Ok(Some(CaseRecord::Erased(_))))
                        }),
                        None => false,
                    };
                    if !is_erased {
                        v.first_broken =
                            broken(entry.seq, "its event or access record is missing".into());
                        return Ok(v);
                    }
                }
            }
            prev = audit::digest(&bytes);
            v.entries += 1;
        }
        let head: Head = match self.meta.get(HEAD)? {
            Some(b) => codec::decode(&b).map_err(StoreError::corrupt("the audit head"))?,
            None => Head::default(),
        };
        if head.seq != v.entries || head.hash != prev {
            v.first_broken = broken(v.entries, format!("the chain head names entry {} but the log ends at entry {}: entries were altered or removed at the end", head.seq, v.entries));
        }
        v.erased_cases = erased.values().filter(|e| **e).count() as u64;
        Ok(v)
    }

    /// The chain's head as one line (see `audit::HeadLine`): sequence, time and hash.
    pub fn audit_head(&self) -> Result<HeadLine, StoreError> {
        let head: Head = match self.meta.get(HEAD)? {
            Some(b) => codec::decode(&b).map_err(StoreError::corrupt("the audit head"))?,
            None => Head::default(),
        };
        let at = match self.audit.get(head.seq.to_be_bytes())? {
            Some(b) => Some(
                AuditEntry::decode(&b)
                    .map_err(StoreError::corrupt("the last audit entry"))?
                    .at,
            ),
            None => None,
        };
        Ok(HeadLine {
            seq: head.seq,
            at,
            hash: head.hash,
        })
    }

    /// Whether the chain still extends a head written down earlier: the entry at that
    /// sequence must hash to the recorded hash. None when it does, else what is wrong.
    pub fn audit_extends(&self, line: &HeadLine) -> Result<Option<String>, StoreError> {
        if line.seq == 0 {
            return Ok(None);
        }
        Ok(match self.audit.get(line.seq.to_be_bytes())? {
            None => Some(format!(
                "the chain no longer holds entry {}: it was cut short or rewritten",
                line.seq
            )),
            Some(bytes) if audit::digest(&bytes) != line.hash => Some(format!(
                "entry {} hashes to {}, not to the recorded {}: the chain was rewritten since that head was written down",
                line.seq,
                audit::hex(&audit::digest(&bytes)),
                audit::hex(&line.hash)
            )),
            Some(_) => None,
        })
    }

    /// Cases filed under a subject identifier (see `subject_identifiers`). No scan of the cases.
    pub fn subject_cases(&self, identifier: &str) -> Result<Vec<Reference>, StoreError> {
        let mut prefix = identifier.as_bytes().to_vec();
        prefix.push(0);
        self.subjects
            .scan_prefix(&prefix)
            .keys()
            .map(|k| Ok(ref_from_key(&k?[prefix.len()..]).unwrap_or(Reference::new(0, 0))))
            .collect()
    }

    /// The cases filed under any of `identifiers`, each once, in reference order. Erased
    /// cases are not filed anywhere (erasure removes their keys), so all are live or
    /// tombstones only if the index was damaged.
    pub fn subject_records(&self, identifiers: &[String]) -> Result<Vec<CaseRecord>, StoreError> {
        let mut refs = std::collections::BTreeSet::new();
        for id in identifiers {
            refs.extend(self.subject_cases(id)?);
        }
        let mut out = Vec::with_capacity(refs.len());
        for r in refs {
            if let Some(rec) = self.case(r)? {
                out.push(rec);
            }
        }
        Ok(out)
    }

    /// The person's live cases other than `except`: (reference, right invoked, received).
    pub(super) fn requests_of(
        &self,
        identifiers: &[String],
        except: Option<Reference>,
    ) -> Result<Vec<(Reference, Option<RightKind>, NaiveDate)>, StoreError> {
        Ok(self
            .subject_records(identifiers)?
            .iter()
            .filter_map(CaseRecord::live)
            .filter(|c| Some(c.reference) != except)
            .map(|c| (c.reference, c.right, c.enquiry.received.danish_day()))
            .collect())
    }

    /// Reads logged against one case, or (None) against no single case (searches,
    /// exports of everything, reports on a person). A prefix scan: no other case is read.
    pub fn access_records(
        &self,
        reference: Option<Reference>,
    ) -> Result<Vec<AccessRecord>, StoreError> {
        self.access
            .scan_prefix(reference.map(ref_key).unwrap_or(NO_CASE))
            .values()
            .map(|v| codec::decode(&v?).map_err(StoreError::corrupt("an access record")))
            .collect()
    }
}
