//! `triage recover`: a store rebuilt from its journal into new sled files, the old
//! directory moved aside untouched.

use super::backup::TREES;
use super::durability::{apply_writes_to, JOURNAL_SEQ};
use super::highwater::{self, HighWater, STORE_ID};
use super::journal::{self, JournalError, Record};
use super::{audit::Head, codec, Store, StoreError, HEAD};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a recovery did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Recovered {
    pub records: u64,
    /// Events (case changes) replayed.
    pub events: u64,
    pub audit_entries: u64,
    pub cases: u64,
    /// A half-written last record that was cut off: (segment, byte offset, bytes).
    pub torn: Option<(PathBuf, u64, u64)>,
    /// Where the old store directory now is.
    pub moved_aside: PathBuf,
    pub seconds: f64,
}

/// Rebuilds the store at `db` from its journal. Nothing is changed unless the whole
/// journal reads back; a damaged record in the middle is named and the store left as it is.
pub fn recover(db: &Path) -> Result<Recovered, StoreError> {
    let started = std::time::Instant::now();
    let dir_err = |path: &Path| {
        let path = path.to_path_buf();
        move |cause| StoreError::Directory { path, cause }
    };
    let source = db.join(journal::DIR);
    if journal::segments(&source)?.is_empty() {
        return Err(StoreError::Directory {
            path: source,
            cause: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no journal here to recover from",
            ),
        });
    }
    if super::check::held_by_another_process(db) {
        return Err(StoreError::Locked {
            path: db.to_path_buf(),
        });
    }
    let fresh = super::durability::sibling(db, "recovering");
    let _ = std::fs::remove_dir_all(&fresh);
    let result = rebuild(&source, &fresh);
    let (records, events, torn) = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&fresh);
            return Err(e);
        }
    };
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "store".into());
    let aside = db.with_file_name(format!("{name}.before-recover-{stamp}"));
    std::fs::rename(db, &aside).map_err(dir_err(db))?;
    std::fs::rename(&fresh, db).map_err(dir_err(db))?;
    if let Some(parent) = db.parent() {
        let _ = std::fs::File::open(parent).and_then(|d| d.sync_all());
    }
    let store = Store::open(db)?;
    let v = store.verify_audit()?;
    if let Some(b) = v.first_broken {
        return Err(StoreError::Damaged {
            path: db.to_path_buf(),
            should: "an audit chain that verifies".into(),
            shows: format!("entry {} broken after recovery ({})", b.seq, b.problem),
        });
    }
    Ok(Recovered {
        records,
        events,
        audit_entries: v.entries,
        cases: store.case_count() as u64,
        torn,
        moved_aside: aside,
        seconds: started.elapsed().as_secs_f64(),
    })
}

type Rebuilt = (u64, u64, Option<(PathBuf, u64, u64)>);

/// Replays `journal` into new sled files at `fresh`, with a copy of the journal and a
/// high-water record, ready to be opened.
fn rebuild(journal_dir: &Path, fresh: &Path) -> Result<Rebuilt, StoreError> {
    std::fs::create_dir_all(fresh).map_err(|cause| StoreError::Directory {
        path: fresh.to_path_buf(),
        cause,
    })?;
    // New files, flushed once at the end: no background flushes while replaying.
    let db = sled::Config::new()
        .path(fresh)
        .cache_capacity(super::CACHE_BYTES)
        .flush_every_ms(None)
        .open()?;
    let trees: Vec<sled::Tree> = TREES
        .iter()
        .map(|n| db.open_tree(n))
        .collect::<Result<_, _>>()?;
    let events_tree = TREES.iter().position(|t| *t == "events").unwrap_or(1) as u8;
    let (mut records, mut events) = (0u64, 0u64);
    // Two threads apply the records, each to its own trees (about as many writes each), in
    // journal order per tree; this one reads and checks the segments meanwhile.
    let first: Vec<u8> = ["cases", "queue", "order", "events"]
        .iter()
        .filter_map(|n| TREES.iter().position(|t| t == n))
        .map(|i| i as u8)
        .collect();
    let (end, failed) = std::thread::scope(|scope| {
        // A worker for the trees in `first` (true) or for the others (false).
        let apply = |of_first: bool| {
            let (send, receive) = std::sync::mpsc::sync_channel::<Arc<Record>>(64);
            let (trees, first) = (&trees, &first);
            let worker = scope.spawn(move || -> Result<(), sled::Error> {
                for r in receive {
                    apply_writes_to(trees, &r, |t| first.contains(&t) == of_first)?;
                }
                Ok(())
            });
            (send, worker)
        };
        let (to_first, first_worker) = apply(true);
        let (to_rest, rest_worker) = apply(false);
        let end = journal::scan(journal_dir, 0, |r| {
            records += 1;
            events += r
                .ops
                .iter()
                .filter(|o| o.tree == events_tree && o.value.is_some())
                .count() as u64;
            let r = Arc::new(r);
            // A worker that stopped on an error says why when joined.
            let _ = to_first.send(r.clone());
            let _ = to_rest.send(r);
        });
        drop((to_first, to_rest));
        let joined = |w: std::thread::ScopedJoinHandle<'_, Result<(), sled::Error>>| {
            w.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        let failed = joined(first_worker).and(joined(rest_worker)).err();
        (end, failed)
    });
    let end = end.map_err(|e: JournalError| StoreError::Journal(e))?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    let meta = &trees[3];
    meta.insert(JOURNAL_SEQ, &end.last.to_be_bytes())?;
    db.flush()?;
    // The journal goes with the store, without a torn tail.
    let target = fresh.join(journal::DIR);
    std::fs::create_dir_all(&target).map_err(|cause| StoreError::Directory {
        path: target.clone(),
        cause,
    })?;
    for (_, seg) in journal::segments(journal_dir)? {
        let to = target.join(seg.file_name().unwrap_or_default());
        std::fs::copy(&seg, &to).map_err(|cause| StoreError::Directory { path: to, cause })?;
    }
    journal::Writer::open(&target)?;
    let head: Head = match meta.get(HEAD)? {
        Some(b) => codec::decode(&b).map_err(StoreError::corrupt("the audit head"))?,
        None => Head::default(),
    };
    let hw = HighWater {
        store_id: meta.get(STORE_ID)?.map(|v| v.to_vec()).unwrap_or_default(),
        seq: head.seq,
        head: head.hash,
        cases: trees[0].len() as u64,
        journal: end.last,
        closed: None,
    };
    drop(trees);
    drop(db);
    // Files sled has just written and flushed: the first open may take them as they are.
    let hw = HighWater {
        closed: highwater::sled_files(fresh).ok(),
        ..hw
    };
    highwater::write(fresh, &hw, true).map_err(|e| StoreError::Directory {
        path: fresh.to_path_buf(),
        cause: std::io::Error::other(e.to_string()),
    })?;
    std::fs::write(
        fresh.join(super::MARKER_FILE),
        b"triage store: the data lives in sled's files beside this one.\n",
    )
    .map_err(|cause| StoreError::Directory {
        path: fresh.to_path_buf(),
        cause,
    })?;
    Ok((records, events, end.torn))
}
