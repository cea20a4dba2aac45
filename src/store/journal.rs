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
    // As bytes, not as a sequence of numbers: the same encoding, read and written whole
    // rather than one byte at a time (most of a bulk import's journal time, and replay's).
    #[serde(with = "serde_bytes")]
    pub key: Vec<u8>,
    #[serde(with = "serde_bytes")]
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
/// segment is a torn append; anywhere else it is damage, named by record number, unless
/// it lies among the records up to `unneeded` (a roll-forward from a backup needs none of
/// them): then reading resumes at the next whole frame.
fn read_segment(
    path: &Path,
    expect: &mut u64,
    last: bool,
    unneeded: u64,
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
            let next = next_frame(&data, at + 1);
            if *expect <= unneeded {
                match next {
                    Some((offset, seq)) if seq <= unneeded + 1 => {
                        *expect = seq;
                        at = offset;
                        continue;
                    }
                    // Nothing needed in the rest of this segment: the next one (or the
                    // gap check between segments) decides.
                    None if !last => return Ok(None),
                    Some((_, seq)) => {
                        return Err(JournalError::Bad {
                            seq: unneeded + 1,
                            segment: path.to_path_buf(),
                            offset: at as u64,
                            why: format!("it is lost in damage that ends at record {seq}"),
                        })
                    }
                    None => {}
                }
            }
            if last && next.is_none() {
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

/// The first whole, checksummed record at or after `from`: (offset, its number). Found, it
/// means the damage before it is not a torn tail but a record lost in the middle.
fn next_frame(data: &[u8], from: usize) -> Option<(usize, u64)> {
    (from..data.len().saturating_sub(FRAME)).find_map(|at| {
        let rest = &data[at..];
        let len = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
        let whole = len > 0
            && rest.len() >= FRAME + len
            // Every payload starts with the codec's format byte: most offsets end here,
            // before any hashing.
            && rest[FRAME] == codec::FORMAT
            && checksum(&rest[FRAME..FRAME + len]) == rest[4..FRAME];
        if !whole {
            return None;
        }
        codec::decode::<Record>(&rest[FRAME..FRAME + len])
            .ok()
            .map(|r| (at, r.seq))
    })
}

/// Hands every record after `after` (0: all) to `each`, checking numbering and checksums.
pub fn scan(dir: &Path, after: u64, each: impl FnMut(Record)) -> Result<Scan, JournalError> {
    scan_from(dir, after, 0, each)
}

/// As `scan`, for rolling a backup forward: damage among the records up to `after` (which
/// the backup holds) is passed over; from record `after + 1` on, every record must be whole.
pub fn scan_needed(dir: &Path, after: u64, each: impl FnMut(Record)) -> Result<Scan, JournalError> {
    scan_from(dir, after, after, each)
}

fn scan_from(
    dir: &Path,
    after: u64,
    unneeded: u64,
    mut each: impl FnMut(Record),
) -> Result<Scan, JournalError> {
    let segs = segments(dir)?;
    let mut scan = Scan::default();
    // Segments wholly before record `after + 1` are skipped unread.
    let start = segs
        .iter()
        .rposition(|(first, _)| *first <= after.saturating_add(1))
        .unwrap_or(0);
    let Some((first, _)) = segs.get(start) else {
        return Ok(scan);
    };
    let mut expect = *first;
    let n = segs.len();
    for (i, (first, path)) in segs.iter().enumerate().skip(start) {
        // Passed-over damage may hide where the segment before ended.
        let unknown = expect <= unneeded && *first <= unneeded + 1;
        if *first != expect && !unknown {
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
        expect = *first;
        scan.torn = read_segment(path, &mut expect, i + 1 == n, unneeded, &mut keep)?;
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
    if let Some(last) = last_whole(path, *first)? {
        return Ok((last, None));
    }
    // Something is not whole: the full read tells a torn append from damage.
    let mut expect = *first;
    let torn = read_segment(path, &mut expect, true, 0, &mut |_| {})?;
    Ok((expect - 1, torn))
}

/// The last record's number when every frame of the segment is whole and numbered in
/// order; `None` when one is not. Every store open asks this, so it reads a block at a time,
/// hashing as it goes, and decodes only each record's number (the checksum vouches for the
/// rest; a record that checksums yet does not decode is named by the replay that reads it):
/// reading the segment whole and decoding every record held about 60 MB at once for a
/// segment of bulk-import records, which run to tens of megabytes each.
fn last_whole(path: &Path, first: u64) -> Result<Option<u64>, JournalError> {
    let mut file = File::open(path).map_err(io(path))?;
    let mut block = vec![0u8; 256 * 1024];
    let mut fill = |buf: &mut [u8]| crate::fill::fill(&mut file, buf).map_err(io(path));
    let mut head = [0u8; FRAME];
    let mut expect = first;
    loop {
        match fill(&mut head)? {
            0 => return Ok(Some(expect - 1)),
            n if n < FRAME => return Ok(None),
            _ => {}
        }
        let len = u32::from_le_bytes(head[..4].try_into().expect("4 bytes")) as usize;
        let mut hasher = blake3::Hasher::new();
        // The format byte and a number's longest varint.
        let mut start = [0u8; 1 + 9];
        let mut start_len = 0;
        let mut left = len;
        while left > 0 {
            let want = left.min(block.len());
            let got = fill(&mut block[..want])?;
            hasher.update(&block[..got]);
            let take = got.min(start.len() - start_len);
            start[start_len..start_len + take].copy_from_slice(&block[..take]);
            start_len += take;
            if got < want {
                return Ok(None);
            }
            left -= got;
        }
        if hasher.finalize().as_bytes()[..8] != head[4..FRAME] {
            return Ok(None);
        }
        // A record starts with its number (`Record`'s first field).
        match codec::decode_prefix::<u64>(&start[..start_len]) {
            Ok((seq, _)) if seq == expect => expect += 1,
            _ => return Ok(None),
        }
    }
}

fn sync_dir(dir: &Path) -> Result<(), JournalError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

/// What an erasure's record says beyond the keys it rewrites: which of its writes are
/// tombstones (a case's reference as the key), and the trees that file a case's keys under
/// its reference. Every write there under an erased reference leaves the journal, even one
/// a later write had already undone (a draft saved, then cleared before the erasure).
pub struct Erasure {
    pub is_tombstone: fn(&Op) -> bool,
    pub per_case: Vec<u8>,
}

/// A reference key's length (year and number).
const REF: usize = 6;

/// Appends records; one per commit batch, made durable before the commit is acknowledged.
pub struct Writer {
    dir: PathBuf,
    file: Option<(File, u64)>,
    next: u64,
    /// Records written but not yet made durable (bulk seeding defers the sync).
    unsynced: bool,
    /// The last record appended and where it starts in the open segment, for `retract`.
    last: Option<(u64, u64)>,
    /// The next append fails, as a full disk would make it (tests).
    #[cfg(test)]
    pub(crate) fail_next: bool,
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
                last: None,
                #[cfg(test)]
                fail_next: false,
            },
            torn,
        ))
    }

    /// Numbers an empty journal's first record `next`, so numbers keep rising across a
    /// journal begun anew (after a restore or compaction) and an older backup is never
    /// rolled forward with records of another history.
    pub fn start_at(&mut self, next: u64) {
        if self.file.is_none() && self.next == 1 {
            self.next = next.max(1);
        }
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
        self.append_or_return(ops, sync).map_err(|(e, _)| e)
    }

    /// As `append`; when the record could not be appended, its writes come back with the
    /// error, and the journal is as it was before (nothing of the record in it).
    pub fn append_or_return(
        &mut self,
        ops: Vec<Op>,
        sync: bool,
    ) -> Result<u64, (JournalError, Vec<Op>)> {
        let record = Record {
            seq: self.next,
            ops,
        };
        match self.write_record(&record, sync) {
            Ok(()) => {
                self.next += 1;
                Ok(record.seq)
            }
            Err(e) => Err((e, record.ops)),
        }
    }

    fn write_record(&mut self, record: &Record, sync: bool) -> Result<(), JournalError> {
        #[cfg(test)]
        if std::mem::take(&mut self.fail_next) {
            return Err(io(&self.dir)(std::io::Error::other(
                "a failure the test asked for",
            )));
        }
        let bytes = frame(record);
        let full = matches!(&self.file, Some((_, len)) if *len >= SEGMENT_BYTES);
        if full || self.file.is_none() {
            self.sync()?;
            self.file = Some(self.segment_for(record.seq)?);
        }
        let (file, len) = self.file.as_mut().expect("a segment is open");
        let start = *len;
        let written = file.write_all(&bytes).map_err(io(&self.dir));
        let synced = match written {
            Ok(()) if sync => file.sync_data().map_err(io(&self.dir)),
            other => other,
        };
        if let Err(e) = synced {
            // A full disk may take part of the record, or all of it unsynced: cut it off,
            // so the next append neither follows a half record (that would read as damage
            // in the middle) nor repeats its number.
            let _ = file.set_len(start);
            return Err(e);
        }
        self.last = Some((record.seq, start));
        *len = start + bytes.len() as u64;
        self.unsynced = !sync;
        Ok(())
    }

    /// Takes back record `seq`, the last one appended, whose writes did not reach sled
    /// (a bulk unit journals beside writing its keys; if the keys fail, the record must not
    /// be replayed). The segment is cut where the record began and the cut made durable.
    pub fn retract(&mut self, seq: u64) -> Result<(), JournalError> {
        let (Some((last, offset)), Some((file, len))) = (self.last, self.file.as_mut()) else {
            return Err(io(&self.dir)(std::io::Error::other(format!(
                "record {seq} is not the last one appended"
            ))));
        };
        if last != seq || self.next != seq + 1 {
            return Err(io(&self.dir)(std::io::Error::other(format!(
                "record {seq} is not the last one appended"
            ))));
        }
        file.set_len(offset).map_err(io(&self.dir))?;
        file.sync_data().map_err(io(&self.dir))?;
        *len = offset;
        self.last = None;
        self.next = seq;
        Ok(())
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
    pub fn scrub(&mut self, upto: u64, erasure: &Erasure) -> Result<(), JournalError> {
        self.sync()?;
        // The open segment is rewritten too: the next append starts a new one.
        self.file = None;
        let mut erasing: Option<Vec<(u8, Vec<u8>)>> = None;
        let mut erased = std::collections::HashSet::new();
        scan(&self.dir, upto.saturating_sub(1), |r| {
            if r.seq == upto {
                erasing = Some(r.ops.iter().map(|o| (o.tree, o.key.clone())).collect());
                erased.extend(
                    r.ops
                        .iter()
                        .filter(|o| o.key.len() == REF && (erasure.is_tombstone)(o))
                        .map(|o| o.key.clone()),
                );
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
            read_segment(&path, &mut expect, false, 0, &mut |r| records.push(r))?;
            let mut changed = false;
            for r in records.iter_mut().filter(|r| r.seq <= upto) {
                let before = r.ops.len();
                let keep_last = r.seq == upto;
                r.ops.retain(|o| {
                    let hit = keys.contains(&(o.tree, o.key.clone()))
                        || (erasure.per_case.contains(&o.tree)
                            && o.key.len() >= REF
                            && erased.contains(&o.key[..REF]));
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
#[path = "journal_tests.rs"]
mod tests;
