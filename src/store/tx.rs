//! One command's writes inside a sled transaction: the case, its event, the audit entry
//! and the indexes, each noted for the journal.

use super::audit::{AuditEntry, Head};
use super::durability::Rec;
use super::{
    abort, audit, codec, event_key, order_key, ref_key, subject_identifiers, subject_key, Actor,
    StoreError, TxResult, HEAD,
};
use crate::domain::calendar::Calendar;
use crate::domain::case::CaseRecord;
use crate::domain::clock;
use crate::domain::command::{self, Applied, Change, Command, Context, Event};
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::{Reference, RightKind};
use crate::domain::policy::Policy;
use crate::domain::report;
use crate::domain::summary::CaseSummary;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sled::transaction::ConflictableTransactionError;

/// Keys an erasure removes that a transaction cannot find by itself; for a purpose change,
/// the person's other cases (a transaction cannot scan the subject index either).
#[derive(Debug, Clone, Default)]
pub(super) struct ErasureKeys {
    pub(super) access: Vec<sled::IVec>,
    pub(super) drafts: Vec<sled::IVec>,
    /// (reference, right invoked, received) of the person's other live cases.
    pub(super) requests: Vec<(Reference, Option<RightKind>, NaiveDate)>,
}

/// The trees one command touches, inside a transaction; every write is noted for the
/// journal.
pub(super) struct Tx<'a> {
    pub(super) cases: Rec<'a>,
    pub(super) events: Rec<'a>,
    pub(super) audit: Rec<'a>,
    pub(super) meta: Rec<'a>,
    pub(super) dedup: Rec<'a>,
    pub(super) subjects: Rec<'a>,
    pub(super) access: Rec<'a>,
    pub(super) drafts: Rec<'a>,
    pub(super) queue: Rec<'a>,
    pub(super) order: Rec<'a>,
}

impl Tx<'_> {
    /// Writes a case's queue summary and moves its place in the urgency order.
    pub(super) fn put_summary(&self, summary: &CaseSummary) -> TxResult<()> {
        let key = ref_key(summary.reference);
        if let Some(old) = self.queue.get(&key)? {
            // An old entry that does not decode is replaced; its order key goes with the
            // rebuild `triage check` asks for.
            if let Ok(old) = codec::decode::<CaseSummary>(&old) {
                self.order.remove(&order_key(&old))?;
            }
        }
        self.queue.insert(&key, encode_tx(summary)?)?;
        self.order.insert(&order_key(summary), &key)?;
        Ok(())
    }

    /// Takes an erased case out of the queue.
    pub(super) fn drop_summary(&self, reference: Reference) -> TxResult<()> {
        if let Some(old) = self.queue.remove(&ref_key(reference))? {
            if let Ok(old) = codec::decode::<CaseSummary>(&old) {
                self.order.remove(&order_key(&old))?;
            }
        }
        Ok(())
    }

    /// Appends an audit entry for `payload` and moves the head.
    pub(super) fn append_audit(
        &self,
        at: DateTime<Utc>,
        actor: &str,
        reference: Option<Reference>,
        version: u64,
        action: &str,
        payload: &[u8],
    ) -> TxResult<u64> {
        let head: Head = match self.meta.get(HEAD)? {
            Some(b) => match codec::decode(&b) {
                Ok(h) => h,
                Err(e) => return abort(StoreError::corrupt("the audit head")(e)),
            },
            None => Head::default(),
        };
        let previous = match head.seq {
            0 => None,
            seq => match self.audit.get(&seq.to_be_bytes())? {
                Some(b) => match AuditEntry::decode(&b) {
                    Ok(e) => Some(e.at),
                    Err(e) => return abort(StoreError::corrupt("the last audit entry")(e)),
                },
                None => None,
            },
        };
        let (at, clock) = audit::stamp(previous, at);
        let entry = AuditEntry {
            seq: head.seq + 1,
            at,
            actor: actor.to_string(),
            reference,
            version,
            action: action.to_string(),
            digest: audit::digest(payload),
            prev: head.hash,
            clock,
        };
        let bytes = entry
            .encode()
            .map_err(|e| ConflictableTransactionError::Abort(StoreError::Encode(e)))?;
        let hash = audit::digest(&bytes);
        self.audit.insert(&entry.seq.to_be_bytes(), bytes)?;
        self.meta.insert(
            HEAD,
            encode_tx(&Head {
                seq: entry.seq,
                hash,
            })?,
        )?;
        Ok(entry.seq)
    }

    /// Decides and writes one command. The inner error (not found, erased, stale version,
    /// refused) means nothing was written for it.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn apply(
        &self,
        policy: &Policy,
        calendar: &Calendar,
        actor: &Actor,
        reference: Reference,
        expected: Option<u64>,
        cmd: &Command,
        now: DateTime<Utc>,
        erase_keys: &ErasureKeys,
    ) -> TxResult<Result<CaseRecord, StoreError>> {
        let Some(bytes) = self.cases.get(&ref_key(reference))? else {
            return Ok(Err(StoreError::NotFound(reference)));
        };
        let record: CaseRecord = match codec::decode(&bytes) {
            Ok(r) => r,
            Err(e) => return abort(StoreError::corrupt(format!("case {reference}"))(e)),
        };
        let case = match record {
            CaseRecord::Live(c) => c,
            CaseRecord::Erased(_) => return Ok(Err(StoreError::Erased(reference))),
        };
        if let Some(expected) = expected.filter(|v| *v != case.version) {
            return Ok(Err(StoreError::Conflict {
                reference,
                expected,
                actual: case.version,
                by: case.updated.by.clone(),
                at: case.updated.at,
            }));
        }
        let ctx = Context {
            actor: &actor.login,
            roles: &actor.roles,
            now,
            policy,
        };
        let due = clock::first_deadline_on(&case, policy, calendar, now.danish_day());
        let applied = match command::apply(&case, cmd, &ctx, due) {
            Ok(a) => a,
            Err(r) => return Ok(Err(StoreError::Refused(r))),
        };
        let event = Event {
            version: case.version + 1,
            at: now,
            actor: actor.login.clone(),
            change: Change::Command(cmd.clone()),
        };
        let record = match applied {
            Applied::Updated(mut next) => {
                if matches!(cmd, Command::SetPurpose { .. }) {
                    let received = next.enquiry.received.danish_day();
                    let window = policy.rights.duplicate_window_days;
                    next.duplicate_of = next.right.and_then(|right| {
                        report::duplicate_of(
                            reference,
                            right,
                            received,
                            window,
                            &erase_keys.requests,
                        )
                    });
                }
                self.put_summary(&CaseSummary::new(&next, policy, calendar, now.danish_day()))?;
                CaseRecord::Live(next)
            }
            Applied::Erased(tomb) => {
                self.drop_summary(reference)?;
                for v in 1..=case.version {
                    self.events.remove(&event_key(reference, v))?;
                }
                for id in subject_identifiers(&case.enquiry) {
                    self.subjects.remove(&subject_key(&id, reference))?;
                }
                for k in &erase_keys.access {
                    self.access.remove(k)?;
                }
                for k in &erase_keys.drafts {
                    self.drafts.remove(k)?;
                }
                CaseRecord::Erased(tomb)
            }
        };
        self.cases
            .insert(&ref_key(reference), encode_tx(&record)?)?;
        let bytes = self.write_event(reference, &event)?;
        self.append_audit(
            now,
            &actor.login,
            Some(reference),
            event.version,
            cmd.action(),
            &bytes,
        )?;
        Ok(Ok(record))
    }

    pub(super) fn write_event(&self, reference: Reference, event: &Event) -> TxResult<Vec<u8>> {
        let bytes = encode_tx(event)?;
        self.events
            .insert(&event_key(reference, event.version), bytes.clone())?;
        Ok(bytes)
    }
}

pub(super) fn encode_tx<T: Serialize>(v: &T) -> TxResult<Vec<u8>> {
    codec::encode(v).map_err(|e| ConflictableTransactionError::Abort(StoreError::Encode(e)))
}
