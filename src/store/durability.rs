//! What makes a commit survive sled: each write set journaled and synced before it is
//! acknowledged, the high-water record kept, and every open checked against both.

use super::audit::Head;
use super::backup::TREES;
use super::highwater::{self, HighWater, STORE_ID};
use super::journal::{self, Op, Record, Writer};
use super::{codec, Store, StoreError, HEAD};
use crate::domain::case::CaseRecord;
use sled::transaction::{TransactionalTree, UnabortableTransactionError};
use sled::IVec;
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// In the meta tree: the last journal record sled holds. Written with each commit, never
/// journaled itself (replay sets it).
pub(super) const JOURNAL_SEQ: &[u8] = b"journal-seq";
/// A snapshot record holds about this many bytes of keys and values.
const SNAPSHOT_RECORD_BYTES: usize = 4 * 1024 * 1024;

/// How often, at most, a commit also flushes sled and moves the high-water record. The
/// journal's fdatasync is what makes a commit durable; sled's own flush (and its background
/// flusher) only spares a replay, and the record may lag what sled holds, never lead it.
const SETTLE_EVERY: std::time::Duration = std::time::Duration::from_millis(1000);

/// The journal writer and the high-water record it keeps up to date; one commit at a time.
pub(super) struct Journal {
    pub writer: Writer,
    pub hw: HighWater,
    /// When sled was last flushed and the record moved.
    pub settled: std::time::Instant,
    /// Writes sled committed whose journal record could not be appended (a full disk):
    /// they lead the next record, which takes the number sled was given for them, so the
    /// journal never lacks a commit sled holds.
    pub owed: Vec<Op>,
}

/// A tree inside a transaction that notes every write for the journal.
pub(super) struct Rec<'a> {
    pub tree: &'a TransactionalTree,
    pub id: u8,
    pub log: &'a RefCell<Vec<Op>>,
}

type Unabortable<T> = Result<T, UnabortableTransactionError>;

impl Rec<'_> {
    pub fn get(&self, key: &[u8]) -> Unabortable<Option<IVec>> {
        self.tree.get(key)
    }

    pub fn insert<V: Into<IVec>>(&self, key: &[u8], value: V) -> Unabortable<Option<IVec>> {
        let value: IVec = value.into();
        self.log.borrow_mut().push(Op {
            tree: self.id,
            key: key.to_vec(),
            value: Some(value.to_vec()),
        });
        self.tree.insert(IVec::from(key), value)
    }

    pub fn remove(&self, key: &[u8]) -> Unabortable<Option<IVec>> {
        self.log.borrow_mut().push(Op {
            tree: self.id,
            key: key.to_vec(),
            value: None,
        });
        self.tree.remove(IVec::from(key))
    }
}

/// The index of a tree in `TREES` (and in a journal op).
pub(super) fn tree_id(name: &str) -> u8 {
    TREES.iter().position(|t| *t == name).expect("a known tree") as u8
}

/// Whether a write is a case's tombstone.
pub(super) fn is_tombstone(o: &Op) -> bool {
    o.tree == 0
        && o.value
            .as_deref()
            .is_some_and(|v| matches!(codec::decode(v), Ok(CaseRecord::Erased(_))))
}

/// Whether a write set erases a case (writes a tombstone): then the journal is rewritten.
fn erases(ops: &[Op]) -> bool {
    ops.iter().any(is_tombstone)
}

/// What the journal's rewrite after an erasure takes out (see `journal::Erasure`).
fn erasure_scope() -> journal::Erasure {
    journal::Erasure {
        is_tombstone,
        per_case: ["events", "access", "drafts", "queue"]
            .into_iter()
            .map(tree_id)
            .collect(),
    }
}

/// Applies a record's writes to sled's trees (in `TREES` order).
/// One batch per tree: a later write of a key in the record wins, as applied in order.
pub(super) fn apply_record(trees: &[sled::Tree], record: &Record) -> Result<(), sled::Error> {
    let mut batches: Vec<Option<sled::Batch>> = vec![None; trees.len()];
    for op in &record.ops {
        let Some(batch) = batches.get_mut(op.tree as usize) else {
            continue;
        };
        let batch = batch.get_or_insert_with(sled::Batch::default);
        match &op.value {
            Some(v) => batch.insert(&op.key[..], &v[..]),
            None => batch.remove(&op.key[..]),
        }
    }
    for (tree, batch) in trees.iter().zip(batches) {
        if let Some(batch) = batch {
            tree.apply_batch(batch)?;
        }
    }
    Ok(())
}

/// A record's writes to the trees `mine` picks, one by one rather than as a batch: a sled
/// batch holds a lock every writer shares, so two threads applying batches take turns.
/// For replaying into new files that are used only once the whole journal is in.
pub(super) fn apply_writes_to(
    trees: &[sled::Tree],
    record: &Record,
    mine: impl Fn(u8) -> bool,
) -> Result<(), sled::Error> {
    for op in record.ops.iter().filter(|op| mine(op.tree)) {
        let Some(tree) = trees.get(op.tree as usize) else {
            continue;
        };
        match &op.value {
            Some(v) => tree.insert(&op.key[..], &v[..])?,
            None => tree.remove(&op.key[..])?,
        };
    }
    Ok(())
}

fn journal_err(e: journal::JournalError) -> StoreError {
    StoreError::Journal(e)
}

/// Appends the writes a failed append left owed as a record of their own (sled holds them
/// under the journal's next number), before anything else is journaled.
fn pay_owed(j: &mut Journal) -> Result<(), journal::JournalError> {
    if j.owed.is_empty() {
        return Ok(());
    }
    let owed = std::mem::take(&mut j.owed);
    j.writer
        .append_or_return(owed, true)
        .map(|_| ())
        .map_err(|(e, owed)| {
            j.owed = owed;
            e
        })
}

/// For a bulk unit, which is undone when its journal record fails: a full disk is said the
/// same way whichever file met it first (the journal and sled's files are written side by
/// side), "not written" included.
fn bulk_journal_err(e: journal::JournalError) -> StoreError {
    use std::io::ErrorKind::{FileTooLarge, QuotaExceeded, StorageFull};
    match e {
        journal::JournalError::Io { source, .. }
            if matches!(source.kind(), StorageFull | FileTooLarge | QuotaExceeded) =>
        {
            StoreError::Sled(sled::Error::Io(source))
        }
        e => StoreError::Journal(e),
    }
}

fn damaged(path: &Path, should: impl Into<String>, shows: impl Into<String>) -> StoreError {
    StoreError::Damaged {
        path: path.to_path_buf(),
        should: should.into(),
        shows: shows.into(),
    }
}

/// Reads what the store should hold, before sled opens anything. None for a store that
/// has no record yet (new, or written before the journal existed).
pub(super) fn expected(path: &Path) -> Result<Option<HighWater>, StoreError> {
    let hw = match highwater::read(path) {
        Ok(hw) => hw,
        Err(highwater::HighWaterError::Damaged(_)) => {
            return Err(damaged(
                path,
                "a readable high-water record",
                "a damaged one",
            ))
        }
        Err(highwater::HighWaterError::Io { path: p, source }) => {
            return Err(StoreError::Directory {
                path: p,
                cause: source,
            })
        }
    };
    if hw.is_none() {
        let segments = journal::segments(&path.join(journal::DIR)).map_err(journal_err)?;
        if !segments.is_empty() {
            return Err(damaged(path, "a high-water record", "none"));
        }
    }
    Ok(hw)
}

/// Makes sure sled will not open a store smaller than the record says, without letting
/// sled rewrite damaged files: unless the files are byte for byte those of a clean close,
/// a copy is opened and compared first.
pub(super) fn check_before_open(path: &Path, hw: &HighWater) -> Result<(), StoreError> {
    if let Some(closed) = &hw.closed {
        if highwater::untouched(path, closed) || highwater::same_content(path, closed) {
            return Ok(());
        }
    }
    if super::check::held_by_another_process(path) {
        return Err(StoreError::Locked {
            path: path.to_path_buf(),
        });
    }
    let copy = sibling(path, "open-check");
    let _ = std::fs::remove_dir_all(&copy);
    copy_sled_files(path, &copy).map_err(|cause| StoreError::Directory {
        path: path.to_path_buf(),
        cause,
    })?;
    let bytes: u64 = highwater::sled_file_names(&copy)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| std::fs::metadata(copy.join(n)).ok())
        .map(|m| m.len())
        .sum();
    // sled can loop for ever on some damaged pages: the copy is read on a thread of its
    // own, and a read that does not end in time counts as damage.
    let (send, receive) = std::sync::mpsc::channel();
    let (at, want) = (copy.clone(), hw.clone());
    std::thread::spawn(move || {
        let result = match super::open_sled(&at, super::CACHE_BYTES) {
            Ok(db) => highwater::compare(&db, &want).map_err(|s| (s.should, s.shows)),
            Err(e) => Err((
                format!("{} audit entries", want.seq),
                format!(
                    "none: sled cannot open its files ({})",
                    super::describe_sled(&e)
                ),
            )),
        };
        let _ = send.send(result);
    });
    let result = match receive.recv_timeout(check_time(bytes)) {
        Ok(Ok(())) => Ok(()),
        Ok(Err((should, shows))) => Err(damaged(path, should, shows)),
        Err(_) => Err(damaged(
            path,
            format!("{} audit entries", hw.seq),
            "none readable: sled does not finish reading its files",
        )),
    };
    let _ = std::fs::remove_dir_all(&copy);
    result
}

/// How long reading a copy of `bytes` of sled files may take: generous (a slow disk, a
/// busy machine), `TRIAGE_OPEN_CHECK_MS` overrides it (the corruption trials).
fn check_time(bytes: u64) -> std::time::Duration {
    let ms = std::env::var("TRIAGE_OPEN_CHECK_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000 + bytes / 10_000);
    std::time::Duration::from_millis(ms)
}

/// Opens the journal for appending. One whose last segment is damaged before its end is
/// moved aside whole (sled was found whole already) and a new one begun from the store.
pub(super) fn open_journal(path: &Path) -> Result<(Writer, journal::Torn), StoreError> {
    let dir = path.join(journal::DIR);
    match Writer::open(&dir) {
        Err(journal::JournalError::Bad { seq, .. }) => {
            let aside = path.join(format!(
                "{}.damaged-{}",
                journal::DIR,
                chrono::Utc::now().format("%Y%m%dT%H%M%S")
            ));
            tracing::warn!(record = seq, journal = %aside.display(), "the journal is damaged; it is kept aside and a new one begun from the store");
            std::fs::rename(&dir, &aside).map_err(|cause| StoreError::Directory {
                path: aside.clone(),
                cause,
            })?;
            Ok(Writer::open(&dir)?)
        }
        other => Ok(other?),
    }
}

/// A private directory beside the store: `.NAME.WHAT-PID`.
pub(super) fn sibling(path: &Path, what: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "store".into());
    path.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

fn copy_sled_files(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for name in highwater::sled_file_names(from)? {
        let src = from.join(&name);
        if src.is_dir() {
            std::fs::create_dir_all(to.join(&name))?;
            for entry in std::fs::read_dir(&src)? {
                let entry = entry?;
                std::fs::copy(entry.path(), to.join(&name).join(entry.file_name()))?;
            }
        } else {
            std::fs::copy(&src, to.join(&name))?;
        }
    }
    Ok(())
}

impl Store {
    pub(super) fn trees(&self) -> [&sled::Tree; 10] {
        [
            &self.cases,
            &self.events,
            &self.audit,
            &self.meta,
            &self.dedup,
            &self.subjects,
            &self.access,
            &self.drafts,
            &self.queue,
            &self.order,
        ]
    }

    fn lock_journal(&self) -> std::sync::MutexGuard<'_, Journal> {
        self.journal.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// After sled opened: replays journal records sled lacks (a crash
    /// between the journal's sync and sled's), journals a store that has no journal yet
    /// and finishes an interrupted erasure rewrite. Then the record says "open".
    pub(super) fn settle(&self, hw: Option<&HighWater>) -> Result<(), StoreError> {
        // `check_before_open` compared these very files (or found them as a clean close
        // left them); comparing again would read every case twice.
        if self.meta.get(STORE_ID)?.is_none() {
            let id = blake3::hash(
                format!(
                    "{}{:?}{}",
                    std::process::id(),
                    std::time::SystemTime::now(),
                    self.path.display()
                )
                .as_bytes(),
            );
            self.meta.insert(STORE_ID, &id.as_bytes()[..16])?;
        }
        let mut j = self.lock_journal();
        let held = self.journal_seq()?;
        let last = j.writer.next_seq() - 1;
        if last == 0 || last < held || hw.is_some_and(|h| last < h.journal) {
            if last > 0 {
                // The journal lost records sled has: kept aside, and a new one begun.
                let aside = self.path.join(format!(
                    "{}.damaged-{}",
                    journal::DIR,
                    chrono::Utc::now().format("%Y%m%dT%H%M%S")
                ));
                tracing::warn!(journal = %aside.display(), "the journal ends before the store; starting it anew from the store");
                std::fs::rename(j.writer.dir(), &aside).map_err(|cause| StoreError::Directory {
                    path: aside.clone(),
                    cause,
                })?;
            }
            self.snapshot_into_journal(&mut j)?;
        } else if last > held {
            let trees: Vec<sled::Tree> = self.trees().into_iter().cloned().collect();
            let mut failed = None;
            let end = journal::scan(j.writer.dir(), held, |r| {
                if failed.is_none() {
                    failed = apply_record(&trees, &r).err();
                }
            })
            .map_err(journal_err)?;
            if let Some(e) = failed {
                return Err(e.into());
            }
            tracing::warn!(
                from = held + 1,
                to = end.last,
                "replayed journal records the store lacked after a crash"
            );
            self.meta.insert(JOURNAL_SEQ, &end.last.to_be_bytes())?;
            self.db.flush()?;
        }
        if let Some(seq) = j.writer.pending_scrub() {
            j.writer.scrub(seq, &erasure_scope()).map_err(journal_err)?;
        }
        // Not synced: losing it to a power cut leaves the record before, whose digests no
        // longer match the files, so the next open checks a copy either way.
        self.note_highwater(&mut j, false)
    }

    pub(super) fn journal_seq(&self) -> Result<u64, StoreError> {
        Ok(self
            .meta
            .get(JOURNAL_SEQ)?
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map(u64::from_be_bytes)
            .unwrap_or(0))
    }

    /// Starts the journal with every key the store holds (a store from before the journal,
    /// a restored one, or one whose journal was lost).
    fn snapshot_into_journal(&self, j: &mut Journal) -> Result<(), StoreError> {
        for (_, seg) in journal::segments(j.writer.dir()).map_err(journal_err)? {
            let _ = std::fs::remove_file(seg);
        }
        let (mut writer, _) = Writer::open(&self.path.join(journal::DIR)).map_err(journal_err)?;
        writer.start_at(self.journal_seq()? + 1);
        j.writer = writer;
        let mut ops = Vec::new();
        let mut bytes = 0usize;
        for (id, tree) in self.trees().into_iter().enumerate() {
            for kv in tree.iter() {
                let (k, v) = kv?;
                if id == 3 && k.as_ref() == JOURNAL_SEQ {
                    continue;
                }
                bytes += k.len() + v.len();
                ops.push(Op {
                    tree: id as u8,
                    key: k.to_vec(),
                    value: Some(v.to_vec()),
                });
                if bytes >= SNAPSHOT_RECORD_BYTES {
                    j.writer
                        .append(std::mem::take(&mut ops), false)
                        .map_err(journal_err)?;
                    bytes = 0;
                }
            }
        }
        j.writer.append(ops, true).map_err(journal_err)?;
        let last = j.writer.next_seq() - 1;
        self.meta.insert(JOURNAL_SEQ, &last.to_be_bytes())?;
        self.db.flush()?;
        Ok(())
    }

    /// Rewrites the journal from what the store holds now (after a restore).
    pub(super) fn rebase_journal(&self) -> Result<(), StoreError> {
        let mut j = self.lock_journal();
        self.snapshot_into_journal(&mut j)?;
        self.note_highwater(&mut j, true)
    }

    /// Brings the high-water record up to what sled now holds durably.
    fn note_highwater(&self, j: &mut Journal, durable: bool) -> Result<(), StoreError> {
        j.settled = std::time::Instant::now();
        let head: Head = match self.meta.get(HEAD)? {
            Some(b) => codec::decode(&b).map_err(StoreError::corrupt("the audit head"))?,
            None => Head::default(),
        };
        j.hw = HighWater {
            store_id: self
                .meta
                .get(STORE_ID)?
                .map(|v| v.to_vec())
                .unwrap_or_default(),
            seq: head.seq,
            head: head.hash,
            cases: self.queue_bound()?,
            journal: self.journal_seq()?,
            closed: None,
        };
        highwater::write(&self.path, &j.hw, durable).map_err(|e| match e {
            highwater::HighWaterError::Io { path, source } => StoreError::Directory {
                path,
                cause: source,
            },
            highwater::HighWaterError::Damaged(path) => StoreError::Directory {
                path,
                cause: std::io::Error::other("cannot write the high-water record"),
            },
        })
    }

    /// Runs a sled transaction over every tree with its writes noted, then journals them:
    /// synced before the caller may say "saved", then sled flushed and the record moved.
    pub(super) fn journaled<T>(
        &self,
        run: impl Fn(&[TransactionalTree], &RefCell<Vec<Op>>) -> super::TxResult<T>,
    ) -> Result<T, StoreError> {
        use sled::Transactional;
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        // One commit at a time, so the journal's order is the order sled committed in.
        let mut j = self.lock_journal();
        let next = j.writer.next_seq();
        let trees = self.trees();
        let result = trees[..].transaction(|t| {
            let log = RefCell::new(Vec::new());
            let value = run(t, &log)?;
            let ops = log.into_inner();
            if !ops.is_empty() {
                t[3].insert(JOURNAL_SEQ, &next.to_be_bytes())?;
            }
            Ok((value, ops))
        });
        let (value, ops) = super::unwrap_tx(result)?;
        if !ops.is_empty() {
            self.commit_ops(&mut j, ops)?;
        }
        Ok(value)
    }

    /// Journals a write set sled has committed (with `JOURNAL_SEQ` already set to its number).
    fn commit_ops(&self, j: &mut Journal, ops: Vec<Op>) -> Result<(), StoreError> {
        let seq = j.writer.next_seq();
        let ops = if j.owed.is_empty() {
            ops
        } else {
            let mut all = std::mem::take(&mut j.owed);
            all.extend(ops);
            all
        };
        let erasure = erases(&ops);
        if erasure {
            if let Err(e) = j.writer.mark_scrub(seq) {
                j.owed = ops;
                return Err(journal_err(e));
            }
        }
        let sync = self.flush_each.load(std::sync::atomic::Ordering::Relaxed);
        if let Err((e, ops)) = j.writer.append_or_return(ops, sync) {
            j.owed = ops;
            return Err(journal_err(e));
        }
        // An erasure's rewrite needs sled to hold the erasure durably first.
        if sync && (erasure || j.settled.elapsed() >= SETTLE_EVERY) {
            self.db.flush()?;
            self.note_highwater(j, false)?;
            if erasure {
                j.writer.scrub(seq, &erasure_scope()).map_err(journal_err)?;
            }
        }
        Ok(())
    }

    /// Writes metadata outside a transaction, journaled like a commit.
    pub(super) fn journaled_meta(&self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        let mut j = self.lock_journal();
        pay_owed(&mut j).map_err(journal_err)?;
        let seq = j.writer.next_seq();
        let op = Op {
            tree: tree_id("meta"),
            key: key.to_vec(),
            value: Some(value.to_vec()),
        };
        j.writer.append(vec![op], true).map_err(journal_err)?;
        let mut batch = sled::Batch::default();
        batch.insert(key, value);
        batch.insert(JOURNAL_SEQ, &seq.to_be_bytes());
        self.meta.apply_batch(batch)?;
        self.db.flush()?;
        self.note_highwater(&mut j, false)
    }

    /// Journals a bulk unit's writes on another thread while `keys` writes them into sled:
    /// the journal mostly waits on the disk, the keys on the cores. Both must succeed; if
    /// the keys fail, the record is taken back so it is never replayed. Returns the journal,
    /// held until `done_bulk`, and the record's number.
    pub(super) fn journal_bulk(
        &self,
        ops: Vec<Op>,
        keys: impl FnOnce() -> Result<(), StoreError>,
    ) -> Result<(std::sync::MutexGuard<'_, Journal>, u64), StoreError> {
        let mut j = self.lock_journal();
        pay_owed(&mut j).map_err(bulk_journal_err)?;
        let (journaled, written) = std::thread::scope(|scope| {
            let writer = &mut j.writer;
            let append = scope.spawn(move || writer.append(ops, true));
            let written = keys();
            let journaled = append
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (journaled, written)
        });
        match (journaled, written) {
            (Ok(seq), Ok(())) => Ok((j, seq)),
            (Ok(seq), Err(e)) => {
                self.retract_bulk(j, seq)?;
                Err(e)
            }
            (Err(e), _) => Err(bulk_journal_err(e)),
        }
    }

    /// Takes back a bulk unit's journal record whose keys are being undone.
    pub(super) fn retract_bulk(
        &self,
        mut j: std::sync::MutexGuard<'_, Journal>,
        seq: u64,
    ) -> Result<(), StoreError> {
        j.writer.retract(seq).map_err(journal_err)
    }

    pub(super) fn done_bulk(
        &self,
        mut j: std::sync::MutexGuard<'_, Journal>,
    ) -> Result<(), StoreError> {
        self.note_highwater(&mut j, false)
    }

    /// Syncs the journal and sled, finishes a deferred erasure rewrite, moves the record.
    pub(super) fn settle_flush(&self) -> Result<(), StoreError> {
        let mut j = self.lock_journal();
        pay_owed(&mut j).map_err(journal_err)?;
        j.writer.sync().map_err(journal_err)?;
        self.db.flush()?;
        if let Some(seq) = j.writer.pending_scrub() {
            j.writer.scrub(seq, &erasure_scope()).map_err(journal_err)?;
        }
        self.note_highwater(&mut j, false)
    }

    /// On a clean close: everything durable, and the record names sled's files as they are,
    /// so the next open can let sled open them in place.
    pub(super) fn close_cleanly(&self) -> Result<(), StoreError> {
        self.settle_flush()?;
        let mut j = self.lock_journal();
        j.hw.closed = highwater::sled_files(&self.path).ok();
        highwater::write(&self.path, &j.hw, true).map_err(|_| StoreError::Directory {
            path: self.path.clone(),
            cause: std::io::Error::other("cannot write the high-water record"),
        })
    }
}

/// Builds the journal ops of values written outside a transaction.
pub(super) fn op(tree: &str, key: &[u8], value: &[u8]) -> Op {
    Op {
        tree: tree_id(tree),
        key: key.to_vec(),
        value: Some(value.to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures;

    fn note(key: &[u8]) -> Op {
        op("meta", key, b"from the journal")
    }

    #[test]
    fn an_open_replays_journal_records_sled_lacks() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        {
            let store = Store::open(&db).unwrap();
            store.set_policy_text("x").unwrap();
            // As a crash between the journal's sync and sled's flush leaves it.
            let mut j = store.lock_journal();
            j.writer.append(vec![note(b"k")], true).unwrap();
        }
        let store = Store::open(&db).unwrap();
        assert_eq!(
            store.meta.get(b"k").unwrap().as_deref(),
            Some(&b"from the journal"[..])
        );
        assert_eq!(
            store.journal_seq().unwrap(),
            store.lock_journal().writer.next_seq() - 1
        );
    }

    /// A store with one case ("hello"), closed cleanly.
    fn closed_with_one_case() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let store = Store::open(&db).unwrap();
        let e = crate::store::NewEnquiry {
            enquiry: fixtures::enquiry("2026-11-02T09:00:00+01:00", "hello"),
            suggestions: vec![],
            source: "test".into(),
        };
        store
            .register(
                &fixtures::policy(),
                &[e],
                "anne",
                fixtures::at("2026-11-24T08:00:00Z"),
            )
            .unwrap();
        drop(store);
        (dir, db)
    }

    #[test]
    fn a_store_that_lost_audit_entries_is_refused_and_its_files_kept() {
        let (_dir, db) = closed_with_one_case();
        // The record asks for more than sled holds, as after sled lost its tail.
        let mut hw = highwater::read(&db).unwrap().unwrap();
        hw.seq += 5;
        hw.closed = None;
        highwater::write(&db, &hw, true).unwrap();
        let before = highwater::sled_files(&db).unwrap();
        match Store::open(&db) {
            Err(StoreError::Damaged { should, shows, .. }) => {
                assert_eq!(should, "6 audit entries");
                assert_eq!(shows, "1");
            }
            Err(e) => panic!("expected refusal as damaged, got {e}"),
            Ok(_) => panic!("expected refusal as damaged, got a store"),
        }
        assert_eq!(highwater::sled_files(&db).unwrap(), before, "untouched");
    }

    /// A clean close is recognised at the next open from the file system alone; a byte
    /// changed in sled's file is not, even with its modification time set back, and the
    /// open then compares content (here: refuses the damage with the files as they were).
    #[test]
    fn only_the_files_a_clean_close_left_are_opened_unread() {
        let (_dir, db) = closed_with_one_case();
        let closed = highwater::read(&db).unwrap().unwrap().closed.unwrap();
        assert!(highwater::untouched(&db, &closed));
        drop(Store::open(&db).unwrap());
        let closed = highwater::read(&db).unwrap().unwrap().closed.unwrap();
        assert!(
            highwater::untouched(&db, &closed),
            "and again after a second close"
        );

        let file = db.join("db");
        let when = std::fs::metadata(&file).unwrap().modified().unwrap();
        let mut bytes = std::fs::read(&file).unwrap();
        // In the enquiry's own bytes, which sled checksums and reads back.
        let at = bytes
            .windows(5)
            .rposition(|w| w == b"hello")
            .expect("the enquiry is in sled's file");
        bytes[at] ^= 0x40;
        std::fs::write(&file, &bytes).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(when)
            .unwrap();
        assert!(
            !highwater::untouched(&db, &closed),
            "the inode's change time moved"
        );
        assert!(!highwater::same_content(&db, &closed));
        let before = highwater::sled_files(&db).unwrap();
        match Store::open(&db) {
            Err(StoreError::Damaged { .. }) => {}
            Err(e) => panic!("expected the damage said as damage, got {e}"),
            Ok(_) => panic!("a damaged store was opened"),
        }
        assert_eq!(
            highwater::sled_files(&db).unwrap(),
            before,
            "the files as they were"
        );
    }

    fn enquiry(body: &str) -> crate::store::NewEnquiry {
        crate::store::NewEnquiry {
            enquiry: fixtures::enquiry("2026-11-03T09:00:00+01:00", body),
            suggestions: vec![],
            source: format!("test {body}"),
        }
    }

    /// A command whose journal record could not be appended (a full disk) is in sled all
    /// the same: its writes lead the next record, or the close's, so the journal alone
    /// still rebuilds every case with a chain that verifies.
    #[test]
    fn writes_a_failed_append_owes_reach_the_journal_with_the_next_record_or_the_close() {
        let policy = fixtures::policy();
        let now = fixtures::at("2026-11-24T09:00:00Z");
        for then_another in [true, false] {
            let (_dir, db) = closed_with_one_case();
            let store = Store::open(&db).unwrap();
            store.lock_journal().writer.fail_next = true;
            let refused = store.register(&policy, &[enquiry("second")], "anne", now);
            assert!(
                matches!(refused, Err(StoreError::Journal(_))),
                "{refused:?}"
            );
            let expected = if then_another {
                store
                    .register(&policy, &[enquiry("third")], "anne", now)
                    .unwrap();
                3
            } else {
                2
            };
            assert_eq!(store.case_count(), expected);
            drop(store);
            let recovered = crate::store::recovery::recover(&db).unwrap();
            assert_eq!(
                recovered.cases, expected as u64,
                "then another: {then_another}"
            );
        }
    }
}
