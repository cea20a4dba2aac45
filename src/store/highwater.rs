//! The high-water record: what sled should hold (audit entries, chain head, cases, store
//! id), kept in a small checksummed file beside sled's, so a store that lost data is
//! refused instead of shown smaller.

use super::audit::{self, AuditEntry, Hash};
use super::codec;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const FILE: &str = "high-water";
const TMP: &str = "high-water.tmp";
/// The store's identity in sled's meta tree (16 bytes), also in the record.
pub const STORE_ID: &[u8] = b"store-id";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HighWater {
    pub store_id: Vec<u8>,
    /// The last audit entry and its hash.
    pub seq: u64,
    pub head: Hash,
    /// Case records (live and tombstones), which are never removed.
    pub cases: u64,
    /// The last journal record sled holds.
    pub journal: u64,
    /// Set when the store was closed cleanly: blake3 of each of sled's files then. An open
    /// that finds them unchanged can let sled open the files in place; any other open
    /// checks a copy first, because sled's recovery rewrites the files it opens.
    pub closed: Option<Vec<(String, Hash)>>,
}

#[derive(Debug, thiserror::Error)]
pub enum HighWaterError {
    #[error("cannot read or write {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("its high-water record ({}) is damaged", .0.display())]
    Damaged(PathBuf),
}

/// Reads the record; None when there is none.
pub fn read(store: &Path) -> Result<Option<HighWater>, HighWaterError> {
    let path = store.join(FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(HighWaterError::Io { path, source }),
    };
    if bytes.len() < 32 {
        return Err(HighWaterError::Damaged(path));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 32);
    if blake3::hash(body).as_bytes() != sum {
        return Err(HighWaterError::Damaged(path));
    }
    codec::decode(body)
        .map(Some)
        .map_err(|_| HighWaterError::Damaged(path))
}

/// Replaces the record atomically (a temporary file renamed over it). `durable` also
/// syncs the file and the directory; without it a power cut may leave the previous record,
/// which asks for less, and the journal (synced on every commit) still has the rest.
pub fn write(store: &Path, hw: &HighWater, durable: bool) -> Result<(), HighWaterError> {
    let tmp = store.join(TMP);
    let io = |source| HighWaterError::Io {
        path: tmp.clone(),
        source,
    };
    let mut bytes = codec::encode(hw).expect("high-water record encodes");
    let sum = *blake3::hash(&bytes).as_bytes();
    bytes.extend_from_slice(&sum);
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(&bytes).map_err(io)?;
        if durable {
            f.sync_all().map_err(io)?;
        }
    }
    std::fs::rename(&tmp, store.join(FILE)).map_err(io)?;
    if durable {
        std::fs::File::open(store)
            .and_then(|d| d.sync_all())
            .map_err(io)?;
    }
    Ok(())
}

/// sled's own files in the store directory (not ours, not the journal), with their digests,
/// and for each a `STAT` entry: its file system fingerprint (see `untouched`).
pub fn sled_files(store: &Path) -> std::io::Result<Vec<(String, Hash)>> {
    let mut out = Vec::new();
    for (name, path) in sled_paths(store)? {
        out.push((format!("{name}{STAT}"), stat_fingerprint(&path)?));
        out.push((name, file_digest(&path)?));
    }
    out.sort();
    Ok(out)
}

/// Marks an entry of `HighWater::closed` as a fingerprint rather than a digest. Records
/// written before fingerprints have none, and a build that predates them finds the list
/// unequal to its own and checks a copy: slower, never wrong.
const STAT: &str = "#stat";

/// sled's files, each directory's entries listed: (name in the record, path).
fn sled_paths(store: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for name in sled_file_names(store)? {
        let path = store.join(&name);
        if path.is_dir() {
            for entry in std::fs::read_dir(&path)? {
                let entry = entry?;
                let n = format!("{name}/{}", entry.file_name().to_string_lossy());
                out.push((n, entry.path()));
            }
        } else {
            out.push((name, path));
        }
    }
    Ok(out)
}

/// What the file system says of a file: device, inode, size, and the times of its last
/// change of content and of its inode. Any write changes them, and the inode's change time
/// cannot be set back (restoring the modification time after editing a file changes it).
fn stat_fingerprint(path: &Path) -> std::io::Result<Hash> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path)?;
    let mut h = blake3::Hasher::new();
    for v in [
        m.dev(),
        m.ino(),
        m.size(),
        m.mtime() as u64,
        m.mtime_nsec() as u64,
        m.ctime() as u64,
        m.ctime_nsec() as u64,
    ] {
        h.update(&v.to_le_bytes());
    }
    Ok(*h.finalize().as_bytes())
}

/// Whether sled's files are the very files a clean close recorded, as the file system
/// describes them, without reading them: hashing them took longer than drawing the first
/// screen (40 ms at 20,000 cases, 150-260 ms at 100,000). A copy of the store (another
/// inode) or a file written since (another change time) is compared by content instead.
pub fn untouched(store: &Path, closed: &[(String, Hash)]) -> bool {
    let recorded: Vec<&(String, Hash)> = closed.iter().filter(|(n, _)| n.ends_with(STAT)).collect();
    let Ok(paths) = sled_paths(store) else {
        return false;
    };
    !recorded.is_empty()
        && recorded.len() == paths.len()
        && paths.iter().all(|(name, path)| {
            let key = format!("{name}{STAT}");
            stat_fingerprint(path).is_ok_and(|f| recorded.iter().any(|(n, h)| *n == key && *h == f))
        })
}

/// Whether sled's files hold what a clean close recorded, byte for byte (read and hashed).
pub fn same_content(store: &Path, closed: &[(String, Hash)]) -> bool {
    let digests = |list: &[(String, Hash)]| -> Vec<(String, Hash)> {
        list.iter()
            .filter(|(n, _)| !n.ends_with(STAT))
            .cloned()
            .collect()
    };
    sled_files(store).is_ok_and(|now| digests(&now) == digests(closed))
}

/// A file's digest, read 2 MB at a time on one thread while the block before is hashed on
/// every core: sled's `db` file is as large as the store (7 GB at a million cases). Reading
/// it whole doubled the memory of every open and close; reading and hashing it in one
/// thread made a server's stop take longer than its 5 s; mapping it would count the whole
/// file in the process's memory. At most three blocks exist at once (one read, one
/// waiting, one hashed): with four of 8 MB they were a third of a command's peak.
fn file_digest(path: &Path) -> std::io::Result<Hash> {
    const BLOCK: usize = 2 << 20;
    let mut file = std::fs::File::open(path)?;
    let (full, filled) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(1);
    let (give_back, spare) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        scope.spawn(move || loop {
            let mut block = spare.try_recv().unwrap_or_else(|_| vec![0u8; BLOCK]);
            block.resize(BLOCK, 0);
            let n = match crate::fill::fill(&mut file, &mut block) {
                Ok(n) => n,
                Err(e) => {
                    let _ = full.send(Err(e));
                    return;
                }
            };
            block.truncate(n);
            let last = n < BLOCK;
            if full.send(Ok(block)).is_err() || last {
                return;
            }
        });
        let mut hasher = blake3::Hasher::new();
        for block in filled {
            let block = block?;
            hasher.update_rayon(&block);
            let _ = give_back.send(block);
        }
        Ok(*hasher.finalize().as_bytes())
    })
}

/// The names of sled's entries in the store directory.
pub fn sled_file_names(store: &Path) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(store)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name == "db" || name == "conf" || name == "blobs" || name.starts_with("snap.") {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

/// What the record asks for and what sled shows instead, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    pub should: String,
    pub shows: String,
}

/// Compares sled's content with the record: the same store, at least as many audit entries
/// with the recorded head among them, at least as many cases, and every key readable.
pub fn compare(db: &sled::Db, hw: &HighWater) -> Result<(), Shortfall> {
    let short = |should: String, shows: String| Err(Shortfall { should, shows });
    let tree = |name: &str| db.open_tree(name).ok();
    let (Some(meta), Some(audit_tree), Some(cases)) = (tree("meta"), tree("audit"), tree("cases"))
    else {
        return short("its trees".into(), "none that open".into());
    };
    let id = meta.get(STORE_ID).ok().flatten();
    if id.as_deref() != Some(&hw.store_id[..]) {
        return short(
            "the store its high-water record names".into(),
            if id.is_none() {
                "no store identity"
            } else {
                "another store"
            }
            .into(),
        );
    }
    let shows = match audit_tree.last() {
        Ok(Some((k, _))) => k.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0),
        _ => 0,
    };
    if shows < hw.seq {
        return short(format!("{} audit entries", hw.seq), shows.to_string());
    }
    if hw.seq > 0 {
        let hash = audit_tree
            .get(hw.seq.to_be_bytes())
            .ok()
            .flatten()
            // The chain hashes the stored bytes (an entry may carry a clock tail).
            .filter(|b| AuditEntry::decode(b).is_ok())
            .map(|b| audit::digest(&b));
        if hash != Some(hw.head) {
            return short(
                format!(
                    "audit entry {} with hash {}…",
                    hw.seq,
                    &audit::hex(&hw.head)[..12]
                ),
                "another in its place".into(),
            );
        }
    }
    let n = cases.len() as u64;
    if n < hw.cases {
        return short(format!("{} cases", hw.cases), n.to_string());
    }
    // Every key of every tree read once: damage sled only meets when it reads a page
    // refuses the store now, not on some later read.
    let mut entries = 0u64;
    for name in super::backup::TREES {
        let Ok(tree) = db.open_tree(name) else {
            return short(format!("the {name} tree"), "none that opens".into());
        };
        for kv in tree.iter() {
            if let Err(e) = kv {
                return short(
                    format!("{} audit entries", hw.seq),
                    format!(
                        "a {name} tree sled cannot read through ({})",
                        super::describe_sled(&e)
                    ),
                );
            }
            entries += u64::from(name == "audit");
        }
    }
    if entries < hw.seq {
        return short(format!("{} audit entries", hw.seq), entries.to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_back_and_refuses_a_damaged_record() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap(), None);
        let hw = HighWater {
            store_id: vec![7; 16],
            seq: 247,
            head: [3; 32],
            cases: 215,
            journal: 300,
            closed: None,
        };
        write(dir.path(), &hw, true).unwrap();
        assert_eq!(read(dir.path()).unwrap(), Some(hw));
        let path = dir.path().join(FILE);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[3] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        assert!(matches!(read(dir.path()), Err(HighWaterError::Damaged(_))));
    }
}
