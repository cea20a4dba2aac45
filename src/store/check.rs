//! `triage check`: read every tree of a store (or a backup), decode every value, check the
//! indexes and the audit chain, and report — without changing anything.

use super::audit::AuditEntry;
use super::backup::BackupError;
use super::{codec, ref_from_key, AccessRecord, Store, StoreError};
use crate::domain::case::CaseRecord;
use crate::domain::command::Event;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CheckReport {
    pub checked: PathBuf,
    /// Values read per tree.
    pub counts: BTreeMap<String, u64>,
    pub problems: Vec<String>,
    pub audit_entries: u64,
    /// How the full-text index compares with the store (see `search::compare`).
    pub search: String,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the store at `db` through a private copy, so the original is never written
/// (sled has no read-only mode). Refuses a store another process holds: copying a live
/// store could show damage that is not there.
pub fn check_store(db: &Path) -> Result<CheckReport, StoreError> {
    if !Store::exists(db) {
        return Err(StoreError::NoStore {
            path: db.to_path_buf(),
        });
    }
    if held_by_another_process(db) {
        return Err(StoreError::Locked {
            path: db.to_path_buf(),
        });
    }
    let tmp = tempdir()?;
    let copy = tmp.join("store");
    copy_dir(db, &copy).map_err(|cause| StoreError::Directory {
        path: db.to_path_buf(),
        cause,
    })?;
    // Every journal record must read back (an open reads only the last segment, and sets
    // a damaged journal aside): read before the copy is opened.
    let journal = super::journal::scan(&copy.join(super::journal::DIR), 0, |_| {}).err();
    let mut report = match Store::open(&copy) {
        Ok(store) => check_open(&store),
        Err(StoreError::Open { cause, .. }) => CheckReport {
            problems: vec![format!(
                "the store does not open: {}",
                super::describe_sled(&cause)
            )],
            ..Default::default()
        },
        // The comparison with the high-water record, about the store and not the copy.
        Err(StoreError::Damaged { should, shows, .. }) => CheckReport {
            problems: vec![StoreError::Damaged {
                path: db.to_path_buf(),
                should,
                shows,
            }
            .to_string()],
            ..Default::default()
        },
        Err(e) => CheckReport {
            problems: vec![format!("the store does not open: {e}")],
            ..Default::default()
        },
    };
    if let Some(e) = journal {
        report.problems.push(
            e.to_string()
                .replace(&copy.display().to_string(), &db.display().to_string()),
        );
    }
    report.checked = db.to_path_buf();
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(report)
}

/// Checks a backup file: its checksum, then its contents restored into a private store.
pub fn check_backup(backup: &Path) -> Result<CheckReport, BackupError> {
    let tmp = tempdir()?;
    let copy = tmp.join("store");
    let mut report = match Store::restore(backup, &copy) {
        Ok(_) => check_open(&Store::open(&copy)?),
        Err(e @ (BackupError::Damaged(..) | BackupError::NotABackup(_))) => CheckReport {
            problems: vec![e.to_string()],
            ..Default::default()
        },
        Err(e) => return Err(e),
    };
    report.checked = backup.to_path_buf();
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(report)
}

/// Checks a store this process holds open (embedded, or in `triage serve`): a consistent
/// snapshot (commits wait only while it is written) restored privately and checked there,
/// so the live store is only read.
pub fn check_live(store: &Store) -> Result<CheckReport, BackupError> {
    let tmp = tempdir()?;
    let snapshot = tmp.join("snapshot");
    let result = store
        .backup(&snapshot)
        .and_then(|_| check_backup(&snapshot));
    let _ = std::fs::remove_dir_all(&tmp);
    let mut report = result?;
    report.checked = store.path().to_path_buf();
    // A backup carries no search index: the served store's own is compared instead.
    let mut live = 0;
    let mut erased = Vec::new();
    for record in store.cases() {
        match record? {
            CaseRecord::Live(_) => live += 1,
            CaseRecord::Erased(t) => erased.push(t.reference),
        }
    }
    let (line, trouble) = crate::search::compare(store, live, &erased);
    report.search = line;
    report.problems.extend(trouble);
    Ok(report)
}

fn tempdir() -> Result<PathBuf, StoreError> {
    let base = std::env::temp_dir().join(format!(
        "triage-check-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)
    ));
    std::fs::create_dir_all(&base).map_err(|cause| StoreError::Directory {
        path: base.clone(),
        cause,
    })?;
    Ok(base)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// sled holds an exclusive flock on `<store>/db` while open.
pub(super) fn held_by_another_process(db: &Path) -> bool {
    use std::os::unix::io::AsRawFd;
    let Ok(f) = std::fs::File::open(db.join("db")) else {
        return false;
    };
    // SAFETY: flock on a file descriptor we own; released right away.
    let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_UN) };
        false
    } else {
        true
    }
}

fn check_open(store: &Store) -> CheckReport {
    let mut r = CheckReport::default();
    // The same problem on many values is reported once with a count.
    let problem = |r: &mut CheckReport, p: String| {
        if let Some(last) = r.problems.iter_mut().find(|q| q.starts_with(&p)) {
            let n = last
                .rsplit_once(" (×")
                .and_then(|(_, n)| n.trim_end_matches(')').parse::<u64>().ok())
                .unwrap_or(1);
            *last = format!("{p} (×{})", n + 1);
        } else if r.problems.len() < 100 {
            r.problems.push(p);
        }
    };
    let mut live: HashMap<crate::domain::enquiry::Reference, u64> = HashMap::new();
    let mut erased = 0u64;
    let mut erased_refs = Vec::new();
    let mut max_seq: HashMap<u16, u32> = HashMap::new();
    macro_rules! walk {
        ($tree:expr, $name:literal, |$k:ident, $v:ident| $body:block) => {{
            let mut n = 0u64;
            for kv in $tree.iter() {
                match kv {
                    Ok(($k, $v)) => {
                        n += 1;
                        $body
                    }
                    Err(e) => {
                        problem(&mut r, format!("{}: cannot read: {e}", $name));
                        break;
                    }
                }
            }
            r.counts.insert($name.to_string(), n);
        }};
    }
    walk!(store.cases, "cases", |k, v| {
        let key = ref_from_key(&k)
            .map(|x| x.to_string())
            .unwrap_or_else(|| format!("{k:?}"));
        match codec::decode::<CaseRecord>(&v) {
            Ok(rec) => {
                if Some(rec.reference()) != ref_from_key(&k) {
                    problem(&mut r, format!("case {key}: stored under the wrong key"));
                }
                let reference = rec.reference();
                let seq = max_seq.entry(reference.year).or_default();
                *seq = (*seq).max(reference.seq);
                match rec {
                    CaseRecord::Live(c) => {
                        live.insert(reference, c.version);
                    }
                    CaseRecord::Erased(_) => {
                        erased += 1;
                        erased_refs.push(reference);
                    }
                }
            }
            Err(e) => problem(&mut r, format!("case {key}: does not decode: {e}")),
        }
    });
    walk!(store.events, "events", |k, v| {
        if let Err(e) = codec::decode::<Event>(&v) {
            let at = ref_from_key(&k).map(|x| x.to_string()).unwrap_or_default();
            problem(&mut r, format!("an event of {at}: does not decode: {e}"));
        }
    });
    walk!(store.audit, "audit", |_k, v| {
        if let Err(e) = AuditEntry::decode(&v) {
            problem(&mut r, format!("an audit entry does not decode: {e}"));
        }
    });
    walk!(store.access, "access", |_k, v| {
        if let Err(e) = codec::decode::<AccessRecord>(&v) {
            problem(&mut r, format!("an access record does not decode: {e}"));
        }
    });
    walk!(store.subjects, "subjects", |k, _v| {
        // identifier, a 0 byte, then the 6-byte reference
        let split = k.len().checked_sub(7).filter(|at| k[*at] == 0);
        match split.and_then(|at| ref_from_key(&k[at + 1..])) {
            Some(reference) if live.contains_key(&reference) => {}
            Some(reference) => problem(
                &mut r,
                format!("the subject index points to {reference}, which is not a live case"),
            ),
            None => problem(&mut r, "a subject index key is malformed".into()),
        }
    });
    walk!(store.dedup, "dedup", |_k, v| {
        if ref_from_key(&v).is_none() {
            problem(&mut r, "a duplicate-detection entry is malformed".into());
        }
    });
    let mut queued = 0u64;
    walk!(store.queue, "queue", |k, v| {
        match codec::decode::<crate::domain::summary::CaseSummary>(&v) {
            Ok(q)
                if live.get(&q.reference) == Some(&q.version)
                    && ref_from_key(&k) == Some(q.reference) =>
            {
                queued += 1
            }
            Ok(q) => problem(
                &mut r,
                format!(
                    "the queue entry of {} is out of step with the case",
                    q.reference
                ),
            ),
            Err(e) => problem(&mut r, format!("a queue entry does not decode: {e}")),
        }
    });
    let mut ordered = 0u64;
    walk!(store.order, "order", |k, v| {
        let current = store
            .queue
            .get(&v)
            .ok()
            .flatten()
            .and_then(|q| codec::decode::<crate::domain::summary::CaseSummary>(&q).ok());
        match current {
            Some(q) if super::order_key(&q)[..] == k[..] => ordered += 1,
            _ => problem(
                &mut r,
                "an entry of the queue's urgency order is stale".into(),
            ),
        }
    });
    if ordered != queued {
        problem(
            &mut r,
            format!("the queue's urgency order lists {ordered} of {queued} queued cases"),
        );
    }
    if queued != live.len() as u64 {
        problem(
            &mut r,
            format!("the queue lists {queued} of {} live cases", live.len()),
        );
    }
    walk!(store.drafts, "drafts", |_k, _v| {});
    walk!(store.meta, "meta", |_k, _v| {});
    for (reference, version) in &live {
        for v in 1..=*version {
            if !store
                .events
                .contains_key(super::event_key(*reference, v))
                .unwrap_or(false)
            {
                problem(
                    &mut r,
                    format!("case {reference}: event {v} of {version} is missing"),
                );
                break;
            }
        }
    }
    for (year, seq) in &max_seq {
        let counter = store
            .meta
            .get(super::counter_key(*year))
            .ok()
            .flatten()
            .and_then(|b| <[u8; 4]>::try_from(b.as_ref()).ok())
            .map(u32::from_be_bytes);
        if counter.is_none_or(|c| c < *seq) {
            problem(&mut r, format!("the {year} reference counter is behind case {year}-{seq:06}: new cases would reuse numbers"));
        }
    }
    match store.verify_audit() {
        Ok(v) => {
            r.audit_entries = v.entries;
            if let Some(b) = v.first_broken {
                problem(
                    &mut r,
                    format!("audit chain broken at entry {}: {}", b.seq, b.problem),
                );
            }
        }
        Err(e) => problem(&mut r, format!("audit chain unreadable: {e}")),
    }
    r.counts.insert("erased cases".into(), erased);
    let (line, trouble) = crate::search::compare(store, live.len() as u64, &erased_refs);
    r.search = line;
    if let Some(p) = trouble {
        problem(&mut r, p);
    }
    r
}
