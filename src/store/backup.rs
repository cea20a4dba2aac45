//! Backups: a consistent copy of every tree in one checksummed file, and restoring it.
//!
//! The format is ours, not sled's on-disk layout, so a backup outlives a damaged or
//! unopenable sled directory (sled issues #1527, #1533).

use super::{Store, StoreError};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

const MAGIC: &[u8; 16] = b"TRIAGE-BACKUP-01";
const END: u8 = 0xff;

/// The trees a backup carries, in order.
pub const TREES: [&str; 10] = [
    "cases", "events", "audit", "meta", "dedup", "subjects", "access", "drafts", "queue", "order",
];

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BackupSummary {
    pub entries: u64,
    pub bytes: u64,
    /// blake3 of the whole file before the checksum, hex.
    pub checksum: String,
    /// The audit head the backup holds (`audit::HeadLine`), when written by `backup`.
    pub head: Option<String>,
}

/// Where `backup` writes its manifest: beside the backup, `FILE.manifest`.
pub fn manifest_path(backup: &Path) -> std::path::PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".manifest");
    name.into()
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{}: {source}", .path.display())]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a triage backup (bad header)", .0.display())]
    NotABackup(std::path::PathBuf),
    #[error("{}: the backup is damaged: {}", .0.display(), .1)]
    Damaged(std::path::PathBuf, String),
    #[error("{}: a store already exists there; restore into a new path", .0.display())]
    TargetExists(std::path::PathBuf),
    #[error("{}: cannot roll the backup forward with this journal: {why}; nothing was restored", .journal.display())]
    RollForward {
        journal: std::path::PathBuf,
        why: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes, and hashes what it writes.
struct Hashing<W: Write> {
    inner: W,
    hasher: blake3::Hasher,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Store {
    /// Writes a consistent copy of the store to `path` (through a temporary file, then a
    /// rename, so a half-written backup never has the final name). Commits wait meanwhile.
    pub fn backup(&self, path: &Path) -> Result<BackupSummary, BackupError> {
        // Asked for by a client that has already gone: nothing to do.
        super::cancel::check()?;
        let _quiet = self.gate.write().unwrap_or_else(|p| p.into_inner());
        // Taken while commits wait, so it is the head of exactly what the copy holds.
        let head = self.audit_head()?.to_string();
        let journal = self.journal_seq()?;
        let tmp = path.with_extension("partial");
        let file = std::fs::File::create(&tmp).map_err(io(&tmp))?;
        let mut w = Hashing {
            inner: BufWriter::new(file),
            hasher: blake3::Hasher::new(),
            bytes: 0,
        };
        let mut entries = 0u64;
        w.write_all(MAGIC).map_err(io(&tmp))?;
        for (i, name) in TREES.iter().enumerate() {
            let tree = self.db.open_tree(name).map_err(StoreError::from)?;
            for kv in tree.iter() {
                let (k, v) = kv.map_err(StoreError::from)?;
                w.write_all(&[i as u8]).map_err(io(&tmp))?;
                w.write_all(&(k.len() as u32).to_be_bytes())
                    .map_err(io(&tmp))?;
                w.write_all(&k).map_err(io(&tmp))?;
                w.write_all(&(v.len() as u32).to_be_bytes())
                    .map_err(io(&tmp))?;
                w.write_all(&v).map_err(io(&tmp))?;
                entries += 1;
                if entries.is_multiple_of(1024) {
                    if let Err(e) = super::cancel::check() {
                        drop(w);
                        let _ = std::fs::remove_file(&tmp);
                        return Err(e.into());
                    }
                }
            }
        }
        w.write_all(&[END]).map_err(io(&tmp))?;
        let checksum = *w.hasher.finalize().as_bytes();
        let bytes = w.bytes + 32;
        let mut inner = w.inner;
        inner.write_all(&checksum).map_err(io(&tmp))?;
        let file = inner.into_inner().map_err(|e| BackupError::Io {
            path: tmp.clone(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(io(&tmp))?;
        std::fs::rename(&tmp, path).map_err(io(path))?;
        let summary = BackupSummary {
            entries,
            bytes,
            checksum: super::audit::hex(&checksum),
            head: Some(head),
        };
        write_manifest(path, &summary, journal)?;
        Ok(summary)
    }

    /// Restores a backup into a new store at `db` after checking its checksum whole.
    pub fn restore(backup: &Path, db: &Path) -> Result<BackupSummary, BackupError> {
        Store::restore_then(backup, db, |_, _| false, |_| Ok(()))
    }

    /// As `restore`, leaving out the entries `skip` names (tree index in `TREES`, key), and
    /// running `then` on the restored store before its journal is begun.
    pub(super) fn restore_then(
        backup: &Path,
        db: &Path,
        skip: impl Fn(usize, &[u8]) -> bool,
        then: impl FnOnce(&Store) -> Result<(), StoreError>,
    ) -> Result<BackupSummary, BackupError> {
        let summary = read_backup(backup, |_, _, _| Ok(()))?;
        if db.exists() && std::fs::read_dir(db).map_err(io(db))?.next().is_some() {
            return Err(BackupError::TargetExists(db.to_path_buf()));
        }
        let store = Store::open(db)?;
        let trees: Vec<sled::Tree> = TREES
            .iter()
            .map(|n| store.db.open_tree(n))
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)?;
        read_backup(backup, |tree, k, v| {
            if !skip(tree, k) {
                trees[tree].insert(k, v).map_err(StoreError::from)?;
            }
            Ok(())
        })?;
        then(&store)?;
        // The restored keys were written past the journal: it starts anew from them.
        store.rebase_journal()?;
        store.flush()?;
        Ok(summary)
    }
}

/// Reads a backup, handing each entry to `each`; checks the checksum at the end.
/// Call with a no-op first to validate before writing anything anywhere.
pub fn read_backup(
    path: &Path,
    mut each: impl FnMut(usize, &[u8], &[u8]) -> Result<(), BackupError>,
) -> Result<BackupSummary, BackupError> {
    let data = std::fs::read(path).map_err(io(path))?;
    let damaged = |why: &str| BackupError::Damaged(path.to_path_buf(), why.to_string());
    if data.len() < MAGIC.len() + 1 + 32 || &data[..MAGIC.len()] != MAGIC {
        return Err(BackupError::NotABackup(path.to_path_buf()));
    }
    let (body, sum) = data.split_at(data.len() - 32);
    if blake3::hash(body).as_bytes() != sum {
        return Err(damaged("checksum mismatch (truncated or altered)"));
    }
    let mut r = BufReader::new(&body[MAGIC.len()..]);
    let mut entries = 0u64;
    let read_block = |r: &mut BufReader<&[u8]>| -> Result<Vec<u8>, BackupError> {
        let mut len = [0u8; 4];
        r.read_exact(&mut len)
            .map_err(|_| damaged("entry cut short"))?;
        let len = u32::from_be_bytes(len) as usize;
        let mut buf = vec![0u8; len.min(body.len())];
        r.read_exact(&mut buf)
            .map_err(|_| damaged("entry cut short"))?;
        Ok(buf)
    };
    loop {
        let mut tag = [0u8; 1];
        r.read_exact(&mut tag)
            .map_err(|_| damaged("no end marker"))?;
        if tag[0] == END {
            break;
        }
        let tree = tag[0] as usize;
        if tree >= TREES.len() {
            return Err(damaged("unknown tree"));
        }
        let k = read_block(&mut r)?;
        let v = read_block(&mut r)?;
        each(tree, &k, &v)?;
        entries += 1;
    }
    Ok(BackupSummary {
        entries,
        bytes: data.len() as u64,
        checksum: super::audit::hex(sum.try_into().expect("32 bytes")),
        head: None,
    })
}

/// A few lines of text beside the backup: what it holds and the audit head it carries, so
/// the head can be kept with the backup's records and checked later
/// (`triage audit verify --against "$(grep triage-audit-head FILE.manifest)"`).
fn write_manifest(backup: &Path, summary: &BackupSummary, journal: u64) -> Result<(), BackupError> {
    let path = manifest_path(backup);
    let name = backup
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = format!(
        "triage backup manifest\nfile {}\nentries {}\nbytes {}\nblake3 {}\njournal record {journal} (`triage restore --journal` replays what came after it)\n{}\n",
        crate::domain::sanitize::sanitize_line(&name),
        summary.entries,
        summary.bytes,
        summary.checksum,
        summary.head.as_deref().unwrap_or("")
    );
    let tmp = path.with_extension("manifest-partial");
    let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
    f.write_all(text.as_bytes()).map_err(io(&tmp))?;
    f.sync_all().map_err(io(&tmp))?;
    std::fs::rename(&tmp, &path).map_err(io(&path))
}
