//! The table files of a package, written and hashed on a second thread while the store is read.
//!
//! The reading thread turns rows into bytes in one buffer per table and hands a buffer over when
//! it is full; the writer thread writes it and feeds it to the file's MD5. Buffers go back for
//! reuse, and the channel is bounded, so memory stays a few megabytes whatever the store's size.

use super::indices::{FileEntry, TableStats};
use super::tables::{RowSink, Value, TABLES};
use super::xml::{push_value, table_ns, table_xsd, HashedFile, XSI_NS};
use super::{io, ArchiveError};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Bytes gathered for one table before they go to the writer.
const CHUNK: usize = 1 << 18;
/// Full buffers that may wait for the writer.
const IN_FLIGHT: usize = 8;

/// What the writer returns: each table file's MD5 and size, in table order.
type Written = Result<Vec<(String, u64)>, ArchiveError>;

pub struct Tables {
    bufs: Vec<Vec<u8>>,
    stats: Vec<TableStats>,
    line: String,
    dir: PathBuf,
    to_writer: Option<SyncSender<(usize, Vec<u8>)>>,
    spare: Receiver<Vec<u8>>,
    writer: Option<JoinHandle<Written>>,
}

impl Tables {
    /// Creates `dir/tableN/tableN.xml` for every table and starts the writer.
    pub fn open(dir: &Path) -> Result<Tables, ArchiveError> {
        let mut files = Vec::new();
        let mut bufs = Vec::new();
        for n in 1..=TABLES.len() {
            let folder = dir.join(format!("table{n}"));
            std::fs::create_dir_all(&folder).map_err(io(&folder))?;
            let path = folder.join(format!("table{n}.xml"));
            let file = HashedFile::create(&path).map_err(io(&path))?;
            let ns = table_ns(n);
            let mut head = Vec::with_capacity(CHUNK + 4096);
            write!(
                head,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<table xmlns=\"{ns}\" xmlns:xsi=\"{XSI_NS}\" \
                 xsi:schemaLocation=\"{ns} table{n}.xsd\">\n"
            )
            .map_err(io(&path))?;
            bufs.push(head);
            files.push((file, path));
        }
        let (to_writer, from_reader) = mpsc::sync_channel::<(usize, Vec<u8>)>(IN_FLIGHT);
        let (give_back, spare) = mpsc::channel::<Vec<u8>>();
        let writer = std::thread::Builder::new()
            .name("archive tables".into())
            .spawn(move || -> Written {
                for (t, mut buf) in from_reader {
                    let (file, path) = &mut files[t];
                    file.write_all(&buf).map_err(io(path))?;
                    buf.clear();
                    let _ = give_back.send(buf);
                }
                files
                    .into_iter()
                    .map(|(file, path)| {
                        let bytes = file.bytes;
                        Ok((file.finish().map_err(io(&path))?, bytes))
                    })
                    .collect()
            })
            .map_err(io(dir))?;
        Ok(Tables {
            bufs,
            stats: TABLES
                .iter()
                .map(|t| TableStats {
                    rows: 0,
                    max_chars: vec![0; t.columns.len()],
                })
                .collect(),
            line: String::with_capacity(4096),
            dir: dir.to_path_buf(),
            to_writer: Some(to_writer),
            spare,
            writer: Some(writer),
        })
    }

    /// Hands table `t`'s buffer to the writer. Fails only when the writer has stopped (its
    /// error is what [`Tables::finish`] reports).
    fn hand_over(&mut self, t: usize) -> std::io::Result<()> {
        let fresh = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(CHUNK + 4096));
        let full = std::mem::replace(&mut self.bufs[t], fresh);
        let stopped = || std::io::Error::other("the table writer stopped");
        self.to_writer
            .as_ref()
            .ok_or_else(stopped)?
            .send((t, full))
            .map_err(|_| stopped())
    }

    /// Closes every table and writes its schema; returns the file entries (folders relative to
    /// the package), each table's statistics and the tables' total size.
    pub fn finish(mut self) -> Result<(Vec<FileEntry>, Vec<TableStats>, u64), ArchiveError> {
        let mut sent = Ok(());
        for t in 0..TABLES.len() {
            self.bufs[t].extend_from_slice(b"</table>\n");
            if sent.is_ok() {
                sent = self.hand_over(t);
            }
        }
        self.to_writer = None;
        let written = self
            .writer
            .take()
            .expect("the writer runs until finish")
            .join()
            .map_err(|_| ArchiveError::Render("the table writer panicked".into()))??;
        sent.map_err(io(&self.dir))?;
        let mut entries = Vec::new();
        let mut bytes = 0;
        for (i, (md5, size)) in written.into_iter().enumerate() {
            let n = i + 1;
            bytes += size;
            entries.push(FileEntry {
                folder: format!("Tables\\table{n}"),
                name: format!("table{n}.xml"),
                md5,
            });
            let xsd_path = self
                .dir
                .join(format!("table{n}"))
                .join(format!("table{n}.xsd"));
            let mut f = HashedFile::create(&xsd_path).map_err(io(&xsd_path))?;
            f.write_all(table_xsd(n, &TABLES[i]).as_bytes())
                .map_err(io(&xsd_path))?;
            entries.push(FileEntry {
                folder: format!("Tables\\table{n}"),
                name: format!("table{n}.xsd"),
                md5: f.finish().map_err(io(&xsd_path))?,
            });
        }
        Ok((entries, std::mem::take(&mut self.stats), bytes))
    }
}

impl Drop for Tables {
    /// On an error before `finish`: the writer stops and closes its files before the caller
    /// removes the unfinished package.
    fn drop(&mut self) {
        self.to_writer = None;
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
    }
}

impl RowSink for Tables {
    fn row(&mut self, table: usize, values: &[Value<'_>]) -> std::io::Result<()> {
        let stats = &mut self.stats[table];
        stats.rows += 1;
        // One reused line and values written straight into it: no allocation per value.
        let line = &mut self.line;
        line.clear();
        line.push_str("  <row>");
        for (j, v) in values.iter().enumerate() {
            let c = j + 1;
            if let Value::Text(text) = v {
                // A text no longer in bytes than the longest so far cannot be longer in chars.
                let max = &mut stats.max_chars[j];
                if text.len() > *max {
                    *max = (*max).max(text.chars().count());
                }
            }
            if !push_value(line, c, v) {
                let _ = write!(line, "<c{c} xsi:nil=\"true\"/>");
            }
        }
        line.push_str("</row>\n");
        self.bufs[table].extend_from_slice(line.as_bytes());
        if self.bufs[table].len() >= CHUNK {
            self.hand_over(table)?;
        }
        Ok(())
    }
}
