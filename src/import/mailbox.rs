//! Mailboxes: mbox files split into messages, maildir folders, and telling formats apart.

use super::decode::skip_preamble;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// What a file holds, judged by its extension first and then by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    JsonLines,
    Mbox,
    Message,
}

/// The format of a file; None when it is none triage reads.
pub fn sniff(path: &Path, bytes: &[u8]) -> Option<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if matches!(ext.as_str(), "jsonl" | "ndjson" | "json") {
        return Some(Format::JsonLines);
    }
    let start = skip_preamble(bytes);
    let first_line = start.split(|b| *b == b'\n').next().unwrap_or_default();
    if is_from_line(first_line) {
        return Some(Format::Mbox);
    }
    if start.first() == Some(&b'{') {
        return Some(Format::JsonLines);
    }
    if is_header_line(first_line) {
        return Some(Format::Message);
    }
    None
}

/// `Name: value` with an RFC 5322 field name (printable ASCII but colon and space).
fn is_header_line(line: &[u8]) -> bool {
    match line.iter().position(|b| *b == b':') {
        Some(n) if n > 0 => line[..n].iter().all(|b| (33..=126).contains(b)),
        _ => false,
    }
}

/// An mbox separator: `From SENDER DATE` where the date carries a time and a year. A body
/// line such as "From now on, …" has neither, so it does not split the message.
fn is_from_line(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let text = String::from_utf8_lossy(rest);
    let mut words = text.split_whitespace();
    if words.next().is_none() {
        return false;
    }
    let words: Vec<&str> = words.collect();
    let has_time = words.iter().any(|w| {
        let p: Vec<&str> = w.split(':').collect();
        (2..=3).contains(&p.len())
            && p.iter()
                .all(|x| (1..=2).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit()))
    });
    let has_year = words
        .iter()
        .any(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()));
    has_time && has_year
}

/// One message of an mbox, without its `From ` line and with `>From ` lines unescaped.
#[derive(Debug, Clone)]
pub struct MboxMessage {
    pub envelope: Option<String>,
    pub bytes: Vec<u8>,
}

/// Splits an mbox. A `From ` line starts a message only at the start of the file or after
/// a blank line, when it is a well-formed separator and a header line follows it: an
/// unescaped "From " line in a body does not split the message.
pub fn split_mbox(raw: &[u8]) -> Vec<MboxMessage> {
    let raw = skip_preamble(raw);
    let lines: Vec<&[u8]> = raw.split_inclusive(|b| *b == b'\n').collect();
    let blank = |l: &[u8]| l.iter().all(|b| b.is_ascii_whitespace());
    let mut starts = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let after_blank = i == 0 || blank(lines[i - 1]);
        let header_follows = lines.get(i + 1).is_some_and(|l| is_header_line(l));
        if after_blank && header_follows && is_from_line(line.trim_ascii_end()) {
            starts.push(i);
        }
    }
    let mut out = Vec::with_capacity(starts.len());
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let envelope = String::from_utf8_lossy(&lines[s][5..])
            .split_whitespace()
            .next()
            .filter(|e| e.contains('@'))
            .map(str::to_string);
        let mut body: Vec<&[u8]> = lines[s + 1..end].to_vec();
        // The blank line before the next separator is framing, not message.
        if k + 1 < starts.len() && body.last().is_some_and(|l| blank(l)) {
            body.pop();
        }
        let mut bytes = Vec::new();
        for l in body {
            let quoted = l.iter().take_while(|b| **b == b'>').count();
            if quoted > 0 && l[quoted..].starts_with(b"From ") {
                bytes.extend_from_slice(&l[1..]);
            } else {
                bytes.extend_from_slice(l);
            }
        }
        out.push(MboxMessage { envelope, bytes });
    }
    out
}

/// A maildir message: its file, bytes and delivery time.
#[derive(Debug, Clone)]
pub struct MaildirMessage {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub delivered: Option<DateTime<Utc>>,
}

/// Every message in `new/` and `cur/`, in file-name order so imports are reproducible.
pub fn read_maildir(dir: &Path) -> std::io::Result<Vec<MaildirMessage>> {
    let mut paths = Vec::new();
    for sub in ["cur", "new"] {
        let d = dir.join(sub);
        if !d.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if !hidden && entry.file_type()?.is_file() {
                paths.push(entry.path());
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path)?;
            // Converted without chrono's panicking `From`: a file's time may be anything.
            let delivered = std::fs::metadata(&path)?
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .and_then(|d| i64::try_from(d.as_secs()).ok())
                .and_then(|secs| DateTime::<Utc>::from_timestamp(secs, 0));
            Ok(MaildirMessage {
                path,
                bytes,
                delivered,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unescaped_from_line_in_a_body_does_not_split() {
        let mbox = b"From a@example.dk Tue Nov 24 09:00:00 2026\nFrom: a@example.dk\nSubject: one\n\nHello\n\nFrom now on I live in Aarhus.\nFrom b@example.dk Tue Nov 24 09:00:00 2026 was mentioned\n\n>From the start\n\nFrom b@example.dk Tue Nov 24 10:00:00 2026\nFrom: b@example.dk\nSubject: two\n\nHi\n";
        let msgs = split_mbox(mbox);
        assert_eq!(msgs.len(), 2);
        let first = String::from_utf8(msgs[0].bytes.clone()).unwrap();
        assert!(first.contains("From now on I live in Aarhus."), "{first}");
        assert!(first.contains("\nFrom the start\n"), "{first}");
        assert!(first.ends_with("From the start\n"), "{first:?}");
        assert_eq!(msgs[1].envelope.as_deref(), Some("b@example.dk"));
    }

    #[test]
    fn formats_are_sniffed_from_content() {
        let p = Path::new("x.msg");
        assert_eq!(
            sniff(p, b"\xEF\xBB\xBFFrom: a@b\n\nx"),
            Some(Format::Message)
        );
        assert_eq!(
            sniff(Path::new("x"), b"\n\nReceived: from x\n"),
            Some(Format::Message)
        );
        assert_eq!(
            sniff(p, b"From a@b Tue Nov 24 09:00:00 2026\nFrom: a@b\n"),
            Some(Format::Mbox)
        );
        assert_eq!(sniff(p, b"{\"a\":1}\n"), Some(Format::JsonLines));
        assert_eq!(sniff(p, b"\x89PNG\r\n"), None);
        assert_eq!(sniff(p, b"From here on: nothing\n"), None);
    }
}
