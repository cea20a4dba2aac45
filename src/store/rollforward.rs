//! A backup rolled forward: restored, then every journal record written after it replayed,
//! so a restore brings back each command acknowledged up to the journal's last record.
//!
//! A backup holds its place in the journal (`JOURNAL_SEQ` in its meta tree). The records
//! after it come from a journal that outlived the store (the damaged store's own, or a copy
//! kept elsewhere). Journal numbers keep rising when a journal is begun anew, so a journal
//! that does not continue the backup is refused by number before anything is written, and
//! the audit chain, checked after the replay, refuses one of another history.

use super::backup::{read_backup, BackupError, BackupSummary, TREES};
use super::durability::{apply_record, is_tombstone, tree_id, JOURNAL_SEQ};
use super::highwater::{self, STORE_ID};
use super::journal::{self, JournalError, Record, Torn};
use super::{Store, StoreError};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Where the records after the backup come from.
#[derive(Debug, Clone)]
pub struct RollForward {
    /// A journal directory, or a store directory holding one.
    pub journal: PathBuf,
    /// Replay up to a damaged record instead of refusing the whole restore.
    pub until_damage: bool,
}

/// What the roll-forward replayed.
#[derive(Debug, Clone)]
pub struct RolledForward {
    /// The journal directory read.
    pub journal: PathBuf,
    /// The last record the backup held.
    pub backup_record: u64,
    /// Records replayed after it, and the last of them.
    pub records: u64,
    pub last: u64,
    /// Cases erased by the records replayed.
    pub erasures: u64,
    /// A half-written last record (never acknowledged), left as it is in the source.
    pub torn: Torn,
    /// With `until_damage`: the damaged record the replay stopped before.
    pub stopped: Option<String>,
}

fn refused(journal: &Path, why: impl Into<String>) -> BackupError {
    BackupError::RollForward {
        journal: journal.to_path_buf(),
        why: why.into(),
    }
}

/// The journal directory `path` names: itself, or the `journal` inside a store directory.
fn journal_dir(path: &Path) -> PathBuf {
    let inner = path.join(journal::DIR);
    if inner.is_dir() {
        inner
    } else {
        path.to_path_buf()
    }
}

/// What the backup says of itself: its journal record and its store's id.
fn backup_place(backup: &Path) -> Result<(u64, Vec<u8>), BackupError> {
    let meta = tree_id("meta") as usize;
    let (mut seq, mut id) = (0, Vec::new());
    read_backup(backup, |tree, k, v| {
        if tree == meta && k == JOURNAL_SEQ {
            seq = <[u8; 8]>::try_from(v).map(u64::from_be_bytes).unwrap_or(0);
        } else if tree == meta && k == STORE_ID {
            id = v.to_vec();
        }
        Ok(())
    })?;
    Ok((seq, id))
}

/// What a journal holds after the backup, read before anything is written.
struct Continuation {
    /// The last record to replay.
    last: u64,
    torn: Torn,
    /// With `until_damage`: the damage that ends the replay early.
    stopped: Option<String>,
    /// The cases erased by the records to replay (their reference keys).
    erased: HashSet<[u8; 6]>,
}

/// The references of the cases a record erases (writes a tombstone for).
fn tombstones(record: &Record) -> impl Iterator<Item = [u8; 6]> + '_ {
    record
        .ops
        .iter()
        .filter(|o| is_tombstone(o))
        .filter_map(|o| o.key.as_slice().try_into().ok())
}

/// Whether a backup entry belongs to a case the journal erases after the backup: left out,
/// so the erased data never reaches the new store's files (the erasure's record, rewritten,
/// no longer removes keys that may themselves be personal data).
fn erased_entry(erased: &HashSet<[u8; 6]>, tree: usize, k: &[u8]) -> bool {
    let is = |r: &[u8]| r.try_into().is_ok_and(|r: [u8; 6]| erased.contains(&r));
    match TREES.get(tree).copied() {
        Some("cases" | "events" | "access" | "drafts" | "queue") => k.len() >= 6 && is(&k[..6]),
        // identifier, 0, reference
        Some("subjects") => k.len() >= 7 && k[k.len() - 7] == 0 && is(&k[k.len() - 6..]),
        // status, due day, reference
        Some("order") => k.len() == 11 && is(&k[5..]),
        _ => false,
    }
}

/// Checks, before anything is written, that `dir` continues the backup.
fn preflight(
    dir: &Path,
    after: u64,
    store_id: &[u8],
    until_damage: bool,
) -> Result<Continuation, BackupError> {
    let segments = journal::segments(dir).map_err(|e| refused(dir, e.to_string()))?;
    let Some((first, _)) = segments.first() else {
        return Err(refused(dir, "it holds no journal segments"));
    };
    if let Some(parent) = dir.parent() {
        if let Ok(Some(hw)) = highwater::read(parent) {
            if !hw.store_id.is_empty() && !store_id.is_empty() && hw.store_id != store_id {
                return Err(refused(dir, "it is the journal of another store"));
            }
        }
    }
    if *first > after + 1 {
        return Err(refused(
            dir,
            format!(
                "it begins at record {first}, and the backup ends at record {after}: the records between are not in it (a restore or compaction began it anew from a full copy of the store; `triage recover` rebuilds the store from that journal alone)"
            ),
        ));
    }
    let mut last = after;
    let mut erased = HashSet::new();
    let scanned = journal::scan_needed(dir, after, |r| {
        last = r.seq;
        erased.extend(tombstones(&r));
    });
    let (torn, stopped) = match scanned {
        Ok(scan) => (scan.torn, None),
        Err(e @ JournalError::Bad { .. }) if until_damage => (None, Some(e.to_string())),
        Err(e) => {
            return Err(refused(
                dir,
                format!("{e}; `--until-damage` restores the backup and the records before it"),
            ))
        }
    };
    Ok(Continuation {
        last,
        torn,
        stopped,
        erased,
    })
}

impl Store {
    /// Restores `backup` into a new store at `db` and replays the journal records written
    /// after it. Nothing is left at `db` unless the result verifies.
    pub fn restore_rolled_forward(
        backup: &Path,
        db: &Path,
        roll: &RollForward,
    ) -> Result<(BackupSummary, RolledForward), BackupError> {
        let (after, store_id) = backup_place(backup)?;
        let dir = journal_dir(&roll.journal);
        if db.exists()
            && std::fs::read_dir(db)
                .map(|mut d| d.next().is_some())
                .unwrap_or(true)
        {
            return Err(BackupError::TargetExists(db.to_path_buf()));
        }
        let c = preflight(&dir, after, &store_id, roll.until_damage)?;
        let (last, erasures) = (c.last, c.erased.len() as u64);
        let mut records = 0;
        let restored = Store::restore_then(
            backup,
            db,
            |tree, k| erased_entry(&c.erased, tree, k),
            |store| {
                records = store.replay_after(&dir, after, last)?;
                // The new journal's numbers go on from the last record replayed.
                store.meta.insert(JOURNAL_SEQ, &last.to_be_bytes())?;
                Ok(())
            },
        );
        let result = restored.and_then(|summary| {
            let store = Store::open(db)?;
            if let Some(b) = store.verify_audit()?.first_broken {
                return Err(StoreError::Damaged {
                    path: db.to_path_buf(),
                    should: "an audit chain that verifies after the roll-forward".into(),
                    shows: format!(
                        "entry {} broken ({}): the journal does not continue this backup",
                        b.seq, b.problem
                    ),
                }
                .into());
            }
            Ok(summary)
        });
        match result {
            Ok(summary) => Ok((
                summary,
                RolledForward {
                    journal: dir,
                    backup_record: after,
                    records,
                    last,
                    erasures,
                    torn: c.torn,
                    stopped: c.stopped,
                },
            )),
            Err(e @ BackupError::TargetExists(_)) => Err(e),
            Err(e) => {
                // The store at `db` is ours alone (it was empty): nothing of it is kept.
                let _ = std::fs::remove_dir_all(db);
                Err(e)
            }
        }
    }

    /// Applies records `after + 1 ..= last` of `dir`; returns how many.
    fn replay_after(&self, dir: &Path, after: u64, last: u64) -> Result<u64, StoreError> {
        let trees: Vec<sled::Tree> = self.trees().into_iter().cloned().collect();
        let mut records = 0u64;
        let mut failed: Option<sled::Error> = None;
        let scanned = journal::scan_needed(dir, after, |r| {
            if failed.is_some() || r.seq > last {
                return;
            }
            match apply_record(&trees, &r) {
                Ok(()) => records += 1,
                Err(e) => failed = Some(e),
            }
        });
        if let Some(e) = failed {
            return Err(e.into());
        }
        match scanned {
            // With `until_damage` the damage past `last` was expected (see `preflight`).
            Ok(_) => {}
            Err(JournalError::Bad { seq, .. }) if seq > last => {}
            Err(e) => return Err(StoreError::Journal(e)),
        }
        self.db.flush()?;
        Ok(records)
    }
}
