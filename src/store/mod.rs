//! The sled store: every command is one transaction that writes the case, its event, the
//! audit entry and the indexes together, then syncs its journal before anyone is told "saved".

/// Moved above the `Api` (see `usecase`); kept here for the paths that name it.
pub use crate::usecase::access_report;
pub mod api;
pub mod api_error;
pub mod audit;
pub mod backup;
mod bulk;
pub mod cancel;
pub mod check;
pub mod codec;
mod drafts;
mod durability;
pub mod highwater;
pub mod journal;
pub mod lifecycle;
mod read;
pub mod recovery;
pub mod rollforward;
mod tx;

use tx::{encode_tx, ErasureKeys, Tx};

use crate::domain::calendar::Calendar;
use crate::domain::case::{Case, CaseRecord, Stamp, Status, Suggestion};
use crate::domain::command::{Access, Change, Command, Event, Refusal};
use crate::domain::danish_time::DanishDay;
use crate::domain::enquiry::{Enquiry, Reference, RightKind};
use crate::domain::policy::{Policy, Role};
use crate::domain::report;
use crate::domain::summary::CaseSummary;
use audit::{AuditEntry, Head};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use codec::CodecError;
use durability::Rec;
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Tree;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Who acts: the operating-system login and the roles the policy gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub login: String,
    pub roles: Vec<Role>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("there is no triage store at {}.\n  Create one with `triage init --policy FILE --db {}` (or try `triage demo`); nothing was created.", .path.display(), .path.display())]
    NoStore { path: PathBuf },
    #[error("the store at {} is in use by another triage process.\n  Stop that process, or run `triage serve --db {}` and let everyone connect to it.", .path.display(), .path.display())]
    Locked { path: PathBuf },
    #[error("cannot open the store at {}: {}\n  Run `triage check --db {}`; if it reports damage, restore the latest backup into a new path (`triage restore BACKUP --db NEW_PATH`).", .path.display(), describe_sled(.cause), .path.display())]
    Open { path: PathBuf, cause: sled::Error },
    #[error("cannot prepare the store directory {}: {cause}", .path.display())]
    Directory {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("the store could not read or write its files: {}", describe_sled(.0))]
    Sled(sled::Error),
    #[error("{what} in the store is damaged ({source}).\n  Run `triage check`; restore the latest backup if it reports damage.")]
    Corrupt { what: String, source: CodecError },
    #[error("no case {0}")]
    NotFound(Reference),
    #[error("{0} has been erased; only its tombstone remains")]
    Erased(Reference),
    #[error("{reference} was changed by {by} {}: reload? (you decided on version {expected}; it is now version {actual}; reload and decide again)", ago(.at, Utc::now()))]
    Conflict {
        reference: Reference,
        expected: u64,
        actual: u64,
        by: String,
        at: DateTime<Utc>,
    },
    // Transparent: said once, not again as its own cause in `{:#}`.
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("{0}")]
    Encode(CodecError),
    /// Sled shows less than the high-water record says it holds; nothing was opened.
    #[error("the store at {} is damaged: it should hold {should} and shows {shows}; nothing was changed; run `triage recover` or restore a backup (`triage recover --db {}`)", .path.display(), .path.display())]
    Damaged {
        path: PathBuf,
        should: String,
        shows: String,
    },
    #[error("{0}")]
    Journal(#[from] journal::JournalError),
    /// The server keeps this case from the acting user (see `server::rules`).
    #[error("{0} is restricted (Art. 23): only the DPO, an administrator, its assignee and whoever restricted it may see it")]
    Hidden(Reference),
    /// The server could not be reached or said something this client cannot act on.
    #[error("{0}")]
    Server(String),
    /// The full-text index could not be read or written (the store itself is fine).
    #[error("{0}")]
    Search(String),
    /// Long work stopped because whoever asked for it went away or the server is stopping.
    #[error("cancelled: the client went away or the server is stopping; nothing was changed")]
    Cancelled,
}

/// "3 s ago", "5 min ago", "2 h ago"; older (or a clock that disagrees) gives the time.
pub fn ago(at: &DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - *at).num_seconds();
    match secs {
        0..=119 => format!("{secs} s ago"),
        120..=7199 => format!("{} min ago", secs / 60),
        7200..=86399 => format!("{} h ago", secs / 3600),
        _ => format!("at {}", at.format("%Y-%m-%d %H:%M UTC")),
    }
}

// By hand rather than `#[from]`: the message already says everything, so no error chain.
impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        StoreError::Sled(e)
    }
}

impl StoreError {
    fn corrupt(what: impl Into<String>) -> impl FnOnce(CodecError) -> StoreError {
        let what = what.into();
        move |source| StoreError::Corrupt { what, source }
    }
}

type TxResult<T> = Result<T, ConflictableTransactionError<StoreError>>;

fn abort<T>(e: StoreError) -> TxResult<T> {
    Err(ConflictableTransactionError::Abort(e))
}

fn unwrap_tx<T>(r: Result<T, TransactionError<StoreError>>) -> Result<T, StoreError> {
    r.map_err(|e| match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => StoreError::Sled(e),
    })
}

pub fn ref_key(r: Reference) -> [u8; 6] {
    let mut k = [0u8; 6];
    k[..2].copy_from_slice(&r.year.to_be_bytes());
    k[2..].copy_from_slice(&r.seq.to_be_bytes());
    k
}

pub fn ref_from_key(k: &[u8]) -> Option<Reference> {
    if k.len() < 6 {
        return None;
    }
    Some(Reference::new(
        u16::from_be_bytes([k[0], k[1]]),
        u32::from_be_bytes([k[2], k[3], k[4], k[5]]),
    ))
}

fn event_key(r: Reference, version: u64) -> [u8; 14] {
    let mut k = [0u8; 14];
    k[..6].copy_from_slice(&ref_key(r));
    k[6..].copy_from_slice(&version.to_be_bytes());
    k
}

/// Reads that concern no single case (searches) are filed under this key prefix.
const NO_CASE: [u8; 6] = [0; 6];

fn access_key(r: Option<Reference>, seq: u64) -> [u8; 14] {
    let mut k = [0u8; 14];
    k[..6].copy_from_slice(&r.map(ref_key).unwrap_or(NO_CASE));
    k[6..].copy_from_slice(&seq.to_be_bytes());
    k
}

fn subject_key(identifier: &str, r: Reference) -> Vec<u8> {
    let mut k = identifier.as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(&ref_key(r));
    k
}

const HEAD: &[u8] = b"audit-head";
/// sled's page cache.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// sled's page cache for a command that reads every case once (the packager): reading
/// every case through the 64 MB cache filled it for nothing, and this one kept the
/// packager's peak about 75 MB lower at 100,000 cases (`triage bench --only archive`),
/// its events taking about 15 % longer.
pub const STREAMING_CACHE_BYTES: u64 = 8 * 1024 * 1024;
/// A plain file beside sled's that says "a triage store lives here".
const MARKER_FILE: &str = "triage-store";
const POLICY_KEY: &[u8] = b"policy";
const FORMAT_KEY: &[u8] = b"format";
/// The queue index's format and the digest of the policy it was computed under.
const QUEUE_KEY: &[u8] = b"queue-format";
/// Raise when `CaseSummary` or `order_key` changes: the index is rebuilt on next open.
const QUEUE_FORMAT: u8 = 2;

fn status_byte(s: Status) -> u8 {
    Status::ALL.iter().position(|x| *x == s).unwrap_or(0) as u8
}

/// Status, then the answer deadline (none last), then the reference: the queue's default
/// order within each status.
fn order_key(s: &CaseSummary) -> [u8; 11] {
    let mut k = [0u8; 11];
    k[0] = status_byte(s.status);
    let due = s
        .due()
        .map(|d| d.num_days_from_ce().max(0) as u32)
        .unwrap_or(u32::MAX);
    k[1..5].copy_from_slice(&due.to_be_bytes());
    k[5..].copy_from_slice(&ref_key(s.reference));
    k
}

fn queue_marker(policy: &Policy) -> Vec<u8> {
    let mut m = vec![QUEUE_FORMAT];
    m.extend_from_slice(blake3::hash(format!("{policy:?}").as_bytes()).as_bytes());
    m
}

fn decode_summary(k: &[u8], v: &[u8]) -> Result<CaseSummary, StoreError> {
    let what = ref_from_key(k)
        .map(|r| format!("the queue entry of {r}"))
        .unwrap_or_else(|| "a queue entry".into());
    codec::decode(v).map_err(StoreError::corrupt(what))
}

fn counter_key(year: u16) -> Vec<u8> {
    format!("seq/{year:04}").into_bytes()
}

/// A read as stored in the access log; its digest is in the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRecord {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub reference: Option<Reference>,
    pub access: Access,
}

/// An enquiry ready to register, with what detection suggested.
#[derive(Debug, Clone)]
pub struct NewEnquiry {
    pub enquiry: Enquiry,
    pub suggestions: Vec<Suggestion>,
    /// Where it came from (file and line), recorded in the registration event.
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Registration {
    pub registered: Vec<Reference>,
    /// (position in the batch, the case it duplicates)
    pub duplicates: Vec<(usize, Reference)>,
    /// Rights requests registered but flagged: (the new case, the earlier request of the
    /// same person for the same right within the policy's window). Not merged.
    pub flagged: Vec<(Reference, Reference)>,
}

/// One command of a batch (see `Store::execute_many`).
#[derive(Debug, Clone)]
pub struct Batched {
    pub actor: Actor,
    pub reference: Reference,
    /// The version decided on; None applies to whatever version is current (seeding).
    pub expected: Option<u64>,
    pub command: Command,
    pub at: DateTime<Utc>,
}

pub struct Store {
    db: sled::Db,
    cases: Tree,
    events: Tree,
    audit: Tree,
    meta: Tree,
    dedup: Tree,
    subjects: Tree,
    access: Tree,
    drafts: Tree,
    queue: Tree,
    /// The queue in urgency order: `order_key` → reference, so the first page of the
    /// queue is read without reading the rest.
    order: Tree,
    path: PathBuf,
    /// Flush after every transaction (always, except while seeding a demo in bulk).
    flush_each: std::sync::atomic::AtomicBool,
    /// Commits hold it shared; a backup holds it alone, so the copy is consistent.
    gate: std::sync::RwLock<()>,
    /// The full-text index, once attached (`search::attach`): kept in step after each commit.
    text_index: std::sync::OnceLock<std::sync::Arc<crate::search::TextIndex>>,
    journal: std::sync::Mutex<durability::Journal>,
    /// Set once an open has checked the store; only then does dropping it record a clean
    /// close (a refused store must keep the record that refused it).
    settled: std::sync::atomic::AtomicBool,
}

impl Store {
    /// Opens (or creates) the store at `path`, a directory kept private to its owner.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with_cache(path, CACHE_BYTES)
    }

    /// `open` with `cache_bytes` of sled page cache (see [`STREAMING_CACHE_BYTES`]).
    pub fn open_with_cache(path: &Path, cache_bytes: u64) -> Result<Store, StoreError> {
        prepare_dir(path)?;
        // Before sled touches its files: what should be there, and whether it is.
        let expected = durability::expected(path)?;
        if let Some(hw) = &expected {
            durability::check_before_open(path, hw)?;
        }
        let db = open_sled(path, cache_bytes).map_err(|source| {
            let locked = matches!(&source, sled::Error::Io(e) if e.kind() == std::io::ErrorKind::WouldBlock)
                || source.to_string().contains("could not acquire lock");
            if locked {
                StoreError::Locked { path: path.to_path_buf() }
            } else {
                StoreError::Open { path: path.to_path_buf(), cause: source }
            }
        })?;
        let tree = |name: &str| db.open_tree(name);
        let (writer, torn) = durability::open_journal(path)?;
        if let Some((segment, offset, bytes)) = torn {
            tracing::warn!(segment = %segment.display(), offset, bytes, "cut off a journal record a crash left half-written");
        }
        let store = Store {
            cases: tree("cases")?,
            events: tree("events")?,
            audit: tree("audit")?,
            meta: tree("meta")?,
            dedup: tree("dedup")?,
            subjects: tree("subjects")?,
            access: tree("access")?,
            drafts: tree("drafts")?,
            queue: tree("queue")?,
            order: tree("order")?,
            db,
            path: path.to_path_buf(),
            flush_each: std::sync::atomic::AtomicBool::new(true),
            gate: std::sync::RwLock::new(()),
            text_index: std::sync::OnceLock::new(),
            journal: std::sync::Mutex::new(durability::Journal {
                writer,
                hw: expected.clone().unwrap_or_default(),
                settled: std::time::Instant::now(),
                owed: Vec::new(),
            }),
            settled: std::sync::atomic::AtomicBool::new(false),
        };
        let marker = path.join(MARKER_FILE);
        match store.meta.get(FORMAT_KEY)? {
            // sled opens a truncated log as an empty store; the marker file tells a store
            // that lost its data from one that never had any.
            None if marker.exists() => {
                return Err(StoreError::Open {
                    path: path.to_path_buf(),
                    cause: sled::Error::Io(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "the store files are damaged: this store held data, but its log now reads as empty",
                    )),
                })
            }
            None => {
                store.meta.insert(FORMAT_KEY, &[codec::FORMAT])?;
                store.db.flush()?;
                write_marker(&marker).map_err(|cause| StoreError::Directory { path: path.to_path_buf(), cause })?;
            }
            Some(_) if !marker.exists() => {
                write_marker(&marker).map_err(|cause| StoreError::Directory { path: path.to_path_buf(), cause })?;
            }
            Some(v) if v.as_ref() == [codec::FORMAT] => {}
            Some(v) => {
                return Err(StoreError::Corrupt {
                    what: "the store format marker".into(),
                    source: CodecError::UnknownFormat(v.first().copied().unwrap_or(0)),
                })
            }
        }
        store.undo_interrupted_bulk()?;
        store.settle(expected.as_ref())?;
        store
            .settled
            .store(true, std::sync::atomic::Ordering::Relaxed);
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// One transaction over every tree, journaled (see `durability::journaled`): the
    /// journal is synced before the caller may say "saved".
    fn transaction<T>(&self, f: impl Fn(&Tx) -> TxResult<T>) -> Result<T, StoreError> {
        let value = self.journaled(|t, log| {
            let rec = |id: usize| Rec {
                tree: &t[id],
                id: id as u8,
                log,
            };
            f(&Tx {
                cases: rec(0),
                events: rec(1),
                audit: rec(2),
                meta: rec(3),
                dedup: rec(4),
                subjects: rec(5),
                access: rec(6),
                drafts: rec(7),
                queue: rec(8),
                order: rec(9),
            })
        })?;
        self.committed();
        Ok(value)
    }

    /// After a commit: the full-text index catches up. A failure leaves it behind, never
    /// wrong: the next commit or the next open catches up from the audit entries.
    pub(crate) fn committed(&self) {
        if let Some(index) = self.text_index.get() {
            if let Err(e) = index.after_commit(self) {
                tracing::warn!("the search index is behind the store: {e}");
            }
        }
    }

    pub fn text_index(&self) -> Option<&std::sync::Arc<crate::search::TextIndex>> {
        self.text_index.get()
    }

    pub fn set_text_index(&self, index: std::sync::Arc<crate::search::TextIndex>) {
        let _ = self.text_index.set(index);
    }

    /// Registers a batch of enquiries: all of them, or (on any error) none.
    /// Enquiries already in the store (same Message-ID or content) are reported, not added.
    pub fn register(
        &self,
        policy: &Policy,
        batch: &[NewEnquiry],
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Registration, StoreError> {
        let calendar = Calendar::from_policy(policy);
        let prepared: Vec<(Vec<u8>, Vec<String>)> = batch
            .iter()
            .map(|n| {
                (
                    audit::digest(n.enquiry.dedup_key().as_bytes()).to_vec(),
                    subject_identifiers(&n.enquiry),
                )
            })
            .collect();
        // A transaction cannot scan the index: the person's earlier requests are looked up
        // first. One process holds the store, so nothing registers in between.
        let window = policy.rights.duplicate_window_days;
        let earlier: Vec<Vec<(Reference, Option<RightKind>, NaiveDate)>> = batch
            .iter()
            .zip(&prepared)
            .map(|(n, (_, ids))| match n.enquiry.right {
                Some(_) => self.requests_of(ids, None),
                None => Ok(Vec::new()),
            })
            .collect::<Result<_, _>>()?;
        let same_message = self.same_message_in_store(batch)?;
        self.transaction(|tx| {
            let mut out = Registration::default();
            let mut counters: HashMap<u16, u32> = HashMap::new();
            // Requests registered earlier in this same batch count too.
            let mut in_batch: Vec<(&[String], Reference, Option<RightKind>, NaiveDate)> =
                Vec::new();
            for (i, (n, (dedup, identifiers))) in batch.iter().zip(&prepared).enumerate() {
                if let Some(existing) = tx.dedup.get(dedup.as_slice())? {
                    if let Some(r) = ref_from_key(&existing) {
                        out.duplicates.push((i, r));
                        continue;
                    }
                }
                if let Some(r) = same_message[i] {
                    out.duplicates.push((i, r));
                    continue;
                }
                // Same Message-ID, other content: registered, and flagged.
                let alias = n
                    .enquiry
                    .dedup_alias()
                    .map(|a| audit::digest(a.as_bytes()).to_vec());
                let same_id = match &alias {
                    Some(a) => tx.dedup.get(a.as_slice())?.and_then(|v| ref_from_key(&v)),
                    None => None,
                };
                // The reference year is the Danish year of receipt, like every other day decision.
                let year = n
                    .enquiry
                    .received
                    .danish_day()
                    .year()
                    .clamp(0, u16::MAX as i32) as u16;
                let seq = match counters.get(&year) {
                    Some(s) => *s,
                    None => match tx.meta.get(&counter_key(year))? {
                        Some(b) if b.len() == 4 => u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
                        Some(_) => {
                            return abort(StoreError::Corrupt {
                                what: format!("the {year} counter"),
                                source: CodecError::Decode("bad length".into()),
                            })
                        }
                        None => 0,
                    },
                } + 1;
                counters.insert(year, seq);
                let reference = Reference::new(year, seq);
                let stamp = Stamp {
                    by: actor.to_string(),
                    at: now,
                };
                let mut case =
                    Case::new(reference, n.enquiry.clone(), n.suggestions.clone(), stamp);
                let received = n.enquiry.received.danish_day();
                if let Some(right) = case.right {
                    let mut others = earlier[i].clone();
                    others.extend(
                        in_batch
                            .iter()
                            .filter(|(ids, ..)| ids.iter().any(|k| identifiers.contains(k)))
                            .map(|(_, r, right, d)| (*r, *right, *d)),
                    );
                    case.duplicate_of =
                        report::duplicate_of(reference, right, received, window, &others);
                }
                case.duplicate_of = case.duplicate_of.or(same_id);
                if let Some(first) = case.duplicate_of {
                    out.flagged.push((reference, first));
                }
                in_batch.push((identifiers, reference, case.right, received));
                tx.put_summary(&CaseSummary::new(
                    &case,
                    policy,
                    &calendar,
                    now.danish_day(),
                ))?;
                tx.cases.insert(
                    &ref_key(reference),
                    encode_tx(&CaseRecord::Live(Box::new(case)))?,
                )?;
                let event = Event {
                    version: 1,
                    at: now,
                    actor: actor.into(),
                    change: Change::Registered {
                        source: n.source.clone(),
                    },
                };
                let bytes = tx.write_event(reference, &event)?;
                tx.append_audit(now, actor, Some(reference), 1, "register", &bytes)?;
                tx.dedup.insert(dedup.as_slice(), &ref_key(reference))?;
                if let (Some(a), None) = (&alias, same_id) {
                    tx.dedup.insert(a.as_slice(), &ref_key(reference))?;
                }
                for id in identifiers {
                    tx.subjects.insert(&subject_key(id, reference), &[])?;
                }
                out.registered.push(reference);
            }
            for (year, seq) in &counters {
                tx.meta.insert(&counter_key(*year), &seq.to_be_bytes())?;
            }
            Ok(out)
        })
    }

    /// Applies a command decided on `expected` version of the case.
    pub fn execute(
        &self,
        policy: &Policy,
        actor: &Actor,
        reference: Reference,
        expected: u64,
        cmd: &Command,
        now: DateTime<Utc>,
    ) -> Result<CaseRecord, StoreError> {
        let erase_keys = self.erase_keys(reference, cmd)?;
        let calendar = Calendar::from_policy(policy);
        let record = self.transaction(|tx| {
            match tx.apply(
                policy,
                &calendar,
                actor,
                reference,
                Some(expected),
                cmd,
                now,
                &erase_keys,
            )? {
                Ok(record) => Ok(record),
                Err(e) => abort(e),
            }
        })?;
        if let CaseRecord::Erased(_) = record {
            self.sweep_erased(reference)?;
        }
        Ok(record)
    }

    /// Applies many commands in one transaction, each recorded as its own event and audit
    /// entry. A command that is refused (or decided on a stale version) writes nothing and
    /// is reported in its slot; the others are applied. For bulk actions and bulk seeding.
    pub fn execute_many(
        &self,
        policy: &Policy,
        items: &[Batched],
    ) -> Result<Vec<Result<CaseRecord, StoreError>>, StoreError> {
        let erase_keys: Vec<ErasureKeys> = items
            .iter()
            .map(|b| self.erase_keys(b.reference, &b.command))
            .collect::<Result<_, _>>()?;
        let calendar = Calendar::from_policy(policy);
        let out = self.transaction(|tx| {
            let mut out = Vec::with_capacity(items.len());
            for (b, keys) in items.iter().zip(&erase_keys) {
                out.push(tx.apply(
                    policy,
                    &calendar,
                    &b.actor,
                    b.reference,
                    b.expected,
                    &b.command,
                    b.at,
                    keys,
                )?);
            }
            Ok(out)
        })?;
        for (b, r) in items.iter().zip(&out) {
            if let Ok(CaseRecord::Erased(_)) = r {
                self.sweep_erased(b.reference)?;
            }
        }
        Ok(out)
    }

    /// Keys that must go on erasure but that a transaction cannot scan for.
    fn erase_keys(&self, reference: Reference, cmd: &Command) -> Result<ErasureKeys, StoreError> {
        if let Command::SetPurpose { .. } = cmd {
            // Setting a rights purpose may make the case a duplicate request.
            let requests = match self.case(reference)? {
                Some(CaseRecord::Live(c)) => {
                    self.requests_of(&subject_identifiers(&c.enquiry), Some(reference))?
                }
                _ => Vec::new(),
            };
            return Ok(ErasureKeys {
                requests,
                ..Default::default()
            });
        }
        if !matches!(cmd, Command::Erase { .. }) {
            return Ok(ErasureKeys::default());
        }
        self.keys_of(reference)
    }

    /// The access records and drafts kept under a case's reference (a scan, outside any
    /// transaction).
    fn keys_of(&self, reference: Reference) -> Result<ErasureKeys, StoreError> {
        let prefix = ref_key(reference);
        Ok(ErasureKeys {
            access: self
                .access
                .scan_prefix(prefix)
                .keys()
                .collect::<Result<_, _>>()?,
            drafts: self
                .drafts
                .scan_prefix(prefix)
                .keys()
                .collect::<Result<_, _>>()?,
            requests: Vec::new(),
        })
    }

    /// Logs a read of personal data (opening a case, revealing a CPR number, a search …).
    pub fn log_access(
        &self,
        actor: &str,
        reference: Option<Reference>,
        access: &Access,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let record = AccessRecord {
            at: now,
            actor: actor.to_string(),
            reference,
            access: access.clone(),
        };
        let bytes = codec::encode(&record).map_err(StoreError::Encode)?;
        self.transaction(|tx| {
            let seq = tx.append_audit(now, actor, reference, 0, access.action(), &bytes)?;
            tx.access
                .insert(&access_key(reference, seq), bytes.clone())?;
            Ok(())
        })
    }

    /// Whether case `r` holds the same message as `e` (same Message-ID and content): what
    /// an import keyed by the Message-ID alone, before content counted, finds that way.
    fn holds_same_message(&self, r: Reference, e: &Enquiry) -> Result<bool, StoreError> {
        Ok(match self.case(r)? {
            Some(CaseRecord::Live(c)) => c.enquiry.dedup_key() == e.dedup_key(),
            _ => false,
        })
    }

    /// For each enquiry whose Message-ID, or whose key as earlier versions made it, is
    /// already in the store: the case there when it holds the same message (looked up
    /// before a transaction, which cannot read cases by reference this way).
    fn same_message_in_store(
        &self,
        batch: &[NewEnquiry],
    ) -> Result<Vec<Option<Reference>>, StoreError> {
        batch
            .iter()
            .map(|n| {
                let e = &n.enquiry;
                if let Some(alias) = e.dedup_alias() {
                    let key = audit::digest(alias.as_bytes());
                    if let Some(r) = self.dedup.get(key)?.and_then(|v| ref_from_key(&v)) {
                        if self.holds_same_message(r, e)? {
                            return Ok(Some(r));
                        }
                    }
                }
                let Some(legacy) = e.legacy_dedup_key() else {
                    return Ok(None);
                };
                let key = audit::digest(legacy.as_bytes());
                let Some(r) = self.dedup.get(key)?.and_then(|v| ref_from_key(&v)) else {
                    return Ok(None);
                };
                Ok(match self.case(r)? {
                    Some(CaseRecord::Live(c)) => {
                        (c.enquiry.dedup_key() == e.dedup_key()).then_some(r)
                    }
                    // An erased case keeps no sender to compare: as before, its key alone
                    // keeps the enquiry from being registered again.
                    Some(CaseRecord::Erased(_)) => Some(r),
                    None => None,
                })
            })
            .collect()
    }

    /// The policy the store was set up with (TOML text), if any.
    pub fn policy_text(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .meta
            .get(POLICY_KEY)?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// Records the policy the store works under, so every later opener uses the same one.
    pub fn set_policy_text(&self, text: &str) -> Result<(), StoreError> {
        self.journaled_meta(POLICY_KEY, text.as_bytes())
    }

    /// Bulk seeding (the demo) may skip the flush per transaction and flush once at the end.
    pub fn set_flush_each(&self, on: bool) {
        self.flush_each
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// A named marker in the store's metadata (e.g. "demo": this store may be recreated).
    pub fn flag(&self, name: &str) -> Result<bool, StoreError> {
        Ok(self.meta.get(format!("flag/{name}"))?.is_some())
    }

    pub fn set_flag(&self, name: &str) -> Result<(), StoreError> {
        self.journaled_meta(format!("flag/{name}").as_bytes(), &[1u8])
    }

    /// Rewrites every audit entry through `change` and re-links the whole chain and its
    /// head, as someone with write access to the store files could: for the tests that show
    /// such a rewrite verifies on its own and is caught only against a head kept elsewhere.
    #[doc(hidden)]
    pub fn tamper_rewrite_chain(&self, change: impl Fn(&mut AuditEntry)) -> Result<(), StoreError> {
        let mut prev = audit::GENESIS;
        let mut last = 0;
        for kv in self.audit.iter() {
            let (k, v) = kv?;
            let mut e = AuditEntry::decode(&v).map_err(StoreError::corrupt("an audit entry"))?;
            change(&mut e);
            e.prev = prev;
            let bytes = e.encode().map_err(StoreError::Encode)?;
            prev = audit::digest(&bytes);
            last = e.seq;
            self.audit.insert(k, bytes)?;
        }
        let head = codec::encode(&Head {
            seq: last,
            hash: prev,
        })
        .map_err(StoreError::Encode)?;
        self.meta.insert(HEAD, head)?;
        self.flush()
    }

    /// Raw access for tests that tamper with the store on purpose.
    #[doc(hidden)]
    pub fn raw_tree(&self, name: &str) -> Result<Tree, StoreError> {
        Ok(self.db.open_tree(name)?)
    }

    /// Everything written so far durable: the journal, sled, the high-water record.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.settle_flush()
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if !self.settled.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        if let Err(e) = self.close_cleanly() {
            tracing::warn!(error = %e, "the store was not closed cleanly; the next open checks a copy first");
        }
    }
}

/// The identifiers a person can be found by: the sender's CPR number, e-mail, and name
/// with address, and every CPR number written in the subject or text (a person mentioned
/// is a data subject too). Registration files the case under each, in the same
/// transaction; erasure recomputes the same list from the case and removes every key,
/// which is why the text search is a fixed, strict rule (`cpr::cprs_in_text`) and not
/// detection's tunable one.
pub fn subject_identifiers(e: &Enquiry) -> Vec<String> {
    report::enquiry_keys(e)
}

/// sled's errors in words a person can act on.
pub fn describe_sled(e: &sled::Error) -> String {
    match e {
        sled::Error::Corruption { .. } => "its files are damaged (sled found corrupt data)".into(),
        sled::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::FileTooLarge | std::io::ErrorKind::QuotaExceeded => {
                "the disk is full or a file-size limit was reached. Free space (or raise the limit) and try again; the refused command was not written".to_string()
            }
            _ => io.to_string(),
        },
        other => other.to_string(),
    }
}

/// Opens sled, turning a panic inside it (seen on damaged files) into an error.
fn open_sled(path: &Path, cache_bytes: u64) -> Result<sled::Db, sled::Error> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    // sled caches up to 1 GB by default; the queue index keeps reads cheap without it.
    let result = std::panic::catch_unwind(|| {
        sled::Config::new()
            .path(path)
            .cache_capacity(cache_bytes)
            .open()
    });
    std::panic::set_hook(hook);
    result.unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "unreadable store files".into());
        Err(sled::Error::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("the store files are damaged ({why})"),
        )))
    })
}

fn write_marker(path: &Path) -> std::io::Result<()> {
    std::fs::write(
        path,
        b"triage store: the data lives in sled's files beside this one.\n",
    )?;
    std::fs::File::open(path.parent().unwrap_or(Path::new(".")))?.sync_all()
}

fn prepare_dir(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let err = |cause| StoreError::Directory {
        path: path.to_path_buf(),
        cause,
    };
    if !path.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(path)
            .map_err(err)?;
    }
    // Personal data: nobody but the owner may list or read the store.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod bulk_index_tests;
