//! Registering an import in bulk: the keys `Store::register` writes, prepared on every
//! core and written by two threads, all or nothing per unit without a sled transaction.
//!
//! One sled transaction is single-threaded and reads every key before writing it; at about
//! seven keys per enquiry that alone caps an import near 12,000 enquiries/s on two cores.
//! Here each unit's keys are new (fresh references, audit numbers past the head, digests
//! and subject keys not yet in the store), so a unit is undone by removing them. Before
//! writing any, the unit records every key it is about to write (`Pending`) and makes that
//! durable; the keys follow; when they are durable too, one atomic batch on the meta tree
//! moves the audit head and the year counters and removes the record. A crash before that
//! batch leaves the record, and opening the store removes the listed keys (removing one
//! never written is a no-op): the store is as it was, with the head and the counters it
//! had. A crash after it finds every key durable. An error half-way removes the keys at
//! once, or, if the store takes no more writes (a full disk), on the next open.

use super::audit::{self, AuditEntry, Head};
use super::codec::{self, CodecError};
use super::durability::{op, JOURNAL_SEQ};
use super::journal::Op;
use super::{
    counter_key, event_key, order_key, ref_from_key, ref_key, subject_identifiers, subject_key,
    NewEnquiry, Registration, Store, StoreError, HEAD,
};
use crate::domain::calendar::Calendar;
use crate::domain::case::{Case, CaseRecord, Stamp};
use crate::domain::command::{Change, Event};
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::{Reference, RightKind};
use crate::domain::policy::Policy;
use crate::domain::report;
use crate::domain::summary::CaseSummary;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sled::IVec;
use std::collections::HashMap;

/// In the meta tree while a unit is being written.
const PENDING: &[u8] = b"bulk-pending";

/// Every key a unit writes outside the meta tree, so an interrupted unit can be removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Pending {
    /// Each one's case, queue entry and first event.
    references: Vec<Reference>,
    /// Each one's key in the urgency order.
    order: Vec<Vec<u8>>,
    /// Audit sequence numbers, first and last.
    audit: (u64, u64),
    dedup: Vec<Vec<u8>>,
    subjects: Vec<Vec<u8>>,
}

/// (reference, right invoked, day received) of a person's case, as `report::duplicate_of`
/// takes them.
type Request = (Reference, Option<RightKind>, NaiveDate);

/// An enquiry that will be registered, with its reference decided.
struct Decided<'a> {
    new: &'a NewEnquiry,
    reference: Reference,
    duplicate_of: Option<Reference>,
    dedup: &'a [u8],
    /// The Message-ID key, when this is the first case with that Message-ID.
    alias: Option<&'a [u8]>,
    identifiers: &'a [String],
}

/// The values one registered case writes, encoded.
struct Encoded {
    reference: Reference,
    case: IVec,
    summary: IVec,
    order: [u8; 11],
    event: IVec,
    event_digest: audit::Hash,
    dedup: IVec,
    alias: Option<IVec>,
    subjects: Vec<IVec>,
    /// Its search document, when the store keeps a search index.
    document: Option<tantivy::TantivyDocument>,
}

impl Store {
    /// For each enquiry invoking a right, the person's requests already in the store (what
    /// `requests_of` gives), in reference order. Each identifier is looked up and each
    /// earlier case read once for the whole batch: a person who writes often (or a test
    /// file of repeated senders) made the import read the same cases again per enquiry.
    fn earlier_requests(
        &self,
        batch: &[NewEnquiry],
        keys: &[(Vec<u8>, Vec<String>)],
    ) -> Result<Vec<Vec<Request>>, StoreError> {
        let asking = |i: usize| batch[i].enquiry.right.is_some();
        let mut identifiers: Vec<&str> = (0..batch.len())
            .filter(|&i| asking(i))
            .flat_map(|i| keys[i].1.iter().map(String::as_str))
            .collect();
        identifiers.sort_unstable();
        identifiers.dedup();
        let filed: HashMap<&str, Vec<Reference>> = identifiers
            .iter()
            .copied()
            .zip(crate::parallel::map(&identifiers, |id| {
                self.subject_cases(id)
            }))
            .map(|(id, refs)| refs.map(|r| (id, r)))
            .collect::<Result<_, _>>()?;
        let mut cases: Vec<Reference> = filed.values().flatten().copied().collect();
        cases.sort_unstable();
        cases.dedup();
        let requests: HashMap<Reference, Request> = cases
            .iter()
            .copied()
            .zip(crate::parallel::map(&cases, |r| self.case(*r)))
            .filter_map(|(r, rec)| match rec {
                Ok(Some(CaseRecord::Live(c))) => Some(Ok((
                    r,
                    (c.reference, c.right, c.enquiry.received.danish_day()),
                ))),
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<_, _>>()?;
        Ok((0..batch.len())
            .map(|i| {
                if !asking(i) {
                    return Vec::new();
                }
                let refs: std::collections::BTreeSet<Reference> = keys[i]
                    .1
                    .iter()
                    .flat_map(|id| filed.get(id.as_str()).into_iter().flatten().copied())
                    .collect();
                refs.iter()
                    .filter_map(|r| requests.get(r).copied())
                    .collect()
            })
            .collect())
    }

    /// Registers an import as `register` would, unit by unit (`unit` enquiries at a time,
    /// each unit all or nothing, as one `register` call is), with the same keys and values.
    /// Enquiries already in the store, or earlier in the batch, are reported as duplicates
    /// (by their position in the whole batch).
    ///
    /// For a process that holds the store to import (the command line, the bench,
    /// seeding): each unit keeps every command of this process out while it writes, but a
    /// plain read of another thread may see a unit half-written. The server registers
    /// through `register`.
    pub fn register_bulk(
        &self,
        policy: &Policy,
        batch: &[NewEnquiry],
        actor: &str,
        now: DateTime<Utc>,
        unit: usize,
    ) -> Result<Registration, StoreError> {
        let calendar = Calendar::from_policy(policy);
        let window = policy.rights.duplicate_window_days;
        let keys: Vec<(Vec<u8>, Vec<String>)> = crate::parallel::map(batch, |n| {
            (
                audit::digest(n.enquiry.dedup_key().as_bytes()).to_vec(),
                subject_identifiers(&n.enquiry),
            )
        });
        let aliases: Vec<Option<Vec<u8>>> = batch
            .iter()
            .map(|n| {
                n.enquiry
                    .dedup_alias()
                    .map(|a| audit::digest(a.as_bytes()).to_vec())
            })
            .collect();
        // The person's requests already in the store; those of this import are added as
        // they are decided, so a later unit sees the earlier ones as `register` would.
        let earlier = self.earlier_requests(batch, &keys)?;
        let mut out = Registration::default();
        let same_message = self.same_message_in_store(batch)?;
        let mut seen: HashMap<&[u8], Reference> = HashMap::new();
        let mut seen_alias: HashMap<&[u8], Reference> = HashMap::new();
        let mut requests: HashMap<&str, Vec<Request>> = HashMap::new();
        let unit = unit.max(1);
        let index = self.text_index().map(|i| &**i);
        for (u, chunk) in batch.chunks(unit).enumerate() {
            // Alone: no command of this process commits between reading the counters and
            // the head and moving them, and no backup copies a unit half-written.
            let _alone = self.gate.write().unwrap_or_else(|p| p.into_inner());
            let mut counters: HashMap<u16, u32> = HashMap::new();
            let mut decided = Vec::with_capacity(chunk.len());
            for (j, new) in chunk.iter().enumerate() {
                let i = u * unit + j;
                let (dedup, identifiers) = &keys[i];
                let existing = match seen.get(dedup.as_slice()) {
                    Some(r) => Some(*r),
                    None => self.dedup.get(dedup)?.and_then(|v| ref_from_key(&v)),
                }
                .or(same_message[i]);
                if let Some(r) = existing {
                    out.duplicates.push((i, r));
                    continue;
                }
                // The reference year is the Danish year of receipt, like every other day decision.
                let year = new
                    .enquiry
                    .received
                    .danish_day()
                    .year()
                    .clamp(0, u16::MAX as i32) as u16;
                let seq = match counters.get(&year) {
                    Some(s) => *s,
                    None => self.counter(year)?,
                } + 1;
                counters.insert(year, seq);
                let reference = Reference::new(year, seq);
                let received = new.enquiry.received.danish_day();
                // Same Message-ID, other content: registered, and flagged.
                let alias = aliases[i].as_deref();
                let same_id = match alias {
                    Some(a) => match seen_alias.get(a) {
                        Some(r) => Some(*r),
                        None => self.dedup.get(a)?.and_then(|v| ref_from_key(&v)),
                    },
                    None => None,
                };
                let duplicate_of = new
                    .enquiry
                    .right
                    .and_then(|right| {
                        let mut others = earlier[i].clone();
                        for id in identifiers {
                            others.extend(requests.get(id.as_str()).into_iter().flatten());
                        }
                        report::duplicate_of(reference, right, received, window, &others)
                    })
                    .or(same_id);
                if let Some(first) = duplicate_of {
                    out.flagged.push((reference, first));
                }
                for id in identifiers {
                    requests.entry(id.as_str()).or_default().push((
                        reference,
                        new.enquiry.right,
                        received,
                    ));
                }
                seen.insert(dedup, reference);
                let alias = alias.filter(|_| same_id.is_none());
                if let Some(a) = alias {
                    seen_alias.insert(a, reference);
                }
                decided.push(Decided {
                    new,
                    reference,
                    duplicate_of,
                    dedup,
                    alias,
                    identifiers,
                });
            }
            if decided.is_empty() {
                continue;
            }
            let stamp = Stamp {
                by: actor.to_string(),
                at: now,
            };
            let mut encoded: Vec<Encoded> = crate::parallel::map(&decided, |d| {
                encode_case(d, policy, &calendar, &stamp, now, index)
            })
            .into_iter()
            .collect::<Result<_, _>>()
            .map_err(StoreError::Encode)?;
            let mut head: Head = match self.meta.get(HEAD)? {
                Some(b) => codec::decode(&b).map_err(StoreError::corrupt("the audit head"))?,
                None => Head::default(),
            };
            let first = head.seq + 1;
            let previous = match self.audit.get(head.seq.to_be_bytes())? {
                Some(b) => Some(
                    AuditEntry::decode(&b)
                        .map_err(StoreError::corrupt("the last audit entry"))?
                        .at,
                ),
                None => None,
            };
            let (at, clock) = audit::stamp(previous, now);
            let mut entries = Vec::with_capacity(encoded.len());
            for e in &encoded {
                let entry = AuditEntry {
                    seq: head.seq + 1,
                    at,
                    clock,
                    actor: actor.to_string(),
                    reference: Some(e.reference),
                    version: 1,
                    action: "register".to_string(),
                    digest: e.event_digest,
                    prev: head.hash,
                };
                let bytes = entry.encode().map_err(StoreError::Encode)?;
                // `AuditEntry::hash` of these very bytes, without encoding them twice.
                head = Head {
                    seq: entry.seq,
                    hash: audit::digest(&bytes),
                };
                entries.push(IVec::from(bytes));
            }
            let pending = Pending {
                references: encoded.iter().map(|e| e.reference).collect(),
                order: encoded.iter().map(|e| e.order.to_vec()).collect(),
                audit: (first, head.seq),
                dedup: encoded
                    .iter()
                    .flat_map(|e| std::iter::once(&e.dedup).chain(&e.alias))
                    .map(|k| k.to_vec())
                    .collect(),
                subjects: encoded
                    .iter()
                    .flat_map(|e| e.subjects.iter().map(|k| k.to_vec()))
                    .collect(),
            };
            self.write_unit(&pending, &encoded, &entries, &head, &counters)?;
            out.registered.extend(pending.references);
            if let Some(index) = index {
                // Indexed on the other core while the next unit is written. The store has
                // the unit whatever the index does: a failure only leaves it to a catch-up.
                let docs = encoded
                    .iter_mut()
                    .filter_map(|e| e.document.take().map(|d| (e.reference, d)))
                    .collect();
                if let Err(e) = index.prepare(pending.audit.0, head.seq, docs) {
                    tracing::warn!("the search index is behind the store: {e}");
                }
            }
        }
        // As after any command, the index is committed by the next search or open (the
        // demo registers hundreds of enquiries one at a time; a commit each was slow).
        self.committed();
        Ok(out)
    }

    /// The last sequence number given out for `year`.
    fn counter(&self, year: u16) -> Result<u32, StoreError> {
        match self.meta.get(counter_key(year))? {
            Some(b) if b.len() == 4 => Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
            Some(_) => Err(StoreError::Corrupt {
                what: format!("the {year} counter"),
                source: CodecError::Decode("bad length".into()),
            }),
            None => Ok(0),
        }
    }

    /// The record first, durable; then the keys and the journal record, both durable; then
    /// the head, the counters and the record's removal in one batch (see the module's
    /// comment). A crash before that batch leaves the unit undone by the next open, then
    /// replayed whole if its journal record was complete.
    fn write_unit(
        &self,
        pending: &Pending,
        cases: &[Encoded],
        audit: &[IVec],
        head: &Head,
        counters: &HashMap<u16, u32>,
    ) -> Result<(), StoreError> {
        let record = codec::encode(pending).map_err(StoreError::Encode)?;
        self.meta.insert(PENDING, record)?;
        self.db.flush()?;
        let head = codec::encode(head).map_err(StoreError::Encode)?;
        #[cfg(test)]
        if tests::INTERRUPT.with(|i| i.get()) == tests::Interrupt::CrashUnjournaled {
            self.write_keys(pending.audit.0, cases, audit)?;
            self.db.flush()?;
            return Err(StoreError::Server("crashed".into()));
        }
        let ops = unit_ops(cases, audit, pending.audit.0, &head, counters);
        let written = self.journal_bulk(ops, || {
            self.write_keys(pending.audit.0, cases, audit)?;
            self.db.flush()?;
            Ok(())
        });
        #[cfg(test)]
        let written = match tests::INTERRUPT.with(|i| i.get()) {
            tests::Interrupt::Crash => return Err(StoreError::Server("crashed".into())),
            tests::Interrupt::Fail => written.and_then(|(j, seq)| {
                self.retract_bulk(j, seq)?;
                Err(StoreError::Server("failed".into()))
            }),
            _ => written,
        };
        let (journal, seq) = match written {
            Ok(w) => w,
            Err(e) => {
                // If the store takes no more writes, opening it next removes them.
                let _ = self.undo_pending(pending);
                return Err(e);
            }
        };
        let mut done = sled::Batch::default();
        done.insert(HEAD, head);
        for (year, seq) in counters {
            done.insert(counter_key(*year), &seq.to_be_bytes());
        }
        done.insert(JOURNAL_SEQ, &seq.to_be_bytes());
        done.remove(PENDING);
        // Not undone on failure: the batch is atomic on disk, and the next open finds
        // either all of it or the record.
        self.meta.apply_batch(done)?;
        self.db.flush()?;
        self.done_bulk(journal)
    }

    /// Cases, queue entries and events on one thread; audit entries and index keys on the
    /// other (about as much work each). sled writes to different trees in parallel.
    fn write_keys(
        &self,
        first_seq: u64,
        cases: &[Encoded],
        audit: &[IVec],
    ) -> Result<(), StoreError> {
        std::thread::scope(|scope| {
            let other = scope.spawn(|| -> Result<(), sled::Error> {
                for c in cases {
                    self.cases.insert(ref_key(c.reference), c.case.clone())?;
                    self.queue.insert(ref_key(c.reference), c.summary.clone())?;
                    self.order.insert(c.order, &ref_key(c.reference))?;
                    self.events
                        .insert(event_key(c.reference, 1), c.event.clone())?;
                }
                Ok(())
            });
            let here = (|| -> Result<(), sled::Error> {
                for ((c, entry), seq) in cases.iter().zip(audit).zip(first_seq..) {
                    self.audit.insert(seq.to_be_bytes(), entry.clone())?;
                    self.dedup.insert(c.dedup.clone(), &ref_key(c.reference))?;
                    if let Some(a) = &c.alias {
                        self.dedup.insert(a.clone(), &ref_key(c.reference))?;
                    }
                    for k in &c.subjects {
                        self.subjects.insert(k.clone(), &[])?;
                    }
                }
                Ok(())
            })();
            let there = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            here.and(there).map_err(StoreError::Sled)
        })
    }

    /// Removes every key of an interrupted unit, then its record.
    fn undo_pending(&self, pending: &Pending) -> Result<(), StoreError> {
        for r in &pending.references {
            self.cases.remove(ref_key(*r))?;
            self.queue.remove(ref_key(*r))?;
            self.events.remove(event_key(*r, 1))?;
        }
        for k in &pending.order {
            self.order.remove(k)?;
        }
        for seq in pending.audit.0..=pending.audit.1 {
            self.audit.remove(seq.to_be_bytes())?;
        }
        for k in &pending.dedup {
            self.dedup.remove(k)?;
        }
        for k in &pending.subjects {
            self.subjects.remove(k)?;
        }
        // The removals durable before the record goes.
        self.db.flush()?;
        self.meta.remove(PENDING)?;
        self.db.flush()?;
        Ok(())
    }

    /// Undoes a unit of a bulk registration that a crash (or a full disk) interrupted; on
    /// opening, before anything reads the store.
    pub(super) fn undo_interrupted_bulk(&self) -> Result<(), StoreError> {
        let Some(bytes) = self.meta.get(PENDING)? else {
            return Ok(());
        };
        let pending: Pending =
            codec::decode(&bytes).map_err(StoreError::corrupt("an unfinished import's record"))?;
        tracing::warn!(
            cases = pending.references.len(),
            "removing an import that was interrupted before it finished"
        );
        self.undo_pending(&pending)
    }
}

/// A unit's writes as the journal records them: the same keys and values as `write_keys`
/// and the meta batch.
fn unit_ops(
    cases: &[Encoded],
    audit: &[IVec],
    first_seq: u64,
    head: &[u8],
    counters: &HashMap<u16, u32>,
) -> Vec<Op> {
    let mut ops = Vec::with_capacity(cases.len() * 8 + 2);
    for ((c, entry), seq) in cases.iter().zip(audit).zip(first_seq..) {
        let r = ref_key(c.reference);
        ops.push(op("cases", &r, &c.case));
        ops.push(op("queue", &r, &c.summary));
        ops.push(op("order", &c.order, &r));
        ops.push(op("events", &event_key(c.reference, 1), &c.event));
        ops.push(op("audit", &seq.to_be_bytes(), entry));
        ops.push(op("dedup", &c.dedup, &r));
        for k in &c.subjects {
            ops.push(op("subjects", k, &[]));
        }
    }
    ops.push(op("meta", HEAD, head));
    for (year, seq) in counters {
        ops.push(op("meta", &counter_key(*year), &seq.to_be_bytes()));
    }
    ops
}

fn encode_case(
    d: &Decided,
    policy: &Policy,
    calendar: &Calendar,
    stamp: &Stamp,
    now: DateTime<Utc>,
    index: Option<&crate::search::TextIndex>,
) -> Result<Encoded, CodecError> {
    let mut case = Case::new(
        d.reference,
        d.new.enquiry.clone(),
        d.new.suggestions.clone(),
        stamp.clone(),
    );
    case.duplicate_of = d.duplicate_of;
    // As `register` writes them: a test compares the two stores key by key.
    let summary = CaseSummary::new(&case, policy, calendar, now.danish_day());
    let document = index.map(|i| i.document_of(&case));
    let order = order_key(&summary);
    let summary = codec::encode(&summary)?;
    let record = codec::encode(&CaseRecord::Live(Box::new(case)))?;
    let event = codec::encode(&Event {
        version: 1,
        at: now,
        actor: stamp.by.clone(),
        change: Change::Registered {
            source: d.new.source.clone(),
        },
    })?;
    Ok(Encoded {
        reference: d.reference,
        case: record.into(),
        summary: summary.into(),
        order,
        event_digest: audit::digest(&event),
        event: event.into(),
        dedup: IVec::from(d.dedup),
        alias: d.alias.map(IVec::from),
        subjects: d
            .identifiers
            .iter()
            .map(|id| IVec::from(subject_key(id, d.reference)))
            .collect(),
        document,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::domain::enquiry::Enquiry;
    use crate::domain::fixtures;
    use std::cell::Cell;

    /// Where a test stops a unit: after its keys are durable, as a crash would (nothing
    /// undone), or with an error in writing them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Interrupt {
        Never,
        /// After the keys and the journal record are durable.
        Crash,
        /// After the keys are durable, before the journal record is written.
        CrashUnjournaled,
        Fail,
    }

    thread_local! {
        pub static INTERRUPT: Cell<Interrupt> = const { Cell::new(Interrupt::Never) };
    }

    /// Runs `f` with units stopped as `how` says, then lets them run again.
    pub(in crate::store) fn interrupted<T>(how: Interrupt, f: impl FnOnce() -> T) -> T {
        INTERRUPT.with(|i| i.set(how));
        let out = f();
        INTERRUPT.with(|i| i.set(Interrupt::Never));
        out
    }

    fn now() -> DateTime<Utc> {
        fixtures::at("2026-11-24T08:00:00Z")
    }

    fn enquiry(received: &str, name: &str, body: &str, right: Option<RightKind>) -> NewEnquiry {
        let mut e: Enquiry = fixtures::enquiry(received, body);
        e.sender.name = name.into();
        e.sender.cpr = None;
        e.sender.email = Some(format!("{}@example.dk", name.to_lowercase()));
        e.right = right;
        NewEnquiry {
            enquiry: e,
            suggestions: vec![],
            source: format!("test:{name}:{body}"),
        }
    }

    /// Two years, repeats inside the batch and of a case already stored, the same
    /// person's access requests across units, a CPR number in a text.
    fn batch() -> Vec<NewEnquiry> {
        let access = Some(RightKind::Access);
        vec![
            enquiry("2025-12-30T09:00:00+01:00", "Ane", "first", access),
            enquiry("2026-01-05T09:00:00+01:00", "Bo", "hello", None),
            enquiry("2026-01-06T09:00:00+01:00", "Ane", "again", access),
            enquiry("2026-01-05T09:00:00+01:00", "Bo", "hello", None),
            enquiry("2026-02-01T09:00:00+01:00", "Cai", "stored already", None),
            enquiry(
                "2026-02-02T09:00:00+01:00",
                "Dan",
                "about 120385-1234",
                None,
            ),
            enquiry("2026-02-03T09:00:00+01:00", "Ane", "third", access),
            enquiry("2025-06-01T09:00:00+01:00", "Eva", "old", access),
        ]
    }

    fn open() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        let first = [enquiry(
            "2026-02-01T09:00:00+01:00",
            "Cai",
            "stored already",
            None,
        )];
        store
            .register(&fixtures::policy(), &first, "anne", now())
            .unwrap();
        (dir, store)
    }

    /// A tree's name and every key and value in it.
    type Tree = (Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>);

    /// Every tree, every key and value.
    fn contents(store: &Store) -> Vec<Tree> {
        let mut names = store.db.tree_names();
        names.sort();
        names
            .into_iter()
            .map(|name| {
                let tree = store.db.open_tree(&name).unwrap();
                // Each store has its own identity, and its journal numbers records its way.
                let own = [super::super::highwater::STORE_ID, JOURNAL_SEQ];
                let kvs = tree
                    .iter()
                    .map(|kv| {
                        let (k, v) = kv.unwrap();
                        (k.to_vec(), v.to_vec())
                    })
                    .filter(|(k, _)| !own.contains(&k.as_slice()))
                    .collect();
                (name.to_vec(), kvs)
            })
            .collect()
    }

    #[test]
    fn writes_what_register_writes_unit_by_unit() {
        let policy = fixtures::policy();
        let batch = batch();
        for unit in [1, 3, 100] {
            let (_a, one_by_one) = open();
            let mut want = Registration::default();
            for chunk in batch.chunks(unit) {
                let r = one_by_one.register(&policy, chunk, "anne", now()).unwrap();
                want.registered.extend(r.registered);
                want.flagged.extend(r.flagged);
                want.duplicates.extend(r.duplicates);
            }
            let (_b, bulk) = open();
            let got = bulk
                .register_bulk(&policy, &batch, "anne", now(), unit)
                .unwrap();
            assert_eq!(got.registered, want.registered, "unit {unit}");
            assert_eq!(got.flagged, want.flagged, "unit {unit}");
            let dups = |r: &Registration| r.duplicates.iter().map(|d| d.1).collect::<Vec<_>>();
            assert_eq!(dups(&got), dups(&want), "unit {unit}");
            assert_eq!(
                got.duplicates.iter().map(|d| d.0).collect::<Vec<_>>(),
                vec![3, 4],
                "positions in the whole batch"
            );
            assert_eq!(got.flagged.len(), 2, "the second and third access request");
            assert_eq!(contents(&bulk), contents(&one_by_one), "unit {unit}");
            assert!(bulk.verify_audit().unwrap().first_broken.is_none());
        }
    }

    #[test]
    fn a_unit_interrupted_after_its_keys_is_removed_when_the_store_opens() {
        let policy = fixtures::policy();
        let (dir, store) = open();
        let before = contents(&store);
        let r = interrupted(Interrupt::CrashUnjournaled, || {
            store.register_bulk(&policy, &batch(), "anne", now(), 100)
        });
        assert!(r.is_err());
        assert!(store.cases.len() > 1, "the keys were written");
        drop(store);
        let store = Store::open(&dir.path().join("db")).unwrap();
        assert_eq!(contents(&store), before);
        assert!(store.verify_audit().unwrap().first_broken.is_none());
        // And it imports afresh, numbered as if nothing had happened.
        let reg = store
            .register_bulk(&policy, &batch(), "anne", now(), 100)
            .unwrap();
        assert_eq!(reg.registered[0], Reference::new(2025, 1));
    }

    #[test]
    fn a_later_unit_interrupted_leaves_the_earlier_ones() {
        let policy = fixtures::policy();
        let (dir, store) = open();
        // Units of 3: the first is written whole; the crash is in the second.
        let first = store
            .register_bulk(&policy, &batch()[..3], "anne", now(), 3)
            .unwrap();
        let after_first = contents(&store);
        let r = interrupted(Interrupt::CrashUnjournaled, || {
            store.register_bulk(&policy, &batch()[3..], "anne", now(), 3)
        });
        assert!(r.is_err());
        drop(store);
        let store = Store::open(&dir.path().join("db")).unwrap();
        assert_eq!(contents(&store), after_first);
        assert_eq!(first.registered.len(), 3);
    }

    #[test]
    fn a_unit_interrupted_after_its_journal_record_is_replayed_whole_on_opening() {
        let policy = fixtures::policy();
        let (_whole, whole) = open();
        whole
            .register_bulk(&policy, &batch(), "anne", now(), 100)
            .unwrap();
        let (dir, store) = open();
        let r = interrupted(Interrupt::Crash, || {
            store.register_bulk(&policy, &batch(), "anne", now(), 100)
        });
        assert!(r.is_err());
        drop(store);
        let store = Store::open(&dir.path().join("db")).unwrap();
        assert_eq!(contents(&store), contents(&whole));
        assert!(store.verify_audit().unwrap().first_broken.is_none());
    }

    #[test]
    fn an_error_in_writing_the_keys_removes_them_at_once() {
        let policy = fixtures::policy();
        let (dir, store) = open();
        let before = contents(&store);
        let r = interrupted(Interrupt::Fail, || {
            store.register_bulk(&policy, &batch(), "anne", now(), 100)
        });
        assert!(matches!(r, Err(StoreError::Server(_))));
        assert_eq!(contents(&store), before);
        // Its journal record was taken back: nothing comes back on opening.
        drop(store);
        let store = Store::open(&dir.path().join("db")).unwrap();
        assert_eq!(contents(&store), before);
    }
}
