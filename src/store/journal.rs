//! The journal: every committed write set, appended to checksummed segment files that
//! survive sled, so a damaged store can be rebuilt whole (`triage recover`).
//!
//! A record is the list of key writes one commit made (the event bytes the audit chain
//! digests among them), framed as `length (u32 LE) | blake3 of the payload (first 8 bytes)
//! | payload`. Records are numbered from 1 without gaps across segments; a segment is named
//! after its first record. Replaying every record into an empty sled gives the same trees,
//! because each write carries the whole value.

use super::codec;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The journal's directory inside the store directory.
pub const DIR: &str = "journal";
/// A new segment is started past this size, so an erasure rewrites a bounded file.
const SEGMENT_BYTES: u64 = 8 * 1024 * 1024;
const FRAME: usize = 4 + 8;
/// Written before an erasure's record is appended, removed once the segments are
/// rewritten without the erased data; an open finds it and finishes the rewrite.
const SCRUB_PENDING: &str = "scrub-pending";

/// One key written (`Some`) or removed (`None`) in a tree (index into `backup::TREES`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op {
    pub tree: u8,
    pub key: Vec<u8>,
    pub value: Option<Vec<u8>>,
}

/// What one commit wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub seq: u64,
    pub ops: Vec<Op>,
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("the journal ({}) cannot be read or written: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("journal record {seq} (in {}, at byte {offset}) is damaged: {why}", .segment.display())]
    Bad {
        seq: u64,
        segment: PathBuf,
        offset: u64,
        why: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn checksum(payload: &[u8]) -> [u8; 8] {
    let h = blake3::hash(payload);
    let mut c = [0u8; 8];
    c.copy_from_slice(&h.as_bytes()[..8]);
    c
}

/// A record framed for its segment.
pub fn frame(record: &Record) -> Vec<u8> {
    // Encoding plain bytes and numbers cannot fail.
    let payload = codec::encode(record).expect("journal record encodes");
    let mut out = Vec::with_capacity(FRAME + payload.len());
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&checksum(&payload));
    out.extend_from_slice(&payload);
    out
}

fn segment_name(first: u64) -> String {
    format!("{first:020}.seg")
}

/// The segments in order: (first record, path).
pub fn segments(dir: &Path) -> Result<Vec<(u64, PathBuf)>, JournalError> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io(dir)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(first) = name
            .strip_suffix(".seg")
            .and_then(|n| n.parse::<u64>().ok())
        {
            out.push((first, entry.path()));
        }
    }
    out.sort();
    Ok(out)
}

/// A half-written last record: (segment, byte offset, bytes).
pub type Torn = Option<(PathBuf, u64, u64)>;

/// Where a read of the journal ended.
#[derive(Debug, Default)]
pub struct Scan {
    /// The last whole record (0: none).
    pub last: u64,
    /// (segment, byte offset, bytes) of an incomplete last record (a crash mid-append).
    pub torn: Option<(PathBuf, u64, u64)>,
}

/// Reads the records of one segment. A damaged frame that is the last thing in the last
/// segment is a torn append; anywhere else it is damage, named by record number.
fn read_segment(
    path: &Path,
    expect: &mut u64,
    last: bool,
    each: &mut dyn FnMut(Record),
) -> Result<Torn, JournalError> {
    let data = std::fs::read(path).map_err(io(path))?;
    let mut at = 0usize;
    while at < data.len() {
        let bad = |why: &str| JournalError::Bad {
            seq: *expect,
            segment: path.to_path_buf(),
            offset: at as u64,
            why: why.to_string(),
        };
        let rest = &data[at..];
        let whole = rest.len() >= FRAME && {
            let len = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
            rest.len() >= FRAME + len && checksum(&rest[FRAME..FRAME + len]) == rest[4..FRAME]
        };
        if !whole {
            if last && !later_frame(&data, at + 1) {
                return Ok(Some((path.to_path_buf(), at as u64, rest.len() as u64)));
            }
            return Err(bad("its length or checksum does not match"));
        }
        let len = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
        let record: Record = codec::decode(&rest[FRAME..FRAME + len])
            .map_err(|e| bad(&format!("it does not decode ({e})")))?;
        if record.seq != *expect {
            return Err(bad(&format!("it is numbered {}", record.seq)));
        }
        each(record);
        *expect += 1;
        at += FRAME + len;
    }
    Ok(None)
}

/// Whether a whole, checksummed frame starts anywhere at or after `from`: then the damage
/// before it is not a torn tail but a record lost in the middle.
fn later_frame(data: &[u8], from: usize) -> bool {
    (from..data.len().saturating_sub(FRAME)).any(|at| {
        let rest = &data[at..];
        let len = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
        len > 0
            && rest.len() >= FRAME + len
            && checksum(&rest[FRAME..FRAME + len]) == rest[4..FRAME]
    })
}

/// Hands every record after `after` (0: all) to `each`, checking numbering and checksums.
pub fn scan(dir: &Path, after: u64, mut each: impl FnMut(Record)) -> Result<Scan, JournalError> {
    let segs = segments(dir)?;
    let mut scan = Scan::default();
    // Segments wholly before `after` are skipped unread.
    let start = segs
        .iter()
        .rposition(|(first, _)| *first <= after.max(1))
        .unwrap_or(0);
    let Some((first, _)) = segs.get(start) else {
        return Ok(scan);
    };
    let mut expect = *first;
    let n = segs.len();
    for (i, (first, path)) in segs.iter().enumerate().skip(start) {
        if *first != expect {
            return Err(JournalError::Bad {
                seq: expect,
                segment: path.clone(),
                offset: 0,
                why: format!("the segment before ends at record {}", expect - 1),
            });
        }
        let mut keep = |r: Record| {
            if r.seq > after {
                each(r);
            }
        };
        scan.torn = read_segment(path, &mut expect, i + 1 == n, &mut keep)?;
        scan.last = expect - 1;
    }
    Ok(scan)
}

/// The number of the last whole record and a torn tail, reading only the last segment.
pub fn tail(dir: &Path) -> Result<(u64, Torn), JournalError> {
    let segs = segments(dir)?;
    let Some((first, path)) = segs.last() else {
        return Ok((0, None));
    };
    let mut expect = *first;
    let torn = read_segment(path, &mut expect, true, &mut |_| {})?;
    Ok((expect - 1, torn))
}

fn sync_dir(dir: &Path) -> Result<(), JournalError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

/// Appends records; one per commit batch, made durable before the commit is acknowledged.
pub struct Writer {
    dir: PathBuf,
    file: Option<(File, u64)>,
    next: u64,
    /// Records written but not yet made durable (bulk seeding defers the sync).
    unsynced: bool,
}

impl Writer {
    /// Opens the journal in `dir` (creating it), cutting off a torn last record.
    pub fn open(dir: &Path) -> Result<(Writer, Torn), JournalError> {
        if !dir.exists() {
            std::fs::create_dir(dir).map_err(io(dir))?;
            sync_dir(dir.parent().unwrap_or(Path::new(".")))?;
        }
        let (last, torn) = tail(dir)?;
        if let Some((path, offset, _)) = &torn {
            let f = OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(io(path))?;
            f.set_len(*offset).map_err(io(path))?;
            f.sync_all().map_err(io(path))?;
        }
        Ok((
            Writer {
                dir: dir.to_path_buf(),
                file: None,
                next: last + 1,
                unsynced: false,
            },
            torn,
        ))
    }

    /// The number the next record gets.
    pub fn next_seq(&self) -> u64 {
        self.next
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Appends one record (numbered `next_seq`); durable when `sync` is true.
    pub fn append(&mut self, ops: Vec<Op>, sync: bool) -> Result<u64, JournalError> {
        let record = Record {
            seq: self.next,
            ops,
        };
        let bytes = frame(&record);
        let full = matches!(&self.file, Some((_, len)) if *len >= SEGMENT_BYTES);
        if full || self.file.is_none() {
            self.sync()?;
            self.file = Some(self.segment_for(record.seq)?);
        }
        let (file, len) = self.file.as_mut().expect("a segment is open");
        let path = &self.dir;
        file.write_all(&bytes).map_err(io(path))?;
        *len += bytes.len() as u64;
        self.unsynced = true;
        if sync {
            self.sync()?;
        }
        self.next += 1;
        Ok(record.seq)
    }

    /// The segment the next record goes to: the last one while it has room, else a new one.
    fn segment_for(&self, seq: u64) -> Result<(File, u64), JournalError> {
        let segs = segments(&self.dir)?;
        if let (Some((_, path)), false) = (segs.last(), self.file.is_some()) {
            let len = std::fs::metadata(path).map_err(io(path))?.len();
            if len < SEGMENT_BYTES {
                let f = OpenOptions::new()
                    .append(true)
                    .open(path)
                    .map_err(io(path))?;
                return Ok((f, len));
            }
        }
        let path = self.dir.join(segment_name(seq));
        let f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io(&path))?;
        // The new name must survive a power cut as well as its contents.
        sync_dir(&self.dir)?;
        Ok((f, 0))
    }

    /// Makes every appended record durable (one fdatasync for a whole batch).
    pub fn sync(&mut self) -> Result<(), JournalError> {
        if self.unsynced {
            if let Some((f, _)) = &self.file {
                f.sync_data().map_err(io(&self.dir))?;
            }
            self.unsynced = false;
        }
        Ok(())
    }

    /// Notes that record `seq` erases data, before it is appended (see `SCRUB_PENDING`).
    pub fn mark_scrub(&self, seq: u64) -> Result<(), JournalError> {
        let path = self.dir.join(SCRUB_PENDING);
        std::fs::write(&path, seq.to_string()).map_err(io(&path))?;
        File::open(&path)
            .and_then(|f| f.sync_all())
            .map_err(io(&path))?;
        sync_dir(&self.dir)
    }

    /// The erasure record an interrupted rewrite left to finish, if any.
    pub fn pending_scrub(&self) -> Option<u64> {
        std::fs::read_to_string(self.dir.join(SCRUB_PENDING))
            .ok()
            .and_then(|s| s.trim().parse().ok())
    }

    /// Rewrites every segment so no record up to `upto` holds a write that record `upto`
    /// (an erasure) replaces or removes; a removal left with nothing before it to remove
    /// goes too. Replaying from empty gives the same store, and the erased values are gone
    /// from the journal. Call only once sled holds record `upto` durably.
    pub fn scrub(&mut self, upto: u64) -> Result<(), JournalError> {
        self.sync()?;
        // The open segment is rewritten too: the next append starts a new one.
        self.file = None;
        let mut erasing: Option<Vec<(u8, Vec<u8>)>> = None;
        scan(&self.dir, upto.saturating_sub(1), |r| {
            if r.seq == upto {
                erasing = Some(r.ops.iter().map(|o| (o.tree, o.key.clone())).collect());
            }
        })?;
        let Some(keys) = erasing else {
            let _ = std::fs::remove_file(self.dir.join(SCRUB_PENDING));
            return Ok(());
        };
        // Audit entries and metadata hold no personal data and are kept as written.
        let keys: std::collections::HashSet<(u8, Vec<u8>)> = keys
            .into_iter()
            .filter(|(t, _)| !matches!(t, 2 | 3))
            .collect();
        for (_, path) in segments(&self.dir)? {
            let mut expect = segment_first(&path);
            let mut records = Vec::new();
            read_segment(&path, &mut expect, false, &mut |r| records.push(r))?;
            let mut changed = false;
            for r in records.iter_mut().filter(|r| r.seq <= upto) {
                let before = r.ops.len();
                let keep_last = r.seq == upto;
                r.ops.retain(|o| {
                    let hit = keys.contains(&(o.tree, o.key.clone()));
                    !hit || (keep_last && o.value.is_some())
                });
                changed |= r.ops.len() != before;
            }
            if changed {
                let tmp = path.with_extension("rewrite");
                let mut f = File::create(&tmp).map_err(io(&tmp))?;
                for r in &records {
                    f.write_all(&frame(r)).map_err(io(&tmp))?;
                }
                f.sync_all().map_err(io(&tmp))?;
                // The rename replaces (and so unlinks) the old segment.
                std::fs::rename(&tmp, &path).map_err(io(&path))?;
                sync_dir(&self.dir)?;
            }
        }
        let pending = self.dir.join(SCRUB_PENDING);
        if pending.exists() {
            std::fs::remove_file(&pending).map_err(io(&pending))?;
            sync_dir(&self.dir)?;
        }
        Ok(())
    }
}

fn segment_first(path: &Path) -> u64 {
    path.file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(tree: u8, key: &[u8], value: Option<&[u8]>) -> Op {
        Op {
            tree,
            key: key.to_vec(),
            value: value.map(|v| v.to_vec()),
        }
    }

    fn journal() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let j = dir.path().join(DIR);
        (dir, j)
    }

    #[test]
    fn appends_and_reads_back_in_order() {
        let (_d, dir) = journal();
        let (mut w, torn) = Writer::open(&dir).unwrap();
        assert!(torn.is_none());
        for i in 0..5u8 {
            w.append(vec![op(0, &[i], Some(b"v"))], true).unwrap();
        }
        drop(w);
        let mut seen = Vec::new();
        let end = scan(&dir, 0, |r| seen.push(r)).unwrap();
        assert_eq!((end.last, seen.len()), (5, 5));
        assert_eq!(seen[4].ops[0].key, vec![4]);
        let (w, _) = Writer::open(&dir).unwrap();
        assert_eq!(w.next_seq(), 6);
    }

    #[test]
    fn a_torn_last_record_is_cut_off_and_reported() {
        let (_d, dir) = journal();
        let (mut w, _) = Writer::open(&dir).unwrap();
        w.append(vec![op(0, b"a", Some(b"1"))], true).unwrap();
        w.append(vec![op(0, b"b", Some(b"2"))], true).unwrap();
        drop(w);
        let (_, seg) = segments(&dir).unwrap().pop().unwrap();
        let len = std::fs::metadata(&seg).unwrap().len();
        let f = OpenOptions::new().write(true).open(&seg).unwrap();
        f.set_len(len - 3).unwrap();
        let (w, torn) = Writer::open(&dir).unwrap();
        assert!(torn.is_some(), "the cut record is reported");
        assert_eq!(w.next_seq(), 2, "record 2 was torn and cut off");
        assert_eq!(scan(&dir, 0, |_| {}).unwrap().last, 1);
    }

    #[test]
    fn a_damaged_record_in_the_middle_is_named() {
        let (_d, dir) = journal();
        let (mut w, _) = Writer::open(&dir).unwrap();
        for i in 0..3u8 {
            w.append(vec![op(0, &[i], Some(b"value"))], true).unwrap();
        }
        drop(w);
        let (_, seg) = segments(&dir).unwrap().pop().unwrap();
        let mut bytes = std::fs::read(&seg).unwrap();
        let second = frame(&Record {
            seq: 1,
            ops: vec![op(0, &[0], Some(b"value"))],
        })
        .len();
        bytes[second + FRAME + 2] ^= 0x40;
        std::fs::write(&seg, bytes).unwrap();
        match scan(&dir, 0, |_| {}) {
            Err(JournalError::Bad { seq, .. }) => assert_eq!(seq, 2),
            other => panic!("expected record 2 named, got {other:?}"),
        }
    }

    #[test]
    fn scrub_drops_what_the_erasure_replaces_and_keeps_the_rest() {
        let (_d, dir) = journal();
        let (mut w, _) = Writer::open(&dir).unwrap();
        w.append(
            vec![
                op(0, b"case1", Some(b"secret text")),
                op(5, b"Ane Hansen\0case1", Some(b"")),
                op(2, b"audit1", Some(b"entry")),
            ],
            true,
        )
        .unwrap();
        w.append(vec![op(0, b"case2", Some(b"other"))], true)
            .unwrap();
        w.append(
            vec![
                op(0, b"case1", Some(b"tombstone")),
                op(5, b"Ane Hansen\0case1", None),
                op(2, b"audit3", Some(b"entry")),
            ],
            true,
        )
        .unwrap();
        w.scrub(3).unwrap();
        let all: Vec<u8> = segments(&dir)
            .unwrap()
            .iter()
            .flat_map(|(_, p)| std::fs::read(p).unwrap())
            .collect();
        let has = |needle: &[u8]| all.windows(needle.len()).any(|w| w == needle);
        assert!(!has(b"secret"), "the erased value is gone");
        assert!(!has(b"Ane Hansen"), "the subject key is gone, removal too");
        assert!(has(b"tombstone") && has(b"other") && has(b"audit1"));
        let mut n = 0;
        assert_eq!(scan(&dir, 0, |_| n += 1).unwrap().last, 3);
        assert_eq!(n, 3, "records keep their numbers");
        w.append(vec![op(0, b"case3", Some(b"x"))], true).unwrap();
        assert_eq!(scan(&dir, 0, |_| {}).unwrap().last, 4);
    }
}
